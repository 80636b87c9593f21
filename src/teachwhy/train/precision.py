"""Whether a run trains in bf16: ``train.bf16`` is true, false or ``auto`` (bf16 where the hardware has it natively).

On a CPU without native bfloat16 instructions (x86 flags ``avx512_bf16`` / ``amx_bf16``) bf16 autocast is emulated:
six 4 x 96-token LoRA steps of the embedded model took 263 s in bf16 against 35 s in fp32 on a 2-core AMD EPYC
without them (2026-12-03), while on a CPU with them bf16 was the faster one. ``auto`` picks per machine; an explicit
``true`` on such a CPU is kept (a user may want bf16 numerics) but warned about, naming the setting and the fix.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Literal

from teachwhy.errors import TeachwhyWarning

__all__ = ["Bf16Setting", "cpu_has_native_bf16", "resolve_bf16"]

Bf16Setting = bool | Literal["auto"]

NATIVE_BF16_FLAGS = ("avx512_bf16", "amx_bf16")


def cpu_has_native_bf16(cpuinfo: str | None = None) -> bool:
    """True when the CPU lists a native bfloat16 flag (Linux ``/proc/cpuinfo``; ARM ``bf16`` in Features).
    Elsewhere (no /proc/cpuinfo: macOS, Windows) False, so ``auto`` trains in fp32 there.

    >>> cpu_has_native_bf16("flags\\t: fpu sse avx2 avx512f avx512_bf16\\n")
    True
    >>> cpu_has_native_bf16("flags\\t: fpu sse avx2 fma\\n")
    False
    >>> cpu_has_native_bf16("Features\\t: fp asimd bf16 i8mm\\n")
    True
    """
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
        except OSError:
            return False
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            words = set(value.split())
            if words & {*NATIVE_BF16_FLAGS, "bf16"}:
                return True
    return False


def resolve_bf16(setting: Bf16Setting, *, cuda: bool | None = None, cpuinfo: str | None = None) -> bool:
    """The bf16 flag handed to the trainer for ``train.bf16 = setting`` on this machine (``cuda`` and ``cpuinfo``
    override what is detected, for tests)."""
    if cuda is None:
        import torch

        cuda = torch.cuda.is_available()
    if cuda:
        if setting != "auto":
            return setting
        import torch

        return bool(torch.cuda.is_bf16_supported())
    native = cpu_has_native_bf16(cpuinfo)
    if setting == "auto":
        return native
    if setting and not native:
        warnings.warn(
            "train.bf16 is true, but this CPU has no native bfloat16 instructions (no avx512_bf16 / amx_bf16 flag): "
            "bf16 autocast is emulated here and runs several times slower than fp32 (measured 7.5x on the embedded "
            "model); set train.bf16=auto (bf16 only where the hardware has it) or false",
            TeachwhyWarning,
            stacklevel=2,
        )
    return setting
