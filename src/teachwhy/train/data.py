"""Training data: load chat or document datasets and build mixtures by weight or by token budget.

A source is a JSONL file, a Parquet file or a ``datasets.save_to_disk`` directory whose rows carry
``messages`` (chat,
optionally with ``tools``) or ``text`` (documents). Token budgets are counted with the target model's
tokenizer
(chat rows rendered with its chat template), so "3M tokens of difficult-advice" means 3M tokens the model
trains on.
Every source is described by a datacard that goes into ``meta.json``.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from teachwhy.errors import TeachwhyError
from teachwhy.train.config import DataSource, Mixture

__all__ = ["Kind", "LoadedSource", "MixResult", "build_mixture", "count_tokens", "load_source"]

Kind = Literal["chat", "text"]
_SIDECARS = ("{name}.datacard.json", "datacard.json", "{stem}.meta.json", "meta.json")


@dataclass
class LoadedSource:
    """One source's rows and what is known about where they came from."""

    source: DataSource
    kind: Kind
    rows: list[dict[str, Any]]
    card: dict[str, Any] = field(default_factory=dict)


@dataclass
class MixResult:
    """The mixed rows (shuffled) and one datacard per source, with the rows and tokens it contributed."""

    rows: list[dict[str, Any]]
    kind: Kind
    datacards: list[dict[str, Any]]

    @property
    def tokens(self) -> int:
        """Tokens in the mixture (counted with the target tokenizer)."""
        return sum(int(c.get("tokens_used", 0)) for c in self.datacards)


def _fingerprint(path: Path) -> str:
    h = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        h.update(f.name.encode())
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:16]


def _sidecar(path: Path) -> dict[str, Any] | None:
    """A datacard written beside the data by ``teachwhy data`` (or anyone), if there is one."""
    base = path if path.is_dir() else path.parent
    for pattern in _SIDECARS:
        cand = base / pattern.format(name=path.name, stem=path.stem)
        if cand.is_file() and cand != path:
            try:
                data = json.loads(cand.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                continue
            if isinstance(data, dict):
                return {"file": str(cand), **data}
    return None


def _read_rows(path: Path) -> list[dict[str, Any]]:
    if path.is_dir():
        from datasets import load_from_disk

        ds = load_from_disk(str(path))
        if hasattr(ds, "keys") and not hasattr(ds, "column_names"):  # a DatasetDict: take its train split
            if "train" not in ds:
                raise TeachwhyError(f"{path} is a DatasetDict without a `train` split", hint="save one split")
            ds = ds["train"]
        return [dict(r) for r in ds]
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        rows: list[dict[str, Any]] = []
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                raise TeachwhyError(
                    f"{path}:{i + 1}: not valid JSON", hint="one JSON object per line"
                ) from None
            if not isinstance(row, dict):
                raise TeachwhyError(f"{path}:{i + 1}: expected a JSON object")
            rows.append(row)
        return rows
    if suffix == ".parquet":
        from datasets import Dataset

        return [dict(r) for r in Dataset.from_parquet(str(path))]
    raise TeachwhyError(
        f"unsupported data file {path}",
        hint="use a .jsonl or .parquet file or a datasets save_to_disk directory",
    )


def _normalize(row: dict[str, Any], kind: Kind, where: str) -> dict[str, Any]:
    if kind == "text":
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            raise TeachwhyError(f"{where}: `text` must be a non-empty string")
        return {"text": text}
    messages = row.get("messages")
    if not isinstance(messages, list) or not messages:
        raise TeachwhyError(f"{where}: `messages` must be a non-empty list of {{role, content}}")
    for m in messages:
        if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant", "tool"):
            raise TeachwhyError(f"{where}: every message needs a role of system, user, assistant or tool")
    if not any(m["role"] == "assistant" for m in messages):
        raise TeachwhyError(f"{where}: no assistant message to train on")
    out: dict[str, Any] = {"messages": [{k: v for k, v in m.items() if v is not None} for m in messages]}
    tools = row.get("tools")
    if tools:
        out["tools"] = tools if isinstance(tools, list) else json.loads(tools)
    return out


def load_source(source: DataSource) -> LoadedSource:
    """Load and validate one source; the kind (chat or text) is read from its columns."""
    path = Path(source.path).expanduser()
    if not path.exists():
        raise TeachwhyError(f"data not found: {path}", hint="check the `path` of the source in your config")
    raw = _read_rows(path)
    if not raw:
        raise TeachwhyError(f"{path} holds no rows")
    first = raw[0]
    if "messages" in first:
        kind: Kind = "chat"
    elif "text" in first:
        kind = "text"
    else:
        raise TeachwhyError(
            f"{path}: rows need a `messages` column (chat) or a `text` column (documents); got "
            f"{sorted(first)}"
        )
    rows = [_normalize(r, kind, f"{path} row {i + 1}") for i, r in enumerate(raw)]
    if source.limit is not None:
        rows = rows[: source.limit]
    card: dict[str, Any] = {
        "name": source.name or path.name,
        "path": str(path.resolve()),
        "kind": kind,
        "rows_available": len(rows),
        "sha256_16": _fingerprint(path),
    }
    side = _sidecar(path)
    if side is not None:
        card["datacard"] = side
    return LoadedSource(source, kind, rows, card)


def count_tokens(row: dict[str, Any], tokenizer: Any) -> int:
    """Tokens of one row as the model sees it (chat rows through the chat template)."""
    if "text" in row:
        return len(tokenizer(row["text"], add_special_tokens=False)["input_ids"]) + 1  # + eos
    ids = tokenizer.apply_chat_template(
        row["messages"], tools=row.get("tools"), tokenize=True, return_dict=False
    )
    if isinstance(ids, dict):  # some tokenizers return a BatchEncoding regardless
        ids = ids["input_ids"]
    return len(ids)


def _take(rows: list[dict[str, Any]], n: int, rng: random.Random) -> tuple[list[dict[str, Any]], int]:
    """``n`` rows: whole shuffled passes, then a sample. Returns the rows and the number of full repeats."""
    out: list[dict[str, Any]] = []
    passes = 0
    while len(out) + len(rows) <= n:
        out.extend(rows)
        passes += 1
    out.extend(rng.sample(rows, n - len(out)))
    return out, passes


def build_mixture(mixture: Mixture, tokenizer: Any, *, expect: Kind | None = None) -> MixResult:
    """Load every source and mix: concatenate, or draw rows by weight, or fill token budgets."""
    rng = random.Random(mixture.seed)
    loaded = [load_source(s) for s in mixture.sources]
    kinds = {ls.kind for ls in loaded}
    if len(kinds) > 1:
        raise TeachwhyError("a mixture cannot mix chat (`messages`) and document (`text`) sources")
    kind: Kind = loaded[0].kind
    if expect is not None and kind != expect:
        want = "`messages` (chat)" if expect == "chat" else "`text` (documents)"
        raise TeachwhyError(
            f"this command trains on {want} data but {loaded[0].card['path']} holds {kind} rows",
            hint="use `teachwhy train sft` for chat data and `teachwhy train sdf` for documents",
        )
    mixed: list[dict[str, Any]] = []
    cards: list[dict[str, Any]] = []
    by_tokens = all(ls.source.tokens is not None for ls in loaded)
    by_weight = all(ls.source.weight is not None for ls in loaded)
    total_weight = sum(ls.source.weight or 0.0 for ls in loaded)
    total_rows = mixture.total_examples or sum(len(ls.rows) for ls in loaded)
    for ls in loaded:
        card = dict(ls.card)
        if by_tokens:
            budget = int(ls.source.tokens or 0)
            order = ls.rows[:]
            rng.shuffle(order)
            taken: list[dict[str, Any]] = []
            used = 0
            i = 0
            while used < budget:
                row = order[i % len(order)]
                used += count_tokens(row, tokenizer)
                taken.append(row)
                i += 1
            card.update(mode="tokens", token_budget=budget, repeats=(len(taken) - 1) // len(order))
        elif by_weight:
            n = max(1, round(total_rows * (ls.source.weight or 0.0) / total_weight))
            taken, passes = _take(ls.rows, n, rng)
            used = sum(count_tokens(r, tokenizer) for r in taken)
            card.update(mode="weight", weight=ls.source.weight, repeats=passes)
        else:
            taken = ls.rows
            used = sum(count_tokens(r, tokenizer) for r in taken)
            card.update(mode="all")
        card.update(rows_used=len(taken), tokens_used=used)
        mixed.extend(taken)
        cards.append(card)
    rng.shuffle(mixed)
    return MixResult(mixed, kind, cards)
