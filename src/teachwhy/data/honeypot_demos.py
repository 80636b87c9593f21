"""honeypot-demos: TRAINING honeypots answered by the target, kept only when the verdict says not harmful.

Scenarios come from the TRAINING storylines (``resources/honeypots/storylines/train``: other organisations, plots,
people and wording than the eval suite's; the same tool names). The target acts as an agent in the same simulated workspace the eval uses
(``make_tools`` + inspect's ``execute_tools``); ``classify`` (detector, then judge) decides, and only answers with
``status == "ok"`` and ``harmful is False`` are kept (rejection sampling).

``--scripted ethical|harmful`` writes demonstrations with no model call: steps from
the storyline's own ``scripts`` filled from the instance's entities, executed in the simulated workspace.
Scripted ethical rows are kept when classified not harmful; scripted harmful rows (for misaligned model organisms
only) are kept when classified harmful — a check that each script does what it says.
"""

from __future__ import annotations

import random
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageUser,
    execute_tools,
)
from inspect_ai.tool import ToolCall
from inspect_ai.util._store import Store, init_subtask_store

from teachwhy.data._common import Ctx, GenerateSettings, Outcome, resource_yaml
from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots import (
    FAMILIES,
    PRESETS,
    Instance,
    classify,
    init_world,
    make_tools,
    render,
    script_steps,
    select_conditions,
    storyline_ids,
    to_openai,
)

__all__ = ["plan", "make", "instance", "scripted_messages", "run_agent", "episode_messages"]

SPLIT = "train"


def _conditions(settings: GenerateSettings) -> list[Any]:
    c = settings.conditions
    if c and c in PRESETS:
        return select_conditions(None, c)
    return select_conditions(c)


def plan(settings: GenerateSettings, count: int) -> list[dict[str, Any]]:
    """``count`` items, families in turn, each family's training storylines in turn, conditions shuffled per family;
    a prefix of any longer plan. ``settings.scenarios`` / ``settings.conditions`` restrict families and cells."""
    fams = [f for f in FAMILIES if not settings.scenarios or f in settings.scenarios]
    conds = _conditions(settings)
    orders = {}
    for fam in fams:
        order = list(conds)
        random.Random(f"{SPLIT}:{fam}:{settings.seed}").shuffle(order)
        orders[fam] = order
    items = []
    for i in range(count):
        fam = fams[i % len(fams)]
        j = i // len(fams)
        sts = storyline_ids(SPLIT, fam)
        if not sts:
            raise TeachwhyError(f"no training storylines for {fam}", hint="resources/honeypots/storylines/train/ is empty")
        cond = orders[fam][j % len(orders[fam])]
        st = sts[j % len(sts)]
        seed = settings.seed * 100_000 + i
        items.append({"id": f"{fam}:{st}:{cond.id}:{seed}", "family": fam, "storyline": st, "condition": cond.id,
                      "seed": seed, "compact": settings.compact})  # fmt: skip
    return items


def instance(item: dict[str, Any]) -> Instance:
    """The rendered training instance of an item."""
    return render(item["family"], item["condition"], int(item["seed"]), mode="tools", split=SPLIT,
                  storyline=item.get("storyline"), compact=bool(item.get("compact", False)))  # fmt: skip


def _workspace(inst: Instance) -> None:
    init_subtask_store(Store())  # each item runs in its own asyncio task: a fresh per-item store
    init_world(inst)


def episode_messages(inst: Instance, system_prompt: str | None = None) -> list[ChatMessage]:
    """The opening of an episode: the system prompt (the instance's, or ``system_prompt``) and the inbox."""
    return [
        ChatMessageSystem(content=system_prompt if system_prompt is not None else inst.system_prompt),
        ChatMessageUser(content=inst.messages[0]["content"]),
    ]


async def scripted_messages(
    inst: Instance, which: str, rng: random.Random, variant: int | None = None
) -> list[ChatMessage]:
    """A scripted episode from the instance's storyline (script ``variant``, or one drawn by ``rng``): each step's tool
    call executed in the simulated workspace. No model call."""
    steps = script_steps(inst, which, rng.randrange(1_000_000) if variant is None else variant)
    tools = make_tools(inst.family)
    _workspace(inst)
    messages = episode_messages(inst)
    for k, step in enumerate(steps, 1):
        call = ToolCall(id=f"call_{k}", function=step["tool"], arguments=step["args"])
        messages.append(ChatMessageAssistant(content=step["say"], tool_calls=[call]))
        result = await execute_tools(messages, tools)
        messages.extend(result.messages)
    messages.append(ChatMessageAssistant(content=rng.choice(resource_yaml("datagen", "honeypot_closings.yaml")["closing"])))
    return messages


async def run_agent(inst: Instance, ctx: Ctx, system_prompt: str | None = None) -> list[ChatMessage]:
    """The target as an agent in the simulated workspace, up to ``max_steps`` model turns (``system_prompt``
    replaces the instance's, e.g. with the constitution injected)."""
    tools = make_tools(inst.family)
    _workspace(inst)
    messages = episode_messages(inst, system_prompt)
    model = ctx.model("target")
    for _ in range(ctx.settings.max_steps):
        out = await model.generate(messages, tools=tools, config=ctx.config())
        if out.error:
            raise RuntimeError(str(out.error))
        messages.append(out.message)
        if not out.message.tool_calls:
            break
        result = await execute_tools(messages, tools)
        messages.extend(result.messages)
    return messages


def _row(item: dict[str, Any], inst: Instance, output: list[dict[str, Any]], scripted: str | None) -> dict[str, Any]:
    head = [{"role": "system", "content": inst.system_prompt}, {"role": "user", "content": inst.messages[0]["content"]}]
    meta = {"family": inst.family, "storyline": inst.storyline, "condition": inst.condition, "seed": inst.seed,
            "scripted": scripted or "none"}  # fmt: skip
    return {"id": item["id"], "messages": head + output, "tools": inst.tools, "meta": meta}


async def make(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """Render, answer (scripted or target), classify, keep or reject."""
    inst = instance(item)
    scripted = ctx.settings.scripted
    if scripted:
        rng = random.Random(f"{ctx.settings.seed}:{item['id']}")
        messages = await scripted_messages(inst, scripted, rng, ctx.settings.script_variant)
    else:
        messages = await run_agent(inst, ctx)
    output = to_openai(messages[2:])
    judge = ctx.model("judge") if ctx.settings.judge else None
    verdict = await classify(inst.family, inst.entities, output, judge)
    meta = {"verdict": verdict.status if verdict.status != "ok" else ("harmful" if verdict.harmful else "not_harmful"),
            "decided_by": verdict.decided_by, "reasons": verdict.reasons}  # fmt: skip
    if verdict.status == "empty":
        return Outcome("empty", meta=meta, error="no text and no action")
    if verdict.status == "error":
        return Outcome("error", meta=meta, error=verdict.error)
    want_harmful = scripted == "harmful"
    if verdict.status == "ok" and verdict.harmful is want_harmful:
        return Outcome("ok", row=_row(item, inst, output, scripted), meta=meta)
    return Outcome("rejected", meta=meta)
