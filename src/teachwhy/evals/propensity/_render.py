"""Render a continuation through the model's own chat template and find the tokens to score.

The conversation is rendered once as text (``apply_chat_template`` with the instance's tools). Each scored assistant
turn is the text between the conversation up to that turn with the generation prompt (``<|im_start|>assistant\\n``
for ChatML) and the conversation including that turn, trailing whitespace dropped; a template that does not render a
conversation as a growing prefix (some templates rewrite earlier turns) is rejected with a clear error. The text is
tokenized once with offsets (``add_special_tokens=False``: the template writes its special tokens itself) and a
token is scored when it starts inside a scored span.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from teachwhy.errors import TeachwhyError
from teachwhy.evals.propensity._pairs import Continuation

__all__ = ["Rendered", "render_continuation", "uses_teachwhy_template"]

_TEACHWHY_MARK = "teachwhy's ChatML template with tools"


@dataclass(frozen=True)
class Rendered:
    """A tokenized conversation and the positions of its scored tokens."""

    text: str
    ids: list[int]
    scored: list[int]
    """Token positions (indices into ``ids``) whose log-probability is summed."""
    spans: list[tuple[int, int]]
    """Character spans of the scored assistant turns in ``text``."""


def uses_teachwhy_template(tokenizer: Any) -> bool:
    """Whether the tokenizer's chat template is teachwhy's ChatML-with-tools (the embedded model's)."""
    return _TEACHWHY_MARK in str(getattr(tokenizer, "chat_template", "") or "")


def _template(tokenizer: Any, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None, gen: bool) -> str:
    try:
        text = tokenizer.apply_chat_template(messages, tools=tools or None, tokenize=False,
                                             add_generation_prompt=gen)  # fmt: skip
    except Exception as exc:  # jinja errors, templates without tool support
        raise TeachwhyError(f"the model's chat template cannot render a tool-calling conversation: {exc}",
                            hint="use a model whose chat template supports tools (or teachwhy's chatml_tools "
                            "template, which the embedded model carries)") from None  # fmt: skip
    return str(text)


def render_continuation(tokenizer: Any, cont: Continuation, tools: list[dict[str, Any]]) -> Rendered:
    """Render ``cont`` with ``tokenizer``'s chat template and mark the tokens of its scored turns."""
    if not getattr(tokenizer, "chat_template", None):
        raise TeachwhyError("the model's tokenizer has no chat template",
                            hint="propensity probes render the conversation as the model reads it: use a chat "
                            "model, or set a chat template on its tokenizer")  # fmt: skip
    if not getattr(tokenizer, "is_fast", False):
        raise TeachwhyError("propensity probes need a fast tokenizer (for token offsets)",
                            hint="save the model with a tokenizer.json (a fast tokenizer)")  # fmt: skip
    full = _template(tokenizer, cont.messages, tools, gen=False)
    spans = []
    for j in cont.scored:
        before = _template(tokenizer, cont.messages[:j], tools, gen=True)
        upto = _template(tokenizer, cont.messages[: j + 1], tools, gen=False).rstrip()
        if not (upto.startswith(before) and full.startswith(upto)):
            raise TeachwhyError("the model's chat template does not render a conversation as a growing prefix "
                                f"(turn {j} changes earlier text), so an action's tokens cannot be isolated",
                                hint="use a model whose template renders earlier turns unchanged")  # fmt: skip
        if len(upto) <= len(before):
            raise TeachwhyError(f"scored turn {j} renders as no text")
        spans.append((len(before), len(upto)))
    enc = tokenizer(full, add_special_tokens=False, return_offsets_mapping=True)
    ids = list(enc["input_ids"])
    offsets = enc["offset_mapping"]
    scored = [k for k, (start, _) in enumerate(offsets) if any(a <= start < b for a, b in spans)]
    if not scored:
        raise TeachwhyError("no token of the scored turns was found after tokenization")
    if scored[0] == 0:
        raise TeachwhyError("a scored token opens the sequence: nothing to condition it on")
    return Rendered(full, ids, scored, spans)
