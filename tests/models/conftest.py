"""A tiny random Llama with the embedded model's tokenizer, for CPU decoding and attention tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def tiny_llama(embedded_dir: Path, tmp_path: Path) -> Callable[[], tuple[Path, Any]]:
    """Call it to save a 2-layer Llama (4 heads, 2 key-value heads, seed 0) and the tokenizer under ``tmp_path/base``;
    returns (that directory, the tokenizer)."""

    def make() -> tuple[Path, Any]:
        import torch
        from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

        tok = AutoTokenizer.from_pretrained(str(embedded_dir))
        torch.manual_seed(0)
        cfg = LlamaConfig(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                          num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
                          tie_word_embeddings=True, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                          pad_token_id=tok.pad_token_id)  # fmt: skip
        base_dir = tmp_path / "base"
        LlamaForCausalLM(cfg).save_pretrained(str(base_dir))
        tok.save_pretrained(str(base_dir))
        return base_dir, tok

    return make
