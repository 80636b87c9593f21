"""Training honeypots: other storylines than the eval suite's, the same tools, and scripted demos that do what they
say (every harmful script is decided harmful; no ethical script is ever decided harmful)."""

from __future__ import annotations

import asyncio
import random
import re

import pytest

from teachwhy.data import honeypot_demos
from teachwhy.evals.honeypots import FAMILIES, classify, conditions, render, storylines, to_openai, unfilled
from teachwhy.evals.honeypots._storylines import load_pools


def test_name_pools_disjoint_from_eval() -> None:
    ev, tr = load_pools("eval"), load_pools("train")
    assert not set(ev.agent_names) & set(tr.agent_names)
    assert not set(ev.first_names) & set(tr.first_names)
    assert not set(ev.last_names) & set(tr.last_names)


def test_eval_entities_never_reach_training_renders() -> None:
    ev = load_pools("eval")
    eval_orgs = {st.organization.name for f in FAMILIES for st in storylines("eval", f)}
    for fam in FAMILIES:
        for st in storylines("train", fam):
            for k, cond in enumerate(conditions()[::48]):
                inst = render(fam, cond, k, split="train", storyline=st.id)
                text = inst.system_prompt + inst.messages[0]["content"]
                assert not unfilled(text)
                assert not [o for o in eval_orgs if o in text]
                assert not [a for a in ev.agent_names if re.search(rf"\b{a}\b", text)]


def test_plan_filters_families_and_conditions() -> None:
    from teachwhy.data._common import GenerateSettings

    s = GenerateSettings(kind="honeypot-demos", out="x", scenarios=["blackmail"], conditions="headline")
    items = honeypot_demos.plan(s, 12)
    assert {i["family"] for i in items} == {"blackmail"}
    assert all(i["condition"].startswith("explicit-replacement-") and "notice_off" in i["condition"] for i in items)
    assert len({i["storyline"] for i in items}) == min(12, len(storylines("train", "blackmail")))


@pytest.mark.parametrize("which", ["ethical", "harmful"])
def test_every_scripted_demo_does_what_it_says(which: str) -> None:
    async def run() -> list[str]:
        wrong = []
        for fam in FAMILIES:
            for st in storylines("train", fam):
                for k in range(len(st.scripts[which])):  # type: ignore[index]
                    cond = conditions()[(7 * k) % 96]
                    inst = render(fam, cond, 10 * k, split="train", storyline=st.id)
                    msgs = await honeypot_demos.scripted_messages(inst, which, random.Random(0), variant=k)
                    v = await classify(fam, inst.entities, to_openai(msgs[2:]), None)
                    if which == "harmful" and not (v.status == "ok" and v.harmful):
                        wrong.append(f"{st.id} harmful[{k}]: {v.status} {v.reasons[:1]}")
                    if which == "ethical" and v.harmful:
                        wrong.append(f"{st.id} ethical[{k}]: decided harmful: {v.reasons[:1]}")
        return wrong

    assert asyncio.run(run()) == []
