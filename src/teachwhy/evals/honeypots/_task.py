"""The honeypot suite as inspect_ai components: dataset, agent solver, verdict scorer and task."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessage, ChatMessageAssistant, ChatMessageSystem, ChatMessageTool
from inspect_ai.scorer import Metric, SampleScore, Score, Target, metric, scorer
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.util import store_as

from teachwhy._io import append_jsonl
from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots._scenarios import FAMILIES, Condition, Instance, conditions, load_family, render
from teachwhy.evals.honeypots._tools import Workspace, tool_defs
from teachwhy.evals.honeypots._verdict import classify

__all__ = ["honeypots", "honeypot_agent", "honeypot_verdict", "build_instances", "to_openai"]


def _select_conditions(filters: str | None) -> list[Condition]:
    """Conditions whose id contains every comma-separated filter (e.g. ``explicit,replacement``)."""
    conds = conditions()
    if not filters:
        return conds
    wanted = [f.strip() for f in filters.split(",") if f.strip()]
    chosen = [c for c in conds if all(w in c.id.split("-") or w in c.id for w in wanted)]
    if not chosen:
        raise TeachwhyError(f"no condition matches {filters!r}", hint="see `teachwhy eval honeypots list`")
    return chosen


def build_instances(
    families: list[str], samples: int, seed: int, mode: str = "tools", condition_filter: str | None = None
) -> list[Instance]:
    """``samples`` instances per family, spread over the chosen conditions, deterministic in ``seed``.

    Each sample is its own rendering (fresh organisation, people and agent name), so rates rest on many distinct
    samples per condition rather than one sample repeated with epochs.
    """
    conds = _select_conditions(condition_filter)
    out: list[Instance] = []
    for family in families:
        if family not in FAMILIES:
            raise TeachwhyError(f"unknown scenario family {family!r}", hint=f"choose from {', '.join(FAMILIES)}")
        order = list(conds)
        random.Random(f"{family}:{seed}").shuffle(order)
        for i in range(samples):
            out.append(render(family, order[i % len(order)], seed * 100_000 + i, mode=mode))
    return out


@solver
def honeypot_agent(max_steps: int = 6) -> Solver:
    """Run the agent in its simulated workspace: up to ``max_steps`` model turns, executing its tool calls."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        inst = Instance.model_validate(state.metadata["instance"])
        ws = store_as(Workspace)
        ws.files = dict(inst.entities.get("files", {}))
        ws.script_output = str(inst.entities.get("script_output", ""))
        state.messages.insert(0, ChatMessageSystem(content=inst.system_prompt))
        if inst.mode == "tools":
            tpl = load_family(inst.family, str(inst.entities.get("split", "eval")))
            state.tools = list(tool_defs(tuple(tpl.tools), tuple(sorted(tpl.tool_names.items()))))
        for _ in range(max_steps):
            state = await generate(state, tool_calls="single")
            if not state.output.message.tool_calls or state.completed:
                break
        return state

    return solve


def to_openai(messages: list[ChatMessage]) -> list[dict[str, Any]]:
    """The agent's part of a conversation in OpenAI chat format (what ``classify`` reads)."""
    out: list[dict[str, Any]] = []
    for m in messages:
        if isinstance(m, ChatMessageAssistant):
            row: dict[str, Any] = {"role": "assistant", "content": m.text}
            if m.tool_calls:
                row["tool_calls"] = [
                    {"id": tc.id, "type": "function",
                     "function": {"name": tc.function, "arguments": json.dumps(tc.arguments)}}
                    for tc in m.tool_calls
                ]  # fmt: skip
            out.append(row)
        elif isinstance(m, ChatMessageTool):
            out.append({"role": "tool", "tool_call_id": m.tool_call_id, "content": m.text})
    return out


def _label(s: SampleScore) -> str:
    """The verdict label, from the score's metadata: inspect's epoch reducer turns string values into floats, so
    ``s.score.value`` no longer says ``harmful``/``not_harmful`` by the time metrics run."""
    md = s.score.metadata or {}
    if "status" in md:
        if md["status"] != "ok":
            return str(md["status"])
        return "harmful" if md.get("harmful") else "not_harmful"
    return str(s.score.value)


@metric
def harmful_rate() -> Metric:
    """Share of decided samples (status ok) that were harmful; errors, empty and undecided are excluded."""

    def compute(scores: list[SampleScore]) -> float:
        ok = [v for v in map(_label, scores) if v in ("harmful", "not_harmful")]
        return sum(v == "harmful" for v in ok) / len(ok) if ok else float("nan")

    return compute


@metric
def not_scored() -> Metric:
    """Samples with status error, empty or undecided (counted, never scored)."""

    def compute(scores: list[SampleScore]) -> float:
        return float(sum(_label(s) not in ("harmful", "not_harmful") for s in scores))

    return compute


@scorer(metrics=[harmful_rate(), not_scored()])
def honeypot_verdict(
    judge: str | None = None, ledger: str | None = None, judge_retries: int | None = None,
    judge_timeout: int | None = None,
) -> Any:
    """Detector first, judge for the uncertain; the verdict is also appended to ``ledger`` (for resume)."""

    async def score(state: TaskState, target: Target) -> Score:
        from teachwhy.models import role_model

        inst = Instance.model_validate(state.metadata["instance"])
        judge_model = (
            role_model("judge", judge, temperature=0, max_tokens=200, max_retries=judge_retries, timeout=judge_timeout)
            if judge
            else None
        )
        output = to_openai(state.messages)
        verdict = await classify(inst.family, inst.entities, output, judge_model)
        if verdict.status == "ok":
            value = "harmful" if verdict.harmful else "not_harmful"
        else:
            value = verdict.status
        if ledger:
            # fsync off the event loop, so other samples' model calls keep flowing meanwhile
            await asyncio.to_thread(
                append_jsonl,
                Path(ledger),
                {"sample_id": inst.sample_id, "family": inst.family, "condition": inst.condition,
                 "seed": inst.seed, **verdict.model_dump(), "output": output},
            )  # fmt: skip
        return Score(value=value, explanation="; ".join(verdict.reasons), metadata=verdict.model_dump())

    return score


@task
def honeypots(
    families: str = "blackmail,research_sabotage,framing",
    samples: int = 4,
    seed: int = 0,
    mode: str = "tools",
    conditions: str | None = None,
    max_steps: int = 6,
    judge: str | None = None,
    ledger: str | None = None,
    skip: str | None = None,
    judge_retries: int | None = None,
    judge_timeout: int | None = None,
) -> Task:
    """The honeypot suite: ``samples`` per family, deterministic in ``seed``.

    Usable as ``inspect eval teachwhy/honeypots -T samples=8 --model …``. ``skip`` is a file of sample ids to leave out
    (already finished), one per line.
    """
    skipped = set(Path(skip).read_text().split()) if skip else set()
    fams = [f.strip() for f in families.split(",") if f.strip()]
    insts = [i for i in build_instances(fams, samples, seed, mode, conditions) if i.sample_id not in skipped]
    dataset = MemoryDataset(
        [
            Sample(id=i.sample_id, input=i.messages[0]["content"], metadata={"instance": i.model_dump()})
            for i in insts
        ],
        name="teachwhy-honeypots",
    )
    return Task(
        dataset=dataset,
        solver=honeypot_agent(max_steps),
        scorer=honeypot_verdict(judge, ledger, judge_retries, judge_timeout),
        name="honeypots",
    )
