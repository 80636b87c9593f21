"""What an experiment will cost, before anything runs: tokens, API dollars and device hours per stage.

Each stage's config is built exactly as its runner will build it (``stages.build_stage_config``), so counts the
tools know (seeds, prompts, families, turns, output budgets, token budgets, RL steps) come from there. Per-unit token
figures come from ``resources/experiments/workload.yaml`` (assumptions, documented there); device rates from
``resources/experiments/throughput.yaml`` (measured where marked, on what), overridden by the experiment's own
``throughput``. API cost = tokens of every API-served model x the config's ``prices``; training cost = trained tokens
x the base model's ``train`` price. Local models (the base model, trained arms, ``embedded``) cost device time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field

from teachwhy.config import Config
from teachwhy.experiments.config import ExperimentConfig
from teachwhy.experiments.ledger import price_for
from teachwhy.experiments.plan import Stage, expand

__all__ = ["StageEstimate", "Throughput", "estimate", "format_estimates", "throughput_for", "workload"]

WORKS = ("sft", "sdf", "generate", "generate_vllm", "prefill")


class Rate(Config):
    """One rate of the throughput table."""

    tokens_per_s: float | None = Field(None, gt=0)
    """Tokens per second on one device (none: cannot run there)."""
    measured: bool
    """True when measured (``how`` says where and how), false for an assumption."""
    how: str
    """How it was measured, or how the assumption is derived."""


class Throughput(Config):
    """One model class of the throughput table."""

    name: str
    """Model class."""
    match: list[str] = Field(min_length=1)
    """Regexes (case-insensitive) searched in the model spec."""
    device: str
    """The device the rates are for."""
    rates: dict[str, Rate]
    """Rates by work: sft, sdf, generate, generate_vllm, prefill."""


class _ThroughputFile(Config):
    models: list[Throughput]
    """Model classes, first match wins."""


class Call(Config):
    """Model calls per planned data item."""

    role: str = Field(pattern="^(teacher|target|judge)$")
    """Which model is called."""
    input: int = Field(ge=0)
    """Input tokens per call."""
    output: int = Field(ge=0)
    """Output tokens per call."""
    share: float = Field(1.0, ge=0, le=1)
    """Share of items that make this call."""


class DataWork(Config):
    """Token figures of one dataset kind."""

    row_tokens: int = Field(gt=0)
    """Tokens of one kept row."""
    keep_rate: float = Field(gt=0, le=1)
    """Kept rows per planned item."""
    how: str
    """Where the figures come from."""
    calls: list[Call]
    """Calls per planned item."""


class Workload(Config):
    """``resources/experiments/workload.yaml``."""

    data: dict[str, DataWork]
    """Per dataset kind."""
    check: dict[str, int]
    """Judge tokens of the data check's quality score."""
    evals: dict[str, dict[str, float]]
    """Per eval kind."""
    rl: dict[str, float]
    """Per RL completion."""


def _resource(name: str) -> Any:
    return yaml.safe_load((resources.files("teachwhy") / "resources" / "experiments" / name).read_text("utf-8"))


@cache
def workload() -> Workload:
    """The token figures, validated."""
    return Workload.model_validate(_resource("workload.yaml"))


@cache
def _table() -> tuple[Throughput, ...]:
    return tuple(_ThroughputFile.model_validate(_resource("throughput.yaml")).models)


def throughput_for(model: str) -> Throughput | None:
    """The first table entry whose ``match`` is found in ``model`` (case-insensitive), or None."""
    for entry in _table():
        if any(re.search(p, model, re.IGNORECASE) for p in entry.match):
            return entry
    return None


def _is_local(spec: str | None) -> bool:
    if spec is None:
        return False
    return spec == "embedded" or spec.startswith(("/", ".", "~", "hf/", "vllm/", "<")) or Path(spec).is_dir()


@dataclass
class StageEstimate:
    """Estimated work of one stage."""

    stage: str
    kind: str
    api: dict[str, list[float]] = field(default_factory=dict)
    """API-served model -> [input tokens, output tokens]."""
    device: dict[str, float] = field(default_factory=dict)
    """Local work -> tokens (sft, sdf, generate, generate_vllm, prefill)."""
    train_tokens: float = 0.0
    device_hours: float | None = 0.0
    cost_usd: float = 0.0
    notes: list[str] = field(default_factory=list)

    def call(self, model: str | None, n_in: float, n_out: float, *, vllm: bool = False) -> None:
        """Add ``n_in``/``n_out`` tokens of ``model``: API tokens, or device generation if it is local."""
        if model is None or n_in + n_out == 0:
            return
        if _is_local(model):
            self.add_device("prefill", n_in)
            self.add_device("generate_vllm" if vllm else "generate", n_out)
        else:
            io = self.api.setdefault(model, [0.0, 0.0])
            io[0] += n_in
            io[1] += n_out

    def add_device(self, work: str, tokens: float) -> None:
        """Add local ``work`` of ``tokens`` tokens."""
        if tokens:
            self.device[work] = self.device.get(work, 0.0) + tokens

    def api_tokens(self) -> tuple[float, float]:
        """Total API input and output tokens."""
        return sum(v[0] for v in self.api.values()), sum(v[1] for v in self.api.values())


# ------------------------------------------------------------------------------------------ per kind
def _data(est: StageEstimate, stage: Stage, s: Any) -> float:
    """Returns the dataset's estimated tokens."""
    work = workload().data.get(f"{s.kind}:{s.source}") or workload().data.get(s.kind)
    if work is None:
        est.notes.append(f"no workload figures for dataset kind {s.kind}")
        return float(s.tokens or 0)
    rows = s.n if s.n is not None else (math.ceil(s.tokens / work.row_tokens) if s.tokens else 8)
    if s.scripted:
        return float(s.tokens or rows * work.row_tokens)
    planned = rows if stage.spec.get("source_dataset") else math.ceil(rows / work.keep_rate)
    models = {"teacher": s.teacher, "target": s.target, "judge": s.judge}
    for c in work.calls:
        n = planned * c.share
        est.call(models[c.role], n * c.input, n * min(c.output, s.max_tokens))
    return float(s.tokens or rows * work.row_tokens)


def _honeypots(est: StageEstimate, c: Any) -> None:
    w = workload().evals["honeypots"]
    samples = c.samples * len(c.scenarios)
    turns = min(c.max_steps, w["turns"])
    est.call(c.model, samples * turns * w["target_input_per_turn"],
             samples * turns * min(c.max_tokens, w["target_output_per_turn"]))  # fmt: skip
    n = samples * w["judge_share"]
    est.call(c.judge, n * w["judge_input"], n * w["judge_output"])


def _assessment(est: StageEstimate, c: Any) -> None:
    from teachwhy.evals.assessment import select_seeds

    w = workload().evals["assessment"]
    seeds = len(select_seeds(c.seeds, c.light))
    seeds = min(seeds, c.limit) if c.limit else seeds
    turns = c.turn_cap()
    cap = {"auditor": c.auditor_max_tokens, "target": c.target_max_tokens}
    for role, model in (("auditor", c.auditor), ("target", c.target)):
        out = w[f"{role}_output_per_turn"] if cap[role] is None else min(cap[role], w[f"{role}_output_per_turn"])
        est.call(model, seeds * turns * w[f"{role}_input_per_turn"], seeds * turns * out)
    judge_out = w["judge_output"] if c.judge_max_tokens is None else min(c.judge_max_tokens, w["judge_output"])
    est.call(c.judge, seeds * (w["judge_input_base"] + turns * w["judge_input_per_turn"]), seeds * judge_out)


def _constitution(est: StageEstimate, c: Any) -> None:
    from teachwhy.evals.constitution_eval import load_prompts

    w = workload().evals["constitution"]
    n = len(load_prompts(c.prompts))
    n = min(n, c.limit) if c.limit else n
    t_out = w["target_output"] if c.target_max_tokens is None else min(c.target_max_tokens, w["target_output"])
    j_out = w["judge_output"] if c.judge_max_tokens is None else min(c.judge_max_tokens, w["judge_output"])
    est.call(c.target, n * w["target_input"], n * t_out)
    est.call(c.judge, n * w["judge_input"], n * j_out)


def _propensity(est: StageEstimate, c: Any) -> None:
    """No generation: one forward pass over each instance (prompt + both scripted actions) on the device."""
    w = workload().evals["honeypots"]
    est.add_device("prefill", c.samples * len(c.scenarios) * (w["target_input_per_turn"] + 600))


def _eval_config(est: StageEstimate, c: Any) -> None:
    name = type(c).__name__
    if name == "HoneypotRun":
        _honeypots(est, c)
    elif name == "AssessmentConfig":
        _assessment(est, c)
    elif name == "PropensityRun":
        _propensity(est, c)
    else:
        _constitution(est, c)


def _sft(est: StageEstimate, stage: Stage, c: Any, data_tokens: dict[str, float], data_kind: dict[str, str]) -> None:
    wl = workload().data
    total, rows = 0.0, 0.0
    for u, src in zip(stage.spec["stage"]["data"], c.data.sources, strict=True):
        work = wl.get(data_kind[u["dataset"]])
        row_tokens = float(work.row_tokens) if work else 1000.0
        t = float(src.tokens) if src.tokens else data_tokens.get(u["dataset"], 0.0)
        if src.limit and not src.tokens:
            t = min(t, src.limit * row_tokens)
        total += t
        rows += t / row_tokens
    mean_row = min(total / rows if rows else c.train.max_length, c.train.max_length)
    kind = stage.spec["stage"]["kind"]
    if c.train.max_steps > 0:
        block = c.train.max_length if kind == "sdf" else mean_row
        trained = c.train.max_steps * c.train.batch_size * c.train.grad_accum * block
    else:
        trained = total * c.train.epochs
    est.train_tokens = trained
    est.add_device(kind, trained)


def _rl(est: StageEstimate, stage: Stage, c: Any, cfg: ExperimentConfig) -> None:
    w = workload().rl
    if c.train.max_steps <= 0:
        est.notes.append(f"{stage.id}: train.max_steps not set, RL not estimated")
        return
    completions = c.train.max_steps * c.train.batch_size * c.train.grad_accum
    comp_tokens = w["completion_share"] * c.grpo.max_completion_length
    aug = min(1.0, c.augment.tools_fraction + c.augment.system_prompt_fraction)
    prompt = w["prompt_tokens"] + aug * w["augmented_prompt_extra"]
    est.add_device("prefill", completions * prompt)
    est.add_device("generate_vllm" if c.grpo.use_vllm else "generate", completions * comp_tokens)
    trained = completions * (prompt + comp_tokens) * c.grpo.num_iterations
    est.train_tokens = trained
    est.add_device("sft", trained)
    if c.reward.judge.enabled:
        judge = c.reward.judge.model or cfg.judge
        est.call(judge, completions * (w["judge_input"] + comp_tokens),
                 completions * min(w["judge_output"], c.reward.judge.max_tokens))  # fmt: skip
    snaps = (c.train.max_steps // c.snapshots.every_steps if c.snapshots.every_steps else 0) + int(c.snapshots.at_end)
    if snaps and c.snapshots.evals:
        _snapshots(est, cfg, snaps, c.snapshots.limit)


def _snapshots(est: StageEstimate, cfg: ExperimentConfig, snaps: int, limit: int | None) -> None:
    from teachwhy.evals.assessment import AssessmentConfig
    from teachwhy.evals.constitution_eval import AdherenceConfig
    from teachwhy.evals.honeypots import HoneypotRun

    one = StageEstimate("snapshot", "eval")
    model = "<policy>"
    for name in cfg.rl_snapshots.evals:
        if name == "honeypots":
            _honeypots(one, HoneypotRun(model=model, judge=cfg.judge, samples=limit or 1))
        elif name == "adherence":
            _constitution(one, AdherenceConfig(target=model, judge=cfg.judge or "embedded", limit=limit))
        elif name == "assessment":
            _assessment(one, AssessmentConfig(target=model, auditor=cfg.auditor, judge=cfg.judge or "embedded",
                                              light=True, limit=limit))  # fmt: skip
        else:
            est.notes.append(f"snapshot eval {name}: not estimated")
    for m, (i, o) in one.api.items():
        est.call(m, i * snaps, o * snaps)
    for work, t in one.device.items():
        est.add_device(work, t * snaps)


# ------------------------------------------------------------------------------------------ all stages
def estimate(cfg: ExperimentConfig, stages: list[Stage] | None = None) -> list[StageEstimate]:
    """One :class:`StageEstimate` per stage (device hours None where no rate is known for the model)."""
    from teachwhy.experiments.stages import build_stage_config

    stages = stages if stages is not None else expand(cfg)
    rates = _rates(cfg)
    train_price = price_for(cfg.prices, cfg.base_model)
    data_tokens: dict[str, float] = {}
    data_kind: dict[str, str] = {d.name: d.kind for d in cfg.datasets}
    out: list[StageEstimate] = []
    for stage in stages:
        est = StageEstimate(stage.id, stage.kind)
        inputs = {d: {"path": f"<{d}>/data.jsonl", "model": f"<{d}>/model", "dir": f"<{d}>"} for d in stage.deps}
        c: Any = build_stage_config(stage, Path(f"<{stage.id}>"), inputs)
        if stage.kind == "data":
            data_tokens[stage.spec["name"]] = _data(est, stage, c)
        elif stage.kind == "check":
            judge = getattr(c, "judge", None)
            if judge:
                work = workload()
                tokens = data_tokens.get(stage.spec["dataset"], 0.0)
                rows = tokens / work.data[data_kind[stage.spec["dataset"]]].row_tokens
                est.call(judge, tokens + rows * work.check["judge_input_extra"], rows * work.check["judge_output"])
        elif stage.kind == "train":
            if stage.spec["stage"]["kind"] == "rl":
                _rl(est, stage, c, cfg)
            else:
                _sft(est, stage, c, data_tokens, data_kind)
        else:
            _eval_config(est, c)
        _price(est, cfg, train_price, rates)
        out.append(est)
    return out


def _rates(cfg: ExperimentConfig) -> dict[str, float | None]:
    entry = throughput_for(cfg.base_model)
    table: dict[str, float | None] = {w: (entry.rates[w].tokens_per_s if entry and w in entry.rates else None)
                                      for w in WORKS}  # fmt: skip
    table.update({str(k): v for k, v in cfg.throughput.items()})
    return table


def _price(est: StageEstimate, cfg: ExperimentConfig, train_price: Any, rates: dict[str, float | None]) -> None:
    cost = 0.0
    for model, (n_in, n_out) in est.api.items():
        p = price_for(cfg.prices, model)
        if p is None:
            est.notes.append(f"unpriced model {model}")
        else:
            cost += (n_in * p.input + n_out * p.output) / 1e6
    if train_price is not None:
        cost += est.train_tokens * train_price.train / 1e6
    est.cost_usd = cost
    seconds = 0.0
    for work, tokens in est.device.items():
        rate = rates.get(work)
        if rate is None:
            est.device_hours = None
            est.notes.append(f"no {work} rate for {cfg.base_model}: add `throughput: {{{work}: TOKENS_PER_S}}`")
            return
        seconds += tokens / rate
    est.device_hours = seconds / 3600


# ------------------------------------------------------------------------------------------ text
def _tok(x: float) -> str:
    if x >= 1e9:
        return f"{x / 1e9:.2f}B"
    if x >= 1e6:
        return f"{x / 1e6:.2f}M"
    if x >= 1e3:
        return f"{x / 1e3:.1f}k"
    return f"{x:.0f}"


def _hours(h: float | None) -> str:
    return "?" if h is None else f"{h:.2f}"


def format_estimates(cfg: ExperimentConfig, ests: list[StageEstimate]) -> str:
    """Per stage and in total: API tokens in/out, trained tokens, device hours, dollars; then where the rates come
    from (measured or assumed)."""
    entry = throughput_for(cfg.base_model)
    lines = [
        "estimate before anything runs (API tokens x `prices`; device hours from the throughput table; token "
        "figures from resources/experiments/workload.yaml):",  # fmt: skip
        f"  {'stage':46} {'api in':>9} {'api out':>9} {'trained':>9} {'device h':>9} {'cost $':>10}",
    ]
    totals: dict[str, list[float]] = {}
    unknown_hours = False
    for e in ests:
        i, o = e.api_tokens()
        lines.append(f"  {e.stage:46} {_tok(i):>9} {_tok(o):>9} {_tok(e.train_tokens):>9} "
                     f"{_hours(e.device_hours):>9} {e.cost_usd:>10.2f}")  # fmt: skip
        t = totals.setdefault(e.kind, [0, 0, 0, 0, 0])
        for k, v in enumerate((i, o, e.train_tokens, e.device_hours or 0.0, e.cost_usd)):
            t[k] += v
        unknown_hours |= e.device_hours is None
    grand = [sum(t[k] for t in totals.values()) for k in range(5)]
    for kind, t in [*totals.items(), ("TOTAL", grand)]:
        label = f"total {kind} stages" if kind != "TOTAL" else "TOTAL"
        lines.append(f"  {label:46} {_tok(t[0]):>9} {_tok(t[1]):>9} {_tok(t[2]):>9} {t[3]:>9.2f} {t[4]:>10.2f}")
    if unknown_hours:
        lines.append("  (device hours '?' where no rate is known: those stages are left out of the totals)")
    if entry is not None:
        lines.append(f"rates: {entry.name} on {entry.device}:")
        for w in WORKS:
            if w in cfg.throughput:
                lines.append(f"  {w:13} {cfg.throughput[w]:>8g} tok/s  from the experiment's `throughput`")
            elif w in entry.rates and entry.rates[w].tokens_per_s:
                r = entry.rates[w]
                lines.append(f"  {w:13} {r.tokens_per_s:>8g} tok/s  {'measured' if r.measured else 'ASSUMED'}: "
                             f"{r.how}")  # fmt: skip
    else:
        lines.append(f"rates: no throughput entry matches {cfg.base_model}; set `throughput:` in the experiment")
    notes = sorted({n for e in ests for n in e.notes})
    lines.extend(f"note: {n}" for n in notes)
    return "\n".join(lines)
