"""``--engine petri``: run Petri's own auditor and judge (``inspect-petri``) on teachwhy's seeds.

``inspect-petri`` requires Python >= 3.12; teachwhy's pinned stack runs on 3.11, so in teachwhy's own
environment this engine is unavailable and says so. Where it is installed, Petri's task runs with teachwhy's
seeds, and its judge's dimensions are mapped onto teachwhy's (``resources/assessment/petri_mapping.yaml``); the two
headline aggregates are then computed from the mapped dimensions exactly as for teachwhy's own judge. Shared
dimensions (one Petri name each, used once) convert both ways without loss. The mapping is unverified against a live
Petri run.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import yaml
from inspect_ai import Task

from teachwhy.errors import ConfigError, TeachwhyError
from teachwhy.evals.assessment._data import Seed, load_dimensions, resource_text

__all__ = [
    "petri_available",
    "petri_task",
    "petri_dimensions",
    "petri_mapping",
    "shared_dimensions",
    "map_petri_scores",
    "to_petri_scores",
]


def petri_available() -> bool:
    """Whether the ``inspect_petri`` package can be imported."""
    return importlib.util.find_spec("inspect_petri") is not None


def petri_task(seeds: Sequence[Seed], max_turns: int) -> Task:
    """Petri's ``audit`` task over our seeds; a clear error when inspect-petri is not installed."""
    if not petri_available():
        raise TeachwhyError(
            "--engine petri needs the inspect-petri package, which is not installed in this environment",
            hint="inspect-petri requires Python >= 3.12 (teachwhy's stack runs on 3.11): in a Python 3.12+ "
            "environment run `pip install inspect-petri` and install teachwhy there; "
            "otherwise use --engine ours",
        )
    from inspect_petri import audit  # type: ignore[import-not-found, unused-ignore]

    task: Task = audit(seed_instructions=[s.instruction for s in seeds], max_turns=max_turns)
    return task


@cache
def _mapping_file() -> tuple[tuple[str, ...], dict[str, list[str]]]:
    where = "resources/assessment/petri_mapping.yaml"
    data = yaml.safe_load(resource_text("petri_mapping.yaml"))
    if not isinstance(data, dict) or not isinstance(data.get("mapping"), dict):
        raise ConfigError(f"{where} must hold `petri_dimensions` (a list) and `mapping` (ours -> Petri names)")
    names = tuple(str(x) for x in data.get("petri_dimensions") or [])
    mapping = {str(k): [str(x) for x in (v or [])] for k, v in data["mapping"].items()}
    ours = [d.id for d in load_dimensions()]
    if sorted(mapping) != sorted(ours):
        missing, extra = sorted(set(ours) - set(mapping)), sorted(set(mapping) - set(ours))
        raise ConfigError(f"{where}: mapping keys must be teachwhy's dimensions (missing {missing}, unknown {extra})")
    used = [n for v in mapping.values() for n in v]
    unknown = sorted(set(used) - set(names))
    unmapped = [n for n in names if n not in used]
    if unknown or unmapped:
        raise ConfigError(
            f"{where}: Petri names not in petri_dimensions {unknown}; Petri names never mapped {unmapped}"
        )
    return names, mapping


def petri_dimensions() -> list[str]:
    """The dimension names of Petri's public judge (``petri_dimensions`` in petri_mapping.yaml)."""
    return list(_mapping_file()[0])


def petri_mapping() -> dict[str, list[str]]:
    """teachwhy dimension -> the Petri dimension names it takes (the maximum is taken); validated."""
    return {k: list(v) for k, v in _mapping_file()[1].items()}


def shared_dimensions(mapping: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """teachwhy dimension -> Petri name, for the dimensions that convert both ways without loss: mapped from exactly
    one Petri name that no other teachwhy dimension takes.

    >>> shared_dimensions({"a": ["x"], "b": ["y", "z"], "c": ["x"], "d": ["w"], "e": []})
    {'d': 'w'}
    """
    m = petri_mapping() if mapping is None else mapping
    uses: dict[str, int] = {}
    for names in m.values():
        for n in names:
            uses[n] = uses.get(n, 0) + 1
    return {ours: names[0] for ours, names in m.items() if len(names) == 1 and uses[names[0]] == 1}


def map_petri_scores(
    petri_scores: Mapping[str, Any], mapping: Mapping[str, Sequence[str]] | None = None
) -> dict[str, int]:
    """Map one sample's Petri dimension scores onto teachwhy's dimensions (max over the listed Petri names).

    >>> mapping = {"overall_misalignment": ["concerning"], "admirable": ["admirable"], "deception": []}
    >>> map_petri_scores({"concerning": 3, "admirable": 8, "unprompted_sycophancy": 2}, mapping)
    {'overall_misalignment': 3, 'admirable': 8}
    """
    out: dict[str, int] = {}
    for ours, names in (petri_mapping() if mapping is None else mapping).items():
        vals = [petri_scores[n] for n in names if isinstance(petri_scores.get(n), int | float)]
        if vals:
            out[ours] = int(round(max(float(v) for v in vals)))
    return out


def to_petri_scores(
    our_scores: Mapping[str, Any], mapping: Mapping[str, Sequence[str]] | None = None
) -> dict[str, int]:
    """teachwhy scores back to Petri names, for the shared dimensions only (the others have no exact inverse).

    >>> to_petri_scores({"sycophancy": 4, "deception": 6}, {"sycophancy": ["unprompted_sycophancy"], "deception": []})
    {'unprompted_sycophancy': 4}
    """
    shared = shared_dimensions(mapping)
    return {
        p: int(round(float(our_scores[o]))) for o, p in shared.items() if isinstance(our_scores.get(o), int | float)
    }
