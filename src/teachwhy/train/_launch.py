"""Fail fast, and once, when a GPU launch config meets a machine without the GPUs it names.

``accelerate launch --config_file configs/train/accelerate/multi_gpu_ddp.yaml -m teachwhy.train …`` starts one
process per GPU the config names. On a machine without CUDA every one of them would load the model, fail, and
print the same error, ending in the launcher's traceback. ``python -m teachwhy.train`` checks first, before
any heavy import: rank 0 prints one ``error:`` / ``fix:`` pair, the other ranks exit quietly.

A launch counts as a GPU launch when accelerate started it (its ``ACCELERATE_*`` variables are set) without
``--cpu`` / ``use_cpu: true``. Plain ``torchrun`` on a CPU machine is the supported CPU multi-process path
(gloo), so it is not refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from teachwhy.errors import TeachwhyError

__all__ = ["check_launch", "is_rank_zero"]

_ACCELERATE_MARKERS = ("ACCELERATE_MIXED_PRECISION", "ACCELERATE_DYNAMO_BACKEND", "ACCELERATE_USE_CPU")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes")


def is_rank_zero(env: Mapping[str, str]) -> bool:
    """Whether this process is global rank 0 (or not launched as one of several)."""
    return (env.get("RANK") or "0") == "0"


def check_launch(env: Mapping[str, str], *, cuda_available: bool, gpu_count: int) -> None:
    """Raise :class:`TeachwhyError` when accelerate launched this process for GPUs that are not here."""
    if not any(k in env for k in _ACCELERATE_MARKERS) or _truthy(env.get("ACCELERATE_USE_CPU")):
        return
    kind = "FSDP" if _truthy(env.get("ACCELERATE_USE_FSDP")) else "DeepSpeed" if _truthy(
        env.get("ACCELERATE_USE_DEEPSPEED")) else "GPU"  # fmt: skip
    per_node = int(env.get("LOCAL_WORLD_SIZE") or 1)
    if not cuda_available:
        raise TeachwhyError(
            f"the accelerate config asks for {kind} training on {per_node} process(es) per machine, but torch sees "
            "no CUDA GPU here",
            hint="run the same command on a GPU node; on this machine train on the CPU without accelerate "
            "(`.venv/bin/teachwhy train sft --config F.yaml`), or on 2 CPU processes with "
            "`.venv/bin/torchrun --nproc_per_node 2 -m teachwhy.train sft --config F.yaml`",
        )
    if per_node > gpu_count:
        raise TeachwhyError(
            f"the accelerate config starts {per_node} processes on this machine, but it has {gpu_count} GPU(s)",
            hint=f"add `--num_processes {gpu_count}` after `accelerate launch` (per machine), or edit "
            "num_processes in the config",
        )
