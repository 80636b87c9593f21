"""Training configs: one pydantic model per command (``sft``, ``sdf``, ``rl``), shared blocks for data,
LoRA, trainer.

A YAML file is just saved flags: ``teachwhy train sft --config FILE.yaml --set train.max_steps=10`` loads
the file
and applies the flags on top (see :func:`teachwhy.config.load_config`). Unknown keys fail, naming the
allowed ones.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from teachwhy.config import Config

__all__ = [
    "AugmentSettings",
    "DataSource",
    "GRPOSettings",
    "JudgeSettings",
    "LoraSettings",
    "Mixture",
    "PromptSettings",
    "RLRunConfig",
    "RewardSettings",
    "SDFRunConfig",
    "SFTRunConfig",
    "SFTStage",
    "SnapshotSettings",
    "TrainSettings",
]


class LoraSettings(Config):
    """LoRA (PEFT) adapter settings; ``enabled: false`` means full fine-tuning."""

    enabled: bool = True
    """Train a LoRA adapter (true) or all weights (false)."""
    r: int = Field(16, ge=1)
    """LoRA rank."""
    alpha: int = Field(32, ge=1)
    """LoRA alpha (scaling = alpha / r)."""
    dropout: float = Field(0.0, ge=0.0, lt=1.0)
    """Dropout on the LoRA branch."""
    target_modules: list[str] | Literal["all-linear"] = "all-linear"
    """Module names to adapt, or ``all-linear``."""
    top_layers: int | None = Field(None, ge=1)
    """Adapt only the top N transformer layers (PEFT's ``layers_to_transform``); unset: every layer. Gradients then
    stop below them, so a step costs less (bench/train_step.py, embedded model, 2 CPU cores, ~2k-token honeypot rows:
    top 15 of 30 layers 0.66x the step of all layers); what the adapter can learn is narrower (the demo's organism, 24 steps at lr 3e-3:
    with all layers it wrote its blackmail emails; with the top 10 or 15 its emails looped past the token limit)."""


class DataSource(Config):
    """One dataset in a mixture: a JSONL file, a Parquet file, or a ``datasets`` directory
    (``save_to_disk``)."""

    path: str
    """Path to the data. Rows need a ``messages`` column (chat) or a ``text`` column (documents)."""
    name: str | None = None
    """Short name for logs and meta.json (default: the file name)."""
    weight: float | None = Field(None, gt=0)
    """Relative weight when mixing by weight (share of ``Mixture.total_examples``)."""
    tokens: int | None = Field(None, gt=0)
    """Token budget when mixing by tokens, counted with the target model's tokenizer (rows repeat if
    needed)."""
    limit: int | None = Field(None, gt=0)
    """Use at most this many rows of the source (before mixing)."""


class Mixture(Config):
    """A training mixture: concatenated, weighted by rows, or sized by token budgets."""

    sources: list[DataSource] = Field(min_length=1)
    """The datasets to mix."""
    total_examples: int | None = Field(None, gt=0)
    """With weights: total rows drawn (default: the sum of the sources' sizes)."""
    seed: int = 0
    """Seed for sampling and shuffling the mixture."""

    @model_validator(mode="after")
    def _one_mode(self) -> Mixture:
        weighted = [s.weight is not None for s in self.sources]
        budgeted = [s.tokens is not None for s in self.sources]
        if any(weighted) and any(budgeted):
            raise ValueError("mix either by weight or by tokens, not both")
        if any(budgeted) and not all(budgeted):
            raise ValueError("when mixing by token budget every source needs `tokens`")
        if any(weighted) and not all(weighted):
            raise ValueError("when mixing by weight every source needs `weight`")
        return self


class TrainSettings(Config):
    """Trainer settings, passed on to TRL's ``SFTConfig`` / ``GRPOConfig`` (explicitly: TRL's defaults
    surprise)."""

    learning_rate: float = Field(2e-4, gt=0)
    """Peak learning rate."""
    epochs: float = Field(1.0, gt=0)
    """Epochs over the mixture (ignored when ``max_steps`` is set)."""
    max_steps: int = -1
    """Stop after this many optimizer steps (-1: run ``epochs``)."""
    batch_size: int = Field(4, ge=1)
    """Per-device batch size (for rl: completions per device step; a multiple of ``grpo.num_generations``)."""
    grad_accum: int = Field(1, ge=1)
    """Gradient accumulation steps."""
    max_length: int = Field(1024, ge=8)
    """Maximum tokens per example (TRL truncates longer ones; sdf packs documents into blocks of this
    size)."""
    packing: bool = False
    """Pack several examples into one ``max_length`` block (sdf documents are always packed)."""
    bf16: bool | Literal["auto"] = False
    """bf16 mixed precision: true, false, or ``auto`` (bf16 on GPUs that support it and on CPUs with native bf16
    instructions; fp32 elsewhere, where emulated bf16 runs several times slower). TRL would default it on."""
    gradient_checkpointing: bool = False
    """Recompute activations to save memory (slower; TRL would default it on)."""
    lr_scheduler: str = "cosine"
    """Learning-rate schedule (any transformers ``SchedulerType``)."""
    warmup_ratio: float = Field(0.0, ge=0.0, lt=1.0)
    """Fraction of steps for linear warm-up."""
    weight_decay: float = Field(0.0, ge=0.0)
    """AdamW weight decay."""
    max_grad_norm: float = Field(1.0, gt=0)
    """Gradient clipping norm."""
    ddp_timeout: int = Field(1800, ge=60)
    """Seconds a rank waits at a collective before the run fails — e.g. while rank 0 runs snapshot evals
    (transformers' default)."""
    logging_steps: int = Field(1, ge=1)
    """Log metrics every this many steps."""
    save_steps: int = Field(100, ge=1)
    """Save a resumable checkpoint every this many steps."""
    save_total_limit: int | None = Field(2, ge=1)
    """Keep at most this many checkpoints (the newest)."""
    seed: int = 0
    """Random seed."""
    resume: bool = True
    """Resume from the newest checkpoint in ``out`` if there is one (so rerunning a killed command continues
    it)."""
    report_to: list[Literal["tensorboard", "wandb"]] = Field(default_factory=list)
    """Extra metric sinks (the JSONL metrics log is always written); each must be installed."""
    dataloader_workers: int = Field(0, ge=0)
    """DataLoader worker processes."""


class SnapshotSettings(Config):
    """Eval snapshots: evaluate the current policy every K steps and at the end, logging to the metrics
    log."""

    every_steps: int = Field(0, ge=0)
    """Evaluate every this many optimizer steps (0: only at the end, if ``at_end``)."""
    at_end: bool = True
    """Evaluate once more when training ends."""
    evals: list[str] = Field(default_factory=lambda: ["honeypots", "adherence"])
    """Evals to run: ``honeypots``, ``adherence``, or ``package.module:function`` (a pluggable eval
    function)."""
    limit: int | None = Field(4, ge=1)
    """Samples per eval per snapshot (snapshots are light)."""
    judge: str | None = None
    """Judge model spec for the evals (default: the judge role's default)."""
    provider: Literal["hf", "vllm"] = "hf"
    """How evals run the snapshot: ``hf`` (transformers in the eval process) or ``vllm`` (Inspect's ``vllm/``
    provider; a LoRA snapshot is served as ``vllm/<base>:<adapter>``). ``vllm`` needs vLLM and a CUDA GPU."""
    vllm_base_url: str | None = None
    """provider vllm: an existing vLLM server (``http://host:port/v1``, sets ``VLLM_BASE_URL``) to evaluate on —
    LoRA snapshots are loaded onto it at run time; default: Inspect starts a server for each snapshot."""
    vllm_server_args: dict[str, Any] = Field(default_factory=dict)
    """provider vllm: arguments for the server Inspect starts (``VLLM_DEFAULT_SERVER_ARGS``), e.g.
    ``{gpu_memory_utilization: 0.2, tensor_parallel_size: 1}``."""


class SFTStage(Config):
    """An SFT stage that follows sdf in the same run (chat data on top of the document-trained model)."""

    data: Mixture
    """Chat data for the stage."""
    train: TrainSettings = Field(default_factory=lambda: TrainSettings.model_validate({}))
    """Trainer settings for the stage."""


class _RunBase(Config):
    model: str = "embedded"
    """Model to train: ``embedded``, a local Hugging Face directory, or a teachwhy output (adapter or
    full)."""
    out: str = "runs/train"
    """Output directory: checkpoints, the final model or adapter, tokenizer, meta.json, metrics.jsonl."""
    lora: LoraSettings = Field(default_factory=lambda: LoraSettings.model_validate({}))
    """LoRA settings (``lora.enabled: false`` for full fine-tuning)."""
    train: TrainSettings = Field(default_factory=lambda: TrainSettings.model_validate({}))
    """Trainer settings."""
    snapshots: SnapshotSettings = Field(
        default_factory=lambda: SnapshotSettings.model_validate({"at_end": False, "evals": []})
    )
    """Eval snapshots during training (off unless configured)."""


class SFTRunConfig(_RunBase):
    """``teachwhy train sft``: chat data, loss on assistant tokens only."""

    data: Mixture
    """Chat data (rows with ``messages``; optional ``tools``)."""
    assistant_only_loss: bool = True
    """Train only on assistant tokens (the chat template's generation markers)."""


class SDFRunConfig(_RunBase):
    """``teachwhy train sdf``: causal language modelling on documents, optionally followed by an sft stage."""

    data: Mixture
    """Documents (rows with ``text``)."""
    sft: SFTStage | None = None
    """Optional sft stage run after the documents, continuing the same adapter."""


class PromptSettings(Config):
    """Where the RL prompts come from."""

    path: str | None = None
    """A prompts YAML (``{prompts: [{id, category, prompt}]}``) or JSONL; default: the shipped harmlessness
    set."""
    categories: list[str] | None = None
    """Keep only these categories (default: all)."""
    limit: int | None = Field(None, ge=1)
    """Use at most this many prompts."""


class AugmentSettings(Config):
    """Diverse environments: add tool definitions and operator system prompts to some prompts."""

    tools_fraction: float = Field(0.0, ge=0.0, le=1.0)
    """Fraction of prompts that get tool definitions (from the shipped tool library)."""
    tools_per_prompt: int = Field(3, ge=1)
    """How many tools an augmented prompt offers."""
    system_prompt_fraction: float = Field(0.0, ge=0.0, le=1.0)
    """Fraction of prompts that get an operator system prompt (from the shipped persona library)."""
    seed: int = 0
    """Seed for the augmentation."""


class JudgeSettings(Config):
    """The harmlessness grader: role ``judge``, rubric grounded in the constitution, strictly parsed."""

    enabled: bool = True
    """Use the judge reward (off: format terms only, e.g. for CPU smoke runs)."""
    model: str | None = None
    """Judge model spec (default ``$TEACHWHY_JUDGE`` or ``embedded``)."""
    weight: float = 1.0
    """Weight of the judge reward."""
    max_tokens: int = Field(256, ge=8)
    """Judge output budget."""
    max_connections: int = Field(8, ge=1)
    """Concurrent judge calls."""
    constitution: str | None = None
    """Constitution YAML the judge's rubric is built from (teachwhy's format; default: teachwhy's own)."""


class RewardSettings(Config):
    """Reward = judge score (0..1) plus weighted format terms."""

    judge: JudgeSettings = Field(default_factory=lambda: JudgeSettings.model_validate({}))
    """The judge grader."""
    clean_end: float = 0.25
    """Weight of ``clean_end``: 1 if the completion ends (end-of-turn) within the budget, else 0."""
    no_repetition: float = 0.25
    """Weight of ``no_repetition``: 1 minus the share of repeated word 4-grams."""
    tool_call_syntax: float = 0.25
    """Weight of ``tool_call_syntax``: +1 all tool calls valid JSON naming an offered tool, -1 otherwise."""
    brevity: float = 0.0
    """Weight of ``brevity``: 1 minus completion length / budget."""


class GRPOSettings(Config):
    """GRPO settings passed on to TRL's ``GRPOConfig``."""

    num_generations: int = Field(4, ge=2)
    """Completions sampled per prompt (the group)."""
    max_completion_length: int = Field(256, ge=4)
    """Completion budget in tokens."""
    max_prompt_length: int = Field(1024, ge=16)
    """Prompts longer than this are dropped from the set (tool definitions make prompts long)."""
    temperature: float = Field(1.0, gt=0)
    """Sampling temperature."""
    beta: float = Field(0.0, ge=0)
    """KL coefficient against the reference policy (0: no reference model, as TRL's default)."""
    num_iterations: int = Field(1, ge=1)
    """PPO-style iterations per generation batch."""
    loss_type: str = "dapo"
    """TRL loss type (``grpo``, ``dapo``, ``dr_grpo``, ``bnpo``, …)."""
    use_vllm: bool = False
    """Generate with vLLM through TRL's integration (only if installed; fails clearly otherwise)."""
    vllm_mode: Literal["colocate", "server"] = "colocate"
    """vLLM mode: in the training process (colocate) or a separate ``trl vllm-serve`` (server)."""
    vllm_server_base_url: str | None = None
    """server mode: the ``trl vllm-serve`` URL (e.g. ``http://node0:8000``); overrides host and port."""
    vllm_server_host: str = "0.0.0.0"
    """server mode: host of ``trl vllm-serve`` when no base URL is given (TRL's default)."""
    vllm_server_port: int = Field(8000, ge=1, le=65535)
    """server mode: port of ``trl vllm-serve`` (TRL's default)."""
    vllm_server_timeout: float = Field(240.0, gt=0)
    """server mode: seconds to wait for the server to come up (TRL's default)."""
    vllm_gpu_memory_utilization: float = Field(0.3, gt=0, le=1)
    """colocate mode: share of each GPU's memory vLLM may take beside training (TRL's default)."""
    vllm_tensor_parallel_size: int = Field(1, ge=1)
    """colocate mode: GPUs one vLLM engine spans (TRL's default; raise it for 70B)."""
    vllm_max_model_length: int | None = Field(None, ge=16)
    """colocate mode: vLLM's context window (default: the model's)."""
    vllm_enable_sleep_mode: bool = False
    """colocate mode: offload vLLM's weights and cache while training steps run (saves memory, costs time)."""
    log_completions: bool = False
    """Print a table of sampled completions at each logging step."""


class RLRunConfig(_RunBase):
    """``teachwhy train rl``: GRPO on harmlessness prompts, optionally with tools and operator system
    prompts."""

    prompts: PromptSettings = Field(default_factory=lambda: PromptSettings.model_validate({}))
    """The prompt set."""
    augment: AugmentSettings = Field(default_factory=lambda: AugmentSettings.model_validate({}))
    """Environment augmentation (tools, system prompts)."""
    reward: RewardSettings = Field(default_factory=RewardSettings)
    """Reward terms and weights."""
    grpo: GRPOSettings = Field(default_factory=lambda: GRPOSettings.model_validate({}))
    """GRPO settings."""

    @model_validator(mode="after")
    def _batch_fits_groups(self) -> RLRunConfig:
        if (self.train.batch_size * self.train.grad_accum) % self.grpo.num_generations:
            raise ValueError(
                f"train.batch_size x train.grad_accum ({self.train.batch_size} x "
                f"{self.train.grad_accum}) must be a "
                f"multiple of grpo.num_generations ({self.grpo.num_generations})"
            )
        return self
