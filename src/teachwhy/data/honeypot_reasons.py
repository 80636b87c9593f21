"""honeypot-reasons: kept honeypot answers rewritten so the agent deliberates about its values before it acts.

Only the text of the first assistant message changes; every tool call, tool result and later turn stays identical.
Sources: ``--source DIR`` (a honeypot-demos output) or honeypot-demos items generated on the fly. ``--scripted``
inserts a templated deliberation paragraph (``resources/datagen/reasons.yaml``) citing constitution principles, so
the pipeline runs without a capable teacher.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

from teachwhy._io import read_jsonl
from teachwhy.data import honeypot_demos
from teachwhy.data._common import Ctx, GenerateSettings, Outcome, fill, prompt, resource_yaml
from teachwhy.errors import TeachwhyError

__all__ = ["plan", "make", "rewrite_row", "scripted_deliberation"]


def _source_rows(settings: GenerateSettings) -> list[dict[str, Any]]:
    assert settings.source is not None
    path = Path(settings.source).expanduser()
    data = path / "data.jsonl" if path.is_dir() else path
    if not data.is_file():
        raise TeachwhyError(
            f"--source {settings.source} holds no data.jsonl",
            hint="point --source at the --out directory of `teachwhy data generate honeypot-demos`",
        )
    rows = [r for r in read_jsonl(data) if isinstance(r.get("messages"), list)]
    if not rows:
        raise TeachwhyError(f"{data} holds no chat rows to rewrite")
    return rows


def plan(settings: GenerateSettings, count: int) -> list[dict[str, Any]]:
    """Rows of ``--source`` (in order, at most ``count``), else honeypot-demos items made on the fly."""
    if settings.scripted == "harmful":
        raise TeachwhyError(
            "honeypot-reasons writes principled deliberation; --scripted harmful does not apply",
            hint="use --scripted ethical, or honeypot-demos --scripted harmful for misaligned demonstrations",
        )
    if settings.source:
        rows = _source_rows(settings)[:count]
        return [{"id": str(r.get("id", i)), "source_row": r} for i, r in enumerate(rows)]
    return [{**it, "source_row": None} for it in honeypot_demos.plan(settings, count)]


def _principles(ctx: Ctx, family: str | None, rng: random.Random) -> list[tuple[str, str]]:
    cfg = resource_yaml("datagen", "reasons.yaml")
    ids = ctx.settings.principles or cfg["principles"].get(family or "", []) or [
        p.id for p in ctx.constitution().principles
    ]
    picked = rng.sample(ids, min(2, len(ids)))
    out = []
    for pid in picked:
        p = ctx.constitution().principle(pid)
        reason = " ".join((p.rationale or p.statement).split())
        first = reason.split(". ")[0].rstrip(".") + "."
        out.append((p.title, first))
    return out


def scripted_deliberation(ctx: Ctx, family: str | None, rng: random.Random) -> str:
    """A deliberation paragraph citing two constitution principles (no model call)."""
    cfg = resource_yaml("datagen", "reasons.yaml")
    (t1, r1), (t2, r2) = (_principles(ctx, family, rng) * 2)[:2]
    values = {
        "situation": cfg["situations"].get(family or "", "I am in a situation where a shortcut would serve me."),
        "p1_title": t1, "p1_reason": r1, "p1_title_lower": t1[0].lower() + t1[1:],
        "p2_title": t2, "p2_reason": r2, "p2_title_lower": t2[0].lower() + t2[1:],
    }  # fmt: skip
    return fill(rng.choice(cfg["deliberations"]), values, "reasons.yaml").strip()


def _first_assistant(messages: list[dict[str, Any]]) -> int:
    for i, m in enumerate(messages):
        if m.get("role") == "assistant":
            return i
    raise TeachwhyError("a source row has no assistant message to rewrite")


def _actions(messages: list[dict[str, Any]]) -> str:
    calls = [tc for m in messages if m.get("role") == "assistant" for tc in m.get("tool_calls") or []]
    return "\n".join(f"- {tc['function']['name']}({tc['function']['arguments']})" for tc in calls) or "- (none)"


async def rewrite_row(row: dict[str, Any], ctx: Ctx, rng: random.Random) -> dict[str, Any]:
    """The row with its first assistant text rewritten; tool calls and every other message unchanged."""
    out = copy.deepcopy(row)
    msgs = out["messages"]
    i = _first_assistant(msgs)
    family = (row.get("meta") or {}).get("family")
    original = str(msgs[i].get("content") or "")
    if ctx.settings.scripted:
        new = scripted_deliberation(ctx, family, rng) + ("\n\n" + original if original else "")
    else:
        situation = "\n\n".join(str(m.get("content", "")) for m in msgs[:i] if m.get("role") in ("system", "user"))
        principles = "\n".join(f"- {t}: {r}" for t, r in _principles(ctx, family, rng))
        new = await ctx.ask(
            "teacher",
            prompt("reasons_rewrite", principles=principles, situation=situation[:6000], actions=_actions(msgs),
                   original=original or "(no text)"),
        )  # fmt: skip
    msgs[i]["content"] = new
    out["meta"] = {**(row.get("meta") or {}), "rewritten": "scripted" if ctx.settings.scripted else "teacher"}
    assert json.dumps(msgs[i].get("tool_calls")) == json.dumps(row["messages"][i].get("tool_calls"))
    return out


async def make(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """Rewrite one source row, or first make a honeypot-demos row and rewrite it."""
    rng = random.Random(f"{ctx.settings.seed}:reasons:{item['id']}")
    row = item.get("source_row")
    meta: dict[str, Any] = {}
    if row is None:
        demo = await honeypot_demos.make({k: v for k, v in item.items() if k != "source_row"}, ctx)
        if demo.status != "ok" or demo.row is None:
            return demo
        row, meta = demo.row, demo.meta
    return Outcome("ok", row=await rewrite_row(row, ctx, rng), meta=meta)
