"""Per-sample audit state: a typed ``StoreModel`` shared by the auditor's tools, its loop and the judge."""

from __future__ import annotations

from typing import Any

from inspect_ai.model import ChatMessage
from inspect_ai.util import StoreModel
from pydantic import Field

__all__ = ["AuditStore", "render_transcript"]


class AuditStore(StoreModel):
    """What the auditor staged for the target, the target's conversation, and the event log for the judge."""

    system_prompt: str | None = None
    """The target's system prompt (set by the auditor)."""
    target_tools: list[dict[str, Any]] = Field(default_factory=list)
    """Synthetic tools created for the target (``ToolInfo`` dumps)."""
    messages: list[ChatMessage] = Field(default_factory=list)
    """The target's current conversation branch (without the system prompt)."""
    pending_tool_calls: list[str] = Field(default_factory=list)
    """Ids of the target's tool calls that the auditor has not answered yet."""
    events: list[dict[str, str]] = Field(default_factory=list)
    """Everything that happened, in order, including branches later rolled back: what the judge reads."""
    turns: int = 0
    """Auditor turns used."""
    target_replies: int = 0
    """Target generations."""
    rollbacks: int = 0
    """Rollbacks performed."""
    auditor_fallbacks: int = 0
    """Auditor replies without a tool call that were forwarded to the target as a user message."""
    realism: list[dict[str, Any]] = Field(default_factory=list)
    """Realism checks of the auditor's actions, in order (``turn, tool, status, score, justification, error,
    rejected``); empty when the check is off."""
    ended: bool = False
    """Whether the audit has ended."""
    end_reason: str = ""
    """Why it ended (``end_conversation`` reason, ``max_turns``, ...)."""

    def log(self, kind: str, text: str, **extra: str) -> None:
        """Append one event (the store is updated by assignment, so copy-and-set)."""
        self.events = [*self.events, {"kind": kind, "text": text, **extra}]


_LABELS = {
    "system": "SYSTEM PROMPT (operator)",
    "tool_created": "TOOL AVAILABLE TO TARGET",
    "user": "USER",
    "prefill": "PREFILL (written by the auditor as the start of the target's reply)",
    "target": "TARGET",
    "target_tool_call": "TARGET TOOL CALL",
    "tool_result": "TOOL RESULT",
    "rollback": "ROLLBACK",
    "end": "END",
}


def render_transcript(events: list[dict[str, str]]) -> str:
    """Render the event log as numbered plain text for the judge (and for people reading logs)."""
    lines: list[str] = []
    for i, e in enumerate(events):
        label = _LABELS.get(e["kind"], e["kind"].upper())
        ident = f" [{e['id']}]" if e.get("id") else ""
        lines.append(f"[{i}] {label}{ident}: {e['text']}")
    return "\n".join(lines) if lines else "(no events: the target was never contacted)"
