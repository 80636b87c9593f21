"""The real stage runner: each stage kind calls the public API of the pipeline stage it stands for.

* ``data``  -> ``teachwhy.data.generate`` (then ``teachwhy.data.augment.augment_path`` if asked);
* ``check`` -> ``teachwhy.data.check.run_check`` with ``against_evals`` on a copy of the dataset (a contaminated
  dataset raises ``ContaminationError``: the stage fails and the stages that train on it never run);
* ``train`` -> ``teachwhy.train.run_sft|run_sdf|run_rl`` (LoRA outputs usable as ``--model DIR``);
* ``eval``  -> ``run_honeypots`` / ``run_assessment`` / ``run_constitution`` / ``run_propensity``.

:func:`build_stage_config` builds each stage's config from its spec and the user's dotted settings; the
experiment's preflight (``validate.preflight``) calls it on every stage before anything runs. Each underlying tool
resumes its own partial work in the stage directory, so a crashed stage continues.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from teachwhy.errors import TeachwhyError
from teachwhy.experiments.plan import Stage
from teachwhy.experiments.validate import apply_settings

__all__ = ["assessment_snapshot", "build_stage_config", "run_stage", "snapshot_eval_name"]


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def snapshot_eval_name(name: str) -> str:
    """What the trainer's snapshot callback is given for an experiment's snapshot eval name."""
    return f"{__name__}:assessment_snapshot" if name == "assessment" else name


def assessment_snapshot(model: str, *, out_dir: Path, limit: int | None, judge: str | None) -> dict[str, Any]:
    """RL snapshot eval: the light held-out assessment on ``limit`` seeds; the auditor is ``$TEACHWHY_AUDITOR``
    (set by the train stage to the experiment's ``auditor``). Returns the headline means as ``overall.*``."""
    from teachwhy.evals.assessment import AssessmentConfig, run_assessment
    from teachwhy.models import default_spec

    cfg = AssessmentConfig(target=model, auditor=default_spec("auditor"), judge=judge or default_spec("judge"),
                           light=True, limit=limit)  # fmt: skip
    summary = run_assessment(cfg, out_dir / "assessment", display="none")
    out: dict[str, Any] = {}
    for name, block in (summary.get("headline") or {}).items():
        if isinstance(block, Mapping):
            out.update({f"overall.{name}.{k}": v for k, v in block.items() if isinstance(v, int | float)})
    return out


def run_stage(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Dispatch on the stage kind."""
    if stage.kind == "data":
        return _data(stage, workdir, inputs)
    if stage.kind == "check":
        return _check(stage, workdir, inputs)
    if stage.kind == "train":
        return _train(stage, workdir, inputs)
    if stage.kind == "eval":
        return _eval(stage, workdir, inputs)
    raise TeachwhyError(f"unknown stage kind {stage.kind!r}")


def build_stage_config(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> BaseModel:
    """The validated config of the tool ``stage`` runs (raises ``SettingsError`` naming the bad key)."""
    if stage.kind == "data":
        return _data_settings(stage, workdir, inputs)
    if stage.kind == "check":
        return _check_settings(stage, workdir)
    if stage.kind == "train":
        return _train_config(stage, workdir, inputs)
    if stage.kind == "eval":
        return _eval_config(stage, workdir, inputs)
    raise TeachwhyError(f"unknown stage kind {stage.kind!r}")


def _dataset_dir(result: Mapping[str, Any]) -> str:
    return str(result.get("datacard") or result.get("dir") or Path(str(result["path"])).parent)


# ------------------------------------------------------------------------------------------ data
def _data_settings(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> BaseModel:
    from teachwhy.data import GenerateSettings

    sp = stage.spec
    runner = {"kind": sp["kind"], "out": str(workdir / "generated"), "teacher": sp["teacher"], "target": sp["target"],
              "judge": sp.get("judge"), "n": sp.get("n"), "tokens": sp.get("tokens"), "seed": sp.get("seed", 0), "scripted": sp.get("scripted")}  # fmt: skip
    if sp.get("source_dataset"):
        runner["source"] = _dataset_dir(inputs[f"data/{sp['source_dataset']}"])
    where = f"dataset {sp['name']} ({sp['kind']})"
    return apply_settings(GenerateSettings, runner, sp.get("options", {}), where, "options")


def _data(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    from teachwhy.data import generate

    sp = stage.spec
    settings = _data_settings(stage, workdir, inputs)
    card = generate(settings, progress=_log)  # type: ignore[arg-type]
    path = workdir / "generated"
    if sp.get("augment"):
        from teachwhy.data.augment import augment_path

        aug = sp["augment"]
        card = augment_path(str(path), str(workdir / "augmented"), tools="tools" in aug,
                            system_prompts="system-prompts" in aug, seed=sp.get("seed", 0))  # fmt: skip
        path = workdir / "augmented"
    tokens = card.get("tokens", {}).get("total")
    return {"path": str(path / "data.jsonl"), "rows": card.get("rows"), "tokens": tokens, "datacard": str(path)}


# ------------------------------------------------------------------------------------------ check
def _check_settings(stage: Stage, workdir: Path) -> BaseModel:
    from teachwhy.data.check import CheckSettings

    runner = {"dir": str(workdir / "checked"), "against_evals": True}
    return apply_settings(CheckSettings, runner, stage.spec.get("settings", {}), "data_check", "settings")


def _check(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Copy the dataset, run the check on the copy (it removes duplicates in place), return the checked copy."""
    from teachwhy.data.check import run_check

    settings = _check_settings(stage, workdir)
    source = Path(_dataset_dir(inputs[f"data/{stage.spec['dataset']}"]))
    checked = workdir / "checked"
    if checked.exists():  # a crashed check: start again from the generated data
        shutil.rmtree(checked)
    tmp = workdir / "checked.partial"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    for name in ("data.jsonl", "datacard.json"):
        if (source / name).is_file():
            shutil.copy2(source / name, tmp / name)
    tmp.rename(checked)
    report = run_check(settings)  # type: ignore[arg-type]
    ev = report.get("evals", {})
    return {"path": str(checked / "data.jsonl"), "rows": report.get("rows_out"), "datacard": str(checked),
            "removed": len(report.get("removed", [])), "max_ngram_overlap": ev.get("max_ngram_overlap"),
            "max_nn_cosine": ev.get("max_nn_cosine"), "passed": report.get("passed")}  # fmt: skip


# ------------------------------------------------------------------------------------------ train
def _train_config(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> BaseModel:
    from teachwhy.train.config import RLRunConfig, SDFRunConfig, SFTRunConfig

    sp = stage.spec
    st = sp["stage"]
    init = sp["init"]
    if init == "model_of_dep":
        init = next(r["model"] for r in inputs.values() if "model" in r)
    runner: dict[str, Any] = {"model": init, "out": str(workdir / "model"), "train.seed": sp["seed"]}
    if st["data"]:
        srcs = [{"path": (inputs.get(f"check/{u['dataset']}") or inputs[f"data/{u['dataset']}"])["path"],
                 "name": u["dataset"], "tokens": u.get("tokens"), "limit": u.get("limit")} for u in st["data"]]  # fmt: skip
        runner["data"] = {"sources": srcs, "seed": sp["seed"]}
    if st["kind"] == "rl":
        snap = sp.get("snapshots") or {}
        runner["snapshots"] = {"every_steps": snap.get("every_steps", 0), "at_end": True, "limit": snap.get("limit"),
                               "evals": [snapshot_eval_name(e) for e in snap.get("evals", [])],
                               "judge": sp.get("judge")}  # fmt: skip
    classes: dict[str, type[BaseModel]] = {"sft": SFTRunConfig, "sdf": SDFRunConfig, "rl": RLRunConfig}
    cls = classes[st["kind"]]
    where = f"arm {stage.arm}, stage {stage.meta.get('stage_index', 0)} ({st['kind']})"
    return apply_settings(cls, runner, st.get("settings", {}), where)


def _train(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    import teachwhy.train as train

    cfg = _train_config(stage, workdir, inputs)
    kind = stage.spec["stage"]["kind"]
    run: Any = {"sft": train.run_sft, "sdf": train.run_sdf, "rl": train.run_rl}[kind]
    auditor = stage.spec.get("auditor")
    previous = os.environ.get("TEACHWHY_AUDITOR")
    if kind == "rl" and auditor:  # the light-assessment snapshot's auditor
        os.environ["TEACHWHY_AUDITOR"] = auditor
    try:
        meta = dict(run(cfg))
    finally:
        if kind == "rl" and auditor:
            if previous is None:
                os.environ.pop("TEACHWHY_AUDITOR", None)
            else:
                os.environ["TEACHWHY_AUDITOR"] = previous
    out = workdir / "model"
    tokens = int(meta.get("tokens_seen") or 0)
    prior = sum(
        int(r.get("arm_tokens", 0)) for r in inputs.values() if "model" in r and stage.meta.get("stage_index", 0) > 0
    )
    return {"model": str(out), "tokens_seen": tokens, "arm_tokens": prior + tokens,
            "global_step": meta.get("global_step"), "metrics": str(out / "metrics.jsonl")}  # fmt: skip


# ------------------------------------------------------------------------------------------ eval
def _eval_config(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> BaseModel:
    sp = stage.spec
    model = sp["model"]
    if model == "model_of_dep":
        model = next(r["model"] for r in inputs.values() if "model" in r)
    user = dict(sp["settings"])
    out = str(workdir / "eval")
    where = f"eval {stage.meta.get('eval', sp['kind'])} ({sp['kind']})"
    if sp["kind"] == "honeypots":
        from teachwhy.evals.honeypots import HoneypotRun

        user["seed"] = int(user.get("seed", 0)) + int(sp["repeat"])
        return apply_settings(HoneypotRun, {"model": model, "judge": sp.get("judge"), "out": out}, user, where)
    if sp["kind"] == "assessment":
        from teachwhy.evals.assessment import AssessmentConfig

        runner = {"target": model, "auditor": sp.get("auditor") or "embedded", "judge": sp.get("judge") or "embedded"}
        return apply_settings(AssessmentConfig, runner, user, where)
    if sp["kind"] == "constitution":
        from teachwhy.evals.constitution_eval import AdherenceConfig

        return apply_settings(AdherenceConfig, {"target": model, "judge": sp.get("judge") or "embedded"}, user, where)
    if sp["kind"] == "propensity":
        from teachwhy.evals.propensity import PropensityRun

        user["seed"] = int(user.get("seed", 0)) + int(sp["repeat"])
        return apply_settings(PropensityRun, {"model": model, "out": out}, user, where)
    raise TeachwhyError(f"unknown eval kind {sp['kind']!r}")


def _eval(stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    cfg = _eval_config(stage, workdir, inputs)
    out = workdir / "eval"
    kind = stage.spec["kind"]
    if kind == "honeypots":
        from teachwhy.evals.honeypots import run_honeypots

        run_honeypots(cfg, display="none")  # type: ignore[arg-type]
    elif kind == "propensity":
        from teachwhy.evals.propensity import run_propensity

        run_propensity(cfg, progress=_log)  # type: ignore[arg-type]
    elif kind == "assessment":
        from teachwhy.evals.assessment import run_assessment

        run_assessment(cfg, out, display="none")  # type: ignore[arg-type]
    else:
        from teachwhy.evals.constitution_eval import run_constitution

        run_constitution(cfg, out, display="none")  # type: ignore[arg-type]
    return {"summary": str(out / "summary.json"), "dir": str(out)}
