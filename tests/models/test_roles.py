from __future__ import annotations

from pathlib import Path

import pytest

from teachwhy.errors import MissingKeyError, TeachwhyError
from teachwhy.models import required_key, resolve_model, role_model


def test_resolve_passthrough_and_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    r = resolve_model("openai/gpt-4o-mini")
    assert (r.name, r.key_var) == ("openai/gpt-4o-mini", "OPENAI_API_KEY")
    assert resolve_model("vllm/meta-llama/Llama-3.1-8B-Instruct").key_var is None
    assert resolve_model("mockllm/model").local
    assert required_key("openai-api/acme/m") == "ACME_API_KEY"


def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(MissingKeyError) as info:
        role_model("judge", "anthropic/claude-sonnet-4-5")
    assert "ANTHROPIC_API_KEY" in str(info.value) and "export ANTHROPIC_API_KEY" in str(info.value)


def test_bad_specs_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(TeachwhyError, match="unknown model"):
        resolve_model("gpt4")
    (tmp_path / "empty").mkdir()
    with pytest.raises(TeachwhyError, match="no config.json"):
        resolve_model(str(tmp_path / "empty"))


def test_local_directory_resolves_to_hf(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    assert resolve_model(str(tmp_path)).name == f"hf/{tmp_path.resolve()}"


def test_embedded_resolves_offline(embedded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    r = resolve_model("embedded")
    assert r.name == f"hf/{embedded_dir}" and r.key_var is None
    assert (embedded_dir / "config.json").exists() and (embedded_dir / "model.safetensors").exists()


def test_retry_and_timeout_reach_inspect() -> None:
    m = role_model("target", "mockllm/model", max_retries=2, timeout=30, max_tokens=5)
    assert (m.config.max_retries, m.config.timeout, m.config.max_tokens) == (2, 30, 5)
