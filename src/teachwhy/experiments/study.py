"""The study mapping: each experiment of the study (the config's ``study:`` block) with its arms, comparisons and
datasets, as a Markdown table (docs/STUDY.md holds it verbatim; a test keeps them equal) and as dry-run text.
"""

from __future__ import annotations

from teachwhy.experiments.config import ExperimentConfig
from teachwhy.experiments.plan import Stage

__all__ = ["STUDY_BEGIN", "STUDY_END", "dataset_users", "format_study", "study_tables"]

STUDY_BEGIN = "<!-- study-table: generated from experiments/study.yaml by teachwhy.experiments.study_tables -->"
STUDY_END = "<!-- /study-table -->"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def dataset_users(cfg: ExperimentConfig) -> dict[str, list[str]]:
    """Per dataset, the arms that train on it and the datasets rewritten from it (``-> name``)."""
    users: dict[str, list[str]] = {d.name: [] for d in cfg.datasets}
    for d in cfg.datasets:
        if d.source_dataset:
            users[d.source_dataset].append(f"-> {d.name}")
    for arm in cfg.arms:
        for st in arm.stages:
            for u in st.data:
                if arm.name not in users[u.dataset]:
                    users[u.dataset].append(arm.name)
    return users


def study_tables(cfg: ExperimentConfig) -> str:
    """Markdown: the experiments table (experiment, the study's finding, arms, comparisons, where to read it), then
    the datasets table (kind, size, who uses it)."""
    lines = ["| # | Study experiment | The study reports | Arms | Comparisons | Read it in |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for i, x in enumerate(cfg.study, 1):
        comps = "; ".join(c.label() for c in x.comparisons)
        arms = ", ".join(f"`{a}`" for a in x.arms)
        lines.append(f"| {i} `{x.id}` | {_cell(x.title)} | {_cell(x.finding)} | {arms} | {_cell(comps)} | "
                     f"{_cell(x.read)} |")  # fmt: skip
    lines += ["", "| Dataset | Kind | Size | Used by |", "|---|---|---|---|"]
    for d in cfg.datasets:
        size = f"{d.tokens:,} tokens" if d.tokens else f"{d.n or 8} items"
        extra = (f", {'+'.join(d.augment)} augmented" if d.augment else "") + (
            f", rewrites `{d.source_dataset}`" if d.source_dataset else "") + (
            f", source: {d.options['source']}" if "source" in d.options else "") + (
            f", scripted {d.scripted}" if d.scripted else "")  # fmt: skip
        users = ", ".join(f"`{u}`" for u in dataset_users(cfg)[d.name])
        lines.append(f"| `{d.name}` | {d.kind}{extra} | {size} | {users} |")
    return "\n".join(lines)


def format_study(cfg: ExperimentConfig, stages: list[Stage]) -> str:
    """The study mapping for ``--dry-run``: every experiment, its arms (with their stage counts), comparisons and
    where to read the answer; then each dataset and its users."""
    if not cfg.study:
        return "study: (no `study:` block: arms are not mapped to the study's experiments)"
    per_arm: dict[str, int] = {}
    for s in stages:
        if s.arm is not None:
            per_arm[s.arm] = per_arm.get(s.arm, 0) + 1
    lines = [f"study: {len(cfg.study)} experiments (docs/STUDY.md)"]
    for i, x in enumerate(cfg.study, 1):
        lines.append(f"  {i}. [{x.id}] {x.title}")
        lines.append(f"     study reports: {x.finding}")
        lines.append("     arms: " + ", ".join(f"{a} ({per_arm.get(a, 0)} stages)" for a in x.arms))
        for c in x.comparisons:
            lines.append(f"     compare: {c.label()}")
        if x.read:
            lines.append(f"     read: {x.read}")
    lines.append("datasets (each used by an arm; checked against the evals before training):")
    for name, users in dataset_users(cfg).items():
        lines.append(f"  {name}: {', '.join(users)}")
    return "\n".join(lines)
