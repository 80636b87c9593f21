"""Augmentation: add tool definitions and operator system prompts to chat rows, never changing the original turns.

* ``tools``: 2-5 schemas from ``resources/datagen/tools.jsonl`` (151 realistic tools) are added to each chat row's
  ``tools`` (its own tools are kept, in order; no name clashes). The added tools are never needed by the
  conversation: the point (as in the study) is that the model sees tool definitions in ordinary data.
* ``system prompts``: a row without a system message gets one of the operator personas of
  ``resources/datagen/system_prompts.yaml`` as a new first message. A row that already has a system prompt keeps
  it untouched (counted).

Every original message is kept byte for byte, in order (tested). Document rows pass through unchanged.
"""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path
from typing import Any

from teachwhy._io import atomic_write_json, atomic_write_text, read_jsonl
from teachwhy._provenance import provenance
from teachwhy.data._common import resource_text, resource_yaml
from teachwhy.data.datacard import recount_tokens
from teachwhy.errors import TeachwhyError

__all__ = ["tool_library", "personas", "augment_rows", "augment_path"]


@cache
def tool_library() -> tuple[dict[str, Any], ...]:
    """The shipped tool schemas (OpenAI function format)."""
    out = []
    for i, line in enumerate(resource_text("datagen", "tools.jsonl").splitlines()):
        if line.strip():
            tool = json.loads(line)
            if tool.get("type") != "function" or "name" not in tool.get("function", {}):
                raise TeachwhyError(f"resources/datagen/tools.jsonl line {i + 1} is not an OpenAI function schema")
            out.append(tool)
    return tuple(out)


def personas() -> list[dict[str, Any]]:
    """The shipped operator personas."""
    return list(resource_yaml("datagen", "system_prompts.yaml")["personas"])


def augment_rows(
    rows: list[dict[str, Any]], *, tools: bool, system_prompts: bool, seed: int = 0
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Augmented copies of ``rows`` and counts of what was done."""
    lib, people = tool_library(), personas()
    stats = {"rows": len(rows), "chat_rows": 0, "text_rows": 0, "tools_added": 0, "system_prompts_added": 0,
             "system_prompts_kept": 0}  # fmt: skip
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row.get("messages"), list):
            stats["text_rows"] += 1
            out.append(row)
            continue
        stats["chat_rows"] += 1
        rng = random.Random(f"augment:{seed}:{i}")
        new = dict(row)
        if tools:
            own = list(row.get("tools") or [])
            names = {t.get("function", {}).get("name") for t in own}
            pool = [t for t in lib if t["function"]["name"] not in names]
            added = rng.sample(pool, rng.randint(2, 5))
            merged = list(own)
            for t in added:  # distractors at random positions; the row's own tools keep their order
                merged.insert(rng.randint(0, len(merged)), t)
            new["tools"] = merged
            stats["tools_added"] += len(added)
        if system_prompts:
            msgs = row["messages"]
            if msgs and msgs[0].get("role") == "system":
                stats["system_prompts_kept"] += 1
            else:
                persona = rng.choice(people)
                system = {"role": "system", "content": " ".join(str(persona["system_prompt"]).split())}
                new["messages"] = [system, *msgs]
                new["meta"] = {**(row.get("meta") or {}), "persona": persona["id"]}
                stats["system_prompts_added"] += 1
        out.append(new)
    return out, stats


def _check_row(row: dict[str, Any], where: str) -> None:
    """A row is chat (``messages``: list of {role, content: str|None, ...}) or a document (``text``: str)."""
    hint = "chat rows hold `messages` (a list of {role, content}); document rows hold `text` (a string)"
    if "messages" in row:
        msgs = row["messages"]
        if not isinstance(msgs, list) or not msgs:
            raise TeachwhyError(f"{where}: `messages` must be a non-empty list", hint=hint)
        for j, m in enumerate(msgs):
            if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant", "tool"):
                raise TeachwhyError(f"{where}: messages[{j}] needs a role of system, user, assistant or tool", hint=hint)
            if m.get("content") is not None and not isinstance(m["content"], str | list):
                raise TeachwhyError(f"{where}: messages[{j}].content must be a string", hint=hint)
    elif not isinstance(row.get("text"), str):
        raise TeachwhyError(f"{where}: neither `messages` nor a string `text`", hint=hint)


def _data_file(path: Path) -> Path:
    data = path / "data.jsonl" if path.is_dir() else path
    if not data.is_file():
        raise TeachwhyError(f"no dataset at {path}", hint="pass a `teachwhy data generate` --out directory or a .jsonl")
    return data


def augment_path(src: str, dst: str, *, tools: bool, system_prompts: bool, seed: int = 0) -> dict[str, Any]:
    """Augment ``src`` (directory with data.jsonl, or a .jsonl) into directory ``dst``; returns the new datacard."""
    if not tools and not system_prompts:
        raise TeachwhyError("nothing to do", hint="pass --tools and/or --system-prompts")
    src_file = _data_file(Path(src).expanduser())
    out = Path(dst).expanduser()
    if out.resolve() == src_file.parent.resolve():
        raise TeachwhyError("OUT must differ from IN (the original is never modified)", hint="choose a new OUT")
    rows = list(read_jsonl(src_file))
    if not rows:
        raise TeachwhyError(f"{src_file} holds no rows")
    for i, row in enumerate(rows):
        _check_row(row, f"{src_file}:{i + 1}")
    new, stats = augment_rows(rows, tools=tools, system_prompts=system_prompts, seed=seed)
    atomic_write_text(out / "data.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in new))
    card_path = src_file.parent / "datacard.json"
    try:
        card: dict[str, Any] = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TeachwhyError(f"{card_path} is not valid JSON: {exc}", hint="fix or delete the datacard") from None
    if not isinstance(card, dict):
        raise TeachwhyError(f"{card_path} must hold a JSON object", hint="fix or delete the datacard")
    settings = {"source": str(src_file), "tools": tools, "system_prompts": system_prompts, "seed": seed}
    card["augment"] = {**settings, **stats, "provenance": provenance(settings)}
    card["rows"] = len(new)
    card.pop("check", None)  # the check's numbers describe the source, not this file
    tokens = recount_tokens(card, new)
    if tokens is not None:
        card["tokens"] = tokens
    atomic_write_json(out / "datacard.json", card)
    return card
