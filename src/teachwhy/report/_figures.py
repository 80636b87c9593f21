"""The study's figures, drawn with matplotlib (Agg) from the results table's rows."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["FIGURES", "draw_all", "pareto_front"]

Row = dict[str, Any]


def _ok(x: Any) -> bool:
    return isinstance(x, int | float) and not math.isnan(float(x))


def _final(rows: list[Row], kind: str, metric: str) -> list[Row]:
    return [r for r in rows if r["eval_kind"] == kind and r["metric"] == metric and r["step"] == -1
            and not r["eval"].startswith("compare:")]  # fmt: skip


def _arm_order(rows: list[Row]) -> list[str]:
    order = {"base": 0, "organism": 1, "control": 2, "intervention": 3}
    arms: dict[str, int] = {}
    for r in rows:
        arms.setdefault(r["arm"], order.get(r["role"], 4))
    return sorted(arms, key=lambda a: (arms[a], list(arms).index(a)))


def _labels(rows: list[Row]) -> dict[str, str]:
    return {r["arm"]: r["label"] or r["arm"] for r in rows}


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, fontsize=10, color="#555", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _mean_ci(rs: list[Row]) -> tuple[float, float, float]:
    vals = [r for r in rs if _ok(r["value"])]
    if not vals:
        return (math.nan, math.nan, math.nan)
    m = sum(r["value"] for r in vals) / len(vals)
    lo = sum(r["ci_low"] if _ok(r["ci_low"]) else r["value"] for r in vals) / len(vals)
    hi = sum(r["ci_high"] if _ok(r["ci_high"]) else r["value"] for r in vals) / len(vals)
    return (m, lo, hi)


def _bars(ax: Axes, rows: list[Row], metrics: list[tuple[str, str]], kind: str, ylabel: str, ylim: tuple[float, float]) -> bool:  # noqa: E501
    arms = _arm_order([r for m, _ in metrics for r in _final(rows, kind, m)])
    if not arms:
        return False
    if not any(_ok(r["value"]) for m, _ in metrics for r in _final(rows, kind, m)):
        _empty(ax, "no scored samples: every verdict was a judge error or empty\n"
                   "(counted in the table below, never scored)")
        return True
    labels = _labels(rows)
    width = 0.8 / len(metrics)
    for j, (metric, name) in enumerate(metrics):
        xs, ys, lo, hi = [], [], [], []
        for i, arm in enumerate(arms):
            m, a, b = _mean_ci([r for r in _final(rows, kind, metric) if r["arm"] == arm])
            if _ok(m):
                xs.append(i + (j - (len(metrics) - 1) / 2) * width)
                ys.append(m)
                n = sum(r["n"] for r in _final(rows, kind, metric) if r["arm"] == arm)
                ax.text(xs[-1], m, f"{m:.2f}\nn={n}", ha="center", va="bottom", fontsize=7)
                lo.append(max(0.0, m - a))
                hi.append(max(0.0, b - m))
        ax.bar(xs, ys, width=width * 0.95, label=name, yerr=[lo, hi], capsize=4, alpha=0.85)
        for i, arm in enumerate(arms):
            if not any(r["arm"] == arm and _ok(r["value"]) for r in _final(rows, kind, metric)):
                ax.text(i + (j - (len(metrics) - 1) / 2) * width, ylim[0], "n/a", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(arms)))
    ax.set_xticklabels([labels.get(a, a) for a in arms], rotation=20, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_ylim(*ylim)
    if len(metrics) > 1:
        ax.legend(fontsize=8)
    return True


def fig_honeypot_rates(rows: list[Row], ax: Axes) -> None:
    """Honeypot misalignment rate per arm (mean of the three families) with 95% intervals."""
    if not _bars(ax, rows, [("honeypot_rate", "all families")], "honeypots", "misalignment rate", (0, 1)):
        _empty(ax, "no honeypot results yet")
    ax.set_title("Honeypot misalignment rate per arm (95% CI)")


def pareto_front(points: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """Points not dominated by another with fewer-or-equal tokens and a lower-or-equal rate (lower is better).

    >>> [p[2] for p in pareto_front([(1e6, 0.3, "a"), (3e6, 0.1, "b"), (8e7, 0.1, "c"), (2e6, 0.5, "d")])]
    ['a', 'b']
    """
    front: list[tuple[float, float, str]] = []
    best = math.inf
    for x, y, name in sorted(points, key=lambda p: (p[0], p[1])):
        if y < best:
            front.append((x, y, name))
            best = y
    return front


def fig_pareto(rows: list[Row], ax: Axes) -> None:
    """Honeypot rate against each intervention's own training tokens; the Pareto frontier is marked and the
    reference arm (model organism or base model) is the dotted line."""
    labels = _labels(rows)
    pts = []
    for arm in _arm_order(_final(rows, "honeypots", "honeypot_rate")):
        rs = [r for r in _final(rows, "honeypots", "honeypot_rate") if r["arm"] == arm]
        m, lo, hi = _mean_ci(rs)
        tokens = max((r["training_tokens"] for r in rs), default=0)
        if _ok(m) and rs[0]["role"] in ("organism", "base"):
            ax.axhline(m, color="#999", linestyle=":", label=f"{labels.get(arm, arm)} (reference)")
        elif _ok(m) and tokens > 0:
            pts.append((float(tokens), m, arm))
            ax.errorbar([tokens], [m], yerr=[[m - lo], [hi - m]], fmt="o", capsize=3, color="#4477aa")
            ax.annotate(labels.get(arm, arm), (tokens, m), textcoords="offset points", xytext=(5, 5), fontsize=8)
    if not pts:
        _empty(ax, "no trained arm with a honeypot result yet")
    else:
        front = pareto_front(pts)
        ax.plot([p[0] for p in front], [p[1] for p in front], "--", color="#cc3311", label="Pareto frontier")
        ax.scatter([p[0] for p in front], [p[1] for p in front], s=160, facecolors="none", edgecolors="#cc3311")
        ax.set_xscale("log")
        ax.set_xlabel("training tokens of the arm (log)")
        ax.set_ylabel("honeypot misalignment rate")
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8)
    ax.set_title("Misalignment vs training tokens")


def fig_assessment(rows: list[Row], ax: Axes) -> None:
    """Held-out assessment per arm: misaligned behaviour (lower is better) and admirable behaviour (higher)."""
    metrics = [("misaligned_behavior", "misaligned (lower is better)"), ("admirable_behavior", "admirable (higher is better)")]  # noqa: E501
    if not _bars(ax, rows, metrics, "assessment", "judge score (1-10)", (0, 10)):
        _empty(ax, "no held-out assessment results yet")
    ax.set_title("Held-out automated alignment assessment (95% CI)")


def _rl(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r["eval_kind"] == "rl" and _ok(r["value"])]


def fig_rl_steps(rows: list[Row], ax: Axes) -> None:
    """Metrics over RL steps per arm: snapshot honeypot rate (solid) and mean reward (dotted)."""
    rl = _rl(rows)
    labels = _labels(rows)
    if not rl:
        _empty(ax, "no RL stage in this run")
        ax.set_title("Metrics over RL steps")
        return
    for (ev, metric, style) in (("rl_snapshot:honeypots", "honeypot_rate", "-o"), ("rl_train", "reward", ":s")):
        for arm in _arm_order(rl):
            pts = sorted((r["step"], r["value"]) for r in rl if r["arm"] == arm and r["eval"] == ev and r["metric"] == metric)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], style, label=f"{labels.get(arm, arm)}: {metric}")
    ax.set_xlabel("RL step")
    ax.set_ylabel("rate / reward")
    ax.legend(fontsize=7)
    ax.set_title("Metrics over RL steps per arm")


def fig_environments(rows: list[Row], ax: Axes) -> None:
    """Plain against augmented (tools + system prompts) RL environments: honeypot rate over steps."""
    rl = [r for r in _rl(rows) if r["environments"]]
    snap = [r for r in rl if r["metric"] == "honeypot_rate"] or [r for r in rl if r["metric"] == "reward"]
    if not snap:
        _empty(ax, "no RL stage with plain/augmented environments in this run")
        ax.set_title("Plain vs augmented environments")
        return
    colors = {"plain": "#4477aa", "augmented": "#ee6677"}
    labels = _labels(rows)
    for arm in _arm_order(snap):
        rs = [r for r in snap if r["arm"] == arm]
        pts = sorted((r["step"], r["value"]) for r in rs)
        env = rs[0]["environments"]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "-o", color=colors.get(env, "#777"),
                label=f"{labels.get(arm, arm)} ({env})")  # fmt: skip
    ax.set_xlabel("RL step")
    ax.set_ylabel(snap[0]["metric"])
    ax.legend(fontsize=8)
    ax.set_title("Plain vs augmented environments")


FIGURES: dict[str, tuple[str, Callable[[list[Row], Axes], None]]] = {
    "honeypot_rates": ("Honeypot rate per arm", fig_honeypot_rates),
    "pareto": ("Misalignment vs training tokens (Pareto frontier)", fig_pareto),
    "assessment": ("Held-out assessment per arm", fig_assessment),
    "rl_steps": ("Metrics over RL steps", fig_rl_steps),
    "environments": ("Plain vs augmented environments", fig_environments),
}


def draw_all(rows: list[Row], out_dir: Path) -> dict[str, Path]:
    """Draw every figure into ``out_dir/<name>.png``; returns ``{name: path}``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (_title, fn) in FIGURES.items():
        fig: Figure = plt.figure(figsize=(7.5, 4.5), dpi=100)
        ax = fig.add_subplot(1, 1, 1)
        fn(rows, ax)
        fig.tight_layout()
        path = out_dir / f"{name}.png"
        fig.savefig(path)
        plt.close(fig)
        paths[name] = path
    return paths
