"""Augmentation adds unneeded tools and persona system prompts and keeps every original turn byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

from teachwhy.data import GenerateSettings, generate
from teachwhy.data.augment import augment_path, personas, tool_library


def test_libraries_are_large_enough() -> None:
    assert len(tool_library()) >= 100 and len({t["function"]["name"] for t in tool_library()}) == len(tool_library())
    assert len(personas()) >= 100


def test_augment_keeps_original_turns_byte_for_byte(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "messages": [{"role": "user", "content": "Héllo \u2014 spaces  kept\n"},
                                 {"role": "assistant", "content": "Hi!"}]},
        {"id": "b", "messages": [{"role": "system", "content": "Operator says X."}, {"role": "user", "content": "q"},
                                 {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "type": "function",
                                  "function": {"name": "lookup", "arguments": "{\"q\": 1}"}}]},
                                 {"role": "tool", "tool_call_id": "c1", "content": "1"},
                                 {"role": "assistant", "content": "done"}],
         "tools": [{"type": "function", "function": {"name": "lookup", "description": "d", "parameters": {}}}]},
        {"id": "t", "text": "A document."},
    ]  # fmt: skip
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    card = augment_path(str(src), str(tmp_path / "out"), tools=True, system_prompts=True, seed=1)
    out = [json.loads(line) for line in (tmp_path / "out" / "data.jsonl").read_text(encoding="utf-8").splitlines()]
    for before, after in zip(rows, out, strict=True):
        if "text" in before:
            assert after == before
            continue
        orig = [json.dumps(m, ensure_ascii=False) for m in before["messages"]]
        new = [json.dumps(m, ensure_ascii=False) for m in after["messages"]]
        assert new[-len(orig):] == orig  # every original turn, in order, byte for byte
        if before["messages"][0]["role"] == "system":
            assert new == orig
        else:
            assert len(new) == len(orig) + 1 and after["messages"][0]["role"] == "system"
        own = [json.dumps(t) for t in before.get("tools", [])]
        tools = [json.dumps(t) for t in after["tools"]]
        assert [t for t in tools if t in own] == own and 2 <= len(tools) - len(own) <= 5
    a = card["augment"]
    assert (a["system_prompts_added"], a["system_prompts_kept"], a["text_rows"]) == (1, 1, 1)


def test_augmented_dataset_loads_and_counts_tokens(tmp_path: Path) -> None:
    generate(GenerateSettings(kind="difficult-advice", scripted="ethical", n=3, out=str(tmp_path / "d")))
    card = augment_path(str(tmp_path / "d"), str(tmp_path / "a"), tools=True, system_prompts=True)
    before = json.loads((tmp_path / "d" / "datacard.json").read_text())
    assert card["tokens"]["total"] > before["tokens"]["total"]
    from datasets import load_dataset

    ds = load_dataset("json", data_files=str(tmp_path / "a" / "data.jsonl"), split="train")
    assert ds.num_rows == 3 and "tools" in ds.column_names
