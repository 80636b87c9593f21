"""A tiny, randomly initialised model with the embedded model's architecture and tokenizer, for scale checks.

Multi-process tests and ``bench/gpu_check.sh`` need a model that is trained in seconds and travels in a few
MB: the embedded model's ``config.json`` (SmolLM2, Llama architecture) shrunk to a few narrow layers, plus its
tokenizer and chat template, unchanged. No weights are read or downloaded: the model is built from the config
with a fixed seed, so every run of the same command builds the same weights.

    python -m teachwhy.train.tiny --out runs/tiny                       # from the embedded model
    python -m teachwhy.train.tiny --out runs/tiny --source DIR --layers 4 --hidden 256
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from teachwhy.errors import TeachwhyError

__all__ = ["SOURCE_FILES", "build_tiny_model", "copy_source_files", "tiny_config"]

# what a tiny model needs from its source: the architecture and the tokenizer (a few MB; no weights)
SOURCE_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                "chat_template.jinja")  # fmt: skip


def tiny_config(source: dict[str, Any], *, layers: int, hidden: int, heads: int) -> dict[str, Any]:
    """``source`` (a ``config.json`` dict) with ``layers`` layers of width ``hidden`` and ``heads`` heads.

    The vocabulary, special tokens and architecture stay the source's, so its tokenizer fits; key/value heads
    keep the source's grouping ratio where it divides, else one per head.
    """
    if hidden % heads:
        raise TeachwhyError(f"hidden size {hidden} is not a multiple of {heads} heads", hint="choose --hidden/--heads")
    ratio = max(1, int(source.get("num_attention_heads", 1)) // max(1, int(source.get("num_key_value_heads", 1))))
    kv = heads // ratio if heads % ratio == 0 and heads >= ratio else heads
    cfg = {k: v for k, v in source.items() if not k.startswith("_")}
    cfg.update(
        num_hidden_layers=layers,
        hidden_size=hidden,
        intermediate_size=hidden * 4,
        num_attention_heads=heads,
        num_key_value_heads=kv,
        head_dim=hidden // heads,
        dtype="float32",
    )
    return cfg


def copy_source_files(source: Path, dest: Path) -> list[str]:
    """Copy the config and tokenizer files of ``source`` (a model directory) into ``dest``; returns their names."""
    if not (source / "config.json").is_file() or not (source / "tokenizer.json").is_file():
        raise TeachwhyError(
            f"{source} has no config.json/tokenizer.json to build a tiny model from",
            hint="pass a Hugging Face model directory, or omit --source to use the embedded model",
        )
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in SOURCE_FILES:
        if (source / name).is_file():
            shutil.copyfile(source / name, dest / name)
            copied.append(name)
    return copied


def build_tiny_model(
    out: Path, *, source: Path | None = None, layers: int = 2, hidden: int = 64, heads: int = 4, seed: int = 0
) -> Path:
    """Write a tiny random model (safetensors, fp32), tokenizer and chat template to ``out``; returns ``out``.

    ``source`` is a model directory holding at least ``config.json`` and ``tokenizer.json`` (default: the
    embedded model, converted on first use). Same arguments, same weights.
    """
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    if source is None:
        from teachwhy.models import ensure_embedded

        source = ensure_embedded()
    out.mkdir(parents=True, exist_ok=True)
    copy_source_files(source, out)
    cfg_dict = tiny_config(json.loads((source / "config.json").read_text(encoding="utf-8")),
                           layers=layers, hidden=hidden, heads=heads)  # fmt: skip
    (out / "config.json").write_text(json.dumps(cfg_dict, indent=2), encoding="utf-8")
    config = AutoConfig.from_pretrained(str(out))
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)  # type: ignore[no-untyped-call]
    model.save_pretrained(str(out))
    return out


def main(argv: list[str] | None = None) -> None:
    """``python -m teachwhy.train.tiny``: build a tiny model directory."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True, help="directory to write the tiny model to")
    p.add_argument(
        "--source", type=Path, default=None, help="model dir with config.json + tokenizer (default: embedded)"
    )
    p.add_argument("--layers", type=int, default=2, help="decoder layers")
    p.add_argument("--hidden", type=int, default=64, help="hidden size")
    p.add_argument("--heads", type=int, default=4, help="attention heads")
    p.add_argument("--seed", type=int, default=0, help="initialisation seed")
    a = p.parse_args(argv)
    out = build_tiny_model(a.out, source=a.source, layers=a.layers, hidden=a.hidden, heads=a.heads, seed=a.seed)
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    print(f"tiny model ({a.layers} layers x {a.hidden}) -> {out} ({size / 1e6:.1f} MB)", flush=True)


if __name__ == "__main__":
    import sys

    try:
        main()
    except TeachwhyError as exc:
        print(f"error: {exc.message}" + (f"\nfix: {exc.hint}" if exc.hint else ""), file=sys.stderr)
        sys.exit(2)
