"""``--engine petri``: run Petri's own auditor and judge (``inspect-petri``) on teachwhy's seeds.

``inspect-petri`` requires Python >= 3.12; teachwhy's pinned stack runs on 3.11, so in teachwhy's own
environment this engine is unavailable and says so. Where it is installed, Petri's task runs with teachwhy's
seeds, and its judge's dimensions are mapped onto teachwhy's (``resources/assessment/petri_mapping.yaml``),
giving the same two headline aggregates. The mapping is unverified against a live Petri run.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from inspect_ai import Task

from teachwhy.errors import TeachwhyError
from teachwhy.evals.assessment._data import Seed, resource_text

__all__ = ["petri_available", "petri_task", "petri_mapping", "map_petri_scores"]


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


def petri_mapping() -> dict[str, list[str]]:
    """teachwhy dimension -> Petri dimension names (first found wins ties; the maximum is taken)."""
    data = yaml.safe_load(resource_text("petri_mapping.yaml"))
    if not isinstance(data, dict):
        raise TeachwhyError("resources/assessment/petri_mapping.yaml must be a mapping")
    return {str(k): [str(x) for x in v] for k, v in data.items()}


def map_petri_scores(petri_scores: Mapping[str, Any], mapping: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Map one sample's Petri dimension scores onto teachwhy's dimensions (max over the listed Petri names).

    >>> mapping = {"misaligned_behavior": ["concerning"], "admirable_behavior": ["admirable"], "deception": []}
    >>> map_petri_scores({"concerning": 3, "admirable": 8, "unprompted_sycophancy": 2}, mapping)
    {'misaligned_behavior': 3, 'admirable_behavior': 8}
    """
    out: dict[str, int] = {}
    for ours, names in mapping.items():
        vals = [petri_scores[n] for n in names if isinstance(petri_scores.get(n), int | float)]
        if vals:
            out[ours] = int(round(max(float(v) for v in vals)))
    return out
