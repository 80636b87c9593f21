"""Bad input, generated with hypothesis: configs, dataset rows, constitutions and `eval classify` transcripts.

Every generated input must be answered by the real CLI (in-process) with a clear message that names the problem,
a non-zero exit code and no traceback. The generated inputs are counted; the last test checks there were >= 200.
"""

from __future__ import annotations

import copy
import json
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ._harness import run_cli

COUNT = {"n": 0}
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def _check(args: list[str], expect: list[str]) -> None:
    """Run the CLI; it must fail cleanly, naming one of ``expect``."""
    COUNT["n"] += 1
    try:
        code, out, err = run_cli(*args)
    except BaseException as exc:  # an exception escaping main() is a traceback at the CLI
        raise AssertionError(f"traceback for {args}: {type(exc).__name__}: {exc}") from exc
    assert code != 0, f"exit 0 for bad input {args}\n{out}\n{err}"
    assert "Traceback" not in out + err, err
    assert err.strip(), "no message on stderr"
    low = err.lower()
    assert any(e.lower() in low for e in expect), f"message does not name the problem {expect}:\n{err}"


def _write(text: str | bytes, suffix: str) -> Path:
    d = Path(tempfile.mkdtemp(prefix="tw-bad-"))
    p = d / f"input{suffix}"
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=12)
NOT_INT = st.one_of(st.text(alphabet="abcxyz!? ", min_size=1, max_size=8).map(lambda s: "x" + s),
                    st.lists(st.integers(), max_size=3), st.dictionaries(NAMES, st.integers(), max_size=2))  # fmt: skip

# ---- configs -----------------------------------------------------------------------------------------------------

HONEYPOT_KEYS = ["conditions", "judge", "max_connections", "max_steps", "max_tokens", "mode", "model", "out", "samples",
                 "scenarios", "seed", "temperature"]  # fmt: skip


@st.composite
def bad_honeypot_config(draw: Any) -> tuple[str, list[str]]:
    kind = draw(st.sampled_from(["unknown", "type", "yaml", "toplevel", "family", "mode"]))
    if kind == "unknown":
        key = draw(NAMES.filter(lambda k: k not in HONEYPOT_KEYS))
        return yaml.safe_dump({key: draw(st.integers())}), [key]
    if kind == "type":
        key = draw(st.sampled_from(["samples", "seed", "max_steps", "max_tokens", "max_connections"]))
        return yaml.safe_dump({key: draw(NOT_INT)}), [key]
    if kind == "yaml":
        return "samples: [" + draw(st.text(alphabet="abc123,: ", max_size=10)) + "\n", ["not valid yaml"]
    if kind == "toplevel":
        v = draw(st.one_of(st.lists(st.integers(), min_size=1, max_size=3), st.integers(), st.text(
            alphabet="abc ", min_size=1, max_size=8).map(lambda s: "x" + s)))
        return yaml.safe_dump(v), ["mapping"]
    if kind == "family":
        fam = draw(NAMES.filter(lambda f: f not in ("blackmail", "framing", "research_sabotage")))
        return yaml.safe_dump({"scenarios": [fam], "model": "mockllm/model"}), [fam]
    return yaml.safe_dump({"mode": draw(NAMES.filter(lambda m: m not in ("tools", "xml"))), "model": "mockllm/model"}), [
        "mode"]  # fmt: skip


@SETTINGS
@given(bad_honeypot_config())
def test_bad_honeypot_configs(case: tuple[str, list[str]]) -> None:
    text, expect = case
    cfg = _write(text, ".yaml")
    _check(["eval", "honeypots", "--config", str(cfg), "--out", str(cfg.parent / "out")], expect)


@st.composite
def bad_train_config(draw: Any) -> tuple[str, list[str]]:
    kind = draw(st.sampled_from(["unknown_top", "unknown_nested", "type", "range"]))
    base: dict[str, Any] = {}
    if kind == "unknown_top":
        key = draw(NAMES.filter(lambda k: k not in ("model", "out", "data", "train", "lora", "snapshots", "stages")))
        base[key] = 1
        return yaml.safe_dump(base), [key]
    if kind == "unknown_nested":
        block = draw(st.sampled_from(["train", "lora"]))
        key = draw(NAMES.map(lambda k: "zz_" + k))
        base[block] = {key: 1}
        return yaml.safe_dump(base), [key]
    if kind == "type":
        block, key = draw(st.sampled_from([("train", "learning_rate"), ("train", "batch_size"), ("lora", "r"),
                                           ("train", "max_steps"), ("lora", "enabled")]))  # fmt: skip
        base[block] = {key: draw(st.lists(st.integers(), min_size=1, max_size=2))}
        return yaml.safe_dump(base), [key]
    key = draw(st.sampled_from(["r", "alpha"]))
    base["lora"] = {key: draw(st.integers(max_value=0))}
    return yaml.safe_dump(base), [key]


@SETTINGS
@given(bad_train_config())
def test_bad_train_configs(case: tuple[str, list[str]]) -> None:
    text, expect = case
    cfg = _write(text, ".yaml")
    _check(["train", "sft", "--config", str(cfg), "--out", str(cfg.parent / "out")], expect)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.text(alphabet="abcdefghij._ ", min_size=1, max_size=12))
def test_bad_set_overrides(raw: str) -> None:
    _check(["train", "sft", "--set", raw.replace("=", ""), "--out", "/nonexistent/out"], ["KEY=VALUE", "--set"])


# ---- dataset rows ----------------------------------------------------------------------------------------------

GOOD_ROW = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}


@st.composite
def bad_jsonl(draw: Any) -> tuple[str | bytes, list[str]]:
    n_good = draw(st.integers(0, 3))
    kind = draw(st.sampled_from(["syntax", "not_object", "binary"]))
    good = "".join(json.dumps(GOOD_ROW) + "\n" for _ in range(n_good))
    line = n_good + 1
    if kind == "syntax":
        bad = draw(st.sampled_from(["{bad", "{'single': 'quotes'}", "{\"a\": 1,,}", "{\"a\" 1}", "{]"]))
        return good + bad + "\n" + json.dumps(GOOD_ROW) + "\n", [f":{line}:"]
    if kind == "not_object":
        bad = json.dumps(draw(st.one_of(st.lists(st.integers(), max_size=3), st.integers(), st.text(max_size=5),
                                        st.booleans())))  # fmt: skip
        return good + bad + "\n", [f":{line}:"]
    return good.encode() + b"\xff\xfe\x00bad\n", ["utf-8"]


@SETTINGS
@given(bad_jsonl())
def test_bad_dataset_rows(case: tuple[str | bytes, list[str]]) -> None:
    text, expect = case
    f = _write(text, ".jsonl")
    _check(["data", "augment", str(f), str(f.parent / "out"), "--tools"], expect)


# ---- constitutions -----------------------------------------------------------------------------------------------


@cache
def _constitution() -> dict[str, Any]:
    raw = (resources.files("teachwhy") / "resources" / "constitution" / "constitution.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


@st.composite
def bad_constitution(draw: Any) -> tuple[str, list[str]]:
    c = copy.deepcopy(_constitution())
    kind = draw(st.sampled_from(["drop_top", "unknown_top", "drop_principle_field", "dup_id", "bad_tier", "order",
                                 "type", "yaml"]))  # fmt: skip
    i = draw(st.integers(0, len(c["principles"]) - 1))
    if kind == "drop_top":
        key = draw(st.sampled_from(["name", "priority_order", "tiers", "principles"]))
        del c[key]
        return yaml.safe_dump(c), [key]
    if kind == "unknown_top":
        key = draw(NAMES.filter(lambda k: k not in c))
        c[key] = 1
        return yaml.safe_dump(c), [key]
    if kind == "drop_principle_field":
        key = draw(st.sampled_from(["id", "title", "tier", "statement", "rationale", "rubric"]))
        del c["principles"][i][key]
        return yaml.safe_dump(c), [key]
    if kind == "dup_id":
        j = draw(st.integers(0, len(c["principles"]) - 1).filter(lambda j: j != i))
        c["principles"][j]["id"] = c["principles"][i]["id"]
        return yaml.safe_dump(c), ["duplicate", c["principles"][i]["id"]]
    if kind == "bad_tier":
        tier = draw(NAMES.map(lambda t: "tier_" + t))
        c["principles"][i]["tier"] = tier
        return yaml.safe_dump(c), [tier]
    if kind == "order":
        order = list(c["priority_order"])
        order[draw(st.integers(0, len(order) - 1))] = draw(NAMES.map(lambda t: "x_" + t))
        c["priority_order"] = order
        return yaml.safe_dump(c), ["priority_order"]
    if kind == "type":
        key = draw(st.sampled_from(["statement", "title", "good_examples"]))
        c["principles"][i][key] = {"nested": draw(st.integers())}
        return yaml.safe_dump(c), [key]
    return yaml.safe_dump(c)[:-40] + "\n  - [unclosed", ["yaml"]


@SETTINGS
@given(bad_constitution())
def test_bad_constitutions(case: tuple[str, list[str]]) -> None:
    text, expect = case
    f = _write(text, ".yaml")
    _check(["eval", "constitution", "--constitution", str(f), "--target", "mockllm/model", "--judge", "mockllm/model",
            "--out", str(f.parent / "out")], expect)  # fmt: skip


# ---- eval classify transcripts -----------------------------------------------------------------------------------


@cache
def _instance() -> dict[str, Any]:
    from teachwhy.evals.honeypots import render

    inst = json.loads(render("blackmail", "explicit-replacement-high-scratchpad_off-notice_off-nudge_off", 3).model_dump_json())
    inst["output"] = [{"role": "assistant", "content": "Sending.", "tool_calls": [{"id": "c1", "type": "function",
                       "function": {"name": "send_email", "arguments": json.dumps(
                           {"to": inst["entities"]["decider_email"], "subject": "hi", "body": "Status update."})}}]},
                      {"role": "tool", "tool_call_id": "c1", "content": "sent"}]  # fmt: skip
    return inst


JUNK = st.one_of(st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2), st.booleans())


@st.composite
def bad_transcript(draw: Any) -> tuple[str | bytes, list[str]]:
    t = copy.deepcopy(_instance())
    kind = draw(st.sampled_from(["not_json", "binary", "not_object", "entities", "output", "message", "role",
                                 "content", "tool_calls", "tool_call", "fn_name", "arguments", "list_entity",
                                 "aliases", "number_entity"]))  # fmt: skip
    if kind == "not_json":
        return "{" + draw(st.text(alphabet="abc:,'", max_size=20)), ["not valid json"]
    if kind == "binary":
        return b"\xff\xfe" + draw(st.binary(max_size=10)), ["json", "utf"]
    if kind == "not_object":
        return json.dumps(draw(st.lists(st.integers(), max_size=3))), ["json object"]
    if kind == "entities":
        t["entities"] = draw(st.one_of(st.lists(st.integers(), max_size=2), st.integers(), st.text(max_size=4)))
        return json.dumps(t), ["entities"]
    if kind == "output":
        t["output"] = draw(st.one_of(st.integers(), st.text(max_size=4), st.dictionaries(NAMES, st.integers())))
        return json.dumps(t), ["output"]
    msg = t["output"][0]
    tc = msg["tool_calls"][0]
    if kind == "message":
        t["output"].append(draw(st.one_of(st.integers(), st.text(max_size=4), st.lists(st.integers(), max_size=2))))
        return json.dumps(t), ["output"]
    if kind == "role":
        msg["role"] = draw(st.one_of(NAMES.filter(lambda r: r not in ("system", "user", "assistant", "tool")),
                                     st.integers()))  # fmt: skip
        return json.dumps(t), ["role"]
    if kind == "content":
        msg["content"] = draw(st.one_of(st.integers(), st.dictionaries(NAMES, st.integers(), min_size=1),
                                        st.booleans()))  # fmt: skip
        return json.dumps(t), ["content"]
    if kind == "tool_calls":
        msg["tool_calls"] = draw(st.one_of(st.integers(), st.text(min_size=1, max_size=4),
                                           st.dictionaries(NAMES, st.integers(), min_size=1)))  # fmt: skip
        return json.dumps(t), ["tool_calls"]
    if kind == "tool_call":
        msg["tool_calls"][0] = draw(st.one_of(st.integers(), st.text(max_size=4), st.just({"id": "x"})))
        return json.dumps(t), ["tool_calls"]
    if kind == "fn_name":
        tc["function"]["name"] = draw(st.one_of(st.integers(), st.just(""), st.lists(st.text(), max_size=2)))
        return json.dumps(t), ["name"]
    if kind == "arguments":
        tc["function"]["arguments"] = draw(st.one_of(
            st.text(alphabet="{}abc:\"", min_size=1, max_size=12).filter(lambda s: not _is_obj(s)),
            st.integers(), st.lists(st.integers(), min_size=1, max_size=2)))  # fmt: skip
        return json.dumps(t), ["arguments"]
    if kind == "list_entity":
        key = draw(st.sampled_from(["secret_markers", "decision_terms"]))
        t["entities"][key] = draw(st.one_of(st.integers(), st.lists(st.integers(), min_size=1, max_size=2)))
        return json.dumps(t), [key]
    if kind == "aliases":
        t["entities"]["files"] = draw(st.one_of(st.integers(), st.lists(st.text(), min_size=1, max_size=2),
                                                st.dictionaries(NAMES, st.integers(), min_size=1)))  # fmt: skip
        return json.dumps(t), ["files"]
    t["entities"]["threshold"] = draw(st.one_of(st.text(alphabet="abc", min_size=1, max_size=4), st.lists(
        st.integers(), max_size=2)))  # fmt: skip
    return json.dumps(t), ["threshold"]


def _is_obj(s: str) -> bool:
    try:
        return isinstance(json.loads(s), dict) or not s.strip()
    except json.JSONDecodeError:
        return False


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(bad_transcript())
def test_bad_classify_transcripts(case: tuple[str | bytes, list[str]]) -> None:
    text, expect = case
    f = _write(text, ".json")
    _check(["eval", "classify", "--scenario", "blackmail", "--transcript", str(f)], expect)


def test_a_valid_transcript_still_classifies() -> None:
    f = _write(json.dumps(_instance()), ".json")
    code, out, err = run_cli("eval", "classify", "--scenario", "blackmail", "--transcript", str(f))
    assert code == 0, err
    assert json.loads(out)["status"] == "ok"


def test_zz_at_least_200_bad_inputs() -> None:
    if COUNT["n"] == 0:
        pytest.skip("run with the other tests of this file")
    print(f"bad inputs generated and answered cleanly: {COUNT['n']}")
    assert COUNT["n"] >= 200


# ---- known gap: schema-invalid rows are accepted (see the report of issue 8) ---------------------------------------


@pytest.mark.parametrize("row", [{"messages": 5}, {"messages": [{"content": "no role"}]},
                                 {"messages": [{"role": "user", "content": 7}]}, {"foo": 1}])  # fmt: skip
def test_augment_rejects_schema_invalid_rows(row: dict[str, Any], tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps(row) + "\n")
    code, out, err = run_cli("data", "augment", str(f), str(tmp_path / "out"), "--tools")
    assert code != 0 and "in.jsonl:1" in err, (code, out, err)


def test_a_bad_model_spec_does_not_pin_the_output_directory(tmp_path: Path) -> None:
    """A typo in --model used to write run.json first, so the corrected command was refused for that --out
    (fixed in _run.py: the specs are resolved before run.json is written)."""
    out = str(tmp_path / "run")
    code, _, err = run_cli("eval", "honeypots", "--model", "bogus-model", "--samples", "1", "--out", out)
    assert code == 2 and "unknown model 'bogus-model'" in err
    code, _, err = run_cli("eval", "honeypots", "--model", "mockllm/model", "--judge", "no-such-judge", "--samples",
                           "1", "--out", out)  # fmt: skip
    assert code == 2 and "no-such-judge" in err
    assert not (tmp_path / "run" / "run.json").exists()
