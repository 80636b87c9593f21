"""Save the policy a trainer holds as a loadable model directory — safely when its weights are sharded.

Under FSDP or DeepSpeed ZeRO-3 no rank holds the whole model: rank 0 calling ``save_pretrained`` alone would
write its own shard (or hang waiting for the others). So every rank calls :func:`save_policy`; accelerate's
``get_state_dict`` gathers the full state dict (a collective under FSDP / ZeRO-3, a plain ``state_dict()``
otherwise), rank 0 writes it with ``save_pretrained`` — a PEFT model keeps only its adapter weights — and the
tokenizer, and every rank waits for it at a barrier. Resumable ``checkpoint-N`` directories stay the
trainer's own (sharded where the run is sharded).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from teachwhy.errors import TeachwhyError

__all__ = ["full_state_dict", "save_policy"]


def full_state_dict(trainer: Any) -> dict[str, Any]:
    """The whole model's state dict, gathered through accelerate; call on every rank (rank 0 gets the tensors)."""
    accelerator = trainer.accelerator
    model = getattr(trainer, "model_wrapped", None)  # the DeepSpeed engine / FSDP / DDP module
    if model is None:
        model = trainer.model
    try:
        state: dict[str, Any] = accelerator.get_state_dict(model)
    except ValueError as exc:  # ZeRO-3 without 16-bit gathering on save
        raise TeachwhyError(
            f"cannot gather the sharded weights to save them: {exc}",
            hint="set `zero3_save_16bit_model: true` under deepspeed_config in the accelerate config "
            "(configs/train/accelerate/deepspeed_zero3.yaml does)",
        ) from None
    return state


def save_policy(trainer: Any, directory: Path, *, tokenizer: bool = True) -> None:
    """Write the trainer's model (or adapter) and tokenizer to ``directory`` as a loadable model directory.

    Every rank must call it: gathering sharded weights is collective. Only rank 0 writes.
    """
    accelerator = trainer.accelerator
    state = full_state_dict(trainer)
    if accelerator.is_main_process:
        model = accelerator.unwrap_model(trainer.model)
        model.save_pretrained(str(directory), state_dict=state, safe_serialization=True)
        tok = getattr(trainer, "processing_class", None)
        if tokenizer and tok is not None:  # tokenizer + chat template beside the weights
            tok.save_pretrained(str(directory))
    accelerator.wait_for_everyone()
