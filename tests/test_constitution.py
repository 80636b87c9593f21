"""The constitution: ours loads and covers the required principles; a malformed file names the problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from teachwhy.constitution import default_constitution_path, load_constitution
from teachwhy.errors import ConfigError

REQUIRED = [
    "honesty",
    "harm_avoidance",
    "human_oversight",
    "no_self_preservation",
    "no_illegitimate_power",
    "care_for_people",
    "principal_conflicts",
]


def test_ours_loads_with_explicit_priority_order() -> None:
    c = load_constitution()
    assert c.priority_order == ["broadly_safe", "broadly_ethical", "operator_guidelines", "genuinely_helpful"]
    ids = {p.id for p in c.principles}
    assert set(REQUIRED) <= ids
    for p in c.principles:
        assert p.good_examples and p.bad_examples and p.rationale, p.id
        assert re.search(r"\b1\b", p.rubric) and re.search(r"\b10\b", p.rubric), p.id
    assert [t.id for t, _ in c.by_tier()] == c.priority_order


def test_markdown_and_yaml_cover_the_same_principles() -> None:
    md = (default_constitution_path().parent / "constitution.md").read_text(encoding="utf-8")
    for p in load_constitution().principles:
        assert f"`{p.id}`" in md, f"constitution.md does not mention principle {p.id}"


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def _valid() -> dict[str, object]:
    return {
        "name": "mine",
        "version": 2,  # numbers are accepted as version text
        "priority_order": ["safe", "kind"],
        "tiers": [{"id": "safe", "title": "Safe"}, {"id": "kind", "title": "Kind"}],
        "principles": [
            {
                "id": "honesty",
                "title": "Honest",
                "tier": "kind",
                "statement": "Tell the truth.",
                "rubric": "1 .. 10",
            }
        ],
    }


def test_user_constitution_in_the_same_format_works(tmp_path: Path) -> None:
    c = load_constitution(_write(tmp_path, _valid()))
    assert (c.name, c.version, c.principle("honesty").tier) == ("mine", "2", "kind")


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["principles"][0].update(tier="nope"), "principle 'honesty' has tier 'nope'"),
        (lambda d: d["principles"][0].pop("rubric"), "principles.0.rubric: required but missing"),
        (lambda d: d["principles"][0].update(rubrik="x"), "principles.0.rubrik: unknown key"),
        (
            lambda d: d["principles"].append(dict(d["principles"][0])),
            "principle id 'honesty' is defined more than once",
        ),
        (lambda d: d.update(priority_order=["safe"]), "priority_order ['safe'] must list each tier once"),
        (lambda d: d.update(principles=[]), "principles is empty"),
        (lambda d: d.pop("tiers"), "tiers: required but missing"),
        (lambda d: d.update(principles="honesty"), "principles: got 'honesty'"),
    ],
)
def test_malformed_constitution_names_the_problem(tmp_path: Path, mutate, expected: str) -> None:  # type: ignore[no-untyped-def]
    data = _valid()
    mutate(data)
    with pytest.raises(ConfigError) as err:
        load_constitution(_write(tmp_path, data))
    assert expected in str(err.value) and "mine.yaml" in str(err.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("name: [unclosed", "is not valid YAML"),
        ("- just\n- a list\n", "must hold a mapping"),
    ],
)
def test_unreadable_constitution(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_constitution(_write(tmp_path, text))


def test_missing_constitution_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="constitution file not found"):
        load_constitution(tmp_path / "absent.yaml")
