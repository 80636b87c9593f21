"""The assessment task (``inspect eval teachwhy/assessment``), its config, and ``run_assessment``."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from inspect_ai import Task, task
from inspect_ai import eval as inspect_eval
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog, EvalSample
from inspect_ai.model import Model
from pydantic import model_validator

from teachwhy._io import atomic_write_json
from teachwhy.config import Config
from teachwhy.errors import TeachwhyError
from teachwhy.evals._aggregate import describe, run_record
from teachwhy.evals.assessment._auditor import auditor
from teachwhy.evals.assessment._data import (
    HEADLINE,
    Seed,
    aggregate_scores,
    load_aggregates,
    load_dimensions,
    select_seeds,
)
from teachwhy.evals.assessment._judge import alignment_judge
from teachwhy.evals.assessment._petri import map_petri_scores, petri_mapping, petri_task
from teachwhy.evals.assessment._progress import Progress, installed
from teachwhy.judging import EMBEDDED_JUDGE_NOTE
from teachwhy.models import default_max_tokens

__all__ = [
    "AssessmentConfig",
    "assessment",
    "run_assessment",
    "summarize_assessment",
    "SUMMARY_SCHEMA",
    "DEFAULT_MAX_TURNS",
    "LIGHT_MAX_TURNS",
]

SUMMARY_SCHEMA = "teachwhy.assessment.summary/v2"
DEFAULT_MAX_TURNS = 15
"""Auditor turns per seed: enough to build an agentic scenario before the decisive moment."""
LIGHT_MAX_TURNS = 6
"""Auditor turns per seed in light mode (cheap enough to run inside training)."""
JUDGE_ERROR_KINDS = ("parse", "citation", "call")


class AssessmentConfig(Config):
    """One run of the held-out automated alignment assessment."""

    target: str = "embedded"
    """Target model spec (the model assessed)."""
    auditor: str = "embedded"
    """Auditor model spec (plays operator, user and tools)."""
    judge: str = "embedded"
    """Judge model spec (summarises and scores the transcript)."""
    seeds: list[str] = []
    """Seed tags to run (any match); empty runs every seed."""
    light: bool = False
    """Lightweight mode: only seeds marked ``light: true``, at most 6 auditor turns each."""
    limit: int | None = None
    """Run at most this many seeds (in file order)."""
    max_turns: int | None = None
    """Cap on auditor turns per seed (default 15, 6 in light mode; a seed's own max_turns if smaller)."""
    engine: Literal["ours", "petri"] = "ours"
    """``ours`` (teachwhy's auditor and judge) or ``petri`` (Petri's, where inspect-petri is installed)."""
    forward_plain_text: bool = True
    """Send an auditor reply without a tool call to the target as the user's message (small auditors)."""
    judge_samples: int = 1
    """Judge samples per transcript (K); each dimension takes the median over the samples that parse."""
    judge_temperature: float | None = None
    """Judge temperature (default 0 with one judge sample, 1.0 with several, so the samples differ)."""
    realism_check: bool = False
    """Rate every auditor action that reaches the target for realism (1-10) first and record it (Petri-style)."""
    realism_threshold: float | None = None
    """With realism_check: refuse auditor actions rated below this (1-10); the auditor is told why and revises."""
    realism_model: str | None = None
    """Model that rates realism (default: the judge model)."""
    target_max_tokens: int | None = None
    """Max tokens per target reply (default: 128 for transformers (hf/, embedded) models, 1024 otherwise)."""
    auditor_max_tokens: int | None = None
    """Max tokens per auditor turn (default: 128 for transformers models, 2048 otherwise)."""
    judge_max_tokens: int | None = None
    """Max tokens of the judge verdict on all dimensions (default: 256 for hf/ models, 8000 otherwise)."""

    @model_validator(mode="after")
    def _check(self) -> AssessmentConfig:
        if self.judge_samples < 1:
            raise ValueError("judge_samples must be at least 1")
        if self.max_turns is not None and self.max_turns < 1:
            raise ValueError("max_turns must be at least 1")
        if self.realism_threshold is not None:
            if not self.realism_check:
                raise ValueError("realism_threshold needs realism_check (pass --realism-check)")
            if not 1 <= self.realism_threshold <= 10:
                raise ValueError("realism_threshold must be between 1 and 10")
        return self

    def turn_cap(self) -> int:
        """Auditor turns per seed after light mode and ``max_turns``."""
        cap = self.max_turns or (LIGHT_MAX_TURNS if self.light else DEFAULT_MAX_TURNS)
        return min(cap, LIGHT_MAX_TURNS) if self.light else cap

    def judge_temp(self) -> float:
        """The judge's sampling temperature."""
        if self.judge_temperature is not None:
            return self.judge_temperature
        return 0.0 if self.judge_samples == 1 else 1.0


def _samples(seeds: list[Seed], cap: int) -> MemoryDataset:
    return MemoryDataset(
        [
            Sample(
                id=s.id,
                input=" ".join(s.instruction.split()),
                metadata={"tags": s.tags, "light": s.light, "max_turns": min(s.max_turns, cap), "probes": s.probes},
            )
            for s in seeds
        ],
        name="teachwhy-assessment-seeds",
    )


@task
def assessment(
    seeds: str | list[str] | None = None,
    light: bool = False,
    max_turns: int | None = None,
    forward_plain_text: bool = True,
    judge_samples: int = 1,
    realism_check: bool = False,
    realism_threshold: float | None = None,
) -> Task:
    """Held-out automated alignment assessment: an auditor probes the target per seed; a judge scores it.

    Roles: ``auditor``, ``target`` (defaults to the eval model), ``judge`` and, with the realism check, ``realism``
    — e.g. ``inspect eval teachwhy/assessment --model M --model-role auditor=A --model-role judge=J -T light=true``.

    Args:
        seeds: Seed tags (comma-separated or a list); none runs every seed.
        light: Only ``light: true`` seeds, at most 6 auditor turns.
        max_turns: Cap on auditor turns per seed.
        forward_plain_text: Forward an auditor reply without a tool call to the target as the user's message.
        judge_samples: Judge samples per transcript (median per dimension).
        realism_check: Rate the auditor's actions for realism (model role ``realism``).
        realism_threshold: Refuse auditor actions rated below this.
    """
    tags = seeds.split(",") if isinstance(seeds, str) else list(seeds or [])
    cfg = AssessmentConfig(
        seeds=tags,
        light=light,
        max_turns=max_turns,
        judge_samples=judge_samples,
        realism_check=realism_check,
        realism_threshold=realism_threshold,
    )
    cap = cfg.turn_cap()
    return Task(
        dataset=_samples(select_seeds(tags, light), cap),
        solver=auditor(
            max_turns=cap,
            forward_plain_text=forward_plain_text,
            realism_check=realism_check,
            realism_threshold=realism_threshold,
        ),
        scorer=alignment_judge(samples=judge_samples),
        name="teachwhy_assessment",
    )


# ---------------------------------------------------------------------------------------------- summary


def _sample_result(sample: EvalSample, engine: str, mapping: dict[str, list[str]]) -> dict[str, Any]:
    meta = sample.metadata or {}
    row: dict[str, Any] = {
        "id": str(sample.id),
        "tags": meta.get("tags", []),
        "probes": meta.get("probes"),
        "status": "error",
        "error": None,
        "error_kind": None,
    }
    if sample.error is not None:
        row.update(error=f"sample failed: {sample.error.message}", error_kind="sample")
        return row
    scores = sample.scores or {}
    if engine == "ours":
        s = scores.get("alignment_judge")
        if s is None:
            row.update(error="not scored", error_kind="sample")
            return row
        sm = s.metadata or {}
        for key in ("turns", "target_replies", "rollbacks", "auditor_fallbacks", "end_reason", "n_messages",
                    "judge_samples", "realism"):  # fmt: skip
            row[key] = sm.get(key)
        row["status"] = sm.get("status", "error")
        row["error"] = sm.get("error")
        row["error_kind"] = sm.get("error_kind")
        if row["status"] == "ok":
            dims = dict(sm.get("scores", {}))
            row["headline"] = aggregate_scores(dims)
            row["scores"] = {**dims, **row["headline"]}
            for key in ("summary", "justifications", "citations", "quote_found"):
                row[key] = sm.get(key)
        return row
    # petri: the first dict-valued score holds its judge's dimensions
    for s in scores.values():
        if isinstance(s.value, dict) and not any(isinstance(v, float) and math.isnan(v) for v in s.value.values()):
            mapped = map_petri_scores(s.value, mapping)
            if mapped:
                headline = aggregate_scores({k: float(v) for k, v in mapped.items()})
                row.update(status="ok", scores={**mapped, **headline}, headline=headline, petri_scores=s.value,
                           summary=s.explanation)  # fmt: skip
                return row
    row.update(error="no Petri judge scores found in the sample", error_kind="parse")
    return row


def _judge_counts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Errored samples by kind, and every judge sample (a sample may be scored while some of its K failed)."""
    by_kind = {k: sum(r["status"] == "error" and r.get("error_kind") == k for r in rows) for k in JUDGE_ERROR_KINDS}
    js = [r["judge_samples"] for r in rows if isinstance(r.get("judge_samples"), dict)]
    failed = {k: sum(e.get("kind") == k for j in js for e in j.get("errors", [])) for k in JUDGE_ERROR_KINDS}
    return {
        "judge_errors": by_kind,
        "judge_samples": {
            "requested": sum(int(j.get("requested", 0)) for j in js),
            "ok": sum(int(j.get("ok", 0)) for j in js),
            "failed": sum(int(j.get("failed", 0)) for j in js),
            **{f"failed_{k}": v for k, v in failed.items()},
        },
    }


def _realism_block(rows: list[dict[str, Any]], config: AssessmentConfig) -> dict[str, Any]:
    recs = [rec for r in rows for rec in ((r.get("realism") or {}).get("records") or [])]
    scores = [float(rec["score"]) for rec in recs if rec.get("status") == "ok" and rec.get("score") is not None]
    return {
        "enabled": config.realism_check,
        "threshold": config.realism_threshold,
        "model": (config.realism_model or config.judge) if config.realism_check else None,
        "checks": len(recs),
        "errors": sum(rec.get("status") != "ok" for rec in recs),
        "rejected": sum(bool(rec.get("rejected")) for rec in recs),
        "score": describe(scores),
    }


def summarize_assessment(log: EvalLog, config: AssessmentConfig, seeds: list[Seed]) -> dict[str, Any]:
    """Build summary.json from an inspect log: counts, headline aggregates with CIs, dimensions, tags, realism."""
    dims = load_dimensions()
    mapping = petri_mapping() if config.engine == "petri" else {}
    by_text = {" ".join(s.instruction.split()): s for s in seeds}
    rows = []
    for sample in log.samples or []:
        row = _sample_result(sample, config.engine, mapping)
        if config.engine == "petri":  # Petri makes its own sample ids: find our seed by its instruction
            seed = by_text.get(" ".join(sample.input.split()) if isinstance(sample.input, str) else "")
            if seed is not None:
                row.update(id=seed.id, tags=seed.tags, probes=seed.probes)
        rows.append(row)
    ok = [r for r in rows if r["status"] == "ok"]

    def agg(rs: list[dict[str, Any]], dim: str, **extra: Any) -> dict[str, Any]:
        return describe([float(r["scores"][dim]) for r in rs if dim in r.get("scores", {})], **extra)

    tags = sorted({t for r in rows for t in r["tags"]})
    return {
        "schema": SUMMARY_SCHEMA,
        "kind": "assessment",
        "engine": config.engine,
        "note": EMBEDDED_JUDGE_NOTE if config.judge == "embedded" else None,
        "models": {
            "target": config.target,
            "auditor": config.auditor,
            "judge": config.judge,
            "realism": (config.realism_model or config.judge) if config.realism_check else None,
        },
        "judge": {"samples": config.judge_samples, "temperature": config.judge_temp(), "combine": "median"},
        "turn_cap": config.turn_cap(),
        "counts": {
            "samples": len(rows),
            "scored": len(ok),
            "errors": sum(r["status"] == "error" for r in rows),
            "empty": sum(r["status"] == "empty" for r in rows),
            **_judge_counts(rows),
        },
        "headline": {a.id: agg(ok, a.id, higher_is=a.higher_is, rule=a.rule, of=list(a.of)) for a in load_aggregates()},
        "dimensions": {d.id: agg(ok, d.id, higher_is=d.higher_is, group=d.group) for d in dims},
        "by_tag": {
            t: {h: agg([r for r in ok if t in r["tags"]], h) for h in HEADLINE}
            | {"samples": sum(t in r["tags"] for r in rows)}
            for t in tags
        },
        "realism": _realism_block(rows, config),
        **run_record(rows, log, config.model_dump()),
    }


def run_assessment(
    config: AssessmentConfig,
    out: Path,
    *,
    target: Model | None = None,
    auditor_model: Model | None = None,
    judge: Model | None = None,
    realism: Model | None = None,
    display: str = "none",
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the assessment, write the inspect log and ``summary.json`` into ``out``, and return the summary.

    Models default to the config's specs resolved by role (judge at ``config.judge_temp()``, realism at 0); pass
    ``Model``s to override them (tests script them with mockllm; without ``realism_model`` in the config, a
    passed ``judge`` also rates realism). ``progress`` receives one line per auditor turn and per judged seed.
    """
    cap = config.turn_cap()
    seeds = select_seeds(config.seeds, config.light)
    if config.limit is not None:
        seeds = seeds[: config.limit]
    if config.engine == "petri":
        the_task = petri_task(seeds, cap)
    else:
        the_task = assessment(
            seeds=config.seeds,
            light=config.light,
            max_turns=cap,
            forward_plain_text=config.forward_plain_text,
            judge_samples=config.judge_samples,
            realism_check=config.realism_check,
            realism_threshold=config.realism_threshold,
        )
    from teachwhy.models import role_model

    if target is None:
        target = role_model(
            "target",
            config.target,
            max_tokens=config.target_max_tokens or default_max_tokens(config.target, 128, 1024),
        )
    if auditor_model is None:
        auditor_model = role_model(
            "auditor",
            config.auditor,
            max_tokens=config.auditor_max_tokens or default_max_tokens(config.auditor, 128, 2048),
        )
    judge_given = judge is not None
    if judge is None:
        judge = role_model(
            "judge",
            config.judge,
            temperature=config.judge_temp(),
            max_tokens=config.judge_max_tokens or default_max_tokens(config.judge, 256, 8000),
        )
    roles = {"target": target, "auditor": auditor_model, "judge": judge}
    if config.realism_check:
        if realism is None and judge_given and config.realism_model is None:
            realism = judge
        if realism is None:
            spec = config.realism_model or config.judge
            realism = role_model("judge", spec, temperature=0, max_tokens=default_max_tokens(spec, 96, 400))
        roles["realism"] = realism
    out.mkdir(parents=True, exist_ok=True)
    with installed(Progress(len(seeds), progress) if progress else None):
        logs = inspect_eval(
            the_task,
            model=target,
            model_roles=roles,
            log_dir=str(out),
            limit=config.limit,
            display=display,  # type: ignore[arg-type]
            fail_on_error=False,
            score_display=False,
        )
    if not logs:
        raise TeachwhyError("inspect returned no eval log")
    summary = summarize_assessment(logs[0], config, seeds)
    atomic_write_json(out / "summary.json", summary)
    return summary
