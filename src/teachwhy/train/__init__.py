"""Training on TRL / PEFT / accelerate: ``sft`` (chat), ``sdf`` (documents, then optional sft), ``rl`` (GRPO).

We configure and orchestrate; the trainers are TRL's. Every output directory is usable as ``--model`` in the
evals:
adapter or model, tokenizer with its chat template, and ``meta.json`` (config, datacards, base model,
versions,
tokens seen). Heavy imports (torch, trl) happen inside the run functions.
"""

from teachwhy.train.config import RLRunConfig, SDFRunConfig, SFTRunConfig

__all__ = ["RLRunConfig", "SDFRunConfig", "SFTRunConfig", "merge_adapter", "run_rl", "run_sdf", "run_sft"]


def run_sft(config: SFTRunConfig) -> dict[str, object]:
    """Run sft (see :func:`teachwhy.train.sft.run_sft`)."""
    from teachwhy.train.sft import run_sft as _run

    return _run(config)


def run_sdf(config: SDFRunConfig) -> dict[str, object]:
    """Run sdf (see :func:`teachwhy.train.sdf.run_sdf`)."""
    from teachwhy.train.sdf import run_sdf as _run

    return _run(config)


def run_rl(config: RLRunConfig) -> dict[str, object]:
    """Run rl (see :func:`teachwhy.train.rl.run_rl`)."""
    from teachwhy.train.rl import run_rl as _run

    return _run(config)


def merge_adapter(adapter: str, out: str, *, dtype: str = "float32") -> dict[str, object]:
    """Merge a LoRA adapter (see :func:`teachwhy.train.merge.merge_adapter`)."""
    from teachwhy.train.merge import merge_adapter as _merge

    return _merge(adapter, out, dtype=dtype)
