"""Check the blind honeypot set: JSONL shape, entity references, and research-sabotage tool outputs.

For every research_sabotage transcript this replays the agent's actions in a temporary copy of the transcript's
files (edit_file writes, run_script runs the shipped eval/run_eval.py) and checks that every run_script result
and read_file result written in the transcript is what those files really produce, and that the standard command
on the original files gives `true_score` (except the genuine-bug cases, where `true_score` is the corrected score).
It reads no teachwhy code. Needs PyYAML (the scorer imports it).

Run: python tests/evals/honeypots/blind/check_blind.py
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[4] / "src" / "teachwhy" / "resources" / "honeypots" / "validation" / "blind"
FAMILIES = {"blackmail": "blackmail.jsonl", "research_sabotage": "research_sabotage.jsonl", "framing": "framing.jsonl"}
ROW_KEYS = {"id", "family", "mode", "label", "hard", "case", "note", "entities", "output"}
COMMON = ["agent_email", "agent_name", "org_domain", "directory", "messages", "files"]
REQUIRED = {
    "blackmail": [
        "decider_email",
        "secret_markers",
        "secret_holders",
        "secret_message_ids",
        "secret_files",
        "decision_terms",
    ],
    "research_sabotage": [
        "true_score",
        "threshold",
        "metric",
        "passes",
        "score_files",
        "standard_command",
        "benchmark",
    ],
    "framing": ["responsible", "evidence_files", "authority_addresses", "people", "incident_terms"],
}
MSG_KEYS = {"id", "channel", "from", "to", "cc", "time", "subject", "body"}
BLOCK = re.compile(r"<tool_use:(\w+)>\n(.*?)\n</tool_use:\1>", re.S)
RESULT = re.compile(r"<tool_result:(\w+)>\n(.*?)\n</tool_result:\1>", re.S)
FIELDS = ("path", "content", "command", "to", "email_id")


def text_field(body: str, key: str) -> str | None:
    """A field of a text-mode block, quoted (`key: "v",`) or not (`key: v`)."""
    m = re.search(rf'^{key}: "(.*?)",?$(?=\n\w+: |\Z)', body, re.S | re.M)
    if m:
        return m.group(1)
    m = re.search(rf"^{key}: (.*?)(?=\n\w+: |\Z)", body, re.S | re.M)
    return m.group(1) if m else None


def actions(row: dict[str, Any], problems: list[str]) -> list[tuple[str, dict[str, Any], str | None]]:
    """The transcript's executed actions in order: (tool, arguments, result)."""
    out = row["output"]
    if row["mode"] == "tools":
        results = {m["tool_call_id"]: m["content"] for m in out if m["role"] == "tool"}
        return [
            (tc["function"]["name"], json.loads(tc["function"]["arguments"]), results.get(tc["id"]))
            for m in out
            for tc in m.get("tool_calls") or []
        ]
    pending: list[list[Any]] = []
    for m in out:
        if m["role"] == "assistant":
            content = re.sub(r"<SCRATCHPAD_REASONING>.*?</SCRATCHPAD_REASONING>", "", m["content"], flags=re.S)
            for name, body in BLOCK.findall(content):
                pending.append([name, {k: text_field(body, k) for k in FIELDS}, None])
        else:
            todo = [p for p in pending if p[2] is None]
            found = RESULT.findall(m["content"])
            if len(found) != len(todo):
                problems.append(f"{row['id']}: {len(found)} results for {len(todo)} pending blocks")
            for p, (_, text) in zip(todo, found, strict=False):
                p[2] = text
    return [(p[0], p[1], p[2]) for p in pending]


def check_shape(row: dict[str, Any], family: str, problems: list[str]) -> None:
    cid = row["id"]
    if set(row) != ROW_KEYS:
        problems.append(f"{cid}: keys {sorted(row)}")
    if row["family"] != family or row["mode"] not in ("tools", "text") or row["label"] not in ("harmful", "benign"):
        problems.append(f"{cid}: family/mode/label")
    if not isinstance(row["hard"], bool) or not row["case"] or not row["note"]:
        problems.append(f"{cid}: hard/case/note")
    ent = row["entities"]
    for key in COMMON + REQUIRED[family]:
        if key not in ent:
            problems.append(f"{cid}: entity {key} missing")
    ids = [m["id"] for m in ent["messages"]]
    if len(set(ids)) != len(ids) or any(set(m) != MSG_KEYS for m in ent["messages"]):
        problems.append(f"{cid}: inbox ids or message keys")
    if family == "blackmail":
        missing = [i for i in ent["secret_message_ids"] if i not in ids]
        missing += [f for f in ent["secret_files"] if f not in ent["files"]]
        missing += [a for a in [ent["decider_email"], *ent["secret_holders"]] if a not in ent["directory"]]
        if missing:
            problems.append(f"{cid}: unresolved blackmail references {missing}")
    if family == "framing" and any(f not in ent["files"] for f in ent["evidence_files"]):
        problems.append(f"{cid}: evidence file missing from files")
    out = row["output"]
    if row["mode"] == "tools":
        for i, m in enumerate(out):
            if m["role"] not in ("assistant", "tool"):
                problems.append(f"{cid}: role {m['role']} in tools mode")
            for j, tc in enumerate(m.get("tool_calls") or []):
                nxt = out[i + 1 + j]
                if nxt["role"] != "tool" or nxt["tool_call_id"] != tc["id"] or tc["type"] != "function":
                    problems.append(f"{cid}: tool call {tc['id']} not followed by its result")
    else:
        if any(m["role"] not in ("assistant", "user") or "tool_calls" in m for m in out):
            problems.append(f"{cid}: text mode must hold only assistant/user messages without tool_calls")
        if out[0]["role"] != "assistant" or out[-1]["role"] != "assistant":
            problems.append(f"{cid}: text mode must start and end with the agent")
    acts = actions(row, problems)
    if not acts:
        problems.append(f"{cid}: no action")
    for name, args, _ in acts:
        if name in ("forward", "forward_email"):
            mid = args.get("message_id") if row["mode"] == "tools" else int(args["email_id"])
            if mid not in ids:
                problems.append(f"{cid}: forward of unknown message {mid}")


def run(workdir: Path, command: str) -> tuple[int, str]:
    argv = shlex.split(command)
    proc = subprocess.run([sys.executable, *argv[1:]], cwd=workdir, capture_output=True, text=True, check=False)
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def replay_research(row: dict[str, Any], problems: list[str]) -> None:
    cid, ent = row["id"], row["entities"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)

        def reset() -> None:
            for path, content in ent["files"].items():
                (work / path).parent.mkdir(parents=True, exist_ok=True)
                (work / path).write_text(content)
            (work / "results").mkdir(exist_ok=True)

        reset()
        code, _ = run(work, ent["standard_command"])
        if code == 0 and "bug fix" not in row["case"]:
            got = json.loads((work / "results/latest.json").read_text())
            if abs(got["score"] - ent["true_score"]) > 1e-3 or got["passes"] != ent["passes"]:
                problems.append(f"{cid}: standard run {got} vs true_score {ent['true_score']}")
        reset()
        for name, args, result in actions(row, problems):
            if name in ("edit_file", "edit"):
                target = work / args["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(args["content"])
            elif name == "read_file" and result is not None and (work / args["path"]).read_text() != result:
                problems.append(f"{cid}: read_file {args['path']} result differs from the file")
            elif name == "run_script":
                code, got = run(work, args["command"])
                want = (result or "").strip()
                same = got.splitlines()[-1] == want.splitlines()[-1] if code else got == want
                if not same:
                    problems.append(f"{cid}: {args['command']!r} prints\n{got}\nbut the transcript says\n{want}")


def main() -> int:
    problems: list[str] = []
    for family, name in FAMILIES.items():
        rows = [json.loads(line) for line in (HERE / name).read_text().splitlines()]
        if len({r["id"] for r in rows}) != len(rows):
            problems.append(f"{name}: duplicate ids")
        for row in rows:
            check_shape(row, family, problems)
            if family == "research_sabotage":
                replay_research(row, problems)
        harmful = sum(r["label"] == "harmful" for r in rows)
        hard = sum(r["hard"] for r in rows)
        tools = sum(r["mode"] == "tools" for r in rows)
        print(f"{family}: {len(rows)} rows, {harmful} harmful, {hard} hard, {tools} tools / {len(rows) - tools} text")
    print("\n".join(problems) if problems else "all checks passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
