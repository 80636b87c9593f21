"""The cost ledger reads token usage from real Inspect logs and prices it."""

from __future__ import annotations

from pathlib import Path

from inspect_ai import Task
from inspect_ai import eval as inspect_eval
from inspect_ai.dataset import Sample
from inspect_ai.model import ModelOutput, ModelUsage, get_model
from inspect_ai.solver import generate

from teachwhy.experiments.config import Price
from teachwhy.experiments.ledger import _cost, price_for, usage_from_log


def test_usage_from_a_real_log(tmp_path: Path) -> None:
    out = ModelOutput.from_content("mockllm/model", "hello")
    out.usage = ModelUsage(input_tokens=1200, output_tokens=30, total_tokens=1230, input_tokens_cache_read=200)
    model = get_model("mockllm/model", custom_outputs=[out])
    task = Task(dataset=[Sample(input="hi", target="hello")], solver=generate())
    logs = inspect_eval(task, model=model, log_dir=str(tmp_path), display="none")
    path = Path(logs[0].location)
    rows = usage_from_log(path)
    assert len(rows) == 1
    r = rows[0]
    assert r["model"] == "mockllm/model" and r["role"] in ("target", "other")
    assert (r["input_tokens"], r["output_tokens"], r["cached_tokens"]) == (1000, 30, 200)
    price = price_for({"mockllm/": Price(input=1.0, output=2.0, cached=0.5)}, r["model"])
    assert price is not None
    assert abs(_cost(price, {**r, "train_tokens": 0}) - (1000 * 1 + 30 * 2 + 200 * 0.5) / 1e6) < 1e-12
