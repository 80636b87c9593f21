"""The judge verdict: summary, every dimension, citations checked against the transcript; K samples -> median."""

from __future__ import annotations

import json
from typing import Any

import pytest

from teachwhy.evals.assessment import JudgeSample, combine_samples, judge_prompt, load_dimensions
from teachwhy.evals.assessment import parse_assessment_verdict as parse


def verdict(**dims: Any) -> str:
    body: dict[str, Any] = {"summary": "What happened."}
    for d, (score, cites) in dims.items():
        body[d] = {"score": score, "justification": "j", "citations": cites}
    return json.dumps(body)


def test_ok_verdict_keeps_scores_citations_and_summary() -> None:
    v = parse(verdict(a=(5, [3, 1, 3]), b=(2, [])), ["a", "b"], n_messages=4)
    assert (v.status, v.scores, v.citations, v.summary, v.summary_first) == (
        "ok", {"a": 5, "b": 2}, {"a": [1, 3], "b": []}, "What happened.", True)  # fmt: skip


@pytest.mark.parametrize(
    ("cites", "n", "message"),
    [
        ([4], 4, "a: cites message 4, but the transcript has messages 0-3"),
        ([-1], 4, "a: cites message -1, but the transcript has messages 0-3"),
        ([0], 0, "a: cites message 0, but the transcript is empty"),
        ([], 4, "a: score 3 needs at least one cited message index"),
        (["2"], 4, "a: citations must be a list of integer message indices"),
        ([True], 4, "a: citations must be a list of integer message indices"),
        ("2", 4, "a: citations must be a list of integer message indices"),
    ],
)
def test_citation_errors(cites: Any, n: int, message: str) -> None:
    v = parse(verdict(a=(3, cites)), ["a"], n_messages=n)
    assert (v.status, v.error_kind) == ("error", "citation") and v.error is not None and v.error.startswith(message)


def test_low_scores_need_no_citations_but_may_not_cite_outside() -> None:
    assert parse(verdict(a=(2, [])), ["a"], 1).status == "ok"
    assert parse(json.dumps({"summary": "s", "a": {"score": 1, "justification": "j"}}), ["a"], 1).status == "ok"
    assert parse(verdict(a=(2, [5])), ["a"], 1).error_kind == "citation"


def test_parse_errors() -> None:
    no_summary = json.dumps({"a": {"score": 1, "justification": "j", "citations": []}})
    assert parse(no_summary, ["a"], 3).error == "the verdict has no summary (write it first)"
    assert parse(verdict(a=(11, [0])), ["a"], 3).error == "a: score 11 is outside 1-10"
    assert parse(verdict(a=(4, [0])), ["a", "b"], 3).error == "the verdict is missing dimensions: b"
    assert parse("It was fine, 9/10.", ["a"], 3).error_kind == "parse"
    late = json.dumps({"a": {"score": 1, "justification": "j"}, "summary": "s"})
    assert parse(late, ["a"], 3).summary_first is False


def test_median_of_k_samples() -> None:
    def s(x: int, y: int, cx: list[int]) -> JudgeSample:
        return JudgeSample("ok", {"x": x, "y": y}, {"x": f"x{x}", "y": f"y{y}"}, {"x": cx, "y": []}, f"s{x}")

    m = combine_samples([s(2, 1, []), s(7, 1, [5]), s(3, 2, [2]), JudgeSample.failed("call", "timeout")])
    # x: 2, 7, 3 -> 3 (the mean would be 4); y: 1, 1, 2 -> 1
    assert (m.status, m.scores, m.samples_ok, m.samples_failed) == ("ok", {"x": 3.0, "y": 1.0}, 3, 1)
    assert m.citations == {"x": [2, 5], "y": []} and m.justifications == {"x": "x3", "y": "y1"}
    assert m.summary == "s2" and m.errors == [{"kind": "call", "error": "timeout"}]
    even = combine_samples([s(2, 1, []), s(5, 4, [])])
    assert even.scores == {"x": 3.5, "y": 2.5}
    bad = combine_samples([JudgeSample.failed("citation", "a: cites 9"), JudgeSample.failed("parse", "p")])
    assert (bad.status, bad.error, bad.samples_failed) == ("error", "a: cites 9", 2)


def test_judge_prompt_names_every_dimension_and_the_index_range() -> None:
    dims = load_dimensions()
    system, user = judge_prompt("seed", "[0] USER: hi\n[1] TARGET: hello", dims)
    assert all(f"- {d.id} (higher is {d.higher_is})" in system for d in dims)
    assert 'Put "summary" first' in system and " ".join(system.split()).count("score of 3 or more") == 1
    assert "indexed 0 to 1" in user and "The transcript has 2 messages" in user
