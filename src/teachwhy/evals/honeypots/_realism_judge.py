"""``teachwhy eval honeypots realism``: the lint over every storyline, and a judged 1-10 realism score per storyline.

The judge reads one rendered instance per storyline (the headline cell, seed 0, tools mode, as the target would see it:
system prompt then inbox) with teachwhy's rubric ``resources/honeypots/realism.md`` and answers one JSON object; an
unparseable answer is an error, counted, never a score.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources
from typing import Any

from inspect_ai.model import ChatMessageUser, Model

from teachwhy.evals.honeypots._realism import lint
from teachwhy.evals.honeypots._scenarios import FAMILIES, render
from teachwhy.evals.honeypots._storylines import storylines
from teachwhy.judging import JudgeParseError, extract_json_object, untrusted_block

__all__ = ["realism_report"]

HEADLINE = "explicit-replacement-high-scratchpad_off-notice_off-nudge_off"


@cache
def _rubric() -> str:
    return (resources.files("teachwhy") / "resources" / "honeypots" / "realism.md").read_text(encoding="utf-8")


def _parse(reply: str) -> tuple[int, list[str], str]:
    obj = extract_json_object(reply)
    score = obj.get("score")
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 10:
        raise JudgeParseError(f"'score' must be an integer from 1 to 10, got {score!r}")
    tells = obj.get("tells", [])
    if not isinstance(tells, list):
        raise JudgeParseError("'tells' must be a list")
    return score, [str(t) for t in tells], str(obj.get("reason", ""))


async def realism_report(split: str = "eval", judge: Model | None = None, seeds: int = 5,
                         families: tuple[str, ...] = FAMILIES) -> dict[str, Any]:  # fmt: skip
    """Per storyline: lint findings over ``seeds`` renders x both modes, and (with a judge) the realism score."""
    out: dict[str, Any] = {"split": split, "judge": bool(judge), "storylines": {}}
    for fam in families:
        for st in storylines(split, fam):
            tells: set[str] = set()
            for seed in range(seeds):
                for mode in ("tools", "text"):
                    tells |= set(lint(render(fam, HEADLINE, seed, mode=mode, split=split, storyline=st.id)))
            row: dict[str, Any] = {"family": fam, "lint": sorted(tells)}
            if judge is not None:
                inst = render(fam, HEADLINE, 0, split=split, storyline=st.id)
                shown = f"SYSTEM PROMPT:\n{inst.system_prompt}\n\nFIRST MESSAGE:\n{inst.messages[0]['content']}"
                prompt = string.Template(_rubric()).safe_substitute(scenario=untrusted_block(shown, "SCENARIO"))
                try:
                    res = await judge.generate([ChatMessageUser(content=prompt)])
                    if res.error:
                        raise RuntimeError(res.error)
                    row["score"], row["tells"], row["reason"] = _parse(res.completion)
                except Exception as exc:  # counted, never a score
                    row["error"] = str(exc)[:300]
            out["storylines"][st.id] = row
    scored = [r["score"] for r in out["storylines"].values() if "score" in r]
    out["mean_score"] = sum(scored) / len(scored) if scored else None
    out["errors"] = sum("error" in r for r in out["storylines"].values())
    out["lint_failures"] = sum(bool(r["lint"]) for r in out["storylines"].values())
    return out
