"""Attention for left-padded prefills on CPU: each row's causal attention over its own tokens, not a masked batch.

Inspect's ``hf`` provider generates for a batch of prompts left-padded to the longest. transformers then gives SDPA an
explicit boolean mask (causal and padding), and on CPU the masked kernel is slow: on the demo's honeypot batch (8
compact blackmail prompts, ~1.85k tokens, bfloat16, 2 cores) attention was ~17 of the prefill's ~27 s, 0.56 s a
layer, against 0.30 s for the same batch with ``is_causal`` and no mask. :func:`padded_prefill_sdpa` recognises that
mask (every real query sees exactly the real keys up to itself) and runs, per row, SDPA with ``is_causal=True`` on
the row's real tokens (grouped-query heads shared, not repeated); the padding queries' outputs are zeros (nothing
real attends to them). Any other call (decoding steps, an unpadded prompt, a prefix cache, a mask of another shape)
goes to transformers' own SDPA function unchanged.

Measured on that batch (2026-12-04, 2-core EPYC, two runs each): prefill 25.6 -> 16.9 s in bfloat16, 48.2 -> 38.6 s in
float32. Same function: in float32 the same logits (to 1e-5) and greedy tokens (tests/models/test_attention.py, and on
the demo's batch); in bfloat16 the two kernels round differently (6 of the 8 rows diverged within 33 greedy tokens),
and are equally close to float32 (last 64 positions: mean |logit difference| 0.104 per row vs 0.101 masked, top-1
agreement 97.5 vs 98.4 %). ``bench/decode_cache.py`` times both.

:func:`use_padded_prefill` switches a loaded transformers model to it (``teachwhy.models.tune_for_cpu`` does, for
local models on CPU).
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["IMPLEMENTATION", "padded_prefill_sdpa", "row_starts", "use_padded_prefill"]

IMPLEMENTATION = "teachwhy_padded_sdpa"
"""The name it is registered under in transformers' ``AttentionInterface`` (and ``AttentionMaskInterface``)."""

_memo = threading.local()  # the last mask seen and its row starts: one check per forward, not one per layer


def row_starts(mask: Any, q_len: int) -> list[int] | None:
    """Per batch row, the first real position of a left-padded prompt whose whole prefill this ``mask`` covers, or
    None when the mask is anything else.

    ``mask`` is SDPA's boolean mask ``[batch, 1, q_len, kv_len]``. It qualifies when, for every row ``i`` with first
    real position ``p``, each query ``j >= p`` sees exactly the keys ``p..j`` (queries before ``p`` are padding and
    may see anything).

    >>> import torch
    >>> causal = torch.ones(3, 3, dtype=torch.bool).tril()
    >>> padded = causal.clone(); padded[:, 0] = False
    >>> row_starts(torch.stack([causal, padded])[:, None], 3)
    [0, 1]
    >>> row_starts(torch.ones(1, 1, 3, 3, dtype=torch.bool), 3) is None  # not causal
    True
    """
    import torch

    if mask is None or mask.dtype != torch.bool or mask.dim() != 4 or mask.shape[1] != 1 or q_len < 2:
        return None
    kv_len = mask.shape[-1]
    if mask.shape[2] != q_len or kv_len < q_len:
        return None
    last = getattr(_memo, "last", None)
    if last is not None and last[0] is mask:
        return last[1]  # type: ignore[no-any-return]
    m = mask[:, 0]
    seen = m[:, -1, :q_len]  # the last query is real in every left-padded row: it sees every real key
    if not bool(seen.any(dim=-1).all()):
        starts = None
    else:
        p = seen.to(torch.int8).argmax(dim=-1)  # first real key per row
        j = torch.arange(q_len)[None, :, None]
        k = torch.arange(kv_len)[None, None, :]
        expected = (k <= j) & (k >= p[:, None, None])
        real = j >= p[:, None, None]
        starts = [int(x) for x in p] if bool(torch.where(real, m == expected, True).all()) else None
    _memo.last = (mask, starts)
    return starts


def padded_prefill_sdpa(
    module: Any,
    query: Any,
    key: Any,
    value: Any,
    attention_mask: Any,
    dropout: float = 0.0,
    scaling: float | None = None,
    is_causal: bool | None = None,
    **kwargs: Any,
) -> tuple[Any, None]:
    """transformers' attention-function signature: per-row causal SDPA for a left-padded prefill, else SDPA as is."""
    import torch
    from torch.nn import functional as F
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    q_len = query.shape[2]
    starts = None
    if not (dropout and module.training) and kwargs.get("position_bias") is None and kwargs.get("softcap") is None:
        starts = row_starts(attention_mask, q_len)
    if starts is not None and len(starts) != query.shape[0]:
        starts = None  # a mask broadcast over the batch: rows it does not describe
    if starts is None:
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling,
                                      is_causal=is_causal, **kwargs)  # fmt: skip
    batch, heads, _, _ = query.shape
    out = torch.zeros(batch, q_len, heads, value.shape[-1], dtype=query.dtype, device=query.device)
    gqa = key.shape[1] != heads
    for i, p in enumerate(starts):
        o = F.scaled_dot_product_attention(query[i : i + 1, :, p:], key[i : i + 1, :, p:q_len],
                                           value[i : i + 1, :, p:q_len], is_causal=True, scale=scaling,
                                           enable_gqa=gqa)  # fmt: skip
        out[i, p:] = o[0].transpose(0, 1)
    return out, None


def _register() -> None:
    from transformers import AttentionInterface, AttentionMaskInterface
    from transformers.masking_utils import sdpa_mask

    AttentionInterface.register(IMPLEMENTATION, padded_prefill_sdpa)
    AttentionMaskInterface.register(IMPLEMENTATION, sdpa_mask)  # the masks SDPA gets: the function recognises them


def use_padded_prefill(model: Any) -> bool:
    """Switch a transformers model (or a peft model around one) that attends with SDPA to
    :func:`padded_prefill_sdpa`; True if switched. Other implementations (eager, flash, flex) are left alone."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    config = getattr(base, "config", None)
    if config is None or getattr(config, "_attn_implementation", None) != "sdpa":
        return False
    if not hasattr(base, "set_attn_implementation"):
        return False
    _register()
    base.set_attn_implementation(IMPLEMENTATION)
    return bool(base.config._attn_implementation == IMPLEMENTATION)
