"""``teachwhy train sft`` (chat data, assistant tokens only) — and the document stage of sdf — on TRL's
SFTTrainer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from teachwhy._forward import takes_logits_to_keep
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
    from trl import SFTConfig  # type: ignore[attr-defined]

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
    trainer = plain_loss_on_cpu_trainer()(
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


def plain_loss_on_cpu_trainer() -> Any:
    """TRL's SFTTrainer class, subclassed as described below (built lazily: importing TRL is slow)."""
    from transformers import Trainer
    from trl import SFTTrainer  # type: ignore[attr-defined]

    class PlainLossOnCPU(SFTTrainer):  # type: ignore[misc]
        """TRL's SFTTrainer, except that on CPU the training loss is the model's own cross-entropy over the collator's
        labels (already -100 outside assistant tokens, and outside documents' padding).

        TRL 1.16 always computes the loss through its fused, chunked LM head (built to save GPU memory). On CPU that costs
        ~39% more per step than the plain loss (one LoRA step of the embedded model, batch 4 x 128, bf16: 2.27 s against
        1.64 s), so the CPU path uses the plain loss; GPUs keep TRL's path. The only thing lost on CPU is TRL's entropy and
        token-accuracy logging.

        The output head runs only at the positions that predict a labelled token (``logits_to_keep`` with their indices,
        and the matching ``shift_labels``): with assistant-only loss most positions are prompt, and a 49k-word head over
        every position of a ~2k-token honeypot row made a LoRA step here ~1.9x as long (bench/train_step.py; the demo's
        organism stage went from 357 s to 270 s). The loss is the same sum over the same tokens
        (tests/train/test_kept_logits.py).
        """

        def compute_loss(
            self, model: Any, inputs: dict[str, Any], return_outputs: bool = False, num_items_in_batch: Any = None
        ) -> Any:
            """The model's own loss on CPU (through transformers' ``Trainer.compute_loss``, which scales it for
            several ranks); TRL's fused-head loss elsewhere."""
            if self.args.device.type != "cpu" or "labels" not in inputs:
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)  # type: ignore[no-untyped-call]
            # The loss is summed over this rank's tokens and divided by the tokens of *every* rank
            # (``num_items_in_batch``); DDP then averages gradients over ranks, so Trainer multiplies by the rank
            # count. Calling the model directly skipped that and halved every gradient under two ranks
            # (tests/train/test_multiprocess.py).
            kept = kept_logits(inputs["labels"]) if takes_logits_to_keep(self.accelerator.unwrap_model(model)) else {}
            return Trainer.compute_loss(self, model, {**inputs, **kept, "use_cache": False}, return_outputs,
                                        num_items_in_batch)  # fmt: skip

    return PlainLossOnCPU


def kept_logits(labels: Any, ignore_index: int = -100) -> dict[str, Any]:
    """Model inputs that compute the output head only where the next token is labelled: ``logits_to_keep`` (the
    positions, shared by the batch's rows) and ``shift_labels`` (each row's next tokens there, ``ignore_index``
    where that row has none). Empty when no token is labelled (the model's own loss handles that case)."""
    import torch

    nxt = labels[:, 1:]
    keep = (nxt != ignore_index).any(dim=0).nonzero().squeeze(-1)
    if keep.numel() == 0:
        return {}
    return {"logits_to_keep": keep, "shift_labels": torch.take_along_dim(nxt, keep.expand(len(nxt), -1), dim=1)}
