"""Models by role: ``target``, ``judge``, ``teacher``, ``auditor`` — any inspect_ai model string or ``embedded``."""

from teachwhy.models._dtype import DTYPES, DtypeSetting, resolve_dtype
from teachwhy.models._embedded import (
    EMBEDDED_NAME,
    cache_dir,
    embedded_dir,
    embedded_gguf,
    ensure_embedded,
    tool_chat_template,
)
from teachwhy.models._preflight import check_model, hub_offline
from teachwhy.models._roles import (
    ROLE_HELP,
    ROLES,
    ResolvedModel,
    Role,
    default_max_tokens,
    default_spec,
    required_key,
    resolve_model,
    role_model,
    tune_for_cpu,
)

__all__ = [
    "DTYPES",
    "DtypeSetting",
    "EMBEDDED_NAME",
    "ROLES",
    "ROLE_HELP",
    "ResolvedModel",
    "Role",
    "cache_dir",
    "check_model",
    "default_max_tokens",
    "default_spec",
    "embedded_dir",
    "embedded_gguf",
    "ensure_embedded",
    "hub_offline",
    "required_key",
    "resolve_dtype",
    "resolve_model",
    "role_model",
    "tune_for_cpu",
    "tool_chat_template",
]
