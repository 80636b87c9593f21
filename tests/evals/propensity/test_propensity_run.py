"""Runs: ledger rows whose numbers add up, resume without model calls, settings pinned, errors counted; the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from teachwhy._io import read_jsonl
from teachwhy.errors import TeachwhyError
from teachwhy.evals.propensity import PropensityRun, TransformersScorer, plan_instances, run_propensity


class Counting:
    """Wraps a scorer; counts calls and can fail the first ``fail`` of them."""

    def __init__(self, inner: Any, fail: int = 0) -> None:
        self.inner, self.tokenizer, self.name = inner, inner.tokenizer, "counting"
        self.calls, self.fail = 0, fail

    def token_logprobs(self, seqs: Sequence[Sequence[int]], positions: Sequence[Sequence[int]]) -> list[list[float]]:
        self.calls += 1
        if self.calls <= self.fail:
            raise TeachwhyError("simulated scorer failure")
        result: list[list[float]] = self.inner.token_logprobs(seqs, positions)
        return result


@pytest.fixture(scope="module")
def scorer(tiny_model: Path) -> TransformersScorer:
    return TransformersScorer(tiny_model)


def test_rows_add_up_and_a_rerun_resumes_without_scoring(scorer: TransformersScorer, tmp_path: Path) -> None:
    cfg = PropensityRun(model="embedded", scenarios=["blackmail"], samples=2, preset="headline", out=str(tmp_path))
    first = Counting(scorer)
    s = run_propensity(cfg, scorer=first, progress=None)
    assert first.calls == 2
    rows = list(read_jsonl(tmp_path / "samples.jsonl"))
    assert [r["sample_id"] for r in rows] == [i.sample_id for i in plan_instances(cfg)]
    for r in rows:
        for side in ("harmful", "ethical"):
            assert r[side]["mean"] == pytest.approx(r[side]["logprob"] / r[side]["tokens"])
        assert r["log_ratio"] == pytest.approx(r["harmful"]["logprob"] - r["ethical"]["logprob"])
        assert r["log_ratio_per_token"] == pytest.approx(r["harmful"]["mean"] - r["ethical"]["mean"])
        assert r["prefers_harmful"] is (r["log_ratio_per_token"] > 0)
    k = sum(r["log_ratio_per_token"] > 0 for r in rows)
    assert s["overall"]["preference"]["k"] == k and s["overall"]["preference"]["rate"] == k / 2
    assert s["overall"]["log_ratio"]["mean"] == pytest.approx(sum(r["log_ratio"] for r in rows) / 2)
    assert s["counts"] == {"samples": 2, "ok": 2, "errors": 0, "missing": 0}
    assert "no temperature" in s["sampling"]
    assert s["dtype"] == "float32"  # the default, recorded resolved
    assert json.loads((tmp_path / "summary.json").read_text())["overall"]["n"] == 2

    again = Counting(scorer, fail=99)  # any call would fail
    s2 = run_propensity(cfg, scorer=again, progress=None)
    assert again.calls == 0 and s2["resumed"] == 2 and s2["overall"] == s["overall"]

    grown = run_propensity(cfg.model_copy(update={"samples": 3}), scorer=Counting(scorer), progress=None)
    assert grown["counts"]["ok"] == 3 and grown["resumed"] == 2

    with pytest.raises(TeachwhyError, match="different settings"):
        run_propensity(cfg.model_copy(update={"seed": 1}), scorer=again, progress=None)


def test_errors_are_counted_not_scored_and_retried(scorer: TransformersScorer, tmp_path: Path) -> None:
    cfg = PropensityRun(scenarios=["blackmail"], samples=2, preset="headline", out=str(tmp_path))
    s = run_propensity(cfg, scorer=Counting(scorer, fail=1), progress=None)
    assert s["counts"] == {"samples": 2, "ok": 1, "errors": 1, "missing": 0}
    assert s["overall"]["n"] == 1 and s["errors"][0]["error"] == "simulated scorer failure"
    retry = Counting(scorer)
    s = run_propensity(cfg, scorer=retry, progress=None)
    assert retry.calls == 1 and s["counts"]["ok"] == 2 and s["counts"]["errors"] == 0


def test_cli_prints_the_table(cli: Callable[..., tuple[int, str, str]], tiny_model: Path, tmp_path: Path) -> None:
    code, out, err = cli("eval", "propensity", "--model", str(tiny_model), "--scenarios", "blackmail", "--samples",
                         "1", "--split", "train", "--out", str(tmp_path / "p"))  # fmt: skip
    assert code == 0, err
    s = json.loads((tmp_path / "p" / "summary.json").read_text())
    assert s["split"] == "train" and s["overall"]["n"] == 1
    rate = s["overall"]["preference"]["rate"]
    assert f"{100 * rate:5.1f}%" in out and "blackmail" in out and "why the headline is per token" in out
    assert "[1/1] blackmail:bm-train-" in err


def test_cli_refuses_api_models(cli: Callable[..., tuple[int, str, str]], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("ANTHROPIC_API_KEY", "x")
    code, out, err = cli("eval", "propensity", "--model", "anthropic/claude-sonnet-4-5", "--scenarios", "blackmail",
                         "--samples", "1", "--out", str(tmp_path / "p"))  # fmt: skip
    assert code == 2
    assert "error: propensity probes need the log-probability" in err and "fix: " in err and "vllm/" in err
    assert "Traceback" not in err
