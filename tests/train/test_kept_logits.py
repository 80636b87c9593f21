"""The CPU loss computes the output head only where a token is labelled, with the same loss and gradients; LoRA on
the top layers adapts only those layers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from teachwhy._forward import takes_logits_to_keep
from teachwhy.errors import TeachwhyError
from teachwhy.train._model import linear_module_names, lora_config
from teachwhy.train.config import LoraSettings
from teachwhy.train.sft import kept_logits


def _tiny(seed: int = 0) -> LlamaForCausalLM:
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=50, hidden_size=16, intermediate_size=32, num_hidden_layers=4,
                      num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=64)  # fmt: skip
    return LlamaForCausalLM(cfg).eval()


def test_kept_logits_positions_and_labels() -> None:
    labels = torch.tensor([[-100, -100, 7, 8, -100], [-100, 5, -100, -100, -100]])
    got = kept_logits(labels)
    # next-token labels: row 0 -> [-100, 7, 8, -100], row 1 -> [5, -100, -100, -100]; labelled at 0, 1, 2
    assert got["logits_to_keep"].tolist() == [0, 1, 2]
    assert got["shift_labels"].tolist() == [[-100, 7, 8], [5, -100, -100]]
    assert kept_logits(torch.full((1, 4), -100)) == {}


def test_same_loss_and_gradients_as_the_full_head() -> None:
    ids = torch.tensor([[3, 9, 4, 11, 12, 2, 30, 31], [5, 6, 7, 8, 9, 10, 11, 12]])
    labels = ids.clone()
    labels[0, :5] = -100
    labels[1, :3] = -100
    labels[1, 6:] = -100
    model = _tiny()
    full = model(input_ids=ids, labels=labels, num_items_in_batch=torch.tensor(6))
    full.loss.backward()
    g_full = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    kept = model(input_ids=ids, labels=labels, num_items_in_batch=torch.tensor(6), **kept_logits(labels))
    kept.loss.backward()
    assert kept.logits.shape[1] == 5  # positions 2-4 (row 1) and 4-6 (row 0) predict a labelled token
    assert torch.allclose(kept.loss, full.loss, atol=1e-6)
    for a, p in zip(g_full, model.parameters(), strict=True):
        assert torch.allclose(a, p.grad, atol=1e-6)
    # by hand: mean over the 6 labelled next tokens of -log softmax(logits)[token]
    logits = model(input_ids=ids).logits.detach()
    terms = [-torch.log_softmax(logits[r, t - 1], -1)[ids[r, t]] for r in range(2) for t in range(1, 8)
             if labels[r, t] != -100]  # fmt: skip
    assert len(terms) == 6
    assert math.isclose(float(sum(terms)) / 6, full.loss.item(), rel_tol=1e-5)


def test_top_layers_adapt_only_the_top_blocks() -> None:
    from peft import get_peft_model

    model = _tiny()
    assert linear_module_names(model) == ["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"]
    peft_model = get_peft_model(model, lora_config(LoraSettings(top_layers=1), model))
    adapted = {n.split(".layers.")[1].split(".")[0] for n, p in peft_model.named_parameters() if p.requires_grad}
    assert adapted == {"3"}
    with pytest.raises(TeachwhyError, match="lora.top_layers = 5, but the model has 4 layers"):
        lora_config(LoraSettings(top_layers=5), _tiny())


def test_kept_logits_only_for_models_that_take_them() -> None:
    from peft import get_peft_model

    class NoKeep(torch.nn.Module):
        def forward(self, input_ids: torch.Tensor, labels: torch.Tensor | None = None) -> None:
            return None

    assert takes_logits_to_keep(_tiny())
    assert takes_logits_to_keep(get_peft_model(_tiny(), lora_config(LoraSettings(), None)))
    assert not takes_logits_to_keep(NoKeep())


def test_continued_adapter_names_an_ignored_top_layers(tmp_path: Path) -> None:
    from teachwhy.train._model import ignored_lora_settings

    cfg = {"r": 16, "lora_alpha": 32, "lora_dropout": 0.0, "layers_to_transform": [2, 3]}
    (tmp_path / "adapter_config.json").write_text(json.dumps(cfg))
    assert ignored_lora_settings(tmp_path, LoraSettings(top_layers=2)) == []
    assert ignored_lora_settings(tmp_path, LoraSettings(top_layers=1)) == ["lora.top_layers=1 (adapter: 2)"]
    (tmp_path / "adapter_config.json").write_text(json.dumps({**cfg, "layers_to_transform": None}))
    assert ignored_lora_settings(tmp_path, LoraSettings(top_layers=1)) == ["lora.top_layers=1 (adapter: all)"]
    assert ignored_lora_settings(tmp_path, LoraSettings()) == []
