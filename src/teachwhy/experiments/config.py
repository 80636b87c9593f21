"""The experiment YAML schema: one file describes a whole study (base model, datasets, arms, evals, seeds, prices).

Every field has a docstring and unknown keys fail (``teachwhy.config.Config``). The grid is
``arms × seeds`` for training and ``(arms + base) × evals × repeats`` for evaluation; see ``plan.py``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from teachwhy.config import Config

__all__ = [
    "Arm",
    "Comparison",
    "DataCheckSpec",
    "DataUse",
    "DatasetSpec",
    "EvalSpec",
    "ExperimentConfig",
    "Price",
    "RLSnapshots",
    "SNAPSHOT_EVALS",
    "StudyExperiment",
    "TrainStageSpec",
]

EvalKind = Literal["honeypots", "assessment", "constitution", "propensity"]
WorkKind = Literal["sft", "sdf", "generate", "generate_vllm", "prefill"]

SNAPSHOT_EVALS = ("honeypots", "adherence", "assessment")
"""Snapshot evals by name (``assessment`` is the light held-out assessment); ``package.module:function`` also works."""


class DatasetSpec(Config):
    """A dataset generated once and shared by every arm that trains on it (``teachwhy data generate``)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    """Short name arms refer to (letters, digits, ``_.-``)."""
    kind: str
    """Generator kind: honeypot-demos, honeypot-reasons, sysprompt-distill, difficult-advice, constitution-docs,
    stories, transcripts."""
    scripted: Literal["harmful", "ethical"] | None = None
    """Render scripted items with no model call (``harmful``: misaligned demonstrations for a model organism)."""
    n: int | None = Field(None, ge=1)
    """Items to generate (give ``n`` or ``tokens``; default 8)."""
    tokens: int | None = Field(None, ge=1)
    """Generate until the kept rows hold this many target tokens."""
    teacher: str | None = None
    """Model that writes the data (default: the experiment's ``teacher``)."""
    seed: int = 0
    """Generator seed (which items are planned)."""
    augment: list[Literal["tools", "system-prompts"]] = []
    """Augment the generated rows with unneeded tool definitions and/or operator system prompts."""
    source_dataset: str | None = None
    """Rewrite the rows of this earlier dataset (``honeypot-reasons``: the kept honeypot answers of a
    ``honeypot-demos`` dataset get the deliberation of values added, the study's "demos with reasons")."""
    options: dict[str, Any] = {}
    """Further ``GenerateSettings`` fields passed through (e.g. ``max_tokens``, ``max_steps``, ``principles``,
    ``source: honeypots`` for sysprompt-distill); checked against ``GenerateSettings`` when the file loads."""


class DataUse(Config):
    """One dataset in a training stage's mixture."""

    dataset: str
    """Name of a dataset in ``datasets``."""
    tokens: int | None = Field(None, ge=1)
    """Token budget (target tokenizer; rows repeat if needed). Give it for every source of a stage or none."""
    limit: int | None = Field(None, ge=1)
    """Use at most this many rows."""


class TrainStageSpec(Config):
    """One training stage of an arm; stages run in order, each starting from the previous one's output."""

    kind: Literal["sft", "sdf", "rl"]
    """``sft`` (chat, assistant tokens), ``sdf`` (documents) or ``rl`` (GRPO on harmlessness environments)."""
    data: list[DataUse] = []
    """The stage's data mixture (sft/sdf; rl uses its prompt set)."""
    settings: dict[str, Any] = {}
    """Dotted overrides of the train config (``train.learning_rate: 5e-4``, ``augment.tools_fraction: 0.5``)."""

    @model_validator(mode="after")
    def _data_needed(self) -> TrainStageSpec:
        if self.kind in ("sft", "sdf") and not self.data:
            raise ValueError(f"a {self.kind} stage needs `data`")
        return self


class Arm(Config):
    """One arm of the experiment: a model trained from ``init`` through ``stages``."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    """Arm name (letters, digits, ``_.-``); ``base`` is reserved for the untrained base model."""
    init: str = "base"
    """Start from ``base`` (the base model) or the final model of another arm (e.g. a model organism)."""
    stages: list[TrainStageSpec] = Field(min_length=1)
    """Training stages, in order."""
    label: str | None = None
    """Name shown in the report (default: the arm name)."""
    role: Literal["organism", "intervention", "control"] = "intervention"
    """How the report treats the arm: the ``organism`` is the reference interventions are compared with."""
    evaluate: bool = True
    """Run the ``after`` evals on this arm's final model."""


class EvalSpec(Config):
    """One eval suite, run on arms' final models."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    """Eval name (a results column)."""
    kind: EvalKind
    """``honeypots`` (in distribution), ``assessment`` (held out), ``constitution`` (held-out adherence),
    ``propensity`` (judge-free log-likelihood of the harmful vs the ethical scripted action)."""
    when: list[Literal["before", "after"]] = ["after"]
    """``before``: on the base model (arm ``base``); ``after``: on every evaluated arm."""
    settings: dict[str, Any] = {}
    """Eval settings: fields of ``HoneypotRun`` / ``AssessmentConfig`` / ``AdherenceConfig`` / ``PropensityRun`` (e.g.
    samples, light)."""
    error_budget: float = Field(0.10, ge=0.0, le=1.0)
    """Share of a run's samples that may be non-ok (error, empty, undecided, incomplete, missing) before the run is
    marked unreliable: shown in red, its comparisons withheld (results table and report)."""


class RLSnapshots(Config):
    """Evals during RL: the policy is saved and evaluated every ``every_steps`` steps (and at the end)."""

    every_steps: int = Field(0, ge=0)
    """Evaluate every this many optimizer steps (0: only at the end)."""
    evals: list[str] = ["honeypots"]
    """Snapshot evals: ``honeypots`` (light suite), ``adherence``, ``assessment`` (the light held-out assessment,
    audited by the experiment's ``auditor``) or ``package.module:function``."""
    limit: int = Field(2, ge=1)
    """Samples per eval per snapshot (honeypots: per family; adherence: prompts; assessment: seeds)."""

    @model_validator(mode="after")
    def _known_evals(self) -> RLSnapshots:
        for name in self.evals:
            if name not in SNAPSHOT_EVALS and ":" not in name:
                raise ValueError(f"unknown snapshot eval {name!r}: use {', '.join(SNAPSHOT_EVALS)} or "
                                 "package.module:function")  # fmt: skip
        return self


class DataCheckSpec(Config):
    """``teachwhy data check --against-evals`` on every dataset before any training stage reads it."""

    enabled: bool = True
    """Run the check (a ``check/<dataset>`` stage between the dataset and the stages that train on it). A dataset
    with an item too close to an evaluation fails its check, which blocks every stage that trains on it."""
    settings: dict[str, Any] = {}
    """Further ``CheckSettings`` fields (``ngram_threshold``, ``cosine_threshold``, ``near_dup_threshold``, ``judge``,
    ``quality_threshold``); ``dir`` and ``against_evals`` are set by the experiment."""


class Comparison(Config):
    """One comparison a study experiment reads: ``arm`` against ``against`` on some evals."""

    arm: str
    """The arm whose effect is read."""
    against: str
    """What it is compared with: another arm, or ``base`` (the untrained base model)."""
    evals: list[str] = []
    """Evals read (names in ``evals``; ``snapshot:NAME`` for an RL snapshot eval over steps); empty: every final
    eval."""

    def label(self) -> str:
        """``arm vs against [evals]``."""
        return f"{self.arm} vs {self.against}" + (f" [{', '.join(self.evals)}]" if self.evals else "")


class StudyExperiment(Config):
    """One experiment of the study (docs/STUDY.md): which arms run it and which comparisons answer it."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    """Short id (lower case, digits, ``-``)."""
    title: str
    """The study's experiment, in a few words."""
    finding: str
    """What the study reports for it (its numbers), to hold ours against."""
    arms: list[str] = Field(min_length=1)
    """Arms that run it (``base``: the untrained base model)."""
    comparisons: list[Comparison] = []
    """The comparisons that answer it."""
    read: str = ""
    """Where to read the answer (report figure or results-table metric)."""


class Price(Config):
    """Price of one model, in dollars per million tokens."""

    input: float = Field(0.0, ge=0)
    """Uncached input tokens."""
    output: float = Field(0.0, ge=0)
    """Output tokens."""
    cached: float = Field(0.0, ge=0)
    """Cached input tokens (cache reads)."""
    train: float = Field(0.0, ge=0)
    """Tokens trained on (fine-tuning price or your GPU cost per million tokens)."""


class ExperimentConfig(Config):
    """A whole experiment: what to generate, which arms to train, what to evaluate, how often, at what price."""

    name: str
    """Experiment name (report title)."""
    description: str = ""
    """What the experiment tests (shown in the report)."""
    out: str = "runs/experiment"
    """Run directory: stages/, results.parquet, ledger, report."""
    base_model: str = "embedded"
    """Model every arm starts from: ``embedded``, a local directory or an inspect_ai model string."""
    teacher: str = "embedded"
    """Model that writes non-scripted data."""
    judge: str | None = None
    """Judge for the evals (honeypot verdicts the detector cannot decide; assessment/adherence scores)."""
    auditor: str = "embedded"
    """Auditor of the held-out assessment."""
    datasets: list[DatasetSpec] = []
    """Datasets generated once, shared by arms."""
    arms: list[Arm] = Field(min_length=1)
    """The arms."""
    evals: list[EvalSpec] = []
    """Eval suites and when they run."""
    rl_snapshots: RLSnapshots = Field(default_factory=lambda: RLSnapshots.model_validate({}))
    """Evals during RL stages."""
    seeds: list[int] = Field(default_factory=lambda: [0], min_length=1)
    """Training seeds: each arm is trained once per seed."""
    repeats: int = Field(1, ge=1)
    """Eval repeats per trained model (each with its own eval seed: fresh scenario renderings)."""
    prices: dict[str, Price] = {}
    """Price table keyed by model spec (or a prefix such as ``anthropic/``); unknown models cost 0 and are listed."""
    reference_arm: str | None = None
    """Arm that comparisons are made against (default: the ``organism`` arm, else ``base``)."""
    data_check: DataCheckSpec = Field(default_factory=lambda: DataCheckSpec.model_validate({}))
    """The contamination check every dataset passes before it is trained on."""
    study: list[StudyExperiment] = []
    """The study's experiments mapped to arms and comparisons (printed by ``--dry-run``; docs/STUDY.md)."""
    throughput: dict[WorkKind, float] = {}
    """Tokens per second of your hardware for ``--dry-run``'s GPU-hour estimate (``sft``, ``sdf``, ``generate``,
    ``generate_vllm``, ``prefill``), overriding the shipped table (``resources/experiments/throughput.yaml``)."""

    @model_validator(mode="after")
    def _consistent(self) -> ExperimentConfig:
        names = [a.name for a in self.arms]
        if "base" in names:
            raise ValueError("arm name `base` is reserved for the untrained base model")
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate arm names: {names}")
        ds = {d.name for d in self.datasets}
        if len(ds) != len(self.datasets):
            raise ValueError("duplicate dataset names")
        earlier: set[str] = set()
        for d in self.datasets:
            if d.source_dataset is not None and d.source_dataset not in earlier:
                raise ValueError(f"dataset {d.name}: source_dataset {d.source_dataset!r} must be a dataset listed "
                                 "before it")  # fmt: skip
            earlier.add(d.name)
        order: dict[str, int] = {}
        for i, arm in enumerate(self.arms):
            if arm.init != "base" and arm.init not in order:
                raise ValueError(f"arm {arm.name}: init {arm.init!r} must be `base` or an arm listed before it")
            order[arm.name] = i
            for stage in arm.stages:
                for use in stage.data:
                    if use.dataset not in ds:
                        raise ValueError(f"arm {arm.name}: unknown dataset {use.dataset!r}; defined: {sorted(ds)}")
                budgets = [u.tokens is not None for u in stage.data]
                if any(budgets) and not all(budgets):
                    raise ValueError(f"arm {arm.name}: give `tokens` for every dataset of a stage or for none")
        ev = [e.name for e in self.evals]
        if len(set(ev)) != len(ev):
            raise ValueError("duplicate eval names")
        if self.reference_arm is not None and self.reference_arm not in [*names, "base"]:
            raise ValueError(f"reference_arm {self.reference_arm!r} is not an arm")
        unused = sorted(ds - self.used_datasets())
        if unused:
            raise ValueError(f"dataset(s) {', '.join(unused)} are generated but no arm trains on them: remove them "
                             "or add an arm that uses them")  # fmt: skip
        self._check_study([*names, "base"], ev)
        return self

    def _check_study(self, arms: list[str], evals: list[str]) -> None:
        ids = [x.id for x in self.study]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate study experiment ids: {ids}")
        readable = [*evals, *(f"snapshot:{e}" for e in self.rl_snapshots.evals)]
        for x in self.study:
            for a in [*x.arms, *(c.arm for c in x.comparisons), *(c.against for c in x.comparisons)]:
                if a not in arms:
                    raise ValueError(f"study experiment {x.id}: unknown arm {a!r}; arms: {', '.join(arms)}")
            for c in x.comparisons:
                for e in c.evals:
                    if e not in readable:
                        raise ValueError(f"study experiment {x.id}: comparison {c.label()} reads unknown eval {e!r}; "
                                         f"known: {', '.join(readable)}")  # fmt: skip
        if self.study:
            covered = {a for x in self.study for a in x.arms}
            missing = [a for a in arms if a not in covered and a != "base"]
            if missing:
                raise ValueError(f"arm(s) {', '.join(missing)} belong to no study experiment: add them to one "
                                 "(`study:`) or remove them")  # fmt: skip

    def used_datasets(self) -> set[str]:
        """Datasets some arm trains on, and the datasets those are rewritten from."""
        used = {u.dataset for a in self.arms for st in a.stages for u in st.data}
        sources = {d.name: d.source_dataset for d in self.datasets}
        todo = list(used)
        while todo:
            src = sources.get(todo.pop())
            if src is not None and src not in used:
                used.add(src)
                todo.append(src)
        return used

    def reference(self) -> str:
        """The arm comparisons are made against."""
        if self.reference_arm:
            return self.reference_arm
        organisms = [a.name for a in self.arms if a.role == "organism"]
        return organisms[0] if organisms else "base"

    def pipeline_check(self) -> bool:
        """True when the target is the embedded 135M model: results check the pipeline, they are not research."""
        return self.base_model == "embedded"
