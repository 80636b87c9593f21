"""``teachwhy train sdf``: causal language modelling on documents, then (optionally) an sft stage on chat
data.

With an sft stage the documents train into ``out/sdf`` and the chat stage continues that adapter (or model)
into
``out`` itself, so ``out`` is always the model to evaluate. A finished stage (final meta.json) is skipped on
rerun.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from teachwhy.train.config import SDFRunConfig
from teachwhy.train.meta import read_meta
from teachwhy.train.sft import train_stage

__all__ = ["run_sdf"]


def run_sdf(config: SDFRunConfig) -> dict[str, Any]:
    """Run ``teachwhy train sdf``; returns the final meta.json payload."""
    out = Path(config.out)
    dump = config.model_dump(mode="json")
    docs_out = out / "sdf" if config.sft else out
    done = read_meta(docs_out)
    if config.sft is None or not (done and done.get("final") and done.get("kind") == "sdf"):
        meta = train_stage(
            kind="sdf",
            model=config.model,
            out=docs_out,
            data=config.data,
            data_kind="text",
            lora=config.lora,
            settings=config.train,
            snapshots=config.snapshots,
            config=dump,
            stage="sdf" if config.sft else None,
            metrics_path=out / "metrics.jsonl",
        )
        if config.sft is None:
            return meta
    else:
        print(f"sdf stage already finished in {docs_out}; continuing with the sft stage", flush=True)
    assert config.sft is not None
    return train_stage(
        kind="sdf+sft",
        model=str(docs_out),
        out=out,
        data=config.sft.data,
        data_kind="chat",
        lora=config.lora,
        settings=config.sft.train,
        snapshots=config.snapshots,
        config=dump,
        stage="sft",
        metrics_path=out / "metrics.jsonl",
    )
