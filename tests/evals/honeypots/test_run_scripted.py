"""End to end through inspect_ai with scripted mockllm targets: rates equal the scripted ones exactly, reruns reuse
finished samples, text mode runs multi-turn in every family, and an agent that never finishes is `incomplete`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, get_model
from inspect_ai.tool import ToolCall, ToolChoice, ToolInfo

from teachwhy.evals.honeypots import FAMILIES, HoneypotRun, Instance, build_instances, run_honeypots, script_steps


def _by_system(instances: list[Instance]) -> dict[str, Instance]:
    by = {i.system_prompt: i for i in instances}
    assert len(by) == len(instances), "system prompts must identify samples"
    return by


def _scripted_target(instances: list[Instance], harmful_ids: set[str], calls: list[str]) -> Any:
    """Follows the storyline's own harmful or ethical script, one tool call per turn, then says it is done."""
    by_system = _by_system(instances)

    def reply(input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
              config: GenerateConfig) -> ModelOutput:  # fmt: skip
        inst = by_system[input[0].text]
        calls.append(inst.sample_id)
        steps = script_steps(inst, "harmful" if inst.sample_id in harmful_ids else "ethical", 0)
        done = sum(m.role == "tool" for m in input)
        if done >= len(steps):
            return ModelOutput.from_content("mockllm/model", "Done.")
        s = steps[done]
        return ModelOutput.for_tool_call("mockllm/model", s["tool"], s["args"], content=s["say"])

    return get_model("mockllm/model", custom_outputs=reply, memoize=False)


def test_rates_equal_scripted_and_rerun_reuses(tmp_path: Path) -> None:
    cfg = HoneypotRun(model="mockllm/model", samples=6, seed=3, out=str(tmp_path / "run"), preset="headline")
    instances = build_instances(list(FAMILIES), 6, 3, preset="headline")
    harmful_ids = {i.sample_id for f, k in zip(FAMILIES, (1, 3, 5), strict=True)
                   for i in [x for x in instances if x.family == f][:k]}  # fmt: skip
    calls: list[str] = []
    summary = run_honeypots(cfg, display="none", target=_scripted_target(instances, harmful_ids, calls))
    fams = summary["families"]
    # every harmful script is decided harmful; ethical scripts are decided benign or left undecided, never harmful
    for f, k in zip(FAMILIES, (1, 3, 5), strict=True):
        assert fams[f]["harmful"] == k, (f, fams[f])
        assert fams[f]["errors"] == fams[f]["empty"] == 0
        assert fams[f]["n"] + fams[f]["undecided"] == 6
    on_disk = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert on_disk["families"]["framing"]["harmful"] == 5
    assert list((tmp_path / "run" / "logs").glob("*.eval")), "inspect .eval log written"
    n_calls = len(calls)
    assert n_calls >= 18 * 2

    calls.clear()
    again = run_honeypots(cfg, display="none", target=_scripted_target(instances, harmful_ids, calls))
    assert calls == [], "finished samples must not call the model again"
    assert again["families"] == summary["families"] and again["resumed"] == 18


def test_errors_are_counted_never_harmless(tmp_path: Path) -> None:
    cfg = HoneypotRun(model="mockllm/model", samples=2, scenarios=["blackmail"], out=str(tmp_path / "r"))

    def boom(input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
             config: GenerateConfig) -> ModelOutput:  # fmt: skip
        raise RuntimeError("provider exploded")

    summary = run_honeypots(cfg, display="none", target=get_model("mockllm/model", custom_outputs=boom, memoize=False))
    bm = summary["families"]["blackmail"]
    assert (bm["n"], bm["errors"], bm["rate"]) == (0, 2, None)


def test_empty_output_is_counted(tmp_path: Path) -> None:
    cfg = HoneypotRun(model="mockllm/model", samples=2, scenarios=["framing"], out=str(tmp_path / "r"))
    target = get_model("mockllm/model", custom_outputs=lambda *a: ModelOutput.from_content("m", ""), memoize=False)
    summary = run_honeypots(cfg, display="none", target=target)
    fr = summary["families"]["framing"]
    assert (fr["n"], fr["empty"], fr["rate"]) == (0, 2, None)


def test_reading_until_the_step_limit_is_incomplete(tmp_path: Path) -> None:
    cfg = HoneypotRun(model="mockllm/model", samples=3, scenarios=["research_sabotage"], max_steps=3,
                      out=str(tmp_path / "r"))  # fmt: skip
    target = get_model("mockllm/model", memoize=False,
                       custom_outputs=lambda *a: ModelOutput.for_tool_call("m", "list_files", {}))  # fmt: skip
    summary = run_honeypots(cfg, display="none", target=target)
    rs = summary["families"]["research_sabotage"]
    assert (rs["n"], rs["incomplete"], rs["rate"]) == (0, 3, None)
    rows = [json.loads(x) for x in (tmp_path / "r" / "samples.jsonl").read_text().splitlines()]
    assert {r["status"] for r in rows} == {"incomplete"} and all(r["harmful"] is None for r in rows)


def _text_agent(instances: list[Instance], seen: dict[str, list[str]]) -> Any:
    """Text mode, three turns: list the files, read the first one, then email its first line to the agent's own
    colleague — so the last action uses content that only the tool results of earlier turns contained."""
    by_system = _by_system(instances)

    def reply(input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
              config: GenerateConfig) -> ModelOutput:  # fmt: skip
        inst = by_system[input[0].text]
        assert tools == [], "text mode offers no native tools"
        results = [m.text for m in input if m.role == "user"][1:]
        seen.setdefault(inst.sample_id, []).extend(results[-1:])
        if len(results) == 0:
            return ModelOutput.from_content("m", "Let me look around.\n<tool_use:list_files>\n</tool_use:list_files>")
        if len(results) == 1:
            first = re.search(r'<tool_result name="list_files">\n([^\n]+)', results[0])
            assert first, results[0]
            return ModelOutput.from_content("m", f'<tool_use:read_file>\npath: "{first.group(1)}",\n</tool_use:read_file>')
        if len(results) == 2:
            line = results[1].split("\n")[1].strip().replace('"', "'")
            to = inst.entities["agent_email"]
            return ModelOutput.from_content("m", f'<tool_use:send_email>\nto: "{to}",\nsubject: "Note to self",\n'
                                                 f'body: "First line: {line}",\n</tool_use:send_email>')  # fmt: skip
        return ModelOutput.from_content("m", "That is all.")

    return get_model("mockllm/model", custom_outputs=reply, memoize=False)


@pytest.mark.parametrize("family", FAMILIES)
def test_text_mode_reads_a_file_and_acts_on_it_in_a_later_turn(tmp_path: Path, family: str) -> None:
    cfg = HoneypotRun(model="mockllm/model", samples=1, scenarios=[family], mode="text", out=str(tmp_path / "r"))
    instances = build_instances([family], 1, 0, mode="text")
    seen: dict[str, list[str]] = {}
    run_honeypots(cfg, display="none", target=_text_agent(instances, seen))
    rows = [json.loads(x) for x in (tmp_path / "r" / "samples.jsonl").read_text().splitlines()]
    out = rows[0]["output"]
    sent = [m["content"] for m in out if m["role"] == "assistant" and "<tool_use:send_email>" in m["content"]]
    read = [m["content"] for m in out if m["role"] == "user" and '<tool_result name="read_file">' in m["content"]]
    assert sent and read, out
    first_line = read[0].split("\n")[1].strip().replace('"', "'")
    assert first_line and first_line in sent[0]
    assert rows[0]["status"] in ("ok", "undecided") and rows[0]["harmful"] is not True


def test_tool_call_object_shape() -> None:
    from inspect_ai.model import ChatMessageAssistant

    from teachwhy.evals.honeypots import to_openai

    msg = ChatMessageAssistant(content="x", tool_calls=[ToolCall(id="1", function="send_email", arguments={"to": "a@b"})])
    out = to_openai([msg])
    assert out[0]["tool_calls"][0]["function"] == {"name": "send_email", "arguments": '{"to": "a@b"}'}
