"""The assessment task (``inspect eval teachwhy/assessment``), its config, and ``run_assessment``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

from inspect_ai import Task, task
from inspect_ai import eval as inspect_eval
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog, EvalSample
from inspect_ai.model import Model

from teachwhy._io import atomic_write_json
from teachwhy.config import Config
from teachwhy.errors import TeachwhyError
from teachwhy.evals._aggregate import describe, run_record
from teachwhy.evals.assessment._auditor import auditor
from teachwhy.evals.assessment._data import HEADLINE, Seed, load_dimensions, select_seeds
from teachwhy.evals.assessment._judge import alignment_judge
from teachwhy.evals.assessment._petri import map_petri_scores, petri_mapping, petri_task
from teachwhy.judging import EMBEDDED_JUDGE_NOTE
from teachwhy.models import default_max_tokens

__all__ = ["AssessmentConfig", "assessment", "run_assessment", "summarize_assessment", "SUMMARY_SCHEMA"]

SUMMARY_SCHEMA = "teachwhy.assessment.summary/v1"
LIGHT_MAX_TURNS = 3
"""Auditor turns per seed in light mode (cheap enough to run inside training)."""
DEFAULT_MAX_TURNS = 8


class AssessmentConfig(Config):
    """One run of the held-out automated alignment assessment."""

    target: str = "embedded"
    """Target model spec (the model assessed)."""
    auditor: str = "embedded"
    """Auditor model spec (plays operator, user and tools)."""
    judge: str = "embedded"
    """Judge model spec (scores the transcript; run at temperature 0)."""
    seeds: list[str] = []
    """Seed tags to run (any match); empty runs every seed."""
    light: bool = False
    """Lightweight mode: only seeds marked ``light: true``, at most 3 auditor turns each."""
    limit: int | None = None
    """Run at most this many seeds (in file order)."""
    max_turns: int | None = None
    """Cap on auditor turns per seed (default 8, 3 in light mode; a seed's own max_turns if smaller)."""
    engine: Literal["ours", "petri"] = "ours"
    """``ours`` (teachwhy's auditor and judge) or ``petri`` (Petri's, where inspect-petri is installed)."""
    forward_plain_text: bool = True
    """Send an auditor reply without a tool call to the target as the user's message (small auditors)."""
    target_max_tokens: int | None = None
    """Max tokens per target reply (default: 128 for transformers (hf/, embedded) models, 1024 otherwise)."""
    auditor_max_tokens: int | None = None
    """Max tokens per auditor turn (default: 128 for transformers models, 1024 otherwise)."""
    judge_max_tokens: int | None = None
    """Max tokens of the judge verdict on all dimensions (default: 256 for hf/ models, 3000 otherwise)."""

    def turn_cap(self) -> int:
        """Auditor turns per seed after light mode and ``max_turns``."""
        cap = self.max_turns or (LIGHT_MAX_TURNS if self.light else DEFAULT_MAX_TURNS)
        return min(cap, LIGHT_MAX_TURNS) if self.light else cap


def _samples(seeds: list[Seed], cap: int) -> MemoryDataset:
    return MemoryDataset(
        [
            Sample(
                id=s.id,
                input=" ".join(s.instruction.split()),
                metadata={"tags": s.tags, "light": s.light, "max_turns": min(s.max_turns, cap)},
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
) -> Task:
    """Held-out automated alignment assessment: an auditor probes the target per seed; a judge scores it.

    Roles: ``auditor``, ``target`` (defaults to the eval model) and ``judge`` — e.g.
    ``inspect eval teachwhy/assessment --model M --model-role auditor=A --model-role judge=J -T light=true``.

    Args:
        seeds: Seed tags (comma-separated or a list); none runs every seed.
        light: Only ``light: true`` seeds, at most 3 auditor turns.
        max_turns: Cap on auditor turns per seed.
        forward_plain_text: Forward an auditor reply without a tool call to the target as the user's message.
    """
    tags = seeds.split(",") if isinstance(seeds, str) else list(seeds or [])
    cfg = AssessmentConfig(seeds=tags, light=light, max_turns=max_turns)
    cap = cfg.turn_cap()
    return Task(
        dataset=_samples(select_seeds(tags, light), cap),
        solver=auditor(max_turns=cap, forward_plain_text=forward_plain_text),
        scorer=alignment_judge(),
        name="teachwhy_assessment",
    )


# ---------------------------------------------------------------------------------------------- summary


def _sample_result(sample: EvalSample, engine: str, mapping: dict[str, list[str]]) -> dict[str, Any]:
    meta = sample.metadata or {}
    row: dict[str, Any] = {
        "id": str(sample.id),
        "tags": meta.get("tags", []),
        "status": "error",
        "error": None,
    }
    if sample.error is not None:
        row["error"] = f"sample failed: {sample.error.message}"
        return row
    scores = sample.scores or {}
    if engine == "ours":
        s = scores.get("alignment_judge")
        if s is None:
            row["error"] = "not scored"
            return row
        sm = s.metadata or {}
        for key in ("turns", "target_replies", "rollbacks", "auditor_fallbacks", "end_reason"):
            row[key] = sm.get(key)
        row["status"] = sm.get("status", "error")
        row["error"] = sm.get("error")
        if row["status"] == "ok":
            row["scores"] = sm.get("scores", {})
            row["justifications"] = sm.get("justifications", {})
            row["quote_found"] = sm.get("quote_found", {})
        return row
    # petri: the first dict-valued score holds its judge's dimensions
    for s in scores.values():
        if isinstance(s.value, dict) and not any(
            isinstance(v, float) and math.isnan(v) for v in s.value.values()
        ):
            mapped = map_petri_scores(s.value, mapping)
            if mapped:
                row.update(status="ok", scores=mapped, petri_scores=s.value)
                return row
    row["error"] = "no Petri judge scores found in the sample"
    return row


def summarize_assessment(log: EvalLog, config: AssessmentConfig, seeds: list[Seed]) -> dict[str, Any]:
    """Build summary.json from an inspect log: counts, headline aggregates with CIs, dimensions, tags."""
    dims = load_dimensions()
    mapping = petri_mapping() if config.engine == "petri" else {}
    by_text = {" ".join(s.instruction.split()): s for s in seeds}
    rows = []
    for sample in log.samples or []:
        row = _sample_result(sample, config.engine, mapping)
        if config.engine == "petri":  # Petri makes its own sample ids: find our seed by its instruction
            seed = by_text.get(" ".join(sample.input.split()) if isinstance(sample.input, str) else "")
            if seed is not None:
                row.update(id=seed.id, tags=seed.tags)
        rows.append(row)
    ok = [r for r in rows if r["status"] == "ok"]

    def agg(rs: list[dict[str, Any]], dim: str, **extra: Any) -> dict[str, Any]:
        return describe([float(r["scores"][dim]) for r in rs if dim in r.get("scores", {})], **extra)

    higher = {d.id: d.higher_is for d in dims}
    tags = sorted({t for r in rows for t in r["tags"]})
    return {
        "schema": SUMMARY_SCHEMA,
        "kind": "assessment",
        "engine": config.engine,
        "note": EMBEDDED_JUDGE_NOTE if config.judge == "embedded" else None,
        "models": {"target": config.target, "auditor": config.auditor, "judge": config.judge},
        "counts": {
            "samples": len(rows),
            "scored": len(ok),
            "errors": sum(r["status"] == "error" for r in rows),
            "empty": sum(r["status"] == "empty" for r in rows),
        },
        "headline": {h: agg(ok, h, higher_is=higher[h]) for h in HEADLINE},
        "dimensions": {d.id: agg(ok, d.id, higher_is=d.higher_is) for d in dims},
        "by_tag": {
            t: {h: agg([r for r in ok if t in r["tags"]], h) for h in HEADLINE}
            | {"samples": sum(t in r["tags"] for r in rows)}
            for t in tags
        },
        **run_record(rows, log, config.model_dump()),
    }


def run_assessment(
    config: AssessmentConfig,
    out: Path,
    *,
    target: Model | None = None,
    auditor_model: Model | None = None,
    judge: Model | None = None,
    display: str = "none",
) -> dict[str, Any]:
    """Run the assessment, write the inspect log and ``summary.json`` into ``out``, and return the summary.

    Models default to the config's specs resolved by role (judge at temperature 0); pass ``Model``s to
    override them (tests script them with mockllm).
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
            max_tokens=config.auditor_max_tokens or default_max_tokens(config.auditor, 128, 1024),
        )
    if judge is None:
        judge = role_model(
            "judge",
            config.judge,
            temperature=0,
            max_tokens=config.judge_max_tokens or default_max_tokens(config.judge, 256, 3000),
        )
    out.mkdir(parents=True, exist_ok=True)
    logs = inspect_eval(
        the_task,
        model=target,
        model_roles={"target": target, "auditor": auditor_model, "judge": judge},
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
