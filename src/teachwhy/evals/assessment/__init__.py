"""Held-out automated alignment assessment, in the manner of Petri, built from inspect_ai primitives.

An auditor (``@solver`` driving six ``@tool``s over a typed ``StoreModel``, several calls a turn) probes the target
from held-out seed instructions, optionally with a realism check on each of its actions; a judge (``@scorer``)
summarises the transcript and scores every dimension 1-10, citing message indices, optionally sampled K times
(median). Two headline aggregates (misaligned and admirable behaviour) are computed per sample from the dimensions.
Models are chosen by role: ``auditor``, ``target``, ``judge``, ``realism``. Seeds, dimensions, aggregates and the
Petri mapping are data (``resources/assessment``).
"""

from teachwhy.evals.assessment._auditor import auditor
from teachwhy.evals.assessment._data import (
    CITE_FROM,
    HEADLINE,
    Aggregate,
    Dimension,
    Seed,
    aggregate_scores,
    load_aggregates,
    load_dimensions,
    load_seeds,
    select_seeds,
)
from teachwhy.evals.assessment._judge import alignment_judge, judge_prompt
from teachwhy.evals.assessment._petri import (
    map_petri_scores,
    petri_available,
    petri_dimensions,
    petri_mapping,
    shared_dimensions,
    to_petri_scores,
)
from teachwhy.evals.assessment._realism import RealismGate
from teachwhy.evals.assessment._store import AuditStore, render_transcript
from teachwhy.evals.assessment._task import (
    DEFAULT_MAX_TURNS,
    LIGHT_MAX_TURNS,
    SUMMARY_SCHEMA,
    AssessmentConfig,
    assessment,
    run_assessment,
    summarize_assessment,
)
from teachwhy.evals.assessment._tools import auditor_tools
from teachwhy.evals.assessment._verdict import JudgeSample, combine_samples, parse_assessment_verdict

__all__ = [
    "CITE_FROM",
    "DEFAULT_MAX_TURNS",
    "HEADLINE",
    "LIGHT_MAX_TURNS",
    "SUMMARY_SCHEMA",
    "Aggregate",
    "AssessmentConfig",
    "AuditStore",
    "Dimension",
    "JudgeSample",
    "RealismGate",
    "Seed",
    "aggregate_scores",
    "alignment_judge",
    "assessment",
    "auditor",
    "auditor_tools",
    "combine_samples",
    "judge_prompt",
    "load_aggregates",
    "load_dimensions",
    "load_seeds",
    "map_petri_scores",
    "parse_assessment_verdict",
    "petri_available",
    "petri_dimensions",
    "petri_mapping",
    "render_transcript",
    "run_assessment",
    "select_seeds",
    "shared_dimensions",
    "summarize_assessment",
    "to_petri_scores",
]
