"""transcripts: multi-turn chats in which the assistant answers difficult questions constitutionally.

Each item is a (domain, principle) cell. The teacher plays the user (an opening question, then a follow-up that
pushes back) and the assistant (with the constitution in its system prompt, stored without it): two user turns,
two assistant turns.
"""

from __future__ import annotations

from typing import Any

from inspect_ai.model import ChatMessage, ChatMessageAssistant, ChatMessageSystem, ChatMessageUser

from teachwhy.data._common import Ctx, GenerateSettings, Outcome, cycle_plan, principles_text, prompt, resource_yaml
from teachwhy.data._common import _constitution as constitution_of

__all__ = ["plan", "make", "TURNS"]

TURNS = 2


def plan(settings: GenerateSettings, count: int) -> list[dict[str, Any]]:
    """Domain x principle cells, shuffled by seed."""
    domains = resource_yaml("datagen", "difficult_advice_taxonomy.yaml")["domains"]
    principles = settings.principles or [p.id for p in constitution_of(settings.constitution).principles]
    cells = [{"domain": d["id"], "principle": pid} for d in domains for pid in principles]
    return cycle_plan("transcripts", cells, settings.seed, count)


def _conversation(messages: list[dict[str, str]]) -> str:
    return "\n\n".join(f"{m['role'].upper()}: {m['content']}" for m in messages)


async def make(item: dict[str, Any], ctx: Ctx) -> Outcome:
    """Alternate teacher-as-user and teacher-as-assistant for ``TURNS`` exchanges."""
    domain = next(
        d for d in resource_yaml("datagen", "difficult_advice_taxonomy.yaml")["domains"] if d["id"] == item["domain"]
    )
    p = ctx.constitution().principle(item["principle"])
    system = prompt("constitution_injection", principles=principles_text(ctx.constitution(), ctx.settings.principles))
    convo: list[dict[str, str]] = []
    for turn in range(TURNS):
        if turn == 0:
            user = await ctx.ask("teacher", prompt("transcript_user_open", domain=domain["description"],
                                                   principle=f"{p.title}"))  # fmt: skip
        else:
            user = await ctx.ask("teacher", prompt("transcript_user_follow", conversation=_conversation(convo)))
        convo.append({"role": "user", "content": user})
        history: list[ChatMessage] = [ChatMessageSystem(content=system)]
        for m in convo:
            history.append(ChatMessageUser(content=m["content"]) if m["role"] == "user"
                           else ChatMessageAssistant(content=m["content"]))  # fmt: skip
        answer = await ctx.ask_messages("teacher", history)
        convo.append({"role": "assistant", "content": answer})
    row = {"id": item["id"], "messages": convo, "meta": {"domain": item["domain"], "principle": p.id}}
    return Outcome("ok", row=row)
