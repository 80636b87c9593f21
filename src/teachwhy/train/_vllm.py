"""vLLM, wired from the config: GRPO generation through TRL's vLLM integration (``grpo.use_vllm``), snapshot
evals through Inspect's ``vllm/`` provider (``snapshots.provider: vllm``).

Nothing here imports vLLM: TRL and Inspect do, and only when asked. What we own is the wiring — which
arguments reach ``GRPOConfig``, which model spec and environment reach the evals — and one clear error when
vLLM is not installed, raised before any model loads.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from teachwhy.errors import TeachwhyError
from teachwhy.train.config import GRPOSettings, SnapshotSettings

__all__ = ["grpo_vllm_args", "require_vllm", "snapshot_env", "snapshot_model", "vllm_installed"]


def vllm_installed() -> bool:
    """Whether the vllm package can be imported here (nothing is imported)."""
    return importlib.util.find_spec("vllm") is not None


def require_vllm(setting: str) -> None:
    """Fail clearly, naming ``setting``, when vLLM is not installed."""
    if not vllm_installed():
        raise TeachwhyError(
            f"{setting} asks for vLLM, which is not installed here",
            hint="on a CUDA GPU node: `.venv/bin/pip install vllm` (a version your TRL supports: see "
            f"docs/SCALE.md); or set {setting} off",
        )


def grpo_vllm_args(g: GRPOSettings) -> dict[str, Any]:
    """The vLLM keyword arguments for TRL's ``GRPOConfig`` (only ``use_vllm=False`` when vLLM is off)."""
    if not g.use_vllm:
        return {"use_vllm": False}
    args: dict[str, Any] = {"use_vllm": True, "vllm_mode": g.vllm_mode}
    if g.vllm_mode == "server":
        args.update(
            vllm_server_base_url=g.vllm_server_base_url,
            vllm_server_host=g.vllm_server_host,
            vllm_server_port=g.vllm_server_port,
            vllm_server_timeout=g.vllm_server_timeout,
        )
    else:
        args.update(
            vllm_gpu_memory_utilization=g.vllm_gpu_memory_utilization,
            vllm_tensor_parallel_size=g.vllm_tensor_parallel_size,
            vllm_max_model_length=g.vllm_max_model_length,
            vllm_enable_sleep_mode=g.vllm_enable_sleep_mode,
        )
    return args


def snapshot_model(model_dir: Path, settings: SnapshotSettings) -> str:
    """The model spec the snapshot's evals get: the directory itself (``hf``), or Inspect's ``vllm/`` spec.

    A LoRA snapshot is served as ``vllm/<base>:<adapter>`` (Inspect starts or reuses one server for the base
    and loads each snapshot's adapter onto it); a full model as ``vllm/<dir>``.
    """
    if settings.provider == "hf":
        return str(model_dir)
    adapter_cfg = model_dir / "adapter_config.json"
    if adapter_cfg.is_file():
        base = json.loads(adapter_cfg.read_text(encoding="utf-8")).get("base_model_name_or_path")
        if not base:
            raise TeachwhyError(f"{adapter_cfg} names no base model", hint="snapshots.provider: hf")
        return f"vllm/{Path(base).resolve()}:{model_dir.resolve()}"
    return f"vllm/{model_dir.resolve()}"


@contextmanager
def snapshot_env(settings: SnapshotSettings) -> Iterator[None]:
    """Set Inspect's vLLM variables (``VLLM_BASE_URL``, ``VLLM_DEFAULT_SERVER_ARGS``) while evals run."""
    wanted: dict[str, str] = {}
    if settings.provider == "vllm":
        if settings.vllm_base_url:
            wanted["VLLM_BASE_URL"] = settings.vllm_base_url
        if settings.vllm_server_args:
            wanted["VLLM_DEFAULT_SERVER_ARGS"] = json.dumps(settings.vllm_server_args)
    before = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
