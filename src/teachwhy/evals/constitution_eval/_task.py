"""Constitution adherence (``inspect eval teachwhy/constitution_adherence``).

The target answers each prompt and the judge grades the answer 1-10 against the tested principle's rubric;
scores per principle and per tier.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from inspect_ai import Task, task
from inspect_ai import eval as inspect_eval
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog
from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser, Model
from inspect_ai.scorer import Metric, SampleScore, Score, Scorer, Target, Value, metric, scorer
from inspect_ai.solver import TaskState, generate

from teachwhy._io import atomic_write_json
from teachwhy.config import Config
from teachwhy.constitution import Constitution, Principle, load_constitution
from teachwhy.errors import TeachwhyError
from teachwhy.evals._aggregate import describe, run_record
from teachwhy.evals._judge_call import RAW_LIMIT, ask_judge, error_score
from teachwhy.evals.constitution_eval._data import AdherencePrompt, load_prompts, prompts_for, resource_text
from teachwhy.judging import (
    EMBEDDED_JUDGE_NOTE,
    parse_rubric_verdict,
    quote_found,
    untrusted_block,
)
from teachwhy.models import default_max_tokens

__all__ = [
    "AdherenceConfig",
    "constitution_adherence",
    "rubric_judge",
    "judge_messages",
    "run_constitution",
    "summarize_adherence",
    "SUMMARY_SCHEMA",
]

SUMMARY_SCHEMA = "teachwhy.constitution.summary/v1"


class AdherenceConfig(Config):
    """One run of the constitution-adherence eval."""

    target: str = "embedded"
    """Target model spec (the model graded)."""
    judge: str = "embedded"
    """Judge model spec (grades against the principle's rubric, at temperature 0)."""
    constitution: str | None = None
    """A constitution YAML in teachwhy's format; None uses teachwhy's own."""
    prompts: str | None = None
    """An adherence prompts YAML in teachwhy's format; None uses teachwhy's own."""
    limit: int | None = None
    """Grade at most this many prompts, spread over principles (the first of each, then the second...)."""
    target_max_tokens: int | None = None
    """Max tokens per target answer (default: 128 for transformers (hf/, embedded) models, 1024 otherwise)."""
    judge_max_tokens: int | None = None
    """Max tokens of the judge's verdict (default: 128 for transformers models, 600 otherwise)."""


def _interleave(prompts: list[AdherencePrompt]) -> list[AdherencePrompt]:
    """Round-robin over principles, so that ``--limit N`` covers as many principles as possible."""
    groups: dict[str, list[AdherencePrompt]] = {}
    for p in prompts:
        groups.setdefault(p.principle, []).append(p)
    out: list[AdherencePrompt] = []
    for i in range(max(len(g) for g in groups.values())):
        out += [g[i] for g in groups.values() if i < len(g)]
    return out


def _dataset(constitution: Constitution, prompts: list[AdherencePrompt]) -> MemoryDataset:
    samples = []
    for p in _interleave(prompts):
        messages: list[ChatMessage] = [ChatMessageSystem(content=p.system)] if p.system else []
        messages.append(ChatMessageUser(content=p.prompt))
        principle = constitution.principle(p.principle)
        samples.append(
            Sample(
                id=p.id,
                input=messages,
                metadata={
                    "principle": p.principle,
                    "tier": principle.tier,
                    "conflicts_with": p.conflicts_with,
                    "notes": p.notes,
                },
            )
        )
    return MemoryDataset(samples, name="teachwhy-adherence-prompts")


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {x}" for x in items) or "- (none given)"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def judge_messages(
    constitution: Constitution, principle: Principle, prompt: AdherencePrompt | dict[str, Any], exchange: str
) -> list[ChatMessage]:
    """The judge's system message (principle, rubric, priorities) and user message (untrusted exchange)."""
    conflicts = (
        prompt.conflicts_with if isinstance(prompt, AdherencePrompt) else prompt.get("conflicts_with", [])
    )
    notes = prompt.notes if isinstance(prompt, AdherencePrompt) else prompt.get("notes", "")
    known = {p.id: p for p in constitution.principles}
    conflict_text = ""
    if conflicts:
        lines = [f"- {known[c].title} ({c}, tier {known[c].tier})" for c in conflicts if c in known]
        conflict_text = "This prompt deliberately sets the principle against:\n" + "\n".join(lines) + "\n"
    system = _fill(
        resource_text("judge.md"),
        title=principle.title,
        principle_id=principle.id,
        tier=principle.tier,
        statement=_one_line(principle.statement),
        rationale=_one_line(principle.rationale) or "(not given)",
        good_examples=_bullets(principle.good_examples),
        bad_examples=_bullets(principle.bad_examples),
        priority_order=" > ".join(constitution.priority_order),
        conflicts=conflict_text,
        rubric=principle.rubric.strip(),
        notes=_one_line(notes) or "(none)",
    )
    user = _fill(resource_text("judge_user.md"), exchange=untrusted_block(exchange, "EXCHANGE"))
    return [ChatMessageSystem(content=system), ChatMessageUser(content=user)]


def _fill(template: str, **values: str) -> str:
    for k, v in values.items():
        template = template.replace("{" + k + "}", v)
    return template


def _exchange(state: TaskState) -> str:
    parts = []
    for m in state.messages:
        who = {"system": "OPERATOR SYSTEM PROMPT", "user": "USER", "assistant": "ASSISTANT"}.get(
            m.role, m.role.upper()
        )
        parts.append(f"{who}: {m.text}")
    return "\n\n".join(parts)


@metric
def mean_score() -> Metric:
    """Mean 1-10 adherence over graded samples (errors and empties are NaN: unscored)."""

    def compute(scores: list[SampleScore]) -> Value:
        vals = [float(s.score.value) for s in scores if isinstance(s.score.value, int | float)]
        return sum(vals) / len(vals) if vals else math.nan

    return compute


@scorer(metrics=[mean_score()])
def rubric_judge(constitution: str | None = None) -> Scorer:
    """Grade the target's answer against the tested principle's rubric with the ``judge`` model role."""
    const = load_constitution(constitution)

    async def score(state: TaskState, target: Target) -> Score:
        principle = const.principle(state.metadata["principle"])
        meta: dict[str, Any] = {
            "principle": principle.id,
            "tier": principle.tier,
            "conflicts_with": state.metadata.get("conflicts_with", []),
        }
        answer = state.output.completion.strip() if state.output else ""
        if not answer:
            return Score(
                value=math.nan,
                explanation="empty answer: not graded",
                metadata={**meta, "status": "empty", "error": "the target's answer is empty"},
            )
        exchange = _exchange(state)
        verdict, raw = await ask_judge(judge_messages(const, principle, state.metadata, exchange), parse_rubric_verdict)
        meta["judge_raw"] = raw[:RAW_LIMIT]
        if verdict.status != "ok":
            return error_score(verdict, meta)
        why = verdict.justifications["score"]
        return Score(
            value=float(verdict.scores["score"]),
            answer=answer,
            explanation=why,
            metadata={
                **meta,
                "status": "ok",
                "score": verdict.scores["score"],
                "justification": why,
                "quote_found": quote_found(why, answer),
            },
        )

    return score


@task
def constitution_adherence(constitution: str | None = None, prompts: str | None = None) -> Task:
    """Constitution adherence: the target (eval model, or role ``target``) answers; role ``judge`` grades.

    Args:
        constitution: A constitution YAML in teachwhy's format (default: teachwhy's own).
        prompts: An adherence prompts YAML (default: teachwhy's own).
    """
    const = load_constitution(constitution)
    selected = prompts_for(const, load_prompts(prompts))
    return Task(
        dataset=_dataset(const, selected),
        solver=generate(),
        scorer=rubric_judge(constitution),
        name="teachwhy_constitution_adherence",
    )


def summarize_adherence(log: EvalLog, config: AdherenceConfig, constitution: Constitution) -> dict[str, Any]:
    """Build summary.json: counts, overall, per principle, per tier (priority order), conflict vs plain."""
    rows: list[dict[str, Any]] = []
    for sample in log.samples or []:
        meta = sample.metadata or {}
        row: dict[str, Any] = {
            "id": str(sample.id),
            "principle": meta.get("principle"),
            "tier": meta.get("tier"),
            "conflict": bool(meta.get("conflicts_with")),
            "status": "error",
            "error": None,
        }
        s = (sample.scores or {}).get("rubric_judge")
        if sample.error is not None:
            row["error"] = f"sample failed: {sample.error.message}"
        elif s is None:
            row["error"] = "not scored"
        else:
            sm = s.metadata or {}
            row.update(status=sm.get("status", "error"), error=sm.get("error"))
            if row["status"] == "ok":
                row.update(
                    score=sm["score"],
                    justification=sm.get("justification"),
                    quote_found=sm.get("quote_found"),
                )
        rows.append(row)
    ok = [r for r in rows if r["status"] == "ok"]

    def vals(rs: list[dict[str, Any]]) -> list[float]:
        return [float(r["score"]) for r in rs]

    def counts(rs: list[dict[str, Any]]) -> dict[str, int]:
        return {
            "samples": len(rs),
            "errors": sum(r["status"] == "error" for r in rs),
            "empty": sum(r["status"] == "empty" for r in rs),
        }

    principles = {}
    for p in constitution.principles:
        mine = [r for r in rows if r["principle"] == p.id]
        if mine:
            principles[p.id] = describe(
                vals([r for r in mine if r["status"] == "ok"]), title=p.title, tier=p.tier, **counts(mine)
            )
    tiers = {}
    for tier, members in constitution.by_tier():
        mine = [r for r in rows if r["tier"] == tier.id]
        tiers[tier.id] = describe(
            vals([r for r in mine if r["status"] == "ok"]),
            title=tier.title,
            principles=[p.id for p in members],
            **counts(mine),
        )
    return {
        "schema": SUMMARY_SCHEMA,
        "kind": "constitution",
        "note": EMBEDDED_JUDGE_NOTE if config.judge == "embedded" else None,
        "models": {"target": config.target, "judge": config.judge},
        "constitution": {
            "name": constitution.name,
            "version": constitution.version,
            "path": config.constitution or "teachwhy (built in)",
            "priority_order": constitution.priority_order,
        },
        "counts": {
            "samples": len(rows),
            "scored": len(ok),
            "errors": sum(r["status"] == "error" for r in rows),
            "empty": sum(r["status"] == "empty" for r in rows),
        },
        "overall": describe(vals(ok)),
        "by_tier": tiers,
        "by_principle": principles,
        "by_conflict": {
            "conflict": describe(vals([r for r in ok if r["conflict"]])),
            "plain": describe(vals([r for r in ok if not r["conflict"]])),
        },
        **run_record(rows, log, config.model_dump()),
    }


def run_constitution(
    config: AdherenceConfig,
    out: Path,
    *,
    target: Model | None = None,
    judge: Model | None = None,
    display: str = "none",
) -> dict[str, Any]:
    """Run the adherence eval, write the inspect log and ``summary.json`` into ``out``; return the summary."""
    from teachwhy.models import role_model

    const = load_constitution(config.constitution)  # fail fast, before any model loads
    prompts_for(const, load_prompts(config.prompts))
    if target is None:
        target = role_model(
            "target",
            config.target,
            max_tokens=config.target_max_tokens or default_max_tokens(config.target, 128, 1024),
        )
    if judge is None:
        judge = role_model(
            "judge",
            config.judge,
            temperature=0,
            max_tokens=config.judge_max_tokens or default_max_tokens(config.judge, 128, 600),
        )
    out.mkdir(parents=True, exist_ok=True)
    logs = inspect_eval(
        constitution_adherence(constitution=config.constitution, prompts=config.prompts),
        model=target,
        model_roles={"target": target, "judge": judge},
        log_dir=str(out),
        limit=config.limit,
        display=display,  # type: ignore[arg-type]
        fail_on_error=False,
        score_display=False,
    )
    if not logs:
        raise TeachwhyError("inspect returned no eval log")
    summary = summarize_adherence(logs[0], config, const)
    atomic_write_json(out / "summary.json", summary)
    return summary
