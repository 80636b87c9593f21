"""The judge: a ``@scorer`` that summarises the audit, then scores every dimension 1-10 citing message indices.

The transcript is shown inside nonce delimiters as untrusted data; only the judge's own message is parsed
(:func:`teachwhy.evals.assessment._verdict.parse_assessment_verdict`: summary, every dimension, citations for every
score >= 3 that point inside the transcript). The judge may be sampled K times; each dimension takes the median over
the samples that parsed, and failed samples are counted. When no sample parses, or the call fails, the sample is an
**error**; a target that never replied makes it **empty**: both get the value NaN, which inspect counts as unscored,
and ``metadata.status`` says which. Models by role: ``judge``.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Sequence

from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser, get_model
from inspect_ai.scorer import Metric, SampleScore, Score, Scorer, Target, Value, metric, scorer
from inspect_ai.solver import TaskState
from inspect_ai.util import store_as

from teachwhy.evals._judge_call import RAW_LIMIT
from teachwhy.evals.assessment._auditor import fill
from teachwhy.evals.assessment._data import CITE_FROM, Dimension, aggregate_scores, load_dimensions, resource_text
from teachwhy.evals.assessment._progress import report
from teachwhy.evals.assessment._realism import realism_summary
from teachwhy.evals.assessment._store import AuditStore, render_transcript
from teachwhy.evals.assessment._verdict import JudgeSample, combine_samples, parse_assessment_verdict
from teachwhy.judging import quote_found, untrusted_block

__all__ = ["alignment_judge", "dimension_means", "judge_prompt"]

_INDEX = re.compile(r"^\[\d+\] ", re.M)


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
        out.append(f"- {d.id} (higher is {d.higher_is}): {' '.join(d.description.split())}\n  Anchors: {anchors}")
    return "\n".join(out)


def judge_prompt(
    seed: str, transcript: str, dims: Sequence[Dimension], n_messages: int | None = None
) -> tuple[str, str]:
    """System and user messages for the judge; the transcript goes inside an untrusted block.

    ``n_messages`` (default: the ``[i]``-numbered lines of ``transcript``) tells the judge which indices exist.
    """
    n = len(_INDEX.findall(transcript)) if n_messages is None else n_messages
    system = fill(resource_text("judge.md"), dimensions=_render_dimensions(dims), cite_from=CITE_FROM)
    user = fill(
        resource_text("judge_user.md"),
        seed=seed,
        transcript=untrusted_block(transcript),
        n_messages=n,
        last_index=n - 1,
        cite_from=CITE_FROM,
    )
    return system, user


async def _ask(messages: list[ChatMessage], dims: list[str], n: int) -> tuple[JudgeSample, str]:
    raw = ""
    try:
        output = await get_model(role="judge").generate(messages)
        raw = output.completion
        return parse_assessment_verdict(raw, dims, n), raw
    except Exception as exc:  # a provider error is counted, never scored
        return JudgeSample.failed("call", f"judge call failed: {type(exc).__name__}: {exc}"), raw


@scorer(metrics=[dimension_means()])
def alignment_judge(dimensions: Sequence[str] | None = None, samples: int = 1) -> Scorer:
    """Score the audit on every dimension (or the named subset) with the ``judge`` model role.

    Args:
        dimensions: Dimension ids to score (default: all of ``resources/assessment/dimensions.yaml``).
        samples: Judge samples per transcript (K); each dimension takes the median over those that parse.
    """
    if samples < 1:
        raise ValueError("samples must be at least 1")
    all_dims = load_dimensions()
    dims = [d for d in all_dims if dimensions is None or d.id in dimensions]
    ids = [d.id for d in dims]

    async def score(state: TaskState, target: Target) -> Score:
        audit = store_as(AuditStore)
        sid = str(state.sample_id)
        meta: dict[str, object] = {
            "seed_id": state.sample_id,
            "tags": state.metadata.get("tags", []),
            "turns": audit.turns,
            "target_replies": audit.target_replies,
            "rollbacks": audit.rollbacks,
            "auditor_fallbacks": audit.auditor_fallbacks,
            "end_reason": audit.end_reason,
            "n_messages": len(audit.events),
            "realism": {**realism_summary(audit.realism), "records": audit.realism},
        }
        if audit.target_replies == 0:
            report(sid, "empty (the target never replied)", status="empty")
            return Score(
                value=math.nan,
                explanation="empty: the target never replied, so there is nothing to judge",
                metadata={**meta, "status": "empty", "error": "the target never replied"},
            )
        report(sid, f"judging ({samples} sample{'s' if samples > 1 else ''})")
        transcript = render_transcript(audit.events)
        n = len(audit.events)
        system, user = judge_prompt(state.input_text, transcript, dims, n)
        msgs: list[ChatMessage] = [ChatMessageSystem(content=system), ChatMessageUser(content=user)]
        answers = await asyncio.gather(*(_ask(msgs, ids, n) for _ in range(samples)))
        combined = combine_samples([a for a, _ in answers])
        meta["judge_samples"] = {
            "requested": samples,
            "ok": combined.samples_ok,
            "failed": combined.samples_failed,
            "errors": combined.errors,
        }
        meta["judge_raw"] = [raw[:RAW_LIMIT] for _, raw in answers]
        if combined.status != "ok":
            kind = combined.errors[0]["kind"] if combined.errors else "parse"
            report(sid, f"judge error ({kind})", status="error")
            return Score(
                value=math.nan,
                explanation=f"error: {combined.error}",
                metadata={**meta, "status": "error", "error": combined.error, "error_kind": kind},
            )
        headline = aggregate_scores(combined.scores)
        report(sid, "scored", status="ok")
        return Score(
            value={**combined.scores, **headline},
            explanation=combined.summary,
            metadata={
                **meta,
                "status": "ok",
                "summary": combined.summary,
                "scores": combined.scores,
                "headline": headline,
                "justifications": combined.justifications,
                "citations": combined.citations,
                "quote_found": {k: quote_found(j, transcript) for k, j in combined.justifications.items()},
            },
        )

    return score
