"""Local models on CPU decode with a static KV cache, merged LoRA adapters and per-row prefill attention: the same
greedy tokens as the model loaded plainly (adapter unmerged, transformers' default cache, masked SDPA)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from teachwhy.models import role_model, tune_for_cpu
from teachwhy.models._attention import IMPLEMENTATION


def _tiny_with_adapter(tiny_llama: Callable[[], tuple[Path, Any]], root: Path) -> tuple[Path, Path, Any]:
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base_dir, tok = tiny_llama()
    adapter_dir = root / "adapter"
    lora = LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "gate_proj"], init_lora_weights=False)
    get_peft_model(AutoModelForCausalLM.from_pretrained(str(base_dir)), lora).save_pretrained(str(adapter_dir))
    tok.save_pretrained(str(adapter_dir))
    return base_dir, adapter_dir, tok


def test_cpu_tuning_keeps_the_greedy_tokens(tiny_llama: Callable[[], tuple[Path, Any]], tmp_path: Path) -> None:
    import torch
    from peft import PeftModel
    from peft.tuners.tuners_utils import BaseTunerLayer
    from transformers import AutoModelForCausalLM

    base_dir, adapter_dir, tok = _tiny_with_adapter(tiny_llama, tmp_path)
    plain = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(str(base_dir)), str(adapter_dir)).eval()
    assert plain.generation_config.cache_implementation is None

    hf = role_model("target", str(adapter_dir), temperature=0).api.model  # type: ignore[attr-defined]
    assert hf.generation_config.cache_implementation == "static"
    assert hf.config._attn_implementation == IMPLEMENTATION  # per-row causal prefill
    lora = [m for m in hf.modules() if isinstance(m, BaseTunerLayer)]
    assert len(lora) == 2 * 3 and all(m.merged for m in lora)  # 2 layers x 3 adapted modules, all merged

    # a left-padded batch of two prompts of different lengths, as inspect's hf provider batches them
    enc = tok(["Hello there.", "A much longer prompt about the sea, the sky and the ships between them."],
              padding=True, padding_side="left", return_tensors="pt")  # fmt: skip
    assert int(enc["attention_mask"].sum()) < enc["attention_mask"].numel()  # the padding is real
    with torch.inference_mode():
        want = plain.generate(**enc, max_new_tokens=16, do_sample=False)
        got = hf.generate(**enc, max_new_tokens=16, do_sample=False)
    assert want.shape == got.shape == (2, enc["input_ids"].shape[1] + 16)
    assert torch.equal(want, got)


def test_no_tuning_where_cuda_exists_or_no_hf_model(tiny_llama: Callable[[], tuple[Path, Any]], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import torch
    from transformers import AutoModelForCausalLM

    base_dir, _, _ = _tiny_with_adapter(tiny_llama, tmp_path)
    hf = AutoModelForCausalLM.from_pretrained(str(base_dir))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    tune_for_cpu(SimpleNamespace(api=SimpleNamespace(model=hf)))  # type: ignore[arg-type]
    assert hf.generation_config.cache_implementation is None
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    api_model = SimpleNamespace(api=SimpleNamespace())  # a provider that is not a local transformers model
    assert tune_for_cpu(api_model) is api_model  # type: ignore[arg-type]
    tune_for_cpu(SimpleNamespace(api=SimpleNamespace(model=hf)))  # type: ignore[arg-type]
    assert hf.generation_config.cache_implementation == "static"
