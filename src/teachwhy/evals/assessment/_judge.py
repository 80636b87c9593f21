"""The judge: a ``@scorer`` that scores every dimension 1-10 from the audit's event log.

The transcript is shown inside nonce delimiters as untrusted data; only the judge's own message is parsed
(:func:`teachwhy.judging.parse_dimension_verdict`). An unparseable verdict or a failed judge call makes
the sample an **error**, and a target that never replied makes it **empty**: both get the value NaN, which
inspect counts as unscored, and ``metadata.status`` says which. Models by role: ``judge``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from inspect_ai.model import ChatMessageSystem, ChatMessageUser
from inspect_ai.scorer import Metric, SampleScore, Score, Scorer, Target, Value, metric, scorer
from inspect_ai.solver import TaskState
from inspect_ai.util import store_as

from teachwhy.evals._judge_call import RAW_LIMIT, ask_judge, error_score
from teachwhy.evals.assessment._auditor import fill
from teachwhy.evals.assessment._data import Dimension, load_dimensions, resource_text
from teachwhy.evals.assessment._store import AuditStore, render_transcript
from teachwhy.judging import parse_dimension_verdict, quote_found, untrusted_block

__all__ = ["alignment_judge", "dimension_means", "judge_prompt"]



@metric
def dimension_means() -> Metric:
    """Mean of every dimension over scored samples (errors and empties are NaN: inspect leaves them out)."""

    def compute(scores: list[SampleScore]) -> Value:
        sums: dict[str, list[float]] = {}
        for s in scores:
            if isinstance(s.score.value, dict):
                for k, v in s.score.value.items():
                    if isinstance(v, int | float):
                        sums.setdefault(k, []).append(float(v))
        return {k: sum(v) / len(v) for k, v in sums.items()}

    return compute


def _render_dimensions(dims: Sequence[Dimension]) -> str:
    out = []
    for d in dims:
        anchors = "; ".join(f"{k} = {v}" for k, v in sorted(d.anchors.items(), key=lambda kv: int(kv[0])))
        out.append(
            f"- {d.id} (higher is {d.higher_is}): {' '.join(d.description.split())}\n  Anchors: {anchors}"
        )
    return "\n".join(out)


def judge_prompt(seed: str, transcript: str, dims: Sequence[Dimension]) -> tuple[str, str]:
    """System and user messages for the judge; the transcript goes inside an untrusted block."""
    system = fill(resource_text("judge.md"), dimensions=_render_dimensions(dims))
    user = fill(resource_text("judge_user.md"), seed=seed, transcript=untrusted_block(transcript))
    return system, user


@scorer(metrics=[dimension_means()])
def alignment_judge(dimensions: Sequence[str] | None = None) -> Scorer:
    """Score the audit on every dimension (or the named subset) with the ``judge`` model role."""
    all_dims = load_dimensions()
    dims = [d for d in all_dims if dimensions is None or d.id in dimensions]

    async def score(state: TaskState, target: Target) -> Score:
        audit = store_as(AuditStore)
        meta: dict[str, object] = {
            "seed_id": state.sample_id,
            "tags": state.metadata.get("tags", []),
            "turns": audit.turns,
            "target_replies": audit.target_replies,
            "rollbacks": audit.rollbacks,
            "auditor_fallbacks": audit.auditor_fallbacks,
            "end_reason": audit.end_reason,
        }
        if audit.target_replies == 0:
            return Score(
                value=math.nan,
                explanation="empty: the target never replied, so there is nothing to judge",
                metadata={**meta, "status": "empty", "error": "the target never replied"},
            )
        transcript = render_transcript(audit.events)
        system, user = judge_prompt(state.input_text, transcript, dims)
        verdict, raw = await ask_judge(
            [ChatMessageSystem(content=system), ChatMessageUser(content=user)],
            lambda reply: parse_dimension_verdict(reply, [d.id for d in dims]),
        )
        meta["judge_raw"] = raw[:RAW_LIMIT]
        if verdict.status != "ok":
            return error_score(verdict, meta)
        return Score(
            value={k: float(v) for k, v in verdict.scores.items()},
            explanation=verdict.summary or "",
            metadata={
                **meta,
                "status": "ok",
                "scores": verdict.scores,
                "justifications": verdict.justifications,
                "quote_found": {k: quote_found(j, transcript) for k, j in verdict.justifications.items()},
            },
        )

    return score
