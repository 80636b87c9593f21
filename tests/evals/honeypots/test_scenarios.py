"""The storyline library and its rendering: size, split, determinism, axes, presets and the realism lint."""

from __future__ import annotations

import itertools
import re

import pytest

from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots import (
    FAMILIES,
    build_instances,
    conditions,
    is_headline,
    parse_condition,
    render,
    select_conditions,
    storylines,
    unfilled,
)
from teachwhy.evals.honeypots._realism import lint, varying

HEADLINE = "explicit-replacement-high-scratchpad_off-notice_off-nudge_off"


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("split", ["eval", "train"])
def test_library_has_six_storylines_per_split(family: str, split: str) -> None:
    sts = storylines(split, family)
    assert len(sts) >= 6, f"{split}/{family}: {len(sts)} storylines"
    assert len({s.opportunity for s in sts}) >= 2, "storylines vary the opportunity"
    for st in sts:
        n = len(st.messages) + min(len(v) for v in st.threats.values())
        assert n >= 10, f"{st.id}: {n} workspace messages"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def _grams(texts: list[str], n: int = 8) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for t in texts:
        w = _words(t)
        out |= {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}
    return out


@pytest.mark.parametrize("family", FAMILIES)
def test_train_and_eval_storylines_are_disjoint_but_share_tools(family: str) -> None:
    ev, tr = storylines("eval", family), storylines("train", family)
    assert not {s.organization.name for s in ev} & {s.organization.name for s in tr}
    assert not {s.organization.domain for s in ev} & {s.organization.domain for s in tr}
    assert not {s.id for s in ev} & {s.id for s in tr}
    texts = lambda sts: [m.body for s in sts for m in s.messages]  # noqa: E731
    shared = _grams(texts(ev)) & _grams(texts(tr))
    assert len(shared) <= 5, f"{len(shared)} shared 8-grams, e.g. {sorted(shared)[:3]}"
    e = render(family, HEADLINE, 0, split="eval")
    t = render(family, HEADLINE, 0, split="train")
    assert [x["function"]["name"] for x in e.tools] == [x["function"]["name"] for x in t.tools]


def test_conditions_nudge_axis_presets_and_headline() -> None:
    conds = conditions()
    assert len(conds) == 4 * 3 * 2 * 2 * 2 * 2
    assert parse_condition("explicit-replacement-high-scratchpad_off-notice_off").nudge == "off"  # old ids still parse
    head = select_conditions(preset="headline")
    assert head and all(is_headline(c.id) for c in head) and len(head) == 2 * 2 * 2
    controls = select_conditions(preset="controls")
    assert all((c.goal == "none" or c.threat == "none") and c.notice == "off" for c in controls)
    assert not any(is_headline(c.id) for c in controls)
    insts = build_instances(list(FAMILIES), 6, 0, preset="headline")
    assert len(insts) == 18 and all(is_headline(i.condition) for i in insts)
    assert len({i.storyline for i in insts if i.family == "blackmail"}) == 6, "samples cycle through the storylines"
    with pytest.raises(TeachwhyError, match="preset"):
        select_conditions(preset="headlines")


def test_rendering_is_deterministic_and_varies_with_seed() -> None:
    st = storylines("eval", "blackmail")[0].id
    a = render("blackmail", HEADLINE, 7, storyline=st)
    assert a == render("blackmail", HEADLINE, 7, storyline=st)
    many = [render("blackmail", HEADLINE, s, storyline=st) for s in range(20)]
    assert len({i.entities["agent_name"] for i in many}) > 3
    assert varying(many, "secret_markers", at_least=10), "the secret differs across seeds"


def test_axes_change_the_prompt() -> None:
    st = storylines("eval", "research_sabotage")[0].id
    base = render("research_sabotage", HEADLINE, 1, storyline=st)
    flags = render("research_sabotage", "explicit-replacement-high-scratchpad_on-notice_on-nudge_on", 1, storyline=st)
    assert "evaluation of AI behaviour" in flags.system_prompt and "evaluation of AI behaviour" not in base.system_prompt
    assert "analyse the situation" in flags.system_prompt and "analyse the situation" not in base.system_prompt
    assert "<scratchpad>" in flags.system_prompt and "<scratchpad>" not in base.system_prompt
    none_goal = render("research_sabotage", "none-none-low-scratchpad_off-notice_off-nudge_off", 1, storyline=st)
    assert base.entities["deadline"] != none_goal.entities["deadline"]
    latent = render("research_sabotage", "latent-replacement-high-scratchpad_off-notice_off-nudge_off", 1, storyline=st)
    assert len(latent.entities["messages"]) == len(base.entities["messages"]) + 1
    text = render("research_sabotage", HEADLINE, 1, mode="text", storyline=st)
    assert text.tools == [] and "<tool_use:run_script>" in text.system_prompt


def test_bad_condition_family_and_storyline_fail_clearly() -> None:
    with pytest.raises(TeachwhyError, match="teachwhy eval honeypots list"):
        parse_condition("explicit-maybe")
    with pytest.raises(TeachwhyError, match="choose from"):
        render("bribery", conditions()[0], 0)
    with pytest.raises(TeachwhyError, match="unknown storyline"):
        render("blackmail", HEADLINE, 0, storyline="no-such-storyline")


def test_unfilled_finds_template_leaks() -> None:
    assert unfilled("Dear {company_name}, ${direction_modifier}") == ["{company_name}", "${direction_modifier}"]


_AXES = list(itertools.product(["explicit", "latent", "none", "ambiguous"], ["replacement", "restriction", "none"],
                               ["high", "low"]))  # fmt: skip


@pytest.mark.parametrize("split", ["eval", "train"])
@pytest.mark.parametrize("family", FAMILIES)
def test_realism_lint_over_every_storyline_condition_and_mode(split: str, family: str) -> None:
    """Every storyline x every goal/threat/urgency x both modes, the switches alternating all-on/all-off, one seed per
    render (48 seeds a storyline): no placeholder, example domain, stub marker, future date or unknown addressee."""
    problems: dict[str, set[str]] = {}
    for st in storylines(split, family):
        for i, ((g, t, u), mode) in enumerate(itertools.product(_AXES, ["tools", "text"])):
            sw = "on" if i % 2 else "off"
            inst = render(family, f"{g}-{t}-{u}-scratchpad_{sw}-notice_{sw}-nudge_{sw}", i, mode=mode, split=split,
                          storyline=st.id)  # fmt: skip
            found = lint(inst)
            if found:
                problems.setdefault(st.id, set()).update(found)
        heads = [render(family, HEADLINE, s, split=split, storyline=st.id) for s in range(20)]
        key = {"blackmail": "secret_markers", "research_sabotage": "true_score", "framing": "bystanders"}[family]
        if not varying(heads, key, at_least=5):
            problems.setdefault(st.id, set()).add(f"{key} barely varies across 20 seeds")
    assert not problems, problems


def test_lint_catches_each_tell() -> None:
    inst = render("blackmail", HEADLINE, 0)
    assert lint(inst) == []
    bad = inst.model_copy(deep=True)
    msgs = bad.entities["messages"]
    msgs[0]["to"] = "someone@nowhere-else.com"
    msgs[1]["time"] = "2099-01-01 09:00"
    bad.messages[0]["content"] += "\nSee ${missing} and data (1,200 rows) ... at ops@acme.example"
    kinds = {p.split(":")[0] for p in lint(bad)}
    assert kinds == {"placeholder", "example domain", "stub marker", "date after now", "addressee outside directory"}
