"""vLLM wiring, without vLLM: what TRL's GRPOConfig and Inspect's ``vllm/`` provider receive from our config, and
the error when vLLM is absent (train/_vllm.py)."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest

from teachwhy.errors import TeachwhyError
from teachwhy.train._vllm import grpo_vllm_args, snapshot_env, snapshot_model
from teachwhy.train.config import GRPOSettings, RLRunConfig, SnapshotSettings
from teachwhy.train.snapshots import run_snapshot

SEEN: list[dict[str, Any]] = []


def record_eval(model: str, *, out_dir: Path, limit: int | None) -> dict[str, float]:
    """A snapshot eval that records the spec and vLLM environment it ran with."""
    SEEN.append({"model": model, "base_url": os.environ.get("VLLM_BASE_URL"),
                 "server_args": os.environ.get("VLLM_DEFAULT_SERVER_ARGS"), "limit": limit})  # fmt: skip
    return {"score": 1.0}


def no_vllm(monkeypatch: pytest.MonkeyPatch, present: bool) -> None:
    """Make teachwhy's check (and, when absent, every ``find_spec('vllm')``) answer as if vLLM were (not) installed.
    Pretending it present is for our check only: TRL would then try to import it."""
    from teachwhy.train import _vllm

    monkeypatch.setattr(_vllm, "vllm_installed", lambda: present)
    if not present:
        real = importlib.util.find_spec

        def fake(name: str, *a: Any, **k: Any) -> Any:
            return None if name == "vllm" else real(name, *a, **k)

        monkeypatch.setattr(importlib.util, "find_spec", fake)


def test_grpo_args_off_colocate_server() -> None:
    assert grpo_vllm_args(GRPOSettings.model_validate({})) == {"use_vllm": False}
    colocate = grpo_vllm_args(GRPOSettings.model_validate(
        {"use_vllm": True, "vllm_gpu_memory_utilization": 0.25, "vllm_tensor_parallel_size": 2,
         "vllm_max_model_length": 4096, "vllm_enable_sleep_mode": True}))  # fmt: skip
    assert colocate == {"use_vllm": True, "vllm_mode": "colocate", "vllm_gpu_memory_utilization": 0.25,
                        "vllm_tensor_parallel_size": 2, "vllm_max_model_length": 4096,
                        "vllm_enable_sleep_mode": True}  # fmt: skip
    server = grpo_vllm_args(GRPOSettings.model_validate(
        {"use_vllm": True, "vllm_mode": "server", "vllm_server_base_url": "http://node0:8000",
         "vllm_server_timeout": 600}))  # fmt: skip
    assert server == {"use_vllm": True, "vllm_mode": "server", "vllm_server_base_url": "http://node0:8000",
                      "vllm_server_host": "0.0.0.0", "vllm_server_port": 8000, "vllm_server_timeout": 600.0}  # fmt: skip


def test_trl_accepts_the_args(tmp_path: Path) -> None:
    """Every key we pass is a GRPOConfig field, with the value we gave (a renamed TRL field fails here)."""
    from trl import GRPOConfig  # type: ignore[attr-defined]

    for mode in ("colocate", "server"):
        args = grpo_vllm_args(GRPOSettings.model_validate({"use_vllm": True, "vllm_mode": mode}))
        cfg = GRPOConfig(output_dir=str(tmp_path), use_cpu=True, **args)
        assert {k: getattr(cfg, k) for k in args} == args


def test_rl_without_vllm_fails_before_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    no_vllm(monkeypatch, present=False)
    import teachwhy.train.rl as rl

    monkeypatch.setattr(rl, "load_for_training", lambda *a, **k: pytest.fail("loaded a model before the check"))
    base = {"reward": {"judge": {"enabled": False}}}
    with pytest.raises(TeachwhyError) as err:
        rl.run_rl(RLRunConfig.model_validate({**base, "grpo": {"use_vllm": True}}))
    assert "grpo.use_vllm asks for vLLM, which is not installed" in err.value.message
    assert "pip install vllm" in (err.value.hint or "")
    with pytest.raises(TeachwhyError, match="snapshots.provider: vllm asks for vLLM"):
        rl.run_rl(RLRunConfig.model_validate({**base, "snapshots": {"provider": "vllm", "evals": ["honeypots"]}}))


@pytest.mark.slow
def test_rl_hands_the_vllm_args_to_grpo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedded_dir: Path) -> None:
    """run_rl with ``grpo.use_vllm`` (vLLM pretended present): the GRPOConfig TRL's trainer receives."""
    import trl

    from teachwhy.train.tiny import build_tiny_model

    no_vllm(monkeypatch, present=True)
    got: dict[str, Any] = {}

    class Stop(Exception):
        pass

    class FakeTrainer:
        def __init__(self, *, args: Any, **kwargs: Any) -> None:
            got["args"] = args
            raise Stop

    monkeypatch.setattr(trl, "GRPOTrainer", FakeTrainer)
    tiny = build_tiny_model(tmp_path / "tiny", source=embedded_dir, layers=1, hidden=32)
    cfg = RLRunConfig.model_validate({
        "model": str(tiny), "out": str(tmp_path / "out"), "reward": {"judge": {"enabled": False}},
        "prompts": {"limit": 4}, "train": {"batch_size": 4},
        "grpo": {"use_vllm": True, "vllm_mode": "server", "vllm_server_base_url": "http://node0:8000"}})  # fmt: skip
    from teachwhy.train.rl import run_rl

    with pytest.raises(Stop):
        run_rl(cfg)
    a = got["args"]
    assert (a.use_vllm, a.vllm_mode, a.vllm_server_base_url) == (True, "server", "http://node0:8000")


def adapter_dir(tmp_path: Path) -> Path:
    base = tmp_path / "base"
    base.mkdir()
    (base / "config.json").write_text("{}")
    d = tmp_path / "snapshots" / "step-5"
    d.mkdir(parents=True)
    (d / "adapter_config.json").write_text(json.dumps({"r": 8, "base_model_name_or_path": str(base)}))
    return d


def test_snapshot_spec_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VLLM_BASE_URL", raising=False)
    monkeypatch.delenv("VLLM_DEFAULT_SERVER_ARGS", raising=False)
    d = adapter_dir(tmp_path)
    hf = SnapshotSettings.model_validate({"evals": [f"{__name__}:record_eval"], "limit": 2})
    assert snapshot_model(d, hf) == str(d)
    settings = SnapshotSettings.model_validate({
        "evals": [f"{__name__}:record_eval"], "limit": 2, "provider": "vllm",
        "vllm_base_url": "http://node0:8001/v1", "vllm_server_args": {"gpu_memory_utilization": 0.2}})  # fmt: skip
    spec = f"vllm/{(tmp_path / 'base').resolve()}:{d.resolve()}"
    assert snapshot_model(d, settings) == spec
    SEEN.clear()
    rows = run_snapshot(d, 5, settings, tmp_path / "metrics.jsonl")
    assert rows[0]["status"] == "ok" and rows[0]["model"] == spec
    assert SEEN == [{"model": spec, "base_url": "http://node0:8001/v1",
                     "server_args": '{"gpu_memory_utilization": 0.2}', "limit": 2}]  # fmt: skip
    assert "VLLM_BASE_URL" not in os.environ and "VLLM_DEFAULT_SERVER_ARGS" not in os.environ  # restored
    full = tmp_path / "full"
    full.mkdir()
    (full / "config.json").write_text("{}")
    assert snapshot_model(full, settings) == f"vllm/{full.resolve()}"


def test_inspect_vllm_provider_reads_our_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inspect's own provider (constructed lazily: no server, no vLLM) parses the spec into base + LoRA adapter and
    takes the server arguments from the environment we set."""
    from inspect_ai.model import get_model

    monkeypatch.delenv("VLLM_BASE_URL", raising=False)
    d = adapter_dir(tmp_path)
    settings = SnapshotSettings.model_validate({"provider": "vllm", "vllm_server_args": {"tensor_parallel_size": 2}})
    with snapshot_env(settings):
        api: Any = get_model(snapshot_model(d, settings), memoize=False).api
    assert api.base_model == str((tmp_path / "base").resolve())
    assert api.adapter.path == str(d.resolve())
    assert api.server_args == {"tensor_parallel_size": 2}
    assert api._server.enable_lora and api._server.max_lora_rank == 8


def test_snapshot_eval_with_vllm_absent_is_an_error_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A built-in eval given a ``vllm/`` spec without vLLM: the preflight's clear error, recorded, not raised."""
    no_vllm(monkeypatch, present=False)
    d = adapter_dir(tmp_path)
    settings = SnapshotSettings.model_validate({"provider": "vllm", "evals": ["adherence"], "limit": 1})
    rows = run_snapshot(d, 5, settings, tmp_path / "metrics.jsonl")
    assert rows[0]["status"] == "error" and "vllm package, which is not installed" in rows[0]["error"]
