"""Two training processes on the CPU (gloo, ``torchrun --nproc_per_node 2``) against one, on a tiny model built from
the embedded model's config and tokenizer (2 layers x 32, ~7 MB, random weights, nothing downloaded).

What is checked, and to what tolerance:
* sft: both ranks took part (each prints its result; one optimizer step consumes the 4-row global batch of two
  2-row ranks: epoch 0.5 of 8 rows, and as many tokens as one process with a 4-row batch);
* the loss of every step matches a single process on the same data within 1e-4 relative (fp32; only the order
  of the float sums differs), for 2 steps, then 2 more steps after resuming from the checkpoint the two ranks
  wrote (so the checkpoint resumes, and continues the same run);
* the final adapter, saved through accelerate's gathered state dict, gives the single-process model's logits
  within 1e-4;
* eval snapshots run once per snapshot step, on rank 0;
* rl (GRPO): both ranks generate (per-rank RNG states in the checkpoint) and TRL gathers their counts: the
  tokens of every step (prompts + completions of both ranks) equal the single-process run's exactly. That is
  all an RL run can be compared on here: sampling streams differ with the rank layout, and the random tiny
  model's completions all run to the length budget (its end-of-turn logit is 0: a padding row), so rewards have
  no spread and the GRPO loss is 0 in both runs (asserted, so a change there is seen).

About 3 minutes on 2 shared cores: slow, but part of the default run (and CI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from teachwhy.train.config import RLRunConfig, SFTRunConfig
from teachwhy.train.rl import run_rl
from teachwhy.train.sft import run_sft
from teachwhy.train.tiny import build_tiny_model

from .conftest import ANSWER, QUESTIONS, write_jsonl

pytestmark = pytest.mark.slow

REL_TOL = 1e-4
PROBE = '''
import json, os
from pathlib import Path

def probe(model, *, out_dir, limit):
    """Record the call (which rank, which directory) and that the directory holds a loadable adapter."""
    row = {"model": model, "rank": os.environ.get("RANK"), "pid": os.getpid(),
           "adapter": (Path(model) / "adapter_model.safetensors").is_file()}
    with open(os.environ["SNAPPROBE_LOG"], "a") as f:
        f.write(json.dumps(row) + "\\n")
    return {"adapter": float(row["adapter"])}
'''


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, embedded_dir: Path) -> Path:
    """The tiny model (built once per module)."""
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model", source=embedded_dir, layers=2, hidden=32)


def torchrun(args: list[str], tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``torchrun --standalone --nproc_per_node 2 -m teachwhy.train ARGS`` (a free port; probe module importable)."""
    full_env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": f"{tmp}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
                "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", **env}  # fmt: skip
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "teachwhy.train", *args]  # fmt: skip
    r = subprocess.run(cmd, env=full_env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-6000:]
    return r


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def train_rows(path: Path) -> dict[int, dict[str, Any]]:
    """Per-step training log rows (the ones with a loss)."""
    return {r["step"]: r for r in rows(path) if r.get("kind") == "train" and "loss" in r}


def sft_config(tiny: Path, data: Path, out: Path, *, batch: int, steps: int, snapshots: bool) -> dict[str, Any]:
    snaps = {"every_steps": 2, "at_end": True, "evals": ["snapprobe:probe"], "limit": 1} if snapshots else {
        "at_end": False, "evals": []}  # fmt: skip
    return {
        "model": str(tiny),
        "out": str(out),
        "data": {"sources": [{"path": str(data)}]},
        "lora": {"r": 4, "alpha": 8},
        "train": {
            "max_steps": steps,
            "batch_size": batch,
            "learning_rate": 1e-2,
            "max_length": 64,
            "lr_scheduler": "constant",
            "save_steps": 2,
            "bf16": False,
            "seed": 0,
        },  # fmt: skip
        "snapshots": snaps,
    }


def logits(model_dir: Path, tiny: Path) -> Any:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(tiny))
    model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32).eval()
    ids = tok(QUESTIONS[0] + " " + ANSWER, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        return model(ids).logits[0]


def test_sft_two_ranks_match_one_resume_and_snapshot_once(tiny: Path, tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "chat.jsonl", [
        {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": ANSWER}]} for q in QUESTIONS])  # fmt: skip
    (tmp_path / "snapprobe.py").write_text(PROBE)
    probe_log = tmp_path / "probe.jsonl"

    one = tmp_path / "one"
    run_sft(SFTRunConfig.model_validate(sft_config(tiny, data, one, batch=4, steps=4, snapshots=False)))
    single = train_rows(one / "metrics.jsonl")
    assert sorted(single) == [1, 2, 3, 4]

    two = tmp_path / "two"
    cfg = tmp_path / "two.yaml"
    cfg.write_text(json.dumps(sft_config(tiny, data, two, batch=2, steps=2, snapshots=True)))
    first = torchrun(["sft", "--config", str(cfg)], tmp_path, SNAPPROBE_LOG=str(probe_log))
    assert first.stdout.count("done: sft step 2") == 2  # both ranks ran to the end
    assert (two / "checkpoint-2" / "trainer_state.json").is_file()
    second = torchrun(["sft", "--config", str(cfg), "--max-steps", "4"], tmp_path, SNAPPROBE_LOG=str(probe_log))
    assert "resuming from" in second.stdout and "checkpoint-2" in second.stdout
    assert second.stdout.count("done: sft step 4") == 2

    both = train_rows(two / "metrics.jsonl")
    assert sorted(both) == [1, 2, 3, 4]  # steps 3-4 continued the run; nothing logged twice
    assert both[1]["epoch"] == pytest.approx(0.5)  # 8 rows, 2 ranks x 2 rows per step
    for step in (1, 2, 3, 4):
        assert both[step]["tokens_seen"] == single[step]["tokens_seen"]
        assert both[step]["loss"] == pytest.approx(single[step]["loss"], rel=REL_TOL), (step, both, single)
    assert single[4]["loss"] < single[1]["loss"]  # it learned something, so matching is not trivial

    import torch

    assert torch.allclose(logits(two, tiny), logits(one, tiny), atol=1e-4, rtol=1e-4)

    calls = rows(probe_log)
    assert [c["rank"] for c in calls] == ["0", "0"] and all(c["adapter"] for c in calls)
    assert [Path(c["model"]).name for c in calls] == ["step-2", "step-4"]
    snaps = [r for r in rows(two / "metrics.jsonl") if r.get("kind") == "snapshot"]
    assert [(r["step"], r["status"]) for r in snaps] == [(2, "ok"), (4, "ok")]


def test_rl_two_ranks_generate_the_same_global_batch(tiny: Path, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text(json.dumps({"prompts": [
        {"id": f"p{i}", "category": "short", "prompt": q} for i, q in enumerate(QUESTIONS[:4])]}))  # fmt: skip

    def config(out: Path, batch: int) -> dict[str, Any]:
        return {
            "model": str(tiny), "out": str(out), "prompts": {"path": str(prompts)},
            "reward": {"judge": {"enabled": False}, "clean_end": 1.0, "brevity": 1.0, "no_repetition": 1.0,
                       "tool_call_syntax": 0.0},
            "grpo": {"num_generations": 2, "max_completion_length": 8, "temperature": 1e-4},
            "lora": {"r": 4, "alpha": 8},
            "train": {"max_steps": 2, "batch_size": batch, "learning_rate": 1e-3, "bf16": False, "save_steps": 1,
                      "lr_scheduler": "constant", "seed": 0},
        }  # fmt: skip

    one = tmp_path / "one"
    run_rl(RLRunConfig.model_validate(config(one, 4)))
    cfg = tmp_path / "two.yaml"
    cfg.write_text(json.dumps(config(tmp_path / "two", 2)))
    r = torchrun(["rl", "--config", str(cfg)], tmp_path)
    assert r.stdout.count("done: rl step 2") == 2

    single, both = train_rows(one / "metrics.jsonl"), train_rows(tmp_path / "two" / "metrics.jsonl")
    assert sorted(both) == sorted(single) == [1, 2]
    for step in (1, 2):
        assert both[step]["num_tokens"] == single[step]["num_tokens"] > 0, (step, both, single)
        assert both[step]["completions/mean_length"] == single[step]["completions/mean_length"] == 8
        assert both[step]["reward"] == single[step]["reward"]
        assert both[step]["loss"] == single[step]["loss"] == 0.0
    ckpt = tmp_path / "two" / "checkpoint-2"
    assert (ckpt / "rng_state_0.pth").is_file() and (ckpt / "rng_state_1.pth").is_file()
    assert (tmp_path / "two" / "adapter_model.safetensors").is_file()


def test_fsdp2_sharded_lora_saves_whole_through_accelerate(tiny: Path, tmp_path: Path) -> None:
    """FSDP2 on the CPU: torch's ``fully_shard`` on gloo shards the LoRA model (DTensor parameters); save_policy
    gathers it through ``accelerator.get_state_dict`` and rank 0 writes an adapter that reloads with the unsharded
    model's logits exactly. (accelerate itself enables FSDP only on GPUs; see tests/train/_fsdp2_save.py.)"""
    report = tmp_path / "report.json"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           str(Path(__file__).with_name("_fsdp2_save.py")), str(tiny), str(tmp_path / "out"), str(report)]  # fmt: skip
    r = subprocess.run(cmd, env={**os.environ, "OMP_NUM_THREADS": "1"}, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-6000:]
    got = json.loads(report.read_text())
    assert got["world_size"] == 2 and got["sharded"] and got["is_fsdp2"]
    assert {"adapter_model.safetensors", "adapter_config.json", "tokenizer.json"} <= set(got["files"])
    assert got["max_abs_diff"] == 0.0
    assert got["lora_changes_logits"] > 1e-3  # the adapter is not a no-op, so the comparison means something
