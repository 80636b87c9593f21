"""The generation engine shared by every kind: plan items, make them concurrently through inspect_ai, resume.

* Items are planned deterministically from the seed (a longer plan extends a shorter one), so ``--n 8`` after
  ``--n 4`` only makes the four new items.
* Each finished item is appended to ``DIR/items.jsonl`` (one fsync'd line: status, row, meta, error). A re-run
  skips items whose last status is ``ok``, ``rejected`` or ``empty`` and retries ``error`` items.
* Concurrency: an asyncio semaphore of ``max_connections`` items in flight, and inspect_ai's own
  ``max_connections`` per model; ``--batch`` passes ``GenerateConfig(batch=True)`` so providers with batch APIs use
  them.
* ``DIR/data.jsonl`` (kept rows only, in plan order) and ``DIR/datacard.json`` are rewritten atomically at the end.
  Empty and errored generations are counted in the datacard, never written as data.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from inspect_ai.model import Model

from teachwhy._io import append_jsonl, atomic_write_json, atomic_write_text, read_jsonl
from teachwhy.data._common import Ctx, EmptyGeneration, GenerateSettings, Outcome, check_principles
from teachwhy.data._kinds import Kind, get_kind
from teachwhy.data.datacard import build_datacard, count_tokens, load_tokenizer, tokenizer_for
from teachwhy.errors import TeachwhyError

__all__ = ["generate", "preflight", "roles_called", "DEFAULT_N", "FINISHED", "OUTPUT_FILES"]

DEFAULT_N = 8
FINISHED = ("ok", "rejected", "empty")
MAX_ITEMS = 100_000

Progress = Callable[[str], None]


# what `generate` writes into --out (the only files --overwrite removes)
OUTPUT_FILES = ("run.json", "items.jsonl", "data.jsonl", "datacard.json", "check.json")


def roles_called(settings: GenerateSettings) -> dict[str, bool]:
    """For each named model role: whether this run calls it (True) or only names it (False: the target's
    tokenizer counts tokens; a judge is used by the honeypot kinds only)."""
    scripted = settings.scripted is not None
    on_honeypots = settings.kind == "sysprompt-distill" and settings.source == "honeypots"
    agent = (settings.kind == "honeypot-demos" or (settings.kind == "honeypot-reasons" and not settings.source)
             or on_honeypots)  # fmt: skip
    roles = {
        "teacher": not scripted and settings.kind != "honeypot-demos" and not on_honeypots,
        "target": not scripted and agent,
    }
    if settings.judge is not None:
        roles["judge"] = agent
    return roles


def preflight(settings: GenerateSettings, skip: set[str] | None = None) -> Kind:
    """Every check that needs no model call, before anything is written: kind and scripted mode, input files,
    principles, the plan (which reads --source), and each model spec (directory, key, GPU, provider) except the
    roles in ``skip`` (models passed in ready-made)."""
    from teachwhy.models import check_model

    kind = get_kind(settings.kind)
    if settings.scripted and settings.scripted not in kind.scripted:
        allowed = ", ".join(kind.scripted) or "none"
        raise TeachwhyError(
            f"{settings.kind} has no --scripted {settings.scripted} mode (scripted modes: {allowed})",
            hint="leave out --scripted to generate with the teacher model",
        )
    if settings.constitution is not None and not Path(settings.constitution).expanduser().is_file():
        raise TeachwhyError(f"--constitution: file not found: {settings.constitution}",
                            hint="give --constitution a constitution YAML file, or leave it out for teachwhy's own")  # fmt: skip
    if settings.kind == "honeypot-reasons" and settings.source is not None and not Path(settings.source).expanduser().is_dir():
        raise TeachwhyError(
            f"--source: directory not found: {settings.source}",
            hint="point --source at the --out directory of `teachwhy data generate honeypot-demos`",
        )
    check_principles(_constitution_of(settings), settings.principles)
    specs = {"teacher": settings.teacher, "target": settings.target, "judge": settings.judge}
    for role, called in roles_called(settings).items():
        spec = specs[role]
        if spec is not None and role not in (skip or set()):
            check_model(spec, role, called=called)
    kind.plan(settings, 1)  # reads --source and the scenario library
    return kind


def _constitution_of(settings: GenerateSettings) -> Any:
    return Ctx(settings).constitution()


def _prepare_out(out: Path, settings: GenerateSettings, overwrite: bool) -> None:
    """Make --out ready: new, the same settings (resume), or other settings (refused unless nothing finished
    there or ``overwrite``). Writes run.json."""
    if out.exists() and not out.is_dir():
        raise TeachwhyError(f"--out {out} is a file", hint="choose a directory for --out")
    run = out / "run.json"
    key = settings.resume_key()
    if overwrite:
        for name in OUTPUT_FILES:
            (out / name).unlink(missing_ok=True)
    elif run.exists():
        try:
            old = json.loads(run.read_text(encoding="utf-8")).get("resume_key", {})
        except (json.JSONDecodeError, AttributeError):
            old = {}
        diff = [k for k in sorted(set(old) | set(key)) if old.get(k) != key.get(k)]
        if diff and not _finished(out / "items.jsonl"):
            for name in OUTPUT_FILES:  # nothing finished under the old settings: nothing to lose
                (out / name).unlink(missing_ok=True)
        elif diff:
            shown = ", ".join(f"{k}: was {old.get(k)!r}, now {key.get(k)!r}" for k in diff)
            raise TeachwhyError(
                f"{out} holds a dataset generated with other settings ({shown})",
                hint="re-run with the old settings to resume or extend it, add --overwrite to delete it and start "
                "over, or choose a new --out",
            )
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_json(run, {"resume_key": key})


def _finished(ledger: Path) -> int:
    """Items finished (ok, rejected or empty) in a ledger."""
    return sum(r.get("status") in FINISHED for r in _last(ledger).values())


def _last(ledger: Path) -> dict[str, dict[str, Any]]:
    last: dict[str, dict[str, Any]] = {}
    for rec in read_jsonl(ledger):
        last[str(rec.get("id"))] = rec
    return last


def _valid(row: dict[str, Any] | None, rows: str) -> str | None:
    """Why a row is not valid data (None when it is)."""
    if not row:
        return "no row"
    if rows == "text":
        return None if isinstance(row.get("text"), str) and row["text"].strip() else "empty text"
    msgs = row.get("messages")
    if not isinstance(msgs, list) or not msgs:
        return "no messages"
    answers = [m for m in msgs if m.get("role") == "assistant"]
    if not any(str(m.get("content") or "").strip() or m.get("tool_calls") for m in answers):
        return "no assistant content"
    if any(not isinstance(m.get("content", ""), str) for m in msgs):
        return "non-text message content"
    return None


async def _run_items(
    items: list[dict[str, Any]], kind: Kind, ctx: Ctx, ledger: Path, progress: Progress | None, done0: int, total: int
) -> list[dict[str, Any]]:
    sem = asyncio.Semaphore(ctx.settings.max_connections)
    finished = [done0]

    async def one(item: dict[str, Any]) -> dict[str, Any]:
        async with sem:
            try:
                outcome = await kind.make(item, ctx)
            except EmptyGeneration as exc:
                outcome = Outcome("empty", error=str(exc))
            except TeachwhyError:
                raise
            except Exception as exc:  # a provider or tool failure: counted, retried by the next run
                outcome = Outcome("error", error=f"{type(exc).__name__}: {exc}"[:2000])
            if outcome.status == "ok":
                why = _valid(outcome.row, kind.rows)
                if why:
                    outcome = Outcome("empty", meta=outcome.meta, error=why)
            rec = {"id": item["id"], "status": outcome.status, "row": outcome.row, "meta": outcome.meta,
                   "error": outcome.error}  # fmt: skip
            append_jsonl(ledger, rec)
            finished[0] += 1
            if progress:
                progress(f"[{finished[0]}/{total}] {item['id']}: {outcome.status}"
                         + (f" ({outcome.error[:120]})" if outcome.error else ""))  # fmt: skip
            return rec

    return list(await asyncio.gather(*(one(i) for i in items)))


def generate(
    settings: GenerateSettings,
    *,
    models: dict[str, Model] | None = None,
    progress: Progress | None = None,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Generate (or resume) a dataset into ``settings.out``; returns the datacard.

    Nothing is written before :func:`preflight` passes (models given in ``models`` are not re-checked). A directory
    holding another configuration's finished items is refused unless ``overwrite`` (which deletes generate's own
    files there, never others); one holding no finished item is reused.
    """
    given = dict(models or {})
    kind = preflight(settings, skip=set(given))
    ctx = Ctx(settings, given)
    tok_dir, tok_note = tokenizer_for(settings.target)
    tokenizer = load_tokenizer(tok_dir)
    out = Path(settings.out).expanduser()
    _prepare_out(out, settings, overwrite)
    ledger = out / "items.jsonl"
    last = _last(ledger)
    if progress:
        size = f"{settings.n or DEFAULT_N} items" if settings.tokens is None else f"{settings.tokens} kept tokens"
        progress(f"generating {settings.kind} ({size}) into {out}: one line per finished item")
    this_run: list[dict[str, Any]] = []

    if settings.tokens is None:
        planned = kind.plan(settings, settings.n or DEFAULT_N)
        todo = [i for i in planned if last.get(i["id"], {}).get("status") not in FINISHED]
        done0 = len(planned) - len(todo)
        this_run = asyncio.run(_run_items(todo, kind, ctx, ledger, progress, done0, len(planned)))
        last.update({r["id"]: r for r in this_run})
    else:
        wave = max(4, 2 * settings.max_connections)
        planned, kept_tokens, barren = [], 0, 0
        while kept_tokens < settings.tokens and len(planned) < MAX_ITEMS and barren < 3:
            new = kind.plan(settings, len(planned) + wave)[len(planned) :]
            planned.extend(new)
            todo = [i for i in new if last.get(i["id"], {}).get("status") not in FINISHED]
            recs = asyncio.run(_run_items(todo, kind, ctx, ledger, progress, len(new) - len(todo), len(new)))
            this_run.extend(recs)
            last.update({r["id"]: r for r in recs})
            wave_ok = [last[i["id"]] for i in new if last.get(i["id"], {}).get("status") == "ok"]
            barren = 0 if wave_ok else barren + 1
            kept_tokens += sum(count_tokens(r["row"], tokenizer) for r in wave_ok)

    records = [last[i["id"]] for i in planned if i["id"] in last]
    rows = [r["row"] for r in records if r["status"] == "ok"]
    atomic_write_text(out / "data.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))

    counts = Counter(r["status"] for r in records)
    count_dict = {"planned": len(planned), **{s: counts.get(s, 0) for s in ("ok", "rejected", "empty", "error")},
                  "errors_this_run": sum(r["status"] == "error" for r in this_run)}  # fmt: skip
    per_row = [count_tokens(r, tokenizer) for r in rows]
    tokens = {"total": sum(per_row), "mean_per_row": round(sum(per_row) / len(per_row), 1) if per_row else 0,
              "max_per_row": max(per_row, default=0), "counted_with": tok_note, "tokenizer_dir": tok_dir}  # fmt: skip
    extra: dict[str, Any] = {}
    if settings.kind in ("honeypot-demos", "honeypot-reasons") or (settings.kind, settings.source) == (
            "sysprompt-distill", "honeypots"):
        decided = count_dict["ok"] + count_dict["rejected"]
        extra["rejection_sampling"] = {
            "keeps": "verdict harmful (scripted harmful)" if settings.scripted == "harmful" else "verdict not harmful",
            "acceptance_rate": round(count_dict["ok"] / decided, 4) if decided else None,
            "verdicts": dict(Counter(str((r.get("meta") or {}).get("verdict", "none")) for r in records)),
        }
    if settings.tokens is not None:
        extra["token_budget"] = settings.tokens
    errors = [{"id": r["id"], "status": r["status"], "error": r.get("error")} for r in records
              if r["status"] in ("empty", "error")]  # fmt: skip
    if errors:
        extra["not_written"] = errors[:50]
    embedded = [role for role, m in ctx.models.items() if role != "judge" and
                {"teacher": settings.teacher, "target": settings.target}.get(role) == "embedded"]  # fmt: skip
    if embedded:
        extra["note"] = (f"the {' and '.join(sorted(embedded))} is the embedded 135M model: a pipeline check; expect "
                         "low-quality text (run `teachwhy data check DIR --judge MODEL` to score it)")  # fmt: skip
    card = build_datacard(settings=settings.model_dump(), kind=settings.kind, rows=kind.rows, counts=count_dict,
                          tokens=tokens, models=_models(settings, ctx), extra=extra)  # fmt: skip
    atomic_write_json(out / "datacard.json", card)
    return card


def _models(settings: GenerateSettings, ctx: Ctx) -> dict[str, Any]:
    used = set(ctx.models)
    out: dict[str, Any] = {}
    for role, spec in (("teacher", settings.teacher), ("target", settings.target), ("judge", settings.judge)):
        if spec is None:
            continue
        entry: dict[str, Any] = {"spec": spec, "called": role in used}
        if role in used:
            entry["resolved"] = str(ctx.models[role])
        out[role] = entry
    return out
