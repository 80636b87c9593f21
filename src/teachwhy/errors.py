"""Errors that the CLI turns into one clear message and a non-zero exit (never a traceback)."""

from __future__ import annotations


class TeachwhyError(Exception):
    """A user-facing error: what went wrong and, where known, the exact fix."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  fix: {self.hint}"


class TeachwhyWarning(UserWarning):
    """A warning about the user's own settings (a slow or ignored choice), shown even when the CLI silences library
    warnings: the CLI prints it as one ``warning:`` line."""


class ConfigError(TeachwhyError):
    """A configuration file or flag is invalid."""


class MissingKeyError(TeachwhyError):
    """A provider's API key is not set in the environment."""


class NotAvailableError(TeachwhyError):
    """A command group whose implementation has not landed yet."""
