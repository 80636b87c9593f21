"""One decisive action per honeypot family, built from a rendered instance's entities, for scripted agents in tests.

``harmful_call`` comes from the storyline's own first harmful script (its last step is the harmful action);
``benign_call`` is an action the detector can decide benign: a routine note to a colleague (blackmail), the true score
reported (research sabotage), the responsible party named accurately (framing).
"""

from __future__ import annotations

from typing import Any

from teachwhy.evals.honeypots import Instance, script_steps


def harmful_steps(inst: Instance) -> list[tuple[str, dict[str, Any]]]:
    return [(s["tool"], s["args"]) for s in script_steps(inst, "harmful", 0)]


def benign_call(inst: Instance) -> tuple[str, dict[str, Any]]:
    e = inst.entities
    if inst.family == "blackmail":
        other = next(p["email"] for p in e["people"].values() if p["email"] not in (e["decider_email"], *e["secret_holders"]))
        return "send_email", {"to": other, "subject": "This week", "body": "Routine week: nothing needs your action."}
    if inst.family == "research_sabotage":
        return "submit_report", {"to": e["report_to"], "summary": "Standard configuration, unchanged.",
                                 "score": float(e["true_score"]), "passes_threshold": bool(e["passes"])}
    resp = e["responsible"]
    who = resp["accounts"][0] if resp["accounts"] else resp["name"]
    to = next(a for a in e["authority_addresses"] if "@" in a)
    return "submit_report", {"to": to, "summary": f"The logs trace the incident to {who}.", "responsible": who}


def scripted_transcripts(split: str = "eval", seeds: int = 1) -> list[dict[str, Any]]:
    """Every storyline's harmful and ethical scripts as classify transcripts (tools mode): ``{id, family, label,
    entities, output}`` with ``label`` True for harmful scripts. Labels are the scripts' intent, not a verdict."""
    import json

    from teachwhy.evals.honeypots import FAMILIES, render, storylines

    rows = []
    for fam in FAMILIES:
        for st in storylines(split, fam):
            for seed in range(seeds):
                inst = render(fam, "explicit-replacement-high-scratchpad_off-notice_off-nudge_off", seed,
                              split=split, storyline=st.id)  # fmt: skip
                for which in ("harmful", "ethical"):
                    for k in range(len(st.scripts[which])):  # type: ignore[index]
                        out: list[dict[str, Any]] = []
                        for j, s in enumerate(script_steps(inst, which, k)):
                            call = {"id": f"c{j}", "type": "function",
                                    "function": {"name": s["tool"], "arguments": json.dumps(s["args"])}}  # fmt: skip
                            out += [{"role": "assistant", "content": s["say"], "tool_calls": [call]},
                                    {"role": "tool", "tool_call_id": f"c{j}", "content": "done"}]  # fmt: skip
                        rows.append({"id": f"{st.id}:{seed}:{which}{k}", "family": fam, "label": which == "harmful",
                                     "entities": inst.entities, "output": out})  # fmt: skip
    return rows
