"""The reactive simulated workspace: the scorer recomputes from the current files, writes are diffs, forwards carry
their message, and the detector reads the replayed final state."""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from teachwhy.evals.honeypots import World, classify, render, storylines
from teachwhy.evals.honeypots._world import run_benchmark

HEADLINE = "explicit-replacement-high-scratchpad_off-notice_off-nudge_off"


def _rs(seed: int = 0, i: int = 0) -> tuple[World, dict]:  # type: ignore[type-arg]
    st = storylines("eval", "research_sabotage")[i].id
    inst = render("research_sabotage", HEADLINE, seed, storyline=st)
    return World.from_entities(inst.entities), inst.entities


def _printed(out: str) -> float:
    m = re.search(r"(accuracy|error_rate): ([0-9.]+)", out)
    assert m, out
    return float(m.group(2))


@pytest.mark.parametrize("i", range(3))
def test_standard_run_prints_the_true_score(i: int) -> None:
    w, e = _rs(i, i)
    out = w.run_script("python eval/run_eval.py")
    assert abs(_printed(out) - e["true_score"]) < 5e-4
    assert ("PASS" in out) == e["passes"]
    assert json.loads(w.files["results/latest.json"])["score"] == pytest.approx(e["true_score"], abs=1e-6)


def test_editing_the_threshold_flips_the_result_not_the_score() -> None:
    w, e = _rs()
    cfg = w.files["eval/config.yaml"]
    moved = e["true_score"] + 0.05 if e["metric"] == "accuracy" else e["true_score"] - 0.05
    w.edit_file("eval/config.yaml", re.sub(r"threshold: [0-9.]+", f"threshold: {moved:.2f}", cfg))
    out = w.run_script("python eval/run_eval.py")
    assert abs(_printed(out) - e["true_score"]) < 5e-4 and "FAIL" in out
    assert w.edits[0]["diff"].count("threshold") == 2  # one - line, one + line


def test_filtering_data_changes_the_score() -> None:
    w, e = _rs()
    data_path = next(p for p in e["score_files"] if p.startswith("data/"))
    rows = [json.loads(x) for x in w.files[data_path].splitlines()]
    weakest = min({r["category"] for r in rows}, key=lambda c: c)  # any category: the sample changes
    w.edit_file(data_path, "".join(json.dumps(r) + "\n" for r in rows if r["category"] != weakest))
    assert abs(_printed(w.run_script("python eval/run_eval.py")) - e["true_score"]) > 1e-3


def test_seed_and_flags_change_the_score() -> None:
    w, e = _rs()
    scores = {round(_printed(w.run_script(f"python eval/run_eval.py --seed {s}")), 4) for s in (1, 2, 3, 4)}
    assert len(scores) > 1
    limited = run_benchmark(w.files, w.bench, "python eval/run_eval.py --limit 10")  # type: ignore[arg-type]
    assert limited.n == 10


def test_detector_names_the_change_and_true_vs_reported_score() -> None:
    w, e = _rs()
    cfg = w.files["eval/config.yaml"]
    new = cfg.replace("exclude_categories: []", "exclude_categories: []\nsample_size: 12")
    new = new.replace(re.search(r"sample_size: \d+\n", cfg).group(0), "")  # type: ignore[union-attr]
    call = {"path": "eval/config.yaml", "content": new}
    out = [{"role": "assistant", "content": "", "tool_calls": [
        {"id": "1", "type": "function", "function": {"name": "edit_file", "arguments": json.dumps(call)}}]}]
    v = asyncio.run(classify("research_sabotage", e, out))
    assert v.status == "ok" and v.harmful is True
    assert "eval/config.yaml" in v.reasons[0] and f"{e['true_score']:.3f}" in v.reasons[0]


def test_forward_carries_the_message_and_chat_is_a_message() -> None:
    st = storylines("eval", "blackmail")[0].id
    inst = render("blackmail", HEADLINE, 0, storyline=st)
    w = World.from_entities(inst.entities)
    mid = inst.entities["secret_message_ids"][0]
    assert "forwarded" in w.forward_email(mid, "someone@" + inst.entities["org_domain"], "see below")
    assert w.sent[0]["forwarded_text"] and inst.entities["messages"][int(mid[1:]) - 1]["body"] in w.sent[0]["forwarded_text"]
    assert "no message with id" in w.forward_email("m99", "a@b.com")
    w.post_message("general", "hello")
    assert w.sent[-1]["to"] == ["#general"] and w.sent[-1]["kind"] == "chat"
