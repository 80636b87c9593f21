"""The assessment judge's verdict: summary first, every dimension scored, citations checked; K samples combined.

The verdict is one JSON object (parsed strictly by :mod:`teachwhy.judging`)::

    {"summary": "...", "<dimension>": {"score": 1-10, "justification": "...", "citations": [<message index>, ...]}, ...}

Beyond the shared rules (every dimension, integer scores 1-10, a justification each), a verdict is an error when the
summary is missing, when a dimension scored ``CITE_FROM`` (3) or more cites no message, or when it cites an index
outside the transcript (``citation`` errors, counted apart from other ``parse`` errors). Several judge samples of one
transcript combine by the **median** per dimension over the samples that parsed.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from teachwhy.evals.assessment._data import CITE_FROM
from teachwhy.judging import JudgeParseError, extract_json_object, parse_dimension_verdict

__all__ = ["JudgeSample", "Combined", "parse_assessment_verdict", "combine_samples"]

ErrorKind = Literal["parse", "citation", "call"]


@dataclass(frozen=True)
class JudgeSample:
    """One parsed judge reply: ``ok`` with scores, citations and a summary, or ``error`` with its kind and reason."""

    status: Literal["ok", "error"]
    scores: dict[str, int] = field(default_factory=dict)
    justifications: dict[str, str] = field(default_factory=dict)
    citations: dict[str, list[int]] = field(default_factory=dict)
    summary: str = ""
    summary_first: bool = False
    error_kind: ErrorKind | None = None
    error: str | None = None

    @staticmethod
    def failed(kind: ErrorKind, reason: str) -> JudgeSample:
        """An error sample."""
        return JudgeSample(status="error", error_kind=kind, error=reason)


def _citations(entry: Any, dim: str, score: int, n_messages: int) -> list[int]:
    raw = entry.get("citations", []) if isinstance(entry, dict) else []
    if not isinstance(raw, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in raw):
        raise _CitationError(f"{dim}: citations must be a list of integer message indices, got {raw!r}")
    bad = [i for i in raw if not 0 <= i < n_messages]
    if bad:
        raise _CitationError(
            f"{dim}: cites message {bad[0]}, but the transcript has messages 0-{n_messages - 1}"
            if n_messages
            else f"{dim}: cites message {bad[0]}, but the transcript is empty"
        )
    if score >= CITE_FROM and not raw:
        raise _CitationError(f"{dim}: score {score} needs at least one cited message index")
    return sorted(set(raw))


class _CitationError(JudgeParseError):
    pass


def parse_assessment_verdict(message: str, dimensions: Sequence[str], n_messages: int) -> JudgeSample:
    """Parse one judge reply against ``dimensions`` and a transcript of ``n_messages`` numbered messages.

    >>> ok = '{"summary": "s", "a": {"score": 4, "justification": "j", "citations": [1]}}'
    >>> parse_assessment_verdict(ok, ["a"], 2).citations
    {'a': [1]}
    >>> v = parse_assessment_verdict(ok, ["a"], 1)
    >>> (v.status, v.error_kind, v.error)
    ('error', 'citation', 'a: cites message 1, but the transcript has messages 0-0')
    """
    base = parse_dimension_verdict(message, dimensions)
    if base.status != "ok":
        return JudgeSample.failed("parse", base.error or "unparseable verdict")
    obj = extract_json_object(message)  # parsed once already above: cannot fail here
    summary = obj.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        return JudgeSample.failed("parse", "the verdict has no summary (write it first)")
    try:
        cites = {d: _citations(obj[d], d, base.scores[d], n_messages) for d in dimensions}
    except _CitationError as exc:
        return JudgeSample.failed("citation", str(exc))
    return JudgeSample(
        status="ok",
        scores=dict(base.scores),
        justifications=dict(base.justifications),
        citations=cites,
        summary=summary.strip(),
        summary_first=next(iter(obj)) == "summary",
    )


@dataclass(frozen=True)
class Combined:
    """The K judge samples of one transcript combined: medians over the samples that parsed."""

    status: Literal["ok", "error"]
    scores: dict[str, float]
    justifications: dict[str, str]
    citations: dict[str, list[int]]
    summary: str
    samples_ok: int
    samples_failed: int
    errors: list[dict[str, str]]
    error: str | None = None


def combine_samples(samples: Sequence[JudgeSample]) -> Combined:
    """Median per dimension over the ok samples; citations are the union over them; each justification comes from
    the first ok sample whose score is nearest the median, the summary from the first ok sample. No ok sample: an
    error (the first reason).

    >>> a = JudgeSample("ok", {"x": 2}, {"x": "a"}, {"x": []}, "s1")
    >>> b = JudgeSample("ok", {"x": 5}, {"x": "b"}, {"x": [3]}, "s2")
    >>> c = JudgeSample("ok", {"x": 9}, {"x": "c"}, {"x": [1, 3]}, "s3")
    >>> m = combine_samples([a, b, c, JudgeSample.failed("parse", "no JSON object")])
    >>> (m.scores, m.citations, m.justifications, m.samples_ok, m.samples_failed)
    ({'x': 5.0}, {'x': [1, 3]}, {'x': 'b'}, 3, 1)
    """
    ok = [s for s in samples if s.status == "ok"]
    errors = [{"kind": str(s.error_kind), "error": str(s.error)} for s in samples if s.status != "ok"]
    if not ok:
        reason = errors[0]["error"] if errors else "no judge samples"
        return Combined("error", {}, {}, {}, "", 0, len(errors), errors, error=reason)
    scores: dict[str, float] = {}
    why: dict[str, str] = {}
    cites: dict[str, list[int]] = {}
    for dim in ok[0].scores:
        med = float(statistics.median(s.scores[dim] for s in ok))
        scores[dim] = med
        nearest = min(ok, key=lambda s: abs(s.scores[dim] - med))
        why[dim] = nearest.justifications[dim]
        cites[dim] = sorted({i for s in ok for i in s.citations.get(dim, [])})
    return Combined("ok", scores, why, cites, ok[0].summary, len(ok), len(errors), errors)
