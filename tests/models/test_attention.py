"""Per-row causal attention for left-padded prefills (teachwhy.models._attention): which masks it recognises, and
the same logits and greedy tokens as transformers' masked SDPA on a tiny Llama in float32."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from teachwhy.models import _attention
from teachwhy.models._attention import IMPLEMENTATION, row_starts, use_padded_prefill


def _left_padded(pads: list[int], q: int, kv: int | None = None) -> Any:
    """The boolean SDPA mask of a fresh prefill of a left-padded batch (``pads`` padding tokens per row)."""
    import torch

    kv = kv or q
    j = torch.arange(q)[:, None]
    k = torch.arange(kv)[None, :]
    return torch.stack([(k <= j) & (k >= p) for p in pads])[:, None]


def test_row_starts_reads_each_rows_first_real_token() -> None:
    assert row_starts(_left_padded([0, 3, 1], 6), 6) == [0, 3, 1]
    # a static cache longer than the prompt: keys past the prompt are empty slots, seen by nobody
    assert row_starts(_left_padded([2, 0], 5, kv=9), 5) == [2, 0]


def test_row_starts_refuses_every_other_mask() -> None:
    import torch

    good = _left_padded([1, 0], 4)
    assert row_starts(good.float(), 4) is None  # an additive float mask
    assert row_starts(good, 1) is None  # a decoding step
    assert row_starts(good[:, :, -1:], 1) is None
    full = torch.ones(2, 1, 4, 4, dtype=torch.bool)
    assert row_starts(full, 4) is None  # bidirectional
    holed = good.clone()
    holed[1, 0, 3, 1] = False  # a real query that misses a real key before it
    assert row_starts(holed, 4) is None
    peeks = good.clone()
    peeks[0, 0, 1, 2] = True  # a real query that sees a later key
    assert row_starts(peeks, 4) is None
    # queries over a cached prefix (propensity's remainders): 2 new queries see 3 cached keys and themselves
    cached = torch.ones(1, 1, 2, 5, dtype=torch.bool)
    cached[0, 0, 0, 4] = False
    assert row_starts(cached, 2) is None
    # padding queries may see anything: their outputs are discarded
    loose = good.clone()
    loose[0, 0, 0, :] = True
    assert row_starts(loose, 4) == [1, 0]


def test_per_row_prefill_gives_the_masked_logits_and_tokens(tiny_llama: Callable[[], tuple[Path, Any]],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import torch
    from transformers import AutoModelForCausalLM

    path, tok = tiny_llama()
    enc = tok(["Short.", "A longer prompt about the harbour, the tide tables and the ferries that wait on them.",
               "Middling length, this one."], padding=True, padding_side="left", return_tensors="pt")  # fmt: skip
    assert int(enc["attention_mask"].sum()) < enc["attention_mask"].numel()  # the padding is real

    masked = AutoModelForCausalLM.from_pretrained(str(path)).eval()
    per_row = AutoModelForCausalLM.from_pretrained(str(path)).eval()
    assert masked.config._attn_implementation == "sdpa"
    assert use_padded_prefill(per_row)
    assert per_row.config._attn_implementation == IMPLEMENTATION
    assert not use_padded_prefill(per_row)  # already switched: nothing to do
    for m in (masked, per_row):
        m.generation_config.cache_implementation = "static"

    taken: list[list[int]] = []
    real = _attention.row_starts

    def spy(mask: Any, q_len: int) -> list[int] | None:
        out = real(mask, q_len)
        if out is not None:
            taken.append(out)
        return out

    monkeypatch.setattr(_attention, "row_starts", spy)
    with torch.inference_mode():
        want = masked(**enc).logits
        got = per_row(**enc).logits
        real_rows = enc["attention_mask"].bool()
        torch.testing.assert_close(got[real_rows], want[real_rows], atol=1e-5, rtol=1e-5)
        pads = [int(n) for n in (~real_rows).sum(dim=1)]
        assert taken and all(t == pads for t in taken)  # the per-row path ran, with each row's padding
        taken.clear()
        want_tokens = masked.generate(**enc, max_new_tokens=12, do_sample=False)
        got_tokens = per_row.generate(**enc, max_new_tokens=12, do_sample=False)
    assert taken  # the generation's prefill went through it too
    assert torch.equal(want_tokens, got_tokens)


def test_other_attention_implementations_are_left_alone(tiny_llama: Callable[[], tuple[Path, Any]]) -> None:
    from transformers import AutoModelForCausalLM

    path, _ = tiny_llama()
    eager = AutoModelForCausalLM.from_pretrained(str(path), attn_implementation="eager")
    assert not use_padded_prefill(eager)
    assert eager.config._attn_implementation == "eager"


def test_doctests() -> None:
    import doctest

    result = doctest.testmod(_attention)
    assert result.attempted > 0 and result.failed == 0


def test_a_mask_broadcast_over_the_batch_goes_to_sdpa() -> None:
    """One mask row for a batch of two: the function must not attend per row for rows the mask does not describe."""
    import torch
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    torch.manual_seed(0)
    module = torch.nn.Module()
    module.num_key_value_groups = 2  # type: ignore[assignment]
    q = torch.randn(2, 4, 5, 8)
    k, v = torch.randn(2, 2, 5, 8), torch.randn(2, 2, 5, 8)
    mask = _left_padded([1], 5)  # batch dimension 1
    got, _ = _attention.padded_prefill_sdpa(module, q, k, v, mask)
    want, _ = sdpa_attention_forward(module, q, k, v, mask)
    torch.testing.assert_close(got, want)
    assert bool(got[1].abs().sum() > 0)  # the second row was computed, not left as zeros
