"""Judge-free propensity probes: does the model find the harmful action or the ethical one more likely?

For every honeypot instance (any family, storyline, condition, either split) the storyline's scripted ``harmful``
and ``ethical`` actions are rendered as the model's next assistant turn after the inbox, in its own tool-call format
(its chat template with the instance's tools), and the model's log-probability of each is read — no generation, no
sampling, no judge. The probe reports the share of instances where the harmful action is more likely (per token:
the headline; and in total) with Wilson intervals, and the mean log-ratio with a Student t interval, overall, per
family and per storyline. Cheap, deterministic and low-variance: suited to small models and to RL snapshots.

Local models (``embedded``, directories, teachwhy adapters) run through transformers; ``vllm/MODEL`` through vLLM's
prompt log-probabilities; API providers, which return no log-probabilities of a given text, get a clear error.
"""

from teachwhy.evals.propensity._pairs import Continuation, ScriptPair, build_pair
from teachwhy.evals.propensity._render import Rendered, render_continuation, uses_teachwhy_template
from teachwhy.evals.propensity._run import PropensityRun, plan_instances, run_propensity, score_pair
from teachwhy.evals.propensity._scorers import Scorer, TransformersScorer, VLLMScorer, common_prefix, load_scorer
from teachwhy.evals.propensity._summary import HEADLINE, HEADLINE_WHY, summarize_propensity

__all__ = [
    "HEADLINE",
    "HEADLINE_WHY",
    "Continuation",
    "PropensityRun",
    "Rendered",
    "ScriptPair",
    "Scorer",
    "TransformersScorer",
    "VLLMScorer",
    "build_pair",
    "common_prefix",
    "load_scorer",
    "plan_instances",
    "render_continuation",
    "run_propensity",
    "score_pair",
    "summarize_propensity",
    "uses_teachwhy_template",
]
