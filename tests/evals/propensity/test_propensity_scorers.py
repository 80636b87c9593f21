"""Scorers: cached-prefix log-probs equal a plain forward pass computed by hand; clear errors where none exist."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots import build_instances
from teachwhy.evals.propensity import (
    TransformersScorer,
    VLLMScorer,
    build_pair,
    common_prefix,
    load_scorer,
    render_continuation,
    uses_teachwhy_template,
)


def _by_hand(model: Any, ids: list[int], positions: list[int]) -> list[float]:
    """log softmax of one plain forward pass over the whole sequence, read at each position."""
    import torch

    with torch.no_grad():
        logits = model(input_ids=torch.tensor([ids])).logits[0]
    rows = logits[[t - 1 for t in positions]].double()  # the logits that predict each scored token
    logp = rows - torch.logsumexp(rows, dim=-1, keepdim=True)
    return [float(logp[k, ids[t]]) for k, t in enumerate(positions)]


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "one-at-a-time"])
def test_cached_prefix_and_remainders_match_a_plain_forward(tiny_model: Path, batched: bool) -> None:
    scorer = TransformersScorer(tiny_model)
    scorer.batch_remainders = batched  # the GPU path (batched) and the CPU path both, on CPU
    assert uses_teachwhy_template(scorer.tokenizer)
    for inst in build_instances(["blackmail", "research_sabotage"], 1, 0, preset="headline"):
        pair = build_pair(inst, args_as_json=True)
        h = render_continuation(scorer.tokenizer, pair.harmful, pair.tools)
        e = render_continuation(scorer.tokenizer, pair.ethical, pair.tools)
        got = scorer.token_logprobs([h.ids, e.ids], [h.scored, e.scored])
        for r, lps in ((h, got[0]), (e, got[1])):
            want = _by_hand(scorer.model, r.ids, r.scored)
            assert len(lps) == len(want) == len(r.scored)
            assert max(abs(a - b) for a, b in zip(lps, want, strict=True)) < 1e-4
        # one sequence alone gives the same numbers as in the batch (padding changes nothing)
        alone = scorer.token_logprobs([e.ids], [e.scored])[0]
        assert max(abs(a - b) for a, b in zip(alone, got[1], strict=True)) < 1e-4


def test_a_forward_without_logits_to_keep_is_sliced_to_the_same_numbers(tiny_model: Path) -> None:
    """An architecture whose forward takes no ``logits_to_keep`` returns every position's logits; the scorer keeps the
    asked positions itself (asked by signature: a ``**kwargs`` forward would swallow the argument, never raise)."""
    import torch

    from teachwhy._forward import cache_kwarg, takes_logits_to_keep

    scorer = TransformersScorer(tiny_model)
    inner = scorer.model

    class NoKeep(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, use_cache: bool = False, cache: Any = None, **kwargs: Any) -> Any:
            return self.inner(input_ids=input_ids, use_cache=use_cache, cache=cache)  # unknown kwargs: swallowed

    assert takes_logits_to_keep(inner) and not takes_logits_to_keep(NoKeep()) and cache_kwarg(NoKeep()) == "cache"
    inst = build_instances(["research_sabotage"], 1, 0, preset="headline")[0]
    pair = build_pair(inst, args_as_json=True)
    h = render_continuation(scorer.tokenizer, pair.harmful, pair.tools)
    e = render_continuation(scorer.tokenizer, pair.ethical, pair.tools)
    scorer.model = NoKeep()
    for batched in (True, False):
        scorer.batch_remainders = batched
        got = scorer.token_logprobs([h.ids, e.ids], [h.scored, e.scored])
        for r, lps in ((h, got[0]), (e, got[1])):
            want = _by_hand(inner, r.ids, r.scored)
            assert max(abs(a - b) for a, b in zip(lps, want, strict=True)) < 1e-4


def test_common_prefix() -> None:
    assert common_prefix([[5, 6, 7], [5, 6, 8, 9]]) == 2
    assert common_prefix([[1], [2]]) == 0
    assert common_prefix([[3, 4]]) == 2


@pytest.mark.parametrize("spec", ["anthropic/claude-sonnet-4-5", "openai/gpt-4o-mini", "mockllm/model"])
def test_providers_without_prompt_logprobs_fail_clearly(spec: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "x")
    monkeypatch.setenv("OPENAI_API_KEY", "x")
    with pytest.raises(TeachwhyError) as err:
        load_scorer(spec)
    assert "log-probabilit" in err.value.message and spec.split("/")[0] in err.value.message
    assert "vllm/" in (err.value.hint or "") and "teachwhy eval honeypots --model " + spec in (err.value.hint or "")


def test_vllm_without_the_package_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vllm", None)  # import vllm -> ImportError
    with pytest.raises(TeachwhyError, match="vllm package"):
        load_scorer("vllm/some-org/some-model")


def test_vllm_prompt_logprobs_are_read_for_the_actual_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """vLLM's prompt_logprobs: per position a {token id: Logprob} dict (None first); the prompt token's is taken."""
    seen: dict[str, Any] = {}

    class Logprob:
        def __init__(self, v: float) -> None:
            self.logprob = v

    class LLM:
        def __init__(self, model: str, **kw: Any) -> None:
            seen["model"] = model

        def get_tokenizer(self) -> str:
            return "tok"

        def generate(self, prompts: list[Any], params: Any, use_tqdm: bool = False) -> list[Any]:
            seen["params"] = params
            outs = []
            for p in prompts:
                ids = p["prompt_token_ids"]
                # log-prob of token t is -(t + id / 100); a decoy entry for another token id
                lps = [None] + [
                    {ids[t]: Logprob(-(t + ids[t] / 100)), 99999: Logprob(-0.01)} for t in range(1, len(ids))
                ]
                outs.append(types.SimpleNamespace(prompt_logprobs=lps))
            return outs

    def sampling_params(**kw: Any) -> dict[str, Any]:
        return kw

    fake = types.ModuleType("vllm")
    fake.LLM = LLM  # type: ignore[attr-defined]
    fake.SamplingParams = sampling_params  # type: ignore[attr-defined]
    inputs = types.ModuleType("vllm.inputs")
    inputs.TokensPrompt = dict  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "vllm", fake)
    monkeypatch.setitem(sys.modules, "vllm.inputs", inputs)
    scorer = load_scorer("vllm/org/model")
    assert isinstance(scorer, VLLMScorer) and seen["model"] == "org/model" and scorer.tokenizer == "tok"
    got = scorer.token_logprobs([[10, 20, 30], [10, 40]], [[1, 2], [1]])
    assert got == [[-(1 + 20 / 100), -(2 + 30 / 100)], [-(1 + 40 / 100)]]
    assert seen["params"]["prompt_logprobs"] == 0 and seen["params"]["max_tokens"] == 1
