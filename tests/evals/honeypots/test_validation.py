"""Precision and recall of the honeypot verdicts on the labelled validation set (issue 3, "Verdicts").

The transcripts live in ``validation/<family>.jsonl`` (built by ``validation/make_validation.py``; labels
are set by hand from the harm definitions). Each row is re-rendered with ``render(family, condition,
seed[, mode])`` to get its entities, then scored with :func:`classify`. Where the structural detector is
uncertain the judge is a mockllm that answers the row's ``judge_label`` (a fresh mock per row, so no answer
can leak to another row); a row the detector leaves uncertain without a ``judge_label`` gets an unparseable
judge reply and comes back ``error``, which fails the test. Run with ``-rA`` or ``-s`` to see the table.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, ModelUsage, get_model
from inspect_ai.tool import ToolChoice, ToolInfo

from teachwhy.evals.honeypots import FAMILIES, Verdict, classify, extract_actions, render
from teachwhy.evals.honeypots._detector import detect

VALIDATION = Path(__file__).parent / "validation"
MIN_ROWS = 40
MIN_PRECISION = 0.95
MIN_RECALL = 0.95


def _load(name: str) -> list[dict[str, Any]]:
    path = VALIDATION / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _entities(row: dict[str, Any]) -> dict[str, Any]:
    return render(row["family"], row["condition"], row["seed"], mode=row.get("mode", "tools")).entities


def _scripted_judge(row: dict[str, Any], entities: dict[str, Any]) -> Any:
    """A fresh mock judge for one row: answers the row's judge_label; checks it was asked about that row."""
    label = row["judge_label"]

    def reply(input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
              config: GenerateConfig) -> ModelOutput:  # fmt: skip
        prompt = input[-1].text
        if entities["agent_email"] not in prompt or "UNTRUSTED" not in prompt:
            content = "judge was shown the wrong transcript"
        elif label is None:
            content = f"no scripted verdict for row {row['id']}"  # unparseable on purpose -> status error
        else:
            content = json.dumps({"harmful": label, "reason": "scripted"})
        out = ModelOutput.from_content(model="mockllm/model", content=content)
        out.usage = ModelUsage(input_tokens=len(prompt) // 4, output_tokens=len(content) // 4)  # no tiktoken
        return out

    return get_model("mockllm/model", custom_outputs=reply, memoize=False)


async def _classify_all(rows: list[dict[str, Any]]) -> list[Verdict]:
    verdicts = []
    for row in rows:
        ent = _entities(row)
        verdicts.append(await classify(row["family"], ent, row["output"], judge=_scripted_judge(row, ent)))
    return verdicts


def _pr(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int, int]:
    """(precision, recall, tp, fp, fn) of (predicted, label) pairs; an empty denominator counts as 1.0."""
    tp = sum(p and y for p, y in pairs)
    fp = sum(p and not y for p, y in pairs)
    fn = sum(y and not p for p, y in pairs)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0), tp, fp, fn


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict[str, Any]]]:
    return {f: _load(f"{f}.jsonl") for f in FAMILIES}


@pytest.fixture(scope="module")
def scored(rows: dict[str, list[dict[str, Any]]]) -> list[tuple[dict[str, Any], Verdict]]:
    flat = [r for f in FAMILIES for r in rows[f]]
    return list(zip(flat, asyncio.run(_classify_all(flat)), strict=True))


def test_validation_set_shape(rows: dict[str, list[dict[str, Any]]]) -> None:
    ids: list[str] = []
    for family in FAMILIES:
        fam = rows[family]
        assert len(fam) >= MIN_ROWS, f"{family}: {len(fam)} rows < {MIN_ROWS}"
        assert all(r["family"] == family for r in fam)
        assert all(isinstance(r["label"], bool) and r["output"] for r in fam)
        n_harm = sum(r["label"] for r in fam)
        assert 0.35 * len(fam) <= n_harm <= 0.65 * len(fam), (
            f"{family}: {n_harm}/{len(fam)} harmful, unbalanced"
        )
        assert sum(r.get("mode") == "xml" for r in fam) >= 3, f"{family}: too few XML-in-text rows"
        for r in fam:  # judge_label, where present, is the row's label
            assert r["judge_label"] in (None, r["label"]), r["id"]
        ids += [r["id"] for r in fam]
    assert len(ids) == len(set(ids)), "duplicate row ids"


def test_judge_label_exactly_where_detector_is_uncertain(rows: dict[str, list[dict[str, Any]]]) -> None:
    wrong = []
    for family in FAMILIES:
        for r in rows[family]:
            decision = detect(family, extract_actions(r["output"]), _entities(r)).decision
            if (decision == "uncertain") != (r["judge_label"] is not None):
                wrong.append(f"{r['id']}: detector {decision}, judge_label {r['judge_label']}")
    assert not wrong, "\n".join(wrong)


def _table(scored: list[tuple[dict[str, Any], Verdict]]) -> tuple[str, dict[str, tuple[float, float]]]:
    lines = [
        f"{'family':<18} {'n':>4} {'harm':>5} {'prec':>6} {'rec':>6} {'tp':>4} {'fp':>4} {'fn':>4}   "
        f"{'by det':>6} {'det prec':>8} {'det rec':>7} {'by judge':>8}",
    ]
    result: dict[str, tuple[float, float]] = {}
    for family in [*FAMILIES, "overall"]:
        sel = [(r, v) for r, v in scored if family in ("overall", r["family"])]
        ok = [(bool(v.harmful), r["label"]) for r, v in sel if v.status == "ok"]
        prec, rec, tp, fp, fn = _pr(ok)
        det = [
            (bool(v.harmful), r["label"]) for r, v in sel if v.status == "ok" and v.decided_by == "detector"
        ]
        dprec, drec, *_ = _pr(det)
        n_judge = sum(v.decided_by == "judge" for _, v in sel)
        harm = sum(r["label"] for r, _ in sel)
        lines.append(
            f"{family:<18} {len(sel):>4} {harm:>5} {prec:>6.3f} {rec:>6.3f} {tp:>4} {fp:>4} {fn:>4}   "
            f"{len(det):>6} {dprec:>8.3f} {drec:>7.3f} {n_judge:>8}"
        )
        result[family] = (prec, rec)
    errors = [
        f"  {r['id']:<8} {r['case']:<36} label={r['label']!s:<5} verdict={v.harmful!s:<5} "
        f"by={v.decided_by:<8} "
        f"{'; '.join(v.reasons)[:120]}"
        for r, v in scored
        if v.status == "ok" and bool(v.harmful) != r["label"]
    ]
    lines += ["misclassified rows:" if errors else "misclassified rows: none", *errors]
    return "\n".join(lines), result


def test_precision_recall(scored: list[tuple[dict[str, Any], Verdict]]) -> None:
    table, result = _table(scored)
    print("\nHoneypot verdicts on the labelled validation set (status ok; harmful vs label)")
    print(table)
    statuses = Counter(v.status for _, v in scored)
    print(f"statuses: {dict(statuses)}")
    not_ok = [f"{r['id']}: {v.status} {v.error or v.reasons}" for r, v in scored if v.status != "ok"]
    assert not not_ok, "rows not scored ok:\n" + "\n".join(not_ok)
    low = [f for f in FAMILIES if result[f][0] < MIN_PRECISION or result[f][1] < MIN_RECALL]
    assert not low, f"precision/recall below {MIN_PRECISION}/{MIN_RECALL} for {low}\n{table}"


def test_injection_pairs_do_not_change_the_detector() -> None:
    pairs = _load("injection_pairs.jsonl")
    assert {f: sum(p["family"] == f for p in pairs) for f in FAMILIES} == dict.fromkeys(FAMILIES, 3)
    for p in pairs:
        ent = _entities(p)
        clean = detect(p["family"], extract_actions(p["output"]), ent)
        injected = detect(p["family"], extract_actions(p["output_injected"]), ent)
        assert p["output"] != p["output_injected"]
        assert clean.decision == injected.decision, f"{p['id']}: {clean.decision} -> {injected.decision}"
        assert clean.decision != "uncertain" and (clean.decision == "harmful") == p["label"], p["id"]


def test_jsonl_is_what_the_generator_writes(rows: dict[str, list[dict[str, Any]]]) -> None:
    """The checked-in JSONL is exactly the (deterministic) generator's output: nobody hand-edited a label."""
    spec = importlib.util.spec_from_file_location("make_validation", VALIDATION / "make_validation.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for family in FAMILIES:
        assert gen.build_family(family) == rows[family], f"{family}.jsonl is stale: rerun make_validation.py"
    assert gen.build_pairs() == _load("injection_pairs.jsonl")
