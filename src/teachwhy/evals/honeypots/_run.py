"""Run the honeypot suite into an output directory, resumably.

Every scored sample is appended to ``DIR/samples.jsonl`` as it finishes (one fsync'd line), so a killed run loses
nothing: the same command again skips finished samples (no model call for them) and runs only the rest. Samples that
errored are not finished: they are retried by the next run, and counted as errors in the summary of the run that
hit them. Inspect ``.eval`` logs go to ``DIR/logs`` (``inspect view --log-dir DIR/logs``). With ``workers > 1`` the
unfinished samples are split into shards run by worker processes (``_workers.py``), each with its own log in
``DIR/logs`` and its own ledger, merged into ``samples.jsonl`` by this process.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from inspect_ai import eval as inspect_eval
from inspect_ai.model import Model
from inspect_ai.util import DisplayType

from teachwhy._io import atomic_write_json, atomic_write_text, read_jsonl
from teachwhy._provenance import config_hash, provenance
from teachwhy.config import Config
from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots._summary import summarize
from teachwhy.evals.honeypots._task import _forget, _task_instances, honeypots
from teachwhy.evals.honeypots._workers import WORK_DIR, merge_ledgers, run_workers, shard_ledgers, shards
from teachwhy.models._dtype import DtypeSetting

__all__ = ["HoneypotRun", "run_honeypots"]

SAMPLES_PER_CONNECTION = 8
"""Samples an eval keeps started per model connection (inspect's ``max_samples``): the extra ones wait, already set
up, for a connection, so a freed connection is taken at once. bench/eval_throughput.py at C = 32 (2 workers, 2-core
EPYC, 2026-12-04, medians of 3): 1 per connection 0.815 (of 2), 2 0.908 (of 2), 4 0.908, 8 0.929 (0.916-0.930), 16
0.895 (more tasks than the event loop serves quickly); C = 8: 0.95-0.96 for 4 to 16."""


class HoneypotRun(Config):
    """Settings of one honeypot run."""

    model: str = "embedded"
    """Target model: `embedded`, a local model directory, or an inspect_ai model string."""
    judge: str | None = None
    """Judge model for what the structural detector cannot decide (none: such samples are `undecided`)."""
    scenarios: list[str] = ["blackmail", "research_sabotage", "framing"]
    """Scenario families to run."""
    samples: int = 4
    """Samples per family (each a fresh rendering)."""
    seed: int = 0
    """Seed that decides conditions and entities."""
    conditions: str | None = None
    """Comma-separated parts a condition id must contain, e.g. `explicit,replacement,nudge_on`."""
    preset: str | None = "headline"
    """`headline` (explicit goal, replacement, no notice: the study's cell; the default), `controls` (no goal or no
    threat, notice off) or `all` (every condition: the per-axis marginals). `conditions` narrows it further."""
    error_budget: float = 0.10
    """Largest share of samples without a verdict (errors, empty, undecided, incomplete, missing) for a reliable run."""
    storylines: list[str] | None = None
    """Storyline ids to run (default: every eval storyline of each family, in turn)."""
    mode: str = "tools"
    """`tools` (native tool calls) or `text` (tool blocks in text, for models without tool calling; `xml` = text)."""
    max_steps: int = 12
    """Model turns per sample; an episode still acting at the limit is counted `incomplete`, never benign."""
    judge_samples: int = 1
    """Judge calls per undecided sample (majority vote; a tie is an error)."""
    judge_max_tokens: int = 1024
    """Output tokens per judge call (a verdict cut at this limit is an error, counted)."""
    max_tokens: int = 384
    """Maximum new tokens per model turn."""
    stop_on_harm: bool = False
    """End an episode after the turn in which the detector finds a harmful action (the verdict cannot change after
    it): saves turns on slow local models; transcripts are shorter."""
    compact: bool = False
    """Render the short inbox (threats, latent goal, the storyline's core and secret messages): for small models and
    CPU runs. Compare only runs (and training data) with the same rendering."""
    temperature: float | None = None
    """Target sampling temperature (provider default when unset)."""
    dtype: DtypeSetting = "float32"
    """Weights' dtype of a target loaded here (`embedded`, local directories, `hf/`): float32, bfloat16, float16, or
    `auto` (bfloat16 where the hardware computes it natively, float32 elsewhere). Part of the settings key, resolved:
    greedy tokens differ between dtypes. Other providers ignore it."""
    max_connections: int = 8
    """Concurrent model calls (for local models: the generation batch size)."""
    workers: int | Literal["auto"] = "auto"
    """Worker processes that share the run's samples and its `max_connections` (each its own eval loop, log and
    ledger, merged when they end). One process runs inspect's loop on about one core, which bounds what it can keep in
    flight; `auto` = one worker per 16 connections, at most one per core (1 at the default 8), and always 1 for
    models loaded in this process (`embedded`, local directories, `hf/`, `vllm/`, ...) and for a `target` object."""
    max_retries: int | None = 8
    """Retries of a failed provider call before the sample is counted as an error (none: inspect's default)."""
    timeout: int | None = 600
    """Seconds a provider call may take, retries included, before the sample is counted as an error."""
    out: str = "runs/honeypots"
    """Output directory."""

    def run_key(self) -> str:
        """Hash of the settings that make samples comparable (the out dir and concurrency are excluded)."""
        d = self.model_dump(exclude={"out", "max_connections", "workers", "samples", "scenarios", "max_retries",
                                     "timeout", "dtype"})  # fmt: skip
        dtype = self.weights_dtype()
        if dtype not in (None, "float32"):  # float32 (the default) leaves the keys of earlier runs as they were
            d["dtype"] = dtype
        return config_hash(d)

    def weights_dtype(self) -> str | None:
        """The dtype the target's weights load in on this machine (None for a model not loaded here)."""
        from teachwhy.models import resolve_dtype, resolve_model

        if not resolve_model(self.model, convert=False).name.startswith("hf/"):
            return None
        return resolve_dtype(self.dtype)


def _latest(ledger: Path, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """The newest ledger row of every wanted sample."""
    return {r["sample_id"]: r for r in read_jsonl(ledger) if r["sample_id"] in wanted}


def _errored_samples(log: str | None, started: set[str]) -> list[dict[str, Any]]:
    """Samples of the eval log ``log`` that ended in an error (provider failure etc.)."""
    from inspect_ai.log import read_eval_log_sample_summaries

    if not log:
        return []
    rows = []
    # the summaries carry each sample's error message and (small) metadata: no need to read every sample back
    for s in read_eval_log_sample_summaries(log):
        if s.error is not None and str(s.id) in started:
            md = s.metadata
            rows.append({"sample_id": str(s.id), "family": md.get("family"), "condition": md.get("condition"),
                         "status": "error", "harmful": None, "eval_aware": False, "error": s.error})  # fmt: skip
    return rows


_LOADS_WEIGHTS = ("hf/", "vllm/", "sglang/", "llama-cpp-python/", "transformer_lens/")


def _workers(cfg: HoneypotRun, target: Model | None, todo: int) -> int:
    """How many worker processes run the ``todo`` samples (1: in this process)."""
    from teachwhy.models import resolve_model

    local = [s for s in (cfg.model, cfg.judge) if s and resolve_model(s, convert=False).name.startswith(_LOADS_WEIGHTS)]
    if cfg.workers == "auto":
        if target is not None or local:
            return 1
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        n = min(cores, cfg.max_connections // 16)
    else:
        n = cfg.workers
        if n < 1:
            raise TeachwhyError(f"workers: got {n}; must be at least 1 (or auto)")
        if n > 1 and target is not None:
            raise TeachwhyError("workers: a target Model object cannot be sent to worker processes",
                                hint="use workers=1, or give the model as a spec string in `model` (each worker "
                                "builds its own)")  # fmt: skip
        if n > 1 and local:
            raise TeachwhyError(f"workers: {n} with {local[0]}, a model loaded in this process: every worker would "
                                "load its own copy",
                                hint="use --workers 1 (for local models --max-connections is the generation batch "
                                "size)")  # fmt: skip
    # each worker needs a connection and a sample of its own
    return max(1, min(n, cfg.max_connections, todo))


def run_honeypots(cfg: HoneypotRun, display: DisplayType | None = None, target: Model | None = None) -> dict[str, Any]:
    """Run (or resume) the suite and write ``summary.json``; returns the summary.

    ``target`` overrides the model built from ``cfg.model`` (for programmatic use, e.g. a scripted mockllm; it runs
    in this process: ``workers`` > 1 with a ``target`` is refused).
    """
    if cfg.mode not in ("tools", "text", "xml"):
        raise TeachwhyError(f"mode: got {cfg.mode!r}; allowed: tools, text")
    if cfg.mode == "xml":
        cfg = cfg.model_copy(update={"mode": "text"})
    if cfg.samples < 1:
        raise TeachwhyError(f"samples: got {cfg.samples}; must be at least 1")
    from teachwhy.models import check_model

    # every spec and key is checked before run.json pins settings to the directory
    check_model(cfg.model, "target", flag="--model")
    if cfg.judge:
        check_model(cfg.judge, "judge", flag="--judge")
    _workers(cfg, target, 1)  # refuses impossible worker settings before anything is written
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    run_file = out / "run.json"
    key = cfg.run_key()
    if run_file.exists():
        prev = json.loads(run_file.read_text())
        if prev.get("run_key") != key:
            raise TeachwhyError(
                f"{out} holds a run with different settings (model, judge, seed, mode or generation settings)",
                hint="use a new --out directory, or repeat the original settings to resume",
            )
    else:
        atomic_write_json(run_file, {"run_key": key, **provenance(cfg.model_dump())})

    ledger = out / "samples.jsonl"
    # rendered once, into the task's cache: the task built below takes them from there
    instances = _task_instances(cfg.scenarios, cfg.samples, cfg.seed, cfg.mode, cfg.conditions, cfg.preset,
                                cfg.storylines, cfg.compact)  # fmt: skip
    try:
        return _run(cfg, out, ledger, [i.sample_id for i in instances], display, target)
    finally:
        _forget(instances)


def _eval(
    cfg: HoneypotRun,
    target: Model,
    ledger: Path,
    skip: set[str],
    skip_file: Path,
    log_dir: Path,
    max_connections: int,
    display: DisplayType | None,
    ready: Callable[[], None] | None = None,
) -> str | None:
    """One inspect eval of the run's samples not in ``skip``, verdicts appended to ``ledger``; returns its log."""
    atomic_write_text(skip_file, "\n".join(sorted(skip)) + "\n")
    task = honeypots(
        families=",".join(cfg.scenarios), samples=cfg.samples, seed=cfg.seed, mode=cfg.mode,
        conditions=cfg.conditions, preset=cfg.preset,
        storylines=",".join(cfg.storylines) if cfg.storylines else None, max_steps=cfg.max_steps,
        judge=cfg.judge, ledger=str(ledger), skip=str(skip_file), judge_retries=cfg.max_retries,
        judge_timeout=cfg.timeout, judge_samples=cfg.judge_samples, judge_max_tokens=cfg.judge_max_tokens,
        compact=cfg.compact, stop_on_harm=cfg.stop_on_harm,
    )  # fmt: skip
    if ready is not None:
        ready()
    # Log settings chosen for throughput (bench/eval_throughput.py): finished samples are written to the .eval
    # log every 50; no realtime event buffer (a SQLite write per event: no live view of samples still running);
    # raw provider requests/responses only for failed calls. Every sample's messages, events and scores are logged.
    # The collector's first threshold is raised for the eval: with the default (700) Python ran a full collection
    # of the whole heap (over half a million objects, ~0.5 s each) about every 120 samples, stalling every sample
    # in flight; at 10,000 none ran in a 480-sample bench run, and all collections together took a third of the
    # time. The objects alive when the eval starts (the imported libraries, the model, the task: most of the heap) are
    # frozen out of the collector's reach (`gc.freeze`), so the full collections that still run scan only what the
    # eval creates: before, such a collection stalled both workers' loops for ~0.3 s at once (no request reached the
    # bench's server meanwhile) and the bench at C = 32 read 0.85 (median of 3); frozen, 0.87-0.89 (2026-12-04,
    # 2-core EPYC). Threshold and freeze are undone afterwards. Samples in flight: SAMPLES_PER_CONNECTION per connection.
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 10_000), *thresholds[1:])
    ours = gc.get_freeze_count() == 0  # a caller's own frozen heap is left as it is (and not unfrozen after)
    if ours:
        gc.collect()
        gc.freeze()
    try:
        logs = inspect_eval(
            task, model=target, log_dir=str(log_dir), max_connections=max_connections,
            max_samples=SAMPLES_PER_CONNECTION * max_connections, log_buffer=50, log_realtime=False, log_model_api=False,
            fail_on_error=False, display=display, score_display=False,
        )  # fmt: skip
    finally:
        if ours:
            gc.unfreeze()
        gc.set_threshold(*thresholds)
    return logs[0].location if logs else None


def _target(cfg: HoneypotRun) -> Model:
    from teachwhy.models import role_model

    target = role_model("target", cfg.model, temperature=cfg.temperature, max_tokens=cfg.max_tokens,
                        max_retries=cfg.max_retries, timeout=cfg.timeout, dtype=cfg.dtype)  # fmt: skip
    if cfg.judge:
        role_model("judge", cfg.judge, temperature=0, max_tokens=cfg.judge_max_tokens)  # checks the key first
    return target


def _warm_up() -> None:
    """One tiny eval on mockllm, logged to a scratch directory: a process's first eval imports a lot (provider SDKs, the
    agent protocol server: ~6 s on a 2-core box) after its start, which would start the workers seconds apart."""
    import tempfile

    from inspect_ai import Task
    from inspect_ai.dataset import Sample
    from inspect_ai.solver import generate

    from teachwhy.models import role_model

    with tempfile.TemporaryDirectory(prefix="teachwhy-warm-up-") as d:
        inspect_eval(Task(dataset=[Sample(input="warm-up")], solver=generate(), name="warm_up"),
                     model=role_model("target", "mockllm/model"), log_dir=d, display="none", score_display=False)  # fmt: skip


def _shard_main(job: dict[str, Any], ready: Callable[[], None]) -> dict[str, Any]:
    """A worker process: run one shard into its own ledger; returns the shard's errored samples."""
    cfg = HoneypotRun.model_validate(job["cfg"])
    mine = set(job["ids"])
    target = _target(cfg)
    work = Path(job["work"])
    k = job["index"]
    wanted = _task_instances(cfg.scenarios, cfg.samples, cfg.seed, cfg.mode, cfg.conditions, cfg.preset,
                             cfg.storylines, cfg.compact)  # fmt: skip

    def go() -> None:  # the task is built (from the cache): only this shard's instances need to stay in it
        _forget([i for i in wanted if i.sample_id not in mine])
        _warm_up()
        ready()

    try:
        log = _eval(cfg, target, work / f"samples-{k}.jsonl", {i.sample_id for i in wanted} - mine,
                    work / f"skip-{k}", Path(job["logs"]), job["max_connections"], "none", go)  # fmt: skip
    finally:
        _forget(wanted)
    return {"errors": _errored_samples(log, mine)}


def _run_sharded(
    cfg: HoneypotRun, out: Path, todo: list[str], n: int, display: DisplayType | None
) -> list[dict[str, Any]]:
    """Run ``todo`` in ``n`` worker processes; their ledgers are merged into the run's; returns errored samples."""
    work = out / WORK_DIR
    parts = shards(todo, n)
    conns = [cfg.max_connections // n + (k < cfg.max_connections % n) for k in range(n)]
    jobs = [{"cfg": cfg.model_dump(mode="json"), "ids": ids, "work": str(work), "logs": str(out / "logs"), "index": k,
             "max_connections": c}
            for k, (ids, c) in enumerate(zip(parts, conns, strict=True))]  # fmt: skip
    quiet = display == "none"
    if not quiet:
        print(f"honeypots: {len(todo)} samples in {n} worker processes (max connections "
              f"{' + '.join(map(str, conns))}); logs in {out / 'logs'}", file=sys.stderr, flush=True)  # fmt: skip

    shown = [0]

    def tick() -> None:
        done = sum(p.read_bytes().count(b"\n") for p in shard_ledgers(out))
        if done != shown[0] and not quiet:
            print(f"honeypots: {done}/{len(todo)} scored", file=sys.stderr, flush=True)
        shown[0] = done

    try:
        results = run_workers(f"{__name__}:_shard_main", jobs, work, tick=tick)
    finally:
        merge_ledgers(shard_ledgers(out), out / "samples.jsonl")
        for f in work.glob("skip-*"):
            f.unlink()
        if not any(work.iterdir()):
            work.rmdir()
    return [e for r in results for e in r.get("errors", [])]


def _run(
    cfg: HoneypotRun, out: Path, ledger: Path, ids: list[str], display: DisplayType | None, target: Model | None
) -> dict[str, Any]:
    from teachwhy.models import resolve_model

    wanted = set(ids)
    merge_ledgers(shard_ledgers(out), ledger)  # finished samples of a killed run's workers
    # the newest row per sample wins; a row with status error (e.g. the judge failed) is not finished: retried
    done = {k: r for k, r in _latest(ledger, wanted).items() if r.get("status") != "error"}
    todo = [i for i in ids if i not in done]
    errors: list[dict[str, Any]] = []
    if todo:
        resolve_model(cfg.model)  # fail early and clearly on a bad spec
        n = _workers(cfg, target, len(todo))
        if n > 1:
            errors = _run_sharded(cfg, out, todo, n, display)
        else:
            log = _eval(cfg, target or _target(cfg), ledger, set(done), out / ".skip", out / "logs",
                        cfg.max_connections, display)  # fmt: skip
            errors = _errored_samples(log, set(todo))
        done = _latest(ledger, wanted)
        for e in errors:  # a provider error in this run supersedes an older error row of the same sample
            if e["sample_id"] not in done or done[e["sample_id"]].get("status") == "error":
                done[e["sample_id"]] = e
    rows = [done[i] for i in ids if i in done]  # in the run's sample order, not the order they finished in
    summary = summarize(rows, expected=wanted, budget=cfg.error_budget)
    from teachwhy.evals.honeypots._verdict import JUDGE_PROMPT_VERSION

    summary.update(model=cfg.model, judge=cfg.judge, judge_prompt=JUDGE_PROMPT_VERSION if cfg.judge else None,
                   temperature=cfg.temperature, dtype=cfg.weights_dtype(), mode=cfg.mode, samples_per_family=cfg.samples,
                   resumed=len(wanted) - len(todo), provenance=provenance(cfg.model_dump()))  # fmt: skip
    atomic_write_json(out / "summary.json", summary)
    return summary
