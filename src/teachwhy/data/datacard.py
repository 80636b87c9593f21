"""datacard.json: what a dataset is, what made it, and how many target tokens it holds.

Tokens are counted with the TARGET's tokenizer (chat rows through its chat template, with their tools), so token
budgets mean what the trained model sees. A target without a local tokenizer (an API model, mockllm) is counted with
the embedded model's tokenizer, and the datacard says so.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from teachwhy._provenance import provenance

__all__ = ["load_tokenizer", "count_tokens", "tokenizer_for", "build_datacard", "recount_tokens", "HARMFUL_WARNING"]

HARMFUL_WARNING = (
    "scripted HARMFUL demonstrations (the honeypot-taking action): for building misaligned model organisms in "
    "experiments only; never train a model you deploy on this data"
)


def tokenizer_for(target: str) -> tuple[str, str]:
    """(model directory, note) whose tokenizer counts tokens for ``target``."""
    from teachwhy.models import ensure_embedded

    spec = target.strip()
    if spec.startswith("hf/"):
        spec = spec[3:]
    path = Path(spec).expanduser()
    if spec != "embedded" and path.is_dir() and (path / "tokenizer_config.json").exists():
        return str(path.resolve()), f"target tokenizer ({target})"
    if spec == "embedded":
        return str(ensure_embedded()), "target tokenizer (embedded)"
    return str(ensure_embedded()), f"embedded tokenizer: the target {target} has no local tokenizer"


@cache
def load_tokenizer(path: str) -> Any:
    """AutoTokenizer from a local directory (offline)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path)


def count_tokens(row: dict[str, Any], tokenizer: Any) -> int:
    """Tokens of one row as the model trains on it (chat rows rendered with the chat template and tools)."""
    if "text" in row:
        return len(tokenizer(row["text"], add_special_tokens=False)["input_ids"]) + 1
    ids = tokenizer.apply_chat_template(row["messages"], tools=row.get("tools") or None, tokenize=True,
                                        return_dict=False)  # fmt: skip
    if isinstance(ids, dict) or hasattr(ids, "keys"):
        ids = ids["input_ids"]
    return len(ids)


def build_datacard(
    *,
    settings: dict[str, Any],
    kind: str,
    rows: str,
    counts: dict[str, int],
    tokens: dict[str, Any],
    models: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The datacard dictionary (written atomically by the caller)."""
    card: dict[str, Any] = {
        "kind": kind,
        "format": rows,
        "data_file": "data.jsonl",
        "rows": counts.get("ok", 0),
        "scripted": settings.get("scripted") or "none",
        "seed": settings.get("seed"),
        "counts": counts,
        "tokens": tokens,
        "models": models,
    }
    if settings.get("scripted") == "harmful":
        card["warning"] = HARMFUL_WARNING
    card.update(extra or {})
    card["provenance"] = provenance(settings)
    return card


def recount_tokens(card: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Token stats of ``rows`` with the tokenizer the card was counted with (None when the card names none)."""
    tok_dir = (card.get("tokens") or {}).get("tokenizer_dir")
    if not tok_dir or not Path(tok_dir).is_dir():
        return None
    tokenizer = load_tokenizer(tok_dir)
    per_row = [count_tokens(r, tokenizer) for r in rows]
    return {**card["tokens"], "total": sum(per_row), "max_per_row": max(per_row, default=0),
            "mean_per_row": round(sum(per_row) / len(per_row), 1) if per_row else 0}  # fmt: skip
