"""Models by role. Every part of teachwhy names its models by role and resolves them here.

A role takes any inspect_ai model string (``anthropic/…``, ``openai/…``, ``vllm/…``, ``hf/…``, ``mockllm/model``), a
local directory holding a Hugging Face model or a teachwhy-trained adapter, or ``embedded``. Every model call goes
through inspect_ai's model API, so retries, rate limits, concurrency and caching come from inspect_ai.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from inspect_ai.model import ChatMessage, GenerateConfig, Model, ModelOutput, ModelUsage, get_model

from teachwhy.errors import TeachwhyError
from teachwhy.models._embedded import embedded_dir, ensure_embedded

__all__ = [
    "ROLES",
    "Role",
    "ResolvedModel",
    "default_max_tokens",
    "default_spec",
    "required_key",
    "resolve_model",
    "role_model",
    "tune_for_cpu",
]

Role = Literal["target", "judge", "teacher", "auditor"]
ROLES: tuple[Role, ...] = ("target", "judge", "teacher", "auditor")

ROLE_HELP: dict[str, str] = {
    "target": "the model evaluated or trained",
    "judge": "grades transcripts and responses",
    "teacher": "writes training data",
    "auditor": "drives the held-out alignment assessment",
}

# provider prefix -> environment variable holding its key (providers that need none are absent)
_KEY_VARS: dict[str, str] = {
    "anthropic": "ANTHROPIC_API_KEY",
    "openai": "OPENAI_API_KEY",
    "google": "GOOGLE_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "grok": "XAI_API_KEY",
    "groq": "GROQ_API_KEY",
    "together": "TOGETHER_API_KEY",
    "fireworks": "FIREWORKS_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "perplexity": "PERPLEXITY_API_KEY",
    "sambanova": "SAMBANOVA_API_KEY",
}
_LOCAL_PROVIDERS = {"hf", "vllm", "sglang", "ollama", "llama-cpp-python", "mockllm", "transformer_lens", "none"}


def default_spec(role: Role) -> str:
    """The model a role uses when nothing names one: ``$TEACHWHY_<ROLE>`` or ``embedded``."""
    return os.environ.get(f"TEACHWHY_{role.upper()}") or "embedded"


def required_key(spec: str) -> str | None:
    """Name of the environment variable the spec's provider needs, or None.

    >>> required_key("anthropic/claude-sonnet-4-5")
    'ANTHROPIC_API_KEY'
    >>> required_key("openai-api/acme/some-model")
    'ACME_API_KEY'
    >>> required_key("embedded") is None
    True
    """
    provider = spec.split("/", 1)[0]
    if provider == "openai-api" and spec.count("/") >= 2:
        return spec.split("/")[1].upper().replace("-", "_") + "_API_KEY"
    if provider == "openai" and os.environ.get("OPENAI_BASE_URL"):
        return None  # an OpenAI-compatible local server (e.g. vLLM) may not need a key
    return _KEY_VARS.get(provider)


@dataclass(frozen=True)
class ResolvedModel:
    """What a model spec resolves to: the inspect_ai model name and provider arguments."""

    spec: str
    name: str
    model_args: dict[str, Any] = field(default_factory=dict)
    key_var: str | None = None
    local: bool = False

    @property
    def key_present(self) -> bool:
        """Whether the needed API key is set (True when none is needed). Never exposes the key."""
        return self.key_var is None or bool(os.environ.get(self.key_var))


def _is_local_dir(spec: str) -> bool:
    p = Path(spec).expanduser()
    return p.is_dir() and ((p / "config.json").exists() or (p / "adapter_config.json").exists())


def resolve_model(spec: str, *, convert: bool = True) -> ResolvedModel:
    """Resolve a model spec without loading or calling it.

    ``convert=False`` skips converting the embedded model (used by ``teachwhy models`` to stay instant).
    """
    spec = spec.strip()
    if not spec:
        raise TeachwhyError("empty model spec", hint="use `embedded`, a local model directory, or provider/model")
    if spec == "embedded":
        path = ensure_embedded() if convert else embedded_dir()
        return ResolvedModel(spec, f"hf/{path}", {}, None, True)
    if _is_local_dir(spec):
        return ResolvedModel(spec, f"hf/{Path(spec).expanduser().resolve()}", {}, None, True)
    looks_like_path = spec.startswith(("/", ".", "~")) or Path(spec).expanduser().exists()
    if "/" not in spec or looks_like_path:
        if Path(spec).expanduser().exists():
            raise TeachwhyError(
                f"model directory {spec} holds no config.json or adapter_config.json",
                hint="point --model at a saved Hugging Face model or a teachwhy training output",
            )
        if looks_like_path:
            raise TeachwhyError(
                f"model directory {spec} does not exist",
                hint="check the path (a training --out directory or a saved Hugging Face model), or use `embedded`",
            )
        placeholder = "a placeholder such as M in the README stands for a model: " if spec.isupper() else ""
        raise TeachwhyError(
            f"unknown model {spec!r}",
            hint=f"{placeholder}use `embedded`, a local model directory, or an inspect_ai model string such as "
            "anthropic/claude-sonnet-4-5, openai/gpt-4o-mini, vllm/<hf-id>, hf/<dir>, mockllm/model",
        )
    provider = spec.split("/", 1)[0]
    return ResolvedModel(spec, spec, {}, required_key(spec), provider in _LOCAL_PROVIDERS)


def default_max_tokens(spec: str, local: int, remote: int) -> int:
    """A per-call token budget: ``local`` for models run here through ``hf/`` (slow on CPU), ``remote`` otherwise."""
    return local if resolve_model(spec, convert=False).name.startswith("hf/") else remote


def _mock_reply(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
    """mockllm's default reply with its usage counted here (characters / 4): inspect's own count needs tiktoken's
    encoding, which it downloads, and teachwhy runs offline."""
    out = ModelOutput.from_content("mockllm/model", "Default output from mockllm/model")
    n_in = sum(len(m.text) for m in input) // 4 + 1
    n_out = len(out.completion) // 4
    out.usage = ModelUsage(input_tokens=n_in, output_tokens=n_out, total_tokens=n_in + n_out)
    return out


def tune_for_cpu(model: Model) -> Model:
    """Decode faster with a local Hugging Face model on CPU; the same function, the same greedy tokens.

    - a static KV cache: transformers' default cache concatenates every layer's keys and values at each decoded token
      (on unpadded 1.85k-token prompts that copy was 71 % of a decode step, profiled); a static cache is preallocated.
      It keeps the longest length the model instance has seen, so short prompts after long ones pay for that length;
    - a LoRA adapter merged into the weights it adapts (peft's ``merge``): one matmul per adapted layer, not three;
    - the prefill of a left-padded batch attends per row, causally, without a mask
      (:mod:`teachwhy.models._attention`: the masked SDPA kernel was ~60 % of that prefill on CPU).

    ``bench/decode_cache.py`` on the demo's batch (8 compact blackmail prompts, left-padded to 1851 tokens, 2 CPU
    cores, one run): base model 227 -> 173 ms a token; LoRA r16 adapter 235 -> 154 ms a token and prefill 48.6 ->
    34.9 s; the same tokens. In the demo a honeypot arm's first turn went 181 -> 148 s. Only without CUDA: on a GPU the copy is cheap and unmerged adapters cost little. A model that is
    not a local transformers model is returned untouched.
    """
    import torch

    if torch.cuda.is_available():
        return model
    hf = getattr(model.api, "model", None)
    gen = getattr(hf, "generation_config", None)
    if hf is None or gen is None:
        return model
    if gen.cache_implementation is None:
        gen.cache_implementation = "static"
    from peft.tuners.tuners_utils import BaseTunerLayer

    for module in hf.modules():
        if isinstance(module, BaseTunerLayer) and not module.merged:
            module.merge()
    from teachwhy.models._attention import use_padded_prefill

    use_padded_prefill(hf)
    return model


def role_model(
    role: Role,
    spec: str | None = None,
    *,
    temperature: float | None = None,
    max_tokens: int | None = None,
    seed: int | None = None,
    max_connections: int | None = None,
    max_retries: int | None = None,
    timeout: int | None = None,
    dtype: str | None = None,
    **model_args: Any,
) -> Model:
    """Return the inspect_ai :class:`Model` for ``role`` (``spec`` or the role's default).

    Missing API keys fail here, naming the variable to set. Local Hugging Face models sample unless
    ``temperature == 0``, in which case they decode greedily (transformers rejects temperature 0).
    ``max_retries`` and ``timeout`` (seconds per request, retries included) bound inspect's retrying of
    provider errors; unset, inspect's defaults apply. ``dtype`` (float32, bfloat16, float16 or auto: see
    :func:`teachwhy.models.resolve_dtype`) sets the weights' dtype of a model loaded here (``hf/``, local
    directories, ``embedded``; unset: float32); other providers ignore it.
    """
    from teachwhy.models._preflight import check_model

    check_model(spec or default_spec(role), role)  # a missing dir, key, GPU or unknown provider fails here
    resolved = resolve_model(spec or default_spec(role))
    args = {**resolved.model_args, **model_args}
    if resolved.name.startswith("mockllm/"):
        args.setdefault("custom_outputs", _mock_reply)
    cfg: dict[str, Any] = {"max_tokens": max_tokens, "seed": seed, "max_connections": max_connections,
                           "max_retries": max_retries, "timeout": timeout}  # fmt: skip
    if resolved.name.startswith("hf/"):
        greedy = temperature is not None and temperature <= 0
        args.setdefault("do_sample", not greedy)
        if not greedy:
            cfg["temperature"] = temperature
        if dtype is not None:
            import torch

            from teachwhy.models._dtype import resolve_dtype

            args.setdefault("dtype", getattr(torch, resolve_dtype(dtype)))
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    else:
        cfg["temperature"] = temperature
    config = GenerateConfig(**{k: v for k, v in cfg.items() if v is not None})
    model = get_model(resolved.name, config=config, role=role, **args)
    return tune_for_cpu(model) if resolved.name.startswith("hf/") else model
