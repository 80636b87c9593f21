"""Accelerate's GPU configs fail fast, and once, on a machine without the GPUs they name (train/_launch.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from teachwhy.errors import TeachwhyError
from teachwhy.train._launch import check_launch, is_rank_zero

ROOT = Path(__file__).resolve().parents[2]
ACCEL = {"ACCELERATE_MIXED_PRECISION": "bf16", "ACCELERATE_DYNAMO_BACKEND": "NO"}


def test_plain_runs_and_cpu_launches_pass() -> None:
    check_launch({}, cuda_available=False, gpu_count=0)  # `teachwhy train` / python -m teachwhy.train
    check_launch({"RANK": "1", "LOCAL_WORLD_SIZE": "2"}, cuda_available=False, gpu_count=0)  # torchrun on CPU
    check_launch({**ACCEL, "ACCELERATE_USE_CPU": "True"}, cuda_available=False, gpu_count=0)  # accelerate --cpu
    check_launch({**ACCEL, "LOCAL_WORLD_SIZE": "8"}, cuda_available=True, gpu_count=8)


@pytest.mark.parametrize(
    ("env", "cuda", "gpus", "message", "fix"),
    [
        ({**ACCEL, "ACCELERATE_USE_CPU": "False"}, False, 0, "GPU training on 1 process", "torchrun --nproc_per_node"),
        ({**ACCEL, "LOCAL_WORLD_SIZE": "8"}, False, 0, "GPU training on 8 process", "GPU node"),
        ({**ACCEL, "ACCELERATE_USE_FSDP": "true", "LOCAL_WORLD_SIZE": "8"}, False, 0, "FSDP training", "GPU node"),
        (
            {**ACCEL, "LOCAL_WORLD_SIZE": "8"},
            True,
            2,
            "starts 8 processes on this machine, but it has 2 GPU",
            "--num_processes 2",
        ),
    ],
)
def test_gpu_configs_without_their_gpus_are_refused(
    env: dict[str, str], cuda: bool, gpus: int, message: str, fix: str
) -> None:
    with pytest.raises(TeachwhyError) as err:
        check_launch(env, cuda_available=cuda, gpu_count=gpus)
    assert message in err.value.message and fix in (err.value.hint or "")


def test_rank_zero() -> None:
    assert is_rank_zero({}) and is_rank_zero({"RANK": "0"}) and not is_rank_zero({"RANK": "3"})


@pytest.mark.slow
def test_accelerate_launch_of_a_gpu_config_on_cpu_errors_once() -> None:
    """The README's GPU line, on this CPU machine: one error/fix pair from rank 0, a failing exit, no run."""
    pytest.importorskip("accelerate")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    cmd = [sys.executable, "-m", "accelerate.commands.launch", "--config_file",
           str(ROOT / "configs/train/accelerate/multi_gpu_ddp.yaml"), "--num_processes", "2",
           "-m", "teachwhy.train", "sft", "--config", str(ROOT / "configs/train/cpu_smoke_sft.yaml")]  # fmt: skip
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT,
                       env={**os.environ, "OMP_NUM_THREADS": "1"})  # fmt: skip
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert out.count("error: the accelerate config asks for GPU training") == 1, out[-3000:]
    assert out.count("fix: run the same command on a GPU node") == 1
    assert "Loading weights" not in out and "Tokenizing" not in out  # failed before any work
