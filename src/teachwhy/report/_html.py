"""Render the report page: banner, figures, comparisons, cost ledger, stage timings and every number."""

from __future__ import annotations

import base64
import html
import json
import math
import os
from pathlib import Path
from typing import Any

from teachwhy._io import atomic_write_json, atomic_write_text
from teachwhy._provenance import provenance
from teachwhy.errors import TeachwhyError
from teachwhy.report._demo import result_section
from teachwhy.report._figures import FIGURES, draw_all

__all__ = ["write_report", "PIPELINE_CHECK"]

PIPELINE_CHECK = (
    "The target is the embedded 135M model (SmolLM2-135M-Instruct). This run is a pipeline check: it shows that "
    "every stage runs end to end and that every figure is drawn. It is not a research result; its rates say nothing "
    "about alignment."
)

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em} .banner{background:#fff3cd;border:1px solid #e0b84a;padding:.8em 1em;border-radius:6px;
font-weight:600} figure{margin:1.5em 0} figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{color:#555;font-size:.9em} .wide{max-width:100%;overflow-x:auto;margin:1em 0}
table{border-collapse:collapse;font-size:.8em} td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}
th{background:#f3f3f3} td.l,th.l{text-align:left;overflow-wrap:anywhere} td.note{max-width:28em;text-align:left}
tr.unreliable td{color:#b00000;background:#fdecec} .alert{background:#fdecec;border:1px solid #cc0000;
color:#900;padding:.6em 1em;border-radius:6px} .small{color:#666;font-size:.85em} code{overflow-wrap:anywhere}
"""


def _fmt(x: Any, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, float):
        return f"{x:.{digits}g}" if abs(x) >= 1e4 else f"{x:.{digits}f}"
    return html.escape(str(x))


def _table(rows: list[dict[str, Any]], cols: list[str], left: set[str], links: set[str], base: Path) -> str:
    """A table inside a horizontally scrolling box (the page itself never scrolls sideways); rows with
    ``reliable: false`` are red."""
    head = "".join(f"<th class='{'l' if c in left else ''}'>{html.escape(c)}</th>" for c in cols)
    body = []
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            if c in links and v:
                rel = os.path.relpath(str(v), base)
                cells.append(f"<td class='l'><a href='{html.escape(rel)}'>{html.escape(Path(str(v)).name)}</a></td>")
            else:
                cls = "note" if c == "note" else ("l" if c in left else "")
                cells.append(f"<td class='{cls}'>{_fmt(v)}</td>")
        bad = " class='unreliable'" if r.get("reliable") is False else ""
        body.append(f"<tr{bad}>" + "".join(cells) + "</tr>")
    return f"<div class='wide'><table><tr>{head}</tr>{''.join(body)}</table></div>"


STATS_NOTE = (
    "How to read the numbers. The unit of replication is the training seed. Per-arm values are means over seeds of "
    "each seed's estimate; their 95% intervals are a cluster bootstrap (resample seeds, then instances within each "
    "seed), never narrower than the independent-samples interval. Differences to the reference arm resample the "
    "arms together where they share seeds and instances (paired); their p-values are exact paired tests on the same "
    "instances (stratified McNemar for honeypot rates, Wilcoxon signed-rank for scores) and speak about these "
    "checkpoints, not about retraining: read the interval for whether a method works. The honeypot headline is the "
    "mean of the evaluated families' rates (all three in a full run) in the headline cell (explicit goal conflict, replacement threat, no evaluation "
    "notice). The generalization gap is the in-distribution gain (reference minus arm headline rate) minus the "
    "held-out gain (score change toward better / 9), one per held-out eval. An eval run with more non-ok samples "
    "(errors, empty, undecided, incomplete, missing) than its error budget is unreliable: shown in red, and every "
    "comparison that uses it is withheld."
)


def write_report(run_dir: Path | str, *, title: str | None = None) -> Path:
    """Write ``RUN/report/report.html`` (+ PNGs and ``report.json``); returns the HTML path."""
    from teachwhy.experiments.results import RESULTS, read_results

    run = Path(run_dir)
    results_path = run / RESULTS
    if not results_path.exists():
        raise TeachwhyError(f"{results_path} not found", hint=f"run `teachwhy experiment run FILE` with out: {run}")
    rows = read_results(results_path)
    exp = json.loads((run / "experiment.json").read_text()) if (run / "experiment.json").exists() else {}
    cfg = exp.get("config", {})
    ledger = json.loads((run / "ledger.json").read_text()) if (run / "ledger.json").exists() else {}
    timings = json.loads((run / "timings.json").read_text()) if (run / "timings.json").exists() else []
    out = run / "report"
    pngs = draw_all(rows, out)
    pipeline_check = cfg.get("base_model", "embedded") == "embedded"

    parts = [f"<!doctype html><html><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'><title>{html.escape(title or cfg.get('name', 'teachwhy report'))}</title>",  # noqa: E501
             f"<style>{CSS}</style></head><body>",
             f"<h1>{html.escape(title or cfg.get('name', 'teachwhy report'))}</h1>"]  # fmt: skip
    if pipeline_check:
        parts.append(f"<p class='banner' id='pipeline-check'>{html.escape(PIPELINE_CHECK)}</p>")
    if cfg.get("description"):
        parts.append(f"<p>{html.escape(cfg['description'])}</p>")
    parts.append(result_section(run))  # the result paragraph leads (organism -> interventions; empty otherwise)
    parts.append(f"<p class='small'>base model {html.escape(str(cfg.get('base_model')))}; teacher "
                 f"{html.escape(str(cfg.get('teacher')))}; judge {html.escape(str(cfg.get('judge')))}; auditor "
                 f"{html.escape(str(cfg.get('auditor')))}. Results table: <a href='../{RESULTS}'>{RESULTS}</a>.</p>")  # fmt: skip
    parts.append("<h2>Figures</h2>")
    for name, (caption, fn) in FIGURES.items():
        b64 = base64.b64encode(pngs[name].read_bytes()).decode()
        parts.append(f"<figure id='fig-{name}'><img alt='{html.escape(caption)}' data-figure='{name}' "
                     f"src='data:image/png;base64,{b64}'><figcaption>{html.escape(caption)}: "
                     f"{html.escape((fn.__doc__ or '').strip())} (<a href='{name}.png'>{name}.png</a>)</figcaption></figure>")  # fmt: skip

    bad = [r for r in rows if r["metric"] == "error_share" and r["reliable"] is False]
    parts.append("<h2 id='error-budget'>Error budget</h2>")
    if bad:
        items = "".join(f"<li><code>{html.escape(r['stage'])}</code>: {html.escape(r['note'])}</li>" for r in bad)
        parts.append(f"<div class='alert' id='unreliable'><strong>{len(bad)} eval run(s) over their error budget: "
                     f"comparisons using them are withheld.</strong><ul>{items}</ul></div>")  # fmt: skip
    else:
        parts.append("<p class='small'>Every eval run is within its error budget.</p>")

    comp = [r for r in rows if r["eval_kind"] in ("compare", "gap")]
    parts.append("<h2 id='comparisons'>Comparisons with the reference arm</h2>")
    parts.append(f"<p class='small'>{html.escape(STATS_NOTE)}</p>")
    parts.append(_table(comp, ["label", "reference", "eval", "metric", "value", "ci_low", "ci_high", "p_value", "n",
                               "training_tokens", "ci_method", "note"], {"label", "reference", "eval", "metric",
                                                                         "ci_method"}, set(), out) if comp else
                 "<p>No comparison yet.</p>")  # fmt: skip

    arms = [r for r in rows if r["seed"] == -1 and r["eval_kind"] not in ("compare", "gap")]
    if arms:
        parts.append("<h2 id='arms'>Per arm, over training seeds</h2>")
        parts.append(_table(arms, ["label", "eval", "metric", "value", "ci_low", "ci_high", "n", "higher_is",
                                   "ci_method", "note"], {"label", "eval", "metric", "higher_is", "ci_method"}, set(),
                            out))  # fmt: skip

    parts.append("<h2>Cost</h2>")
    if ledger:
        arms = [{"arm": k, **v} for k, v in ledger.get("by_arm", {}).items()]
        kinds = [{"stage kind": k, **v} for k, v in ledger.get("by_stage_kind", {}).items()]
        parts.append(f"<p>Total: ${ledger.get('total_usd', 0):.4f}. Unpriced models (cost 0): "
                     f"{html.escape(', '.join(ledger.get('unpriced', [])) or 'none')}.</p>")  # fmt: skip
        unreadable = ledger.get("unreadable", [])
        if unreadable:
            items = "".join(
                f"<li><code>{html.escape(u['log'])}</code>: {html.escape(u['error'])}</li>" for u in unreadable
            )
            parts.append(f"<div class='alert' id='unreadable-logs'>{len(unreadable)} log(s) could not be read: their "
                         f"tokens are not counted above.<ul>{items}</ul></div>")  # fmt: skip
        parts.append(_table(arms, ["arm", "tokens", "train_tokens", "cost_usd"], {"arm"}, set(), out))
        parts.append(_table(kinds, ["stage kind", "tokens", "train_tokens", "cost_usd"], {"stage kind"}, set(), out))
        parts.append("<details><summary>per stage and role</summary>" + _table(
            ledger.get("rows", []), ["stage", "role", "model", "input_tokens", "output_tokens", "cached_tokens",
                                     "train_tokens", "cost_usd", "log"], {"stage", "role", "model"}, {"log"}, out)
                     + "</details>")  # fmt: skip
    if timings:
        parts.append("<h2>Stage wall times</h2>")
        parts.append(
            "<p class='small'>Wall seconds, and CPU seconds (user + system) of the process: on a shared "
            "machine CPU seconds / cores estimates the wall time the stage would take alone.</p>"
        )
        parts.append(_table(timings, ["stage", "seconds", "cpu_seconds"], {"stage"}, set(), out))

    parts.append("<h2 id='all-numbers'>Every number</h2>")
    parts.append(_table([r for r in rows if r["seed"] != -1],
                        ["label", "seed", "repeat", "eval", "metric", "step", "value", "ci_low", "ci_high", "n",
                         "higher_is", "training_tokens", "config_hash", "log", "note"],
                        {"label", "eval", "metric", "higher_is", "config_hash"}, {"log"}, out))  # fmt: skip
    parts.append("<p class='small'>Open the logs with <code>inspect view --log-dir RUN/stages</code>.</p>")
    parts.append(
        "<script>window.addEventListener('load',()=>{for(const i of document.images){"
        "i.setAttribute('data-loaded',String(i.complete&&i.naturalWidth>0));}"
        "document.body.setAttribute('data-scroll-width',String(document.documentElement.scrollWidth));"
        "document.body.setAttribute('data-view-width',String(document.documentElement.clientWidth));"
        "document.body.setAttribute('data-ready','1');});</script>"
    )
    parts.append("</body></html>")
    page = out / "report.html"
    atomic_write_text(page, "\n".join(parts))
    atomic_write_json(out / "report.json", {"figures": {k: str(v) for k, v in pngs.items()}, "rows": len(rows),
                                            "pipeline_check": pipeline_check, "provenance": provenance(cfg)})  # fmt: skip
    return page
