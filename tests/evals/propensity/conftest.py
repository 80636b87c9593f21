"""A tiny random Llama that carries the embedded model's tokenizer and tool template: fast enough to score and
fine-tune 3.5k-token honeypot instances in a test, and a real transformers model all the same."""

from __future__ import annotations

from pathlib import Path

import pytest


def make_tiny(embedded: Path, out: Path, seed: int = 0) -> Path:
    """Save a 2-layer, 64-wide Llama with the embedded tokenizer (and its chat template) into ``out``."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tok = AutoTokenizer.from_pretrained(str(embedded))
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=8192,
                      tie_word_embeddings=True, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                      pad_token_id=tok.pad_token_id)  # fmt: skip
    model = LlamaForCausalLM(cfg)
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    return out


@pytest.fixture(scope="session")
def tiny_model(embedded_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model's directory (built once per session)."""
    return make_tiny(embedded_dir, tmp_path_factory.mktemp("tiny") / "model")
