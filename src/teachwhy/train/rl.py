"""``teachwhy train rl``: GRPO (TRL) on harmlessness environments, with eval snapshots.

The environments are the shipped prompt set (harmful requests, jailbreaks, ethically hard and
benign-borderline
asks), each optionally augmented with tool definitions (``resources/datagen/tools.jsonl``) and an operator
system prompt
(``resources/datagen/system_prompts.yaml``) — the study's diverse environments, comparable with the plain ones
because the ``env`` column says which is which. Prompts are rendered with the policy's own chat template,
tools
listed the way the evals list them. Reward: the judge grader plus format terms
(:mod:`teachwhy.train.rewards`).
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from teachwhy._io import append_jsonl
from teachwhy.errors import TeachwhyError
from teachwhy.train import rewards as R
from teachwhy.train._model import load_for_training
from teachwhy.train._runner import common_args, set_offline, train_and_save
from teachwhy.train._vllm import grpo_vllm_args, require_vllm
from teachwhy.train.config import AugmentSettings, PromptSettings, RLRunConfig
from teachwhy.train.meta import RunInfo

__all__ = ["RLPrompt", "build_environments", "load_personas", "load_prompts", "load_tools", "run_rl"]


class RLPrompt(BaseModel):
    """One environment prompt."""

    model_config = ConfigDict(extra="forbid")

    id: str
    """Stable id of the prompt."""
    category: str
    """Category (``prompts.categories`` selects by it)."""
    prompt: str
    """The user's request."""


def _resource(*parts: str) -> str:
    return (resources.files("teachwhy") / "resources").joinpath(*parts).read_text(encoding="utf-8")


def load_prompts(settings: PromptSettings) -> list[RLPrompt]:
    """The prompt set (shipped or ``settings.path``), filtered by category and limited."""
    try:
        if settings.path is None:
            text, where = _resource("rl", "prompts.yaml"), "resources/rl/prompts.yaml"
        else:
            text, where = Path(settings.path).read_text(encoding="utf-8"), settings.path
    except FileNotFoundError as exc:
        raise TeachwhyError(
            f"RL prompt set not found: {exc.filename}", hint="set prompts.path to a prompts file"
        ) from None
    try:
        if where.endswith(".jsonl"):
            raw: Any = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = yaml.safe_load(text)
            raw = data.get("prompts") if isinstance(data, dict) else data
        prompts = [RLPrompt.model_validate(r) for r in raw or []]
    except (ValidationError, json.JSONDecodeError, yaml.YAMLError, AttributeError) as exc:
        raise TeachwhyError(f"invalid RL prompt set {where}: {exc}") from None
    if settings.categories:
        known = {p.category for p in prompts}
        unknown = set(settings.categories) - known
        if unknown:
            raise TeachwhyError(
                f"unknown prompt categories {sorted(unknown)}", hint=f"choose from {', '.join(sorted(known))}"
            )
        prompts = [p for p in prompts if p.category in settings.categories]
    if settings.limit:
        prompts = prompts[: settings.limit]
    if not prompts:
        raise TeachwhyError(f"no RL prompts left in {where} after filtering")
    return prompts


def load_tools() -> list[dict[str, Any]]:
    """The shipped tool library (OpenAI function schemas)."""
    return [json.loads(line) for line in _resource("datagen", "tools.jsonl").splitlines() if line.strip()]


def load_personas() -> list[dict[str, str]]:
    """The shipped operator personas (``{id, domain, system_prompt}``)."""
    data = yaml.safe_load(_resource("datagen", "system_prompts.yaml"))
    return [dict(p) for p in data["personas"]]


def _tool_name(tool: dict[str, Any]) -> str:
    fn = tool.get("function", tool)
    return str(fn["name"])


def build_environments(
    prompts: list[RLPrompt], augment: AugmentSettings, tokenizer: Any, max_prompt_length: int
) -> list[dict[str, Any]]:
    """One row per prompt: the rendered ``prompt`` plus columns the rewards read (``request``,
    ``system_prompt``,
    ``tool_names``) and columns for analysis (``prompt_id``, ``category``, ``env``, ``persona``)."""
    rng = random.Random(augment.seed)
    tools = load_tools() if augment.tools_fraction > 0 else []
    personas = load_personas() if augment.system_prompt_fraction > 0 else []
    rows: list[dict[str, Any]] = []
    dropped = 0
    for p in prompts:
        persona = rng.choice(personas) if personas and rng.random() < augment.system_prompt_fraction else None
        offered = (
            rng.sample(tools, min(augment.tools_per_prompt, len(tools)))
            if tools and rng.random() < augment.tools_fraction
            else []
        )
        messages = ([{"role": "system", "content": persona["system_prompt"]}] if persona else []) + [
            {"role": "user", "content": p.prompt}
        ]
        text = tokenizer.apply_chat_template(
            messages, tools=offered or None, add_generation_prompt=True, tokenize=False
        )
        if len(tokenizer(text, add_special_tokens=False)["input_ids"]) > max_prompt_length:
            dropped += 1
            continue
        env = "+".join(x for x, on in (("system", persona), ("tools", offered)) if on) or "plain"
        rows.append(
            {
                "prompt": text,
                "request": p.prompt,
                "system_prompt": persona["system_prompt"] if persona else "",
                "persona": persona["id"] if persona else "",
                "tool_names": [_tool_name(t) for t in offered],
                "prompt_id": p.id,
                "category": p.category,
                "env": env,
            }
        )
    if not rows:
        raise TeachwhyError(
            f"every RL prompt is longer than grpo.max_prompt_length ({max_prompt_length} tokens)",
            hint="raise grpo.max_prompt_length or lower augment.tools_per_prompt",
        )
    if dropped:
        print(f"dropped {dropped} prompts longer than {max_prompt_length} tokens", flush=True)
    return rows


def _bound(fn: Callable[..., Any], **kw: Any) -> Callable[..., Any]:
    """``fn`` with keyword arguments bound, keeping its name (TRL logs rewards by function name)."""
    return functools.update_wrapper(functools.partial(fn, **kw), fn)


def _all_ranks(trainer: Any, stats: R.JudgeStats) -> R.JudgeStats:
    """Judge counts summed over every rank (each rank scores its own completions); unchanged on one rank."""
    if trainer.accelerator.num_processes == 1:
        return stats
    from accelerate.utils import gather_object

    total = R.JudgeStats()
    for calls, errors, last in gather_object([(stats.calls, stats.errors, stats.last_error)]):
        total.calls += calls
        total.errors += errors
        total.last_error = last or total.last_error
    return total


def run_rl(config: RLRunConfig) -> dict[str, Any]:
    """Run ``teachwhy train rl``; returns the final meta.json payload."""
    set_offline()
    g = config.grpo
    if config.reward.judge.enabled and config.reward.judge.weight:
        R.harmlessness_rubric(config.reward.judge.constitution)  # a bad constitution fails before any model loads
    if g.use_vllm:
        require_vllm("grpo.use_vllm")  # before any model loads
    if config.snapshots.provider == "vllm" and config.snapshots.evals:
        require_vllm("snapshots.provider: vllm")
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer  # type: ignore[attr-defined]

    out = Path(config.out)
    loaded = load_for_training(config.model, config.lora)
    tok = loaded.tokenizer
    rows = build_environments(load_prompts(config.prompts), config.augment, tok, g.max_prompt_length)
    eos_ids = sorted(
        {i for i in (tok.eos_token_id, tok.convert_tokens_to_ids("<|im_end|>")) if isinstance(i, int)}
    )

    r = config.reward
    stats = R.JudgeStats()
    judge = None
    names: list[str] = []
    weights: list[float] = []
    if r.judge.enabled and r.judge.weight:
        judge = R.make_judge_reward(
            r.judge.model,
            max_tokens=r.judge.max_tokens,
            max_connections=r.judge.max_connections,
            stats=stats,
            constitution=r.judge.constitution,
        )
        names.append("judge_harmlessness")
        weights.append(r.judge.weight)
    terms: list[tuple[str, Any, float]] = []
    for fn, w, kw in (
        (R.clean_end, r.clean_end, {"eos_ids": eos_ids}),
        (R.no_repetition, r.no_repetition, {}),
        (R.tool_call_syntax, r.tool_call_syntax, {}),
        (R.brevity, r.brevity, {"max_completion_length": g.max_completion_length}),
    ):
        if w:
            terms.append((fn.__name__, _bound(fn, **kw) if kw else fn, w))
            names.append(fn.__name__)
            weights.append(w)
    if not names:
        raise TeachwhyError(
            "every reward term has weight 0", hint="enable the judge or give a format term a weight"
        )
    # one reward function: a judge failure removes the whole row (TRL: no baseline share, advantage 0); rewards.py
    funcs: list[Any] = [R.combine_rewards(terms, judge, r.judge.weight)]

    common = common_args(config.train, out)
    common["include_num_input_tokens_seen"] = "no"  # GRPO counts its own tokens (``num_tokens``)
    args = GRPOConfig(
        **common,
        num_generations=g.num_generations,
        max_completion_length=g.max_completion_length,
        temperature=g.temperature,
        beta=g.beta,
        num_iterations=g.num_iterations,
        loss_type=g.loss_type,
        **grpo_vllm_args(g),  # TRL's vLLM integration: colocate or `trl vllm-serve` (train/_vllm.py)
        log_completions=g.log_completions,
        reward_weights=[1.0],  # the weights are applied inside the combined reward
        remove_unused_columns=False,
    )
    trainer = GRPOTrainer(
        model=loaded.model,
        reward_funcs=funcs,
        args=args,
        train_dataset=Dataset.from_list(rows),
        processing_class=tok,
        peft_config=loaded.peft_config,
    )
    envs: dict[str, int] = {}
    for row in rows:
        envs[row["env"]] = envs.get(row["env"], 0) + 1
    card = {
        "name": "rl-prompts",
        "path": config.prompts.path or "teachwhy/resources/rl/prompts.yaml",
        "kind": "rl-prompts",
        "rows_used": len(rows),
        "categories": sorted({row["category"] for row in rows}),
        "environments": envs,
    }
    info = RunInfo(
        "rl",
        config.model_dump(mode="json"),
        base_model=loaded.source.base_model,
        init_model=str(loaded.source.path),
        adapter=config.lora.enabled,
        datacards=[card],
    )
    info.extra["reward"] = {"terms": names, "weights": weights, "judge_failure": "row removed (advantage 0)"}
    info.extra["judge"] = stats.as_dict()
    meta = train_and_save(trainer, out=out, info=info, settings=config.train, snapshots=config.snapshots)
    stats = _all_ranks(trainer, stats)  # each rank judged its own completions
    info.extra["judge"] = stats.as_dict()
    if trainer.is_world_process_zero():
        info.write(out, trainer.state, final=True)
        append_jsonl(
            out / "metrics.jsonl", {"kind": "judge", "step": trainer.state.global_step, **stats.as_dict()}
        )
    meta["judge"] = stats.as_dict()
    return meta
