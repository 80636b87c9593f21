"""The real stage runner: each stage kind calls the public API of the pipeline stage it stands for.

* ``data``  -> ``teachwhy.data.generate`` (then ``teachwhy.data.augment.augment_path`` if asked);
* ``train`` -> ``teachwhy.train.run_sft|run_sdf|run_rl`` (LoRA outputs usable as ``--model DIR``);
* ``eval``  -> ``run_honeypots`` / ``run_assessment`` / ``run_constitution``.

Each underlying tool resumes its own partial work in the stage directory, so a crashed stage continues.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from teachwhy.config import load_config
from teachwhy.errors import TeachwhyError
from teachwhy.experiments.plan import Stage

__all__ = ["run_stage"]


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_stage(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Dispatch on the stage kind."""
    if stage.kind == "data":
        return _data(stage, workdir)
    if stage.kind == "train":
        return _train(stage, workdir, inputs)
    if stage.kind == "eval":
        return _eval(stage, workdir, inputs)
    raise TeachwhyError(f"unknown stage kind {stage.kind!r}")


def _data(stage: Stage, workdir: Path) -> dict[str, Any]:
    from teachwhy.data import generate
    from teachwhy.data._common import GenerateSettings

    sp = stage.spec
    overrides: dict[str, Any] = {
        **sp.get("options", {}),
        "kind": sp["kind"], "out": str(workdir / "generated"), "teacher": sp["teacher"], "target": sp["target"],
        "n": sp.get("n"), "tokens": sp.get("tokens"), "seed": sp.get("seed", 0), "scripted": sp.get("scripted"),
    }  # fmt: skip
    settings = load_config(GenerateSettings, None, overrides, source=stage.id)
    card = generate(settings, progress=_log)
    path = workdir / "generated"
    if sp.get("augment"):
        from teachwhy.data.augment import augment_path

        aug = sp["augment"]
        card = augment_path(str(path), str(workdir / "augmented"), tools="tools" in aug,
                            system_prompts="system-prompts" in aug, seed=sp.get("seed", 0))  # fmt: skip
        path = workdir / "augmented"
    tokens = card.get("tokens", {}).get("total")
    return {"path": str(path / "data.jsonl"), "rows": card.get("rows"), "tokens": tokens, "datacard": str(path)}


def _train(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    from teachwhy.train.config import RLRunConfig, SDFRunConfig, SFTRunConfig

    sp = stage.spec
    st = sp["stage"]
    init = sp["init"]
    if init == "model_of_dep":
        init = next(r["model"] for r in inputs.values() if "model" in r)
    out = workdir / "model"
    overrides: dict[str, Any] = {"model": init, "out": str(out), "train.seed": sp["seed"]}
    if st["data"]:
        overrides["data"] = {"sources": [
            {"path": inputs[f"data/{u['dataset']}"]["path"], "name": u["dataset"], "tokens": u.get("tokens"),
             "limit": u.get("limit")} for u in st["data"]], "seed": sp["seed"]}  # fmt: skip
    if st["kind"] == "rl":
        snap = sp.get("snapshots") or {}
        overrides["snapshots"] = {"every_steps": snap.get("every_steps", 0), "at_end": True,
                                  "evals": snap.get("evals", []), "limit": snap.get("limit"), "judge": sp.get("judge")}  # fmt: skip
    overrides.update(st.get("settings", {}))
    meta: dict[str, Any]
    if st["kind"] == "sft":
        from teachwhy.train import run_sft

        meta = dict(run_sft(load_config(SFTRunConfig, None, overrides, source=stage.id)))
    elif st["kind"] == "sdf":
        from teachwhy.train import run_sdf

        meta = dict(run_sdf(load_config(SDFRunConfig, None, overrides, source=stage.id)))
    else:
        from teachwhy.train import run_rl

        meta = dict(run_rl(load_config(RLRunConfig, None, overrides, source=stage.id)))
    tokens = int(meta.get("tokens_seen") or 0)
    prior = sum(int(r.get("arm_tokens", 0)) for r in inputs.values() if "model" in r and stage.meta.get("stage_index", 0) > 0)
    return {"model": str(out), "tokens_seen": tokens, "arm_tokens": prior + tokens,
            "global_step": meta.get("global_step"), "metrics": str(out / "metrics.jsonl")}  # fmt: skip


def _eval(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    sp = stage.spec
    model = sp["model"]
    if model == "model_of_dep":
        model = next(r["model"] for r in inputs.values() if "model" in r)
    settings = dict(sp["settings"])
    out = workdir / "eval"
    if sp["kind"] == "honeypots":
        from teachwhy.evals.honeypots._run import HoneypotRun, run_honeypots

        settings["seed"] = int(settings.get("seed", 0)) + int(sp["repeat"])
        cfg = load_config(HoneypotRun, None, {**settings, "model": model, "judge": sp.get("judge"), "out": str(out)},
                          source=stage.id)  # fmt: skip
        run_honeypots(cfg, display="none")
    elif sp["kind"] == "assessment":
        from teachwhy.evals.assessment import AssessmentConfig, run_assessment

        a = load_config(AssessmentConfig, None, {**settings, "target": model, "auditor": sp.get("auditor") or
                        "embedded", "judge": sp.get("judge") or "embedded"}, source=stage.id)  # fmt: skip
        run_assessment(a, out, display="none")
    elif sp["kind"] == "constitution":
        from teachwhy.evals.constitution_eval import AdherenceConfig, run_constitution

        c = load_config(AdherenceConfig, None, {**settings, "target": model, "judge": sp.get("judge") or "embedded"},
                        source=stage.id)  # fmt: skip
        run_constitution(c, out, display="none")
    else:
        raise TeachwhyError(f"unknown eval kind {sp['kind']!r}")
    return {"summary": str(out / "summary.json"), "dir": str(out)}
