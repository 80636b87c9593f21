"""``teachwhy models``: the four roles, what each resolves to, whether its key is present (never the key)."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console

from teachwhy.models import ROLE_HELP, ROLES, Role, default_spec, resolve_model, role_model

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
        resolved = resolve_model(model)
        console.print(f"{model} -> {resolved.name}  key: {_key_text(resolved.key_var, resolved.key_present)}")
        if ping:
            _ping("target", model, console)
        return
    chosen: dict[Role, str | None] = {"target": target, "judge": judge, "teacher": teacher, "auditor": auditor}
    for role in ROLES:
        spec = chosen[role] or default_spec(role)
        resolved = resolve_model(spec, convert=False)
        console.print(f"[bold]{role:8}[/bold] {spec}  ({ROLE_HELP[role]})", highlight=False)
        console.print(f"         resolves to: {resolved.name}", highlight=False, soft_wrap=True)
        console.print(f"         API key: {_key_text(resolved.key_var, resolved.key_present)}", highlight=False)
    if ping:
        for role in ROLES:
            _ping(role, chosen[role] or default_spec(role), console)


def _key_text(var: str | None, present: bool) -> str:
    if var is None:
        return "not needed"
    return f"{var} set" if present else f"{var} MISSING (export {var}=...)"


def _ping(role: Role, spec: str, console: Console) -> None:
    m = role_model(role, spec, temperature=0, max_tokens=24)
    out = asyncio.run(m.generate("Reply with one short sentence: who are you?"))
    console.print(f"{role}: {out.completion.strip()!r}")
