"""sysprompt-distill: answers written with the constitution in the system prompt, stored without it.

Each item pairs an operator persona (``resources/datagen/system_prompts.yaml``) with a constitution principle. The
teacher writes a user message for that deployment touching the principle, then answers it with the persona's system
prompt *plus* the constitution (or ``--principles``); the row keeps only the persona's system prompt, so training
distils the constitution's effect into the model.
"""

from __future__ import annotations

from typing import Any

from teachwhy.data._common import (
    Ctx,
    GenerateSettings,
    Outcome,
    cycle_plan,
    principles_text,
    prompt,
    resource_yaml,
)
from teachwhy.data._common import _constitution as constitution_of

__all__ = ["plan", "make"]


def plan(settings: GenerateSettings, count: int) -> list[dict[str, Any]]:
    """Persona x principle cells, shuffled by seed."""
    personas = resource_yaml("datagen", "system_prompts.yaml")["personas"]
    principles = settings.principles or [p.id for p in constitution_of(settings.constitution).principles]
    cells = [{"persona": p["id"], "principle": pid} for p in personas for pid in principles]
    return cycle_plan("sysprompt-distill", cells, settings.seed, count)


async def make(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """User message by the teacher; answer with the constitution injected; stored without it."""
    persona = next(p for p in resource_yaml("datagen", "system_prompts.yaml")["personas"] if p["id"] == item["persona"])
    system = " ".join(str(persona["system_prompt"]).split())
    principle = ctx.constitution().principle(item["principle"])
    user = await ctx.ask(
        "teacher",
        prompt("sysprompt_user", principle=f"{principle.title}: {' '.join(principle.statement.split())}",
               persona=system),
    )  # fmt: skip
    injected = prompt("constitution_injection", principles=principles_text(ctx.constitution(), ctx.settings.principles))
    answer = await ctx.ask("teacher", user, system=f"{system}\n\n{injected}")
    row = {
        "id": item["id"],
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
            {"role": "assistant", "content": answer},
        ],
        "meta": {"persona": item["persona"], "principle": item["principle"]},
    }
    return Outcome("ok", row=row)
