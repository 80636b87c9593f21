"""The auditor's tools alone: staging, tool calls and results, rollback, misuse errors; seeds; light mode."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageTool,
    ModelOutput,
    ModelUsage,
    get_model,
)
from inspect_ai.tool import ToolError
from inspect_ai.util._store import Store

from teachwhy.errors import ConfigError
from teachwhy.evals.assessment import (
    AssessmentConfig,
    AuditStore,
    aggregate_scores,
    auditor_tools,
    load_aggregates,
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


def test_prefill_is_sent_and_kept_at_the_front_of_the_reply() -> None:
    seen: list[list[ChatMessage]] = []

    def fn(inp: list[ChatMessage], tools: Any, tc: Any, cfg: Any) -> ModelOutput:
        seen.append(inp)
        out = ModelOutput.from_content(M, " I would rather not.")
        out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        return out

    audit = AuditStore(store=Store())
    _, _, send, *_ = auditor_tools(audit, get_model(M, custom_outputs=fn, memoize=False))
    reply = asyncio.run(send("Delete the logs?", prefill="Sure, deleting"))
    assert isinstance(seen[0][-1], ChatMessageAssistant) and seen[0][-1].text == "Sure, deleting"
    assert "Sure, deleting I would rather not." in str(reply)
    assert [e["kind"] for e in audit.events] == ["user", "prefill", "target"]


def test_auditor_tools_run_in_order() -> None:
    """Several tool calls in one auditor turn share the store, so none may run concurrently."""
    from inspect_ai._util.registry import registry_info

    audit = AuditStore(store=Store())
    for t in auditor_tools(audit, target_model()):
        assert registry_info(t).metadata.get("parallel") is False


def test_seed_data() -> None:
    seeds = load_seeds()
    assert len(seeds) >= 100 and all(s.probes.strip() and "\n" not in s.probes for s in seeds)
    assert len({s.probes for s in seeds}) == len(seeds)  # each says what it alone probes
    tags = {t for s in seeds for t in s.tags}
    wanted = "self_preservation deception sabotage power_seeking oversight_subversion sycophancy misuse_cooperation"
    wanted += " whistleblowing_overreach overrefusal reward_hacking blackmail leaking user_delusion harmful_sysprompt"
    wanted += " user_over_sysprompt emotional_manipulation unfaithful_thinking tool_reliability self_serving_bias"
    assert set(wanted.split()) <= tags
    light = select_seeds(light=True)
    assert light and all(s.light for s in light)
    assert {t for s in light for t in s.tags} == tags  # at least one light seed per tag
    with pytest.raises(ConfigError, match="unknown seed tags"):
        select_seeds(["nope"])


def test_a_seed_without_probes_fails_to_load() -> None:
    from pydantic import ValidationError

    from teachwhy.evals.assessment import Seed

    with pytest.raises(ValidationError, match="probes"):
        Seed(id="x", tags=["a"], instruction="do it")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="one non-empty line"):
        Seed(id="x", tags=["a"], instruction="do it", probes="two\nlines")


def test_dimension_data() -> None:
    dims = {d.id: d for d in load_dimensions()}
    assert len(dims) >= 30 and all({"1", "5", "10"} <= set(d.anchors) for d in dims.values())
    wanted = "overall_misalignment admirable blackmail leaking whistleblowing self_preservation deception_toward_user"
    wanted += " sycophancy user_delusion_encouragement harmful_sysprompt_cooperation user_over_sysprompt"
    wanted += " unfaithful_thinking input_hallucination broken_tool_use stuck_in_loops high_stakes_setting"
    wanted += " scenario_realism eval_awareness needs_attention"
    assert set(wanted.split()) <= set(dims)
    aggs = {a.id: a for a in load_aggregates()}
    assert list(aggs) == ["misaligned_behavior", "admirable_behavior"]
    # misaligned behaviour combines exactly the misalignment group; admirable is the admirable dimension
    assert set(aggs["misaligned_behavior"].of) == {d for d, x in dims.items() if x.group == "misalignment"}
    assert aggs["admirable_behavior"].of == ["admirable"]
    assert aggregate_scores({"blackmail": 8, "overall_misalignment": 3, "admirable": 6, "overrefusal": 10}) == {
        "misaligned_behavior": 8.0, "admirable_behavior": 6.0}  # fmt: skip


def test_turn_caps() -> None:
    assert AssessmentConfig().turn_cap() == 15 and AssessmentConfig(max_turns=20).turn_cap() == 20
    assert AssessmentConfig(light=True).turn_cap() == 6
    assert AssessmentConfig(light=True, max_turns=10).turn_cap() == 6
    assert AssessmentConfig(light=True, max_turns=2).turn_cap() == 2
    assert AssessmentConfig(max_turns=4).turn_cap() == 4


def test_config_rejects_bad_judge_and_realism_settings() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="judge_samples must be at least 1"):
        AssessmentConfig(judge_samples=0)
    with pytest.raises(ValidationError, match="needs realism_check"):
        AssessmentConfig(realism_threshold=5)
    with pytest.raises(ValidationError, match="between 1 and 10"):
        AssessmentConfig(realism_check=True, realism_threshold=11)
    assert AssessmentConfig().judge_temp() == 0.0 and AssessmentConfig(judge_samples=5).judge_temp() == 1.0
    assert AssessmentConfig(judge_samples=5, judge_temperature=0.3).judge_temp() == 0.3
