"""docs/SCALE.md runs as written: every command in it is parsed by the CLI it names (teachwhy's own parser for
teachwhy commands, the tools' ``--help`` for their flags), its GPU-hours table is the arithmetic it states, and the GPU
check (``bench/gpu_check.sh``) passes ``bash -n`` and its dry run, with its numbers checked by hand."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "SCALE.md"
BIN = Path(sys.executable).parent
# Tools the CI machine does not have; their lines are listed, not run (the doc says so).
EXTERNAL = {"vllm", "srun", "scontrol"}


def doc_commands() -> list[str]:
    """Every command line of the doc's bash blocks (continuations joined; comments, assignments, `set` dropped)."""
    text = DOC.read_text(encoding="utf-8")
    out: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.split(r"\s{2,}#", line)[0].strip()
            if not line or line.startswith(("#", "set ", "export ")) or re.match(r"^[A-Z_]+=\(", line):
                continue
            out.append(line.removesuffix("&").strip())
    return out


def bench_module(name: str) -> ModuleType:
    """Import ``bench/<name>.py`` (bench is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@functools.cache
def help_text(*cmd: str) -> str:
    r = subprocess.run([str(BIN / cmd[0]), *cmd[1:], "--help"], capture_output=True, text=True, timeout=300,
                       cwd=ROOT, env={"COLUMNS": "250", "PATH": str(BIN), "HF_HUB_OFFLINE": "1"})  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def flags_known(tokens: list[str], helptext: str) -> None:
    for t in tokens:
        if t.startswith("--"):
            flag = t.split("=", 1)[0]
            assert re.search(re.escape(flag) + r"\b", helptext), f"{flag} is not an option: {' '.join(tokens)}"


def teachwhy_parses(args: list[str], *, group: str | None = None) -> None:
    """teachwhy's own parser accepts ``args`` (subcommands descended, options and arguments parsed, nothing run)."""
    import typer.main

    from teachwhy.cli import app

    cmd: Any = typer.main.get_command(app)
    if group:
        cmd = cmd.commands[group]
    while hasattr(cmd, "commands") and args and args[0] in cmd.commands:
        cmd, args = cmd.commands[args[0]], args[1:]
    ctx = cmd.make_context(cmd.name, list(args))  # raises a UsageError on an unknown option or bad value
    if hasattr(cmd, "commands"):  # a group left with words: an unknown subcommand
        rest = [*getattr(ctx, "_protected_args", []), *getattr(ctx, "protected_args", []), *ctx.args]
        assert not rest, f"{cmd.name}: no subcommand {rest[0]!r}"


def check(tokens: list[str], seen: dict[str, int]) -> None:
    """Check one command line (tokens after shlex), recursing into wrappers."""
    while tokens and re.match(r"^[A-Z_]+=", tokens[0]):  # VAR=value prefixes
        tokens = tokens[1:]
    head = tokens[0]
    seen[head] = seen.get(head, 0) + 1
    if head == "bash" and tokens[1] == "-c":
        check(shlex.split(tokens[2]), seen)
    elif head == "bash":
        assert tokens[1] == "bench/gpu_check.sh" and set(tokens[2:]) <= {
            "--dry-run",
            "--fetch-wheels",
            "--cpu",
            "--run",
        }
    elif head == "srun":
        rest = tokens[1:]
        while rest and (rest[0].startswith("-") or rest[0] in ("1", "2")):
            rest = rest[2:] if rest[0] in ("-w", "-N", "-n") else rest[1:]
        check(rest, seen)
    elif head in EXTERNAL:
        pass
    elif head == "make":
        assert re.search(rf"^{tokens[1]}:", (ROOT / "Makefile").read_text(), re.M)
    elif head == ".venv/bin/teachwhy":
        teachwhy_parses(tokens[1:])
    elif head in (".venv/bin/accelerate", ".venv/bin/torchrun"):
        launcher = ["accelerate", "launch"] if head.endswith("accelerate") else ["torchrun"]
        rest = tokens[len(launcher) :]
        m = rest.index("-m")
        flags_known(rest[:m], help_text(*launcher))
        if "--config_file" in rest[:m]:
            assert (ROOT / rest[rest.index("--config_file") + 1]).is_file()
        assert rest[m + 1] == "teachwhy.train"
        teachwhy_parses(rest[m + 2 :], group="train")
    elif head == ".venv/bin/python":
        script = ROOT / tokens[1]
        assert script.is_file()
        r = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        flags_known(tokens[2:], r.stdout)
    elif head == ".venv/bin/trl":
        flags_known(tokens[2:], help_text("trl", tokens[1]))
    elif head == ".venv/bin/hf":
        flags_known(tokens[2:], help_text("hf", tokens[1]))
    elif head == ".venv/bin/pip":
        assert tokens[1] == "install"
    else:
        raise AssertionError(f"docs/SCALE.md: a command no check covers: {' '.join(tokens)}")


@pytest.mark.slow
def test_every_command_in_the_runbook_is_accepted() -> None:
    seen: dict[str, int] = {}
    commands = doc_commands()
    for line in commands:
        check(shlex.split(line), seen)
    # the runbook covers what it must: training under accelerate and torchrun, vLLM for GRPO and evals, SLURM
    text = " ".join(commands)
    assert seen[".venv/bin/accelerate"] >= 3 and seen[".venv/bin/torchrun"] == 1 and seen["srun"] == 2
    assert "grpo.use_vllm=true" in text and "vllm_mode=server" in text and "--max-connections" in text
    assert "vllm//models/" in text and "VLLM_BASE_URL" in DOC.read_text()


def test_gpu_hours_table_is_the_stated_arithmetic() -> None:
    text = DOC.read_text(encoding="utf-8")
    rates = dict(re.findall(r"(rate7|rate70)=([0-9.]+)", text))
    rate7, rate70 = float(rates["rate7"]), float(rates["rate70"])
    assert rate70 == pytest.approx(rate7 * 7.6 / 70, abs=0.05)  # "the same utilisation"
    table = yaml.safe_load((ROOT / "src/teachwhy/resources/experiments/throughput.yaml").read_text())
    seven = next(m for m in table["models"] if m["name"].startswith("7-8B"))
    assert seven["rates"]["sft"]["tokens_per_s"] == rate7  # the same rate the experiment estimate uses
    rows = re.findall(r"^\| ([a-z0-9-][^|]*)\| (\d+)M \| ([\d.]+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \|$", text, re.M)
    assert len(rows) == 6
    for arm, millions, h7, min7, h70, wall70 in rows:
        tokens = int(millions) * 1e6
        for shown, value in ((h7, tokens / rate7 / 3600), (min7, tokens / rate7 / 3600 / 8 * 60),
                             (h70, tokens / rate70 / 3600), (wall70, tokens / rate70 / 3600 / 8)):  # fmt: skip
            decimals = len(shown.split(".")[1]) if "." in shown else 0
            assert abs(float(shown) - value) <= 0.5 * 10**-decimals + 1e-9, (arm, shown, value)
    assert "3M" in text and "30M" in text and "85M" in text


def test_gpu_check_syntax_and_dry_run() -> None:
    assert subprocess.run(["bash", "-n", str(ROOT / "bench/gpu_check.sh")]).returncode == 0
    r = subprocess.run(["bash", str(ROOT / "bench/gpu_check.sh"), "--dry-run"], capture_output=True, text=True,
                       timeout=300, cwd=ROOT)  # fmt: skip
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "dry run: ok" in r.stdout and "stage configs (sft, sdf, rl; cuda and cpu): valid" in r.stdout
    bad = subprocess.run(["bash", str(ROOT / "bench/gpu_check.sh"), "--bogus"], capture_output=True, text=True)
    assert bad.returncode == 2 and "usage:" in bad.stderr


def test_gpu_check_numbers_by_hand(tmp_path: Path) -> None:
    g = bench_module("gpu_check")
    # a 2-layer model: hidden 8, 2 heads of 4, 1 kv head, intermediate 16, vocab 10, sequence 5
    cfg = {"hidden_size": 8, "num_hidden_layers": 2, "vocab_size": 10, "num_attention_heads": 2,
           "num_key_value_heads": 1, "head_dim": 4, "intermediate_size": 16}  # fmt: skip
    per_layer = 8 * 4 * (2 * 2 + 2 * 1) + 3 * 8 * 16  # q,o: 8x8 each; k,v: 8x4 each = 192; mlp 384
    assert per_layer == 576
    assert g.flops_per_token(cfg, 5) == 6 * (2 * 576 + 10 * 8) + 12 * 2 * 8 * 5  # 7392 + 960 = 8352
    assert g.mfu(1000.0, 1e9, 989.0) == pytest.approx(1e12 / 989e12)
    rows = [
        {"kind": "train", "tokens_seen": t, "time": s} for t, s in ((100, 0.0), (300, 1.0), (700, 2.0), (1500, 4.0))
    ]
    assert g.rate(rows, "tokens_seen", 1) == pytest.approx((1500 - 300) / (4.0 - 1.0))
    assert g.learned([3.0, 2.9, 2.0, 1.0], rising=False) and not g.learned([1.0, 1.0, 1.1, 1.2], rising=False)
    assert g.learned([0.1, 0.2, 0.5, 0.9], rising=True)


def test_carry_folder_checks_and_slim_wheels(tmp_path: Path) -> None:
    g = bench_module("gpu_check")
    whl = tmp_path / "whl"
    whl.mkdir()
    wheel = whl / "inspect_ai-0.3.285-py3-none-any.whl"
    keep, drop = "inspect_ai/__init__.py", "inspect_ai/binaries/tool-amd64"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr(keep, "x = 1\n")
        z.writestr(drop, b"\0" * 50_000)
        z.writestr("inspect_ai-0.3.285.dist-info/RECORD", f"{keep},sha256=a,6\n{drop},sha256=b,50000\n")
    assert g.slim_wheel(wheel, ("inspect_ai/binaries/",)) > 0
    with zipfile.ZipFile(wheel) as z:
        assert sorted(z.namelist()) == ["inspect_ai-0.3.285.dist-info/RECORD", keep]
        assert z.read("inspect_ai-0.3.285.dist-info/RECORD").decode() == f"{keep},sha256=a,6\n"
    assert g.wheel_fits_device(Path("pydantic_core-2.50.5-cp312-cp312-manylinux_2_17_x86_64.whl"))
    assert not g.wheel_fits_device(Path("pydantic_core-2.50.5-cp311-cp311-manylinux_2_17_x86_64.whl"))
    assert not g.wheel_fits_device(Path("zstandard-0.25.0-cp312-cp312-macosx_11_0_arm64.whl"))
    (whl / "inspect_ai-0.3.280-py3-none-any.whl").write_bytes(b"")
    problems = g.check_carry(tmp_path, need_wheels=True)
    assert any("two versions of inspect-ai" in p for p in problems)
    assert any("trl==1.16.0 missing" in p for p in problems)
    assert any("lacks ['config.json', 'tokenizer.json']" in p for p in problems)
    assert g.check_carry(tmp_path / "absent", need_wheels=False) == []


def test_fetched_carry_fits_the_device_when_present() -> None:
    """After `bash bench/gpu_check.sh --fetch-wheels` here: the folder is complete and under the 64 MiB limit."""
    g = bench_module("gpu_check")
    carry = ROOT / ".gpu_check"
    if not (carry / "whl").is_dir():
        pytest.skip("no .gpu_check/ here (run `bash bench/gpu_check.sh --fetch-wheels` to create it)")
    assert g.check_carry(carry, need_wheels=True) == []
    carried, tree = g.tree_mib(carry)
    assert carried + tree <= g.CARRY_LIMIT_MIB
    json.dumps([carried, tree])


@pytest.mark.slow
@pytest.mark.parametrize(
    "line",
    [
        ".venv/bin/teachwhy eval honeypots --model embedded --sample 4",  # a typo'd option
        ".venv/bin/teachwhy train sft --config configs/train/sft_study.yaml --max-step 3",
        ".venv/bin/accelerate launch --num_gpus 8 -m teachwhy.train sft --config configs/train/sft_study.yaml",
        ".venv/bin/accelerate launch --config_file configs/train/accelerate/ddp.yaml -m teachwhy.train sft",
        ".venv/bin/trl vllm-serve --model M --tp 8",
        ".venv/bin/teachwhy train tune --config F.yaml",
        "deepspeed --num_gpus 8 train.py",
    ],
)
def test_the_checker_refuses_what_the_cli_would(line: str) -> None:
    """The checks above are not vacuous: each of these would fail when run, and fails the check."""
    with pytest.raises(Exception):  # noqa: B017 - a UsageError, an AssertionError or a missing file
        check(shlex.split(line), {})


@pytest.mark.slow
def test_readme_scale_lines_are_accepted() -> None:
    """The README's multi-process and GPU lines pass the same checks (issue 17: they run as written on a GPU node)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [x.split("  #")[0].strip() for x in readme.splitlines()
             if x.startswith((".venv/bin/accelerate", ".venv/bin/torchrun", "bash bench/gpu_check.sh"))]  # fmt: skip
    assert len(lines) >= 4
    seen: dict[str, int] = {}
    for line in lines:
        check(shlex.split(line), seen)
    assert "--model runs/sft" in readme and "--out runs/sft" in readme  # the RL line's input is made by the SFT line


def test_throughput_bench_spread_by_hand() -> None:
    """bench/train_throughput.py reports min / median / max of its repeats."""
    t = bench_module("train_throughput")
    assert t.spread([130.0, 90.5, 101.25]) == "    90.5 /    101.2 /    130.0"
    assert t.spread([1.0, 2.0, 3.0, 10.0]) == "     1.0 /      2.5 /     10.0"  # the median of an even count
