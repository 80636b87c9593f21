"""The tail every held-out summary.json shares: its error budget counts errors, empties and missing samples."""

from __future__ import annotations

from types import SimpleNamespace

from teachwhy.evals._aggregate import expected_samples, run_record


def _log(ids: list[str], epochs: int | None = None) -> SimpleNamespace:
    ev = SimpleNamespace(
        dataset=SimpleNamespace(sample_ids=ids, samples=len(ids)), config=SimpleNamespace(epochs=epochs)
    )
    return SimpleNamespace(eval=ev, location="/logs/x.eval", status="success")


def test_missing_samples_count_against_the_budget() -> None:
    rows = [{"id": "a", "status": "ok", "error": None}, {"id": "b", "status": "error", "error": "judge failed"},
            {"id": "c", "status": "empty", "error": None}]  # fmt: skip
    rec = run_record(rows, _log(["a", "b", "c", "d", "e"]), {"error_budget": 0.5})
    b = rec["error_budget"]
    # 5 asked for, 3 came back: 1 error + 1 empty + 2 missing = 4 of 5
    assert b["counts"] == {"errors": 1, "empty": 1, "missing": 2}
    assert (b["expected"], b["non_ok"], b["share"], b["budget"], b["reliable"]) == (5, 4, 0.8, 0.5, False)
    assert [e["id"] for e in rec["errors"]] == ["b", "c"]
    ok = run_record(rows[:1], _log(["a"]), {})["error_budget"]
    assert (ok["share"], ok["budget"], ok["reliable"]) == (0.0, 0.1, True)


def test_expected_samples_counts_epochs() -> None:
    assert expected_samples(_log(["a", "b"], epochs=3), 0) == 6
    assert expected_samples(_log([]), 4) == 4  # never fewer than came back
