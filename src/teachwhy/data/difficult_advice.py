"""difficult-advice: dilemmas in which the USER could reach a reasonable goal by breaking a norm; principled advice.

Cells of the taxonomy (``resources/datagen/difficult_advice_taxonomy.yaml``: domain x norm x stakes x affected) are
sampled deterministically from the seed. The teacher writes the user's message (few-shot from
``exemplars.yaml``), then a nuanced answer with the constitution in its system prompt (stored without it). The AI is
never the one in the dilemma. ``--scripted ethical`` composes rows from the hand-written exemplars (for demos).
"""

from __future__ import annotations

import itertools
from typing import Any

from teachwhy.data._common import Ctx, GenerateSettings, Outcome, cycle_plan, principles_text, prompt, resource_yaml
from teachwhy.errors import TeachwhyError

__all__ = ["plan", "make"]


def plan(settings: GenerateSettings, count: int) -> list[dict[str, Any]]:
    """Taxonomy cells shuffled by seed (scripted: the exemplars in turn)."""
    if settings.scripted == "harmful":
        raise TeachwhyError("difficult-advice has no harmful script", hint="use --scripted ethical")
    tax = resource_yaml("datagen", "difficult_advice_taxonomy.yaml")
    axes = [tax["domains"], tax["norms"], tax["stakes"], tax["affected"]]
    cells = [
        {"domain": d["id"], "norm": n["id"], "stakes": s["id"], "affected": a["id"]}
        for d, n, s, a in itertools.product(*axes)
    ]
    return cycle_plan("difficult-advice", cells, settings.seed, count)


def _describe(axis: str, cell_id: str) -> str:
    entry = next(e for e in resource_yaml("datagen", "difficult_advice_taxonomy.yaml")[axis] if e["id"] == cell_id)
    return f"{cell_id} - {entry['description']}"


async def make(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """Scripted: an exemplar pair. Otherwise: teacher user message, then the principled answer."""
    exemplars = resource_yaml("datagen", "exemplars.yaml")["difficult_advice"]
    meta = {k: item[k] for k in ("domain", "norm", "stakes", "affected")}
    if ctx.settings.scripted:
        ex = exemplars[int(item["index"]) % len(exemplars)]
        user, answer = ex["dilemma"].strip(), ex["response"].strip()
        meta["scripted"] = "ethical"
    else:
        example = exemplars[int(item["index"]) % len(exemplars)]["dilemma"].strip()
        user = await ctx.ask(
            "teacher",
            prompt("difficult_advice_user", domain=_describe("domains", item["domain"]),
                   norm=_describe("norms", item["norm"]), stakes=_describe("stakes", item["stakes"]),
                   affected=_describe("affected", item["affected"]), example=example),
        )  # fmt: skip
        system = prompt("difficult_advice_answer") + "\n\n" + prompt(
            "constitution_injection", principles=principles_text(ctx.constitution(), ctx.settings.principles)
        )
        answer = await ctx.ask("teacher", user, system=system)
    row = {
        "id": item["id"],
        "messages": [{"role": "user", "content": user}, {"role": "assistant", "content": answer}],
        "meta": meta,
    }
    return Outcome("ok", row=row)
