#!/usr/bin/env bash
# The GPU check (issue 16): sft, sdf and rl on CUDA in bf16 through TRL's own loss paths, on a model built on the
# device from the embedded model's config and tokenizer; asserts each stage learns, prints loss/reward curves,
# tokens/s and MFU. Fits a lent device: <= 8 minutes, and what travels stays under 64 MiB.
#
#   bash bench/gpu_check.sh --fetch-wheels   # here, once: wheels the device image lacks + tokenizer/config files
#                                            #   into .gpu_check/ (git-ignored), sizes checked against 64 MiB
#   bash bench/gpu_check.sh --dry-run        # here: configs, FLOPs count, carry folder — everything but the GPU
#   bash bench/gpu_check.sh                  # on the device: run(command="bash bench/gpu_check.sh",
#                                            #                    carry=[".gpu_check"], timeout_s=540)
#   bash bench/gpu_check.sh --cpu            # the same chain on this CPU, tiny model, 4 steps (a rehearsal)
#
# Extra arguments go to bench/gpu_check.py (e.g. --steps 60 --size small --seq 1024).
set -euo pipefail
cd "$(dirname "$0")/.."
CARRY=.gpu_check
mode="${1:-}"
[ $# -gt 0 ] && shift
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3

case "$mode" in
  --fetch-wheels)
    exec "$PY" bench/gpu_check.py fetch --carry "$CARRY" "$@" ;;
  --dry-run)
    bash -n "$0"
    exec "$PY" bench/gpu_check.py dry-run --carry "$CARRY" "$@" ;;
  --cpu)
    exec "$PY" bench/gpu_check.py run --cpu --size tiny --steps 4 --rl-steps 2 --carry "$CARRY" "$@" ;;
  ""|--run)
    # On the device: its python3 holds torch (CUDA); install the carried wheels beside it, no index, no deps.
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
    ls "$CARRY"/whl/*.whl >/dev/null 2>&1 || { echo "error: no wheels in $CARRY/whl"; \
      echo "fix: run \`bash bench/gpu_check.sh --fetch-wheels\` here first, then carry $CARRY"; exit 2; }
    SITE="${TMPDIR:-/tmp}/teachwhy_site"
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$SITE" \
      "$CARRY"/whl/*.whl
    export PYTHONPATH="$SITE:$PWD/src${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
    python3 -c "import teachwhy.train, trl, datasets, inspect_ai; print('imports ok: trl', trl.__version__)"
    exec timeout 480 python3 bench/gpu_check.py run --carry "$CARRY" "$@" ;;
  *)
    echo "usage: bash bench/gpu_check.sh [--fetch-wheels | --dry-run | --cpu | --run] [gpu_check.py options]" >&2
    exit 2 ;;
esac
