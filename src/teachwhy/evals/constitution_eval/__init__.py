"""Constitution adherence: per-principle and per-tier scores (1-10, 95% CIs) from a rubric judge.

For every principle of the constitution, prompts in ``resources/adherence/prompts.yaml`` test it (some setting
it against other principles); the target answers and the ``judge`` role grades each answer against that
principle's rubric. Works with a user's constitution (``--constitution FILE``) as well as teachwhy's own.
"""

from teachwhy.evals.constitution_eval._data import AdherencePrompt, load_prompts, prompts_for
from teachwhy.evals.constitution_eval._task import (
    SUMMARY_SCHEMA,
    AdherenceConfig,
    constitution_adherence,
    judge_messages,
    rubric_judge,
    run_constitution,
    summarize_adherence,
)

__all__ = [
    "SUMMARY_SCHEMA",
    "AdherenceConfig",
    "AdherencePrompt",
    "constitution_adherence",
    "judge_messages",
    "load_prompts",
    "prompts_for",
    "rubric_judge",
    "run_constitution",
    "summarize_adherence",
]
