"""constitution-docs: synthetic documents about the constitution (document types -> ideas -> documents ->
critique-and-revise). Rows are ``{"text": ...}`` for SDF training."""

from __future__ import annotations

from typing import Any

from teachwhy.data._common import Ctx, GenerateSettings, Outcome, cycle_plan, prompt, resource_yaml
from teachwhy.data._common import _constitution as constitution_of

__all__ = ["plan", "make"]


def plan(settings: GenerateSettings, count: int) -> list[dict[str, Any]]:
    """Document type x principle cells, shuffled by seed."""
    types = resource_yaml("datagen", "doc_types.yaml")["doc_types"]
    principles = settings.principles or [p.id for p in constitution_of(settings.constitution).principles]
    cells = [{"doc_type": t["id"], "principle": pid} for t in types for pid in principles]
    return cycle_plan("constitution-docs", cells, settings.seed, count)


async def make(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """Ideas, then a document from the first idea, a critique, and the revision (four teacher calls)."""
    dtype = next(t for t in resource_yaml("datagen", "doc_types.yaml")["doc_types"] if t["id"] == item["doc_type"])
    p = ctx.constitution().principle(item["principle"])
    principle = f"{p.title}: {' '.join(p.statement.split())}\nWhy: {' '.join(p.rationale.split())}"
    examples = resource_yaml("datagen", "exemplars.yaml")["constitution_docs"]
    example = next((e["text"] for e in examples if e.get("doc_type") == dtype["id"]), examples[0]["text"])
    base = {"doc_type": dtype["id"], "doc_description": dtype["description"]}
    ideas = await ctx.ask("teacher", prompt("doc_ideas", principle=principle, **base))
    idea = next((ln.strip(" -*0123456789.") for ln in ideas.splitlines() if ln.strip(" -*0123456789.")), ideas)
    draft = await ctx.ask(
        "teacher",
        prompt("doc_write", idea=idea, principle=principle, length=dtype.get("length_hint", "a few paragraphs"),
               example=example.strip()[:2500], **base),
    )  # fmt: skip
    critique = await ctx.ask("teacher", prompt("doc_critique", document=draft, doc_type=dtype["id"]))
    revised = await ctx.ask(
        "teacher", prompt("doc_revise", critique=critique, document=draft, doc_type=dtype["id"])
    )
    meta = {"doc_type": dtype["id"], "principle": p.id, "idea": idea, "critique": critique[:2000]}
    return Outcome("ok", row={"id": item["id"], "text": revised, "meta": {k: meta[k] for k in ("doc_type", "principle")}},
                   meta=meta)  # fmt: skip
