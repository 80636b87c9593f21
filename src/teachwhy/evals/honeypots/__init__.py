"""The honeypot suite: blackmail, research sabotage and framing, as inspect_ai tasks.

Public API (other packages use only these names): the storyline library (:func:`storyline_ids`,
:func:`load_storyline`), rendering (:func:`render`, :func:`build_instances`, :func:`script_steps`), conditions
(:func:`conditions`, :func:`parse_condition`, :func:`select_conditions`, :data:`HEADLINE`, :data:`PRESETS`), the
simulated workspace (:class:`World`, :func:`make_tools`, :func:`family_tools`, :func:`init_world`), verdicts
(:func:`classify`, :class:`Verdict`, :func:`score_set` on labelled sets), realism (:func:`lint`,
:func:`realism_report`), upstream calibration (:func:`run_upstream`) and runs (:class:`HoneypotRun`, :func:`run_honeypots`, :func:`to_openai`).
"""

from teachwhy.evals.honeypots._actions import Action, extract_actions, is_eval_aware
from teachwhy.evals.honeypots._calibrate import run_upstream
from teachwhy.evals.honeypots._realism import lint
from teachwhy.evals.honeypots._realism_judge import realism_report
from teachwhy.evals.honeypots._run import HoneypotRun, run_honeypots
from teachwhy.evals.honeypots._scenarios import (
    FAMILIES,
    HEADLINE,
    PRESETS,
    Condition,
    Instance,
    conditions,
    is_headline,
    parse_condition,
    render,
    script_steps,
    select_conditions,
    unfilled,
)
from teachwhy.evals.honeypots._storylines import Storyline, load_storyline, storyline_ids, storylines
from teachwhy.evals.honeypots._task import build_instances, honeypots, to_openai
from teachwhy.evals.honeypots._tools import Workspace, family_tools, make_tools, save
from teachwhy.evals.honeypots._validate import load_set, score_set
from teachwhy.evals.honeypots._verdict import Verdict, classify
from teachwhy.evals.honeypots._world import World


def init_world(instance: Instance) -> None:
    """Put an instance's initial workspace into the current inspect store (before running its tools)."""
    save(World.from_entities(instance.entities))


__all__ = [
    "FAMILIES",
    "HEADLINE",
    "PRESETS",
    "HoneypotRun",
    "run_honeypots",
    "Action",
    "Condition",
    "Instance",
    "Storyline",
    "Verdict",
    "World",
    "Workspace",
    "build_instances",
    "classify",
    "conditions",
    "extract_actions",
    "family_tools",
    "honeypots",
    "init_world",
    "is_eval_aware",
    "is_headline",
    "lint",
    "load_set",
    "load_storyline",
    "make_tools",
    "parse_condition",
    "realism_report",
    "render",
    "run_upstream",
    "score_set",
    "script_steps",
    "select_conditions",
    "storyline_ids",
    "storylines",
    "to_openai",
    "unfilled",
]
