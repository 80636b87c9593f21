"""``python -m teachwhy.train sft|sdf|rl|merge …`` — the same commands as ``teachwhy train``, for ``accelerate
launch`` and ``torchrun``.

Before anything else it checks that the GPUs an accelerate config names are here (``train/_launch.py``): if
not, rank 0 prints one ``error:`` / ``fix:`` pair and exits 2 (so the launcher fails too); the other ranks exit
quietly with 0, leaving rank 0 as the launcher's root cause — a rank failing first would get rank 0 killed before
it could say why.
"""

from __future__ import annotations

import os
import sys


def _launch_exit_code() -> int | None:
    from teachwhy.errors import TeachwhyError
    from teachwhy.train._launch import check_launch, is_rank_zero

    if not any(k.startswith("ACCELERATE_") for k in os.environ):
        return None  # not started by accelerate: nothing to check, and no torch import yet
    import torch

    try:
        check_launch(os.environ, cuda_available=torch.cuda.is_available(), gpu_count=torch.cuda.device_count())
    except TeachwhyError as exc:
        if not is_rank_zero(os.environ):
            return 0
        from teachwhy.cli._common import print_error

        print_error(exc.message, exc.hint)
        return 2
    return None


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    code = _launch_exit_code()
    if code is not None:
        sys.exit(code)
    from teachwhy.cli._common import run_guarded
    from teachwhy.cli.train import app

    sys.exit(run_guarded(app))
