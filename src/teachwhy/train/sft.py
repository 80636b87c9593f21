"""``teachwhy train sft`` (chat data, assistant tokens only) — and the document stage of sdf — on TRL's
SFTTrainer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from teachwhy.train._model import load_for_training
from teachwhy.train._runner import common_args, set_offline, train_and_save
from teachwhy.train.config import LoraSettings, Mixture, SFTRunConfig, SnapshotSettings, TrainSettings
from teachwhy.train.data import Kind, build_mixture
from teachwhy.train.meta import RunInfo

__all__ = ["run_sft", "train_stage"]


def train_stage(
    *,
    kind: str,
    model: str,
    out: Path,
    data: Mixture,
    data_kind: Kind,
    lora: LoraSettings,
    settings: TrainSettings,
    snapshots: SnapshotSettings,
    config: dict[str, Any],
    assistant_only_loss: bool = True,
    stage: str | None = None,
    metrics_path: Path | None = None,
) -> dict[str, Any]:
    """One SFTTrainer run: chat data (``data_kind='chat'``) or documents (``'text'``, packed CLM)."""
    set_offline()
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer  # type: ignore[attr-defined]

    loaded = load_for_training(model, lora)
    mix = build_mixture(data, loaded.tokenizer, expect=data_kind)
    dataset = Dataset.from_list(mix.rows)
    text = data_kind == "text"
    args = SFTConfig(
        **common_args(settings, out),
        max_length=settings.max_length,
        packing=text or settings.packing,
        # documents: one continuous stream cut into max_length blocks (classic CLM); chat: best-fit packing
        packing_strategy="wrapped" if text else "bfd",
        padding_free=False,
        assistant_only_loss=assistant_only_loss and not text,
        dataset_text_field="text",
        dataset_num_proc=None,
    )
    trainer = SFTTrainer(
        model=loaded.model,
        args=args,
        train_dataset=dataset,
        processing_class=loaded.tokenizer,
        peft_config=loaded.peft_config,
    )
    info = RunInfo(
        kind,
        config,
        base_model=loaded.source.base_model,
        init_model=str(loaded.source.path),
        adapter=lora.enabled,
        datacards=mix.datacards,
        stage=stage,
    )
    info.extra["mixture_tokens"] = mix.tokens
    return train_and_save(
        trainer,
        out=out,
        info=info,
        settings=settings,
        snapshots=snapshots,
        stage=stage,
        metrics_path=metrics_path,
    )


def run_sft(config: SFTRunConfig) -> dict[str, Any]:
    """Run ``teachwhy train sft``; returns the final meta.json payload."""
    return train_stage(
        kind="sft",
        model=config.model,
        out=Path(config.out),
        data=config.data,
        data_kind="chat",
        lora=config.lora,
        settings=config.train,
        snapshots=config.snapshots,
        config=config.model_dump(mode="json"),
        assistant_only_loss=config.assistant_only_loss,
    )
