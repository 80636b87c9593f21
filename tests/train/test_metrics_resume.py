"""After a crash, steps re-trained from the last checkpoint are logged once."""

from __future__ import annotations

import json
from pathlib import Path

from teachwhy.train._runner import _checkpoint_step, _truncate_metrics


def test_truncate_metrics_keeps_rows_up_to_the_checkpoint(tmp_path: Path) -> None:
    log = tmp_path / "metrics.jsonl"
    rows = [{"kind": "train", "step": s, "loss": 1.0 / s} for s in (1, 2, 3, 4)]
    rows += [{"kind": "train", "stage": "sdf", "step": 9}]
    log.write_text("".join(json.dumps(r) + "\n" for r in rows))
    _truncate_metrics(log, None, _checkpoint_step(tmp_path / "checkpoint-2"))
    kept = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r.get("stage"), r["step"]) for r in kept] == [(None, 1), (None, 2), ("sdf", 9)]
    _truncate_metrics(log, "sdf", _checkpoint_step(None))
    assert [r["step"] for r in map(json.loads, log.read_text().splitlines())] == [1, 2]
