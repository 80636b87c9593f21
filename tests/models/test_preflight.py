"""Model preflight: every spec is checked before work starts, without loading weights or calling a provider."""

from __future__ import annotations

import asyncio
import json
import types
from pathlib import Path

import pytest

from teachwhy.errors import MissingKeyError, TeachwhyError
from teachwhy.models import _preflight as preflight
from teachwhy.models import check_model, role_model


def test_local_directory_must_exist_and_hold_a_model(tmp_path: Path) -> None:
    with pytest.raises(TeachwhyError, match="--target: model directory ./no/such does not exist") as info:
        check_model("./no/such", "target")
    assert info.value.hint and "embedded" in info.value.hint
    with pytest.raises(TeachwhyError, match="does not exist"):
        check_model(f"hf/{tmp_path / 'missing'}", "judge")
    (tmp_path / "m").mkdir()
    with pytest.raises(TeachwhyError, match="no config.json"):
        check_model(str(tmp_path / "m"), "target", flag="--model")
    (tmp_path / "m" / "config.json").write_text("{not json")
    with pytest.raises(TeachwhyError, match="not readable JSON"):
        check_model(str(tmp_path / "m"), "target")
    (tmp_path / "m" / "config.json").write_text("{}")
    assert check_model(str(tmp_path / "m"), "target").name == f"hf/{(tmp_path / 'm').resolve()}"


def test_adapter_needs_its_base(tmp_path: Path) -> None:
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text(json.dumps({"base_model_name_or_path": str(tmp_path / "gone")}))
    with pytest.raises(TeachwhyError, match="needs its base model") as info:
        check_model(str(adapter), "target")
    assert "teachwhy train merge" in (info.value.hint or "")
    (tmp_path / "gone").mkdir()
    (tmp_path / "gone" / "config.json").write_text("{}")
    assert check_model(str(adapter), "target").local


def test_uncached_hub_id_is_refused_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(TeachwhyError, match="not in the local Hugging Face cache") as info:
        check_model("hf/teachwhy-test/never-downloaded", "target")
    assert "hf download teachwhy-test/never-downloaded" in (info.value.hint or "")
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # downloads allowed: left to transformers
    assert check_model("hf/teachwhy-test/never-downloaded", "target").name == "hf/teachwhy-test/never-downloaded"


def test_vllm_needs_the_package_and_a_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(TeachwhyError, match="need the vllm package"):
        check_model("vllm/org/model", "target")
    monkeypatch.setattr(preflight.importlib.util, "find_spec", lambda name: object())
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(TeachwhyError, match="need a CUDA GPU"):
        check_model("vllm/org/model", "judge")
    # named but not called (e.g. only its tokenizer is used): no hardware check
    assert check_model("vllm/org/model", "target", called=False).name == "vllm/org/model"


def test_keys_and_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(MissingKeyError, match="ANTHROPIC_API_KEY") as info:
        check_model("anthropic/claude-sonnet-4-5", "teacher")
    assert info.value.hint == "export ANTHROPIC_API_KEY=... (or pass another model to --teacher)"
    assert not check_model("anthropic/claude-sonnet-4-5", "teacher", called=False).key_present
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    assert check_model("anthropic/claude-sonnet-4-5", "teacher").key_var == "ANTHROPIC_API_KEY"
    with pytest.raises(TeachwhyError, match="unknown model provider in 'anthropc/claude'"):
        check_model("anthropc/claude", "judge")


def test_placeholder_names_the_readme(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TeachwhyError, match="--teacher: unknown model 'M'") as info:
        check_model("M", "teacher")
    assert "placeholder" in (info.value.hint or "")


def test_role_model_runs_the_preflight(tmp_path: Path) -> None:
    with pytest.raises(TeachwhyError, match="does not exist"):
        role_model("target", str(tmp_path / "nope"))


def test_mockllm_counts_usage_without_tiktoken(monkeypatch: pytest.MonkeyPatch) -> None:
    """From the CLI mockllm must work offline: its usage is set by teachwhy (characters / 4), so inspect never
    reaches tiktoken (which downloads its encoding)."""
    from inspect_ai.model._providers.mockllm import MockLLM

    async def no_count(self: object, *args: object, **kwargs: object) -> int:
        raise AssertionError("tiktoken token counting reached")

    async def usage_must_be_set(self: object, output: types.SimpleNamespace, *args: object) -> None:
        assert output.usage is not None

    monkeypatch.setattr(MockLLM, "count_text_tokens", no_count)
    monkeypatch.setattr(MockLLM, "_ensure_default_usage", usage_must_be_set)
    out = asyncio.run(role_model("target", "mockllm/model").generate("hello world!"))
    assert out.completion == "Default output from mockllm/model"
    # by hand: input "hello world!" is 12 characters -> 12 // 4 + 1 = 4; the reply has 33 -> 33 // 4 = 8
    assert out.usage is not None
    assert (out.usage.input_tokens, out.usage.output_tokens, out.usage.total_tokens) == (4, 8, 12)
