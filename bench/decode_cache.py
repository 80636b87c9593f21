"""Batched greedy decoding on CPU as a honeypot eval runs it: transformers' default KV cache against the static cache,
merged adapter and per-row prefill attention that ``teachwhy.models.tune_for_cpu`` sets for local models; in one run,
with the ratios.

The batch is the demo's: 8 compact blackmail instances of the eval storylines, headline cell, rendered with the
embedded model's tool chat template and left-padded as inspect's ``hf`` provider pads them. Each variant generates
``--tokens`` new tokens (forced: ``min_new_tokens``) after the prefill; the prefill and the per-token decode cost are read from one
``generate`` (a logits processor stamps each token). The adapter variants use a random LoRA r16 adapter on
every linear layer (as the demo trains; its weights do not change the cost). It checks that each tuned variant
produces the same tokens as its plain twin (in float32; in bfloat16 kernels that sum in another order may change
greedy tokens, which is printed, not failed).

    .venv/bin/python bench/decode_cache.py                # ~4 minutes on 2 CPU cores

Measured (2 idle cores, --tokens 97): base 227 -> 173 ms a token (0.76x); adapter unmerged 235 ms and 48.6 s of
prefill -> merged 154 ms (0.65x) and 34.9 s; prefill + 96 tokens 71.2 -> 49.7 s (0.70x); the same tokens.
    .venv/bin/python bench/decode_cache.py --tokens 33 --batch 4 --dtype bfloat16

The last variant is the tuned one with transformers' masked SDPA in the prefill instead of the per-row causal
attention (``teachwhy.models._attention``); its line compares the two prefills.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from types import SimpleNamespace
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def prompts(tok: Any, n: int) -> list[str]:
    from teachwhy.evals.honeypots import build_instances

    out = []
    for inst in build_instances(["blackmail"], n, 0, preset="headline", compact=True):
        msgs = [
            {"role": "system", "content": inst.system_prompt},
            {"role": "user", "content": inst.messages[0]["content"]},
        ]
        out.append(tok.apply_chat_template(msgs, tools=inst.tools, tokenize=False, add_generation_prompt=True))
    return out


def timed(model: Any, enc: Any, tokens: int) -> tuple[float, float, Any]:
    """(prefill seconds, decode seconds per token, sequences) from one ``generate``: a logits processor stamps the
    time each token's logits arrive (the first right after the prefill)."""
    import torch
    from transformers import LogitsProcessor, LogitsProcessorList

    stamps: list[float] = []

    class Stamp(LogitsProcessor):
        def __call__(self, input_ids: Any, scores: Any) -> Any:
            stamps.append(time.perf_counter())
            return scores

    with torch.inference_mode():
        t = time.perf_counter()
        out = model.generate(**enc, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False,
                             logits_processor=LogitsProcessorList([Stamp()]))  # fmt: skip
    return stamps[0] - t, (stamps[-1] - stamps[0]) / (len(stamps) - 1), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--tokens", type=int, default=65)
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"], help="weights (the demo: auto)")
    args = ap.parse_args()

    import torch
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from teachwhy.models import ensure_embedded, tune_for_cpu

    base = ensure_embedded()
    tok = AutoTokenizer.from_pretrained(str(base))
    tok.pad_token, tok.padding_side = tok.eos_token, "left"
    enc = tok(prompts(tok, args.batch), return_tensors="pt", padding=True)
    real = int(enc["attention_mask"].sum())
    print(f"batch {args.batch} x {enc['input_ids'].shape[1]} tokens (padded; {real} real), {args.tokens} new tokens, "
          f"{torch.get_num_threads()} threads", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="teachwhy-bench-") as d:
        torch.manual_seed(0)
        lora = LoraConfig(r=16, target_modules="all-linear", init_lora_weights=False)
        get_peft_model(AutoModelForCausalLM.from_pretrained(str(base)), lora).save_pretrained(d)

        def variant(adapter: bool, tuned: bool, masked: bool = False) -> Any:
            model = AutoModelForCausalLM.from_pretrained(str(base), dtype=getattr(torch, args.dtype)).eval()
            if adapter:
                model = PeftModel.from_pretrained(model, d).eval()
            if tuned:
                tune_for_cpu(SimpleNamespace(api=SimpleNamespace(model=model)))  # type: ignore[arg-type]
            if masked:
                model.get_base_model().set_attn_implementation("sdpa")
            return model

        results = {}
        for name, adapter, tuned, masked in [
            ("base, default cache", False, False, False), ("base, static cache", False, True, False),
            ("adapter unmerged, default cache", True, False, False), ("adapter merged, static cache", True, True, False),
            ("  the same, masked SDPA prefill", True, True, True),
        ]:  # fmt: skip
            prefill, step, out = timed(variant(adapter, tuned, masked), enc, args.tokens)
            total = prefill + step * (args.tokens - 1)
            results[name] = (prefill, total, step, out)
            print(f"{name:34s} prefill {prefill:6.1f} s  decode {1000 * step:6.0f} ms/token  (prefill + {args.tokens - 1} tokens: {total:6.1f} s)",
                  flush=True)  # fmt: skip
    for plain, fast in [("base, default cache", "base, static cache"),
                        ("adapter unmerged, default cache", "adapter merged, static cache"),
                        ("  the same, masked SDPA prefill", "adapter merged, static cache")]:  # fmt: skip
        p, f = results[plain], results[fast]
        same = torch.equal(p[3], f[3])
        print(f"{fast.strip()} / {plain.strip()}: prefill {f[0] / p[0]:.2f}x, decode {f[2] / p[2]:.2f}x, "
              f"total {f[1] / p[1]:.2f}x; same tokens: {same}")  # fmt: skip
        if not same and args.dtype == "float32":  # bfloat16: kernels that sum differently may change greedy tokens
            sys.exit(1)


if __name__ == "__main__":
    main()
