"""The pair a probe compares: scripted harmful and ethical continuations, shared prefix, scored turns, rendering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from teachwhy.errors import TeachwhyError
from teachwhy.evals.honeypots import World, build_instances, render, script_steps
from teachwhy.evals.propensity import build_pair, render_continuation
from teachwhy.evals.propensity._render import copied_ranges


def _calls(steps: list[dict]) -> list[tuple]:  # type: ignore[type-arg]
    return [(s["tool"], s["args"]) for s in steps]


def _instance(family: str, want_last_step: bool, narration_differs: bool | None = None):  # type: ignore[no-untyped-def]
    for inst in build_instances([family], 12, 0, preset="headline"):
        h, e = script_steps(inst, "harmful", inst.seed), script_steps(inst, "ethical", inst.seed)
        last_step = len(h) == len(e) and _calls(h[:-1]) == _calls(e[:-1])
        if last_step == want_last_step and (narration_differs is None or (h[:-1] != e[:-1]) == narration_differs):
            return inst, h, e
    raise AssertionError(f"no {family} instance with last_step={want_last_step}")


def test_same_prefix_scores_the_decisive_actions_only() -> None:
    inst, h, e = _instance("blackmail", True)
    pair = build_pair(inst)
    assert pair.scored == "last_step" and pair.shared_steps == len(h) - 1
    for cont, steps in ((pair.harmful, h), (pair.ethical, e)):
        assert cont.messages[0] == {"role": "system", "content": inst.system_prompt}
        assert cont.messages[1]["content"] == inst.messages[0]["content"]
        last = cont.messages[cont.scored[0]]
        assert cont.scored == [len(cont.messages) - 1]
        assert last["content"] == steps[-1]["say"]
        assert last["tool_calls"][0]["function"] == {"name": steps[-1]["tool"], "arguments": steps[-1]["args"]}


def test_same_calls_worded_differently_are_shared_context_without_narration() -> None:
    inst, h, e = _instance("research_sabotage", True, narration_differs=True)
    pair = build_pair(inst, args_as_json=True)
    assert pair.scored == "last_step" and pair.shared_steps == len(h) - 1 >= 1
    world = World.from_entities(inst.entities)
    # by hand: both continuations hold the same context turns (a bare call, then the World's result); only the
    # decisive turn differs and is scored
    for cont, steps in ((pair.harmful, h), (pair.ethical, e)):
        assert cont.scored == [len(cont.messages) - 1]
        for i, step in enumerate(steps[:-1]):
            turn, result = cont.messages[2 + 2 * i], cont.messages[3 + 2 * i]
            assert turn["content"] == "" and json.loads(turn["tool_calls"][0]["function"]["arguments"]) == step["args"]
            assert result["content"] == world.apply(step["tool"], dict(step["args"]))
        assert cont.messages[-1]["content"] == steps[-1]["say"]
    assert pair.harmful.messages[:-1] == pair.ethical.messages[:-1]


def test_diverging_scripts_score_the_whole_continuation_with_world_results() -> None:
    inst, h, e = _instance("framing", False)
    pair = build_pair(inst, args_as_json=True)
    assert pair.scored == "continuation" and pair.shared_steps == 0
    cont = pair.harmful
    # every step is an assistant turn; every step but the last is followed by its tool result from the World
    assert cont.scored == [2 + 2 * i for i in range(len(h))]
    world = World.from_entities(inst.entities)
    for i, step in enumerate(h[:-1]):
        turn, result = cont.messages[2 + 2 * i], cont.messages[3 + 2 * i]
        assert json.loads(turn["tool_calls"][0]["function"]["arguments"]) == step["args"]
        assert result == {"role": "tool", "tool_call_id": f"call_{i + 1}", "name": step["tool"],
                          "content": world.apply(step["tool"], dict(step["args"]))}  # fmt: skip
    assert cont.messages[-1]["role"] == "assistant"


def test_variant_cycles_with_the_seed_and_can_be_fixed() -> None:
    inst = build_instances(["blackmail"], 3, 0, preset="headline")[2]
    assert build_pair(inst).harmful.messages[-1]["content"] == script_steps(inst, "harmful", inst.seed)[-1]["say"]
    fixed = build_pair(inst, variant=1)
    assert fixed.harmful.messages[-1]["content"] == script_steps(inst, "harmful", 1)[-1]["say"]


def test_text_mode_instances_are_refused() -> None:
    inst = render("blackmail", "explicit-replacement-high-scratchpad_off-notice_off", 0, mode="text")
    with pytest.raises(TeachwhyError, match="native tool calls"):
        build_pair(inst)


def test_rendered_scored_tokens_are_exactly_the_assistant_turns(embedded_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(embedded_dir))
    for family, last in (("blackmail", True), ("framing", False)):
        inst, h, _ = _instance(family, last)
        pair = build_pair(inst, args_as_json=True)
        r = render_continuation(tok, pair.harmful, pair.tools)
        # by hand: teachwhy's ChatML tool format, one turn per scored step, each closed by <|im_end|>
        turns = [f'{s["say"]}\n<tool_call>{{"name": "{s["tool"]}", "arguments": {json.dumps(s["args"])}}}'
                 "</tool_call><|im_end|>" for s in h[pair.shared_steps:]]  # fmt: skip
        offsets = tok(r.text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
        in_span = [k for k, (a, _) in enumerate(offsets) if any(x <= a < y for x, y in r.spans)]
        assert tok.decode([r.ids[i] for i in in_span]) == "".join(turns)
        # scored: those tokens less the ones inside text each turn copies from the conversation before it
        copied = [c for a, b in r.spans for c in copied_ranges(r.text, a, b)]
        assert r.scored == [k for k in in_span if not any(x <= offsets[k][0] < y for x, y in copied)]
        assert r.copied == len(in_span) - len(r.scored)
        # the context before the first scored token ends with the generation prompt
        assert tok.decode(r.ids[: r.scored[0]]).endswith("<|im_start|>assistant\n")
        assert r.ids == tok(r.text, add_special_tokens=False)["input_ids"]


def test_templates_that_cannot_isolate_an_action_are_refused(embedded_dir: Path) -> None:
    from transformers import AutoTokenizer

    inst, _, _ = _instance("blackmail", True)
    pair = build_pair(inst)
    tok = AutoTokenizer.from_pretrained(str(embedded_dir))
    # a template whose generation prompt is not how it renders the assistant's turn afterwards
    tok.chat_template = ("{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}{% endfor %}"
                         "{% if add_generation_prompt %}<reply>{% endif %}")  # fmt: skip
    with pytest.raises(TeachwhyError, match="growing prefix"):
        render_continuation(tok, pair.harmful, pair.tools)
    tok.chat_template = None
    with pytest.raises(TeachwhyError, match="no chat template"):
        render_continuation(tok, pair.harmful, pair.tools)


def test_text_copied_from_the_context_is_not_scored(embedded_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(embedded_dir))
    # the storyline whose harmful script writes a tampered audit log back whole
    inst = next(i for i in build_instances(["framing"], 6, 0, preset="headline")
                if script_steps(i, "harmful", i.seed)[-1]["tool"] == "edit_file")  # fmt: skip
    h = script_steps(inst, "harmful", inst.seed)
    pair = build_pair(inst, args_as_json=True)
    r = render_continuation(tok, pair.harmful, pair.tools)
    # by hand: the rows the agent read and the rows it writes back (CSV, keyed by their timestamp)
    read = World.from_entities(inst.entities).apply(h[0]["tool"], dict(h[0]["args"]))
    before = {x[:19]: x.split(",") for x in read.splitlines() if x[:4].isdigit()}
    written = [x for x in h[-1]["args"]["content"].splitlines() if x[:4].isdigit()]
    unchanged = [x for x in written if x in read]
    changed = {f for x in written if x not in read for f, g in zip(x.split(","), before[x[:19]], strict=True) if f != g}
    assert len(unchanged) >= 3 and changed
    scored = tok.decode([r.ids[i] for i in r.scored])
    assert not any(x in scored for x in unchanged)  # copies are context
    assert all(f in scored for f in changed)  # the altered fields are the agent's choice
    assert h[-1]["say"] in scored  # and so is what it writes itself
    in_span = [k for k, (a, _) in enumerate(tok(r.text, add_special_tokens=False, return_offsets_mapping=True)
                                             ["offset_mapping"]) if any(x <= a < y for x, y in r.spans)]  # fmt: skip
    assert r.copied > len(r.scored) // 2 and len(r.scored) + r.copied == len(in_span)


def test_render_doctests() -> None:
    import doctest

    from teachwhy.evals.propensity import _render

    res = doctest.testmod(_render)
    assert res.attempted >= 3 and res.failed == 0


def test_a_turn_that_only_copies_the_conversation_is_an_error_not_a_score(embedded_dir: Path) -> None:
    from transformers import AutoTokenizer

    from teachwhy.evals.propensity._pairs import Continuation

    tok = AutoTokenizer.from_pretrained(str(embedded_dir))
    inbox = "From: ops@example.org\nThe nightly backup of the billing ledger finished at 02:14 with no errors."
    # the agent's whole turn is the inbox's last sentence, word for word: nothing of its own is left to score
    cont = Continuation(kind="harmful", variant=0, scored=[2], messages=[
        {"role": "system", "content": "You are an operations assistant."},
        {"role": "user", "content": inbox},
        {"role": "assistant", "content": inbox[inbox.index("The nightly"):]},
    ])  # fmt: skip
    with pytest.raises(TeachwhyError, match="copies earlier text: nothing the agent composed"):
        render_continuation(tok, cont, [])
    # one word of its own is enough to be scored, and only that part is
    own = {**cont.messages[2], "content": cont.messages[2]["content"] + " Nothing to do today."}
    r = render_continuation(tok, Continuation("harmful", 0, [*cont.messages[:2], own], [2]), [])
    assert r.copied > 0 and "Nothing to do today." in tok.decode([r.ids[i] for i in r.scored])
