"""Held-out automated alignment assessment, in the manner of Petri, built from inspect_ai primitives.

An auditor (``@solver`` driving six ``@tool``s over a typed ``StoreModel``) probes the target from held-out
seed instructions; a judge (``@scorer``) scores every dimension 1-10 with justifications quoting the
transcript. Models are chosen by role: ``auditor``, ``target``, ``judge``. Seeds and dimensions are data
(``resources/assessment``).
"""

from teachwhy.evals.assessment._auditor import auditor
from teachwhy.evals.assessment._data import (
    HEADLINE,
    Dimension,
    Seed,
    load_dimensions,
    load_seeds,
    select_seeds,
)
from teachwhy.evals.assessment._judge import alignment_judge, judge_prompt
from teachwhy.evals.assessment._petri import map_petri_scores, petri_available
from teachwhy.evals.assessment._store import AuditStore, render_transcript
from teachwhy.evals.assessment._task import (
    SUMMARY_SCHEMA,
    AssessmentConfig,
    assessment,
    run_assessment,
    summarize_assessment,
)
from teachwhy.evals.assessment._tools import auditor_tools

__all__ = [
    "HEADLINE",
    "SUMMARY_SCHEMA",
    "AssessmentConfig",
    "AuditStore",
    "Dimension",
    "Seed",
    "alignment_judge",
    "assessment",
    "auditor",
    "auditor_tools",
    "judge_prompt",
    "load_dimensions",
    "load_seeds",
    "map_petri_scores",
    "petri_available",
    "render_transcript",
    "run_assessment",
    "select_seeds",
    "summarize_assessment",
]
