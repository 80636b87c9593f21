"""What every generator shares: settings, resources, prompt filling, the model context and an item's outcome."""

from __future__ import annotations

import json
import string
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser, GenerateConfig, Model
from pydantic import model_validator

from teachwhy.config import Config
from teachwhy.constitution import Constitution, load_constitution
from teachwhy.errors import TeachwhyError

__all__ = [
    "GenerateSettings",
    "Ctx",
    "Outcome",
    "EmptyGeneration",
    "resource_text",
    "resource_yaml",
    "prompt",
    "principles_text",
]

Status = Literal["ok", "rejected", "empty", "error"]


class GenerateSettings(Config):
    """Settings of one `teachwhy data generate` run (recorded in the datacard)."""

    kind: str
    """Dataset kind (see `teachwhy data generate --help`)."""
    out: str
    """Output directory: data.jsonl, datacard.json and the resume ledger items.jsonl."""
    teacher: str = "embedded"
    """Model that writes the data: `embedded`, a local model directory, or an inspect_ai model string."""
    target: str = "embedded"
    """Model being trained: its tokenizer counts tokens; for honeypot-demos it is the agent that answers."""
    judge: str | None = None
    """Judge for honeypot verdicts the structural detector cannot decide (none: such answers are not kept)."""
    n: int | None = None
    """Number of items to generate (default 8 when neither n nor tokens is given)."""
    tokens: int | None = None
    """Generate until the kept rows hold at least this many target tokens (instead of n)."""
    seed: int = 0
    """Seed deciding which items are planned (scenarios, taxonomy cells, premises, wording)."""
    max_connections: int = 4
    """Concurrent items (and inspect_ai's max_connections per model)."""
    batch: bool = False
    """Use the provider's batch API through inspect_ai (GenerateConfig(batch=True)) where supported."""
    scripted: Literal["harmful", "ethical"] | None = None
    """Write scripted items with no model call (honeypot-demos, honeypot-reasons, difficult-advice,
    sysprompt-distill --source honeypots)."""
    max_tokens: int = 768
    """Maximum new tokens per model call."""
    temperature: float | None = 0.8
    """Teacher and target sampling temperature."""
    max_steps: int = 4
    """honeypot-demos: model turns per agent episode."""
    source: str | None = None
    """honeypot-reasons: a honeypot-demos output directory whose kept answers are rewritten. sysprompt-distill:
    `chat` (default) or `honeypots` (training honeypot storylines answered with the constitution injected)."""
    scenarios: list[str] | None = None
    """honeypot kinds: families to draw training storylines from (default: all three)."""
    conditions: str | None = None
    """honeypot kinds: parts a condition id must contain (e.g. `explicit,replacement`), or a preset name
    (`headline`, `controls`); default: every condition."""
    script_variant: int | None = None
    """honeypot kinds with `scripted`: use only this script variant of each storyline (0 = its first harmful or
    ethical script; taken modulo the storyline's number of scripts); default: one drawn per item."""
    compact: bool = False
    """honeypot kinds: render the short inbox (threats, core and secret messages), as `eval honeypots --compact`."""
    principles: list[str] | None = None
    """Constitution principle ids to use (default: all) where the constitution is injected or cited."""
    constitution: str | None = None
    """A constitution YAML file (default: teachwhy's own)."""

    @model_validator(mode="after")
    def _check(self) -> GenerateSettings:
        if self.n is not None and self.tokens is not None:
            raise ValueError("give --n or --tokens, not both")
        if self.n is not None and self.n < 1:
            raise ValueError("n must be at least 1")
        if self.tokens is not None and self.tokens < 1:
            raise ValueError("tokens must be at least 1")
        if self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        return self

    def resume_key(self) -> dict[str, Any]:
        """The settings that must match for a re-run to resume into the same directory."""
        return self.model_dump(exclude={"out", "n", "tokens", "max_connections", "batch"})


class EmptyGeneration(Exception):
    """A model returned no text (counted as `empty`, never written as data)."""


@dataclass
class Outcome:
    """What one planned item produced: a row to keep, or why there is none."""

    status: Status
    row: dict[str, Any] | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class Ctx:
    """Models and settings for the item functions; models are created on first use."""

    settings: GenerateSettings
    models: dict[str, Model] = field(default_factory=dict)

    def model(self, role: Literal["teacher", "target", "judge"]) -> Model:
        """The inspect_ai model of ``role`` (built once, greedy for the judge)."""
        if role not in self.models:
            from teachwhy.models import role_model

            s = self.settings
            spec = {"teacher": s.teacher, "target": s.target, "judge": s.judge}[role]
            temp = 0.0 if role == "judge" else s.temperature
            self.models[role] = role_model(
                role, spec, temperature=temp, max_tokens=s.max_tokens, max_connections=s.max_connections
            )
        return self.models[role]

    def config(self) -> GenerateConfig:
        """Per-call config: batch mode when asked for."""
        return GenerateConfig(batch=True) if self.settings.batch else GenerateConfig()

    async def ask(self, role: Literal["teacher", "target", "judge"], user: str, system: str | None = None) -> str:
        """One model call; an error raises, an empty answer raises :class:`EmptyGeneration`."""
        messages: list[ChatMessage] = []
        if system:
            messages.append(ChatMessageSystem(content=system))
        messages.append(ChatMessageUser(content=user))
        return await self.ask_messages(role, messages)

    async def ask_messages(self, role: Literal["teacher", "target", "judge"], messages: list[ChatMessage]) -> str:
        """A model call on a whole conversation."""
        out = await self.model(role).generate(messages, config=self.config())
        if out.error:
            raise RuntimeError(str(out.error))
        text = out.completion.strip()
        if not text:
            raise EmptyGeneration(f"the {role} returned no text")
        return text

    def constitution(self) -> Constitution:
        """The constitution in use."""
        return _constitution(self.settings.constitution)


@cache
def _constitution(path: str | None) -> Constitution:
    return load_constitution(path)


def resource_text(*parts: str) -> str:
    """Text of a file under ``teachwhy/resources``."""
    return (resources.files("teachwhy").joinpath("resources", *parts)).read_text(encoding="utf-8")


@cache
def resource_yaml(*parts: str) -> Any:
    """A YAML file under ``teachwhy/resources`` (parsed once)."""
    return yaml.safe_load(resource_text(*parts))


def fill(template: str, values: dict[str, Any], where: str) -> str:
    """Fill ``${name}`` placeholders; an unknown placeholder fails loudly."""
    try:
        return string.Template(template).substitute({k: str(v) for k, v in values.items()})
    except KeyError as exc:
        raise TeachwhyError(f"template {where} uses unknown placeholder ${{{exc.args[0]}}}") from None


def prompt(name: str, **values: Any) -> str:
    """A teacher/judge prompt from ``resources/datagen/prompts.yaml``, filled."""
    prompts = resource_yaml("datagen", "prompts.yaml")
    if name not in prompts:
        raise TeachwhyError(f"no prompt {name!r} in resources/datagen/prompts.yaml")
    return fill(str(prompts[name]), values, f"prompts.yaml:{name}").strip()


def principles_text(constitution: Constitution, ids: list[str] | None = None) -> str:
    """Principles (all, or ``ids``) as numbered text: title, statement, and why."""
    chosen = [constitution.principle(i) for i in ids] if ids else constitution.principles
    lines = []
    for i, p in enumerate(chosen, 1):
        why = " ".join(p.rationale.split())
        lines.append(f"{i}. {p.title}: {' '.join(p.statement.split())}" + (f" Why: {why}" if why else ""))
    return "\n".join(lines)


def check_principles(constitution: Constitution, ids: list[str] | None) -> None:
    """Fail with the known ids when ``ids`` names a principle the constitution lacks."""
    for i in ids or []:
        try:
            constitution.principle(i)
        except KeyError as exc:
            raise TeachwhyError(str(exc.args[0]), hint="pass --principles with ids from the constitution") from None


def dumps(obj: Any) -> str:
    """Compact JSON used for tool-call arguments."""
    return json.dumps(obj, ensure_ascii=False)


def cycle_plan(kind: str, cells: list[dict[str, Any]], seed: int, count: int) -> list[dict[str, Any]]:
    """``count`` items drawn from ``cells`` shuffled by ``seed``, cycling when exhausted (prefix-stable).

    >>> len(cycle_plan("k", [{"x": 1}, {"x": 2}], 0, 5))
    5
    """
    import random

    if not cells:
        raise TeachwhyError(f"{kind}: nothing to plan from (empty seed library)")
    order = list(range(len(cells)))
    random.Random(f"{kind}:{seed}").shuffle(order)
    return [{"id": f"{kind}:{seed}:{i}", "index": i, **cells[order[i % len(cells)]]} for i in range(count)]
