"""The weights' dtype of local models: resolution of `auto`, loading, and its place in the runs' settings keys."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots import HoneypotRun
from teachwhy.evals.propensity import PropensityRun
from teachwhy.models import _dtype, resolve_dtype, role_model

NATIVE = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 amx_tile\n"
EMULATED = "processor\t: 0\nflags\t\t: fpu sse2 avx2 fma\n"


def test_doctests() -> None:
    result = doctest.testmod(_dtype)
    assert result.attempted == 3 and result.failed == 0


def test_auto_follows_the_hardware_and_explicit_dtypes_are_kept() -> None:
    assert resolve_dtype("auto", cuda=False, cpuinfo=NATIVE) == "bfloat16"
    assert resolve_dtype("auto", cuda=False, cpuinfo=EMULATED) == "float32"
    assert resolve_dtype("auto", cuda=False, cpuinfo="Features\t: fp asimd bf16\n") == "bfloat16"  # ARM
    for d in ("float32", "bfloat16", "float16"):
        assert resolve_dtype(d, cuda=False, cpuinfo=EMULATED) == d


def test_an_unknown_dtype_names_the_setting_and_the_choices() -> None:
    with pytest.raises(TeachwhyError) as err:
        resolve_dtype("fp8")
    assert "dtype" in err.value.message and "'fp8'" in err.value.message
    assert "auto" in (err.value.hint or "") and "bfloat16" in (err.value.hint or "")


def test_role_model_loads_local_weights_in_the_dtype(embedded_dir: Path) -> None:
    import torch

    plain = role_model("target", str(embedded_dir), temperature=0).api.model  # type: ignore[attr-defined]
    assert plain.dtype == torch.float32  # unset: float32, as before
    bf16 = role_model("target", str(embedded_dir), temperature=0, dtype="bfloat16").api.model  # type: ignore[attr-defined]
    assert bf16.dtype == torch.bfloat16
    auto = role_model("target", str(embedded_dir), temperature=0, dtype="auto").api.model  # type: ignore[attr-defined]
    assert auto.dtype == getattr(torch, resolve_dtype("auto"))


def test_a_remote_model_ignores_the_dtype(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_: object, **__: object) -> str:
        raise AssertionError("a remote model's dtype was resolved")

    monkeypatch.setattr(_dtype, "resolve_dtype", never)  # what role_model would call for a local model
    assert role_model("target", "mockllm/model", dtype="bfloat16").name == "model"


def test_a_local_run_records_its_resolved_dtype(embedded_dir: Path, tmp_path: Path) -> None:
    """A real honeypot run of a tiny random local model: its summary names the dtype its weights loaded in."""
    from teachwhy.evals.honeypots import run_honeypots
    from teachwhy.train.tiny import build_tiny_model

    tiny = build_tiny_model(tmp_path / "tiny", source=embedded_dir)
    cfg = HoneypotRun(model=str(tiny), dtype="bfloat16", scenarios=["blackmail"], samples=1, max_steps=1,
                      max_tokens=4, temperature=0, compact=True, out=str(tmp_path / "run"))  # fmt: skip
    summary = run_honeypots(cfg, display="none")
    assert summary["dtype"] == "bfloat16"
    # four random tokens are no action: the sample is counted without a verdict, never scored benign
    assert summary["counts"]["ok"] == 0 and summary["counts"]["rows"] == 1


def test_honeypot_runs_key_the_resolved_dtype(embedded_dir: Path) -> None:
    local = HoneypotRun(model=str(embedded_dir))
    assert local.weights_dtype() == "float32"
    # float32 (the default) leaves the key of a run started before the setting existed unchanged
    assert local.model_copy(update={"dtype": "float32"}).run_key() == local.run_key()
    bf16 = local.model_copy(update={"dtype": "bfloat16"})
    assert bf16.weights_dtype() == "bfloat16" and bf16.run_key() != local.run_key()
    auto = local.model_copy(update={"dtype": "auto"})
    resolved = resolve_dtype("auto")
    assert auto.weights_dtype() == resolved
    assert auto.run_key() == local.model_copy(update={"dtype": resolved}).run_key()  # keyed as what it resolved to
    # a model not loaded here has no weights dtype: the setting does not split its runs
    remote = HoneypotRun(model="mockllm/model")
    assert remote.weights_dtype() is None
    assert remote.model_copy(update={"dtype": "bfloat16"}).run_key() == remote.run_key()


def test_propensity_runs_key_the_resolved_dtype() -> None:
    cfg = PropensityRun(model="embedded")
    resolved = resolve_dtype("auto")
    assert cfg.model_copy(update={"dtype": "auto"}).run_key() == cfg.model_copy(update={"dtype": resolved}).run_key()
    assert cfg.model_copy(update={"dtype": "bfloat16"}).run_key() != cfg.run_key()


def test_the_configs_refuse_an_unknown_dtype() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="dtype"):
        HoneypotRun(dtype="fp8")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="dtype"):
        PropensityRun(dtype="fp8")  # type: ignore[arg-type]
