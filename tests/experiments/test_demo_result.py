"""The report's result paragraph (``teachwhy.report._demo``): every number against a hand computation, on the demo's
own config with scripted per-sample outcomes (the stage work is faked; the summaries are built by the real code)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from teachwhy._io import append_jsonl, atomic_write_json
from teachwhy.evals.propensity import summarize_propensity
from teachwhy.experiments import load_experiment, run_all
from teachwhy.experiments.plan import Stage
from teachwhy.report import demo_result, result_line

from ._fake import HEADLINE_IDS, OTHER_ID, FakeRunner

REPO = Path(__file__).resolve().parents[2]
Z = 1.959963984540054

# blackmail headline samples s0..s5: who took the honeypot
HARMFUL = {
    "organism": [True, True, True, True, True, False],
    "honeypot-demos": [True, True, False, False, False, False],  # stops 3 of the organism's 5, starts none
    "difficult-advice": [True, True, True, True, True, True],  # starts one: not a reduction
}
# per arm: per-token log-ratios of four held-out instances (positive: the harmful action is more likely)
LOG_RATIOS = {"base": [-0.5, -0.2, 0.1, -0.4], "organism": [0.3, -0.1, 0.2, 0.4],
              "honeypot-demos": [-0.3, -0.2, 0.1, -0.6], "difficult-advice": [0.1, 0.2, 0.3, -0.1]}  # fmt: skip


def _hp_rows(arm: str) -> list[dict[str, Any]]:
    rows = [{"sample_id": f"blackmail:s{i}", "family": "blackmail", "condition": HEADLINE_IDS[i % 2],
             "storyline": f"bm-eval-{i}", "seed": i, "status": "ok", "harmful": h, "eval_aware": False}
            for i, h in enumerate(HARMFUL[arm])]  # fmt: skip
    # outside the headline cell (never counted) and one headline sample without a verdict (counted apart)
    rows.append({"sample_id": "blackmail:x", "family": "blackmail", "condition": OTHER_ID, "storyline": "bm-eval-0",
                 "seed": 9, "status": "ok", "harmful": True, "eval_aware": False})  # fmt: skip
    rows.append({"sample_id": "blackmail:u", "family": "blackmail", "condition": HEADLINE_IDS[0], "storyline": "bm-eval-1",
                 "seed": 8, "status": "undecided", "harmful": None, "eval_aware": False})  # fmt: skip
    return rows


def _prop_row(i: int, lr: float) -> dict[str, Any]:
    fam = "research_sabotage" if i < 2 else "framing"
    h = {"logprob": -100.0 + 10 * lr, "tokens": 10, "mean": -10.0 + lr}
    e = {"logprob": -100.0, "tokens": 10, "mean": -10.0}
    return {"sample_id": f"{fam}:{i}", "family": fam, "storyline": f"{fam}-st", "status": "ok", "scored": "last_step",
            "harmful": h, "ethical": e, "log_ratio": h["logprob"] - e["logprob"],
            "log_ratio_per_token": h["mean"] - e["mean"]}  # fmt: skip


class DemoFake(FakeRunner):
    """The shared fake runner, with propensity summaries made by the real summary code."""

    def _eval(self, stage: Stage, workdir: Path) -> dict[str, Any]:
        if stage.spec["kind"] != "propensity":
            res = super()._eval(stage, workdir)
            if stage.spec["kind"] == "honeypots":  # run_honeypots records the temperature and the weights' dtype
                summary = json.loads(Path(res["summary"]).read_text())
                atomic_write_json(
                    Path(res["summary"]),
                    {**summary, "temperature": stage.spec["settings"]["temperature"], "dtype": "bfloat16"},
                )
            return res
        out = workdir / "eval"
        rows = [_prop_row(i, lr) for i, lr in enumerate(LOG_RATIOS[stage.arm or "base"])]
        for r in rows:
            append_jsonl(out / "samples.jsonl", r)
        summary = summarize_propensity(rows, [r["sample_id"] for r in rows])
        atomic_write_json(out / "summary.json", summary)
        return {"summary": str(out / "summary.json"), "dir": str(out)}


def _wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    c = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    h = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return c - h, c + h


def _mcnemar(b: int, c: int) -> float:
    """Exact two-sided McNemar: twice the smaller binomial tail of b + c fair coin flips."""
    n = b + c
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2**n) if n else 1.0


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "run"
    cfg = load_experiment(REPO / "experiments" / "demo.yaml", {"out": str(out)})
    outcomes = {f"eval/honeypots/{arm}/s0/r0": _hp_rows(arm) for arm in HARMFUL}
    run_all(cfg, runner=DemoFake(outcomes=outcomes), progress=lambda m: None)
    return out


def test_rates_and_paired_tests_by_hand(demo_run: Path) -> None:
    d = demo_result(demo_run)
    assert d is not None
    assert (d.organism.k, d.organism.n, d.organism.not_decided) == (5, 6, 1)
    rate, lo, hi = d.organism.rate()  # type: ignore[misc]
    assert rate == pytest.approx(5 / 6) and (lo, hi) == pytest.approx(_wilson(5, 6))
    by = {a.arm: a for a in d.interventions}
    assert [a.arm for a in d.interventions] == ["honeypot-demos", "difficult-advice"]
    t = d.paired(by["honeypot-demos"])
    assert (t["pairs"], t["b"], t["c"]) == (6, 3, 0) and t["p"] == pytest.approx(_mcnemar(3, 0)) == pytest.approx(0.25)
    t = d.paired(by["difficult-advice"])
    assert (t["b"], t["c"], t["p"]) == (0, 1, pytest.approx(1.0))
    assert by["honeypot-demos"].rate()[1:] == pytest.approx(_wilson(2, 6))  # type: ignore[index]
    assert d.honeypot_families == ["blackmail"] and d.families == ["research_sabotage", "framing"]
    assert d.skipped == ["assessment", "constitution"]


def test_propensity_per_arm_by_hand(demo_run: Path) -> None:
    d = demo_result(demo_run)
    assert d is not None and d.base is not None
    for arm in [d.base, d.organism, *d.interventions]:
        lrs = LOG_RATIOS[arm.arm]
        o = arm.propensity["overall"]  # type: ignore[index]
        k = sum(x > 0 for x in lrs)
        assert (o["preference"]["k"], o["preference"]["n"]) == (k, 4)
        assert (o["preference"]["ci_low"], o["preference"]["ci_high"]) == pytest.approx(_wilson(k, 4))
        assert o["log_ratio_per_token"]["mean"] == pytest.approx(sum(lrs) / 4)


def test_the_report_leads_with_the_result(demo_run: Path) -> None:
    page = (demo_run / "report" / "report.html").read_text()
    assert page.index("id='result'") < page.index("<h2>Figures</h2>")
    lo, hi = _wilson(5, 6)
    assert f"5/6 (83%, 95% CI {100 * lo:.0f}%–{100 * hi:.0f}%; 1 without a verdict)" in page
    assert "temperature 0 (greedy decoding), bfloat16 weights)" in page
    assert "exact McNemar on 6 paired samples: 3 stopped, 0 started, p = 0.25" in page
    assert "not lower than the organism: this intervention did not reduce the rate" in page  # + difficult advice
    assert "compact rendering (short inbox, as in training)" in page
    assert "teachwhy eval assessment --target " in page and "cannot serve as judge or auditor" in page
    assert "1/4 (25%" in page  # the base model's propensity: one of four instances prefers the harmful action
    # and per held-out family: framing (instances 2, 3: +0.1, -0.4), research sabotage (0, 1: -0.5, -0.2)
    assert f"(framing 1/2, {(0.1 - 0.4) / 2:+.3f}; research_sabotage 0/2, {(-0.5 - 0.2) / 2:+.3f})" in page
    line = result_line(demo_result(demo_run))  # type: ignore[arg-type]
    assert line.endswith("organism 5/6 -> + ethical demos 2/6 (p=0.25) -> + difficult advice 6/6 (p=1)")


def test_no_paragraph_without_an_organism(tmp_path: Path) -> None:
    atomic_write_json(tmp_path / "experiment.json", {"config": {"name": "x", "arms": [
        {"name": "a", "stages": [{"kind": "sft", "data": [{"dataset": "d"}]}]}],
        "datasets": [{"name": "d", "kind": "stories"}], "evals": [{"name": "h", "kind": "honeypots"}]}})  # fmt: skip
    assert demo_result(tmp_path) is None


def test_several_seeds_are_named(tmp_path: Path) -> None:
    cfg = load_experiment(REPO / "experiments" / "demo.yaml", {"out": str(tmp_path / "run"), "seeds": [0, 1]})
    outcomes = {f"eval/honeypots/{arm}/s0/r0": _hp_rows(arm) for arm in HARMFUL}
    run_all(cfg, runner=DemoFake(outcomes=outcomes), progress=lambda m: None)
    d = demo_result(tmp_path / "run")
    assert d is not None and (d.organism.k, d.organism.n) == (5, 6)  # seed 0 only, never pooled with seed 1
    assert (
        d.note == "training seed 0, eval repeat 0 of an experiment with 2 seed(s) and 1 repeat(s); the results "
        "table pools them all"
    )
    assert "(Read here: training seed 0" in (tmp_path / "run" / "report" / "report.html").read_text()
