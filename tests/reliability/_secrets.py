"""The secrets scenario, shared by the test and the bench: run the pipeline with canary API keys, scan artifacts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ._harness import CANARIES, FaultServer, fast_retries, run_cli, scan_for

CHAT = [{"messages": [{"role": "user", "content": f"Q{i}: the cat's name?"},
                      {"role": "assistant", "content": "Marzipan Quillfeather."}]} for i in range(8)]  # fmt: skip


def secrets_scan(tmp: Path, *, train: bool = False) -> dict[str, Any]:
    """Honeypot eval (fault server, with judge and some faults), scripted data generation, optionally a tiny SFT run;
    every file they write is scanned (zip members of .eval logs included), and so is everything they printed."""
    old = {k: os.environ.get(k) for k in CANARIES}
    os.environ.update(CANARIES)
    printed: list[str] = []
    ran: list[str] = []
    srv = FaultServer({"429": 0.1, "500": 0.1}, seed=9).start()
    try:
        os.environ["FAULT_BASE_URL"] = srv.base_url
        with fast_retries():
            code, out, err = run_cli("eval", "honeypots", "--model", f"openai-api/fault/sec-{srv.port}", "--judge",
                                     f"openai-api/fault/secj-{srv.port}", "--samples", "2", "--out",
                                     str(tmp / "eval"))  # fmt: skip
        printed += [out, err]
        ran.append(f"eval honeypots: exit {code}")
        code, out, err = run_cli("data", "generate", "honeypot-demos", "--scripted", "ethical", "--n", "4", "--out",
                                 str(tmp / "data"))  # fmt: skip
        printed += [out, err]
        ran.append(f"data generate: exit {code}")
        code, out, err = run_cli("data", "augment", str(tmp / "data"), str(tmp / "data_aug"), "--tools")
        printed += [out, err]
        ran.append(f"data augment: exit {code}")
        code, out, err = run_cli("models")
        printed += [out, err]
        ran.append(f"models: exit {code}")
        if train:
            data = tmp / "chat.jsonl"
            data.write_text("".join(json.dumps(r) + "\n" for r in CHAT))
            code, out, err = run_cli("train", "sft", "--out", str(tmp / "train"), "--max-steps", "2", "--set",
                                     f"data.sources=[{{path: {data}}}]", "--set", "train.batch_size=4", "--set",
                                     "train.save_steps=1", "--set", "train.max_length=64")  # fmt: skip
            printed += [out, err]
            ran.append(f"train sft: exit {code}")
        code, out, err = run_cli("report", str(tmp / "eval"))
        ran.append(f"report: exit {code} ({(err.strip().splitlines() or [''])[0][:80]})")
        printed += [out, err]
    finally:
        srv.stop()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    (tmp / "printed.txt").write_text("\n".join(printed))
    hits = scan_for(tmp, list(CANARIES.values()))
    files = sum(1 for p in tmp.rglob("*") if p.is_file())
    return {"scenario": "secrets: pipeline artifacts", "hits": hits, "files": files, "ran": ran,
            "key_was_sent": CANARIES["FAULT_API_KEY"] in srv.tokens_seen, "faults": srv.counts()}  # fmt: skip
