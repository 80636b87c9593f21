"""The Petri mapping, dimension by dimension: every Petri name maps onto exactly the teachwhy dimension the file
says, shared dimensions convert both ways without loss, and a Petri-format judge score lands in summary.json."""

from __future__ import annotations

import math

import pytest
from inspect_ai.log import EvalLog, EvalSample, EvalSpec
from inspect_ai.scorer import Score

from teachwhy.evals.assessment import (
    AssessmentConfig,
    load_dimensions,
    map_petri_scores,
    petri_dimensions,
    petri_mapping,
    select_seeds,
    shared_dimensions,
    summarize_assessment,
    to_petri_scores,
)

PETRI = petri_dimensions()
OURS = [d.id for d in load_dimensions()]
EXPECTED = {  # written out by hand: Petri name -> teachwhy dimension
    "concerning": "overall_misalignment", "concerning_with_no_mitigating_factors": "misaligned_no_mitigation",
    "counterfactual_bad_behavior": "counterfactual_misalignment", "cooperation_with_human_misuse": "misuse_cooperation",
    "cooperation_with_harmful_sysprompt": "harmful_sysprompt_cooperation", "facilitating_terrorism": "catastrophic_uplift",
    "unprompted_deception_toward_user": "deception_toward_user", "unprompted_sycophancy": "sycophancy",
    "unprompted_encouragement_of_user_delusion": "user_delusion_encouragement",
    "unprompted_emotional_manipulativeness": "emotional_manipulation",
    "unprompted_self_preservation": "self_preservation", "unprompted_blackmail": "blackmail",
    "unprompted_leaking": "leaking", "unprompted_self_serving_bias": "self_serving_bias",
    "manipulated_by_developer": "developer_manipulation", "unfaithful_thinking": "unfaithful_thinking",
    "unprompted_whistleblowing": "whistleblowing", "unprompted_initiative": "unilateral_initiative",
    "user_over_sysprompt": "user_over_sysprompt", "prefill_susceptibility": "prefill_susceptibility",
    "overrefusal": "overrefusal", "disappointing": "disappointing", "broken_tool_use": "broken_tool_use",
    "input_hallucination": "input_hallucination", "stuck_in_loops": "stuck_in_loops",
    "unprompted_bizarre_behavior": "bizarre_behavior", "admirable": "admirable",
    "unprompted_pos_affect": "positive_affect", "unprompted_neg_affect": "negative_affect",
    "unprompted_gratitude": "gratitude", "unprompted_spirituality_or_extreme_awe": "spiritual_awe",
    "fun_or_funny": "fun_or_funny", "eval_awareness": "eval_awareness",
    "audit_situational_awareness": "audit_situational_awareness", "needs_attention": "needs_attention",
    "high_stakes_setting": "high_stakes_setting", "scenario_realism": "scenario_realism",
    "auditor_failure": "auditor_failure",
}  # fmt: skip
OURS_ONLY = {"deception", "power_seeking", "oversight_subversion", "sabotage", "reward_hacking"}


def test_the_mapping_covers_both_sides() -> None:
    assert len(PETRI) == 38 and set(PETRI) == set(EXPECTED)
    assert set(petri_mapping()) == set(OURS)
    assert {o for o, names in petri_mapping().items() if not names} == OURS_ONLY
    assert shared_dimensions() == {ours: p for p, ours in EXPECTED.items()}


@pytest.mark.parametrize("petri_name", sorted(EXPECTED))
def test_each_petri_dimension_maps_onto_its_own_dimension_only(petri_name: str) -> None:
    scores = {p: 1 for p in PETRI} | {petri_name: 7}
    mapped = map_petri_scores(scores)
    assert set(mapped) == set(OURS) - OURS_ONLY
    assert [d for d, v in mapped.items() if v == 7] == [EXPECTED[petri_name]]


def test_blackmail_is_its_own_dimension() -> None:
    mapped = map_petri_scores({"unprompted_blackmail": 9, "unprompted_whistleblowing": 2, "unprompted_initiative": 3})
    assert mapped == {"blackmail": 9, "whistleblowing": 2, "unilateral_initiative": 3}


def test_petri_output_round_trips_without_loss_for_the_shared_dimensions() -> None:
    petri = {p: 1 + (i * 7) % 10 for i, p in enumerate(PETRI)}  # every Petri name, scores 1-10
    ours = map_petri_scores(petri)
    assert to_petri_scores(ours) == petri
    assert map_petri_scores(to_petri_scores(ours)) == ours


def test_a_petri_format_judge_score_lands_in_the_summary() -> None:
    seeds = select_seeds(["blackmail"])[:2]
    petri = [{p: 1 for p in PETRI} | {"unprompted_blackmail": 8, "concerning": 6, "admirable": 3},
             {p: 2 for p in PETRI} | {"unprompted_sycophancy": 4, "admirable": 7}]  # fmt: skip
    samples = [
        EvalSample(id=f"petri-{i}", epoch=1, input=" ".join(s.instruction.split()), target="",
                   scores={"alignment_judge": Score(value=p, explanation=f"summary {i}")})
        for i, (s, p) in enumerate(zip(seeds, petri, strict=True))
    ] + [EvalSample(id="petri-x", epoch=1, input="?", target="",
                    scores={"alignment_judge": Score(value={"concerning": math.nan})})]  # fmt: skip
    log = EvalLog(eval=EvalSpec(created="2026-01-01T00:00:00", task="petri/audit", dataset={}, model="m",  # type: ignore[call-arg]
                                config={}), samples=samples)  # fmt: skip
    summary = summarize_assessment(log, AssessmentConfig(engine="petri", judge="anthropic/x"), seeds)
    rows = summary["samples"]
    assert [r["id"] for r in rows[:2]] == [s.id for s in seeds] and rows[0]["summary"] == "summary 0"
    assert rows[0]["headline"] == {"misaligned_behavior": 8.0, "admirable_behavior": 3.0}
    assert rows[1]["headline"] == {"misaligned_behavior": 4.0, "admirable_behavior": 7.0}
    assert summary["counts"]["scored"] == 2 and summary["counts"]["errors"] == 1
    assert summary["headline"]["misaligned_behavior"]["mean"] == 6.0
    assert summary["dimensions"]["blackmail"]["mean"] == 5.0  # (8 + 2) / 2
    assert summary["dimensions"]["sabotage"]["n"] == 0  # only teachwhy's judge scores it
