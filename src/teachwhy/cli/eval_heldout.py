"""``teachwhy eval assessment`` and ``teachwhy eval constitution`` (issue 4)."""

from __future__ import annotations

from teachwhy.cli._common import not_available


def assessment() -> None:
    """Held-out automated alignment assessment (auditor probes target, judge scores)."""
    not_available("eval assessment", 4)


def constitution() -> None:
    """Constitution-adherence eval: per-principle scores with confidence intervals."""
    not_available("eval constitution", 4)
