"""Preflight: check a model spec before any work starts or any file is written.

:func:`check_model` resolves the spec and checks what can be checked without loading weights or calling a
provider: a local directory exists and holds a model (an adapter's base too), a hub id is in the local Hugging Face
cache when teachwhy runs offline, ``vllm/…`` has vLLM and a CUDA GPU, an API provider is known to inspect_ai and its
key is set. Every failure is a :class:`~teachwhy.errors.TeachwhyError` that names the flag and the fix.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from teachwhy.errors import MissingKeyError, TeachwhyError
from teachwhy.models._embedded import embedded_dir, embedded_gguf
from teachwhy.models._roles import _LOCAL_PROVIDERS, ResolvedModel, resolve_model

__all__ = ["check_model", "hub_offline"]


def hub_offline() -> bool:
    """Whether Hugging Face hub downloads are off (teachwhy's CLI sets ``HF_HUB_OFFLINE=1``)."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def _looks_like_path(name: str) -> bool:
    return name.startswith(("/", ".", "~")) or Path(name).expanduser().exists()


def _check_dir(path: Path, flag: str) -> None:
    """A local model directory: it exists, holds a model config, and an adapter's base is there too."""
    if not path.is_dir():
        raise TeachwhyError(
            f"{flag}: model directory {path} does not exist",
            hint="check the path (a training --out directory or a saved Hugging Face model), or use `embedded`",
        )
    adapter = path / "adapter_config.json"
    config = adapter if adapter.is_file() else path / "config.json"
    if not config.is_file():
        raise TeachwhyError(
            f"{flag}: {path} holds no config.json or adapter_config.json",
            hint="point it at a saved Hugging Face model or a finished teachwhy training output (its final model)",
        )
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TeachwhyError(
            f"{flag}: {config} is not readable JSON ({exc})", hint="re-save the model, or point at another directory"
        ) from None
    if adapter.is_file():
        base = str((data or {}).get("base_model_name_or_path") or "")
        if not base:
            raise TeachwhyError(f"{flag}: {adapter} names no base_model_name_or_path",
                                hint="merge or re-save the adapter with its base model")  # fmt: skip
        if _looks_like_path(base) or "/" not in base:
            if not (Path(base).expanduser() / "config.json").is_file():
                raise TeachwhyError(
                    f"{flag}: the adapter {path} needs its base model {base}, which is not here",
                    hint="restore the base model directory (for the embedded model: run `teachwhy models --model "
                    "embedded`), or merge the adapter where the base exists (`teachwhy train merge`)",
                )
        else:
            _check_hub_id(base, flag, f"the base model of adapter {path}")


def _check_hub_id(repo_id: str, flag: str, what: str) -> None:
    """A Hugging Face hub id must already be in the local cache when downloads are off."""
    if not hub_offline():
        return
    from huggingface_hub import try_to_load_from_cache

    try:
        cached = try_to_load_from_cache(repo_id, "config.json")
    except Exception:  # an id that is not a valid repo id
        cached = None
    if not isinstance(cached, str):
        raise TeachwhyError(
            f"{flag}: {what} {repo_id} is not in the local Hugging Face cache, and teachwhy runs offline "
            "(HF_HUB_OFFLINE=1)",
            hint=f"download it once: `HF_HUB_OFFLINE=0 .venv/bin/hf download {repo_id} --local-dir DIR`, then pass "
            "the directory DIR",
        )


def _check_vllm(flag: str) -> None:
    if importlib.util.find_spec("vllm") is None:
        raise TeachwhyError(
            f"{flag}: vllm/… models need the vllm package, which is not installed here",
            hint="on a CUDA GPU node: `.venv/bin/pip install vllm`; on CPU use `embedded`, a local model directory "
            "or hf/<dir>",
        )
    import torch

    if not torch.cuda.is_available():
        raise TeachwhyError(
            f"{flag}: vllm/… models need a CUDA GPU, and torch sees none on this machine",
            hint="run on a GPU node, or use `embedded`, a local model directory or hf/<dir> on CPU",
        )


def _check_provider(resolved: ResolvedModel, flag: str) -> None:
    """Build (not call) an API provider's client: an unknown provider or a missing SDK/setting fails here."""
    import re

    from inspect_ai._util.error import PrerequisiteError
    from inspect_ai.model import get_model

    try:
        get_model(resolved.name, memoize=False)
    except PrerequisiteError as exc:
        text = re.sub(r"\[/?[a-z ]+\]", "", str(exc.message)).replace("ERROR:", "").strip()
        raise TeachwhyError(f"{flag}: {resolved.spec}: {' '.join(text.split())}",
                            hint="install or set what it names, or choose another model") from None  # fmt: skip
    except ValueError as exc:
        if "not recognized" not in str(exc) and "not recognised" not in str(exc):
            raise
        raise TeachwhyError(
            f"{flag}: unknown model provider in {resolved.spec!r}",
            hint="use `embedded`, a local model directory, or provider/model with an inspect_ai provider: "
            "anthropic/…, openai/…, google/…, openai-api/<service>/…, vllm/…, hf/<dir>, mockllm/model",
        ) from None


def check_model(spec: str, role: str, *, flag: str | None = None, called: bool = True) -> ResolvedModel:
    """Check ``spec`` for ``role`` before any work; return what it resolves to.

    ``flag`` names the option in messages (default ``--<role>``). ``called=False`` checks only that the spec is
    well formed and present (e.g. a target used only for its tokenizer): no key, GPU or provider checks.
    """
    flag = flag or f"--{role}"
    try:
        resolved = resolve_model(spec, convert=False)
    except TeachwhyError as exc:
        raise TeachwhyError(f"{flag}: {exc.message}", exc.hint) from None
    name = resolved.name
    if resolved.spec == "embedded":
        if not (embedded_dir() / "config.json").is_file():
            embedded_gguf()  # installed? (converted on first use)
        return resolved
    if name.startswith("hf/"):
        target = name.removeprefix("hf/")
        if _looks_like_path(target):
            _check_dir(Path(target).expanduser(), flag)
        elif called and target != "local":
            _check_hub_id(target, flag, "the model")
        return resolved
    provider = name.split("/", 1)[0]
    if not called:
        return resolved
    if provider == "vllm":
        _check_vllm(flag)
    if not resolved.key_present:
        raise MissingKeyError(
            f"the {role} model {resolved.spec} needs the environment variable {resolved.key_var}",
            hint=f"export {resolved.key_var}=... (or pass another model to {flag})",
        )
    if provider not in _LOCAL_PROVIDERS:
        _check_provider(resolved, flag)
    return resolved
