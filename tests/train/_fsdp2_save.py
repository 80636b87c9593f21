"""Run under ``torchrun --nproc_per_node 2``: shard a tiny LoRA model with torch's FSDP2 (``fully_shard``, gloo) and
save it through :func:`teachwhy.train._save.save_policy`; rank 0 reloads what was written and reports.

accelerate 1.15 turns FSDP on only for GPU process groups (a MULTI_CPU run never becomes FSDP), so the
accelerator is put into FSDP2 mode by hand — the state a GPU launch with configs/train/accelerate/fsdp.yaml
reaches — while the sharding itself is torch's own, on the CPU.

    python -m torch.distributed.run --standalone --nproc_per_node 2 tests/train/_fsdp2_save.py TINY OUT REPORT
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import torch
from accelerate import Accelerator
from accelerate.utils import DistributedType
from peft import LoraConfig, get_peft_model
from torch.distributed.fsdp import fully_shard
from torch.distributed.tensor import DTensor
from transformers import AutoModelForCausalLM, AutoTokenizer

from teachwhy.train._save import save_policy


def main(tiny: Path, out: Path, report: Path) -> None:
    """Shard, save, reload on rank 0, compare logits with the unsharded model."""
    acc = Accelerator(cpu=True)
    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(str(tiny))
    base = AutoModelForCausalLM.from_pretrained(str(tiny), dtype=torch.float32)
    model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, init_lora_weights=False, target_modules="all-linear"))
    ids = tok("The lighthouse cat is called Marzipan Quillfeather.", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        expected = model(ids).logits[0]
    for layer in model.base_model.model.model.layers:
        fully_shard(layer)
    fully_shard(model)
    sharded = isinstance(model.base_model.model.model.layers[0].self_attn.q_proj.lora_A["default"].weight, DTensor)

    acc.state.distributed_type = DistributedType.FSDP  # what a GPU launch with fsdp.yaml sets
    acc.state.fsdp_plugin = SimpleNamespace(fsdp_version=2)
    trainer = SimpleNamespace(accelerator=acc, model=model, model_wrapped=model, processing_class=tok)
    save_policy(trainer, out)
    if acc.is_main_process:
        loaded = AutoModelForCausalLM.from_pretrained(str(out), dtype=torch.float32).eval()
        with torch.no_grad():
            got = loaded(ids).logits[0]
        report.write_text(json.dumps({
            "world_size": acc.num_processes,
            "sharded": sharded,
            "is_fsdp2": bool(acc.is_fsdp2),
            "files": sorted(p.name for p in out.iterdir()),
            "max_abs_diff": float((got - expected).abs().max()),
            "lora_changes_logits": float((got - base_logits(tiny, ids)).abs().max()),
        }))  # fmt: skip
    acc.wait_for_everyone()


def base_logits(tiny: Path, ids: torch.Tensor) -> torch.Tensor:
    """The logits of the tiny model without the adapter."""
    m = AutoModelForCausalLM.from_pretrained(str(tiny), dtype=torch.float32).eval()
    with torch.no_grad():
        return m(ids).logits[0]


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
