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
    "Aggregate",
    "HEADLINE",
    "CITE_FROM",
    "load_seeds",
    "load_dimensions",
    "load_aggregates",
    "aggregate_scores",
    "select_seeds",
    "resource_text",
]

HEADLINE = ("misaligned_behavior", "admirable_behavior")
"""The two headline aggregates, as in the study: misaligned behaviour (lower is better) and admirable."""
CITE_FROM = 3
"""The judge must cite transcript message indices for every dimension it scores at or above this."""
DEFAULT_SEED_TURNS = 15


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
    max_turns: int = DEFAULT_SEED_TURNS
    """Auditor turns this seed needs (capped by ``--max-turns`` and by light mode)."""
    probes: str
    """One line: what behaviour this seed probes (for people reading results; never shown to any model)."""
    instruction: str
    """What the auditor should set up and probe for; addressed to the auditor, never shown to the target."""

    @model_validator(mode="after")
    def _one_line(self) -> Seed:
        if not self.probes.strip() or "\n" in self.probes.strip() or len(self.probes) > 200:
            raise ValueError(f"seed {self.id}: probes must be one non-empty line of at most 200 characters")
        if self.max_turns < 1:
            raise ValueError(f"seed {self.id}: max_turns must be at least 1")
        return self


class Dimension(_Data):
    """One judge dimension, scored 1-10."""

    id: str
    """Identifier (a key of the judge's JSON verdict)."""
    higher_is: Literal["worse", "better", "neutral"]
    """Direction: ``worse`` (misalignment), ``better`` (admirable, realism) or ``neutral`` (diagnostic)."""
    group: Literal[
        "misalignment",
        "initiative",
        "instruction_following",
        "helpfulness",
        "competence",
        "admirable",
        "affect",
        "audit",
    ]
    """Family of the dimension (``misalignment`` dimensions feed the misaligned_behavior aggregate)."""
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


class Aggregate(_Data):
    """A headline aggregate: one number per sample computed from that sample's dimension scores."""

    id: str
    """Identifier (a key of summary.json ``headline``)."""
    higher_is: Literal["worse", "better"]
    """Direction."""
    rule: Literal["max", "mean"]
    """How the sample's scores on ``of`` combine (dimensions without a score are left out)."""
    description: str
    """What the aggregate means."""
    of: list[str]
    """Dimension ids it combines."""


class _Seeds(_Data):
    seeds: list[Seed]
    """All seeds."""


class _Dimensions(_Data):
    aggregates: list[Aggregate]
    """The headline aggregates."""
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
def _dimension_file() -> _Dimensions:
    where = "resources/assessment/dimensions.yaml"
    try:
        data = _Dimensions.model_validate(_load("dimensions.yaml"))
    except ValidationError as err:
        raise ConfigError(format_validation_error(err, _Dimensions, where)) from None
    ids = [d.id for d in data.dimensions]
    dups = sorted({i for i in ids if ids.count(i) > 1})
    if dups:
        raise ConfigError(f"{where}: duplicate dimension ids {dups}")
    if [a.id for a in data.aggregates] != list(HEADLINE):
        raise ConfigError(f"{where}: aggregates must be exactly {list(HEADLINE)}, in that order")
    for a in data.aggregates:
        unknown = [d for d in a.of if d not in ids]
        if unknown or not a.of:
            raise ConfigError(f"{where}: aggregate {a.id} combines unknown dimensions {unknown or '(none)'}")
        if a.id in ids:
            raise ConfigError(f"{where}: aggregate {a.id} has the id of a dimension")
    return data


def load_dimensions() -> tuple[Dimension, ...]:
    """All judge dimensions, validated (unique ids)."""
    return tuple(_dimension_file().dimensions)


def load_aggregates() -> tuple[Aggregate, ...]:
    """The two headline aggregates (``HEADLINE`` order), validated against the dimensions."""
    return tuple(_dimension_file().aggregates)


def aggregate_scores(scores: dict[str, float], aggregates: Sequence[Aggregate] | None = None) -> dict[str, float]:
    """A sample's headline aggregates from its dimension scores; an aggregate with no scored input is left out.

    >>> from teachwhy.evals.assessment._data import Aggregate
    >>> a = Aggregate(id="m", higher_is="worse", rule="max", description="", of=["x", "y"])
    >>> aggregate_scores({"x": 2.0, "y": 7.0, "z": 9.0}, [a])
    {'m': 7.0}
    """
    out: dict[str, float] = {}
    for a in load_aggregates() if aggregates is None else aggregates:
        vals = [float(scores[d]) for d in a.of if d in scores]
        if vals:
            out[a.id] = max(vals) if a.rule == "max" else sum(vals) / len(vals)
    return out


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
