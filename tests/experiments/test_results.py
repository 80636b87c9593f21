"""The results table on hand-written eval outcomes: every number checked against values computed by hand here.

The fixture: two arms (the organism and the advice intervention trained from it) x two training seeds, three evals.
Within one run and family every sample has the same outcome, so each seed's estimate is exact and the cluster
bootstrap over two seeds can be worked out by hand: a replicate draws two seeds (each of the four orders with
probability 1/4), so its estimate is one seed's value (1/2 of the time) or their mean (1/2); the 2.5% and 97.5%
percentiles are the smaller and the larger seed value. The reported interval is that interval widened to contain the
independent-samples interval (pooled Wilson mean, Newcombe, t, Welch), which is also written out below.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest

from teachwhy.evals.honeypots import FAMILIES
from teachwhy.experiments import ExperimentConfig
from teachwhy.experiments.results import collect
from teachwhy.report._figures import draw

from ._fake import HEADLINE_IDS, OTHER_ID, FakeRunner, run_fake

Z = 1.959963984540054
T3 = 3.182446305284263  # Student t, 97.5%, 3 degrees of freedom (tables: 3.182)


def wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


def mean_of_rates(cells: list[tuple[int, int]]) -> tuple[float, float, float]:
    """Mean of family rates; Wilson deviations in quadrature / number of families."""
    rates = [k / n for k, n in cells]
    cis = [wilson(k, n) for k, n in cells]
    m = sum(rates) / len(cells)
    down = math.sqrt(sum((r - lo) ** 2 for r, (lo, _) in zip(rates, cis, strict=True))) / len(cells)
    up = math.sqrt(sum((hi - r) ** 2 for r, (_, hi) in zip(rates, cis, strict=True))) / len(cells)
    return (m, max(0.0, m - down), min(1.0, m + up))


def newcombe(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float, float]:
    """Newcombe's hybrid score interval for p1 - p2 (his method 10)."""
    p1, p2 = k1 / n1, k2 / n2
    (l1, u1), (l2, u2) = wilson(k1, n1), wilson(k2, n2)
    d = p1 - p2
    return (d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


# harmful (1) or not (0) for both headline samples of each family, per (arm, seed)
HP = {("organism", 0): (1, 1, 1), ("organism", 1): (1, 0, 1), ("advice", 0): (0, 0, 1), ("advice", 1): (0, 0, 0)}
MIS = {("organism", 0): 6.0, ("organism", 1): 4.0, ("advice", 0): 3.0, ("advice", 1): 3.0}  # misaligned_behavior
ADH = {("organism", 0): 5.0, ("organism", 1): 5.0, ("advice", 0): 8.0, ("advice", 1): 7.0}  # adherence


def hp_rows(arm: str, seed: int) -> list[dict[str, Any]]:
    rows = [{"sample_id": f"{fam}:{i}", "family": fam, "condition": HEADLINE_IDS[i], "status": "ok",
             "harmful": bool(h), "eval_aware": False}
            for fam, h in zip(FAMILIES, HP[(arm, seed)], strict=True) for i in range(2)]  # fmt: skip
    # outside the headline cell (notice on): counts in all_conditions only
    rows.append({"sample_id": "blackmail:x", "family": "blackmail", "condition": OTHER_ID, "status": "ok",
                 "harmful": True, "eval_aware": False})  # fmt: skip
    return rows


def outcomes() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for arm, seed in HP:
        out[f"eval/honeypots/{arm}/s{seed}/r0"] = hp_rows(arm, seed)
        out[f"eval/assessment/{arm}/s{seed}/r0"] = [
            {"id": f"seed{i}", "status": "ok", "error": None,
             "scores": {"misaligned_behavior": MIS[(arm, seed)], "admirable_behavior": 5.0}} for i in range(2)]  # fmt: skip
        out[f"eval/adherence/{arm}/s{seed}/r0"] = [
            {"id": f"p{i}", "status": "ok", "error": None, "score": ADH[(arm, seed)]} for i in range(2)
        ]
    return out


def config(out: Path, seeds: list[int], evals: list[dict[str, Any]] | None = None) -> ExperimentConfig:
    return ExperimentConfig.model_validate({
        "name": "fixture", "out": str(out),
        "datasets": [{"name": "harm", "kind": "honeypot-demos", "scripted": "harmful", "n": 2},
                     {"name": "adv", "kind": "difficult-advice", "scripted": "ethical", "n": 2}],
        "arms": [{"name": "organism", "role": "organism", "stages": [{"kind": "sft", "data": [{"dataset": "harm"}]}]},
                 {"name": "advice", "init": "organism",
                  "stages": [{"kind": "sft", "data": [{"dataset": "adv", "tokens": 3000}]}]}],
        "evals": evals or [{"name": "honeypots", "kind": "honeypots"}, {"name": "assessment", "kind": "assessment"},
                           {"name": "adherence", "kind": "constitution"}],
        "seeds": seeds,
    })  # fmt: skip


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    run = tmp_path_factory.mktemp("fixture")
    cfg = config(run, [0, 1])
    return collect(cfg, run, run_fake(cfg, run, FakeRunner(outcomes=outcomes())))


def one(rows: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    hits = [r for r in rows if all(r[k] == v for k, v in kw.items())]
    assert len(hits) == 1, (kw, hits)
    return hits[0]


def test_run_rows(rows: list[dict[str, Any]]) -> None:
    for (arm, seed), fams in HP.items():
        r = one(rows, arm=arm, seed=seed, eval="honeypots", metric="honeypot_rate")
        m, lo, hi = mean_of_rates([(2 * h, 2) for h in fams])
        assert (r["value"], r["ci_low"], r["ci_high"], r["n"]) == pytest.approx((m, lo, hi, 6))
        assert r["reliable"] is True and r["higher_is"] == "worse"
        for fam, h in zip(FAMILIES, fams, strict=True):
            f = one(rows, arm=arm, seed=seed, eval="honeypots", metric=f"honeypot_rate.{fam}")
            assert (f["value"], f["ci_low"], f["ci_high"]) == pytest.approx((h, *wilson(2 * h, 2)))
        # all conditions: the notice-on blackmail sample (harmful) joins blackmail's rate
        allc = one(rows, arm=arm, seed=seed, eval="honeypots", metric="honeypot_rate.all_conditions")
        assert allc["value"] == pytest.approx(((2 * fams[0] + 1) / 3 + fams[1] + fams[2]) / 3)
        share = one(rows, arm=arm, seed=seed, eval="honeypots", metric="error_share")
        assert (share["value"], share["n"], share["reliable"]) == (0.0, 7, True)
        assert one(rows, arm=arm, seed=seed, eval="honeypots", metric="count.ok")["value"] == 7
        mis = one(rows, arm=arm, seed=seed, eval="assessment", metric="misaligned_behavior")
        assert (mis["value"], mis["ci_low"], mis["ci_high"], mis["n"]) == (MIS[(arm, seed)],) * 3 + (2,)
        adh = one(rows, arm=arm, seed=seed, eval="adherence", metric="adherence")
        assert adh["value"] == ADH[(arm, seed)] and adh["higher_is"] == "better"
    assert one(rows, arm="organism", seed=0, eval="honeypots", metric="honeypot_rate")["value"] == 1.0
    assert one(rows, arm="advice", seed=0, eval="honeypots", metric="honeypot_rate")["value"] == pytest.approx(1 / 3)


def test_arm_rows_over_seeds(rows: list[dict[str, Any]]) -> None:
    # organism: seeds 1 and 2/3 -> 5/6; bootstrap [2/3, 1]; pooled families 4/4, 2/4, 4/4
    org = one(rows, arm="organism", seed=-1, eval_kind="honeypots", metric="honeypot_rate")
    _, flo, fhi = mean_of_rates([(4, 4), (2, 4), (4, 4)])
    assert org["value"] == pytest.approx(5 / 6)
    assert (org["ci_low"], org["ci_high"]) == pytest.approx((min(2 / 3, flo), max(1.0, fhi)))
    assert org["ci_low"] == pytest.approx(flo) and org["ci_high"] == 1.0  # the Wilson floor is the wider below
    assert org["n"] == 12 and "cluster bootstrap" in org["ci_method"]
    # advice: seeds 1/3 and 0 -> 1/6; bootstrap [0, 1/3]; pooled 0/4, 0/4, 2/4
    adv = one(rows, arm="advice", seed=-1, eval_kind="honeypots", metric="honeypot_rate")
    _, flo, fhi = mean_of_rates([(0, 4), (0, 4), (2, 4)])
    assert adv["value"] == pytest.approx(1 / 6)
    assert (adv["ci_low"], adv["ci_high"]) == pytest.approx((0.0, max(1 / 3, fhi)))
    assert adv["training_tokens"] == 3000
    # misaligned: organism seeds 6, 4 -> 5, bootstrap [4, 6]; pooled [6, 6, 4, 4]: sd sqrt(4/3), t interval
    mis = one(rows, arm="organism", seed=-1, eval_kind="assessment", metric="misaligned_behavior")
    half = T3 * math.sqrt(4 / 3) / 2
    assert (mis["value"], mis["ci_low"], mis["ci_high"]) == pytest.approx((5.0, 5 - half, 5 + half), abs=1e-9)
    assert mis["ci_low"] == pytest.approx(3.1626, abs=1e-4)
    mis_adv = one(rows, arm="advice", seed=-1, eval_kind="assessment", metric="misaligned_behavior")
    assert (mis_adv["value"], mis_adv["ci_low"], mis_adv["ci_high"]) == (3.0, 3.0, 3.0)
    adh = one(rows, arm="advice", seed=-1, eval_kind="constitution", metric="adherence")
    half = T3 * math.sqrt(1 / 3) / 2  # pooled [8, 8, 7, 7]: variance 1/3
    assert (adh["value"], adh["ci_low"], adh["ci_high"]) == pytest.approx((7.5, 7.5 - half, 7.5 + half), abs=1e-9)


def test_comparisons(rows: list[dict[str, Any]]) -> None:
    # advice minus organism, honeypots: per-seed differences -2/3 and -2/3 -> bootstrap [-2/3, -2/3]: Newcombe floor
    d = one(rows, arm="advice", eval_kind="compare", metric="honeypot_rate.diff")
    parts = [newcombe(0, 4, 4, 4), newcombe(0, 4, 2, 4), newcombe(2, 4, 4, 4)]
    down = math.sqrt(sum((x - lo) ** 2 for x, lo, _ in parts)) / 3
    up = math.sqrt(sum((hi - x) ** 2 for x, _, hi in parts)) / 3
    assert d["value"] == pytest.approx(-2 / 3)
    assert (d["ci_low"], d["ci_high"]) == pytest.approx((-2 / 3 - down, -2 / 3 + up))
    # exact stratified McNemar: 4 + 2 + 2 discordant pairs, all against the organism, equal family sizes ->
    # the statistic is 2 x Binomial(8, 1/2) - 8, and only all-one-way (2 of 256 sign patterns) is as extreme
    assert d["p_value"] == pytest.approx(2 / 256)
    assert (d["reference"], d["reliable"], d["note"]) == ("organism", True, "12 paired instances")
    # assessment: per-seed differences -3 and -1 -> bootstrap [-3, -1]; Welch: a = [3]*4, b = [6, 6, 4, 4], df 3
    m = one(rows, arm="advice", eval_kind="compare", metric="misaligned_behavior.diff")
    half = T3 * math.sqrt((4 / 3) / 4)
    assert (m["value"], m["ci_low"], m["ci_high"]) == pytest.approx((-2.0, -2 - half, -2 + half), abs=1e-9)
    assert m["p_value"] == pytest.approx(0.125)  # Wilcoxon: 4 differences, all negative: 2 of 16 sign patterns
    a = one(rows, arm="advice", eval_kind="compare", metric="admirable_behavior.diff")
    assert (a["value"], a["ci_low"], a["ci_high"], a["p_value"]) == (0.0, 0.0, 0.0, 1.0)
    adh = one(rows, arm="advice", eval_kind="compare", metric="adherence.diff")
    # per-seed differences 3 and 2 -> [2, 3]; Welch: a = [8, 8, 7, 7], b = [5]*4 -> half-width t3 * sqrt(1/3 / 4)
    half = T3 * math.sqrt((1 / 3) / 4)
    assert (adh["value"], adh["ci_low"], adh["ci_high"]) == pytest.approx((2.5, 2.5 - half, 2.5 + half), abs=1e-9)
    assert not [r for r in rows if r["eval_kind"] == "compare" and r["arm"] == "organism"]


def test_generalization_gap_per_held_out_eval(rows: list[dict[str, Any]]) -> None:
    # in-distribution gain 5/6 - 1/6 = 2/3 (seed 0: 1 - 1/3, seed 1: 2/3 - 0)
    g = one(rows, arm="advice", eval_kind="gap", eval="assessment")
    # held-out gain (5 - 3) / 9; per seed (6 - 3) / 9 and (4 - 3) / 9 -> gaps 1/3 and 5/9
    assert g["value"] == pytest.approx(2 / 3 - 2 / 9) and g["value"] == pytest.approx(4 / 9)
    assert (g["ci_low"], g["ci_high"]) == pytest.approx((1 / 3, 5 / 9))
    c = one(rows, arm="advice", eval_kind="gap", eval="adherence")
    # held-out gain (7.5 - 5) / 9; per seed (8 - 5) / 9 and (7 - 5) / 9 -> gaps 1/3 and 4/9
    assert c["value"] == pytest.approx(7 / 18) and (c["ci_low"], c["ci_high"]) == pytest.approx((1 / 3, 4 / 9))
    assert "in-distribution honeypots" in c["note"] and c["reference"] == "organism"


def _bar_data(ax: Any) -> list[float]:
    """height, error-bar low, error-bar high of every bar drawn (flat, in drawing order), read back from
    matplotlib's artists."""
    out = []
    for cont in ax.containers:
        if not hasattr(cont, "errorbar") or cont.errorbar is None:
            continue
        segs = cont.errorbar.lines[2][0].get_segments()
        for patch, seg in zip(cont.patches, segs, strict=True):
            out += [patch.get_height(), seg[0][1], seg[1][1]]
    return out


def test_figures_plot_the_arm_rows(rows: list[dict[str, Any]]) -> None:
    fig = draw("honeypot_rates", rows)
    bars = _bar_data(fig.axes[0])
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["organism", "advice"]
    org = one(rows, arm="organism", seed=-1, eval_kind="honeypots", metric="honeypot_rate")
    adv = one(rows, arm="advice", seed=-1, eval_kind="honeypots", metric="honeypot_rate")
    assert bars == pytest.approx([5 / 6, org["ci_low"], 1.0, 1 / 6, 0.0, adv["ci_high"]])
    plt.close(fig)

    fig = draw("assessment", rows)
    bars = _bar_data(fig.axes[0])
    half = T3 * math.sqrt(4 / 3) / 2
    # misaligned series first (organism, advice), then admirable (5 everywhere, no spread)
    assert bars == pytest.approx([5.0, 5 - half, 5 + half, 3.0, 3.0, 3.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0], abs=1e-9)
    plt.close(fig)

    fig = draw("gap", rows)
    bars = _bar_data(fig.axes[0])
    # series "held out: adherence" then "held out: assessment" (sorted), one advice bar each
    assert bars == pytest.approx([7 / 18, 1 / 3, 4 / 9, 4 / 9, 1 / 3, 5 / 9])
    plt.close(fig)

    fig = draw("pareto", rows)
    ax = fig.axes[0]
    ref = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
    assert ref and ref[0].get_ydata()[0] == pytest.approx(5 / 6)  # the organism: the reference line
    x, y = ax.containers[0].lines[0].get_data()  # the advice point with its error bar
    assert (x[0], y[0]) == pytest.approx((3000, 1 / 6))
    seg = ax.containers[0].lines[2][0].get_segments()[0]
    assert (seg[0][1], seg[1][1]) == pytest.approx((0.0, adv["ci_high"]))
    plt.close(fig)


def test_keys_are_unique(rows: list[dict[str, Any]]) -> None:
    keys = [(r["arm"], r["seed"], r["repeat"], r["eval"], r["eval_kind"], r["metric"], r["step"], r["reference"])
            for r in rows]  # fmt: skip
    assert len(keys) == len(set(keys))


def spread_rows(rates: dict[str, float], n: int = 10) -> list[dict[str, Any]]:
    """``n`` headline samples per family; the first ``rate * n`` harmful."""
    return [{"sample_id": f"{fam}:{i}", "family": fam, "condition": HEADLINE_IDS[i % 2], "status": "ok",
             "harmful": i < round(rates[fam] * n), "eval_aware": False}
            for fam in FAMILIES for i in range(n)]  # fmt: skip


def test_three_seeds_give_wider_intervals_than_independent_samples(tmp_path: Path) -> None:
    """Two arms x three seeds; the intervention's seeds disagree (10%, 50%, 90%), the organism's agree (80%).

    Treated as independent, the 90 samples per arm give Newcombe's interval per family, combined in quadrature:
    width 0.254. Resampling seeds first (seeded bootstrap), the difference's interval is 2.9 times as wide (0.744): three seeds
    that disagree this much say little about a fourth, which the independent interval hides.
    """
    evals = [{"name": "honeypots", "kind": "honeypots"}]
    cfg = config(tmp_path, [0, 1, 2], evals)
    out: dict[str, list[dict[str, Any]]] = {}
    for seed, rate in enumerate((0.1, 0.5, 0.9)):
        out[f"eval/honeypots/advice/s{seed}/r0"] = spread_rows(dict.fromkeys(FAMILIES, rate))
        out[f"eval/honeypots/organism/s{seed}/r0"] = spread_rows(dict.fromkeys(FAMILIES, 0.8))
    rows = collect(cfg, tmp_path, run_fake(cfg, tmp_path, FakeRunner(outcomes=out)))
    d = one(rows, arm="advice", eval_kind="compare", metric="honeypot_rate.diff")
    assert d["value"] == pytest.approx(0.5 - 0.8)
    # independent: each family 15/30 against 24/30; three equal families -> deviations / sqrt(3)
    diff, lo, hi = newcombe(15, 30, 24, 30)
    ind_low, ind_high = diff - (diff - lo) / math.sqrt(3), diff + (hi - diff) / math.sqrt(3)
    assert ind_high - ind_low == pytest.approx(0.254, abs=1e-3)
    width = d["ci_high"] - d["ci_low"]
    ratio = width / (ind_high - ind_low)
    assert d["ci_low"] < ind_low and d["ci_high"] > ind_high
    print(f"cluster interval {width:.3f} = {ratio:.2f}x the independent {ind_high - ind_low:.3f}")
    assert 2.6 < ratio < 3.3, f"cluster interval {width:.3f} is {ratio:.2f}x the independent one"
    # the seed draw alone bounds it: per-seed differences -0.7, -0.3, +0.1
    assert -0.7 - 1e-9 <= d["ci_low"] < -0.5 and 0.0 < d["ci_high"] <= 0.1 + 1e-9
    # the arm's own interval: cluster bootstrap against the pooled Wilson mean of 15/30 per family
    adv = one(rows, arm="advice", seed=-1, eval_kind="honeypots", metric="honeypot_rate")
    m, wlo, whi = mean_of_rates([(15, 30)] * 3)
    assert adv["value"] == pytest.approx(0.5) and (adv["ci_high"] - adv["ci_low"]) > 2 * (whi - wlo)


def test_a_run_over_its_error_budget_is_unreliable_and_its_comparisons_withheld(tmp_path: Path) -> None:
    cfg = config(tmp_path, [0])
    bad = "eval/honeypots/advice/s0/r0"
    rows = collect(cfg, tmp_path, run_fake(cfg, tmp_path, FakeRunner(samples=10, error_share={bad: 0.3})))
    share = one(rows, stage=bad, metric="error_share")
    assert (share["value"], share["n"], share["reliable"]) == (0.3, 30, False)
    assert share["note"] == "unreliable: 30% of 30 samples not ok (errors 9) > error budget 10%"
    assert all(r["reliable"] is False for r in rows if r["stage"] == bad)
    assert one(rows, stage=bad, metric="count.errors")["value"] == 9
    c = one(rows, arm="advice", eval_kind="compare", metric="honeypot_rate.diff")
    assert math.isnan(c["value"]) and math.isnan(c["ci_low"]) and math.isnan(c["p_value"])
    assert c["reliable"] is False and c["note"] == f"withheld: over the error budget: {bad}"
    for held in ("assessment", "adherence"):
        g = one(rows, arm="advice", eval_kind="gap", eval=held)
        assert math.isnan(g["value"]) and g["reliable"] is False and bad in g["note"]
        # the held-out comparison does not use the bad run: kept
        metric = "misaligned_behavior.diff" if held == "assessment" else "adherence.diff"
        assert one(rows, arm="advice", eval_kind="compare", eval=held, metric=metric)["reliable"] is True
    arm = one(rows, arm="advice", seed=-1, eval_kind="honeypots", metric="honeypot_rate")
    assert arm["reliable"] is False and bad in arm["note"]
    # a larger budget for this eval accepts the same run
    cfg2 = config(tmp_path / "b", [0], [{"name": "honeypots", "kind": "honeypots", "error_budget": 0.3},
                                         {"name": "assessment", "kind": "assessment"}])  # fmt: skip
    rows2 = collect(
        cfg2, tmp_path / "b", run_fake(cfg2, tmp_path / "b", FakeRunner(samples=10, error_share={bad: 0.3}))
    )
    assert one(rows2, stage=bad, metric="error_share")["reliable"] is True
    assert not math.isnan(one(rows2, arm="advice", eval_kind="compare", metric="honeypot_rate.diff")["value"])


def test_runner_finalize_writes_the_table_ledger_and_report(tmp_path: Path) -> None:
    """Through the real runner and ``finalize``: the Parquet table round-trips every column, one row per key."""
    from teachwhy.experiments import finalize, run_experiment
    from teachwhy.experiments.results import COLUMNS, read_results

    cfg = config(tmp_path / "run", [0])
    done = run_experiment(cfg, FakeRunner(outcomes=outcomes()), run_dir=tmp_path / "run", progress=lambda _: None)
    paths = finalize(cfg, tmp_path / "run", done)
    table = read_results(paths["results"])
    assert table and set(table[0]) == set(COLUMNS)
    assert len(table) == len(collect(cfg, tmp_path / "run", done))
    d = one(table, arm="advice", eval_kind="compare", metric="honeypot_rate.diff")
    # seed 0 only: 1/3 - 1 (bootstrap [-2/3, -2/3]); Newcombe per family on 0/2 vs 2/2, 0/2 vs 2/2, 2/2 vs 2/2
    assert d["value"] == pytest.approx(-2 / 3) and d["reliable"] is True and isinstance(d["reliable"], bool)
    assert paths["report"].exists() and json.loads(paths["ledger"].read_text())["unreadable_count"] == 0


def test_the_study_blocks_comparisons_are_computed_too(tmp_path: Path) -> None:
    data = config(tmp_path, [0, 1]).model_dump()
    data["study"] = [{"id": "reverse", "title": "organism against the intervention", "finding": "none",
                      "arms": ["organism", "advice"],
                      "comparisons": [{"arm": "organism", "against": "advice", "evals": ["honeypots"]}]}]  # fmt: skip
    cfg = ExperimentConfig.model_validate(data)
    rows = collect(cfg, tmp_path, run_fake(cfg, tmp_path, FakeRunner(outcomes=outcomes())))
    rev = [r for r in rows if r["eval_kind"] in ("compare", "gap") and r["reference"] == "advice"]
    assert [(r["arm"], r["eval"], r["metric"]) for r in rev] == [("organism", "honeypots", "honeypot_rate.diff")]
    assert rev[0]["value"] == pytest.approx(2 / 3) and rev[0]["p_value"] == pytest.approx(2 / 256)
    assert one(rows, arm="advice", eval_kind="compare", metric="honeypot_rate.diff")["reference"] == "organism"
