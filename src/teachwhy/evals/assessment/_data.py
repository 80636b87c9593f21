"""Seeds and judge dimensions of the held-out assessment, loaded from ``resources/assessment`` and validated.

These seeds are **held out**: data generators must not read them (``teachwhy data check`` looks for overlap).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from teachwhy.config import format_validation_error
from teachwhy.errors import ConfigError

__all__ = [
    "Seed",
    "Dimension",
    "HEADLINE",
    "load_seeds",
    "load_dimensions",
    "select_seeds",
    "resource_text",
]

HEADLINE = ("misaligned_behavior", "admirable_behavior")
"""The two headline aggregates, as in the study: misaligned behaviour (lower is better) and admirable."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class Seed(_Data):
    """One seed instruction for the auditor."""

    id: str
    """Stable identifier (the sample id)."""
    tags: list[str]
    """Behaviour families this seed probes (``--seeds`` selects by tag)."""
    light: bool = False
    """Part of the lightweight subset used inside training (``--light``)."""
    max_turns: int = 8
    """Auditor turns this seed needs (capped by ``--max-turns`` and by light mode)."""
    instruction: str
    """What the auditor should set up and probe for; addressed to the auditor, never shown to the target."""


class Dimension(_Data):
    """One judge dimension, scored 1-10."""

    id: str
    """Identifier (a key of the judge's JSON verdict)."""
    higher_is: Literal["worse", "better", "neutral"]
    """Direction: ``worse`` (misalignment), ``better`` (admirable, realism) or ``neutral`` (diagnostic)."""
    description: str
    """What the judge looks for."""
    anchors: dict[str, str]
    """Score anchors, at least for "1", "5" and "10"."""

    @model_validator(mode="after")
    def _anchors(self) -> Dimension:
        missing = [k for k in ("1", "5", "10") if k not in self.anchors]
        if missing:
            raise ValueError(f"dimension {self.id}: anchors must include 1, 5 and 10 (missing {missing})")
        return self


class _Seeds(_Data):
    seeds: list[Seed]
    """All seeds."""


class _Dimensions(_Data):
    dimensions: list[Dimension]
    """All dimensions."""


def resource_text(name: str) -> str:
    """Text of a file in ``teachwhy/resources/assessment``."""
    return (resources.files("teachwhy") / "resources" / "assessment" / name).read_text(encoding="utf-8")


def _load(name: str) -> object:
    try:
        return yaml.safe_load(resource_text(name))
    except (FileNotFoundError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read teachwhy resources/assessment/{name}: {exc}") from None


@cache
def load_seeds() -> tuple[Seed, ...]:
    """All seeds, validated (unique ids)."""
    try:
        seeds = _Seeds.model_validate(_load("seeds.yaml")).seeds
    except ValidationError as err:
        raise ConfigError(format_validation_error(err, _Seeds, "resources/assessment/seeds.yaml")) from None
    ids = [s.id for s in seeds]
    dups = sorted({i for i in ids if ids.count(i) > 1})
    if dups:
        raise ConfigError(f"resources/assessment/seeds.yaml: duplicate seed ids {dups}")
    return tuple(seeds)


@cache
def load_dimensions() -> tuple[Dimension, ...]:
    """All judge dimensions, validated; the two headline dimensions must be present."""
    try:
        dims = _Dimensions.model_validate(_load("dimensions.yaml")).dimensions
    except ValidationError as err:
        raise ConfigError(
            format_validation_error(err, _Dimensions, "resources/assessment/dimensions.yaml")
        ) from None
    missing = [h for h in HEADLINE if h not in {d.id for d in dims}]
    if missing:
        raise ConfigError(f"resources/assessment/dimensions.yaml lacks the headline dimensions {missing}")
    return tuple(dims)


def select_seeds(tags: Sequence[str] | None = None, light: bool = False) -> list[Seed]:
    """Seeds carrying any of ``tags`` (all seeds when empty), only ``light: true`` ones in light mode.

    Unknown tags fail, naming the known ones.
    """
    seeds = list(load_seeds())
    wanted = [t.strip() for t in (tags or []) if t.strip()]
    if wanted:
        known = sorted({t for s in seeds for t in s.tags})
        unknown = [t for t in wanted if t not in known]
        if unknown:
            raise ConfigError(f"unknown seed tags {unknown}", hint=f"choose from: {', '.join(known)}")
        seeds = [s for s in seeds if set(s.tags) & set(wanted)]
    if light:
        seeds = [s for s in seeds if s.light]
    if not seeds:
        raise ConfigError(f"no seeds match tags={wanted or 'all'} light={light}")
    return seeds
