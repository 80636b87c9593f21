from __future__ import annotations

from pathlib import Path

import pytest

from teachwhy.config import Config, load_config
from teachwhy.errors import ConfigError


class Inner(Config):
    rate: float = 0.5
    """A rate between 0 and 1."""


class Demo(Config):
    samples: int = 4
    """Samples per family."""
    model: str = "embedded"
    """Model spec."""
    inner: Inner = Inner()
    """Nested settings."""


def test_defaults_and_overrides(tmp_path: Path) -> None:
    cfg_file = tmp_path / "c.yaml"
    cfg_file.write_text("samples: 8\ninner:\n  rate: 0.25\n")
    cfg = load_config(Demo, cfg_file, {"model": "mockllm/model", "inner.rate": 0.75, "samples": None})
    assert (cfg.samples, cfg.model, cfg.inner.rate) == (8, "mockllm/model", 0.75)


def test_unknown_key_names_field_and_allowed(tmp_path: Path) -> None:
    cfg_file = tmp_path / "c.yaml"
    cfg_file.write_text("sampels: 8\n")
    with pytest.raises(ConfigError) as info:
        load_config(Demo, cfg_file)
    msg = str(info.value)
    assert "sampels: unknown key" in msg
    assert "inner, model, samples" in msg


def test_bad_value_names_field_value_and_rule(tmp_path: Path) -> None:
    cfg_file = tmp_path / "c.yaml"
    cfg_file.write_text("inner:\n  rate: lots\n")
    with pytest.raises(ConfigError) as info:
        load_config(Demo, cfg_file)
    msg = str(info.value)
    assert "inner.rate" in msg and "'lots'" in msg and "valid number" in msg


def test_yaml_syntax_and_shape_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("samples: [1,\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(Demo, bad)
    lst = tmp_path / "list.yaml"
    lst.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="must hold a mapping"):
        load_config(Demo, lst)
    with pytest.raises(ConfigError, match="not found"):
        load_config(Demo, tmp_path / "missing.yaml")


def test_every_field_documented() -> None:
    for cls in (Demo, Inner):
        for name, field in cls.model_fields.items():
            assert field.description, f"{cls.__name__}.{name} has no docstring"
