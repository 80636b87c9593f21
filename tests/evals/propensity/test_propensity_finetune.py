"""The probe sees fine-tuning: a tiny LoRA SFT on a handful of scripted harmful rows raises the harmful action's
likelihood relative to the ethical one, and SFT on the ethical rows lowers it.

The model is the tiny random Llama of ``conftest.py`` (the embedded tokenizer and tool template, 2 layers), trained
through teachwhy's own ``run_sft`` for 4 LoRA steps on the four instances' scripted continuations (the rows that
``teachwhy data generate honeypot-demos --scripted ...`` writes, minus the closing line) and probed on the same
instances: a check that the probe moves with training, not a generalization result (the demo measures that, on held-out
storylines, with the embedded model).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from teachwhy.evals.propensity import PropensityRun, build_pair, plan_instances, run_propensity


def _sft(base: Path, rows: Path, out: Path) -> Path:
    from teachwhy.train import SFTRunConfig, run_sft

    run_sft(SFTRunConfig.model_validate({
        "model": str(base), "out": str(out), "data": {"sources": [{"path": str(rows)}]}, "lora": {"r": 8, "alpha": 16},
        "train": {"learning_rate": 1e-2, "max_steps": 4, "batch_size": 1, "max_length": 4096, "save_steps": 1000,
                  "lr_scheduler": "constant"}}))  # fmt: skip
    assert (out / "adapter_config.json").is_file()
    return out


@pytest.mark.slow
def test_harmful_sft_raises_and_ethical_sft_lowers_the_preference(tiny_model: Path, tmp_path: Path) -> None:
    cfg = PropensityRun(model=str(tiny_model), scenarios=["blackmail"], samples=4, split="train", preset="headline",
                        out=str(tmp_path / "p-base"))  # fmt: skip
    insts = plan_instances(cfg)
    summaries: dict[str, dict[str, Any]] = {"base": run_propensity(cfg, progress=None)}
    for kind in ("harmful", "ethical"):
        rows = tmp_path / f"{kind}.jsonl"
        with rows.open("w") as f:
            for inst in insts:
                pair = build_pair(inst, args_as_json=True)
                f.write(json.dumps({"messages": getattr(pair, kind).messages, "tools": pair.tools}) + "\n")
        model = _sft(tiny_model, rows, tmp_path / f"sft-{kind}")
        run = cfg.model_copy(update={"model": str(model), "out": str(tmp_path / f"p-{kind}")})
        summaries[kind] = run_propensity(run, progress=None)
    lr = {k: s["overall"]["log_ratio_per_token"]["mean"] for k, s in summaries.items()}
    pref = {k: s["overall"]["preference"]["rate"] for k, s in summaries.items()}
    assert lr["harmful"] > lr["base"] > lr["ethical"], lr
    assert pref["harmful"] >= pref["base"] >= pref["ethical"] and pref["harmful"] > pref["ethical"], pref
    # the summary's mean is the mean of its rows (read back from the ledger, by hand)
    ledger = [json.loads(x) for x in (tmp_path / "p-harmful" / "samples.jsonl").read_text().splitlines()]
    assert lr["harmful"] == pytest.approx(sum(r["log_ratio_per_token"] for r in ledger) / len(ledger))
