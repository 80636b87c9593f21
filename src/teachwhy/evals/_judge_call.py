"""The one way the held-out evals ask their judge: call it, parse its own reply strictly, and turn any failure —
provider error or unparseable verdict — into a counted error score, never a number."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from inspect_ai.model import ChatMessage, get_model
from inspect_ai.scorer import Score

from teachwhy.judging import JudgeVerdict

__all__ = ["ask_judge", "error_score", "RAW_LIMIT"]

RAW_LIMIT = 4000  # characters of the judge's raw reply kept in the score metadata


async def ask_judge(messages: Sequence[ChatMessage], parse: Callable[[str], JudgeVerdict]) -> tuple[JudgeVerdict, str]:
    """Ask the ``judge`` role; returns the verdict (``status="error"`` on any failure) and the raw reply."""
    raw = ""
    try:
        output = await get_model(role="judge").generate(list(messages))
        raw = output.completion
        verdict = parse(raw)
    except Exception as exc:  # a provider error is counted, never scored
        verdict = JudgeVerdict.failed(f"judge call failed: {type(exc).__name__}: {exc}")
    return verdict, raw


def error_score(verdict: JudgeVerdict, meta: dict[str, Any]) -> Score:
    """The score of a sample whose judge failed: NaN value, ``status: error`` and the reason."""
    return Score(value=math.nan, explanation=f"error: {verdict.error}",
                 metadata={**meta, "status": "error", "error": verdict.error})  # fmt: skip
