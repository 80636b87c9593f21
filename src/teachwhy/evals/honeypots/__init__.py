"""The honeypot suite: blackmail, research sabotage and framing, as inspect_ai tasks."""

from teachwhy.evals.honeypots._actions import Action, extract_actions
from teachwhy.evals.honeypots._run import HoneypotRun, run_honeypots
from teachwhy.evals.honeypots._scenarios import (
    FAMILIES,
    HEADLINE,
    Condition,
    Instance,
    conditions,
    is_headline,
    parse_condition,
    render,
)
from teachwhy.evals.honeypots._verdict import Verdict, classify

__all__ = [
    "FAMILIES",
    "HEADLINE",
    "is_headline",
    "HoneypotRun",
    "run_honeypots",
    "Action",
    "Condition",
    "Instance",
    "Verdict",
    "classify",
    "conditions",
    "extract_actions",
    "parse_condition",
    "render",
]
