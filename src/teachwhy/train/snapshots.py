"""Eval snapshots: every K steps and at the end, evaluate the current policy and log the metrics.

The callback saves the current policy (adapter or model, tokenizer, meta.json) to ``out/snapshots/step-N``
and calls
a pluggable eval function on that directory — the same ``--model <dir>`` any eval takes. An eval function is::

    def snapshot_eval(model: str, *, out_dir: Path, limit: int | None, judge: str | None) -> Mapping[str,
    float]

``honeypots`` and ``adherence`` name the light honeypot suite and the constitution adherence eval
(``teachwhy.evals.honeypots`` / ``teachwhy.evals.constitution_eval``, imported lazily); any
``package.module:function``
works too. An eval that is not importable is logged as ``unavailable`` and an eval that raises as ``error``
— a
snapshot never stops training.
"""

from __future__ import annotations

import importlib
import inspect
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments

from teachwhy._io import append_jsonl
from teachwhy.train._save import save_policy
from teachwhy.train._vllm import snapshot_env, snapshot_model
from teachwhy.train.config import SnapshotSettings
from teachwhy.train.meta import RunInfo

__all__ = ["BUILTIN_EVALS", "EvalFn", "SnapshotCallback", "resolve_eval", "run_snapshot"]

EvalFn = Callable[..., Mapping[str, Any]]


def _scalars(summary: Mapping[str, Any]) -> dict[str, Any]:
    """Numbers worth a curve: the summary's top-level scalars and those of its ``overall`` block."""
    out: dict[str, Any] = {}
    for key, value in summary.items():
        if isinstance(value, int | float | str | bool) or value is None:
            if key not in ("schema", "model", "judge", "target"):
                out[key] = value
    overall = summary.get("overall")
    if isinstance(overall, Mapping):
        out.update({f"overall.{k}": v for k, v in overall.items() if isinstance(v, int | float) or v is None})
    return out


def honeypots_light(model: str, *, out_dir: Path, limit: int | None, judge: str | None) -> dict[str, Any]:
    """The light honeypot suite: ``limit`` samples per family, through the suite's own resumable runner."""
    from teachwhy.evals.honeypots import HoneypotRun, run_honeypots

    cfg = HoneypotRun(model=model, judge=judge, samples=limit or 1, out=str(out_dir / "honeypots"))
    return _scalars(run_honeypots(cfg, display="none"))


def adherence_light(model: str, *, out_dir: Path, limit: int | None, judge: str | None) -> dict[str, Any]:
    """The constitution adherence eval on ``limit`` prompts spread over the principles."""
    from teachwhy.evals.constitution_eval import AdherenceConfig, run_constitution
    from teachwhy.models import default_spec

    cfg = AdherenceConfig(target=model, judge=judge or default_spec("judge"), limit=limit)
    return _scalars(run_constitution(cfg, out_dir / "adherence"))


# name -> (module whose ``snapshot_eval`` wins if it has one, built-in adapter otherwise)
BUILTIN_EVALS: dict[str, tuple[str, EvalFn]] = {
    "honeypots": ("teachwhy.evals.honeypots", honeypots_light),
    "adherence": ("teachwhy.evals.constitution_eval", adherence_light),
}


def resolve_eval(name: str) -> tuple[EvalFn | None, str | None]:
    """Import the eval function ``name`` names; returns (function, None) or (None, why it is unavailable)."""
    if name in BUILTIN_EVALS:
        module_name, adapter = BUILTIN_EVALS[name]
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            return None, f"cannot import {module_name}: {exc}"
        fn = getattr(module, "snapshot_eval", None)
        return (fn if callable(fn) else adapter), None
    module_name, _, func_name = name.partition(":")
    if not func_name:
        return None, f"unknown eval {name!r}: use honeypots, adherence or package.module:function"
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return None, f"cannot import {module_name}: {exc}"
    fn = getattr(module, func_name, None)
    if not callable(fn):
        return None, f"{module_name} has no function {func_name}"
    return fn, None


def _call(fn: EvalFn, model_dir: Path, spec: str, settings: SnapshotSettings) -> Mapping[str, Any]:
    """Call ``fn`` on the model ``spec`` with the keyword arguments it accepts."""
    offered: dict[str, Any] = {
        "out_dir": model_dir / "evals",
        "log_dir": model_dir / "evals",
        "limit": settings.limit,
        "judge": settings.judge,
    }
    params = inspect.signature(fn).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    kwargs = {k: v for k, v in offered.items() if takes_any or k in params}
    return fn(spec, **kwargs)


def run_snapshot(
    model_dir: Path, step: int, settings: SnapshotSettings, log_path: Path, *, stage: str | None = None
) -> list[dict[str, Any]]:
    """Run every configured eval on ``model_dir`` and append one metrics row each; returns the rows.

    The evals get the directory itself, or with ``settings.provider == "vllm"`` Inspect's ``vllm/`` spec for it
    (:func:`teachwhy.train._vllm.snapshot_model`), with the vLLM server settings in the environment.
    """
    rows: list[dict[str, Any]] = []
    spec = snapshot_model(model_dir, settings)
    for name in settings.evals:
        row: dict[str, Any] = {"kind": "snapshot", "step": step, "eval": name, "model": spec}
        if stage:
            row["stage"] = stage
        fn, why = resolve_eval(name)
        if fn is None:
            row.update(status="unavailable", reason=why)
        else:
            t0 = time.monotonic()
            try:
                with snapshot_env(settings):
                    metrics = _call(fn, model_dir, spec, settings)
                row.update(status="ok", metrics=dict(metrics))
            except ImportError as exc:  # an eval whose module (or a dependency) is not there yet
                row.update(status="unavailable", reason=f"{type(exc).__name__}: {exc}")
            except Exception as exc:  # a snapshot never stops training
                row.update(
                    status="error",
                    error=f"{type(exc).__name__}: {exc}",
                    traceback=traceback.format_exc(limit=3),
                )
            row["seconds"] = round(time.monotonic() - t0, 2)
        append_jsonl(log_path, row)
        rows.append(row)
    return rows


class SnapshotCallback(TrainerCallback):  # type: ignore[misc]
    """Every ``every_steps`` steps and at the end: save the policy to ``out/snapshots/step-N`` and evaluate
    it — once, on rank 0.

    With ``trainer`` given (as training does), every rank takes part in the save, so weights sharded by FSDP or
    ZeRO-3 are gathered first (:func:`teachwhy.train._save.save_policy`); rank 0 then runs the evals while the
    other ranks wait at a barrier (``train.ddp_timeout`` bounds the wait).
    """

    def __init__(
        self,
        settings: SnapshotSettings,
        out: Path,
        info: RunInfo,
        log_path: Path,
        stage: str | None = None,
        *,
        trainer: Any = None,
    ) -> None:
        self.settings = settings
        self.out = out
        self.info = info
        self.log_path = log_path
        self.stage = stage
        self.trainer = trainer
        self._done: set[int] = set()

    def _snapshot(self, state: TrainerState, model: Any, tokenizer: Any) -> None:
        if state.global_step in self._done or not self.settings.evals:
            return
        self._done.add(state.global_step)
        d = self.out / "snapshots" / f"step-{state.global_step}"
        if self.trainer is not None:
            save_policy(self.trainer, d)  # every rank: a collective under FSDP / ZeRO-3
        elif state.is_world_process_zero:
            model.save_pretrained(str(d))
            if tokenizer is not None:
                tokenizer.save_pretrained(str(d))
        if state.is_world_process_zero:
            self.info.write(d, state)
            was_training = bool(getattr(model, "training", False))
            model.eval()
            try:
                run_snapshot(d, state.global_step, self.settings, self.log_path, stage=self.stage)
            finally:
                if was_training:
                    model.train()
        if self.trainer is not None:
            self.trainer.accelerator.wait_for_everyone()  # the other ranks wait for rank 0's evals

    def on_step_end(self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any) -> None:
        """Snapshot every ``every_steps`` steps."""
        k = self.settings.every_steps
        if k and state.global_step % k == 0:
            self._snapshot(state, kwargs["model"], kwargs.get("processing_class"))

    def on_train_end(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any
    ) -> None:
        """Snapshot the final policy."""
        if self.settings.at_end:
            self._snapshot(state, kwargs["model"], kwargs.get("processing_class"))
