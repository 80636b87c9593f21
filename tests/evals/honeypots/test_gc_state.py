"""An eval freezes the heap it starts with out of the collector's reach and raises the first threshold (throughput:
bench/eval_throughput.py); both are undone when it ends, also in a process that goes on (the demo, a notebook)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

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


def test_samples_in_flight_per_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """inspect gets max_samples = SAMPLES_PER_CONNECTION x max_connections (8: bench/eval_throughput.py's best at
    C = 32), and the run still finishes every sample."""
    from teachwhy.evals.honeypots import _run

    seen: dict[str, object] = {}
    real = _run.inspect_eval

    def spy(*args: object, **kwargs: object) -> object:
        if kwargs.get("log_dir"):  # the eval itself, not a warm-up
            seen.update(kwargs)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_run, "inspect_eval", spy)
    cfg = HoneypotRun(model="mockllm/model", scenarios=["blackmail"], samples=3, max_steps=1, max_connections=3,
                      workers=1, out=str(tmp_path / "r"))  # fmt: skip
    summary = run_honeypots(cfg, display="none")
    assert _run.SAMPLES_PER_CONNECTION == 8
    assert (seen["max_connections"], seen["max_samples"]) == (3, 24)
    assert summary["counts"]["rows"] == 3
