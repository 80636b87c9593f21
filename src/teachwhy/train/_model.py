"""Resolve a model spec to a local directory and load it for training (base model, LoRA adapter, or full
model)."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from teachwhy.errors import TeachwhyError, TeachwhyWarning
from teachwhy.models import resolve_model
from teachwhy.train.config import LoraSettings

__all__ = ["LoadedModel", "ModelSource", "ignored_lora_settings", "load_for_training", "lora_config", "model_source"]


@dataclass(frozen=True)
class ModelSource:
    """A local model directory: ``path``; for an adapter, also the base it applies to."""

    spec: str
    path: Path
    adapter: bool
    base: Path

    @property
    def base_model(self) -> str:
        """The ultimate base model directory (what meta.json records as base_model)."""
        return str(self.base)


def model_source(spec: str) -> ModelSource:
    """Resolve ``embedded``, a local HF directory or a teachwhy output to a local directory.

    Training needs weights on disk: provider models (``anthropic/…``) cannot be trained.
    """
    resolved = resolve_model(spec)
    if not resolved.name.startswith("hf/"):
        raise TeachwhyError(
            f"cannot train {spec!r}: training needs a local model",
            hint="use --model embedded, or a local Hugging Face directory (or a teachwhy training output)",
        )
    path = Path(resolved.name.removeprefix("hf/")).expanduser()
    if not path.is_dir():
        raise TeachwhyError(
            f"cannot train {spec!r}: {path} is not a local directory",
            hint="download the model once (e.g. `huggingface-cli download ORG/NAME --local-dir DIR`) "
            "and pass DIR",
        )
    adapter_cfg = path / "adapter_config.json"
    if adapter_cfg.is_file():
        base = json.loads(adapter_cfg.read_text(encoding="utf-8")).get("base_model_name_or_path")
        if not base or not Path(base).is_dir():
            raise TeachwhyError(
                f"adapter {path} points at base model {base!r}, which is not a local directory",
                hint="merge the adapter with `teachwhy train merge` on a machine that has the base, or fix "
                "base_model_name_or_path in adapter_config.json",
            )
        return ModelSource(spec, path.resolve(), True, Path(base).resolve())
    return ModelSource(spec, path.resolve(), False, path.resolve())


def lora_config(settings: LoraSettings, model: Any = None) -> Any:
    """The PEFT ``LoraConfig`` for ``settings``; ``model`` (the base to adapt) is needed with ``top_layers``."""
    from peft import LoraConfig

    targets: list[str] | str = settings.target_modules
    layers: list[int] | None = None
    if settings.top_layers is not None:
        n = getattr(getattr(model, "config", None), "num_hidden_layers", None)
        if not isinstance(n, int):
            raise TeachwhyError("lora.top_layers: the model's config names no num_hidden_layers",
                                hint="unset lora.top_layers to adapt every layer")  # fmt: skip
        if settings.top_layers > n:
            raise TeachwhyError(f"lora.top_layers = {settings.top_layers}, but the model has {n} layers",
                                hint=f"use at most {n}, or unset it to adapt every layer")  # fmt: skip
        layers = list(range(n - settings.top_layers, n))
        if targets == "all-linear":  # PEFT takes layers_to_transform only with named modules
            targets = linear_module_names(model)
    return LoraConfig(
        r=settings.r,
        lora_alpha=settings.alpha,
        lora_dropout=settings.dropout,
        target_modules=targets,
        layers_to_transform=layers,
        task_type="CAUSAL_LM",
    )


def linear_module_names(model: Any) -> list[str]:
    """The distinct names of the model's linear layers inside its transformer blocks (what PEFT's
    ``all-linear`` selects: every ``nn.Linear`` but the output head)."""
    import torch

    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    return sorted({name.rsplit(".", 1)[-1] for name, mod in model.named_modules()
                   if isinstance(mod, torch.nn.Linear) and mod is not head})  # fmt: skip


def ignored_lora_settings(adapter: Path, lora: LoraSettings) -> list[str]:
    """The stage's ``lora.*`` settings that differ from the adapter's own (``adapter_config.json``), as
    ``lora.r=16 (adapter: 8)``; a continued adapter keeps its own, so these have no effect. ``target_modules`` is
    compared only when the stage lists modules (``all-linear`` is resolved to names when an adapter is saved)."""
    cfg = json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8"))
    pairs: list[tuple[str, Any, Any]] = [("r", lora.r, cfg.get("r")), ("alpha", lora.alpha, cfg.get("lora_alpha")),
                                         ("dropout", lora.dropout, cfg.get("lora_dropout"))]  # fmt: skip
    if isinstance(lora.target_modules, list):
        saved = cfg.get("target_modules")
        saved_set = sorted(saved) if isinstance(saved, list) else saved
        pairs.append(("target_modules", sorted(lora.target_modules), saved_set))
    if lora.top_layers is not None:
        saved_layers = cfg.get("layers_to_transform")
        pairs.append(("top_layers", lora.top_layers, len(saved_layers) if isinstance(saved_layers, list) else "all"))
    return [f"lora.{name}={mine} (adapter: {theirs})" for name, mine, theirs in pairs
            if theirs is not None and mine != theirs]  # fmt: skip


@dataclass
class LoadedModel:
    """The model to hand to a TRL trainer, its tokenizer, and the PEFT config to apply (None if already
    wrapped)."""

    model: Any
    tokenizer: Any
    peft_config: Any
    source: ModelSource


def load_for_training(spec: str, lora: LoraSettings) -> LoadedModel:
    """Load ``spec`` for training.

    * base model + LoRA → the base, and a new ``LoraConfig`` for the trainer;
    * teachwhy adapter + LoRA → the same adapter, trainable, continued (its base stays the recorded base);
    * adapter + full fine-tuning → the adapter merged into its base;
    * full fine-tuning of a base → the base.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    src = model_source(spec)
    tokenizer = AutoTokenizer.from_pretrained(str(src.path))
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model: Any = AutoModelForCausalLM.from_pretrained(str(src.base), dtype=torch.float32)
    peft_config = None
    if src.adapter:
        from peft import PeftModel

        ignored = ignored_lora_settings(src.path, lora) if lora.enabled else []
        if ignored:
            warnings.warn(
                f"continuing the adapter {src.path}: it keeps its own LoRA settings, so this stage's "
                f"{', '.join(ignored)} are ignored (set them to the adapter's values, or start from its base model "
                "with --model BASE to train a new adapter)",
                TeachwhyWarning,
                stacklevel=2,
            )

        model = PeftModel.from_pretrained(model, str(src.path), is_trainable=lora.enabled)
        if not lora.enabled:
            model = model.merge_and_unload()
    elif lora.enabled:
        peft_config = lora_config(lora, model)
    if model.generation_config is not None and model.generation_config.pad_token_id is None:
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    return LoadedModel(model, tokenizer, peft_config, src)
