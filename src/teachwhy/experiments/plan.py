"""Grid expansion: an :class:`ExperimentConfig` becomes an ordered list of :class:`Stage` s, each keyed by a hash.

A stage's key hashes its own spec *and* the keys of the stages it depends on, so changing a dataset re-runs every
stage downstream of it and nothing else. Stage kinds: ``data`` (generate a dataset), ``train`` (one training stage of
one arm for one seed), ``eval`` (one eval suite on one trained model for one repeat), ``check`` (``teachwhy data
check --against-evals`` on a dataset; every training stage that reads the dataset depends on it, so a contaminated
dataset blocks them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from teachwhy._provenance import config_hash
from teachwhy.experiments.config import ExperimentConfig

__all__ = ["Stage", "expand", "format_plan", "model_stage_id"]


@dataclass(frozen=True)
class Stage:
    """One unit of work: run once, marked done atomically, never redone."""

    id: str
    """Human-readable id, e.g. ``train/difficult-advice/s0/0-sft``."""
    kind: str
    """``data``, ``check``, ``train`` or ``eval``."""
    spec: dict[str, Any]
    """Everything the stage runner needs (JSON-able)."""
    deps: tuple[str, ...] = ()
    """Ids of the stages whose outputs this one reads."""
    key: str = ""
    """Config hash of ``spec`` and the deps' keys."""
    arm: str | None = None
    """Arm the stage belongs to (None for datasets)."""
    seed: int | None = None
    """Training seed."""
    repeat: int | None = None
    """Eval repeat."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Report hints (eval name and kind, arm label and role, environments)."""

    @property
    def dirname(self) -> str:
        """Directory name under ``RUN/stages``: the id made path-safe, plus the key."""
        return self.id.replace("/", "__") + "-" + self.key


def model_stage_id(arm: str, seed: int, n_stages: int) -> str:
    """Id of the stage whose output is ``arm``'s final model for ``seed``."""
    return f"train/{arm}/s{seed}/{n_stages - 1}"


def _environments(settings: dict[str, Any]) -> str:
    aug = {k: v for k, v in settings.items() if k.startswith("augment.")}
    nested = settings.get("augment") or {}
    fractions = [aug.get("augment.tools_fraction", 0), aug.get("augment.system_prompt_fraction", 0)]
    if isinstance(nested, dict):
        fractions += [nested.get("tools_fraction", 0), nested.get("system_prompt_fraction", 0)]
    return "augmented" if any(float(f or 0) > 0 for f in fractions) else "plain"


def expand(cfg: ExperimentConfig) -> list[Stage]:
    """Expand the grid into stages in an order where every stage comes after its deps."""
    stages: dict[str, Stage] = {}

    def add(s: Stage) -> Stage:
        blob = {"kind": s.kind, "spec": s.spec, "deps": [stages[d].key for d in s.deps]}
        keyed = Stage(s.id, s.kind, s.spec, s.deps, config_hash(blob), s.arm, s.seed, s.repeat, s.meta)
        stages[s.id] = keyed
        return keyed

    trained_on = {u.dataset for a in cfg.arms for st in a.stages for u in st.data}
    source: dict[str, str] = {}  # dataset -> the stage id training stages read it from
    for d in cfg.datasets:
        spec = {**d.model_dump(), "teacher": d.teacher or cfg.teacher, "target": cfg.base_model, "judge": cfg.judge}
        deps: tuple[str, ...] = (f"data/{d.source_dataset}",) if d.source_dataset else ()
        add(Stage(f"data/{d.name}", "data", spec, deps, meta={"dataset": d.name}))
        source[d.name] = f"data/{d.name}"
        if cfg.data_check.enabled and d.name in trained_on:
            check = {"dataset": d.name, "against_evals": True, "settings": cfg.data_check.settings}
            add(Stage(f"check/{d.name}", "check", check, (f"data/{d.name}",), meta={"dataset": d.name}))
            source[d.name] = f"check/{d.name}"

    arms = {a.name: a for a in cfg.arms}
    for seed in cfg.seeds:
        for arm in cfg.arms:
            prev: str | None = None
            if arm.init != "base":
                prev = model_stage_id(arm.init, seed, len(arms[arm.init].stages))
            for i, st in enumerate(arm.stages):
                deps = tuple(sorted({source[u.dataset] for u in st.data})) + ((prev,) if prev else ())
                spec = {
                    "stage": st.model_dump(),
                    "init": "model_of_dep" if prev else cfg.base_model,
                    "seed": seed,
                    "judge": cfg.judge,
                }
                if st.kind == "rl":
                    spec["snapshots"] = cfg.rl_snapshots.model_dump()
                    spec["auditor"] = cfg.auditor
                meta = {"label": arm.label or arm.name, "role": arm.role, "stage_index": i, "stage_kind": st.kind,
                        "environments": _environments(st.settings) if st.kind == "rl" else "",
                        "init_arm": arm.init if i == 0 else arm.name}  # fmt: skip
                sid = f"train/{arm.name}/s{seed}/{i}"
                add(Stage(sid, "train", spec, deps, arm=arm.name, seed=seed, meta=meta))
                prev = sid

    for ev in cfg.evals:
        targets: list[tuple[str, int, str | None]] = []
        if "before" in ev.when:
            targets.append(("base", cfg.seeds[0], None))
        if "after" in ev.when:
            for seed in cfg.seeds:
                for arm in cfg.arms:
                    if arm.evaluate:
                        targets.append((arm.name, seed, model_stage_id(arm.name, seed, len(arm.stages))))
        for arm_name, seed, dep in targets:
            for r in range(cfg.repeats):
                spec = {"kind": ev.kind, "settings": ev.settings, "repeat": r, "judge": cfg.judge,
                        "auditor": cfg.auditor, "model": "model_of_dep" if dep else cfg.base_model}  # fmt: skip
                arm_obj = arms.get(arm_name)
                meta = {"eval": ev.name, "eval_kind": ev.kind,
                        "label": (arm_obj.label or arm_obj.name) if arm_obj else "base model",
                        "role": arm_obj.role if arm_obj else "base"}  # fmt: skip
                sid = f"eval/{ev.name}/{arm_name}/s{seed}/r{r}"
                add(Stage(sid, "eval", spec, (dep,) if dep else (), arm=arm_name, seed=seed, repeat=r, meta=meta))
    return list(stages.values())


def format_plan(cfg: ExperimentConfig, stages: list[Stage]) -> str:
    """The plan as text: the grid's size, then every stage with its key and inputs."""
    counts: dict[str, int] = {}
    for s in stages:
        counts[s.kind] = counts.get(s.kind, 0) + 1
    lines = [
        f"experiment {cfg.name}: {len(cfg.arms)} arms x {len(cfg.seeds)} seeds, {len(cfg.evals)} evals x "
        f"{cfg.repeats} repeats -> {len(stages)} stages ({', '.join(f'{v} {k}' for k, v in counts.items())})",
        f"base model: {cfg.base_model}; teacher: {cfg.teacher}; judge: {cfg.judge or '(none)'}; "
        f"auditor: {cfg.auditor}; out: {cfg.out}",
    ]
    if cfg.pipeline_check():
        lines.append("note: the target is the embedded 135M model: a pipeline check, not a research result")
    for s in stages:
        extra = ""
        if s.kind == "data":
            sp = s.spec
            size = f"n={sp['n']}" if sp.get("n") else f"tokens={sp.get('tokens')}"
            extra = f"{sp['kind']} {size}" + (f" scripted={sp['scripted']}" if sp.get("scripted") else "")
        elif s.kind == "check":
            extra = "data check --against-evals (blocks training on contamination)"
        elif s.kind == "train":
            st = s.spec["stage"]
            data = ", ".join(f"{u['dataset']}" + (f"@{u['tokens']}tok" if u.get("tokens") else "")
                             + (f"[:{u['limit']}]" if u.get("limit") else "") for u in st["data"])  # fmt: skip
            extra = f"{st['kind']} {data}".strip() + (
                f" {s.meta['environments']}" if s.meta.get("environments") else ""
            )
        else:
            extra = f"{s.spec['kind']} {s.spec['settings']}"
        after = f"  <- {', '.join(s.deps)}" if s.deps else ""
        lines.append(f"  [{s.key}] {s.id:44} {extra}{after}")
    return "\n".join(lines)
