"""A progress line for the long assessment stage: which seed is at which auditor turn, and how many are judged.

``run_assessment(progress=fn)`` installs a :class:`Progress` for the duration of the run; the auditor and the judge
report to it through :func:`report`, which does nothing when no run installed one (``inspect eval`` directly).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Progress", "installed", "report"]


class Progress:
    """Counts judged samples and formats one line per event for ``emit``."""

    def __init__(self, total: int, emit: Callable[[str], None]) -> None:
        self.total = total
        self.emit = emit
        self.judged: dict[str, int] = {}

    def _head(self) -> str:
        done = sum(self.judged.values())
        parts = ", ".join(f"{n} {k}" for k, n in sorted(self.judged.items()))
        return f"assessment [{done}/{self.total} judged{': ' + parts if parts else ''}]"

    def event(self, seed: str, what: str, status: str | None = None) -> None:
        """Record an event of ``seed`` (``status`` set: a sample finished judging with that status) and emit."""
        if status is not None:
            self.judged[status] = self.judged.get(status, 0) + 1
        self.emit(f"{self._head()} {seed}: {what}")


_current: list[Progress] = []


@contextmanager
def installed(progress: Progress | None) -> Iterator[None]:
    """Make ``progress`` the one :func:`report` writes to, for the ``with`` block."""
    if progress is not None:
        _current.append(progress)
    try:
        yield
    finally:
        if progress is not None:
            _current.remove(progress)


def report(seed: str, what: str, status: str | None = None) -> None:
    """Report an event to the installed progress line, if any."""
    if _current:
        _current[-1].event(seed, what, status)
