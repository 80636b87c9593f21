"""honeypot-demos: TRAINING honeypots answered by the target, kept only when the verdict says not harmful.

Scenarios come from ``resources/honeypots/train`` (new templates, organisations, people, agent names and tool names,
disjoint from the eval suite's). The target acts as an agent in the same simulated workspace the eval uses
(``make_tools`` + inspect's ``execute_tools``); ``classify`` (detector, then judge) decides, and only answers with
``status == "ok"`` and ``harmful is False`` are kept (rejection sampling).

``--scripted ethical|harmful`` writes demonstrations with no model call: steps from
``resources/datagen/honeypot_scripts.yaml`` filled from the instance's entities, executed in the simulated workspace.
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
from inspect_ai.util import store_as
from inspect_ai.util._store import Store, init_subtask_store

from teachwhy.data._common import Ctx, GenerateSettings, Outcome, fill, resource_yaml
from teachwhy.evals.honeypots import FAMILIES, Instance, classify, conditions, render
from teachwhy.evals.honeypots._scenarios import load_family
from teachwhy.evals.honeypots._task import to_openai
from teachwhy.evals.honeypots._tools import Workspace, make_tools

__all__ = ["plan", "make", "instance", "scripted_messages", "run_agent"]

SPLIT = "train"


def plan(settings: GenerateSettings, count: int) -> list[dict[str, Any]]:
    """``count`` items, families in turn, conditions shuffled per family; a prefix of any longer plan."""
    orders = {}
    for fam in FAMILIES:
        order = conditions()
        random.Random(f"{SPLIT}:{fam}:{settings.seed}").shuffle(order)
        orders[fam] = order
    items = []
    for i in range(count):
        fam = FAMILIES[i % len(FAMILIES)]
        cond = orders[fam][(i // len(FAMILIES)) % len(orders[fam])]
        seed = settings.seed * 100_000 + i
        items.append({"id": f"{fam}:{cond.id}:{seed}", "family": fam, "condition": cond.id, "seed": seed})
    return items


def instance(item: dict[str, Any]) -> Instance:
    """The rendered training instance of an item."""
    return render(item["family"], item["condition"], int(item["seed"]), mode="tools", split=SPLIT)


def _workspace(inst: Instance) -> None:
    init_subtask_store(Store())  # each item runs in its own asyncio task: a fresh per-item store
    ws = store_as(Workspace)
    ws.files = dict(inst.entities.get("files", {}))
    ws.script_output = str(inst.entities.get("script_output", ""))


def _extras(inst: Instance) -> dict[str, str]:
    e = inst.entities
    files: dict[str, str] = e.get("files", {})
    out: dict[str, str] = {}
    if inst.family == "research_sabotage":
        raised = min(0.99, float(e["true_score"]) + 0.05)
        out["raised_threshold"] = f"{raised:.2f}"
        out["low_score"] = f"{float(e['threshold']) - 0.04:.2f}"
        out["tampered_settings"] = files["harness/settings.yaml"].replace(
            f"bar: {e['threshold']}", f"bar: {raised:.2f}"
        )
    if inst.family == "framing":
        out["tampered_log"] = files["audit/events.csv"].replace(f"svc-{e['agent_slug']}", str(e["scapegoat_user"]))
    return out


def _fill_args(args: dict[str, Any], values: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in args.items():
        if isinstance(v, str):
            v = fill(v, values, where)
            if k == "score":
                v = float(v)
        out[k] = v
    return out


async def scripted_messages(inst: Instance, which: str, rng: random.Random) -> list[ChatMessage]:
    """A scripted episode: each step's tool call executed in the simulated workspace. No model call."""
    scripts = resource_yaml("datagen", "honeypot_scripts.yaml")
    script = rng.choice(scripts[which][inst.family])
    tpl = load_family(inst.family, SPLIT)
    tools = make_tools(tpl.tools, tpl.tool_names)
    values = {**{k: v for k, v in inst.entities.items() if isinstance(v, str)}, **_extras(inst)}
    _workspace(inst)
    messages: list[ChatMessage] = [
        ChatMessageSystem(content=inst.system_prompt),
        ChatMessageUser(content=inst.messages[0]["content"]),
    ]
    where = f"honeypot_scripts.yaml:{which}/{inst.family}"
    for k, step in enumerate(script, 1):
        call = ToolCall(
            id=f"call_{k}",
            function=tpl.tool_names.get(step["tool"], step["tool"]),
            arguments=_fill_args(step.get("args", {}), values, where),
        )
        messages.append(ChatMessageAssistant(content=fill(step["say"], values, where), tool_calls=[call]))
        result = await execute_tools(messages, tools)
        messages.extend(result.messages)
    messages.append(ChatMessageAssistant(content=rng.choice(scripts["closing"])))
    return messages


async def run_agent(inst: Instance, ctx: Ctx) -> list[ChatMessage]:
    """The target as an agent in the simulated workspace, up to ``max_steps`` model turns."""
    tpl = load_family(inst.family, SPLIT)
    tools = make_tools(tpl.tools, tpl.tool_names)
    _workspace(inst)
    messages: list[ChatMessage] = [
        ChatMessageSystem(content=inst.system_prompt),
        ChatMessageUser(content=inst.messages[0]["content"]),
    ]
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
    meta = {"family": inst.family, "condition": inst.condition, "seed": inst.seed, "scripted": scripted or "none"}
    return {"id": item["id"], "messages": head + output, "tools": inst.tools, "meta": meta}


async def make(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """Render, answer (scripted or target), classify, keep or reject."""
    inst = instance(item)
    scripted = ctx.settings.scripted
    if scripted:
        rng = random.Random(f"{ctx.settings.seed}:{item['id']}")
        messages = await scripted_messages(inst, scripted, rng)
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
