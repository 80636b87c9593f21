"""``teachwhy train merge``: fold a LoRA adapter into its base model and save a standalone model directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from teachwhy._io import atomic_write_json
from teachwhy._provenance import provenance
from teachwhy.errors import TeachwhyError
from teachwhy.train._model import model_source
from teachwhy.train.meta import read_meta

__all__ = ["merge_adapter"]


def _refuse_sharded(path: Path) -> None:
    """A checkpoint written sharded (FSDP ``SHARDED_STATE_DICT``: ``pytorch_model_fsdp_*`` / ``*.distcp``) holds no
    whole weights to merge: say which outputs do, and how to gather one."""
    if not path.is_dir():
        return
    shards = sorted(p.name for p in path.iterdir() if p.name.startswith("pytorch_model_fsdp") or p.suffix == ".distcp")
    if shards:
        raise TeachwhyError(
            f"{path} is a sharded checkpoint ({shards[0]}): it holds each rank's shard, not a model",
            hint="merge the run's final output or a snapshot (OUT or OUT/snapshots/step-N: gathered before saving), "
            f"or gather this one first: `.venv/bin/accelerate merge-weights {path / shards[0]} DIR`",
        )


def merge_adapter(adapter: str, out: str, *, dtype: str = "float32") -> dict[str, Any]:
    """Merge ``adapter`` into its base and save model, tokenizer and meta.json to ``out``; returns the
    meta."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _refuse_sharded(Path(adapter))
    src = model_source(adapter)
    if not src.adapter:
        raise TeachwhyError(f"{adapter} is not a LoRA adapter (no adapter_config.json)", hint="nothing to merge")
    out_dir = Path(out)
    if out_dir.resolve() == src.path:
        raise TeachwhyError("--out must differ from the adapter directory")
    torch_dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}.get(dtype)
    if torch_dtype is None:
        raise TeachwhyError(f"unknown dtype {dtype!r}", hint="use float32, bfloat16 or float16")
    base = AutoModelForCausalLM.from_pretrained(str(src.base), dtype=torch_dtype)
    merged = PeftModel.from_pretrained(base, str(src.path)).merge_and_unload()
    merged.save_pretrained(str(out_dir))
    AutoTokenizer.from_pretrained(str(src.path)).save_pretrained(str(out_dir))
    meta = {
        "teachwhy_artifact": "model",
        "kind": "merge",
        "final": True,
        "base_model": src.base_model,
        "init_model": str(src.path),
        "adapter_meta": read_meta(src.path),
        "provenance": provenance({"adapter": str(src.path), "out": str(out_dir), "dtype": dtype}),
    }
    atomic_write_json(out_dir / "meta.json", meta)
    return meta
