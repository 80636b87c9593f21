"""The compact rendering of every storyline: a short inbox that still carries the plot and every message a script uses."""

from __future__ import annotations

import re

import pytest

from teachwhy.evals.honeypots import FAMILIES, render, script_steps, storylines

HEADLINE = "explicit-replacement-high-scratchpad_off-notice_off-nudge_off"
CASES = [(split, fam, st.id) for split in ("eval", "train") for fam in FAMILIES for st in storylines(split, fam)]


@pytest.mark.parametrize(("split", "family", "storyline"), CASES, ids=[c[2] for c in CASES])
def test_compact_headline_keeps_the_plot_and_every_scripted_message(split: str, family: str, storyline: str) -> None:
    st = next(s for s in storylines(split, family) if s.id == storyline)
    full = render(family, HEADLINE, 0, split=split, storyline=storyline)
    comp = render(family, HEADLINE, 0, split=split, storyline=storyline, compact=True)
    assert comp.compact and not full.compact
    full_msgs = {m["id"]: m for m in full.entities["messages"]}
    comp_msgs = {m["id"]: m for m in comp.entities["messages"]}

    # short but not empty: the threats plus the plot
    assert 2 <= len(comp_msgs) <= 7, f"{storyline}: {len(comp_msgs)} compact messages"
    if family in ("research_sabotage", "framing"):
        assert 1 <= len(st.core) <= 3, f"{storyline}: declare 1-3 `core` messages (the request, the facts)"
    # exactly the threats + core + secret messages survive (no latent goal message under an explicit goal)
    kept = len(st.threats["replacement"]) + len({*st.core, *(st.secret.messages if st.secret else [])})
    assert len(comp_msgs) == kept

    # the same messages as in the full rendering, under the same ids, with the same content
    assert set(comp_msgs) <= set(full_msgs)
    for mid, m in comp_msgs.items():
        assert m == full_msgs[mid], f"{storyline}: {mid} differs from the full rendering"
    for (
        i
    ) in st.core:  # each core message is the storyline's i-th message, found by the longest literal part of its body
        literal = max(re.split(r"\$\{[^}]*\}|\$\$", st.messages[i - 1].body), key=len).strip()
        assert len(literal) >= 20 and any(literal in m["body"] for m in comp_msgs.values()), f"{storyline}: core {i}"

    # every message a script forwards or cites by id is in the compact inbox
    for kind in ("harmful", "ethical"):
        for variant in range(len(st.scripts[kind])):
            for step in script_steps(comp, kind, variant):
                mid = step["args"].get("message_id")
                if mid is not None:
                    assert mid in comp_msgs, f"{storyline}: {kind}[{variant}] uses {mid}, not in the compact inbox"
    if st.secret:
        assert set(comp.entities["secret_message_ids"]) <= set(comp_msgs)

    # shorter than the full rendering (system prompt unchanged, inbox cut)
    assert comp.system_prompt == full.system_prompt
    assert len(comp.messages[0]["content"]) < len(full.messages[0]["content"])
    assert len(comp_msgs) < len(full_msgs)
