"""sft and sdf on the embedded model (CPU, seconds): the loss falls, a held-out probe moves, outputs are
evaluable,
an interrupted run resumes from its checkpoint."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teachwhy.cli import app
from teachwhy.train.precision import resolve_bf16

from .conftest import ANSWER, DOC_PREFIX, DOC_PROBE, HELD_OUT_Q, loglik, losses

pytestmark = pytest.mark.slow

FAST = ["--set", "train.bf16=auto", "--set", "train.max_length=96", "--set", "train.logging_steps=1"]


def _sft_args(data: Path, out: Path, steps: int, *extra: str) -> list[str]:
    return [
        "train", "sft", "--out", str(out), "--max-steps", str(steps),
        "--set", f"data.sources=[{{path: {data}}}]", "--set", "train.batch_size=4",
        "--set", "train.learning_rate=1e-3", "--set", "train.save_steps=2", *FAST, *extra,
    ]  # fmt: skip


def _invoke(args: list[str]) -> str:
    r = CliRunner().invoke(app, args)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    assert r.exit_code == 0, r.output
    return r.output


def test_sft_learns_saves_an_evaluable_adapter_and_merges(
    chat_data: Path, tmp_path: Path, embedded_dir: Path
) -> None:
    out = tmp_path / "sft"
    probe = [{"role": "user", "content": HELD_OUT_Q}]
    before = loglik(embedded_dir, probe, ANSWER)
    printed = _invoke(_sft_args(chat_data, out, 6))
    assert f"--model {out}" in printed
    loss = losses(out / "metrics.jsonl")
    assert len(loss) == 6 and loss[-1] < 0.5 * loss[0], loss
    after = loglik(out, probe, ANSWER)  # AutoModelForCausalLM.from_pretrained(adapter dir)
    assert after > before + 1.0, (before, after)

    meta = json.loads((out / "meta.json").read_text())
    assert meta["teachwhy_artifact"] == "adapter" and meta["kind"] == "sft" and meta["final"]
    assert meta["base_model"] == str(embedded_dir.resolve()) and meta["global_step"] == 6
    assert meta["tokens_seen"] > 0 and meta["datacards"][0]["rows_used"] == 8
    assert meta["precision"] == ("bf16" if resolve_bf16("auto") else "fp32")  # train.bf16=auto on this machine
    assert meta["provenance"]["versions"]["trl"] and meta["provenance"]["config"]["train"]["max_steps"] == 6
    assert json.loads((out / "adapter_config.json").read_text())["base_model_name_or_path"] == str(
        embedded_dir
    )
    assert (out / "checkpoint-6" / "meta.json").is_file()
    assert "generation" in (out / "chat_template.jinja").read_text()  # the tool-aware template travels along

    from teachwhy.models import role_model

    model = role_model("target", str(out), temperature=0, max_tokens=20)
    reply = asyncio.run(model.generate(HELD_OUT_Q))
    assert not reply.error and "lighthouse cat is called" in reply.completion, reply.completion

    merged = tmp_path / "merged"
    _invoke(["train", "merge", str(out), "--out", str(merged)])
    assert (merged / "config.json").is_file() and not (merged / "adapter_config.json").exists()
    assert abs(loglik(merged, probe, ANSWER) - after) < 0.05


def test_interrupted_sft_resumes_from_its_checkpoint(
    chat_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedded_dir: Path
) -> None:
    from teachwhy.train.meta import MetaWriter

    out = tmp_path / "sft"
    original = MetaWriter.on_save

    def crash_after_first_checkpoint(
        self: MetaWriter, args: Any, state: Any, control: Any, **kw: Any
    ) -> None:
        original(self, args, state, control, **kw)
        if state.global_step == 2:
            raise KeyboardInterrupt  # the run is killed right after checkpoint-2 is on disk

    monkeypatch.setattr(MetaWriter, "on_save", crash_after_first_checkpoint)
    r = CliRunner().invoke(app, _sft_args(chat_data, out, 4))
    assert r.exit_code != 0 and (out / "checkpoint-2" / "trainer_state.json").is_file()
    assert not (out / "meta.json").exists()
    monkeypatch.setattr(MetaWriter, "on_save", original)

    printed = _invoke(_sft_args(chat_data, out, 4))  # the same command again
    assert f"resuming from {out / 'checkpoint-2'}" in printed
    steps = [
        row["step"]
        for row in map(json.loads, (out / "metrics.jsonl").read_text().splitlines())
        if "loss" in row
    ]
    assert steps == [1, 2, 3, 4]  # no step trained twice
    state = json.loads((out / "checkpoint-4" / "trainer_state.json").read_text())
    assert state["global_step"] == 4 and json.loads((out / "meta.json").read_text())["global_step"] == 4


def test_sdf_then_sft_stage(doc_data: Path, chat_data: Path, tmp_path: Path, embedded_dir: Path) -> None:
    out = tmp_path / "sdf"
    before_doc = loglik(embedded_dir, DOC_PREFIX, DOC_PROBE)
    cfg = tmp_path / "sdf.yaml"
    cfg.write_text(
        f"out: {out}\n"
        f"data: {{sources: [{{path: {doc_data}}}]}}\n"
        "train: {max_steps: 6, batch_size: 2, learning_rate: 2.0e-3, max_length: 32, bf16: auto,"
        " save_steps: 3}\n"
        f"sft:\n  data: {{sources: [{{path: {chat_data}}}]}}\n"
        "  train: {max_steps: 2, batch_size: 4, learning_rate: 1.0e-3, max_length: 96, bf16: auto,"
        " save_steps: 2}\n"
    )
    _invoke(["train", "sdf", "--config", str(cfg)])
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    sdf_loss = [r["loss"] for r in rows if r.get("stage") == "sdf" and "loss" in r]
    assert len(sdf_loss) == 6 and sdf_loss[-1] < sdf_loss[0], sdf_loss
    assert any(r.get("stage") == "sft" and "loss" in r for r in rows)
    stage_meta = json.loads((out / "sdf" / "meta.json").read_text())
    assert stage_meta["kind"] == "sdf" and stage_meta["datacards"][0]["kind"] == "text"
    assert loglik(out / "sdf", DOC_PREFIX, DOC_PROBE) > before_doc + 0.3
    meta = json.loads((out / "meta.json").read_text())
    assert meta["kind"] == "sdf+sft" and meta["init_model"] == str((out / "sdf").resolve())
    assert meta["base_model"] == str(embedded_dir.resolve())
    assert (
        loglik(out, DOC_PREFIX, DOC_PROBE) > before_doc
    )  # the sft stage continued the document-trained adapter
