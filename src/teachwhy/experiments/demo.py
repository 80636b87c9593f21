"""``teachwhy demo``: the study's phenomenon on the embedded model, driven by ``experiments/demo.yaml``.

Model organism (LoRA SFT on scripted harmful blackmail demonstrations from the training storylines) -> two
interventions trained only on data the evals never saw -> every arm on the held-out blackmail honeypots (detector
only) and on judge-free propensity probes of the held-out families -> the report, which leads with the result
(organism rate -> each intervention's rate, Wilson intervals, exact paired tests). Resumable: kill it and run it
again; finished stages are not redone.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from teachwhy.errors import TeachwhyError

__all__ = ["demo_config_path", "run_demo"]


def demo_config_path() -> Path:
    """``experiments/demo.yaml`` of the current directory, else of the source checkout teachwhy runs from."""
    here = Path("experiments/demo.yaml")
    if here.exists():
        return here
    repo = Path(__file__).resolve().parents[3] / "experiments" / "demo.yaml"
    if repo.exists():
        return repo
    raise TeachwhyError("experiments/demo.yaml not found", hint="run `teachwhy demo` from the teachwhy checkout")


def _echo(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_demo(out: str | None = None, config: Path | None = None) -> Path:
    """Run (or resume) the demo experiment; print per-stage and total times and the report's path."""
    from teachwhy.experiments import load_experiment, run_all

    cfg = load_experiment(config or demo_config_path(), {"out": out})
    _echo(f"teachwhy demo -> {cfg.out} (embedded model, offline: a pipeline check, not a research result)")
    t0 = time.monotonic()
    paths = run_all(cfg, progress=_echo)
    import json

    timings = json.loads((Path(cfg.out) / "timings.json").read_text())
    print("\nstage wall times (this run's stages; earlier runs' stages show their original time):")
    for t in timings:
        print(f"  {t['stage']:44} {t['seconds']:8.1f}s   cpu {t.get('cpu_seconds') or 0:8.1f}s")
    print(f"this invocation: {time.monotonic() - t0:.1f}s wall")
    from teachwhy.report import demo_result, result_line

    result = demo_result(cfg.out)
    if result is not None:
        print(result_line(result))
    print(f"results: {paths['results']}")
    print(f"report:  {paths['report']}")
    if "unfinished" in paths:
        raise TeachwhyError(f"some demo stages failed or could not run (listed in {paths['unfinished']})",
                            hint="the report shows what finished; run `teachwhy demo` again to resume")
    return paths["report"]
