"""The weights' dtype of a model run here (transformers): float32, bfloat16, float16, or ``auto``.

``auto`` is bfloat16 where the hardware computes it natively (a GPU that supports it; a CPU with ``avx512_bf16`` /
``amx_bf16``, or ARM ``bf16``), float32 elsewhere, where bfloat16 is emulated and slower. On a 2-core AMD EPYC with
``avx512_bf16`` (2026-12-04) bfloat16 halved the prefill of the demo's honeypot batch (8 x 1,851 tokens: 51.9 ->
26.6 s) and cut a decode step from 171 to 117 ms. Greedy tokens differ from float32 in places (5 of 8 rows of that
batch differed within 49 tokens), so runs compare only at the same dtype: it is part of their settings key, resolved
(an ``auto`` run resumed on other hardware is refused rather than mixed).
"""

from __future__ import annotations

from typing import Literal, get_args

from teachwhy.errors import TeachwhyError
from teachwhy.train.precision import resolve_bf16

__all__ = ["DTYPES", "DtypeSetting", "resolve_dtype"]

DtypeSetting = Literal["float32", "bfloat16", "float16", "auto"]
DTYPES: tuple[str, ...] = get_args(DtypeSetting)


def resolve_dtype(setting: str, *, cuda: bool | None = None, cpuinfo: str | None = None) -> str:
    """The dtype a ``setting`` loads weights in on this machine (``cuda`` and ``cpuinfo`` override detection).
    ``auto`` asks the same question as training's ``train.bf16: auto`` (:func:`teachwhy.train.precision.resolve_bf16`).

    >>> resolve_dtype("float16")
    'float16'
    >>> resolve_dtype("auto", cuda=False, cpuinfo="flags\\t: fpu avx2 avx512f avx512_bf16\\n")
    'bfloat16'
    >>> resolve_dtype("auto", cuda=False, cpuinfo="flags\\t: fpu avx2 fma\\n")
    'float32'
    """
    if setting not in DTYPES:
        raise TeachwhyError(f"dtype: got {setting!r}", hint="use float32, bfloat16, float16 or auto (bfloat16 where "
                            "the hardware computes it natively, float32 elsewhere)")  # fmt: skip
    if setting != "auto":
        return setting
    return "bfloat16" if resolve_bf16("auto", cuda=cuda, cpuinfo=cpuinfo) else "float32"
