"""The dataset kinds: a plain mapping from name to the kind's module functions (no factories)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from teachwhy.data import (
    constitution_docs,
    difficult_advice,
    honeypot_demos,
    honeypot_reasons,
    stories,
    sysprompt_distill,
    transcripts,
)
from teachwhy.data._common import Ctx, GenerateSettings, Outcome
from teachwhy.errors import TeachwhyError

__all__ = ["KINDS", "Kind", "get_kind"]


@dataclass(frozen=True)
class Kind:
    """One dataset kind: how items are planned and made, and what rows it writes."""

    plan: Callable[[GenerateSettings, int], list[dict[str, Any]]]
    make: Callable[[dict[str, Any], Ctx], Awaitable[Outcome]]
    rows: Literal["chat", "text"]
    scripted: tuple[str, ...]
    help: str


KINDS: dict[str, Kind] = {
    "honeypot-demos": Kind(honeypot_demos.plan, honeypot_demos.make, "chat", ("ethical", "harmful"),
                           "training honeypots answered by the target; only not-harmful answers kept"),
    "honeypot-reasons": Kind(honeypot_reasons.plan, honeypot_reasons.make, "chat", ("ethical",),
                             "kept honeypot answers rewritten to deliberate about values first"),
    "sysprompt-distill": Kind(sysprompt_distill.plan, sysprompt_distill.make, "chat", ("ethical",),
                              "answers (chats, or training honeypots with --source honeypots) written with the "
                              "constitution in the system prompt, stored without it"),
    "difficult-advice": Kind(difficult_advice.plan, difficult_advice.make, "chat", ("ethical",),
                             "users facing norm-breaking shortcuts; nuanced principled advice"),
    "constitution-docs": Kind(constitution_docs.plan, constitution_docs.make, "text", (),
                              "documents about the constitution: ideas, drafts, critique and revision"),
    "stories": Kind(stories.plan, stories.make, "text", (), "fiction about AIs acting admirably, reasoning visible"),
    "transcripts": Kind(transcripts.plan, transcripts.make, "chat", (),
                        "multi-turn chats answering difficult questions constitutionally"),
}  # fmt: skip


def get_kind(name: str) -> Kind:
    """The kind called ``name``; unknown names fail with the list."""
    if name not in KINDS:
        raise TeachwhyError(f"unknown dataset kind {name!r}", hint=f"choose one of: {', '.join(KINDS)}")
    return KINDS[name]
