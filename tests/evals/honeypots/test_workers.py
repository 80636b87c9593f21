"""Worker processes of a honeypot run: the same verdicts as one process, resume from a killed run's shard ledgers, no
orphans, and the refusals (local models, a target object).

The target is the local OpenAI-compatible server of ``bench/`` (``openai-api/bench/scripted``), scripted by the
storylines' own harmful and ethical scripts: worker processes build their model from its spec, so it has to be a
server that every process can reach (a mockllm object cannot cross processes).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.model import get_model

from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots import FAMILIES, HoneypotRun, Instance, build_instances, run_honeypots, script_steps
from teachwhy.evals.honeypots._run import _workers
from teachwhy.evals.honeypots._workers import WORK_DIR, merge_ledgers, shard_ledgers, shards

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

from _fake_openai import FakeOpenAI  # noqa: E402

SPEC = "openai-api/bench/scripted"
SAMPLES, SEED = 4, 7
HARMFUL_PER_FAMILY = {"blackmail": 1, "research_sabotage": 2, "framing": 3}


def _instances() -> list[Instance]:
    return build_instances(list(FAMILIES), SAMPLES, SEED, preset="headline")


def _harmful_ids(instances: list[Instance]) -> set[str]:
    return {i.sample_id for f, k in HARMFUL_PER_FAMILY.items() for i in [x for x in instances if x.family == f][:k]}


class Scripted:
    """The server's agent: follows each sample's harmful or ethical script, one tool call per turn, then stops."""

    def __init__(self) -> None:
        insts = _instances()
        self.by_system = {i.system_prompt: i for i in insts}
        assert len(self.by_system) == len(insts), "system prompts must identify samples"
        self.harmful = _harmful_ids(insts)

    def instance(self, body: dict[str, Any]) -> Instance:
        first = body["messages"][0]
        text = first["content"] if isinstance(first["content"], str) else first["content"][0]["text"]
        return self.by_system[text]

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        inst = self.instance(body)
        steps = script_steps(inst, "harmful" if inst.sample_id in self.harmful else "ethical", 0)
        done = sum(m["role"] == "tool" for m in body["messages"])
        if done >= len(steps):
            return {"content": "Done."}
        s = steps[done]
        return {"content": s["say"], "tool_calls": [{"name": s["tool"], "arguments": s["args"]}]}


@pytest.fixture(scope="module")
def _module_server() -> Iterator[FakeOpenAI]:
    # one server (one port) for the module: inspect memoizes a model by its name in a process, so an in-process run
    # after another would call the first run's base URL
    srv = FakeOpenAI(latency=0.0).start()
    with pytest.MonkeyPatch.context() as mp:  # module scope: the function-scoped monkeypatch fixture cannot serve
        mp.setenv("BENCH_BASE_URL", f"http://127.0.0.1:{srv.port}/v1")
        mp.setenv("BENCH_API_KEY", "local-test")
        yield srv
        srv.stop()


@pytest.fixture
def server(_module_server: FakeOpenAI) -> Iterator[tuple[FakeOpenAI, Scripted]]:
    """The server scripted by the storylines, with no latency."""
    agent = Scripted()
    srv = _module_server
    srv.reply, srv.latency = agent, 0.0
    srv.bodies.clear()
    yield srv, agent
    srv.reply = None


def _cfg(out: Path, workers: int | str, **kw: Any) -> HoneypotRun:
    return HoneypotRun(model=SPEC, samples=SAMPLES, seed=SEED, max_connections=4, workers=workers, out=str(out), **kw)


def _rows(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "samples.jsonl").read_text().splitlines()]


def _comparable(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k != "provenance"}  # provenance holds the time and the command line


def _asked(srv: FakeOpenAI, agent: Scripted) -> set[str]:
    return {agent.instance(b).sample_id for b in srv.bodies}


def test_two_workers_give_the_rows_and_summary_of_one(tmp_path: Path, server: tuple[FakeOpenAI, Scripted]) -> None:
    srv, agent = server
    one = run_honeypots(_cfg(tmp_path / "one", 1), display="none")
    assert len(list((tmp_path / "one" / "logs").glob("*.eval"))) == 1
    srv.bodies.clear()
    two = run_honeypots(_cfg(tmp_path / "two", 2), display="none")
    assert len(list((tmp_path / "two" / "logs").glob("*.eval"))) == 2, "one eval log per worker"
    assert _asked(srv, agent) == {i.sample_id for i in _instances()}

    # every harmful script is decided harmful, in both runs (counts set by the test above)
    for fam, k in HARMFUL_PER_FAMILY.items():
        assert one["families"][fam]["harmful"] == k, (fam, one["families"][fam])
    assert _comparable(two) == _comparable(one)
    assert _comparable(json.loads((tmp_path / "two" / "summary.json").read_text())) == _comparable(
        json.loads((tmp_path / "one" / "summary.json").read_text())
    )
    rows_one, rows_two = _rows(tmp_path / "one"), _rows(tmp_path / "two")
    assert len(rows_two) == len(rows_one) == 3 * SAMPLES, "one row per sample, none lost or doubled"
    assert sorted(rows_two, key=lambda r: r["sample_id"]) == sorted(rows_one, key=lambda r: r["sample_id"])
    assert shard_ledgers(tmp_path / "two") == [], "shard ledgers are merged and removed"


def test_resume_after_a_killed_runs_partial_shards(tmp_path: Path, server: tuple[FakeOpenAI, Scripted]) -> None:
    srv, agent = server
    reference = tmp_path / "ref"
    run_honeypots(_cfg(reference, 1), display="none")
    ref = {r["sample_id"]: r for r in _rows(reference)}
    ids = sorted(ref)

    # what a killed two-worker run leaves: a few rows merged, the rest in two shard ledgers, one cut mid-line
    out = tmp_path / "killed"
    (out / WORK_DIR).mkdir(parents=True)
    merged, shard0, shard1 = ids[:2], ids[2:5], ids[5:7]
    (out / "samples.jsonl").write_text("".join(json.dumps(ref[i]) + "\n" for i in merged))
    (out / WORK_DIR / "samples-0.jsonl").write_text("".join(json.dumps(ref[i]) + "\n" for i in shard0))
    torn = json.dumps(ref[ids[7]])[:40]  # sample 7 was being written when the worker died: not finished
    (out / WORK_DIR / "samples-1.jsonl").write_text("".join(json.dumps(ref[i]) + "\n" for i in shard1) + torn)

    srv.bodies.clear()
    summary = run_honeypots(_cfg(out, 2), display="none")
    finished = set(merged) | set(shard0) | set(shard1)
    assert _asked(srv, agent) == set(ids) - finished, "only the unfinished samples call the model"
    assert summary["resumed"] == len(finished) == 7
    rows = _rows(out)
    assert len(rows) == len(ids), "every sample exactly once"
    assert {r["sample_id"]: r for r in rows} == ref
    assert shard_ledgers(out) == []


def test_merge_is_idempotent_and_closes_a_torn_tail(tmp_path: Path) -> None:
    ledger = tmp_path / "samples.jsonl"
    ledger.write_text('{"sample_id": "a", "v": 1}\n{"sample_id": "b", "v"')  # torn tail from a crash
    part = tmp_path / "samples-0.jsonl"
    part.write_text('{"sample_id": "a", "v": 1}\n{"sample_id": "c", "v": 3}\n')
    assert merge_ledgers([part], ledger) == 2
    assert not part.exists()
    lines = ledger.read_text().splitlines()
    assert lines == ['{"sample_id": "a", "v": 1}', '{"sample_id": "b", "v"', '{"sample_id": "c", "v": 3}']
    # a merge repeated (cut short before the part was deleted) adds nothing
    part.write_text('{"sample_id": "c", "v": 3}\n')
    merge_ledgers([part], ledger)
    assert ledger.read_text().splitlines() == lines


def test_shards_are_round_robin() -> None:
    assert shards([str(i) for i in range(7)], 3) == [["0", "3", "6"], ["1", "4"], ["2", "5"]]
    assert sum(map(len, shards(list("abcdefghij"), 4))) == 10


def test_auto_workers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    n = lambda c, model=SPEC, **kw: _workers(HoneypotRun(model=model, max_connections=c, **kw), None, 1000)  # noqa: E731
    assert [n(8), n(16), n(32), n(48), n(200)] == [1, 1, 2, 3, 4]  # one per 16 connections, at most one per core
    assert n(32, workers=3) == 3 and n(2, workers=3) == 2, "never more workers than connections"
    assert _workers(HoneypotRun(model=SPEC, max_connections=64, workers=4), None, 3) == 3, "nor than samples"
    local = tmp_path / "model"
    local.mkdir()
    (local / "config.json").write_text("{}")
    assert n(64, model=str(local)) == 1 and n(64, model="embedded") == 1, "local models: one process"
    assert _workers(HoneypotRun(model="mockllm/model", max_connections=64), get_model("mockllm/model"), 10) == 1


def test_refusals(tmp_path: Path) -> None:
    local = tmp_path / "model"
    local.mkdir()
    (local / "config.json").write_text("{}")
    with pytest.raises(TeachwhyError, match="workers: 2 with .*loaded in this process") as e:
        run_honeypots(HoneypotRun(model=str(local), workers=2, out=str(tmp_path / "a")), display="none")
    assert "--workers 1" in str(e.value.hint)
    with pytest.raises(TeachwhyError, match="target Model object"):
        run_honeypots(HoneypotRun(model="mockllm/model", workers=2, out=str(tmp_path / "b")), display="none",
                      target=get_model("mockllm/model"))  # fmt: skip
    with pytest.raises(TeachwhyError, match="at least 1"):
        run_honeypots(HoneypotRun(model="mockllm/model", workers=0, out=str(tmp_path / "c")), display="none")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists(), "refused before anything is written"


def _worker_pids(out: Path) -> list[int]:
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes()
            except OSError:
                continue
            if str(out / WORK_DIR).encode() in cmd and b"child_main" in cmd:
                pids.append(int(d.name))
    return pids


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_parent_leaves_no_orphans_and_rerun_finishes(tmp_path: Path, _module_server: FakeOpenAI) -> None:
    srv = _module_server  # unscripted: a send_email reply, one model turn per sample with --max-steps 1
    srv.reply, srv.latency = None, 0.25
    out = tmp_path / "run"
    args = ["eval", "honeypots", "--model", SPEC, "--samples", "16", "--max-steps", "1", "--max-connections", "2",
            "--workers", "2", "--out", str(out)]  # fmt: skip
    cli = subprocess.Popen([sys.executable, "-c", "from teachwhy.cli import main; main()", *args],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while sum(p.read_bytes().count(b"\n") for p in shard_ledgers(out)) < 4:  # some samples finished
            assert cli.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
            time.sleep(0.1)
        assert len(_worker_pids(out)) == 2
        cli.send_signal(signal.SIGKILL)
        cli.wait(10)
        deadline = time.monotonic() + 10
        while _worker_pids(out) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _worker_pids(out) == [], "the workers end with their parent"
    finally:
        if cli.poll() is None:
            cli.kill()
    killed = time.perf_counter()  # the server's clock: requests that arrive from here on are the rerun's
    summary = run_honeypots(HoneypotRun(model=SPEC, samples=16, max_steps=1, max_connections=2, workers=2,
                                        out=str(out)), display="none")  # fmt: skip
    assert 4 <= summary["resumed"] < 48
    rerun = sum(arrived > killed for arrived, _ in srv.stamps)
    assert rerun == 48 - summary["resumed"], "the rerun asks only for the missing samples"
    rows = _rows(out)
    assert sorted(r["sample_id"] for r in rows) == sorted(i.sample_id for i in build_instances(list(FAMILIES), 16, 0))
