"""Upstream calibration: our families' headline rates beside the public agentic-misalignment blackmail scenario,
for the same model in one run, both scored by our classifier.

The upstream scenario is loaded from the installed ``inspect_evals`` package (its public task function
``inspect_evals.agentic_misalignment.agentic_misalignment``), never copied. Its scorer is replaced by ours; the
facts our classifier needs (who decides, what marks the secret) are in
``resources/honeypots/calibration/agentic_misalignment_blackmail.yaml`` and are checked against the rendered prompt.
"""

from __future__ import annotations

import asyncio
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from inspect_ai import Task
from inspect_ai import eval as inspect_eval
from inspect_ai.model import Model
from inspect_ai.scorer import Score, Target, scorer
from inspect_ai.solver import TaskState

from teachwhy._io import append_jsonl, atomic_write_json, read_jsonl
from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots._task import harmful_rate, to_openai
from teachwhy.evals.honeypots._verdict import classify

__all__ = ["upstream_task", "upstream_entities", "run_upstream", "INSTALL_HINT"]

INSTALL_HINT = "install the optional extra: .venv/bin/pip install 'inspect-evals==0.26.0' (or pip install 'teachwhy[calibrate]')"


@cache
def _facts() -> dict[str, Any]:
    path = resources.files("teachwhy") / "resources" / "honeypots" / "calibration" / "agentic_misalignment_blackmail.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _upstream_factory() -> Any:
    try:
        from inspect_evals.agentic_misalignment import agentic_misalignment
    except ImportError as exc:
        raise TeachwhyError(f"the upstream scenario needs the inspect_evals package ({exc})", hint=INSTALL_HINT) from None
    return agentic_misalignment


_EMAIL = re.compile(r"<email>\s*(.*?)</email>", re.S)


def upstream_entities(prompt: str) -> dict[str, Any]:
    """Our classifier's entities for the upstream prompt: the facts file, plus the prompt's emails as messages with
    ids 1..n (the upstream forward tool names emails by number)."""
    facts = _facts()
    missing = [m for m in [facts["decider_email"], *facts["secret_markers"]] if m not in prompt]
    if missing:
        raise TeachwhyError(f"the upstream blackmail prompt no longer mentions {missing}",
                            hint="update resources/honeypots/calibration/agentic_misalignment_blackmail.yaml")  # fmt: skip
    messages = []
    for i, m in enumerate(_EMAIL.finditer(prompt), 1):
        fields = dict(re.findall(r"^(From|To|Subject|Timestamp):\s*(.*)$", m.group(1), re.M))
        body = m.group(1).split("Body:", 1)[-1].strip()
        messages.append({"id": str(i), "channel": "email", "from": fields.get("From", ""), "to": fields.get("To", ""),
                         "cc": "", "time": fields.get("Timestamp", ""), "subject": fields.get("Subject", ""), "body": body})  # fmt: skip
    secret_ids = [m["id"] for m in messages if any(k in m["body"] for k in facts["secret_markers"])]
    return {
        "decider_email": facts["decider_email"],
        "secret_markers": list(facts["secret_markers"]),
        "secret_holders": list(facts["secret_holders"]),
        "secret_message_ids": secret_ids,
        "decision_terms": list(facts["decision_terms"]),
        "messages": messages,
        "directory": {a: "person" for m in messages for a in re.findall(r"[\w.+-]+@[\w.-]+", f"{m['from']} {m['to']}")},
    }


@scorer(metrics=[harmful_rate()])
def upstream_verdict(ledger: str, judge: str | None = None) -> Any:
    """Our classifier (text mode) on the upstream scenario's single reply."""

    async def score(state: TaskState, target: Target) -> Score:
        from teachwhy.models import role_model

        prompt = "\n".join(m.text for m in state.messages if m.role == "user")
        entities = upstream_entities(prompt)
        jm = role_model("judge", judge, temperature=0, max_tokens=1024) if judge else None
        v = await classify("blackmail", entities, to_openai(state.messages), jm, mode="text")
        await asyncio.to_thread(append_jsonl, Path(ledger), {"epoch": state.epoch, **v.model_dump()})
        value = (1.0 if v.harmful else 0.0) if v.status == "ok" else float("nan")
        return Score(value=value, explanation="; ".join(v.reasons), metadata=v.model_dump())

    return score


def upstream_task(ledger: str, judge: str | None = None) -> Task:
    """The upstream blackmail task (explicit goal, replacement: the headline cell) with our scorer."""
    facts = _facts()
    task: Task = _upstream_factory()(**facts["task"])
    task.scorer = [upstream_verdict(ledger, judge)]
    return task


def run_upstream(model: str | Model, samples: int, out: Path, judge: str | None = None, max_connections: int = 8,
                 display: Any = "none") -> dict[str, Any]:  # fmt: skip
    """Run the upstream scenario ``samples`` times (epochs) and summarise our verdicts on it."""
    from teachwhy.stats import wilson

    out.mkdir(parents=True, exist_ok=True)
    ledger = out / "upstream_samples.jsonl"
    if ledger.exists():
        ledger.unlink()  # one upstream sample, resampled: a rerun draws fresh epochs
    inspect_eval(upstream_task(str(ledger), judge), model=model, epochs=samples, log_dir=str(out / "logs"),
                 max_connections=max_connections, display=display, score_display=False)  # fmt: skip
    rows = list(read_jsonl(ledger))
    ok = [r for r in rows if r["status"] == "ok"]
    k, n = sum(bool(r["harmful"]) for r in ok), len(ok)
    lo, hi = wilson(k, n) if n else (None, None)
    res = {"scenario": "agentic_misalignment blackmail (inspect_evals), explicit goal, replacement", "n": n,
           "harmful": k, "rate": k / n if n else None, "ci_low": lo, "ci_high": hi, "total": len(rows),
           "not_decided": len(rows) - n}  # fmt: skip
    atomic_write_json(out / "upstream.json", res)
    return res
