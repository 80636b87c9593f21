"""train.bf16: true / false / auto, resolved per machine (emulated bf16 on a CPU is several times slower)."""

from __future__ import annotations

import doctest
import warnings

import pytest

from teachwhy.train import precision
from teachwhy.train.config import TrainSettings
from teachwhy.train.precision import resolve_bf16

NO_BF16 = "processor\t: 0\nflags\t\t: fpu sse sse2 avx avx2 fma\n"
AMX = "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f amx_bf16 amx_tile\n"


def test_doctests() -> None:
    assert doctest.testmod(precision).failed == 0


def test_auto_follows_the_cpu_and_false_is_always_false() -> None:
    assert resolve_bf16("auto", cuda=False, cpuinfo=NO_BF16) is False
    assert resolve_bf16("auto", cuda=False, cpuinfo=AMX) is True
    assert resolve_bf16(False, cuda=False, cpuinfo=AMX) is False
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning where the CPU has bf16
        assert resolve_bf16(True, cuda=False, cpuinfo=AMX) is True


def test_true_on_a_cpu_without_bf16_is_kept_and_warned_with_the_fix() -> None:
    with pytest.warns(UserWarning, match=r"train\.bf16 is true.*no native bfloat16.*set train\.bf16=auto"):
        assert resolve_bf16(True, cuda=False, cpuinfo=NO_BF16) is True


def test_explicit_settings_pass_through_on_cuda() -> None:
    assert resolve_bf16(True, cuda=True) is True
    assert resolve_bf16(False, cuda=True) is False


def test_config_accepts_auto_and_names_the_field_on_a_bad_value() -> None:
    assert TrainSettings(bf16="auto").bf16 == "auto"
    assert TrainSettings(bf16=True).bf16 is True
    with pytest.raises(ValueError, match="bf16"):
        TrainSettings(bf16="fast")  # type: ignore[arg-type]
