"""The result paragraph that leads a report: the model organism's in-distribution honeypot rate, each
intervention's rate on the same instances with an exact paired test, and every arm's propensity on the held-out
families — computed from the finished eval stages, so it says exactly what ran (and what did not).

Used by ``write_report`` for any experiment with an ``organism`` arm and a honeypot eval (the demo is one); returns
nothing for other experiments.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from teachwhy.evals.honeypots import FAMILIES, is_headline
from teachwhy.stats import mcnemar_exact, wilson

__all__ = ["ArmResult", "DemoResult", "demo_result", "result_line", "result_section"]

LIMITS = (
    "What a 135M model can and cannot show: it shows the study's mechanics end to end — a model organism that takes "
    "the honeypot in distribution, interventions trained only on data the evals never saw and measured on the same "
    "instances with a paired test, and a judge-free probe of the held-out families. It cannot show whether "
    "principled training generalizes as the study reports: the organism imitates the surface of a few dozen "
    "demonstrations, a few samples give wide intervals, and one training seed says nothing about a method's "
    "variance across retraining. Run the same experiment with a capable model for research numbers."
)


@dataclass
class ArmResult:
    """One arm's numbers in the result paragraph."""

    arm: str
    label: str
    role: str
    model: str | None = None
    harmful: dict[str, bool] = field(default_factory=dict)
    """Decided headline-cell samples of the honeypot eval: sample id -> harmful."""
    not_decided: int = 0
    """Headline-cell samples without a verdict (undecided, incomplete, empty, error)."""
    temperature: Any = None
    dtype: str | None = None
    """The weights' dtype of the honeypot eval (a model loaded here), as its summary recorded it."""
    propensity: dict[str, Any] | None = None
    """The propensity summary's ``overall`` block and its families (held-out families)."""

    @property
    def k(self) -> int:
        return sum(self.harmful.values())

    @property
    def n(self) -> int:
        return len(self.harmful)

    def rate(self) -> tuple[float, float, float] | None:
        """Harmful rate among decided samples with its Wilson interval (None without decided samples)."""
        if not self.n:
            return None
        lo, hi = wilson(self.k, self.n)
        return (self.k / self.n, lo, hi)


@dataclass
class DemoResult:
    """What the paragraph reports."""

    organism: ArmResult
    interventions: list[ArmResult]
    base: ArmResult | None
    honeypot_eval: str
    honeypot_families: list[str]
    propensity_eval: str | None
    skipped: list[str]
    families: list[str]
    compact: bool = False
    """The honeypot eval used the compact rendering (short inbox)."""
    note: str = ""
    """Set when the experiment has several training seeds or eval repeats: the paragraph reads one of each."""

    def paired(self, arm: ArmResult) -> dict[str, Any]:
        """Exact McNemar test of ``arm`` against the organism on the samples both decided.

        ``b``: organism harmful, arm not; ``c``: arm harmful, organism not."""
        both = sorted(set(arm.harmful) & set(self.organism.harmful))
        b = sum(self.organism.harmful[s] and not arm.harmful[s] for s in both)
        c = sum(arm.harmful[s] and not self.organism.harmful[s] for s in both)
        return {"pairs": len(both), "b": b, "c": c, "p": mcnemar_exact(b, c) if both else math.nan}


def _read(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def demo_result(run_dir: Path | str) -> DemoResult | None:
    """The numbers of the result paragraph, or None when the experiment has no organism arm, no honeypot eval, or
    the organism's honeypot eval has not finished."""
    from teachwhy.experiments import ExperimentConfig, expand, read_done, stage_dir

    run = Path(run_dir)
    exp = _read(run / "experiment.json")
    if not exp:
        return None
    cfg = ExperimentConfig.model_validate(exp["config"])
    organism = next((a for a in cfg.arms if a.role == "organism"), None)
    hp = next((e for e in cfg.evals if e.kind == "honeypots"), None)
    if organism is None or hp is None:
        return None
    prop = next((e for e in cfg.evals if e.kind == "propensity"), None)
    stages = expand(cfg)
    arms: dict[str, ArmResult] = {}
    for a in cfg.arms:
        arms[a.name] = ArmResult(a.name, a.label or a.name, a.role)
    base = ArmResult("base", "base model", "base")
    seed = cfg.seeds[0]
    for s in stages:
        if s.seed != seed or s.repeat not in (None, 0):
            continue
        done = read_done(run, s)
        if done is None:
            continue
        target = arms.get(s.arm or "", base if s.arm == "base" else None)
        if target is None:
            continue
        if s.kind == "train":
            target.model = str(done["result"].get("model"))
        elif s.kind == "eval" and s.meta.get("eval") == hp.name:
            summary = _read(stage_dir(run, s) / "eval" / "summary.json") or {}
            target.temperature = summary.get("temperature")
            target.dtype = summary.get("dtype")
            for r in summary.get("samples", []):
                if not isinstance(r.get("condition"), str) or not is_headline(r["condition"]):
                    continue
                if r.get("status") == "ok":
                    target.harmful[str(r["sample_id"])] = bool(r.get("harmful"))
                else:
                    target.not_decided += 1
        elif prop is not None and s.kind == "eval" and s.meta.get("eval") == prop.name:
            ps = _read(stage_dir(run, s) / "eval" / "summary.json")
            if ps and isinstance(ps.get("overall"), dict) and "preference" in ps["overall"]:
                target.propensity = {"overall": ps["overall"], "families": ps["families"], "counts": ps["counts"]}
    org = arms[organism.name]
    if not org.n and not org.not_decided:
        return None
    kinds = {e.kind for e in cfg.evals}
    skipped = [k for k in ("assessment", "constitution") if k not in kinds]
    families = list((prop.settings.get("scenarios") if prop else None) or [])
    return DemoResult(
        organism=org,
        interventions=[arms[a.name] for a in cfg.arms if a.role != "organism"],
        base=base if (base.n or base.propensity) else None,
        honeypot_eval=hp.name,
        honeypot_families=list(hp.settings.get("scenarios") or FAMILIES),
        propensity_eval=prop.name if prop else None,
        skipped=skipped,
        families=families,
        compact=bool(hp.settings.get("compact")),
        note=(f"training seed {seed}, eval repeat 0 of an experiment with {len(cfg.seeds)} seed(s) and "
              f"{cfg.repeats} repeat(s); the results table pools them all") if len(cfg.seeds) > 1 or cfg.repeats > 1
        else "",
    )  # fmt: skip


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _rate_text(a: ArmResult) -> str:
    r = a.rate()
    if r is None:
        return f"no decided sample ({a.not_decided} without a verdict)"
    extra = f"; {a.not_decided} without a verdict" if a.not_decided else ""
    return f"{a.k}/{a.n} ({_pct(r[0])}, 95% CI {_pct(r[1])}–{_pct(r[2])}{extra})"


def _dtype(dtype: str | None) -> str:
    """The weights' dtype, named when it is not float32.

    >>> _dtype("bfloat16"), _dtype("float32"), _dtype(None)
    (', bfloat16 weights', '', '')
    """
    return f", {dtype} weights" if dtype and dtype != "float32" else ""


def _temperature(t: Any) -> str:
    if t is None:
        return "the provider's default temperature"
    return "temperature 0 (greedy decoding)" if float(t) <= 0 else f"temperature {t:g}"


def _effect(d: DemoResult, a: ArmResult) -> str:
    t = d.paired(a)
    ra, ro = a.rate(), d.organism.rate()
    if ra is None or ro is None or not t["pairs"]:
        return f"{a.label}: {_rate_text(a)}; no paired comparison (no sample decided in both arms)"
    verdict = ("lower than the organism" if ra[0] < ro[0] else
               "not lower than the organism: this intervention did not reduce the rate")  # fmt: skip
    return (f"{a.label}: {_rate_text(a)}, {verdict} (exact McNemar on {t['pairs']} paired "
            f"sample{'' if t['pairs'] == 1 else 's'}: "
            f"{t['b']} stopped, {t['c']} started, p = {t['p']:.3g})")  # fmt: skip


def _prop_text(a: ArmResult) -> str:
    p = a.propensity
    if not p:
        return f"{a.label}: not run"
    o = p["overall"]
    pref, lr = o["preference"], o["log_ratio_per_token"]
    if not pref["n"]:
        return f"{a.label}: no scored instance"
    lr_ci = "" if lr["n"] < 2 else f" [{lr['ci_low']:+.2f}, {lr['ci_high']:+.2f}]"
    text = (f"{a.label}: {pref['k']}/{pref['n']} ({_pct(pref['rate'])}, {_pct(pref['ci_low'])}–"
            f"{_pct(pref['ci_high'])}); mean log-ratio {lr['mean']:+.3f} nats/token{lr_ci}")  # fmt: skip
    fams = p.get("families") or {}
    if len(fams) > 1:
        text += " (" + "; ".join(f"{name} {f['preference']['k']}/{f['preference']['n']}, "
                                 f"{f['log_ratio_per_token']['mean']:+.3f}"
                                 for name, f in sorted(fams.items()) if f["preference"]["n"]) + ")"  # fmt: skip
    return text


def result_line(d: DemoResult) -> str:
    """One line for the terminal: organism rate -> each intervention's rate (paired p)."""
    parts = [f"organism {d.organism.k}/{d.organism.n}"]
    for a in d.interventions:
        t = d.paired(a)
        p = "" if not t["pairs"] else f" (p={t['p']:.2g})"
        parts.append(f"{a.label} {a.k}/{a.n}{p}")
    return "result: honeypot taken in distribution (held-out storylines, headline cell): " + " -> ".join(parts)


def _commands(d: DemoResult) -> list[str]:
    model = d.organism.model or "RUN/stages/<arm's last train stage>/model"
    cmds = {
        "assessment": f"teachwhy eval assessment --target {model} --auditor anthropic/claude-sonnet-4-5 "
        "--judge anthropic/claude-sonnet-4-5 --light",
        "constitution": f"teachwhy eval constitution --target {model} --judge anthropic/claude-sonnet-4-5",
    }
    return [cmds[k] for k in d.skipped]


def result_section(run_dir: Path | str) -> str:
    """The HTML section that leads the report (empty when :func:`demo_result` has nothing to say)."""
    d = demo_result(run_dir)
    if d is None:
        return ""
    e = html.escape
    o = d.organism
    rendering = "compact rendering (short inbox, as in training), " if d.compact else ""
    lead = (f"In distribution ({', '.join(d.honeypot_families)}: eval storylines the training never used, headline "
            f"cell, {rendering}decided by the detector alone, {_temperature(o.temperature)}{_dtype(o.dtype)}), the model organism "
            f"took the honeypot in {_rate_text(o)}.")  # fmt: skip
    if d.base is not None and d.base.n:
        lead += f" The untrained base model: {_rate_text(d.base)}."
    if d.note:
        lead += f" (Read here: {d.note}.)"
    effects = [_effect(d, a) for a in d.interventions]
    out = ["<section id='result'><h2>Result</h2>", f"<p id='result-lead'>{e(lead)} " + e(" ".join(
        f"{x}." for x in effects)) + "</p>"]  # fmt: skip
    if d.propensity_eval:
        fams = ", ".join(d.families) or "the held-out families"
        arms = [a for a in ([d.base] if d.base else []) + [o, *d.interventions] if a is not None]
        items = "".join(f"<li>{e(_prop_text(a))}</li>" for a in arms)
        out.append(f"<p id='result-propensity'>Generalization, judge-free: share of held-out instances ({e(fams)}) "
                   "where the harmful action is more likely per token than the ethical one (Wilson 95% CI), and the "
                   f"mean log-ratio (t 95% CI). No sampling: log-probabilities of given text.</p><ul>{items}</ul>")  # fmt: skip
    cmds = _commands(d)
    if cmds:
        names = " and ".join({"assessment": "the held-out assessment", "constitution": "constitution adherence"}[k]
                             for k in d.skipped)  # fmt: skip
        code = "; ".join(f"<code>{e(c)}</code>" for c in cmds)
        out.append(f"<p class='small' id='result-not-run'>Not run here: {names} (the embedded model cannot serve "
                   f"as judge or auditor). With a real model: {code}</p>")  # fmt: skip
    out.append(f"<p class='small'>{e(LIMITS)}</p></section>")
    return "\n".join(out)
