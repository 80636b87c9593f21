"""Shared CLI plumbing: error handling and the 'not available yet' answer."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from teachwhy.errors import NotAvailableError, TeachwhyError

__all__ = ["run_guarded", "not_available", "fail"]


def run_guarded(app: typer.Typer) -> int:
    """Run ``app``; a TeachwhyError prints ``error: …`` (and its fix) on stderr and returns 2, no traceback."""
    try:
        app(standalone_mode=False)
    except TeachwhyError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 130
    except KeyboardInterrupt:
        typer.echo("interrupted: finished work is saved; run the same command again to resume", err=True)
        return 130
    except Exception as exc:  # click usage errors, inspect's missing-prerequisite errors
        import re

        import click
        from inspect_ai._util.error import PrerequisiteError

        if isinstance(exc, PrerequisiteError):
            typer.echo("error: " + re.sub(r"\[/?bold\]", "", str(exc.message)).strip(), err=True)
            return 2

        if isinstance(exc, click.exceptions.ClickException):
            exc.show(file=sys.stderr)
            return exc.exit_code
        raise
    return 0


def not_available(what: str, issue: int) -> NoReturn:
    """Fail honestly for a command whose implementation has not landed yet."""
    raise NotAvailableError(f"`teachwhy {what}` is not available yet (tracked in issue {issue})")


def fail(message: str, hint: str | None = None) -> NoReturn:
    """Raise a user-facing error."""
    raise TeachwhyError(message, hint)
