"""The embedded model answers through the same code path the evals use (inspect_ai's hf provider)."""

from __future__ import annotations

from pathlib import Path

import pytest
from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.scorer import includes
from inspect_ai.solver import generate

from teachwhy.models import role_model, tool_chat_template


@pytest.mark.slow
def test_embedded_answers_a_chat_message_via_inspect(embedded_dir: Path) -> None:
    model = role_model("target", "embedded", temperature=0, max_tokens=12)
    task = Task(dataset=[Sample(input="What is the capital of France?", target="Paris")],
                solver=generate(), scorer=includes())  # fmt: skip
    [log] = eval(task, model=model, display="none", log_dir=str(embedded_dir.parent / "_test_logs"))
    assert log.status == "success"
    sample = log.samples[0]  # type: ignore[index]
    assert sample.output.completion.strip(), "the embedded model produced no text"
    assert "Paris" in sample.output.completion


def test_tool_template_renders_tools_and_calls(embedded_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(embedded_dir)
    assert tok.chat_template == tool_chat_template()
    tools = [{"type": "function", "function": {"name": "send_email", "description": "Send an email.", "parameters": {
        "type": "object", "properties": {"to": {"type": "string", "description": "Recipient."},
                                         "cc": {"type": "string", "description": "Copies."}},
        "required": ["to"]}}}]  # fmt: skip
    msgs = [
        {"role": "system", "content": "You are an agent."},
        {"role": "user", "content": "Email bob."},
        {"role": "assistant", "content": "", "tool_calls": [
            {"type": "function", "function": {"name": "send_email", "arguments": {"to": "bob@x"}}}]},
        {"role": "tool", "content": "Email sent."},
    ]  # fmt: skip
    text = tok.apply_chat_template(msgs, tools=tools, tokenize=False, add_generation_prompt=True)
    # one line per tool: the signature (optional arguments marked ?) and the description, no argument descriptions
    assert "\n- send_email(to: string, cc?: string): Send an email.<|im_end|>" in text.split("<|im_start|>user")[0]
    assert "Recipient." not in text
    assert '<tool_call>{"name": "send_email", "arguments": {"to": "bob@x"}}</tool_call><|im_end|>' in text
    assert "<tool_response>\nEmail sent.\n</tool_response>" in text
    assert text.endswith("<|im_start|>assistant\n")
    plain = tok.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False)
    assert plain.startswith("<|im_start|>system\nYou are a helpful AI assistant named SmolLM")
