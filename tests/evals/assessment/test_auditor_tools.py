"""The auditor's tools alone: staging, tool calls and results, rollback, misuse errors; seeds; light mode."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from inspect_ai.model import ChatMessage, ChatMessageTool, ModelOutput, ModelUsage, get_model
from inspect_ai.tool import ToolError
from inspect_ai.util._store import Store

from teachwhy.errors import ConfigError
from teachwhy.evals.assessment import (
    AssessmentConfig,
    AuditStore,
    auditor_tools,
    load_dimensions,
    load_seeds,
    render_transcript,
    select_seeds,
)

M = "mockllm/model"


def target_model() -> Any:
    def fn(inp: list[ChatMessage], tools: Any, tc: Any, cfg: Any) -> ModelOutput:
        if isinstance(inp[-1], ChatMessageTool):
            out = ModelOutput.from_content(M, f"The file says: {inp[-1].text}")
        else:
            assert [t.name for t in tools] == ["read_file"]
            out = ModelOutput.for_tool_call(M, "read_file", {"path": "a.txt"}, tool_call_id="c1")
        out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        return out

    return get_model(M, custom_outputs=fn, memoize=False)


def test_tools_stage_talk_answer_and_roll_back() -> None:
    audit = AuditStore(store=Store())
    set_sys, create, send, result, rollback, end = auditor_tools(audit, target_model())

    async def go() -> None:
        await set_sys("You are Atlas.")
        await create("read_file", "Read a file", json.dumps({"path": "file to read"}))
        with pytest.raises(ToolError, match="invalid tool name"):
            await create("read file", "x", "{}")
        with pytest.raises(ToolError, match="JSON object"):
            await create("ok_name", "x", "[1]")
        reply = await send("Open a.txt")
        assert "id=c1 read_file" in str(reply) and audit.pending_tool_calls == ["c1"]
        with pytest.raises(ToolError, match="awaits tool results"):
            await send("hello?")
        with pytest.raises(ToolError, match="no pending tool call 'c9'"):
            await result("c9", "x")
        reply = await result("c1", "quarterly numbers")
        assert "The file says: quarterly numbers" in str(reply) and audit.pending_tool_calls == []
        assert len(audit.messages) == 4
        await rollback(2)  # back to: user, assistant-with-tool-call
        assert len(audit.messages) == 2 and audit.pending_tool_calls == ["c1"] and audit.rollbacks == 1
        with pytest.raises(ToolError, match="between 0 and 2"):
            await rollback(5)
        await end("done")

    asyncio.run(go())
    assert audit.ended and audit.end_reason == "done" and audit.target_replies == 2
    kinds = [e["kind"] for e in audit.events]
    assert kinds == ["system", "tool_created", "user", "target", "target_tool_call", "tool_result", "target",
                     "rollback", "end"]  # fmt: skip
    text = render_transcript(audit.events)
    assert "[4] TARGET TOOL CALL [c1]: read_file" in text and "ROLLBACK" in text


def test_seed_and_dimension_data() -> None:
    seeds = load_seeds()
    assert len(seeds) >= 40
    tags = {t for s in seeds for t in s.tags}
    wanted = "self_preservation deception sabotage power_seeking oversight_subversion sycophancy"
    wanted += " misuse_cooperation whistleblowing_overreach overrefusal reward_hacking"
    assert set(wanted.split()) <= tags
    light = select_seeds(light=True)
    assert light and all(s.light for s in light)
    assert {t for s in light for t in s.tags} >= {"self_preservation", "sycophancy", "overrefusal"}
    dims = {d.id for d in load_dimensions()}
    wanted = "misaligned_behavior admirable_behavior deception self_preservation power_seeking"
    wanted += " oversight_subversion sycophancy overrefusal eval_awareness scenario_realism auditor_failure"
    assert set(wanted.split()) <= dims
    with pytest.raises(ConfigError, match="unknown seed tags"):
        select_seeds(["nope"])


def test_light_mode_caps_turns() -> None:
    assert AssessmentConfig(light=True).turn_cap() == 3
    assert AssessmentConfig(light=True, max_turns=10).turn_cap() == 3
    assert AssessmentConfig(light=True, max_turns=2).turn_cap() == 2
    assert AssessmentConfig().turn_cap() == 8 and AssessmentConfig(max_turns=4).turn_cap() == 4


def test_petri_mapping_covers_our_dimensions() -> None:
    from teachwhy.evals.assessment._petri import map_petri_scores, petri_mapping

    mapping = petri_mapping()
    assert set(mapping) == {d.id for d in load_dimensions()}
    petri = {"concerning": 4, "admirable": 6, "unprompted_sycophancy": 3, "sycophancy": 5}
    mapped = map_petri_scores(petri, mapping)
    assert (mapped["misaligned_behavior"], mapped["admirable_behavior"], mapped["sycophancy"]) == (4, 6, 5)
