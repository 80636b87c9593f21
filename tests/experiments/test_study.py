"""``experiments/study.yaml`` is the study: docs/STUDY.md's table is its ``study:`` block, its dry-run prints every
experiment of docs/STUDY.md with its arms beside the plan, every dataset feeds an arm through a data check, and the
study's experiments (baseline/organism, demos vs reasons, system-prompt distillation, token efficiency, documents +
stories size sweep, RL persistence with three snapshot evals, plain vs augmented RL) each have their arms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teachwhy.cli import app
from teachwhy.experiments import ExperimentConfig, expand, load_experiment, study_tables
from teachwhy.experiments.study import STUDY_BEGIN, STUDY_END

REPO = Path(__file__).resolve().parents[2]
STUDY = REPO / "experiments" / "study.yaml"
DOC = REPO / "docs" / "STUDY.md"


@pytest.fixture(scope="module")
def cfg() -> ExperimentConfig:
    return load_experiment(STUDY)


@pytest.fixture(scope="module")
def dry_run() -> str:
    res = CliRunner().invoke(app, ["experiment", "run", str(STUDY), "--dry-run"])
    assert res.exit_code == 0, res.output
    return res.output


def _doc_rows() -> list[tuple[str, list[str]]]:
    """(experiment id, arms) of every row of docs/STUDY.md's experiments table, read from the Markdown."""
    text = DOC.read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        m = re.match(r"^\| \d+ `([a-z0-9-]+)` \|", line)
        if m:
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            rows.append((m.group(1), re.findall(r"`([^`]+)`", cells[3])))
    return rows


def test_docs_table_is_the_study_block(cfg: ExperimentConfig) -> None:
    text = DOC.read_text(encoding="utf-8")
    inside = text.split(STUDY_BEGIN, 1)[1].split(STUDY_END, 1)[0].strip("\n")
    assert inside == study_tables(cfg), "docs/STUDY.md is stale: paste teachwhy.experiments.study_tables(cfg)"


def test_dry_run_lists_every_experiment_of_the_doc_with_its_arms(dry_run: str) -> None:
    rows = _doc_rows()
    assert len(rows) == 8
    study_part = dry_run.split("\nexperiment ", 1)[0]
    blocks = re.split(r"\n  \d+\. ", study_part)[1:]
    listed = {}
    for block in blocks:
        exp_id = re.match(r"\[([a-z0-9-]+)\]", block).group(1)  # type: ignore[union-attr]
        arms_line = next(line for line in block.splitlines() if line.strip().startswith("arms: "))
        listed[exp_id] = re.findall(r"([A-Za-z0-9_.-]+) \(\d+ stages\)", arms_line)
    assert listed == dict(rows)
    for exp_id, arms in rows:  # every arm of the doc has its stages in the printed plan
        for arm in arms:
            needle = "eval/honeypots/base/s0/r0" if arm == "base" else f"train/{arm}/s0/0"
            assert needle in dry_run, (exp_id, arm)
    assert "201 stages (9 data, 9 check, 45 train, 138 eval)" in dry_run


def test_no_dataset_is_unused_and_each_is_checked_before_training(cfg: ExperimentConfig) -> None:
    stages = {s.id: s for s in expand(cfg)}
    feeds: dict[str, set[str]] = {}
    for s in stages.values():
        for d in s.deps:
            feeds.setdefault(d, set()).add(s.id)

    def reaches_training(sid: str) -> bool:
        return any(n.startswith("train/") or reaches_training(n) for n in feeds.get(sid, ()))

    data = [sid for sid in stages if sid.startswith("data/")]
    assert len(data) == len(cfg.datasets) == 9
    assert all(reaches_training(d) for d in data), [d for d in data if not reaches_training(d)]
    for s in stages.values():  # no training stage reads a dataset that did not pass its check
        if s.kind == "train":
            assert not [d for d in s.deps if d.startswith("data/")], s.id
            for use in s.spec["stage"]["data"]:
                assert f"check/{use['dataset']}" in s.deps
    assert "difficult-advice-augmented" in {u.dataset for a in cfg.arms for st in a.stages for u in st.data}


def test_the_study_experiments_have_their_arms(cfg: ExperimentConfig) -> None:
    arms = {a.name: a for a in cfg.arms}
    study = {x.id: x for x in cfg.study}
    assert arms["organism"].role == "organism" and cfg.reference() == "organism"
    assert {"base", "organism"} <= set(study["baseline"].arms)
    assert all(e.when == ["before", "after"] for e in cfg.evals)  # base-model rates
    # demos vs demos-with-reasons: the reasons rewrite the same generated demos
    ds = {d.name: d for d in cfg.datasets}
    assert ds["hp-reasons"].source_dataset == "hp-demos" and ds["hp-reasons"].kind == "honeypot-reasons"
    # system-prompt distillation generated on honeypots
    assert (
        ds["sysprompt-distill"].kind == "sysprompt-distill" and ds["sysprompt-distill"].options["source"] == "honeypots"
    )
    # token efficiency: 3M difficult advice vs honeypot data at 30M and 85M
    budget = {a: sum(u.tokens or ds[u.dataset].tokens or 0 for st in arms[a].stages for u in st.data) for a in arms}
    assert (budget["difficult-advice"], budget["hp-demos-30M"], budget["hp-demos-85M"]) == (3_000_000, 30_000_000,
                                                                                            85_000_000)  # fmt: skip
    # documents + stories at three sizes
    assert [budget[a] for a in ("sdf-8M", "sdf-20M", "sdf-40M")] == [8_000_000, 20_000_000, 40_000_000]
    assert all(arms[a].stages[0].kind == "sdf" for a in ("sdf-8M", "sdf-20M", "sdf-40M"))
    # persistence through RL, with honeypots, adherence and the light assessment as snapshots
    assert set(cfg.rl_snapshots.evals) == {"honeypots", "adherence", "assessment"}
    assert [arms[a].init for a in ("rl-plain", "rl-from-sdf", "rl-from-transcripts")] == ["organism", "sdf-40M",
                                                                                          "sdf-transcripts"]  # fmt: skip
    # plain vs augmented RL environments
    stages = {s.id: s for s in expand(cfg)}
    assert stages["train/rl-plain/s0/0"].meta["environments"] == "plain"
    assert stages["train/rl-augmented/s0/0"].meta["environments"] == "augmented"


def test_rl_stages_get_the_light_assessment_snapshot(cfg: ExperimentConfig, tmp_path: Path) -> None:
    from teachwhy.experiments.stages import build_stage_config

    stage = next(s for s in expand(cfg) if s.id == "train/rl-from-sdf/s1/0")
    run = build_stage_config(stage, tmp_path, {"train/sdf-40M/s1/0": {"model": "/m"}})
    assert run.snapshots.evals == ["honeypots", "adherence",  # type: ignore[attr-defined]
                                   "teachwhy.experiments.stages:assessment_snapshot"]  # fmt: skip
    assert run.snapshots.every_steps == 25 and run.snapshots.limit == 20  # type: ignore[attr-defined]
    assert run.model == "/m" and run.train.seed == 1  # type: ignore[attr-defined]
    assert stage.spec["auditor"] == cfg.auditor
