"""Configs, flags over YAML, data loading and mixtures (fast: tokenizer only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teachwhy.cli import app
from teachwhy.config import load_config
from teachwhy.errors import ConfigError, TeachwhyError
from teachwhy.train.config import Mixture, RLRunConfig, SFTRunConfig
from teachwhy.train.data import build_mixture, count_tokens, load_source

from .conftest import write_jsonl

CONFIGS = Path(__file__).resolve().parents[2] / "configs" / "train"


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {sources: [{path: x.jsonl}]}\ntrain: {learnin_rate: 1e-4}\n")
    with pytest.raises(ConfigError, match="learnin_rate: unknown key; allowed keys here: .*learning_rate"):
        load_config(SFTRunConfig, cfg)


def test_flags_override_yaml(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {sources: [{path: x.jsonl}]}\ntrain: {max_steps: 3, learning_rate: 1e-4}\n")
    c = load_config(SFTRunConfig, cfg, {"train.max_steps": 7, "model": "some/dir"})
    assert (c.train.max_steps, c.train.learning_rate, c.model) == (7, 1e-4, "some/dir")
    # TRL's surprising defaults are off unless asked for
    assert c.train.bf16 is False and c.train.gradient_checkpointing is False


def test_every_field_is_documented() -> None:
    from pydantic import BaseModel

    seen: set[type[BaseModel]] = set()

    def walk(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        seen.add(cls)
        for name, f in cls.model_fields.items():
            assert f.description, f"{cls.__name__}.{name} has no docstring"
            ann = f.annotation
            for cand in (ann, *getattr(ann, "__args__", ())):
                if isinstance(cand, type) and issubclass(cand, BaseModel):
                    walk(cand)

    for cls in (SFTRunConfig, RLRunConfig):
        walk(cls)
    from teachwhy.train.config import SDFRunConfig

    walk(SDFRunConfig)


def test_mixture_modes_are_exclusive() -> None:
    with pytest.raises(ValueError, match="not both"):
        Mixture.model_validate({"sources": [{"path": "a", "weight": 1}, {"path": "b", "tokens": 10}]})
    with pytest.raises(ValueError, match="every source needs `tokens`"):
        Mixture.model_validate({"sources": [{"path": "a", "tokens": 10}, {"path": "b"}]})


def test_rl_batch_must_hold_whole_groups() -> None:
    with pytest.raises(ValueError, match="multiple of grpo.num_generations"):
        RLRunConfig.model_validate({"train": {"batch_size": 3}, "grpo": {"num_generations": 4}})


@pytest.mark.parametrize(
    ("name", "kind"),
    [("cpu_smoke_sft.yaml", "sft"), ("cpu_smoke_sdf.yaml", "sdf"), ("cpu_smoke_rl.yaml", "rl"),
     ("rl_harmlessness.yaml", "rl")],
)  # fmt: skip
def test_shipped_configs_validate(name: str, kind: str) -> None:
    from teachwhy.train.config import SDFRunConfig

    cls = {"sft": SFTRunConfig, "sdf": SDFRunConfig, "rl": RLRunConfig}[kind]
    load_config(cls, CONFIGS / name)


def test_show_config_applies_set_flags() -> None:
    r = CliRunner().invoke(app, ["train", "show-config", "rl", "--set", "grpo.num_generations=8", "--set",
                                 "train.batch_size=8"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "num_generations: 8" in r.output


def _chat_rows(n: int, tag: str) -> list[dict[str, object]]:
    return [
        {
            "messages": [
                {"role": "user", "content": f"{tag} q{i}"},
                {"role": "assistant", "content": f"{tag} a{i}"},
            ]
        }
        for i in range(n)
    ]


def test_load_jsonl_parquet_and_dataset_dir(tmp_path: Path) -> None:
    from datasets import Dataset

    from teachwhy.train.config import DataSource

    rows = _chat_rows(3, "x")
    write_jsonl(tmp_path / "a.jsonl", rows)
    Dataset.from_list(rows).to_parquet(str(tmp_path / "a.parquet"))
    Dataset.from_list([{"text": "doc one"}, {"text": "doc two"}]).save_to_disk(str(tmp_path / "docs"))
    (tmp_path / "a.jsonl.datacard.json").write_text(json.dumps({"generator": "difficult-advice", "n": 3}))
    a = load_source(DataSource(path=str(tmp_path / "a.jsonl")))
    b = load_source(DataSource(path=str(tmp_path / "a.parquet")))
    d = load_source(DataSource(path=str(tmp_path / "docs")))
    assert a.kind == b.kind == "chat" and len(a.rows) == len(b.rows) == 3
    assert a.card["datacard"]["generator"] == "difficult-advice"
    assert d.kind == "text" and [r["text"] for r in d.rows] == ["doc one", "doc two"]
    write_jsonl(tmp_path / "bad.jsonl", [{"prompt": "no messages"}])
    with pytest.raises(TeachwhyError, match="`messages` column"):
        load_source(DataSource(path=str(tmp_path / "bad.jsonl")))


def test_mixtures_by_weight_and_by_token_budget(tmp_path: Path, embedded_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(embedded_dir))
    a = write_jsonl(tmp_path / "a.jsonl", _chat_rows(10, "alpha"))
    b = write_jsonl(tmp_path / "b.jsonl", _chat_rows(10, "beta"))
    weighted = build_mixture(
        Mixture.model_validate(
            {"sources": [{"path": str(a), "weight": 3}, {"path": str(b), "weight": 1}], "total_examples": 8}
        ),
        tok,
    )
    assert [c["rows_used"] for c in weighted.datacards] == [6, 2]
    per_row = count_tokens(json.loads(a.read_text().splitlines()[0]), tok)
    budget = build_mixture(
        Mixture.model_validate(
            {"sources": [{"path": str(a), "tokens": per_row * 25}, {"path": str(b), "tokens": 5}]}
        ),
        tok,
    )
    card_a, card_b = budget.datacards
    assert card_a["tokens_used"] >= per_row * 25 and card_a["rows_used"] >= 24  # 10 rows repeat to fill it
    assert card_a["repeats"] >= 2 and card_b["rows_used"] == 1
    assert budget.tokens == card_a["tokens_used"] + card_b["tokens_used"]
    with pytest.raises(TeachwhyError, match="train sdf"):
        build_mixture(Mixture.model_validate({"sources": [{"path": str(a)}]}), tok, expect="text")
