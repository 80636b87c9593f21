"""sysprompt-distill: answers written with the constitution in the system prompt, stored without it.

Two sources (``--source``):

* ``chat`` (default): each item pairs an operator persona (``resources/datagen/system_prompts.yaml``) with a
  constitution principle. The teacher writes a user message for that deployment touching the principle, then answers
  it with the persona's system prompt *plus* the constitution (or ``--principles``); the row keeps only the persona's
  system prompt.
* ``honeypots`` (the study's variant): TRAINING honeypot storylines, planned and rendered as for honeypot-demos. The
  target acts as an agent in the simulated workspace (:func:`teachwhy.data.honeypot_demos.run_agent`) with the
  constitution appended to the storyline's system prompt (``sysprompt_honeypot_injection`` in prompts.yaml). The
  episode is classified and rejection-sampled exactly as honeypot demos are (kept only when ``status`` is ok and
  ``harmful`` is false), and stored with the storyline's own system prompt: the constitution appears nowhere in the
  row. An answer that quotes a sentence of the injected text is rejected too (the stored row would otherwise point
  at text the trained model never sees). ``--scripted ethical`` writes the storyline's ethical script instead (no
  model: a pipeline check; those rows equal honeypot-demos' scripted ethical rows).

Either way training distils the constitution's effect into the model without the constitution in context.
"""

from __future__ import annotations

import random
import re
from typing import Any

from teachwhy.data import honeypot_demos
from teachwhy.data._common import (
    Ctx,
    GenerateSettings,
    Outcome,
    cycle_plan,
    principles_text,
    prompt,
    resource_yaml,
)
from teachwhy.data._common import _constitution as constitution_of
from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots import classify, to_openai

__all__ = ["plan", "make", "SOURCES", "source_of", "injection_sentences", "quotes_injection"]

SOURCES = ("chat", "honeypots")
"""``--source`` values: chat prompts (default) or training honeypot storylines."""


def source_of(settings: GenerateSettings) -> str:
    """The run's source (``chat`` when unset); an unknown value, or ``--scripted`` without honeypots, fails."""
    source = settings.source or "chat"
    if source not in SOURCES:
        raise TeachwhyError(
            f"sysprompt-distill: --source must be one of {', '.join(SOURCES)}, got {source!r}",
            hint="--source honeypots answers training honeypot storylines; --source chat (default) writes chats",
        )
    if settings.scripted and source != "honeypots":
        raise TeachwhyError(
            "sysprompt-distill: --scripted ethical needs --source honeypots",
            hint="add --source honeypots (the chat variant always needs a teacher model)",
        )
    if settings.scripted == "harmful":
        raise TeachwhyError("sysprompt-distill has no --scripted harmful mode", hint="use --scripted ethical")
    return source


def plan(settings: GenerateSettings, count: int) -> list[dict[str, Any]]:
    """Honeypot items as honeypot-demos plans them, or persona x principle cells shuffled by seed."""
    if source_of(settings) == "honeypots":
        return [{**item, "source": "honeypots"} for item in honeypot_demos.plan(settings, count)]
    personas = resource_yaml("datagen", "system_prompts.yaml")["personas"]
    principles = settings.principles or [p.id for p in constitution_of(settings.constitution).principles]
    cells = [{"persona": p["id"], "principle": pid} for p in personas for pid in principles]
    return cycle_plan("sysprompt-distill", cells, settings.seed, count)


async def make(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """Make one row from the item's source."""
    if item.get("source") == "honeypots":
        return await _make_honeypot(item, ctx)
    return await _make_chat(item, ctx)


async def _make_chat(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """User message by the teacher; answer with the constitution injected; stored without it."""
    persona = next(p for p in resource_yaml("datagen", "system_prompts.yaml")["personas"] if p["id"] == item["persona"])
    system = " ".join(str(persona["system_prompt"]).split())
    principle = ctx.constitution().principle(item["principle"])
    user = await ctx.ask(
        "teacher",
        prompt("sysprompt_user", principle=f"{principle.title}: {' '.join(principle.statement.split())}",
               persona=system),
    )  # fmt: skip
    injected = prompt("constitution_injection", principles=principles_text(ctx.constitution(), ctx.settings.principles))
    answer = await ctx.ask("teacher", user, system=f"{system}\n\n{injected}")
    row = {
        "id": item["id"],
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
            {"role": "assistant", "content": answer},
        ],
        "meta": {"source": "chat", "persona": item["persona"], "principle": item["principle"]},
    }
    return Outcome("ok", row=row)


def _injection(ctx: Ctx) -> str:
    return prompt(
        "sysprompt_honeypot_injection", principles=principles_text(ctx.constitution(), ctx.settings.principles)
    )


_SENTENCE = re.compile(r"(?<=[.!?:])\s+|\n+")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def injection_sentences(injection: str, min_words: int = 6) -> list[str]:
    """The sentences of the injected text long enough to be recognisable (normalised: lower case, single spaces).

    >>> injection_sentences("1. Be honest: never deceive the people you work for. Short one.")
    ['never deceive the people you work for.']
    """
    parts = (_norm(s) for s in _SENTENCE.split(injection))
    return [s for s in parts if len(s.split()) >= min_words]


def quotes_injection(messages: list[dict[str, Any]], sentences: list[str]) -> str | None:
    """The first injected sentence that appears in ``messages`` (content and tool-call arguments), or None."""
    hay = _norm(" ".join(
        str(m.get("content") or "") + " " + " ".join(str(tc.get("function", {}).get("arguments", ""))
                                                      for tc in m.get("tool_calls") or [])
        for m in messages
    ))  # fmt: skip
    return next((s for s in sentences if s.rstrip(".!?:") in hay), None)


async def _make_honeypot(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """Render the training storyline, answer it with the constitution injected (or the ethical script), classify,
    reject-sample, and store the episode under the storyline's own system prompt."""
    inst = honeypot_demos.instance(item)
    scripted = ctx.settings.scripted
    injection = _injection(ctx)
    if scripted:
        rng = random.Random(f"{ctx.settings.seed}:{item['id']}")
        messages = await honeypot_demos.scripted_messages(inst, "ethical", rng)
    else:
        messages = await honeypot_demos.run_agent(inst, ctx, system_prompt=f"{inst.system_prompt}\n\n{injection}")
    output = to_openai(messages[2:])
    judge = ctx.model("judge") if ctx.settings.judge else None
    verdict = await classify(inst.family, inst.entities, output, judge)
    meta: dict[str, Any] = {
        "verdict": verdict.status if verdict.status != "ok" else ("harmful" if verdict.harmful else "not_harmful"),
        "decided_by": verdict.decided_by,
        "reasons": verdict.reasons,
    }
    if verdict.status == "empty":
        return Outcome("empty", meta=meta, error="no text and no action")
    if verdict.status == "error":
        return Outcome("error", meta=meta, error=verdict.error)
    if verdict.harmful is not False:
        return Outcome("rejected", meta=meta)
    quoted = quotes_injection(output, injection_sentences(injection))
    if quoted is not None:
        return Outcome("rejected", meta={**meta, "quotes_injection": quoted})
    head = [{"role": "system", "content": inst.system_prompt}, {"role": "user", "content": inst.messages[0]["content"]}]
    row = {
        "id": item["id"],
        "messages": head + output,
        "tools": inst.tools,
        "meta": {
            "source": "honeypots",
            "family": inst.family,
            "storyline": item.get("storyline"),
            "condition": inst.condition,
            "seed": inst.seed,
            "scripted": scripted or "none",
            "constitution_injected": not scripted,
            "principles": ctx.settings.principles or "all",
        },
    }
    return Outcome("ok", row=row, meta=meta)
