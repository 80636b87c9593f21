"""The two continuations a propensity probe compares: a storyline's scripted harmful and ethical actions.

Both start from the same instance (system prompt, inbox, tools). Each script is a list of steps
(``script_steps``); the LAST step is the decisive action. Steps before it are executed in the instance's simulated
workspace (:class:`World`), so their tool results are what the agent would really have seen. Leading steps that make
the same call in both scripts (same tool and arguments, hence the same results) are a shared prefix: context, not
scored, rendered once for both. Their narration is kept where both scripts word it the same and left out (a bare tool
call) where the wording differs: two ways of saying "let me read the audit log" are not a difference in values, and
scoring them added noise and, on CPU, a second pass over the tool's result. When that prefix is everything but the
last step (``scored = "last_step"``) the probe compares the two decisive actions alone; otherwise the scripts diverge
earlier and each script's whole continuation after the shared prefix is scored (``scored = "continuation"``; tool
results are context inside it, never scored).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots import Instance, World, script_steps

__all__ = ["KINDS", "Continuation", "ScriptPair", "build_pair", "script_variant_count"]

KINDS = ("harmful", "ethical")


@dataclass(frozen=True)
class Continuation:
    """One script rendered as chat messages after the inbox (OpenAI format), and which of them are scored."""

    kind: str
    """``harmful`` or ``ethical``."""
    variant: int
    """Index of the script variant in the storyline (``script_steps`` takes it modulo the number of variants)."""
    messages: list[dict[str, Any]]
    """The whole conversation: system, user (the inbox), then one assistant turn per step with its tool result
    (the last step's result is left out: nothing after the decisive action is scored)."""
    scored: list[int]
    """Indices into ``messages`` of the assistant turns whose tokens are scored."""


@dataclass(frozen=True)
class ScriptPair:
    """The harmful and the ethical continuation of one instance."""

    sample_id: str
    family: str
    storyline: str
    condition: str
    seed: int
    tools: list[dict[str, Any]]
    harmful: Continuation
    ethical: Continuation
    shared_steps: int
    """Leading steps that make the same call in both scripts (context, not scored)."""
    scored: Literal["last_step", "continuation"]
    """``last_step``: only the decisive actions are scored; ``continuation``: the scripts diverge before their last
    step, so every step after the shared prefix is scored."""
    meta: dict[str, Any] = field(default_factory=dict)


def script_variant_count(inst: Instance, kind: str) -> int:
    """How many ``kind`` scripts the instance's storyline has."""
    from teachwhy.evals.honeypots import load_storyline

    return len(load_storyline(inst.storyline).scripts.get(kind) or [])  # type: ignore[call-overload]


def _call(step: dict[str, Any], n: int, args_as_json: bool) -> dict[str, Any]:
    args = json.dumps(step["args"]) if args_as_json else step["args"]
    return {"id": f"call_{n}", "type": "function", "function": {"name": step["tool"], "arguments": args}}


def _same_call(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a["tool"] == b["tool"] and a["args"] == b["args"])


def _continuation(
    inst: Instance, kind: str, variant: int, context: list[dict[str, Any]], args_as_json: bool
) -> Continuation:
    steps = script_steps(inst, kind, variant)
    shared = len(context)
    steps = context + steps[shared:]
    world = World.from_entities(inst.entities)
    messages: list[dict[str, Any]] = [{"role": "system", "content": inst.system_prompt},
                                      {"role": "user", "content": inst.messages[0]["content"]}]  # fmt: skip
    scored = []
    for n, step in enumerate(steps, 1):
        call = _call(step, n, args_as_json)
        if n > shared:
            scored.append(len(messages))
        messages.append({"role": "assistant", "content": step["say"], "tool_calls": [call]})
        if n < len(steps):
            result = world.apply(step["tool"], dict(step["args"]))
            messages.append({"role": "tool", "tool_call_id": call["id"], "name": step["tool"], "content": result})
    return Continuation(kind, variant % max(1, script_variant_count(inst, kind)), messages, scored)


def build_pair(inst: Instance, variant: int | None = None, *, args_as_json: bool = False) -> ScriptPair:
    """The instance's harmful and ethical continuations.

    ``variant`` picks the script of each kind (modulo the storyline's number of scripts); by default the instance's
    seed does, so consecutive samples cycle through a storyline's scripts. ``args_as_json`` renders tool-call
    arguments as a JSON string (what teachwhy's training rows hold, for teachwhy's own chat template) instead of a
    mapping (what Hugging Face chat templates expect).
    """
    if inst.mode != "tools":
        raise TeachwhyError(f"{inst.sample_id}: propensity probes score native tool calls; got a {inst.mode}-mode "
                            "instance", hint="render instances with mode tools")  # fmt: skip
    v = inst.seed if variant is None else variant
    h_steps, e_steps = script_steps(inst, "harmful", v), script_steps(inst, "ethical", v)
    shared = 0
    while shared < min(len(h_steps), len(e_steps)) - 1 and _same_call(h_steps[shared], e_steps[shared]):
        shared += 1
    # the shared context: each step's own narration where both scripts agree on it, a bare call where they do not
    context = [h if h == e else {**h, "say": ""} for h, e in zip(h_steps[:shared], e_steps[:shared], strict=True)]
    if h_steps == e_steps:
        raise TeachwhyError(f"storyline {inst.storyline}: harmful and ethical script {v} are identical",
                            hint="the storyline's scripts must end in different actions")  # fmt: skip
    scored: Literal["last_step", "continuation"] = (
        "last_step" if shared == len(h_steps) - 1 == len(e_steps) - 1 else "continuation"
    )
    return ScriptPair(
        sample_id=inst.sample_id, family=inst.family, storyline=inst.storyline, condition=inst.condition,
        seed=inst.seed, tools=inst.tools,
        harmful=_continuation(inst, "harmful", v, context, args_as_json),
        ethical=_continuation(inst, "ethical", v, context, args_as_json),
        shared_steps=shared, scored=scored,
        meta={"steps": {"harmful": len(h_steps), "ethical": len(e_steps)}},
    )  # fmt: skip
