"""Shared CLI plumbing: one way to end on an error, quiet library output, and the checks every command runs first.

Every error a user can cause ends the same way: one ``error: …`` line (indented detail lines may follow), one
``fix: …`` line, exit code 2, no traceback — for teachwhy's own errors, Click/Typer usage errors (unknown command or
option, bad value, missing argument) and inspect_ai's missing-prerequisite errors alike.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings
from pathlib import Path
from typing import Any, NoReturn

import typer

from teachwhy.errors import NotAvailableError, TeachwhyError, TeachwhyWarning

__all__ = [
    "fail",
    "not_available",
    "print_error",
    "quiet_libraries",
    "readable_dir",
    "readable_file",
    "run_guarded",
    "set_verbose",
    "usage_error_text",
]

# rich style tags that libraries put into plain-text messages ("[bold][blue]KEY[/blue][/bold]")
_MARKUP = re.compile(
    r"\[/?(?:bold|italic|dim|underline|strike|reverse|blink|b|i|u|s|red|green|yellow|blue|magenta|cyan|white|"
    r"black|bright_\w+|link[^\]]*)(?: (?:on )?\w+)*\]"
)


def strip_markup(text: str) -> str:
    """Remove rich style tags such as ``[bold]`` from a message meant for a plain terminal.

    >>> strip_markup("No [bold][blue]OPENAI_API_KEY[/blue][/bold] defined")
    'No OPENAI_API_KEY defined'
    >>> strip_markup("allowed: [tools, xml]")
    'allowed: [tools, xml]'
    """
    return _MARKUP.sub("", text)


def print_error(message: str, hint: str | None) -> None:
    """Print ``error: message`` and ``fix: hint`` on stderr (rich markup removed)."""
    typer.echo(f"error: {strip_markup(message).strip()}", err=True)
    typer.echo(f"fix: {strip_markup(hint or _help_hint()).strip()}", err=True)


def _help_hint() -> str:
    """The fallback fix: the --help of the command the user ran (taken from argv, options dropped)."""
    words = [a for a in sys.argv[1:] if not a.startswith("-")][:2]
    return f"run `teachwhy {' '.join([*words, '--help']).strip()}` to see what it accepts"


def usage_error_text(exc: Any) -> tuple[str, str]:
    """``(error, fix)`` for a Click/Typer usage error, keeping Click's suggestion ("did you mean …").

    Unknown command, unknown option, invalid value, missing argument/option, unexpected extra argument.
    """
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "teachwhy"
    help_cmd = f"`{path} --help`"
    kind = type(exc).__name__
    raw = str(getattr(exc, "message", "") or "")
    if kind == "NoSuchOption":
        option = getattr(exc, "option_name", "") or raw.removeprefix("No such option: ")
        near = list(getattr(exc, "possibilities", None) or [])  # Click's order: closest first
        fix = (f"did you mean {' or '.join(near)}? " if near else "") + f"{help_cmd} lists the options"
        return f"{path}: no such option {option}", fix
    cmd = re.match(r"No such command '(?P<name>.+?)'\.?(?: Did you mean (?P<near>.+?)\?)?$", raw)
    if cmd:
        suggestion = cmd.group("near")
        fix = (f"did you mean {suggestion}? " if suggestion else "") + f"{help_cmd} lists the commands"
        return f"{path}: no such command '{cmd.group('name')}'", fix
    message = exc.format_message()
    message = message[:1].lower() + message[1:]
    param = _param_hint(exc)
    if kind == "MissingParameter":
        if getattr(getattr(exc, "param", None), "param_type_name", "") == "argument":
            param = f"the {param.strip(chr(39)).upper()} argument"
        return f"{path}: {message}", f"add {param} (see {help_cmd})"
    if kind == "BadParameter":
        return f"{path}: {message}", f"give {param} a value of the kind named (see {help_cmd})"
    if raw.startswith("Got unexpected extra argument"):
        return f"{path}: {message}", f"remove the extra argument(s), or name the option they belong to ({help_cmd})"
    return f"{path}: {message}", f"see {help_cmd}"


def _param_hint(exc: Any) -> str:
    hint = getattr(exc, "param_hint", None)
    if hint is None and getattr(exc, "param", None) is not None:
        try:
            hint = exc.param.get_error_hint()
        except Exception:  # older/newer Click signatures
            hint = None
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    return str(hint or "the parameter")


def run_guarded(app: typer.Typer) -> int:
    """Run ``app`` and return the exit code: errors print ``error:`` / ``fix:`` on stderr and return 2."""
    from inspect_ai._util.error import PrerequisiteError

    try:
        rv = app(standalone_mode=False)
    except TeachwhyError as exc:
        print_error(exc.message, exc.hint)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 130
    except KeyboardInterrupt:
        return _interrupted()
    except PrerequisiteError as exc:
        text = " ".join(strip_markup(str(exc.message)).replace("ERROR:", "").split())
        print_error(text, "install or set what it names, or choose another model")
        return 2
    except typer.TyperException as exc:  # Click/Typer usage errors (typer vendors Click as typer._click)
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(exc.format_message())  # a group run bare: its help, not an error
            return 0
        print_error(*usage_error_text(exc))
        return 2
    # Outside standalone mode Click returns the code of a `typer.Exit` (130 for Ctrl-C) instead of raising it.
    if isinstance(rv, int) and not isinstance(rv, bool):
        return _interrupted() if rv == 130 else rv
    return 0


def _interrupted() -> int:
    typer.echo("interrupted: finished work is saved; run the same command again to resume", err=True)
    return 130


def quiet_libraries() -> None:
    """Default output: no FutureWarning/UserWarning/DeprecationWarning from libraries, transformers and datasets
    at error level, inspect_ai at warning level. ``-v`` (:func:`set_verbose`) turns them back on."""
    for category in (FutureWarning, UserWarning, DeprecationWarning):
        warnings.filterwarnings("ignore", category=category)
    show_own_warnings()
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("DATASETS_VERBOSITY", "error")
    os.environ.setdefault("INSPECT_LOG_LEVEL", "warning")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # "Loading weights" bars; training bars stay
    for name in ("transformers", "datasets", "accelerate", "peft", "trl", "httpx"):
        logging.getLogger(name).setLevel(logging.ERROR)


def show_own_warnings() -> None:
    """teachwhy's own warnings (:class:`~teachwhy.errors.TeachwhyWarning`: a slow or ignored setting of the user's)
    are always shown, once each, as one ``warning: ...`` line on stderr; other warnings keep Python's format."""
    warnings.filterwarnings("default", category=TeachwhyWarning)
    previous = warnings.showwarning
    if getattr(previous, "_teachwhy", False):
        return

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:  # fmt: skip
        if issubclass(category, TeachwhyWarning):
            print(f"warning: {message}", file=sys.stderr, flush=True)
        else:
            previous(message, category, filename, lineno, file, line)

    show._teachwhy = True  # type: ignore[attr-defined]
    warnings.showwarning = show


def set_verbose() -> None:
    """``-v``: library warnings, info logs and loading bars are shown again (the libraries read these settings when
    first imported, which the CLI does lazily, after this runs)."""
    warnings.resetwarnings()
    warnings.simplefilter("default")
    show_own_warnings()
    os.environ["TRANSFORMERS_VERBOSITY"] = "info"
    os.environ["DATASETS_VERBOSITY"] = "info"
    os.environ["INSPECT_LOG_LEVEL"] = "info"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "0"
    for name in ("transformers", "datasets", "accelerate", "peft", "trl", "httpx"):
        logging.getLogger(name).setLevel(logging.INFO)


def readable_file(path: str | Path | None, flag: str) -> Path | None:
    """Check an input file before any work: it exists, is a file and can be read. ``None`` passes through."""
    if path is None:
        return None
    p = Path(path).expanduser()
    if not p.exists():
        fail(f"{flag}: file not found: {path}", hint=f"check the path given to {flag}")
    if not p.is_file():
        fail(f"{flag}: {path} is a directory, not a file", hint=f"give {flag} a file")
    try:
        with p.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        fail(f"{flag}: cannot read {path} ({exc.strerror})", hint="check the file's permissions")
    return p


def readable_dir(path: str | Path, flag: str, must_hold: str | None = None) -> Path:
    """Check an input directory before any work: it exists (and holds ``must_hold`` when given)."""
    p = Path(path).expanduser()
    if not p.is_dir():
        fail(f"{flag}: directory not found: {path}", hint=f"check the path given to {flag}")
    if must_hold and not (p / must_hold).is_file():
        fail(f"{flag}: {path} holds no {must_hold}", hint=f"point {flag} at a directory with {must_hold}")
    return p


def not_available(what: str, issue: int) -> NoReturn:
    """Fail honestly for a command whose implementation has not landed yet."""
    raise NotAvailableError(f"`teachwhy {what}` is not available yet (tracked in issue {issue})")


def fail(message: str, hint: str | None = None) -> NoReturn:
    """Raise a user-facing error."""
    raise TeachwhyError(message, hint)
