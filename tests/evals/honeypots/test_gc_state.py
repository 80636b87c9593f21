"""An eval freezes the heap it starts with out of the collector's reach and raises the first threshold (throughput:
bench/eval_throughput.py); both are undone when it ends, also in a process that goes on (the demo, a notebook)."""

from __future__ import annotations

import gc
from pathlib import Path

from teachwhy.evals.honeypots import HoneypotRun, run_honeypots


def test_the_collector_is_restored_after_a_run(tmp_path: Path) -> None:
    before = gc.get_threshold()
    cfg = HoneypotRun(model="mockllm/model", scenarios=["blackmail"], samples=2, max_steps=1, out=str(tmp_path / "r"))
    summary = run_honeypots(cfg, display="none")
    assert summary["counts"]["rows"] == 2  # it ran: mockllm's plain reply is one row per sample
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
    assert gc.isenabled()


def test_a_callers_frozen_heap_stays_frozen(tmp_path: Path) -> None:
    gc.freeze()
    assert gc.get_freeze_count() > 0
    try:
        cfg = HoneypotRun(model="mockllm/model", scenarios=["blackmail"], samples=1, max_steps=1, out=str(tmp_path))
        run_honeypots(cfg, display="none")
        assert gc.get_freeze_count() > 0  # not unfrozen by the eval (objects freed since then leave it smaller)
    finally:
        gc.unfreeze()
