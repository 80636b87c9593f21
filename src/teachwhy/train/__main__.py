"""``python -m teachwhy.train sft|sdf|rl|merge …`` — the same commands as ``teachwhy train``, for accelerate
launch."""

from __future__ import annotations

import os
import sys

from teachwhy.cli._common import run_guarded
from teachwhy.cli.train import app

if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(run_guarded(app))
