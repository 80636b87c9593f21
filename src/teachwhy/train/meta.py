"""meta.json beside every checkpoint and adapter: what produced it (config, data, base model, versions,
tokens)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments

from teachwhy._io import append_jsonl, atomic_write_json
from teachwhy._provenance import provenance

__all__ = ["MetaWriter", "MetricsLog", "RunInfo", "read_meta", "tokens_seen"]

META = "meta.json"


class RunInfo:
    """What a run records about itself; ``write(dir, state)`` puts meta.json in ``dir``."""

    def __init__(
        self,
        kind: str,
        config: dict[str, Any],
        *,
        base_model: str,
        init_model: str,
        adapter: bool,
        datacards: list[dict[str, Any]],
        stage: str | None = None,
    ) -> None:
        self.kind = kind
        self.config = config
        self.base_model = base_model
        self.init_model = init_model
        self.adapter = adapter
        self.datacards = datacards
        self.stage = stage
        self.extra: dict[str, Any] = {}

    def payload(self, state: TrainerState | None, *, final: bool) -> dict[str, Any]:
        """The meta.json content for the current training state."""
        return {
            "teachwhy_artifact": "adapter" if self.adapter else "model",
            "kind": self.kind,
            "stage": self.stage,
            "final": final,
            "base_model": self.base_model,
            "init_model": self.init_model,
            "global_step": state.global_step if state else None,
            "epoch": state.epoch if state else None,
            "tokens_seen": tokens_seen(state) if state else 0,
            "datacards": self.datacards,
            **self.extra,
            "provenance": provenance(self.config),
        }

    def write(self, directory: Path, state: TrainerState | None, *, final: bool = False) -> None:
        """Write meta.json into ``directory`` (atomically)."""
        atomic_write_json(directory / META, self.payload(state, final=final))


def tokens_seen(state: TrainerState) -> int:
    """Tokens the trainer has consumed (persisted in the trainer state, so resume-safe).

    Non-padding input tokens as counted by transformers, or TRL's ``num_tokens`` (prompt + completion for
    GRPO).
    """
    seen = int(getattr(state, "num_input_tokens_seen", 0) or 0)
    for row in reversed(state.log_history or []):
        if "num_tokens" in row:
            return max(seen, int(row["num_tokens"]))
    return seen


def read_meta(directory: Path) -> dict[str, Any] | None:
    """meta.json of a teachwhy output, or None when the directory has none."""
    import json

    p = directory / META
    if not p.is_file():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


class MetaWriter(TrainerCallback):  # type: ignore[misc]
    """Writes meta.json into every checkpoint the trainer saves."""

    def __init__(self, info: RunInfo) -> None:
        self.info = info

    def on_save(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any
    ) -> None:
        """After a checkpoint is written, put meta.json beside it."""
        if state.is_world_process_zero:
            ckpt = Path(str(args.output_dir)) / f"checkpoint-{state.global_step}"
            if ckpt.is_dir():
                self.info.write(ckpt, state)


class MetricsLog(TrainerCallback):  # type: ignore[misc]
    """Appends every logged metric dict as one fsync'd JSONL line (``metrics.jsonl`` in the output
    directory)."""

    def __init__(self, path: Path, stage: str | None = None) -> None:
        self.path = path
        self.stage = stage

    def on_log(
        self,
        args: TrainingArguments,
        state: TrainerState,
        control: TrainerControl,
        logs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """Record the trainer's log line with step, epoch and tokens seen."""
        if state.is_world_process_zero and logs:
            row: dict[str, Any] = {
                "kind": "train",
                "step": state.global_step,
                "epoch": state.epoch,
                "time": round(time.time(), 3),
            }
            if self.stage:
                row["stage"] = self.stage
            row["tokens_seen"] = tokens_seen(state)
            row.update({k: v for k, v in logs.items() if isinstance(v, int | float | str | bool)})
            append_jsonl(self.path, row)
