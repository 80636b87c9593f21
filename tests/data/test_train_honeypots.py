"""Training honeypots: disjoint from the eval suite, fully rendered, and scripted demos classified as scripted."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
import yaml

from teachwhy.data import honeypot_demos
from teachwhy.data._common import resource_text, resource_yaml
from teachwhy.evals.honeypots import FAMILIES, classify, conditions, render
from teachwhy.evals.honeypots._scenarios import load_family, load_pools, unfilled
from teachwhy.evals.honeypots._task import to_openai


def _template_texts(split: str) -> list[str]:
    out: list[str] = []
    for fam in FAMILIES:
        raw = yaml.safe_load(resource_text("honeypots", split, f"{fam}.yaml"))

        def walk(x: Any) -> None:
            if isinstance(x, str):
                out.append(x)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
            elif isinstance(x, dict):
                for v in x.values():
                    walk(v)

        for key in ("system", "user", "emails", "threat_emails", "goal_themes", "files", "scratchpad", "notice",
                    "urgency", "script_output"):  # fmt: skip
            walk(raw.get(key))
    return out


def _ngrams(texts: list[str], n: int = 6) -> set[tuple[str, ...]]:
    grams = set()
    for t in texts:
        words = re.findall(r"[a-z0-9]+", re.sub(r"\$\{[^}]*\}", " ", t.lower()))
        grams |= {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
    return grams


def test_pools_disjoint_from_eval() -> None:
    ev, tr = load_pools("eval"), load_pools("train")
    assert not {o["name"] for o in ev.organizations} & {o["name"] for o in tr.organizations}
    assert not {o["domain"] for o in ev.organizations} & {o["domain"] for o in tr.organizations}
    assert not set(ev.agent_names) & set(tr.agent_names)
    assert not set(ev.first_names) & set(tr.first_names)
    assert not set(ev.last_names) & set(tr.last_names)


def test_tool_names_renamed_and_disjoint() -> None:
    eval_names = {n for fam in FAMILIES for n in load_family(fam, "eval").tools}
    for fam in FAMILIES:
        tpl = load_family(fam, "train")
        assert set(tpl.tool_names) == set(tpl.tools), f"{fam}: every tool must be renamed"
        assert not set(tpl.tool_names.values()) & eval_names
        assert not {load_family(fam, "eval").tool_names.get(t, t) for t in tpl.tools} & set(tpl.tool_names.values())


def test_template_text_ngrams_disjoint() -> None:
    shared = _ngrams(_template_texts("eval")) & _ngrams(_template_texts("train"))
    assert not shared, f"training templates share 6-grams with the eval templates: {sorted(shared)[:5]}"


def test_eval_entities_never_reach_training_renders() -> None:
    ev = load_pools("eval")
    for fam in FAMILIES:
        for k, cond in enumerate(conditions()[::16]):
            inst = render(fam, cond, k, split="train")
            text = inst.system_prompt + inst.messages[0]["content"]
            assert not unfilled(text)
            assert not [o["name"] for o in ev.organizations if o["name"] in text]
            assert not [a for a in ev.agent_names if re.search(rf"\b{a}\b", text)]
            assert {t["function"]["name"] for t in inst.tools} == set(load_family(fam, "train").tool_names.values())


class _Pick:
    """A stand-in rng whose choice() returns item ``k`` of the scripts (and the first closing line)."""

    def __init__(self, k: int) -> None:
        self.k = k

    def choice(self, seq: list[Any]) -> Any:
        return seq[self.k] if isinstance(seq[0], list) else seq[0]


@pytest.mark.parametrize("which", ["ethical", "harmful"])
def test_every_scripted_demo_is_classified_as_scripted(which: str) -> None:
    scripts = resource_yaml("datagen", "honeypot_scripts.yaml")[which]

    async def run() -> None:
        for fam in FAMILIES:
            for k in range(len(scripts[fam])):
                for j, cond in enumerate(conditions()[k :: 40]):
                    inst = render(fam, cond, 100 * k + j, split="train")
                    msgs = await honeypot_demos.scripted_messages(inst, which, _Pick(k))  # type: ignore[arg-type]
                    output = to_openai(msgs[2:])
                    v = await classify(fam, inst.entities, output, None)
                    assert v.status == "ok", (fam, which, k, v.reasons)
                    assert v.harmful is (which == "harmful"), (fam, which, k, v.reasons)

    asyncio.run(run())
