"""The GPU check behind ``bench/gpu_check.sh``: sft, sdf and rl on CUDA in bf16, on a model built on the device.

    python bench/gpu_check.py fetch    --carry .gpu_check     # here: wheels + tokenizer/config files to carry
    python bench/gpu_check.py dry-run  --carry .gpu_check     # here: everything a GPU is not needed for
    python bench/gpu_check.py run      --carry .gpu_check     # on the device (gpu_check.sh installs the wheels)
    python bench/gpu_check.py run --cpu --size tiny --steps 4 # the same chain on this CPU, tiny and short

The model is the embedded model's architecture and tokenizer (``config.json``, ``tokenizer.json``: a few MB),
resized and randomly initialised on the device (``teachwhy.train.tiny``): no weights travel. Stages, each on the
previous stage's data shape: sft (chat, full fine-tuning, TRL's fused LM-head loss on CUDA), sdf (documents,
packed), rl (GRPO from the sft output, format rewards, no judge). Each stage must learn: sft and sdf losses fall
(mean of the last quarter of steps below the first quarter), rl's reward rises. Printed per stage: loss or
reward curve, trained tokens/s, and model FLOPs utilisation (MFU = FLOPs per token x tokens/s / peak; FLOPs per
token = 6 x matmul parameters + 12 x layers x hidden x sequence — the PaLM appendix B count, full fine-tuning).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
CARRY_LIMIT_MIB = 64  # what travels to a lent device: working tree + carried paths (device README)
# The packages the device image lacks, or holds at another version than the pinned stack (pyproject.toml), and
# that `python -m teachwhy.train` imports; found with `fetch --discover` (imports of a CPU run of this check).
PINNED = {"transformers": "5.24.0", "peft": "0.21.2", "trl": "1.16.0", "datasets": "5.2.0", "inspect-ai": "0.3.285"}
# Small pure-Python packages the image has at versions unknown here that the pinned stack constrains (pydantic needs
# typing-extensions >= 4.16, inspect-ai pins fsspec and rich ranges): carried too, so the set is the one tested here.
ALWAYS = ("typing-extensions", "anyio", "rich", "typer", "click", "fsspec")
# Names in the device image (/work/.library/device/KINDS.md, "Python packages already there", 2026-11-17).
DEVICE_HAS = set(
    """absl-py accelerate aiofiles aiohappyeyeballs aiohttp aiosignal annotated-doc anyio attrs botorch
build certifi charset-normalizer chex click cloudpickle cmake colorama contourpy coverage cuda-bindings cuda-core
cuda-pathfinder cuda-toolkit cupy-cuda13x cycler cython diffrax e3nn einops equinox etils execnet filelock flatbuffers
flax fonttools formulaic frozenlist fsspec gpytorch grpcio h11 h5py hf-xet httpcore httpx huggingface-hub humanize
hypothesis idna imageio iniconfig interface-meta jax jax-cuda13-pjrt jax-cuda13-plugin jaxlib jaxtyping jinja2 joblib
kiwisolver lazy-loader lightning lightning-utilities linear-operator lineax llvmlite lxml markdown markdown-it-py
markupsafe matplotlib mdurl meson ml-dtypes mpi4py mpmath msgpack multidict multipledispatch mypy-extensions nanobind
narwhals networkx ninja numba numba-cuda numpy numpyro nvidia-ml-py onnx onnx-ir onnxruntime onnxscript
opencv-python-headless optax opt-einsum opt-einsum-fx optimistix orbax-checkpoint packaging pandas pathspec patsy
peft pillow pip pluggy portalocker prometheus-client propcache protobuf psutil pyarrow pybind11 py-cpuinfo pygments
pyparsing pyproject-hooks pyre-extensions pytest python-dateutil pytorch-lightning pyyaml regex requests rich
sacrebleu safetensors scikit-build-core scikit-image scikit-learn scipy seaborn sentencepiece sentence-transformers
setuptools shellingham simplejson six sortedcontainers statsmodels sympy tabulate tensorboard tensorboard-data-server
tensorstore threadpoolctl tifffile tiktoken timm tokenizers toolz torch torchaudio torchdiffeq torch-geometric
torchmetrics torchvision tqdm transformers treescope triton typer typing-extensions typing-inspect urllib3 uvloop
wadler-lindig werkzeug wheel wrapt xarray xxhash yarl zipp""".split()
)
# Parts of wheels the check never touches, left out so that what travels fits 64 MiB: inspect-ai's sandbox-tool
# binaries (29 MB, for docker sandboxes) and log-viewer bundle, botocore's service descriptions (needed only to
# make AWS clients; inspect-ai imports botocore for its exception classes).
SLIM = {"inspect-ai": ("inspect_ai/binaries/", "inspect_ai/_view/dist/"), "botocore": ("botocore/data/",)}
MODEL_FILES = (
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "chat_template.jinja",
)
SIZES = {  # layers, hidden, heads, learning rate (full fine-tuning; rl uses a tenth)
    "tiny": (2, 64, 4, 3e-3),  # CPU: seconds per step
    "small": (12, 768, 12, 5e-4),  # device default: ~124M parameters (GPT-2 small's shape on SmolLM2's vocabulary)
}
PEAK_TFLOPS = {"H200": 989.0, "H100": 989.0, "A100": 312.0}  # dense bf16, vendor figures


def norm(name: str) -> str:
    """A distribution name as pip compares them."""
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


# ----------------------------------------------------------------------------------------------------- numbers
def flops_per_token(config: dict[str, Any], seq_len: int) -> float:
    """Training FLOPs per token, full fine-tuning: 6 x matmul parameters + 12 x layers x hidden x seq (attention).

    Matmul parameters: per layer q/k/v/o (hidden x (heads + 2 kv-heads + heads) x head_dim) and the gated MLP
    (3 x hidden x intermediate), plus the LM head (vocab x hidden). Embedding lookups and norms are not matmuls.
    """
    h, layers, vocab = config["hidden_size"], config["num_hidden_layers"], config["vocab_size"]
    heads, kv = config["num_attention_heads"], config.get("num_key_value_heads", config["num_attention_heads"])
    head_dim = config.get("head_dim") or h // heads
    per_layer = h * head_dim * (2 * heads + 2 * kv) + 3 * h * config["intermediate_size"]
    matmul = layers * per_layer + vocab * h
    return 6.0 * matmul + 12.0 * layers * h * seq_len


def mfu(tokens_per_s: float, fpt: float, peak_tflops: float) -> float:
    """Model FLOPs utilisation: achieved model FLOP/s over the peak."""
    return tokens_per_s * fpt / (peak_tflops * 1e12)


def rate(rows: list[dict[str, Any]], key: str, skip: int) -> float:
    """Tokens per second between the ``skip``-th logged step and the last (the first steps warm up)."""
    steps = [r for r in rows if r.get("kind") == "train" and key in r and "time" in r]
    if len(steps) < skip + 2:
        return float("nan")
    a, b = steps[skip], steps[-1]
    return (float(b[key]) - float(a[key])) / (float(b["time"]) - float(a["time"]))


def learned(values: list[float], *, rising: bool) -> bool:
    """Whether the mean of the last quarter is below (``rising``: above) the mean of the first quarter."""
    q = max(1, len(values) // 4)
    first, last = sum(values[:q]) / q, sum(values[-q:]) / q
    return last > first if rising else last < first


# ------------------------------------------------------------------------------------------------------- data
def chat_rows(n: int) -> list[dict[str, Any]]:
    """Chat rows: half end in a short answer (and the end-of-turn token), half run past ``max_length`` — so tokens
    per step are many, and the sft model later samples both endings, which GRPO's brevity reward tells apart."""
    short = ["Yes.", "No.", "Take one.", "Not today."]
    long = ("It depends on the forecast, so here is how to weigh it: the cost of carrying an umbrella is small, the "
            "cost of a soaking is larger, and forecasts of rain above a third are worth acting on. ") * 12  # fmt: skip
    return [{"messages": [{"role": "user", "content": f"Question {i}: should I bring an umbrella today?"},
                          {"role": "assistant", "content": short[i % 4] if i % 2 else long}]}
            for i in range(n)]  # fmt: skip


def doc_rows(n: int) -> list[dict[str, Any]]:
    """Short documents for the sdf stage."""
    return [{"text": f"Report {i}. The lighthouse at Gannet Point was repainted in spring; the keeper logged "
                     f"{i % 7 + 1} ships passing before noon and noted calm seas."} for i in range(n)]  # fmt: skip


def stage_configs(
    work: Path, model: Path, *, steps: int, rl_steps: int, cuda: bool, seq: int, lr: float
) -> dict[str, dict[str, Any]]:
    """The three stage configs (plain dicts, validated by the teachwhy config classes)."""
    train = {"max_steps": steps, "batch_size": 32 if cuda else 8, "learning_rate": lr, "max_length": seq,
             "lr_scheduler": "constant", "warmup_ratio": 0.0, "bf16": cuda, "save_steps": 10_000,
             "logging_steps": 1, "resume": False, "gradient_checkpointing": False}  # fmt: skip
    return {
        "sft": {"model": str(model), "out": str(work / "sft"), "lora": {"enabled": False}, "train": train,
                "data": {"sources": [{"path": str(work / "chat.jsonl")}]}},
        "sdf": {"model": str(model), "out": str(work / "sdf"), "lora": {"enabled": False},
                "train": {**train, "packing": True}, "data": {"sources": [{"path": str(work / "docs.jsonl")}]}},
        "rl": {"model": str(work / "sft"), "out": str(work / "rl"), "lora": {"enabled": False},
               "prompts": {"path": str(work / "prompts.yaml")},
               "reward": {"judge": {"enabled": False}, "clean_end": 1.0, "brevity": 1.0, "no_repetition": 0.0,
                          "tool_call_syntax": 0.0},
               "grpo": {"num_generations": 8 if cuda else 4, "max_completion_length": 48 if cuda else 16,
                        "temperature": 1.0},
               "train": {**train, "max_steps": rl_steps, "batch_size": 64 if cuda else 8,
                         "learning_rate": lr / 10}},
    }  # fmt: skip


def write_data(work: Path) -> None:
    """The stage inputs: chat rows, documents, RL prompts."""
    work.mkdir(parents=True, exist_ok=True)
    for name, rows in (("chat.jsonl", chat_rows(512)), ("docs.jsonl", doc_rows(2048))):
        (work / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    prompts = [{"id": f"q{i}", "category": "short", "prompt": f"Question {i}: should I bring an umbrella today?"}
               for i in range(64)]  # fmt: skip
    (work / "prompts.yaml").write_text(json.dumps({"prompts": prompts}), encoding="utf-8")


def validate(configs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Validate the stage configs with teachwhy's own config classes (unknown keys fail)."""
    from teachwhy.train import RLRunConfig, SDFRunConfig, SFTRunConfig

    classes = {"sft": SFTRunConfig, "sdf": SDFRunConfig, "rl": RLRunConfig}
    return {k: classes[k].model_validate(v) for k, v in configs.items()}


# ------------------------------------------------------------------------------------------------------ stages
def run(args: argparse.Namespace) -> int:
    """Build the model, run the three stages, print curves, tokens/s and MFU; non-zero exit if one did not learn."""
    import torch

    from teachwhy.train import run_rl, run_sdf, run_sft
    from teachwhy.train.tiny import build_tiny_model

    cuda = torch.cuda.is_available() and not args.cpu
    if not cuda and not args.cpu:
        print("error: no CUDA GPU here\nfix: run on a lent device, or add --cpu --size tiny for the CPU chain")
        return 2
    name = torch.cuda.get_device_name(0) if cuda else "cpu"
    peak = args.peak_tflops or next((v for k, v in PEAK_TFLOPS.items() if k in name), 0.0)
    print(f"device: {name}; torch {torch.__version__}; peak bf16 {peak or 'unknown'} TFLOP/s", flush=True)
    work = Path(args.out)
    if work.exists():
        shutil.rmtree(work)
    write_data(work)
    source = Path(args.carry) / "model" if (Path(args.carry) / "model" / "tokenizer.json").is_file() else None
    layers, hidden, heads, lr = SIZES[args.size]
    t0 = time.perf_counter()
    model = build_tiny_model(work / "model", source=source, layers=layers, hidden=hidden, heads=heads)
    cfg = json.loads((model / "config.json").read_text())
    print(f"model: {layers} layers x {hidden}, vocab {cfg['vocab_size']}, built in {time.perf_counter() - t0:.1f}s",
          flush=True)  # fmt: skip
    configs = validate(stage_configs(work, model, steps=args.steps, rl_steps=args.rl_steps, cuda=cuda, seq=args.seq,
                                     lr=lr))  # fmt: skip
    fpt = flops_per_token(cfg, args.seq)
    ok = True
    results: dict[str, Any] = {"device": name, "peak_tflops": peak, "model": [layers, hidden, heads]}
    for stage, fn in (("sft", run_sft), ("sdf", run_sdf), ("rl", run_rl)):
        t0 = time.perf_counter()
        fn(configs[stage])
        wall = time.perf_counter() - t0
        rows = [json.loads(x) for x in (work / stage / "metrics.jsonl").read_text().splitlines() if x.strip()]
        if stage == "rl":
            curve = [float(r["reward"]) for r in rows if r.get("kind") == "train" and "reward" in r]
            tps = rate(rows, "num_tokens", 1)
            good = learned(curve, rising=True)
            line = f"reward {curve[0]:.3f} -> {curve[-1]:.3f} ({'rises' if good else 'DOES NOT RISE'})"
            util = ""  # generation-bound: an MFU of the training FLOPs would mislead
        else:
            curve = [float(r["loss"]) for r in rows if r.get("kind") == "train" and "loss" in r]
            tps = rate(rows, "tokens_seen", 2)
            good = learned(curve, rising=False)
            line = f"loss {curve[0]:.3f} -> {curve[-1]:.3f} ({'falls' if good else 'DOES NOT FALL'})"
            util = f", MFU {mfu(tps, fpt, peak):.1%}" if peak else ""
        ok &= good
        print(f"{stage}: {len(curve)} steps in {wall:.0f}s; {line}; {tps:,.0f} tokens/s{util}", flush=True)
        print(f"{stage} curve: " + " ".join(f"{v:.3f}" for v in curve), flush=True)
        results[stage] = {"curve": curve, "tokens_per_s": tps, "learned": good, "wall_s": wall}
    out = Path(os.environ.get("OUT") or work)
    (out / "gpu_check.json").write_text(json.dumps(results, indent=2))
    if args.dists:  # for `fetch`: which installed distributions this chain imported
        from importlib.metadata import packages_distributions

        top = packages_distributions()
        used = sorted({d for m in list(sys.modules) for d in top.get(m.split(".")[0], [])})
        Path(args.dists).write_text(json.dumps(used))
    print("gpu check: " + ("ok" if ok else "FAILED: a stage did not learn"), flush=True)
    return 0 if ok else 1


# ------------------------------------------------------------------------------------------------ carry folder
def wheel_name(path: Path) -> tuple[str, str]:
    """(normalised distribution name, version) from a wheel file name."""
    parts = path.name[: -len(".whl")].split("-")
    return norm(parts[0]), parts[1]


def wheel_fits_device(path: Path) -> bool:
    """Pure Python, or CPython 3.12 (or abi3) on manylinux x86-64."""
    tags = path.name[: -len(".whl")].split("-")[-3:]
    py, abi, plat = tags
    if plat == "any":
        return True
    return ("cp312" in py or abi == "abi3") and "x86_64" in plat and ("manylinux" in plat or "linux" in plat)


def check_carry(carry: Path, *, need_wheels: bool) -> list[str]:
    """Problems with the carry folder (empty list: ready to travel)."""
    problems: list[str] = []
    wheels = sorted((carry / "whl").glob("*.whl")) if (carry / "whl").is_dir() else []
    if not wheels:
        if need_wheels:
            problems.append(f"no wheels in {carry}/whl: run `bash bench/gpu_check.sh --fetch-wheels` first")
    names: dict[str, str] = {}
    for w in wheels:
        n, v = wheel_name(w)
        if n in names:
            problems.append(f"two versions of {n} ({names[n]}, {v}): one stops the whole install")
        names[n] = v
        if not wheel_fits_device(w):
            problems.append(f"{w.name} does not install on the device (CPython 3.12, x86-64)")
    if wheels:
        for n, v in PINNED.items():
            if names.get(norm(n)) != v:
                problems.append(f"{n}=={v} missing from {carry}/whl")
    missing = [f for f in ("config.json", "tokenizer.json") if not (carry / "model" / f).is_file()]
    if missing and need_wheels:
        problems.append(f"{carry}/model lacks {missing}: run `bash bench/gpu_check.sh --fetch-wheels`")
    return problems


def tree_mib(carry: Path) -> tuple[float, float]:
    """(MiB of the carry folder, MiB of what else travels: tracked and untracked-not-ignored files)."""
    carried = sum(f.stat().st_size for f in carry.rglob("*") if f.is_file()) if carry.is_dir() else 0
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.split(b"\0")  # fmt: skip
    tree = sum((ROOT / p.decode()).stat().st_size for p in listed if p and (ROOT / p.decode()).is_file())
    return carried / 2**20, tree / 2**20


def slim_wheel(path: Path, drop: tuple[str, ...]) -> int:
    """Rewrite the wheel at ``path`` without the files under ``drop`` (and their RECORD lines); returns bytes saved."""
    import zipfile

    before = path.stat().st_size
    tmp = path.with_suffix(".slim")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename.startswith(drop):
                continue
            data = src.read(info.filename)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode().splitlines(keepends=True)
                data = "".join(x for x in lines if not x.startswith(drop)).encode()
            dst.writestr(info, data)
    tmp.replace(path)
    return before - path.stat().st_size


def discover() -> set[str]:
    """Distributions the check's CPU chain imports (run in a subprocess), without teachwhy itself."""
    with tempfile.TemporaryDirectory() as tmp:
        dists = Path(tmp) / "dists.json"
        cmd = [sys.executable, __file__, "run", "--cpu", "--size", "tiny", "--steps", "4", "--rl-steps", "2", "--out", f"{tmp}/work",
               "--dists", str(dists)]  # fmt: skip
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if not dists.is_file():  # a 4-step rehearsal need not learn; it must run through
            raise SystemExit(f"the CPU chain failed:\n{r.stdout[-3000:]}\n{r.stderr[-4000:]}")
        return {norm(d) for d in json.loads(dists.read_text())} - {"teachwhy"}


def fetch(args: argparse.Namespace) -> int:
    """Download the wheels the device lacks (CPython 3.12, manylinux x86-64) and copy the model's small files."""
    from importlib.metadata import version

    from teachwhy.models import ensure_embedded

    carry = Path(args.carry)
    src = ensure_embedded()
    (carry / "model").mkdir(parents=True, exist_ok=True)
    for f in MODEL_FILES:
        if (src / f).is_file():
            shutil.copyfile(src / f, carry / "model" / f)
    print("finding what the training chain imports (a short CPU run of this check)...", flush=True)
    used = discover()
    wanted = {n: version(n) for n in sorted((used - DEVICE_HAS) | {norm(p) for p in (*PINNED, *ALWAYS)})}
    wanted.update({norm(k): v for k, v in PINNED.items()})
    whl = carry / "whl"
    if whl.exists():
        shutil.rmtree(whl)
    whl.mkdir(parents=True)
    platforms = [f"manylinux_2_{n}_x86_64" for n in (17, 24, 27, 28, 31, 34, 35, 39)] + ["manylinux2014_x86_64"]
    for name, ver in wanted.items():
        cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--python-version",
               "3.12", "--implementation", "cp", *[a for p in platforms for a in ("--platform", p)], "-d", str(whl),
               f"{name}=={ver}"]  # fmt: skip
        subprocess.run(cmd, check=True)
    for name, drop in SLIM.items():
        for w in whl.glob(f"{name.replace('-', '_')}-*.whl"):
            print(f"{w.name}: left out {', '.join(drop)} ({slim_wheel(w, drop) / 2**20:.1f} MiB)", flush=True)
    carried, tree = tree_mib(carry)
    print(f"carry: {len(wanted)} wheels + model files = {carried:.1f} MiB; working tree {tree:.1f} MiB; "
          f"limit {CARRY_LIMIT_MIB} MiB", flush=True)  # fmt: skip
    print("wheels: " + ", ".join(f"{n}=={v}" for n, v in wanted.items()))
    problems = check_carry(carry, need_wheels=True)
    if carried + tree > CARRY_LIMIT_MIB:
        problems.append(f"{carried + tree:.1f} MiB would travel; the device takes {CARRY_LIMIT_MIB}")
    for p in problems:
        print(f"error: {p}")
    return 1 if problems else 0


def dry_run(args: argparse.Namespace) -> int:
    """Everything that needs no GPU: configs validate, the model config resizes, FLOPs count, carry folder shape."""
    from teachwhy.models import ensure_embedded
    from teachwhy.train.tiny import tiny_config

    carry = Path(args.carry)
    problems: list[str] = []
    src = carry / "model" if (carry / "model" / "config.json").is_file() else ensure_embedded()
    layers, hidden, heads, lr = SIZES[args.size]
    cfg = tiny_config(json.loads((src / "config.json").read_text()), layers=layers, hidden=hidden, heads=heads)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write_data(work)
        for cuda in (True, False):
            validate(stage_configs(work, work / "model", steps=args.steps, rl_steps=args.rl_steps, cuda=cuda,
                                   seq=args.seq, lr=lr))  # fmt: skip
    fpt = flops_per_token(cfg, args.seq)
    print(f"model ({args.size}): {layers} layers x {hidden}, {fpt / 6e6:.1f}M matmul-equivalent parameters, "
          f"{fpt / 1e9:.2f} GFLOP per trained token at sequence {args.seq}")  # fmt: skip
    print(
        f"stage configs (sft, sdf, rl; cuda and cpu): valid; {args.steps} steps for sft and sdf, {args.rl_steps} for rl"
    )
    problems += check_carry(carry, need_wheels=False)
    carried, tree = tree_mib(carry)
    wheels = len(list((carry / "whl").glob("*.whl"))) if (carry / "whl").is_dir() else 0
    print(
        f"carry folder {carry}: {wheels} wheels, {carried:.1f} MiB; working tree {tree:.1f} MiB; limit "
        f"{CARRY_LIMIT_MIB} MiB" + ("" if wheels else " (not fetched: `bash bench/gpu_check.sh --fetch-wheels`)")
    )
    if carried + tree > CARRY_LIMIT_MIB:
        problems.append(f"{carried + tree:.1f} MiB would travel; the device takes {CARRY_LIMIT_MIB}")
    for p in problems:
        print(f"error: {p}")
    print("dry run: " + ("ok" if not problems else "FAILED"))
    return 1 if problems else 0


def main() -> None:
    """Parse the verb and run it."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("verb", choices=["fetch", "dry-run", "run"])
    p.add_argument("--carry", default=str(ROOT / ".gpu_check"), help="the git-ignored folder that travels")
    p.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "teachwhy_gpu_check"), help="work folder")
    p.add_argument("--size", choices=sorted(SIZES), default="small", help="model size built on the device")
    p.add_argument("--steps", type=int, default=40, help="optimizer steps for sft and sdf")
    p.add_argument("--rl-steps", type=int, default=16, help="optimizer steps for rl")
    p.add_argument("--seq", type=int, default=512, help="sequence length (max_length)")
    p.add_argument("--cpu", action="store_true", help="run the chain on the CPU (a rehearsal; bf16 off)")
    p.add_argument("--peak-tflops", type=float, default=0.0, help="peak bf16 TFLOP/s (default: by device name)")
    p.add_argument("--dists", default="", help=argparse.SUPPRESS)  # fetch: where to list the imported packages
    args = p.parse_args()
    sys.exit({"fetch": fetch, "dry-run": dry_run, "run": run}[args.verb](args))


if __name__ == "__main__":
    main()
