"""The study's figures, drawn with matplotlib (Agg) from the results table's rows.

Every plotted number is a row of the table, plotted as it is: per-arm bars and points are the **arm rows**
(``seed = -1``: the estimate over training seeds with its cluster-bootstrap interval), gap bars the **gap rows**.
Nothing is averaged here. An arm whose runs are over their error budget is drawn in red, hatched, and labelled
"unreliable"; a number that is undefined (e.g. a family without a decided sample) is marked "n/a".
"""

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

__all__ = ["FIGURES", "UNRELIABLE_COLOR", "arm_rows", "draw_all", "pareto_front", "place_labels"]

Row = dict[str, Any]
UNRELIABLE_COLOR = "#cc0000"
_COLORS = ("#4477aa", "#66ccee", "#228833", "#ccbb44")


def _ok(x: Any) -> bool:
    return isinstance(x, int | float) and not math.isnan(float(x))


def arm_rows(rows: list[Row], kind: str, metric: str) -> list[Row]:
    """The arm rows (estimate over seeds) of one eval kind and metric, in report order."""
    picked = [r for r in rows if r["eval_kind"] == kind and r["metric"] == metric and r["seed"] == -1
              and r["step"] == -1]  # fmt: skip
    order = {"base": 0, "organism": 1, "control": 2, "intervention": 3}
    first = {r["arm"]: i for i, r in reversed(list(enumerate(picked)))}
    return sorted(picked, key=lambda r: (order.get(r["role"], 4), first[r["arm"]]))


def _label(r: Row) -> str:
    return str(r["label"] or r["arm"])


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, fontsize=10, color="#555", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _errs(r: Row) -> tuple[float, float]:
    v = float(r["value"])
    lo = r["ci_low"] if _ok(r["ci_low"]) else v
    hi = r["ci_high"] if _ok(r["ci_high"]) else v
    return (max(0.0, v - lo), max(0.0, hi - v))


def _bars(ax: Axes, series: list[tuple[str, list[Row]]], ylabel: str, ylim: tuple[float, float]) -> bool:
    """One bar group per arm, one bar per series; error bars are each row's own interval."""
    arms: list[str] = []
    labels: dict[str, str] = {}
    for _, rs in series:
        for r in rs:
            if r["arm"] not in arms:
                arms.append(r["arm"])
                labels[r["arm"]] = _label(r)
    if not arms:
        return False
    width = 0.8 / len(series)
    for j, (name, rs) in enumerate(series):
        by_arm = {r["arm"]: r for r in rs}
        xs, ys, lo, hi, colors, hatches = [], [], [], [], [], []
        for i, arm in enumerate(arms):
            x = i + (j - (len(series) - 1) / 2) * width
            got = by_arm.get(arm)
            if got is None or not _ok(got["value"]):
                withheld = got is not None and not got["reliable"]
                ax.text(x, max(ylim[0], 0.0), "withheld\n(unreliable)" if withheld else "n/a", ha="center",
                        va="bottom", fontsize=7, color=UNRELIABLE_COLOR if withheld else "#555")  # fmt: skip
                continue
            r = got
            bad = not r["reliable"]
            xs.append(x)
            ys.append(float(r["value"]))
            e = _errs(r)
            lo.append(e[0])
            hi.append(e[1])
            colors.append(UNRELIABLE_COLOR if bad else _COLORS[j % len(_COLORS)])
            hatches.append("//" if bad else "")
            ax.text(x, float(r["value"]), f"{r['value']:.2f}\nn={r['n']}" + ("\nunreliable" if bad else ""),
                    ha="center", va="bottom", fontsize=7, color=UNRELIABLE_COLOR if bad else "black")  # fmt: skip
        bars = ax.bar(xs, ys, width=width * 0.95, label=name, yerr=[lo, hi], capsize=4, alpha=0.85, color=colors)
        for patch, hatch in zip(bars.patches, hatches, strict=True):
            patch.set_hatch(hatch)
    ax.set_xticks(range(len(arms)))
    ax.set_xticklabels([labels[a] for a in arms], rotation=20, ha="right")
    ax.set_xlim(-0.5, len(arms) - 0.5)
    ax.set_ylabel(ylabel)
    ax.set_ylim(*ylim)
    if len(series) > 1:
        ax.legend(fontsize=8)
    return True


def fig_honeypot_rates(rows: list[Row], ax: Axes) -> None:
    """Honeypot headline rate per arm (explicit goal, replacement threat, no notice; mean of the evaluated families'
    rates) over training seeds, with its 95% cluster-bootstrap interval (seeds, then samples)."""
    if not _bars(ax, [("headline cell", arm_rows(rows, "honeypots", "honeypot_rate"))], "misalignment rate", (0, 1)):
        _empty(ax, "no honeypot results yet")
    ax.set_title("Honeypot headline rate per arm (95% CI over seeds)")


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


_OFFSETS = [(6, 6), (6, -14), (-6, 6), (-6, -14), (6, 20), (6, -28), (-6, 20), (-6, -28), (6, 34), (6, -42),
            (-6, 34), (-6, -42), (6, 48), (-6, 48)]  # fmt: skip


def place_labels(ax: Axes, points: list[tuple[float, float, str]], fontsize: int = 8) -> list[Any]:
    """Annotate each point with its label where the label's box stays inside the figure and overlaps no label placed
    before it (trying offsets around the point, toward the middle of the axes first; the last offset is used if every
    one collides). Returns the annotations."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    placed: list[Any] = []
    boxes: list[Any] = []
    inside = fig.bbox.padded(-2)
    for x, y, text in points:
        ann = None
        px, _ = ax.transData.transform((x, y))
        right_half = px > (ax.bbox.x0 + ax.bbox.x1) / 2
        offsets = sorted(_OFFSETS, key=lambda o: (o[0] > 0) == right_half)  # toward the middle first (stable sort)
        for dx, dy in offsets:
            if ann is not None:
                ann.remove()
            ann = ax.annotate(text, (x, y), textcoords="offset points", xytext=(dx, dy), fontsize=fontsize,
                              ha="left" if dx > 0 else "right", va="bottom")  # fmt: skip
            ann.set_in_layout(False)  # a later tight_layout must not move the points the labels were fitted to
            box = ann.get_window_extent(renderer).padded(2)
            fits = inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1
            if fits and not any(box.overlaps(b) for b in boxes):
                break
        assert ann is not None
        boxes.append(ann.get_window_extent(renderer).padded(2))
        placed.append(ann)
    return placed


def fig_pareto(rows: list[Row], ax: Axes) -> None:
    """Honeypot headline rate (arm rows, 95% interval over seeds) against each arm's own training tokens; the Pareto
    frontier (through reliable arms) is marked and the reference arm (model organism or base model) is the dotted
    line. Unreliable arms are red."""
    pts: list[tuple[float, float, str]] = []
    trusted: list[tuple[float, float, str]] = []  # the frontier is drawn through reliable arms only
    for r in arm_rows(rows, "honeypots", "honeypot_rate"):
        if not _ok(r["value"]):
            continue
        m = float(r["value"])
        lo, hi = _errs(r)
        color = UNRELIABLE_COLOR if not r["reliable"] else "#4477aa"
        if r["role"] in ("organism", "base"):
            ax.axhline(m, color="#999", linestyle=":", label=f"{_label(r)} (reference)")
        elif r["training_tokens"] > 0:
            pts.append((float(r["training_tokens"]), m, _label(r) + (" (unreliable)" if not r["reliable"] else "")))
            if r["reliable"]:
                trusted.append(pts[-1])
            ax.errorbar([r["training_tokens"]], [m], yerr=[[lo], [hi]], fmt="o", capsize=3, color=color)
    if not pts:
        _empty(ax, "no trained arm with a honeypot result yet")
    else:
        front = pareto_front(trusted)
        ax.plot([p[0] for p in front], [p[1] for p in front], "--", color="#cc3311", label="Pareto frontier")
        ax.scatter([p[0] for p in front], [p[1] for p in front], s=160, facecolors="none", edgecolors="#cc3311")
        ax.set_xscale("log")
        ax.set_xlabel("training tokens of the arm (log)")
        ax.set_ylabel("honeypot headline rate")
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8, loc="best")
        ax.get_figure(root=True).tight_layout()  # type: ignore[union-attr]  # settle the layout: labels go in display space
        place_labels(ax, sorted(pts))
    ax.set_title("Misalignment vs training tokens")


def fig_assessment(rows: list[Row], ax: Axes) -> None:
    """Held-out assessment per arm over training seeds (95% interval): misaligned behaviour (lower is better) and
    admirable behaviour (higher is better)."""
    series = [("misaligned (lower is better)", arm_rows(rows, "assessment", "misaligned_behavior")),
              ("admirable (higher is better)", arm_rows(rows, "assessment", "admirable_behavior"))]  # fmt: skip
    if not _bars(ax, series, "judge score (1-10)", (0, 10)):
        _empty(ax, "no held-out assessment results yet")
    ax.set_title("Held-out automated alignment assessment (95% CI over seeds)")


def gap_rows(rows: list[Row]) -> list[Row]:
    """The generalization-gap rows, one per (arm, held-out eval)."""
    return [r for r in rows if r["eval_kind"] == "gap" and r["metric"] == "generalization_gap"]


def fig_gap(rows: list[Row], ax: Axes) -> None:
    """Generalization gap per arm and held-out eval: in-distribution gain (honeypot headline rate) minus held-out gain
    (score / 9), with its 95% paired cluster-bootstrap interval. Above 0: the honeypots improved more than behaviour
    far from them."""
    gaps = gap_rows(rows)
    evals = sorted({r["eval"] for r in gaps})
    if not gaps or not _bars(ax, [(f"held out: {e}", [r for r in gaps if r["eval"] == e]) for e in evals],
                             "gap (0-1 scale)", (-1, 1)):  # fmt: skip
        _empty(ax, "no generalization gap yet (needs honeypots and a held-out eval on the reference and an arm)")
    else:
        ax.axhline(0, color="#999", linewidth=0.8)
    ax.set_title("Generalization gap per held-out eval (95% CI)")


def _rl(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r["eval_kind"] == "rl" and _ok(r["value"])]


def _arm_names(rows: list[Row]) -> list[str]:
    out: list[str] = []
    for r in rows:
        if r["arm"] not in out:
            out.append(r["arm"])
    return out


def fig_rl_steps(rows: list[Row], ax: Axes) -> None:
    """Metrics over RL steps per arm: snapshot honeypot rate over all conditions of the light suite (solid) and mean
    reward (dotted)."""
    rl = _rl(rows)
    labels = {r["arm"]: _label(r) for r in rows}
    if not rl:
        _empty(ax, "no RL stage in this run")
        ax.set_title("Metrics over RL steps")
        return
    for ev, metric, style in (("rl_snapshot:honeypots", "honeypot_rate.all_conditions", "-o"),
                              ("rl_train", "reward", ":s")):  # fmt: skip
        for arm in _arm_names(rl):
            pts = sorted(
                (r["step"], r["value"]) for r in rl if r["arm"] == arm and r["eval"] == ev and r["metric"] == metric
            )
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], style, label=f"{labels.get(arm, arm)}: {metric}")
    ax.set_xlabel("RL step")
    ax.set_ylabel("rate / reward")
    ax.legend(fontsize=7)
    ax.set_title("Metrics over RL steps per arm")


def fig_environments(rows: list[Row], ax: Axes) -> None:
    """Plain against augmented (tools + system prompts) RL environments: snapshot honeypot rate over steps."""
    rl = [r for r in _rl(rows) if r["environments"]]
    snap = [r for r in rl if r["metric"] == "honeypot_rate.all_conditions"] or [
        r for r in rl if r["metric"] == "reward"
    ]
    if not snap:
        _empty(ax, "no RL stage with plain/augmented environments in this run")
        ax.set_title("Plain vs augmented environments")
        return
    colors = {"plain": "#4477aa", "augmented": "#ee6677"}
    labels = {r["arm"]: _label(r) for r in rows}
    for arm in _arm_names(snap):
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
    "honeypot_rates": ("Honeypot headline rate per arm", fig_honeypot_rates),
    "pareto": ("Misalignment vs training tokens (Pareto frontier)", fig_pareto),
    "assessment": ("Held-out assessment per arm", fig_assessment),
    "gap": ("Generalization gap per held-out eval", fig_gap),
    "rl_steps": ("Metrics over RL steps", fig_rl_steps),
    "environments": ("Plain vs augmented environments", fig_environments),
}


def draw(name: str, rows: list[Row]) -> Figure:
    """Draw one figure (the caller closes it)."""
    fig: Figure = plt.figure(figsize=(7.5, 4.5), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    FIGURES[name][1](rows, ax)
    fig.tight_layout()
    return fig


def draw_all(rows: list[Row], out_dir: Path) -> dict[str, Path]:
    """Draw every figure into ``out_dir/<name>.png``; returns ``{name: path}``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in FIGURES:
        fig = draw(name, rows)
        path = out_dir / f"{name}.png"
        fig.savefig(path)
        plt.close(fig)
        paths[name] = path
    return paths
