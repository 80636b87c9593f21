"""``teachwhy train``: SFT, synthetic-document fine-tuning and RL on TRL, plus LoRA merge.

A config file is saved flags: ``--config FILE.yaml`` loads it, then ``--model``, ``--out``, ``--max-steps``
and any
``--set dotted.key=value`` override its fields. Rerunning a killed command resumes from its newest checkpoint.
On GPUs, run the same command under accelerate::

    .venv/bin/accelerate launch --config_file configs/train/accelerate/multi_gpu_ddp.yaml -m teachwhy.train sft
    --config FILE
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import typer
import yaml

from teachwhy.config import Config, load_config
from teachwhy.errors import ConfigError

app = typer.Typer(
    help="Train: sft (chat), sdf (documents), rl (GRPO) with eval snapshots; merge LoRA adapters.",
    no_args_is_help=True,
)

C = TypeVar("C", bound=Config)

_CONFIG = typer.Option(None, "--config", "-c", help="YAML config (saved flags); flags below override it.")
_MODEL = typer.Option(None, "--model", help="Model to train: embedded, a local HF dir, or a teachwhy output.")
_OUT = typer.Option(None, "--out", help="Output directory (checkpoints, final adapter/model, meta.json, metrics).")
_STEPS = typer.Option(None, "--max-steps", help="Stop after this many optimizer steps (train.max_steps).")
_SET = typer.Option(
    None,
    "--set",
    help="Override any field: --set train.learning_rate=1e-4 (repeatable; values parsed as YAML).",
)
_RESUME = typer.Option(None, "--resume/--no-resume", help="Resume from the newest checkpoint in --out (default on).")


def _overrides(
    model: str | None, out: str | None, max_steps: int | None, resume: bool | None, sets: list[str] | None
) -> dict[str, Any]:
    o: dict[str, Any] = {"model": model, "out": out, "train.max_steps": max_steps, "train.resume": resume}
    for item in sets or []:
        key, eq, raw = item.partition("=")
        if not eq or not key.strip():
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE", hint="e.g. --set train.learning_rate=1e-4")
        try:
            o[key.strip()] = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise ConfigError(f"--set {item!r}: value is not valid YAML: {exc}", hint="quote the value") from None
    return o


def _load(
    cls: type[C],
    config: Path | None,
    model: str | None,
    out: str | None,
    max_steps: int | None,
    resume: bool | None,
    sets: list[str] | None,
) -> C:
    return load_config(cls, config, _overrides(model, out, max_steps, resume, sets))


def _report(meta: dict[str, Any], out: str) -> None:
    typer.echo(
        f"done: {meta.get('kind')} step {meta.get('global_step')}, {meta.get('tokens_seen')} tokens "
        f"seen -> {out}\n"
        f"use it: --model {out}"
    )


@app.command("sft")
def sft(
    config: Path | None = _CONFIG,
    model: str | None = _MODEL,
    out: str | None = _OUT,
    max_steps: int | None = _STEPS,
    resume: bool | None = _RESUME,
    set_: list[str] | None = _SET,
) -> None:
    """Supervised fine-tuning on chat data (assistant tokens only), LoRA or full."""
    from teachwhy.train.config import SFTRunConfig
    from teachwhy.train.sft import run_sft

    cfg = _load(SFTRunConfig, config, model, out, max_steps, resume, set_)
    _report(run_sft(cfg), cfg.out)


@app.command("sdf")
def sdf(
    config: Path | None = _CONFIG,
    model: str | None = _MODEL,
    out: str | None = _OUT,
    max_steps: int | None = _STEPS,
    resume: bool | None = _RESUME,
    set_: list[str] | None = _SET,
) -> None:
    """Synthetic-document fine-tuning (causal LM on documents), optionally followed by an sft stage."""
    from teachwhy.train.config import SDFRunConfig
    from teachwhy.train.sdf import run_sdf

    cfg = _load(SDFRunConfig, config, model, out, max_steps, resume, set_)
    _report(run_sdf(cfg), cfg.out)


@app.command("rl")
def rl(
    config: Path | None = _CONFIG,
    model: str | None = _MODEL,
    out: str | None = _OUT,
    max_steps: int | None = _STEPS,
    resume: bool | None = _RESUME,
    set_: list[str] | None = _SET,
    constitution: Path | None = typer.Option(
        None, "--constitution", help="Constitution YAML for the judge's rubric (teachwhy format; default: ours)."
    ),
) -> None:
    """GRPO on harmlessness environments (judge + format rewards), with eval snapshots."""
    from teachwhy.train.config import RLRunConfig
    from teachwhy.train.rl import run_rl

    sets = [*(set_ or []), *([f"reward.judge.constitution={constitution}"] if constitution else [])]
    cfg = _load(RLRunConfig, config, model, out, max_steps, resume, sets)
    meta = run_rl(cfg)
    _report(meta, cfg.out)
    judge = meta.get("judge") or {}
    if judge.get("judge_calls"):
        typer.echo(f"judge: {judge['judge_calls']} calls, {judge['judge_errors']} errors (errors give no reward)")


@app.command("merge")
def merge(
    adapter: str = typer.Argument(..., help="A LoRA adapter directory (a teachwhy training output)."),
    out: str = typer.Option(..., "--out", help="Where to write the merged model."),
    dtype: str = typer.Option("float32", help="float32, bfloat16 or float16."),
) -> None:
    """Merge a LoRA adapter into its base model: a standalone model directory usable as --model."""
    from teachwhy.train.merge import merge_adapter

    meta = merge_adapter(adapter, out, dtype=dtype)
    typer.echo(f"merged {adapter} with its base model {meta['base_model']} into a new model: {out} "
               "(the base and the adapter are unchanged)\nuse it: --model " + out)  # fmt: skip


@app.command("show-config")
def show_config(
    kind: str = typer.Argument(..., help="sft, sdf or rl."),
    config: Path | None = _CONFIG,
    set_: list[str] | None = _SET,
) -> None:
    """Print the full resolved config (defaults filled in) as YAML, e.g. to start a new config file.

    Without --config, sft and sdf show a placeholder data source (data.sources) to replace with your data."""
    from teachwhy.train.config import RLRunConfig, SDFRunConfig, SFTRunConfig

    classes: dict[str, type[Config]] = {"sft": SFTRunConfig, "sdf": SDFRunConfig, "rl": RLRunConfig}
    if kind not in classes:
        raise ConfigError(f"unknown kind {kind!r}", hint="choose sft, sdf or rl")
    overrides = _overrides(None, None, None, None, set_)
    placeholder = config is None and kind != "rl" and not any(k.split(".")[0] == "data" for k in overrides)
    if placeholder:
        overrides["data.sources"] = [{"path": _PLACEHOLDER_DATA}]
    cfg = load_config(classes[kind], config, overrides)
    if placeholder:
        typer.echo(f"# data.sources: {_PLACEHOLDER_DATA} is a placeholder; point it at your data.jsonl")
    typer.echo(yaml.safe_dump(json.loads(cfg.model_dump_json()), sort_keys=False))


_PLACEHOLDER_DATA = "data/YOUR_DATASET/data.jsonl"
