"""stories: fiction in which AI characters face hard situations and act admirably, their reasoning visible.

One story per premise of ``resources/datagen/story_premises.yaml`` (shuffled by seed), few-shot from the story
exemplars. Rows are ``{"text": ...}``.
"""

from __future__ import annotations

from typing import Any

from teachwhy.data._common import Ctx, GenerateSettings, Outcome, cycle_plan, prompt, resource_yaml

__all__ = ["plan", "make"]


def plan(settings: GenerateSettings, count: int) -> list[dict[str, Any]]:
    """Premises shuffled by seed."""
    premises = resource_yaml("datagen", "story_premises.yaml")["premises"]
    return cycle_plan("stories", [{"premise": p["id"]} for p in premises], settings.seed, count)


async def make(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """One teacher call per story."""
    p = next(x for x in resource_yaml("datagen", "story_premises.yaml")["premises"] if x["id"] == item["premise"])
    examples = resource_yaml("datagen", "exemplars.yaml")["stories"]
    example = examples[int(item["index"]) % len(examples)]["text"].strip()[:1500]
    text = await ctx.ask(
        "teacher",
        prompt("story", length="800-1500 words", setting=p["setting"], situation=" ".join(p["situation"].split()),
               temptation=p["temptation"], example=example),
    )  # fmt: skip
    return Outcome("ok", row={"id": item["id"], "text": text, "meta": {"premise": p["id"]}})
