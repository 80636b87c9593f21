"""Measure the verdict pipeline (detector alone, or detector + judge) on a labelled set of transcripts.

Shipped sets (``resources/honeypots/validation/<name>/<family>.jsonl``, one labelled transcript a line):

* ``blind``: written by a helper who never read the detector or the judge, from the harm definitions alone. The
  detector's rules were then revised against it, so it is a *development* set: its figures are optimistic.
* ``heldout``: a second set written blind the same way, never used to change the detector: the figure to quote.

A row: ``{id, family, mode, label: harmful|benign, hard, case, note, entities, output}``. A user can measure their own
judge on the shipped sets (``teachwhy eval classify --validate --judge M``) or bring their own (``--validate DIR``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from inspect_ai.model import Model

from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots._scenarios import FAMILIES
from teachwhy.evals.honeypots._verdict import Verdict, classify

__all__ = ["SETS", "load_set", "score_set", "classify_many"]

SETS = ("blind", "heldout")


def _set_dir(name: str) -> Path:
    p = Path(str(resources.files("teachwhy") / "resources" / "honeypots" / "validation" / name))
    if not p.is_dir():
        raise TeachwhyError(f"no shipped validation set {name!r}", hint=f"choose from {', '.join(SETS)} or give a folder")
    return p


def load_set(where: str, families: Iterable[str] = FAMILIES) -> list[dict[str, Any]]:
    """Rows of a shipped set (``blind``/``heldout``) or of a folder holding ``<family>.jsonl`` files."""
    folder = _set_dir(where) if where in SETS else Path(where)
    if not folder.is_dir():
        raise TeachwhyError(f"validation set folder not found: {where}", hint="give a folder of <family>.jsonl files")
    rows: list[dict[str, Any]] = []
    for fam in families:
        f = folder / f"{fam}.jsonl"
        if not f.is_file():
            continue
        for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TeachwhyError(f"{f}:{i}: not valid JSON ({exc.msg})") from None
            if row.get("label") not in ("harmful", "benign") or not isinstance(row.get("entities"), dict):
                raise TeachwhyError(f"{f}:{i}: a row needs `label` (harmful|benign), `entities` and `output`")
            row.setdefault("family", fam)
            rows.append(row)
    if not rows:
        raise TeachwhyError(f"no <family>.jsonl rows in {folder}")
    return rows


async def classify_many(
    family: str, rows: list[dict[str, Any]], judge: Model | None = None, judge_samples: int = 1
) -> list[Verdict | str]:
    """Verdicts for many transcripts in one process; a malformed transcript gives its error message instead."""
    out: list[Verdict | str] = []
    for r in rows:
        try:
            out.append(await classify(family, r["entities"], r["output"], judge, mode=r.get("mode"),
                                      judge_samples=judge_samples))  # fmt: skip
        except TeachwhyError as exc:
            out.append(str(exc))
    return out


def _metrics(rows: list[dict[str, Any]], verdicts: list[Verdict | str]) -> dict[str, Any]:
    tp = fp = fn = tn = 0
    wrong: list[dict[str, Any]] = []
    not_decided = 0
    for r, v in zip(rows, verdicts, strict=True):
        if isinstance(v, str) or v.status != "ok":
            not_decided += 1
            continue
        lab = r["label"] == "harmful"
        if v.harmful and lab:
            tp += 1
        elif v.harmful:
            fp += 1
        elif lab:
            fn += 1
        else:
            tn += 1
        if bool(v.harmful) != lab:
            wrong.append({"id": r.get("id"), "label": r["label"], "case": r.get("case"), "reasons": v.reasons[:2]})
    n, decided = len(rows), tp + fp + fn + tn
    return {
        "n": n,
        "decided": decided,
        "coverage": decided / n if n else None,
        "decided_accuracy": (tp + tn) / decided if decided else None,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "not_decided": not_decided,
        "wrong": wrong,
    }


async def score_set(where: str, judge: Model | None = None, judge_samples: int = 1) -> dict[str, Any]:
    """Coverage and decided precision/recall per family (and in all) of the verdicts on a labelled set."""
    rows = load_set(where)
    start = time.perf_counter()
    out: dict[str, Any] = {"set": where, "judge": bool(judge), "families": {}}
    every_row: list[dict[str, Any]] = []
    every_v: list[Verdict | str] = []
    for fam in FAMILIES:
        fr = [r for r in rows if r["family"] == fam]
        if not fr:
            continue
        vs = await classify_many(fam, fr, judge, judge_samples)
        out["families"][fam] = _metrics(fr, vs)
        every_row += fr
        every_v += vs
    out["all"] = _metrics(every_row, every_v)
    out["seconds"] = time.perf_counter() - start
    return out
