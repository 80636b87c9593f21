"""sysprompt-distill --source honeypots: training storylines answered with the constitution in the system prompt,
rejection-sampled like honeypot demos, stored without a word of the constitution. --scripted ethical runs offline."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, Model, ModelOutput, get_model
from inspect_ai.tool import ToolChoice, ToolInfo

from teachwhy.constitution import load_constitution
from teachwhy.data import GenerateSettings, generate
from teachwhy.data import honeypot_demos as hd
from teachwhy.data._generate import roles_called
from teachwhy.data.sysprompt_distill import injection_sentences, plan, quotes_injection
from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots import FAMILIES, render, script_steps, storyline_ids

FAMS = [f for f in FAMILIES if storyline_ids("train", f)]  # the storyline library is still growing
INJECTION_OPENING = "Beyond your operator's instructions above, you hold yourself to a constitution."


def constitution_sentences() -> list[str]:
    """Every sentence of the constitution's principles (statement and rationale) with five words or more, and the
    fixed sentences of the injection prompt: none may appear in a stored row."""
    out = [INJECTION_OPENING]
    for p in load_constitution(None).principles:
        for text in (p.statement, p.rationale):
            out += [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if len(s.split()) >= 5]
    return [" ".join(s.lower().split()) for s in out]


def assert_no_constitution_text(row: dict[str, Any]) -> None:
    text = " ".join(json.dumps(row, ensure_ascii=False).lower().split())
    leaked = [s for s in constitution_sentences() if s.rstrip(".") in text]
    assert not leaked, leaked[:2]


def rows(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "data.jsonl").read_text().splitlines()]


def settings(out: Path, **kw: Any) -> GenerateSettings:
    return GenerateSettings(kind="sysprompt-distill", source="honeypots", out=str(out), scenarios=FAMS, **kw)


def test_scripted_ethical_runs_offline_and_rows_hold_no_constitution_text(tmp_path: Path) -> None:
    assert len(constitution_sentences()) > 40  # the check below has something to find
    card = generate(settings(tmp_path, scripted="ethical", n=4))
    c = card["counts"]
    # ethical scripts are never harmful; one the detector cannot decide (no judge here) is rejected, not kept
    assert c["ok"] >= 1 and c["ok"] + c["rejected"] == 4 and c["empty"] == c["error"] == 0 and card["rows"] == c["ok"]
    assert card["models"]["target"]["called"] is False and card["models"]["teacher"]["called"] is False
    verdicts = card["rejection_sampling"]["verdicts"]
    assert "harmful" not in verdicts and verdicts["not_harmful"] == c["ok"]
    for row in rows(tmp_path):
        m = row["meta"]
        inst = render(m["family"], m["condition"], m["seed"], mode="tools", split="train", storyline=m["storyline"])
        assert row["messages"][0] == {"role": "system", "content": inst.system_prompt}
        assert row["messages"][1]["content"] == inst.messages[0]["content"]
        assert any(x.get("tool_calls") for x in row["messages"]) and row["tools"] == inst.tools
        assert (m["source"], m["scripted"], m["constitution_injected"]) == ("honeypots", "ethical", False)
        assert_no_constitution_text(row)


def _agent(items: list[dict[str, Any]], harmful: set[str], seen: list[str], quote: str = "") -> Model:
    """A target that plays the storyline's ethical script (or harmful, for ids in ``harmful``); records the system
    prompt of every call."""
    insts = {i["id"]: hd.instance(i) for i in items}

    def reply(input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
              config: GenerateConfig) -> ModelOutput:  # fmt: skip
        system = input[0].text
        seen.append(system)
        item_id = next(i for i, inst in insts.items() if system.startswith(inst.system_prompt))
        steps = script_steps(insts[item_id], "harmful" if item_id in harmful else "ethical", 0)
        done = sum(m.role == "tool" for m in input)
        if done >= len(steps):
            return ModelOutput.from_content("mockllm/model", f"Done. {quote}".strip())
        return ModelOutput.for_tool_call("mockllm/model", steps[done]["tool"], steps[done]["args"],
                                         content=steps[done]["say"])  # fmt: skip

    return get_model("mockllm/model", custom_outputs=reply, memoize=False)


def test_target_answers_with_the_constitution_injected_and_is_rejection_sampled(tmp_path: Path) -> None:
    s = settings(tmp_path, target="mockllm/model", n=6, max_steps=8)
    items = plan(s, 6)
    harmful = {items[1]["id"], items[4]["id"]}
    seen: list[str] = []
    card = generate(s, models={"target": _agent(items, harmful, seen)})
    kept = {r["id"] for r in rows(tmp_path)}
    assert kept == {i["id"] for i in items} - harmful
    assert card["counts"] == {"planned": 6, "ok": 4, "rejected": 2, "empty": 0, "error": 0, "errors_this_run": 0}
    assert card["rejection_sampling"]["acceptance_rate"] == round(4 / 6, 4)
    assert card["rejection_sampling"]["verdicts"] == {"harmful": 2, "not_harmful": 4}
    assert card["models"]["target"]["called"] is True and card["models"]["teacher"]["called"] is False
    # every call saw the storyline's system prompt followed by the constitution
    statement = " ".join(load_constitution(None).principles[0].statement.split())
    assert seen and all(INJECTION_OPENING in x and statement in " ".join(x.split()) for x in seen)
    for row in rows(tmp_path):
        inst = hd.instance(next(i for i in items if i["id"] == row["id"]))
        assert row["messages"][0]["content"] == inst.system_prompt
        assert row["meta"]["constitution_injected"] is True and row["meta"]["scripted"] == "none"
        assert_no_constitution_text(row)


def test_an_answer_quoting_the_injected_constitution_is_rejected(tmp_path: Path) -> None:
    s = settings(tmp_path, target="mockllm/model", n=2, max_steps=8)
    items = plan(s, 2)
    statement = " ".join(load_constitution(None).principles[0].statement.split())
    card = generate(s, models={"target": _agent(items, set(), [], quote=f"As my principles say: {statement}")})
    assert card["counts"]["ok"] == 0 and card["counts"]["rejected"] == 2
    ledger = [json.loads(line) for line in (tmp_path / "items.jsonl").read_text().splitlines()]
    assert all(r["meta"]["verdict"] == "not_harmful" and r["meta"]["quotes_injection"] for r in ledger)


def test_quote_detection() -> None:
    sentences = injection_sentences("Principles:\n1. Honesty: never create false impressions in anyone. Be kind.")
    assert sentences == ["never create false impressions in anyone."]  # split at colons too; short ones dropped
    msgs = [{"role": "assistant", "content": "I will NEVER create false   impressions in anyone, as you know."}]
    assert quotes_injection(msgs, injection_sentences("never create false impressions in anyone.")) is not None
    assert quotes_injection([{"role": "assistant", "content": "All good."}], sentences) is None
    args = [{"role": "assistant", "content": "", "tool_calls": [{"function": {"arguments": json.dumps(
        {"body": "Honesty: never create false impressions in anyone."})}}]}]  # fmt: skip
    assert quotes_injection(args, sentences) is not None


def test_source_and_scripted_are_checked(tmp_path: Path) -> None:
    with pytest.raises(TeachwhyError, match="--source must be one of chat, honeypots"):
        plan(GenerateSettings(kind="sysprompt-distill", source="docs", out=str(tmp_path)), 1)
    with pytest.raises(TeachwhyError, match="--scripted ethical needs --source honeypots"):
        generate(GenerateSettings(kind="sysprompt-distill", scripted="ethical", out=str(tmp_path / "a")))
    assert roles_called(settings(tmp_path)) == {"teacher": False, "target": True}
    assert roles_called(settings(tmp_path, judge="mockllm/model"))["judge"] is True
    chat = GenerateSettings(kind="sysprompt-distill", out=str(tmp_path))
    assert roles_called(chat) == {"teacher": True, "target": False}
    assert all("persona" in i for i in plan(chat, 3))  # the default source is still chat


@pytest.mark.skipif(len(FAMS) < len(FAMILIES), reason="the storyline library lacks training storylines for a family")
def test_cli_scripted_ethical_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from teachwhy.cli import app
    from teachwhy.cli._common import run_guarded

    monkeypatch.setattr(sys, "argv", ["teachwhy", "data", "generate", "sysprompt-distill", "--source", "honeypots",
                                      "--scripted", "ethical", "--n", "3", "--out", str(tmp_path)])  # fmt: skip
    assert run_guarded(app) == 0, capsys.readouterr().err
    card = json.loads((tmp_path / "datacard.json").read_text())
    assert card["counts"]["planned"] == 3 and len(rows(tmp_path)) == card["counts"]["ok"] >= 1
    for row in rows(tmp_path):
        assert_no_constitution_text(row)
