"""Trained tokens/s of ``teachwhy train sft`` against a minimal hand-written PyTorch loop, in one run.

Same model (the embedded SmolLM2-135M), same data (chat rows truncated to exactly ``--seq-len`` tokens), same
sequence length, batch, LoRA adapter, optimizer and precision. Tokens are non-padding input tokens; the first
``--warmup`` steps of each side are not timed. Both sides run ``--repeats`` times (default 3), alternating; it
prints min / median / max of each and the ratio of the medians (target >= 0.95). A change is justified by it
only when the medians move by more than the spread.

    .venv/bin/python bench/train_throughput.py                 # CPU: ~6-9 minutes on 2 cores (3 repeats)
    .venv/bin/python bench/train_throughput.py --repeats 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

LONG = (
    "Here is a careful answer that explains the reasoning step by step, weighing the benefits against the risks, "
    "naming what is uncertain, and ending with a concrete suggestion the person can act on today. "
)


def make_rows(n: int) -> list[dict[str, Any]]:
    """Chat rows whose assistant turn is far longer than any benchmark sequence length."""
    return [
        {
            "messages": [
                {"role": "user", "content": f"Question {i}: how should I think about this decision?"},
                {"role": "assistant", "content": LONG * 12},
            ]
        }
        for i in range(n)
    ]


def bench_teachwhy(data: Path, out: Path, args: argparse.Namespace) -> float:
    """Run ``teachwhy train sft`` (the same function the command calls) and read its metrics log."""
    from teachwhy.train.config import SFTRunConfig
    from teachwhy.train.sft import run_sft

    cfg = SFTRunConfig.model_validate(
        {
            "out": str(out),
            "data": {"sources": [{"path": str(data)}]},
            "lora": {"r": 16, "alpha": 32},
            "train": {
                "max_steps": args.steps,
                "batch_size": args.batch,
                "learning_rate": 2e-4,
                "max_length": args.seq_len,
                "bf16": args.bf16,
                "save_steps": 10_000,
                "logging_steps": 1,
                "lr_scheduler": "constant",
            },
        }
    )
    run_sft(cfg)
    rows = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    steps = [r for r in rows if "loss" in r]
    a, b = steps[args.warmup - 1], steps[-1]
    return (b["tokens_seen"] - a["tokens_seen"]) / (b["time"] - a["time"])


def bench_plain(rows: list[dict[str, Any]], args: argparse.Namespace) -> float:
    """The reference: tokenize, LoRA, AdamW, autocast, forward/backward/step — nothing else."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from teachwhy.models import ensure_embedded

    path = ensure_embedded()
    tok = AutoTokenizer.from_pretrained(str(path))
    model = AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32)
    model = get_peft_model(
        model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules="all-linear", task_type="CAUSAL_LM")
    )
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=2e-4, weight_decay=0.0)
    examples = []
    for r in rows:
        enc = tok.apply_chat_template(r["messages"], tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
        ids = enc["input_ids"][: args.seq_len]
        mask = enc["assistant_masks"][: args.seq_len]
        examples.append((ids, [t if m else -100 for t, m in zip(ids, mask, strict=True)]))
    tokens = 0
    t0 = 0.0
    for step in range(args.steps):
        batch = examples[(step * args.batch) % len(examples) :][: args.batch]
        input_ids = torch.tensor([e[0] for e in batch])
        labels = torch.tensor([e[1] for e in batch])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            loss = model(input_ids=input_ids, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        if step + 1 == args.warmup:
            t0 = time.perf_counter()
        elif step + 1 > args.warmup:
            tokens += int(input_ids.numel())
    return tokens / (time.perf_counter() - t0)


def spread(values: list[float]) -> str:
    """``min / median / max`` of the repeats."""
    return f"{min(values):8.1f} / {statistics.median(values):8.1f} / {max(values):8.1f}"


def main() -> None:
    """Run both sides ``--repeats`` times (alternating, so drift in the machine's load hits both) and print each
    side's min / median / max and the ratio of the medians, with the spread of the per-pair ratios."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=10, help="optimizer steps per side")
    p.add_argument("--warmup", type=int, default=2, help="untimed first steps")
    p.add_argument("--batch", type=int, default=4, help="sequences per step")
    p.add_argument("--seq-len", type=int, default=128, help="tokens per sequence")
    p.add_argument("--repeats", type=int, default=3, help="runs per side (>= 3 to see the spread)")
    p.add_argument("--bf16", choices=["auto", "true", "false"], default="auto",
                   help="bf16 autocast on both sides: auto (where the CPU has native bf16), true or false")  # fmt: skip
    args = p.parse_args()
    from teachwhy.train.precision import resolve_bf16

    args.bf16 = resolve_bf16({"auto": "auto", "true": True, "false": False}[args.bf16])
    if args.repeats < 1:
        p.error("--repeats must be at least 1")
    import torch

    rows = make_rows(args.steps * args.batch)
    plain: list[float] = []
    ours: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "bench.jsonl"
        data.write_text("".join(json.dumps(r) + "\n" for r in rows))
        for i in range(args.repeats):
            torch.manual_seed(0)
            plain.append(bench_plain(rows, args))
            ours.append(bench_teachwhy(data, Path(tmp) / f"out{i}", args))
            print(f"repeat {i + 1}/{args.repeats}: hand-written {plain[-1]:.1f}, teachwhy {ours[-1]:.1f} tok/s",
                  flush=True)  # fmt: skip
    ratios = [o / q for o, q in zip(ours, plain, strict=True)]
    print(f"                    min / median / max over {args.repeats} repeats (trained tok/s)")
    print(f"hand-written loop : {spread(plain)}")
    print(f"teachwhy train sft: {spread(ours)}")
    print(f"ratio of medians  : {statistics.median(ours) / statistics.median(plain):8.3f}  (per-pair ratios "
          f"{min(ratios):.3f} / {statistics.median(ratios):.3f} / {max(ratios):.3f}; target >= 0.95; seq "
          f"{args.seq_len}, batch {args.batch}, {'bf16' if args.bf16 else 'fp32'}, "
          f"{args.steps - args.warmup} timed steps)")  # fmt: skip


if __name__ == "__main__":
    main()
