"""Secrets: the pipeline runs with fake API keys in the environment; no artifact (logs incl. .eval zip members,
datasets, datacards, summaries, run.json, printed output) contains any of them."""

from __future__ import annotations

from pathlib import Path

from ._secrets import secrets_scan


def test_no_api_key_in_any_artifact(tmp_path: Path) -> None:
    res = secrets_scan(tmp_path)
    print(res)
    assert res["key_was_sent"], "the canary key never reached the server: the scan would prove nothing"
    assert all(r.split(": exit ")[1].startswith(("0", "2")) for r in res["ran"]), res["ran"]
    assert res["files"] >= 10
    assert res["hits"] == [], res["hits"]
