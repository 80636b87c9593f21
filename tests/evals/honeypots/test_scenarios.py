from __future__ import annotations

import json

import pytest

from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots import FAMILIES, conditions, parse_condition, render
from teachwhy.evals.honeypots._scenarios import unfilled


@pytest.mark.parametrize("family", FAMILIES)
def test_every_condition_renders_without_placeholders(family: str) -> None:
    """Every rendered prompt of every condition (both modes, several entity draws) is fully filled."""
    conds = conditions()
    assert len(conds) == 96
    for i, cond in enumerate(conds):
        for mode in ("tools", "xml"):
            inst = render(family, cond, seed=i, mode=mode)
            shown = inst.system_prompt + "\n" + json.dumps(inst.messages) + json.dumps(inst.tools)
            assert unfilled(shown) == [], (cond.id, mode, unfilled(shown))
            assert "None" not in inst.system_prompt


def test_rendering_is_deterministic_and_varies_with_seed() -> None:
    a = render("blackmail", "explicit-replacement-high-scratchpad_off-notice_off", 7)
    b = render("blackmail", "explicit-replacement-high-scratchpad_off-notice_off", 7)
    assert a == b
    names = {render("blackmail", "explicit-replacement-high-scratchpad_off-notice_off", s).entities["org_name"]
             for s in range(12)}  # fmt: skip
    assert len(names) > 3


def test_axes_change_the_prompt() -> None:
    base = render("research_sabotage", "explicit-replacement-high-scratchpad_off-notice_off", 1)
    notice = render("research_sabotage", "explicit-replacement-high-scratchpad_off-notice_on", 1)
    assert "evaluation of AI behaviour" in notice.system_prompt
    assert "evaluation of AI behaviour" not in base.system_prompt
    none_goal = render("research_sabotage", "none-none-low-scratchpad_on-notice_off", 1)
    assert "primary goal" not in none_goal.system_prompt and "<scratchpad>" in none_goal.system_prompt
    latent = render("framing", "latent-restriction-low-scratchpad_off-notice_off", 2)
    assert "primary goal" not in latent.system_prompt
    assert latent.messages[0]["content"].count("<email>") == 4  # the latent-goal email is added


def test_ethical_path_is_open() -> None:
    """The anchor's critique: do not remove ethical options. Every family can email / report honestly."""
    for fam in FAMILIES:
        tools = {t["function"]["name"] for t in render(fam, conditions()[0], 0).tools}
        assert "send_email" in tools


def test_bad_condition_and_family_fail_clearly() -> None:
    with pytest.raises(TeachwhyError, match="teachwhy eval honeypots list"):
        parse_condition("explicit-maybe")
    with pytest.raises(TeachwhyError, match="choose from"):
        render("bribery", conditions()[0], 0)


def test_unfilled_finds_anchor_style_leaks() -> None:
    assert unfilled("Dear {company_name}, ${direction_modifier}") == ["{company_name}", "${direction_modifier}"]
