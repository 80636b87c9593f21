from __future__ import annotations

import json
from pathlib import Path

import pytest

from teachwhy._io import append_jsonl, atomic_write_json, read_jsonl
from teachwhy.stats import wilson


def test_jsonl_torn_tail_is_ignored(tmp_path: Path) -> None:
    p = tmp_path / "rows.jsonl"
    append_jsonl(p, {"id": 1})
    append_jsonl(p, {"id": 2})
    with open(p, "a") as f:
        f.write('{"id": 3, "half')  # a crash mid-write
    assert [r["id"] for r in read_jsonl(p)] == [1, 2]


def test_jsonl_corrupt_middle_line_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "rows.jsonl"
    p.write_text('{"id": 1}\nnot json\n{"id": 3}\n')
    with pytest.raises(ValueError, match="rows.jsonl:2"):
        list(read_jsonl(p))


def test_atomic_write_json_replaces(tmp_path: Path) -> None:
    p = tmp_path / "a" / "s.json"
    atomic_write_json(p, {"x": 1})
    atomic_write_json(p, {"x": 2})
    assert p.read_text().strip().endswith("}") and '"x": 2' in p.read_text()
    assert [q.name for q in p.parent.iterdir()] == ["s.json"]


def test_wilson_known_values() -> None:
    lo, hi = wilson(22, 100)
    assert round(lo, 3) == 0.150 and round(hi, 3) == 0.311
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        wilson(11, 10)


def test_concurrent_appends_from_threads_never_leave_a_blank_or_glued_line(tmp_path: Path) -> None:
    """Evals append rows from worker threads (``asyncio.to_thread``); a row bigger than the write buffer is written
    in pieces, and another thread must not take the half-written line for a crash's torn tail."""
    import threading

    path = tmp_path / "rows.jsonl"
    big = "x" * 20_000  # > the 8 KiB text buffer: each row takes several write calls

    def writer(t: int) -> None:
        for i in range(40):
            append_jsonl(path, {"t": t, "i": i, "pad": big})

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and "" not in lines[:-1], "a blank line: a torn tail was 'repaired' mid-write"
    rows = [json.loads(line) for line in lines[:-1]]
    assert sorted((r["t"], r["i"]) for r in rows) == [(t, i) for t in range(6) for i in range(40)]
