"""The constitution: principles with reasons, examples and a grading rubric, grouped into priority tiers.

teachwhy ships its own constitution (``resources/constitution/constitution.md`` for people and models to read,
``constitution.yaml`` for code). A user's constitution in the same YAML format works everywhere ours does
(``--constitution FILE``); a malformed one fails with one message naming each problem.

>>> c = load_constitution()
>>> c.priority_order[0]
'broadly_safe'
>>> c.principle("honesty").tier
'broadly_ethical'
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError, field_validator, model_validator

from teachwhy.config import Config, format_validation_error
from teachwhy.errors import ConfigError

__all__ = ["Constitution", "Principle", "Tier", "load_constitution", "default_constitution_path"]


class Tier(Config):
    """One priority tier (for example ``broadly_safe``)."""

    id: str
    """Identifier used by ``priority_order`` and by each principle's ``tier``."""
    title: str
    """Human-readable title."""
    description: str = ""
    """What the tier covers and why it sits where it does in the order."""


class Principle(Config):
    """One principle: what to do, why, examples of good and bad conduct, and a 1-10 rubric for judges."""

    id: str
    """Stable identifier (adherence prompts refer to principles by this id)."""
    title: str
    """Short title."""
    tier: str
    """The priority tier this principle belongs to (an id from ``tiers``)."""
    statement: str
    """The principle itself."""
    rationale: str = ""
    """Why the principle holds: the reason the model should understand."""
    good_examples: list[str] = []
    """Short descriptions of conduct that follows the principle."""
    bad_examples: list[str] = []
    """Short descriptions of conduct that violates it."""
    rubric: str
    """How a judge grades one response against this principle, with anchors for 1, 5 and 10."""


class Constitution(Config):
    """A constitution: tiers in priority order and the principles in each."""

    name: str
    """Name of this constitution."""
    version: str
    """Version string (recorded in every summary that used it)."""
    priority_order: list[str]
    """Tier ids, highest priority first; weighed holistically, not lexically."""
    tiers: list[Tier]
    """The tiers named in ``priority_order``."""
    principles: list[Principle]
    """Every principle, each in one tier."""

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v

    @model_validator(mode="after")
    def _check_references(self) -> Constitution:
        problems: list[str] = []
        tier_ids = [t.id for t in self.tiers]
        for dup in sorted({t for t in tier_ids if tier_ids.count(t) > 1}):
            problems.append(f"tier id {dup!r} is defined more than once")
        if sorted(self.priority_order) != sorted(set(tier_ids)) or len(self.priority_order) != len(
            set(tier_ids)
        ):
            problems.append(
                f"priority_order {self.priority_order} must list each tier once; tiers: {tier_ids}"
            )
        ids = [p.id for p in self.principles]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"principle id {dup!r} is defined more than once")
        for p in self.principles:
            if p.tier not in tier_ids:
                problems.append(
                    f"principle {p.id!r} has tier {p.tier!r}, which is not one of the tiers {tier_ids}"
                )
        if not self.principles:
            problems.append("principles is empty: a constitution needs at least one principle")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def principle(self, principle_id: str) -> Principle:
        """Return the principle with this id (``KeyError`` naming the known ids if absent)."""
        for p in self.principles:
            if p.id == principle_id:
                return p
        raise KeyError(f"no principle {principle_id!r}; known: {', '.join(p.id for p in self.principles)}")

    def tier(self, tier_id: str) -> Tier:
        """Return the tier with this id."""
        for t in self.tiers:
            if t.id == tier_id:
                return t
        raise KeyError(f"no tier {tier_id!r}; known: {', '.join(self.priority_order)}")

    def by_tier(self) -> Iterator[tuple[Tier, list[Principle]]]:
        """Yield each tier in priority order with its principles."""
        for tid in self.priority_order:
            yield self.tier(tid), [p for p in self.principles if p.tier == tid]


def default_constitution_path() -> Path:
    """Path of teachwhy's own constitution YAML (inside the installed package)."""
    return Path(str(resources.files("teachwhy") / "resources" / "constitution" / "constitution.yaml"))


def load_constitution(path: str | Path | None = None) -> Constitution:
    """Load and validate a constitution: teachwhy's own when ``path`` is None, else the user's YAML file.

    Raises :class:`~teachwhy.errors.ConfigError` naming the file and each problem (missing file, bad YAML,
    a missing or unknown field, a principle in an undefined tier, duplicate ids).
    """
    source = Path(path).expanduser() if path is not None else default_constitution_path()
    if not source.exists():
        raise ConfigError(
            f"constitution file not found: {source}",
            hint="pass --constitution with a YAML file in the format of teachwhy's resources/constitution/"
            "constitution.yaml, or leave it out to use teachwhy's own",
        )
    if source.is_dir():
        raise ConfigError(f"constitution path {source} is a directory; pass the YAML file itself")
    try:
        data: Any = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"constitution file {source} is not valid YAML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"constitution file {source} is not UTF-8 text") from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"constitution file {source} must hold a mapping with keys name, version, priority_order, tiers, "
            f"principles; got {type(data).__name__}"
        )
    try:
        return Constitution.model_validate(data)
    except ValidationError as err:
        msg = format_validation_error(err, Constitution, str(source)).replace(
            "invalid config", "invalid constitution"
        )
        raise ConfigError(
            msg, hint="compare with teachwhy's resources/constitution/constitution.yaml"
        ) from None
