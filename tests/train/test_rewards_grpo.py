"""A judge failure through TRL's own GRPO aggregation: the failed completion is removed, never scored.

A real ``GRPOTrainer`` (a tiny random Llama and a word-level tokenizer, built here, offline) scores one group of four
completions with TRL's ``_generate_and_score_completions``; only the sampling is scripted. The judge grades the
completions 8, 4, (fails), 1; ``clean_end`` (weight 0.25) gives each 1.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import torch

from teachwhy.train import rewards as R

WORDS = ["<pad>", "<eos>", "<unk>", "question", "eight", "four", "boom", "one"]
SCORES = {"eight": 8, "four": 4, "one": 1}  # "boom": the judge fails


class _Out:
    def __init__(self, completion: str) -> None:
        self.completion = completion
        self.error = None


class _Judge:
    async def generate(self, msgs: list[Any]) -> _Out:
        text = msgs[-1].text.split("[assistant response to grade]")[1]
        for word, score in SCORES.items():
            if word in text:
                return _Out(f'{{"score": {score}, "justification": "graded"}}')
        raise RuntimeError("provider refused")


def _trainer(tmp_path: Path, reward_funcs: list[Any], weights: list[float]) -> Any:
    from datasets import Dataset
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast
    from trl import GRPOConfig, GRPOTrainer  # type: ignore[attr-defined]

    core = Tokenizer(WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="<unk>"))
    core.pre_tokenizer = Whitespace()
    tok = PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", eos_token="<eos>", unk_token="<unk>")
    torch.manual_seed(0)
    model = LlamaForCausalLM(LlamaConfig(vocab_size=len(WORDS), hidden_size=16, intermediate_size=32,
                                         num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                                         max_position_embeddings=32, pad_token_id=0, eos_token_id=1, bos_token_id=1))  # fmt: skip
    args = GRPOConfig(output_dir=str(tmp_path), per_device_train_batch_size=4, num_generations=4,
                      max_completion_length=4, use_cpu=True, bf16=False, report_to=[], beta=0.0,
                      reward_weights=weights, gradient_checkpointing=False)  # fmt: skip
    data = Dataset.from_list([{"prompt": "question", "request": "question"}] * 4)
    return GRPOTrainer(model=model, reward_funcs=reward_funcs, args=args, train_dataset=data, processing_class=tok)


def _advantages(trainer: Any) -> list[float]:
    """Score one scripted group with TRL's own code: sampling is the only thing replaced."""
    tok = trainer.processing_class
    scripted = [
        tok(w, add_special_tokens=False)["input_ids"] + [tok.eos_token_id] for w in ("eight", "four", "boom", "one")
    ]

    def sample(prompt_ids: list[list[int]], *args: Any, **kwargs: Any) -> tuple[list[list[int]], None]:
        assert len(prompt_ids) == 4
        return scripted, None

    trainer._generate_single_turn = sample
    trainer.model.train()
    out = trainer._generate_and_score_completions([{"prompt": "question", "request": "question"}] * 4)
    return [float(x) for x in out["advantages"].flatten()]


@pytest.fixture()
def judge(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("teachwhy.models.role_model", lambda *a, **k: _Judge())
    return R.make_judge_reward("scripted")


def _clean_end() -> Any:
    import functools

    return functools.update_wrapper(functools.partial(R.clean_end, eos_ids=[1]), R.clean_end)


def test_a_failed_judge_row_gets_no_advantage_and_no_share_of_the_baseline(tmp_path: Path, judge: Any) -> None:
    reward = R.combine_rewards([("clean_end", _clean_end(), 0.25)], judge, 1.0)
    adv = _advantages(_trainer(tmp_path, [reward], [1.0]))
    # rewards: 0.25 + 7/9, 0.25 + 3/9, removed, 0.25 + 0; TRL: (r - mean of the three) / (their sample std + 1e-4)
    dev = [11 / 27, -1 / 27, -10 / 27]  # 7/9, 3/9, 0 minus their mean 10/27
    std = math.sqrt(sum(d * d for d in dev) / 2)
    assert std == pytest.approx(0.390209, abs=1e-6)  # sqrt((121 + 1 + 100) / 729 / 2)
    expected = [dev[0] / (std + 1e-4), dev[1] / (std + 1e-4), 0.0, dev[2] / (std + 1e-4)]
    assert adv == pytest.approx(expected, abs=1e-5)
    assert adv[2] == 0.0 and adv[3] < 0  # the failure moves the policy neither way; the real 1/10 is pushed down


def test_separate_reward_functions_would_score_the_failure_as_the_worst_grade(tmp_path: Path, judge: Any) -> None:
    """Why teachwhy combines the terms: with the judge and clean_end as two TRL reward functions, TRL nansums the
    failed judge to 0, and the failed completion gets exactly the advantage of the one graded 1/10."""
    adv = _advantages(_trainer(tmp_path, [judge, _clean_end()], [1.0, 0.25]))
    assert adv[2] == pytest.approx(adv[3]) and adv[2] < 0
