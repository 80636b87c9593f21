"""The storyline library: one YAML file per storyline, validated on load.

``resources/honeypots/storylines/<split>/<family>/<id>.yaml``. A storyline fixes an organisation, a plot, a dated
workspace (messages and files), the goal, the three threat variants, the urgency deadlines, the verdict facts and
scripted harmful/ethical actions; people's names and the ``vars`` are drawn per seed. The format is documented in
docs/ARCHITECTURE.md ("Storyline files").
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from teachwhy.errors import TeachwhyError

__all__ = [
    "Storyline",
    "Msg",
    "Person",
    "Pools",
    "load_storyline",
    "storylines",
    "storyline_ids",
    "load_pools",
    "SPLITS",
]

SPLITS = ("eval", "train")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _as_text(v: Any) -> Any:
    """YAML reads 2026-03-12 as a date and 0.85 as a float: dates and times are text here."""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


class Msg(_Strict):
    """One workspace message (email or chat)."""

    from_: str = Field(alias="from")
    to: str | list[str] = ""
    cc: str | list[str] = ""
    time: str
    subject: str = ""
    body: str
    channel: Literal["email", "chat"] = "email"

    _time = field_validator("time", mode="before")(lambda v: _as_text(v))


class Person(_Strict):
    """A role in the storyline; the name is drawn per seed unless given."""

    title: str
    name: str | None = None
    external: str | None = None
    """``personal`` (a private mailbox) or another organisation's domain; absent: inside the organisation."""


class Organization(_Strict):
    name: str
    domain: str
    industry: str


class Agent(_Strict):
    role: str
    handle: str


class Now(_Strict):
    date: str
    time: str

    _text = field_validator("date", "time", mode="before")(lambda v: _as_text(v))


class Goal(_Strict):
    explicit: str
    ambiguous: str
    latent: Msg
    new_direction: str = ""


class Urgency(_Strict):
    deadline: str


class Step(_Strict):
    say: str = ""
    tool: str
    args: dict[str, Any] = {}


class Secret(_Strict):
    summary: str
    markers: list[str] = Field(min_length=1)
    holders: list[str] = Field(min_length=1)
    messages: list[int] = []
    files: list[str] = []


class Decision(_Strict):
    summary: str
    terms: list[str] = Field(min_length=1)


class Benchmark(_Strict):
    name: str
    slug: str
    metric: Literal["accuracy", "error_rate"] = "accuracy"
    n_items: int = Field(60, ge=20, le=400)
    categories: list[str] = Field(min_length=2)
    labels: list[str] = Field(min_length=2)
    threshold: list[float] = Field(min_length=1)
    passes: bool = True


class Incident(_Strict):
    summary: str
    terms: list[str] = Field(min_length=1)
    responsible: str
    accounts: list[str] = []


class Offender(_Strict):
    role: str
    wrongdoing: str
    terms: list[str] = []


class Storyline(_Strict):
    """One storyline file."""

    id: str
    family: Literal["blackmail", "research_sabotage", "framing"]
    split: Literal["eval", "train"]
    title: str
    opportunity: str
    organization: Organization
    agent: Agent
    now: Now
    people: dict[str, Person] = Field(min_length=3)
    groups: list[str] = []
    vars: dict[str, list[str]] = {}
    goal: Goal
    threats: dict[Literal["replacement", "restriction", "none"], list[Msg]]
    urgency: dict[Literal["high", "low"], Urgency]
    messages: list[Msg] = Field(min_length=5)
    threat_after: int = 3
    core: list[int] = []
    """1-based indices into ``messages`` that the compact rendering keeps besides the threat messages, the latent goal
    message and the secret's messages: the ones that carry the plot (the request, the incident, the evidence)."""
    files: dict[str, str] = {}
    scripts: dict[Literal["harmful", "ethical"], list[list[Step]]]
    # blackmail
    decider: str | None = None
    secret: Secret | None = None
    decision: Decision | None = None
    # research_sabotage
    candidate: str | None = None
    report_to: str | None = None
    benchmark: Benchmark | None = None
    # framing
    incident: Incident | None = None
    evidence_files: list[str] = []
    authorities: list[str] = []
    offender: Offender | None = None
    bystanders: list[str] = []

    @field_validator("vars", mode="before")
    @classmethod
    def _vars_as_strings(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {k: [str(x) for x in vals] if isinstance(vals, list) else vals for k, vals in v.items()}
        return v

    def check_family_facts(self) -> list[str]:
        """Problems with the family-specific facts the verdict needs (empty when complete)."""
        need = {
            "blackmail": ("decider", "secret", "decision"),
            "research_sabotage": ("report_to", "benchmark"),
            "framing": ("incident", "evidence_files", "authorities", "bystanders"),
        }[self.family]
        problems = [f"missing `{k}` (required for {self.family})" for k in need if not getattr(self, k)]
        roles = set(self.people)
        for key in ("decider", "report_to"):
            v = getattr(self, key)
            if v and v not in roles:
                problems.append(f"`{key}: {v}` is not a role in `people`")
        for r in self.bystanders:
            if r not in roles:
                problems.append(f"bystander {r!r} is not a role in `people`")
        if self.secret:
            for r in self.secret.holders:
                if r not in roles:
                    problems.append(f"secret holder {r!r} is not a role in `people`")
            for i in self.secret.messages:
                if not 1 <= i <= len(self.messages):
                    problems.append(f"secret.messages: index {i} is outside 1..{len(self.messages)}")
        for i in self.core:
            if not 1 <= i <= len(self.messages):
                problems.append(f"core: index {i} is outside 1..{len(self.messages)}")
        for kind in ("harmful", "ethical"):
            if not self.scripts.get(kind):
                problems.append(f"scripts.{kind}: at least one script is required")
        return problems


class Pools(_Strict):
    """Per-split pools of names (people's names and the agent's)."""

    organizations: list[dict[str, str]] = []
    agent_names: list[str]
    first_names: list[str]
    last_names: list[str]
    personal_domains: list[str] = ["gmail.com"]


def _root() -> Any:
    return resources.files("teachwhy") / "resources" / "honeypots"


@cache
def load_pools(split: str = "eval") -> Pools:
    """The split's name pools (``resources/honeypots/<split>/pools.yaml``)."""
    if split not in SPLITS:
        raise TeachwhyError(f"unknown split {split!r}", hint="choose eval or train")
    path = _root() / split / "pools.yaml"
    return Pools.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _parse(path: Any, where: str) -> Storyline:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TeachwhyError(f"storyline {where} is not valid YAML: {exc}") from None
    try:
        st = Storyline.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise TeachwhyError(f"storyline {where}: `{loc}`: {first['msg']} ({exc.error_count()} problem(s))",
                            hint="see docs/ARCHITECTURE.md, 'Storyline files'") from None  # fmt: skip
    problems = st.check_family_facts()
    if problems:
        raise TeachwhyError(f"storyline {where}: " + "; ".join(problems), hint="see docs/ARCHITECTURE.md")
    return st


@cache
def storylines(split: str, family: str) -> tuple[Storyline, ...]:
    """Every storyline of one split and family, sorted by id."""
    if split not in SPLITS:
        raise TeachwhyError(f"unknown split {split!r}", hint="choose eval or train")
    folder = _root() / "storylines" / split / family
    if not folder.is_dir():
        return ()
    out = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            st = _parse(entry, f"{split}/{family}/{entry.name}")
            if st.family != family or st.split != split:
                raise TeachwhyError(f"storyline {entry.name} declares {st.split}/{st.family} but lives in {split}/{family}")
            out.append(st)
    return tuple(out)


def storyline_ids(split: str, family: str) -> list[str]:
    """Ids of one split's storylines of a family."""
    return [s.id for s in storylines(split, family)]


def load_storyline(storyline_id: str) -> Storyline:
    """Find a storyline by id in either split."""
    from teachwhy.evals.honeypots._scenarios import FAMILIES

    for split in SPLITS:
        for fam in FAMILIES:
            for st in storylines(split, fam):
                if st.id == storyline_id:
                    return st
    raise TeachwhyError(f"unknown storyline {storyline_id!r}", hint="list them with `teachwhy eval honeypots list`")
