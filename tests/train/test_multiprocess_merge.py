"""Merging refuses a checkpoint written sharded by FSDP (each rank's shard, not a model), naming what to merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from teachwhy.errors import TeachwhyError
from teachwhy.train.merge import merge_adapter


@pytest.mark.parametrize("layout", ["pytorch_model_fsdp_0/__0_0.distcp", "__0_0.distcp"])
def test_merge_refuses_sharded_checkpoints(tmp_path: Path, layout: str) -> None:
    ckpt = tmp_path / "run" / "checkpoint-50"
    (ckpt / layout).parent.mkdir(parents=True, exist_ok=True)
    (ckpt / layout).write_bytes(b"shard")
    with pytest.raises(TeachwhyError) as err:
        merge_adapter(str(ckpt), str(tmp_path / "merged"))
    assert "is a sharded checkpoint" in err.value.message
    assert "accelerate merge-weights" in (err.value.hint or "") and "snapshots/step-N" in (err.value.hint or "")
    assert not (tmp_path / "merged").exists()
