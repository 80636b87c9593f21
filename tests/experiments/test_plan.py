"""Grid expansion: stage order, keys, the data-check stage between every dataset and its training stages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from teachwhy.experiments import ExperimentConfig, expand


def small(out: Path, **kw: Any) -> ExperimentConfig:
    data: dict[str, Any] = {
        "name": "tiny",
        "out": str(out),
        "datasets": [{"name": "harm", "kind": "honeypot-demos", "scripted": "harmful", "n": 4},
                     {"name": "adv", "kind": "difficult-advice", "scripted": "ethical", "n": 2}],
        "arms": [
            {"name": "organism", "role": "organism", "stages": [{"kind": "sft", "data": [{"dataset": "harm"}]}]},
            {"name": "advice", "init": "organism", "stages": [{"kind": "sft", "data": [{"dataset": "adv", "tokens": 3000}]}]},
            {"name": "rl-aug", "init": "organism", "stages": [{"kind": "rl", "settings": {"augment.tools_fraction": 0.5}}]},
        ],
        "evals": [{"name": "honeypots", "kind": "honeypots", "settings": {"samples": 2}},
                  {"name": "assessment", "kind": "assessment", "settings": {"light": True}}],
    }  # fmt: skip
    data.update(kw)
    return ExperimentConfig.model_validate(data)


def test_plan_orders_deps_and_keys_are_stable(tmp_path: Path) -> None:
    stages = expand(small(tmp_path))
    ids = [s.id for s in stages]
    for s in stages:
        assert all(ids.index(d) < ids.index(s.id) for d in s.deps), s.id
    assert [s.key for s in stages] == [s.key for s in expand(small(tmp_path))]
    assert len(ids) == 2 + 2 + 3 + 3 * 2  # data, checks, train, (3 arms) x 2 evals
    rl = next(s for s in stages if s.id.startswith("train/rl-aug"))
    assert rl.meta["environments"] == "augmented"


def test_every_training_stage_reads_its_data_through_a_check_stage(tmp_path: Path) -> None:
    stages = {s.id: s for s in expand(small(tmp_path))}
    assert stages["check/harm"].kind == "check" and stages["check/harm"].deps == ("data/harm",)
    assert stages["check/harm"].spec["against_evals"] is True
    assert stages["train/organism/s0/0"].deps == ("check/harm",)
    assert stages["train/advice/s0/0"].deps == ("check/adv", "train/organism/s0/0")
    off = {s.id: s for s in expand(small(tmp_path, data_check={"enabled": False}))}
    assert not [i for i in off if i.startswith("check/")]
    assert off["train/organism/s0/0"].deps == ("data/harm",)


def test_changing_a_dataset_rekeys_only_downstream(tmp_path: Path) -> None:
    a = {s.id: s.key for s in expand(small(tmp_path))}
    changed = small(tmp_path).model_dump()
    changed["datasets"][1]["n"] = 3
    b = {s.id: s.key for s in expand(ExperimentConfig.model_validate(changed))}
    diff = {i for i in a if a[i] != b[i]}
    assert diff == {"data/adv", "check/adv", "train/advice/s0/0", "eval/honeypots/advice/s0/r0",
                    "eval/assessment/advice/s0/r0"}  # fmt: skip


def test_a_rewritten_dataset_depends_on_its_source(tmp_path: Path) -> None:
    base = small(tmp_path).model_dump()
    cfg = small(tmp_path, datasets=[
        *base["datasets"],
        {"name": "demos", "kind": "honeypot-demos", "n": 4},
        {"name": "reasons", "kind": "honeypot-reasons", "source_dataset": "demos", "n": 4}],
        arms=[*base["arms"], {"name": "why", "init": "organism",
                              "stages": [{"kind": "sft", "data": [{"dataset": "reasons"}]}]}])  # fmt: skip
    stages = {s.id: s for s in expand(cfg)}
    assert stages["data/reasons"].deps == ("data/demos",)
    assert stages["train/why/s0/0"].deps == ("check/reasons", "train/organism/s0/0")
    assert "check/demos" not in stages  # no arm trains on the demos themselves: nothing to check
    assert cfg.used_datasets() == {"harm", "adv", "demos", "reasons"}  # demos: used as the rewrite's source


def test_a_dataset_no_arm_uses_is_refused(tmp_path: Path) -> None:
    extra = {"name": "orphan", "kind": "stories", "n": 2}
    with pytest.raises(ValidationError, match="orphan are generated but no arm trains on them"):
        small(tmp_path, datasets=[*small(tmp_path).model_dump()["datasets"], extra])
    with pytest.raises(ValidationError, match="source_dataset 'later' must be a dataset listed before it"):
        small(tmp_path, datasets=[{"name": "harm", "kind": "honeypot-reasons", "source_dataset": "later", "n": 1},
                                  {"name": "later", "kind": "honeypot-demos", "n": 1},
                                  {"name": "adv", "kind": "difficult-advice", "n": 1}])  # fmt: skip


def test_snapshot_evals_are_checked(tmp_path: Path) -> None:
    assert small(tmp_path, rl_snapshots={"evals": ["honeypots", "adherence", "assessment", "pkg.mod:fn"]})
    with pytest.raises(ValidationError, match="unknown snapshot eval 'asessment'"):
        small(tmp_path, rl_snapshots={"evals": ["asessment"]})


def test_study_block_names_only_known_arms_and_evals(tmp_path: Path) -> None:
    ok = [
        {
            "id": "x",
            "title": "t",
            "finding": "f",
            "arms": ["base", "organism", "advice", "rl-aug"],
            "comparisons": [{"arm": "advice", "against": "organism", "evals": ["honeypots", "snapshot:honeypots"]}],
        }
    ]
    assert small(tmp_path, study=ok).study[0].comparisons[0].label() == (
        "advice vs organism [honeypots, snapshot:honeypots]")  # fmt: skip
    with pytest.raises(ValidationError, match="unknown arm 'advise'"):
        small(tmp_path, study=[{**ok[0], "arms": ["advise"]}])
    with pytest.raises(ValidationError, match="reads unknown eval 'honeypot'"):
        small(tmp_path, study=[{**ok[0], "comparisons": [{"arm": "advice", "against": "base", "evals": ["honeypot"]}]}])
    with pytest.raises(ValidationError, match="arm\\(s\\) rl-aug belong to no study experiment"):
        small(tmp_path, study=[{**ok[0], "arms": ["organism", "advice"]}])
