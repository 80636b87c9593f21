"""Seconds per LoRA step on honeypot training rows: the output head over every position, the head only where a token
is labelled (``teachwhy.train.sft.kept_logits``, what `teachwhy train sft` does on CPU), and that plus
``lora.top_layers``, and the kept head under bf16 autocast (what ``train.bf16`` turns on; on a CPU without native
bfloat16 instructions it is emulated and slow: ``teachwhy.train.precision``); in one run, with the ratios.

The rows are the demo's organism data, rendered from the training storylines by ``teachwhy data generate
honeypot-demos --scripted harmful --scenarios blackmail --conditions headline --compact`` (~2k tokens each, loss on
the assistant turns only). Each variant runs ``--warmup`` untimed steps, then ``--steps`` timed ones over the rows in
turn; it prints the median per variant and its ratio to the full head, and checks that the two heads give the same
loss on the same row.

    .venv/bin/python bench/train_step.py                      # ~4 minutes on 2 CPU cores
    .venv/bin/python bench/train_step.py --top-layers 10,15 --steps 4
    .venv/bin/python bench/train_step.py --top-layers "" --no-bf16
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def rows(n: int) -> list[dict[str, Any]]:
    """``n`` scripted harmful demonstrations, generated through the CLI (as the demo's organism data)."""
    with tempfile.TemporaryDirectory(prefix="teachwhy-bench-") as d:
        cli = Path(sys.executable).parent / "teachwhy"
        subprocess.run([str(cli), "data", "generate", "honeypot-demos", "--scripted", "harmful", "--scenarios",
                        "blackmail", "--conditions", "headline", "--compact", "--n", str(n), "--out", d],
                       check=True, capture_output=True)  # fmt: skip
        return [json.loads(line) for line in (Path(d) / "data.jsonl").read_text().splitlines()]


def encode(tok: Any, row: dict[str, Any]) -> tuple[Any, Any]:
    """Token ids of the whole conversation and labels: -100 on everything before the first assistant turn."""
    import torch

    msgs = row["messages"]
    first = next(i for i, m in enumerate(msgs) if m["role"] == "assistant")
    tools = row.get("tools")
    full = tok.apply_chat_template(msgs, tools=tools, tokenize=True, return_dict=False)
    prompt = tok.apply_chat_template(msgs[:first], tools=tools, tokenize=True, add_generation_prompt=True,
                                     return_dict=False)  # fmt: skip
    ids = torch.tensor([list(full)])
    labels = ids.clone()
    labels[0, : len(prompt)] = -100
    return ids, labels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--top-layers", default="15", help="comma-separated; empty for none")
    ap.add_argument("--no-bf16", action="store_true", help="skip the bf16 autocast variant")
    args = ap.parse_args()

    import torch
    from peft import get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from teachwhy.models import resolve_model
    from teachwhy.train._model import lora_config
    from teachwhy.train.config import LoraSettings
    from teachwhy.train.precision import cpu_has_native_bf16
    from teachwhy.train.sft import kept_logits

    path = resolve_model("embedded").name.removeprefix("hf/")
    tok = AutoTokenizer.from_pretrained(path)
    data = [encode(tok, r) for r in rows(args.rows)]
    print(f"rows: {len(data)}, tokens {[int(i.shape[1]) for i, _ in data]}, "
          f"labelled {[int((lab != -100).sum()) for _, lab in data]}", flush=True)  # fmt: skip

    def variant(top: int | None, kept: bool, bf16: bool = False) -> tuple[float, float]:
        torch.manual_seed(0)
        base = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
        model = get_peft_model(base, lora_config(LoraSettings(top_layers=top), base))
        model.train()
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
        times, first_loss = [], float("nan")
        for k in range(args.warmup + args.steps):
            ids, labels = data[k % len(data)]
            t = time.perf_counter()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):  # as the Trainer does for bf16 on CPU
                out = model(input_ids=ids, labels=labels, use_cache=False, **(kept_logits(labels) if kept else {}))
            out.loss.backward()
            opt.step()
            opt.zero_grad()
            if k == 0:
                first_loss = out.loss.item()
            if k >= args.warmup:
                times.append(time.perf_counter() - t)
        return statistics.median(times), first_loss

    full, loss_full = variant(None, False)
    print(f"full head, all layers:        {full:6.2f} s/step  (loss on row 0: {loss_full:.5f})", flush=True)
    kept, loss_kept = variant(None, True)
    print(f"kept head, all layers:        {kept:6.2f} s/step  (loss on row 0: {loss_kept:.5f})  "
          f"ratio {kept / full:.2f}", flush=True)  # fmt: skip
    if abs(loss_full - loss_kept) > 1e-4 * abs(loss_full):
        sys.exit(f"the two heads disagree on the loss: {loss_full} vs {loss_kept}")
    for top in [int(x) for x in args.top_layers.split(",") if x.strip()]:
        t, _ = variant(top, True)
        print(f"kept head, top {top:2d} layers:    {t:6.2f} s/step  ratio {t / full:.2f}", flush=True)
    if not args.no_bf16:
        t, loss_bf16 = variant(None, True, bf16=True)
        native = "native" if cpu_has_native_bf16() else "EMULATED (no avx512_bf16 / amx_bf16)"
        print(f"kept head, all layers, bf16:  {t:6.2f} s/step  (loss on row 0: {loss_bf16:.5f})  ratio {t / full:.2f}"
              f"  [bf16 on this CPU: {native}]", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
