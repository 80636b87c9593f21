"""Configuration: pydantic models with a docstring on every field, unknown keys rejected, loaded from YAML.

Every config in teachwhy subclasses :class:`Config`. A YAML file is just saved flags: CLI flags override its fields
through :func:`load_config`'s ``overrides``. Validation errors are rewritten into one message that names the field,
the value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from teachwhy.errors import ConfigError

__all__ = ["Config", "load_config", "format_validation_error", "validation_hint"]

C = TypeVar("C", bound="Config")


class Config(BaseModel):
    """Base class of every teachwhy config: strict keys, documented fields."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, validate_assignment=True)


def _allowed(cls: type[BaseModel], loc: tuple[int | str, ...]) -> str | None:
    """Describe the allowed keys at ``loc`` (for unknown-key errors)."""
    model: type[BaseModel] | None = cls
    for part in loc[:-1]:
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return None
        ann = model.model_fields[part].annotation
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    if model is None:
        return None
    return ", ".join(sorted(model.model_fields))


def format_validation_error(err: ValidationError, cls: type[BaseModel], source: str) -> str:
    """Turn a pydantic ValidationError into lines naming field, value and what is allowed."""
    lines = [f"invalid config in {source}:"]
    for e in err.errors():
        loc = tuple(e["loc"])
        field = ".".join(str(p) for p in loc) or "(top level)"
        value = e.get("input")
        if e["type"] == "extra_forbidden":
            allowed = _allowed(cls, loc)
            lines.append(f"  {field}: unknown key" + (f"; allowed keys here: {allowed}" if allowed else ""))
        elif e["type"] == "missing":
            lines.append(f"  {field}: required but missing")
        else:
            shown = repr(value)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            lines.append(f"  {field}: got {shown}; {e['msg']}")
    return "\n".join(lines)


def validation_hint(err: ValidationError, cls: type[BaseModel], source: str) -> str:
    """The fix for a validation error: the closest allowed key for each unknown key, else where to fix it."""
    import difflib

    near: list[str] = []
    for e in err.errors():
        loc = tuple(e["loc"])
        if e["type"] == "extra_forbidden" and loc:
            allowed = (_allowed(cls, loc) or "").split(", ")
            match = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
            if match:
                field = ".".join(str(p) for p in loc)
                near.append(f"`{field}` -> `{'.'.join([*(str(p) for p in loc[:-1]), match[0]])}`")
    where = "the flags" if source == "flags" else source
    if near:
        return f"did you mean {', '.join(near)}? fix it in {where}"
    return f"fix the field(s) named above in {where} (each config field is documented in docs/ARCHITECTURE.md)"


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping, with clear errors for missing files, bad syntax and non-mappings."""
    if not path.exists():
        raise ConfigError(f"config file not found: {path}", hint="check the path given to --config")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"config file {path} is not valid YAML: {exc}", hint="fix the YAML syntax at the line named"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"config file {path} must hold a mapping of keys to values, got {type(data).__name__}",
            hint="write it as `key: value` lines (see `teachwhy train show-config sft`)",
        )
    return data


def _set_dotted(data: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    cur = data
    for p in parts[:-1]:
        nxt = cur.setdefault(p, {})
        if not isinstance(nxt, dict):
            raise ConfigError(f"cannot set {key}: {p} is not a mapping", hint=f"set {p} itself, or a key of a mapping")
        cur = nxt
    cur[parts[-1]] = value


def load_config(
    cls: type[C], path: Path | None = None, overrides: Mapping[str, Any] | None = None, source: str | None = None
) -> C:
    """Load ``cls`` from a YAML file (optional), then apply ``overrides`` (dotted keys; ``None`` values skipped)."""
    data: dict[str, Any] = read_yaml(path) if path is not None else {}
    for key, value in (overrides or {}).items():
        if value is not None:
            _set_dotted(data, key, value)
    try:
        return cls.model_validate(data)
    except ValidationError as err:
        where = source or (str(path) if path else "flags")
        raise ConfigError(format_validation_error(err, cls, where), hint=validation_hint(err, cls, where)) from None
