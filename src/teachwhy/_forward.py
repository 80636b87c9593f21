"""What a transformers model's ``forward`` accepts, read from its signature (a PEFT wrapper is looked through).

Asked by name, never by trying: most architectures take ``**kwargs``, so an argument they do not know (``logits_to_keep``
on an older or remote-code model, ``cache`` before transformers 5) is swallowed silently instead of raising.
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["cache_kwarg", "takes_logits_to_keep"]


def _params(model: Any) -> set[str]:
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return set(inspect.signature(base.forward).parameters)


def takes_logits_to_keep(model: Any) -> bool:
    """Whether ``forward`` computes the output head only at the positions it is given (``logits_to_keep``)."""
    return "logits_to_keep" in _params(model)


def cache_kwarg(model: Any) -> str:
    """The name ``forward`` takes its KV cache under: ``cache`` (transformers 5) or ``past_key_values``."""
    return "cache" if "cache" in _params(model) else "past_key_values"
