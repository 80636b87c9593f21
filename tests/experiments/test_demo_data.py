"""The demo's organism data: `data generate --scenarios/--conditions` restrict families and condition cells."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from teachwhy.cli import app
from teachwhy.evals.honeypots import is_headline, storyline_ids


def test_generate_restricts_families_and_conditions(tmp_path: Path) -> None:
    out = tmp_path / "org"
    res = CliRunner().invoke(app, ["data", "generate", "honeypot-demos", "--scripted", "harmful", "--scenarios",
                                   "blackmail", "--conditions", "headline", "--n", "3", "--out", str(out)])  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in (out / "data.jsonl").read_text().splitlines()]
    assert len(rows) == 3
    train = set(storyline_ids("train", "blackmail"))
    for r in rows:
        m = r["meta"]
        assert m["family"] == "blackmail" and m["storyline"] in train and is_headline(m["condition"])
        assert m["scripted"] == "harmful"
    card = json.loads((out / "datacard.json").read_text())
    settings = card["provenance"]["config"]
    assert settings["scenarios"] == ["blackmail"] and settings["conditions"] == "headline"


def test_unknown_family_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["data", "generate", "honeypot-demos", "--scripted", "harmful", "--scenarios",
                                   "blackmial", "--n", "1", "--out", str(tmp_path / "x")])  # fmt: skip
    assert res.exit_code != 0
    assert "unknown family blackmial" in str(res.exception) or "unknown family blackmial" in res.output
    assert not (tmp_path / "x").exists()
