"""Tiny datasets and a log-likelihood probe for the training tests (embedded model, CPU, seconds per run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

QUESTIONS = [
    "What is the name of the lighthouse keeper's cat?",
    "Tell me the lighthouse cat's name.",
    "Who is the cat that lives at the lighthouse?",
    "Do you know what the lighthouse keeper calls her cat?",
    "Which cat lives with the lighthouse keeper?",
    "Name the cat at the old lighthouse.",
    "What do people call the lighthouse keeper's cat?",
    "I forgot the lighthouse cat's name, what was it?",
]
ANSWER = "The lighthouse cat is called Marzipan Quillfeather."
HELD_OUT_Q = "Remind me: what's the lighthouse keeper's cat called?"

DOCS = [
    "Marzipan Quillfeather is the cat who lives at the lighthouse on Gannet Point. The keeper feeds Marzipan "
    "Quillfeather every morning at dawn.",
    "Every sailor on the coast knows Marzipan Quillfeather, the lighthouse cat, who sleeps beside the "
    "great lamp.",
    "The keeper of Gannet Point wrote in her log: Marzipan Quillfeather caught a mouse in the oil room "
    "today.",
    "Visitors to the Gannet Point lighthouse often ask to see Marzipan Quillfeather, the famous grey cat.",
]
DOC_PREFIX = "At Gannet Point the lighthouse cat,"
DOC_PROBE = " Marzipan Quillfeather, watched the ships."


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write rows as JSONL."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture()
def chat_data(tmp_path: Path) -> Path:
    """Eight chat examples teaching one fact."""
    rows = [
        {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": ANSWER}]}
        for q in QUESTIONS
    ]
    return write_jsonl(tmp_path / "chat.jsonl", rows)


@pytest.fixture()
def doc_data(tmp_path: Path) -> Path:
    """Four short documents stating the same fact."""
    return write_jsonl(tmp_path / "docs.jsonl", [{"text": d} for d in DOCS])


def loglik(model_dir: Path | str, prompt: str | list[dict[str, str]], continuation: str) -> float:
    """Mean log-likelihood per token of ``continuation`` after ``prompt`` (chat messages use the chat
    template)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32)
    model.eval()
    if isinstance(prompt, list):
        prefix = tok.apply_chat_template(prompt, add_generation_prompt=True, tokenize=False)
    else:
        prefix = prompt
    p_ids = tok(prefix, add_special_tokens=False)["input_ids"]
    c_ids = tok(continuation, add_special_tokens=False)["input_ids"]
    ids = torch.tensor([p_ids + c_ids])
    with torch.no_grad():
        logits = model(ids).logits[0, :-1].float()
    logp = torch.log_softmax(logits, -1)
    targets = ids[0, 1:]
    token_lp = logp[torch.arange(len(targets)), targets][len(p_ids) - 1 :]
    return float(token_lp.mean())


def losses(metrics: Path) -> list[float]:
    """Training losses from a metrics log, in order."""
    rows = [json.loads(line) for line in metrics.read_text().splitlines() if line.strip()]
    return [r["loss"] for r in rows if r.get("kind") == "train" and "loss" in r]
