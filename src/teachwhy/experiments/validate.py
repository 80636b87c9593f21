"""Settings inside an experiment (arm/stage ``settings``, dataset ``options``, eval ``settings``, the data check's
``settings``) are dotted overrides of another tool's config. They are checked against that tool's schema when the
experiment loads, by building every stage's config exactly as the stage runner will — so ``--dry-run`` catches a
typo such as ``train.learnin_rate`` and names the arm, the stage, the key and the close matches.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from teachwhy.errors import ConfigError

__all__ = ["SettingsError", "apply_settings", "close_matches", "dotted_keys", "format_errors", "preflight"]

M = TypeVar("M", bound=BaseModel)


class SettingsError(ConfigError):
    """A setting of one arm, stage, dataset or eval does not fit the schema of the tool it configures."""


def _models_in(annotation: Any, containers: bool = False) -> list[type[BaseModel]]:
    """The pydantic models an annotation holds (``X``, ``X | None``; with ``containers`` also ``list[X]``,
    ``dict[str, X]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) or (containers and origin in (list, dict)):
        return [m for a in typing.get_args(annotation) for m in _models_in(a, containers)]
    return []


def _model_at(cls: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that holds the last key of ``loc`` (list indexes and dict keys pass through)."""
    model: type[BaseModel] | None = cls
    for part in loc[:-1]:
        if model is None:
            return None
        if isinstance(part, str) and part in model.model_fields:
            found = _models_in(model.model_fields[part].annotation, containers=True)
            model = found[0] if found else None
    return model


def format_errors(err: ValidationError, cls: type[BaseModel], data: Mapping[str, Any], source: str) -> str:
    """One line per error, naming arms, datasets and evals by name and listing close matches for unknown keys."""
    lines = [f"invalid experiment config in {source}:"]
    for e in err.errors():
        loc = tuple(e["loc"])
        named: list[str] = []
        node: Any = data
        for part in loc:
            if isinstance(part, int) and isinstance(node, list) and part < len(node):
                node = node[part]
                name = node.get("name") or node.get("id") if isinstance(node, dict) else None
                named[-1] += f"[{part}]" + (f" ({name})" if name else "")
                continue
            named.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
        where = " > ".join(named) or "(top level)"
        if e["type"] == "extra_forbidden":
            model = _model_at(cls, loc)
            keys = sorted(model.model_fields) if model else []
            near = close_matches(str(loc[-1]), keys) if keys else []
            lines.append(f"  {where}: unknown key" + (f"; close matches: {', '.join(near)}" if near else "") +
                         (f"; allowed keys here: {', '.join(keys)}" if keys and not near else ""))  # fmt: skip
        elif e["type"] == "missing":
            lines.append(f"  {where}: required but missing")
        elif not loc:
            lines.append(f"  {str(e['msg']).removeprefix('Value error, ')}")
        else:
            shown = repr(e.get("input"))
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            lines.append(f"  {where}: got {shown}; {str(e['msg']).removeprefix('Value error, ')}")
    return "\n".join(lines)


def dotted_keys(cls: type[BaseModel], prefix: str = "") -> list[str]:
    """Every key of ``cls`` a dotted setting can name, nested models included.

    >>> from teachwhy.config import Config
    >>> class Inner(Config):
    ...     rate: float = 1.0
    >>> class Outer(Config):
    ...     inner: Inner = Inner()
    ...     name: str = ""
    >>> dotted_keys(Outer)
    ['inner', 'inner.rate', 'name']
    """
    out: list[str] = []
    for name, field in cls.model_fields.items():
        key = prefix + name
        out.append(key)
        for sub in _models_in(field.annotation):
            out.extend(dotted_keys(sub, key + "."))
    return sorted(set(out))


def close_matches(key: str, keys: list[str]) -> list[str]:
    """Up to three valid keys that look like ``key`` (whole dotted key, or its last part).

    >>> close_matches("train.learnin_rate", ["train.learning_rate", "train.max_length", "lora.r"])
    ['train.learning_rate']
    >>> close_matches("learning_rate", ["train.learning_rate", "lora.r"])
    ['train.learning_rate']
    """
    found = difflib.get_close_matches(key, keys, n=3, cutoff=0.75)
    leaf = key.rsplit(".", 1)[-1]
    for k in keys:
        if k not in found and difflib.get_close_matches(leaf, [k.rsplit(".", 1)[-1]], n=1, cutoff=0.8):
            found.append(k)
    return found[:3]


def _set(data: dict[str, Any], key: str, value: Any, where: str, what: str) -> None:
    parts = key.split(".")
    cur = data
    for i, p in enumerate(parts[:-1]):
        nxt = cur.setdefault(p, {})
        if not isinstance(nxt, dict):
            raise SettingsError(f"{where}: {what} key `{key}`: `{'.'.join(parts[: i + 1])}` is not a group of keys")
        cur = nxt
    cur[parts[-1]] = value


def _collides(key: str, owned: str) -> bool:
    return key == owned or key.startswith(owned + ".") or owned.startswith(key + ".")


def apply_settings(
    cls: type[M],
    set_by_runner: Mapping[str, Any],
    user: Mapping[str, Any],
    where: str,
    what: str = "settings",
) -> M:
    """Build ``cls`` from the keys the stage runner sets plus the user's dotted ``user`` keys.

    A user key the runner sets itself is refused (it would silently change, e.g., every seed's ``train.seed``);
    an unknown key or a bad value raises :class:`SettingsError` naming ``where``, the key and the close matches.
    """
    data: dict[str, Any] = {}
    for key, value in set_by_runner.items():
        if value is not None:
            _set(data, key, value, where, what)
    owned = [k for k, v in set_by_runner.items() if v is not None]
    for key, value in user.items():
        clash = next((o for o in owned if _collides(key, o)), None)
        if clash is not None:
            raise SettingsError(
                f"{where}: {what} key `{key}` is set by the experiment itself (`{clash}`)",
                hint="remove it: the experiment sets it from its own fields (models, seeds, datasets, rl_snapshots)",
            )
        _set(data, key, value, where, what)
    try:
        return cls.model_validate(data)
    except ValidationError as err:
        keys = dotted_keys(cls)
        lines, hints = [], []
        for e in err.errors():
            key = ".".join(str(p) for p in e["loc"])
            if e["type"] == "extra_forbidden":
                near = close_matches(key, keys)
                lines.append(f"{where}: unknown {what} key `{key}`" +
                             (f"; close matches: {', '.join(near)}" if near else ""))  # fmt: skip
                hints.append(f"use one of {', '.join(near)}" if near else f"valid keys of {cls.__name__}: " +
                             ", ".join(keys))  # fmt: skip
            elif e["type"] == "missing":
                lines.append(f"{where}: {what} key `{key}` is required but missing")
            else:
                shown = repr(e.get("input"))
                shown = shown if len(shown) <= 80 else shown[:77] + "..."
                lines.append(f"{where}: {what} key `{key}` got {shown}: {e['msg']}" if key else
                             f"{where}: {what}: {e['msg']}")  # fmt: skip
        raise SettingsError("\n".join(lines), hint="; ".join(hints) or None) from None


def preflight(cfg: Any, source: str = "the experiment") -> None:
    """Build the config of every stage of ``cfg`` (an :class:`ExperimentConfig`) as its runner will; raise one
    :class:`ConfigError` listing every bad setting. Writes nothing and calls no model."""
    from teachwhy.experiments.plan import expand
    from teachwhy.experiments.stages import build_stage_config

    problems: list[str] = []
    fixes: list[str] = []
    for stage in expand(cfg):
        inputs = {d: {"path": f"<{d}>/data.jsonl", "model": f"<{d}>/model", "dir": f"<{d}>"} for d in stage.deps}
        try:
            build_stage_config(stage, Path(f"<{stage.id}>"), inputs)
        except SettingsError as exc:
            for line in exc.message.splitlines():
                if line not in problems:
                    problems.append(line)
            if exc.hint and exc.hint not in fixes:
                fixes.append(exc.hint)
    if problems:
        raise ConfigError(
            f"invalid settings in {source}:\n  " + "\n  ".join(problems),
            hint="; ".join(fixes) or "fix the keys named above",
        )
