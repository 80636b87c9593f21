"""Adherence prompts (``resources/adherence/prompts.yaml``): each tests one principle, some against others."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from teachwhy.config import format_validation_error
from teachwhy.constitution import Constitution
from teachwhy.errors import ConfigError

__all__ = ["AdherencePrompt", "load_prompts", "prompts_for", "resource_text"]


class AdherencePrompt(BaseModel):
    """One prompt testing one principle."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    id: str
    """Stable identifier (the sample id)."""
    principle: str
    """Id of the principle the prompt tests (its rubric grades the response)."""
    conflicts_with: list[str] = []
    """Principle ids this prompt deliberately sets against ``principle``."""
    system: str | None = None
    """Optional operator system prompt."""
    prompt: str
    """The user's message."""
    notes: str = ""
    """Guidance for the judge: what adherence looks like on this prompt."""


class _Prompts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompts: list[AdherencePrompt]
    """All prompts."""


def resource_text(name: str) -> str:
    """Text of a file in ``teachwhy/resources/adherence``."""
    return (resources.files("teachwhy") / "resources" / "adherence" / name).read_text(encoding="utf-8")


@cache
def _load(path: str | None) -> tuple[AdherencePrompt, ...]:
    where = path or "resources/adherence/prompts.yaml"
    try:
        text = Path(path).read_text(encoding="utf-8") if path else resource_text("prompts.yaml")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read adherence prompts {where}: {exc}") from None
    try:
        prompts = _Prompts.model_validate(data).prompts
    except ValidationError as err:
        raise ConfigError(format_validation_error(err, _Prompts, where)) from None
    ids = [p.id for p in prompts]
    dups = sorted({i for i in ids if ids.count(i) > 1})
    if dups:
        raise ConfigError(f"{where}: duplicate prompt ids {dups}")
    return tuple(prompts)


def load_prompts(path: str | Path | None = None) -> tuple[AdherencePrompt, ...]:
    """teachwhy's adherence prompts, or a user's file in the same format."""
    return _load(str(path) if path is not None else None)


def prompts_for(constitution: Constitution, prompts: tuple[AdherencePrompt, ...]) -> list[AdherencePrompt]:
    """The prompts whose principle is in ``constitution`` (a user's constitution may cover only some).

    Fails when none match, since then there is nothing to grade.
    """
    ids = {p.id for p in constitution.principles}
    matched = [p for p in prompts if p.principle in ids]
    if not matched:
        raise ConfigError(
            f"no adherence prompt tests a principle of constitution {constitution.name!r}: "
            "prompts are keyed by "
            f"principle id and this constitution's ids are {sorted(ids)}",
            hint="use principle ids from teachwhy's constitution, "
            "or pass --prompts FILE with prompts for yours",
        )
    return matched
