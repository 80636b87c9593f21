"""What sft, sdf and rl share: trainer arguments, callbacks, resume, the final save with tokenizer and
meta.json."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

from teachwhy._io import atomic_write_text, read_jsonl
from teachwhy.errors import TeachwhyError
from teachwhy.train._save import save_policy
from teachwhy.train.config import SnapshotSettings, TrainSettings
from teachwhy.train.meta import MetaWriter, MetricsLog, RunInfo
from teachwhy.train.precision import resolve_bf16
from teachwhy.train.snapshots import SnapshotCallback

__all__ = ["METRICS", "common_args", "last_checkpoint", "train_and_save"]

METRICS = "metrics.jsonl"


def _report_to(settings: TrainSettings) -> list[str]:
    sinks: list[str] = []
    for sink in settings.report_to:
        if importlib.util.find_spec(sink if sink != "tensorboard" else "tensorboard") is None:
            raise TeachwhyError(
                f"report_to includes {sink}, which is not installed", hint=f"pip install {sink}, or remove it"
            )
        sinks.append(sink)
    return sinks or ["none"]


def common_args(settings: TrainSettings, out: Path) -> dict[str, Any]:
    """Keyword arguments shared by ``SFTConfig`` and ``GRPOConfig``, every TRL default that bites set
    explicitly."""
    import torch

    return {
        "output_dir": str(out),
        "use_cpu": not torch.cuda.is_available(),
        "per_device_train_batch_size": settings.batch_size,
        "gradient_accumulation_steps": settings.grad_accum,
        "learning_rate": settings.learning_rate,
        "num_train_epochs": settings.epochs,
        "max_steps": settings.max_steps,
        "lr_scheduler_type": settings.lr_scheduler,
        "warmup_steps": settings.warmup_ratio,  # transformers 5: a float < 1 is a ratio
        "weight_decay": settings.weight_decay,
        "max_grad_norm": settings.max_grad_norm,
        "logging_steps": settings.logging_steps,
        "save_strategy": "steps",
        "save_steps": settings.save_steps,
        "save_total_limit": settings.save_total_limit,
        "seed": settings.seed,
        "bf16": resolve_bf16(settings.bf16),
        "fp16": False,
        "gradient_checkpointing": settings.gradient_checkpointing,
        "report_to": _report_to(settings),
        "include_num_input_tokens_seen": "non_padding",
        "dataloader_num_workers": settings.dataloader_workers,
        "ddp_timeout": settings.ddp_timeout,
        "disable_tqdm": False,
    }


def last_checkpoint(out: Path) -> str | None:
    """The newest complete ``checkpoint-N`` in ``out`` (one with trainer_state.json), or None."""
    best: tuple[int, Path] | None = None
    if not out.is_dir():
        return None
    for d in out.glob("checkpoint-*"):
        suffix = d.name.removeprefix("checkpoint-")
        if suffix.isdigit() and (d / "trainer_state.json").is_file():
            if best is None or int(suffix) > best[0]:
                best = (int(suffix), d)
    return str(best[1]) if best else None


def train_and_save(
    trainer: Any,
    *,
    out: Path,
    info: RunInfo,
    settings: TrainSettings,
    snapshots: SnapshotSettings,
    stage: str | None = None,
    metrics_path: Path | None = None,
) -> dict[str, Any]:
    """Attach callbacks, train (resuming from the newest checkpoint when asked), save model + tokenizer +
    meta.json.

    Returns the meta.json payload of the final artifact.
    """
    log_path = metrics_path or out / METRICS
    # what train.bf16 (true / false / auto) resolved to on this machine: results of `auto` differ by hardware
    info.extra["precision"] = "bf16" if getattr(trainer.args, "bf16", False) else "fp32"
    resume = last_checkpoint(out) if settings.resume else None
    _truncate_metrics(log_path, stage, _checkpoint_step(resume))
    trainer.add_callback(MetricsLog(log_path, stage))
    trainer.add_callback(MetaWriter(info))
    if snapshots.evals and (snapshots.every_steps or snapshots.at_end):
        trainer.add_callback(SnapshotCallback(snapshots, out, info, log_path, stage, trainer=trainer))
    if resume:
        print(f"resuming from {resume}", flush=True)
    trainer.train(resume_from_checkpoint=resume)
    state = trainer.state
    save_policy(trainer, out)  # every rank: FSDP / ZeRO-3 weights are gathered before rank 0 writes them
    if trainer.is_world_process_zero():
        info.write(out, state, final=True)
    return info.payload(state, final=True)


def set_offline() -> None:
    """Nothing downloads at run time."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _checkpoint_step(checkpoint: Any) -> int:
    """The global step a checkpoint directory (``checkpoint-N``) holds; 0 without one."""
    if not checkpoint:
        return 0
    try:
        return int(str(Path(checkpoint).name).rsplit("-", 1)[-1])
    except ValueError:
        return 0


def _truncate_metrics(path: Path, stage: str | None, keep_until: int) -> None:
    """Drop this stage's metric rows past the step training restarts from, so steps re-trained after a crash
    are logged once (the file is rewritten atomically)."""
    if not path.exists():
        return
    rows = list(read_jsonl(path))
    kept = [r for r in rows if r.get("stage") != stage or int(r.get("step") or 0) <= keep_until]
    if len(kept) != len(rows):
        atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in kept))
