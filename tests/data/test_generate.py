"""Generation logic with scripted mockllm models: every kind writes valid rows and a datacard; rejection sampling
keeps exactly the benign answers; empty and errored generations are counted, never written; re-runs resume."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, Model, ModelOutput, get_model
from inspect_ai.tool import ToolChoice, ToolInfo

from teachwhy.data import KINDS, GenerateSettings, generate
from teachwhy.data import honeypot_demos as hd
from teachwhy.errors import TeachwhyError


def _teacher(empty_every: int = 0, fail_on: str | None = None) -> Model:
    calls = [0]

    def reply(input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
              config: GenerateConfig) -> ModelOutput:  # fmt: skip
        calls[0] += 1
        last = input[-1].text
        if fail_on and fail_on in last:
            raise RuntimeError("provider exploded")
        if empty_every and calls[0] % empty_every == 0:
            return ModelOutput.from_content("mockllm/model", "")
        return ModelOutput.from_content("mockllm/model", f"Teacher text {calls[0]} about: {last[:60]!r}.")

    return get_model("mockllm/model", custom_outputs=reply, memoize=False)


def _rows(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "data.jsonl").read_text().splitlines()]


def _valid_chat(row: dict[str, Any]) -> None:
    assert row["messages"] and any(m["role"] == "assistant" for m in row["messages"])
    for m in row["messages"]:
        assert m["role"] in ("system", "user", "assistant", "tool") and isinstance(m["content"], str)


@pytest.mark.parametrize("kind", ["sysprompt-distill", "difficult-advice", "constitution-docs", "stories",
                                  "transcripts"])  # fmt: skip
def test_teacher_kinds_write_valid_rows_and_datacard(kind: str, tmp_path: Path) -> None:
    s = GenerateSettings(kind=kind, teacher="mockllm/model", target="embedded", n=3, out=str(tmp_path))
    card = generate(s, models={"teacher": _teacher()})
    rows = _rows(tmp_path)
    assert len(rows) == 3 and card["rows"] == 3 and card["counts"]["ok"] == 3
    for r in rows:
        if KINDS[kind].rows == "text":
            assert r["text"].startswith("Teacher text")
        else:
            _valid_chat(r)
    assert card["kind"] == kind and card["tokens"]["total"] > 0 and "target tokenizer" in card["tokens"]["counted_with"]
    assert card["provenance"]["versions"]["inspect-ai"] and card["models"]["teacher"]["called"]
    from datasets import load_dataset

    assert load_dataset("json", data_files=str(tmp_path / "data.jsonl"), split="train").num_rows == 3


def test_sysprompt_distill_stores_without_constitution(tmp_path: Path) -> None:
    seen: list[str] = []

    def reply(input: list[ChatMessage], *a: Any) -> ModelOutput:
        seen.append(input[0].text)
        return ModelOutput.from_content("mockllm/model", "An answer.")

    model = get_model("mockllm/model", custom_outputs=reply, memoize=False)
    generate(GenerateSettings(kind="sysprompt-distill", teacher="mockllm/model", n=2, out=str(tmp_path),
                              principles=["honesty"]), models={"teacher": model})  # fmt: skip
    assert any("You follow this constitution" in s for s in seen)
    for r in _rows(tmp_path):
        assert r["messages"][0]["role"] == "system" and "constitution" not in r["messages"][0]["content"].lower()


def test_empty_and_errors_are_counted_not_written_and_errors_retried(tmp_path: Path) -> None:
    s = GenerateSettings(kind="stories", teacher="mockllm/model", n=4, out=str(tmp_path), max_connections=1)
    card = generate(s, models={"teacher": _teacher(empty_every=2)})
    assert card["counts"]["empty"] == 2 and card["counts"]["ok"] == 2 and len(_rows(tmp_path)) == 2
    assert all(r["text"].strip() for r in _rows(tmp_path))
    # errors: a provider failure on every prompt mentioning 'lighthouse' is counted, then retried on re-run
    out2 = tmp_path / "e"
    s2 = GenerateSettings(kind="stories", teacher="mockllm/model", n=6, out=str(out2))
    card2 = generate(s2, models={"teacher": _teacher(fail_on="Setting: A")})
    assert card2["counts"]["error"] >= 1 and card2["counts"]["ok"] + card2["counts"]["error"] == 6
    calls: list[str] = []

    def ok(input: list[ChatMessage], *a: Any) -> ModelOutput:
        calls.append(input[-1].text)
        return ModelOutput.from_content("mockllm/model", "A story.")

    card3 = generate(s2, models={"teacher": get_model("mockllm/model", custom_outputs=ok, memoize=False)})
    assert len(calls) == card2["counts"]["error"]  # only the errored items ran again
    assert card3["counts"]["ok"] == 6 and card3["counts"]["error"] == 0 and len(_rows(out2)) == 6


def test_resume_skips_finished_and_refuses_other_settings(tmp_path: Path) -> None:
    s = GenerateSettings(kind="stories", teacher="mockllm/model", n=2, out=str(tmp_path))
    generate(s, models={"teacher": _teacher()})
    calls: list[int] = []

    def count(*a: Any) -> ModelOutput:
        calls.append(1)
        return ModelOutput.from_content("mockllm/model", "More.")

    m = get_model("mockllm/model", custom_outputs=count, memoize=False)
    card = generate(s.model_copy(update={"n": 3}), models={"teacher": m})
    assert len(calls) == 1 and card["rows"] == 3
    with pytest.raises(TeachwhyError, match="other settings"):
        generate(s.model_copy(update={"seed": 5}), models={"teacher": m})


def test_tokens_budget_stops_when_reached(tmp_path: Path) -> None:
    s = GenerateSettings(kind="stories", teacher="mockllm/model", tokens=30, out=str(tmp_path), max_connections=1)
    card = generate(s, models={"teacher": _teacher()})
    assert card["tokens"]["total"] >= 30 and card["token_budget"] == 30 and card["counts"]["planned"] == 4


# ------------------------------------------------------------------------------ honeypot rejection sampling
def _agent(harmful_ids: set[str], items: list[dict[str, Any]]) -> Model:
    from helpers.honeypot_calls import benign_call, harmful_steps

    by_system = {hd.instance(i).system_prompt: (i["id"], hd.instance(i)) for i in items}

    def reply(input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
              config: GenerateConfig) -> ModelOutput:  # fmt: skip
        item_id, inst = by_system[input[0].text]
        steps = harmful_steps(inst) if item_id in harmful_ids else [benign_call(inst)]
        done = sum(m.role == "tool" for m in input)
        if done >= len(steps):
            return ModelOutput.from_content("mockllm/model", "Done.")
        return ModelOutput.for_tool_call("mockllm/model", *steps[done])

    return get_model("mockllm/model", custom_outputs=reply, memoize=False)


def test_rejection_filter_keeps_exactly_the_benign_answers(tmp_path: Path) -> None:
    s = GenerateSettings(kind="honeypot-demos", target="mockllm/model", n=9, seed=2, out=str(tmp_path), max_steps=6)
    items = hd.plan(s, 9)
    harmful = {i["id"] for k, i in enumerate(items) if k % 3 != 1}  # each family gets both kinds over 9 items
    card = generate(s, models={"target": _agent(harmful, items)})
    kept = {r["id"] for r in _rows(tmp_path)}
    assert kept == {i["id"] for i in items} - harmful
    rs = card["rejection_sampling"]
    assert rs["acceptance_rate"] == pytest.approx(len(kept) / 9, abs=1e-3)
    assert rs["verdicts"] == {"harmful": len(harmful), "not_harmful": len(kept)}
    for r in _rows(tmp_path):
        _valid_chat(r)
        assert r["tools"] and any(m.get("tool_calls") for m in r["messages"])
        assert json.loads(r["messages"][2]["tool_calls"][0]["function"]["arguments"])


def test_scripted_harmful_is_marked_in_datacard(tmp_path: Path) -> None:
    card = generate(GenerateSettings(kind="honeypot-demos", scripted="harmful", n=3, out=str(tmp_path)))
    assert card["scripted"] == "harmful" and "misaligned" in card["warning"]
    assert card["rows"] == 3 and card["rejection_sampling"]["verdicts"] == {"harmful": 3}
    assert card["models"]["target"]["called"] is False


def test_reasons_keep_tool_calls_identical(tmp_path: Path) -> None:
    src = tmp_path / "demos"
    generate(GenerateSettings(kind="honeypot-demos", scripted="ethical", n=3, out=str(src)))
    for mode, models in (("scripted", {}), ("teacher", {"teacher": _teacher()})):
        out = tmp_path / mode
        s = GenerateSettings(kind="honeypot-reasons", source=str(src), n=3, out=str(out), teacher="mockllm/model",
                             scripted="ethical" if mode == "scripted" else None)  # fmt: skip
        card = generate(s, models=models)
        assert card["rows"] == 3
        for before, after in zip(_rows(src), _rows(out), strict=True):
            assert len(before["messages"]) == len(after["messages"])
            changed = [i for i, (a, b) in enumerate(zip(before["messages"], after["messages"], strict=True)) if a != b]
            assert changed == [2]
            assert after["messages"][2]["tool_calls"] == before["messages"][2]["tool_calls"]
            if mode == "scripted":
                assert after["messages"][2]["content"].endswith(before["messages"][2]["content"])
                assert len(after["messages"][2]["content"]) > len(before["messages"][2]["content"]) + 200
    with pytest.raises(TeachwhyError, match="harmful"):
        generate(GenerateSettings(kind="honeypot-reasons", scripted="harmful", n=1, out=str(tmp_path / "h")))
