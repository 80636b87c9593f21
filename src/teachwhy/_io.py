"""Crash-safe file output: atomic whole-file writes and append-only JSONL whose lines are never half-written."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from teachwhy.errors import TeachwhyError

__all__ = ["atomic_write_text", "atomic_write_json", "append_jsonl", "read_jsonl", "JsonlError"]


class JsonlError(TeachwhyError, ValueError):
    """A JSONL file holds a line that is not valid JSON (shown at the CLI as ``error: FILE:LINE: …``)."""


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temp file and rename: readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, data: Any) -> None:
    """Atomically write ``data`` as indented JSON."""
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _torn_tail(path: Path) -> bool:
    """Whether ``path`` ends in an unterminated line (a write cut short by a crash)."""
    try:
        with open(path, "rb") as f:
            f.seek(-1, os.SEEK_END)
            return f.read(1) != b"\n"
    except OSError:  # missing or empty
        return False


_APPEND_LOCK = threading.Lock()
"""Serializes appends within a process: evals append from worker threads (``asyncio.to_thread``), and a row longer
than the write buffer reaches the file in pieces, which another thread would take for a crash's torn tail."""


def append_jsonl(path: Path, row: Any) -> None:
    """Append one JSON line with a single write and fsync.

    A torn tail left by a crash is first closed with a newline, so the new row never glues onto it (the reader
    skips the torn fragment as an invalid, unfinished line). Thread-safe within a process (one lock: appends are
    small); each process of a multi-process run writes its own ledger.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(row, ensure_ascii=False, default=str) + "\n"
    with _APPEND_LOCK:
        if _torn_tail(path):
            line = "\n" + line
        with open(path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())


def read_jsonl(path: Path, *, skip_torn: bool = True) -> Iterator[dict[str, Any]]:
    """Yield rows; a torn final line (a crash mid-write, no trailing newline) is ignored as unfinished.

    With ``skip_torn`` (ledgers this package appends to) a line that is invalid JSON but was later closed by
    :func:`append_jsonl` (a torn write followed by a newline and more rows) is also skipped: it never finished.
    Any other invalid line raises :class:`JsonlError` naming the file and line.
    """
    if not path.exists():
        return
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise JsonlError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    lines = text.split("\n")
    if not text.endswith("\n"):
        lines = lines[:-1]  # the unterminated tail was never completed
    for i, line in enumerate(lines):
        if line.strip():
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                if skip_torn and _looks_torn(line, lines, i):
                    continue
                raise JsonlError(f"{path}:{i + 1}: not valid JSON ({exc.msg} at column {exc.colno})",
                                 hint="each line must be one JSON object") from None  # fmt: skip
            if not isinstance(row, dict):
                raise JsonlError(f"{path}:{i + 1}: expected a JSON object, got {type(row).__name__}",
                                 hint="each line must be one JSON object") from None  # fmt: skip
            yield row


def _looks_torn(line: str, lines: list[str], i: int) -> bool:
    """A prefix of a JSON object that stops short (what a crash mid-append leaves), followed by more lines."""
    if not line.startswith("{") or i == len(lines) - 1:
        return False
    try:
        json.loads(line)
    except json.JSONDecodeError as exc:
        return exc.pos >= len(line.rstrip()) or exc.msg.startswith("Unterminated string")  # input ran out
    return False
