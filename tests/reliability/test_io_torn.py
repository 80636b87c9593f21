"""``_io`` under crashes: a torn tail (a kill mid-append) never glues onto the next row, and bad lines are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teachwhy._io import JsonlError, append_jsonl, read_jsonl
from teachwhy.errors import TeachwhyError

ROWS = st.lists(st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=20)), max_size=3),
                min_size=1, max_size=5)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(ROWS, st.data(), ROWS)
def test_append_after_a_torn_tail_keeps_every_finished_row(before: list, data: st.DataObject, after: list) -> None:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "ledger.jsonl"
    for r in before:
        append_jsonl(path, r)
    line = json.dumps({"torn": "x" * 30}) + "\n"
    cut = data.draw(st.integers(1, len(line) - 2))  # a write cut short by kill -9 (never the full line)
    with open(path, "a", encoding="utf-8") as f:
        f.write(line[:cut])
    assert list(read_jsonl(path)) == before  # the torn tail is ignored
    for r in after:  # the rerun appends
        append_jsonl(path, r)
    assert list(read_jsonl(path)) == before + after


def test_a_corrupt_line_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "data.jsonl"
    p.write_text('{"a": 1}\n{bad\n{"b": 2}\n')
    with pytest.raises(JsonlError, match=r"data.jsonl:2: not valid JSON") as exc:
        list(read_jsonl(p))
    assert isinstance(exc.value, TeachwhyError) and isinstance(exc.value, ValueError)
    p.write_text('{"a": 1}\n[1, 2]\n')
    with pytest.raises(JsonlError, match=r"data.jsonl:2: expected a JSON object, got list"):
        list(read_jsonl(p))
