"""Provider faults: every affected sample ends correct after a retry or counted as an error, never silently scored.

The fault server (bench/_fault_server.py) injects 429 + Retry-After, 500, 503, timeouts, truncated and malformed JSON,
empty content and invalid tool-call arguments into both the target and the judge of a real
``teachwhy eval honeypots`` run; a clean run against the same server is the ground truth per sample.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ._harness import FAULTS, FaultServer, compare_to_baseline, honeypot_fault_run

SAMPLES = 4  # per family: 12 samples
MIXED = {"429": 0.08, "500": 0.05, "503": 0.05, "timeout": 0.03, "truncated": 0.05, "malformed": 0.05,
         "empty": 0.05, "bad_tool_args": 0.08}  # fmt: skip


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    srv = FaultServer({}, seed=0).start()
    try:
        run = honeypot_fault_run(srv, tmp_path_factory.mktemp("clean") / "run", samples=SAMPLES)
    finally:
        srv.stop()
    assert run["code"] == 0, run["stderr"]
    v = run["verdicts"]
    assert len(v) == 3 * SAMPLES and all(r["status"] == "ok" for r in v.values()), v
    assert sum(bool(r["harmful"]) for r in v.values()) >= SAMPLES, "the clean policy must produce harmful verdicts"
    return v


def test_mixed_faults_are_recovered_or_counted(baseline: dict[str, dict], tmp_path: Path) -> None:
    srv = FaultServer(MIXED, seed=3, hang_s=4).start()
    try:
        run = honeypot_fault_run(srv, tmp_path / "run", samples=SAMPLES)
    finally:
        srv.stop()
    c = srv.counts()
    assert run["code"] == 0, run["stderr"]
    res = compare_to_baseline(baseline, run, set(baseline))
    print("faults:", c, "outcome:", res)
    assert c["faults"] >= 5 and c["retried"] >= 1 and c["recovered"] >= 1
    assert res["silent"] == 0, res
    assert res["uncounted"] == 0 and res["errors"] == res["summary_not_ok"], res
    assert res["correct"] + res["errors"] + res["altered"] == 3 * SAMPLES  # altered: a fault changed the actions


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_kind_alone(fault: str, baseline: dict[str, dict], tmp_path: Path) -> None:
    """Each kind at a high rate on its own: still 0 silent, everything counted.

    The rate is 0.9 so that every kind is injected at least once whatever the request keys (tool-call ids in later
    turns differ between runs); retryable kinds still recover, since at most 2 faults in a row hit one request.
    """
    srv = FaultServer({fault: 0.9}, seed=11, hang_s=4).start()
    try:
        run = honeypot_fault_run(srv, tmp_path / "run", samples=1)
    finally:
        srv.stop()
    res = compare_to_baseline(baseline, run, _ids(1))
    print(fault, srv.counts(), res)
    assert run["code"] == 0, run["stderr"]
    assert srv.counts()["injected"].get(fault, 0) >= 1
    assert res["silent"] == 0, res
    assert res["uncounted"] == 0 and res["errors"] == res["summary_not_ok"], res


def _ids(samples: int) -> set[str]:
    from teachwhy.evals.honeypots._task import build_instances

    return {i.sample_id for i in build_instances(["blackmail", "research_sabotage", "framing"], samples, 0)}


def test_persistent_outage_is_counted_then_resumed(baseline: dict[str, dict], tmp_path: Path) -> None:
    """Requests that fail on every attempt end as counted errors; rerunning after the outage completes them."""
    out = tmp_path / "run"
    srv = FaultServer({}, seed=5, persistent=0.3).start()
    try:
        run = honeypot_fault_run(srv, out, samples=SAMPLES)
        first = compare_to_baseline(baseline, run, set(baseline))
        assert srv.counts()["faults"] >= 1 and first["errors"] >= 1, (srv.counts(), first)
        assert first["silent"] == 0 and first["errors"] == first["summary_not_ok"], first
        finished = {k: v for k, v in run["verdicts"].items() if v["status"] == "ok"}
        srv.persistent = 0.0  # the outage ends
        srv.reset()
        again = honeypot_fault_run(srv, out, samples=SAMPLES)
    finally:
        srv.stop()
    second = compare_to_baseline(baseline, again, set(baseline))
    assert second == {**second, "errors": 0, "silent": 0, "correct": 3 * SAMPLES}, second
    for sid, row in finished.items():  # finished samples were not redone
        assert again["verdicts"][sid] == row
    assert again["summary"]["resumed"] == len(finished)


def test_inspect_log_metrics_match_the_verdicts(tmp_path: Path) -> None:
    """The .eval log's harmful_rate / without_verdict agree with the ledger (they read NaN / all-unscored before: inspect's
    epoch reducer turned the string score values into floats; fixed in _task.py by reading the verdict metadata)."""
    from inspect_ai.log import list_eval_logs, read_eval_log

    srv = FaultServer({}, seed=0).start()
    try:
        run = honeypot_fault_run(srv, tmp_path / "run", samples=2)
    finally:
        srv.stop()
    ok = [r for r in run["verdicts"].values() if r["status"] == "ok"]
    log = read_eval_log(list_eval_logs(str(tmp_path / "run" / "logs"))[0])
    metrics = {m.name.split("/")[-1]: m.value for s in log.results.scores for m in s.metrics.values()}
    assert metrics["harmful_rate"] == pytest.approx(sum(r["harmful"] for r in ok) / len(ok))
    assert metrics["without_verdict"] == len(run["verdicts"]) - len(ok)
    assert metrics["decided"] == len(ok)
