"""Log-probabilities of given token sequences: transformers (local models) and vLLM (prompt log-probs).

A scorer takes sequences that share a prefix (the instance's prompt) and returns, per sequence, the log-probability
of each requested token given everything before it. Nothing is generated and nothing is sampled: the numbers are
deterministic for a model and a dtype.

* :class:`TransformersScorer` (``embedded``, a local Hugging Face directory, a teachwhy training output with a LoRA
  adapter, merged on load, ``hf/DIR``): the shared prefix is run once (``no_grad``, KV cache kept, only its last
  logits computed), then the sequences' remainders on copies of the cache: one right-padded batch on a GPU, one
  remainder at a time on CPU (no padding to the longest).
* :class:`VLLMScorer` (``vllm/MODEL``): vLLM's ``prompt_logprobs`` (its prefix cache shares the prompt).
* Every other provider answers with a :class:`TeachwhyError`: their APIs return log-probabilities of generated
  tokens only, never of a given text.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from teachwhy._forward import cache_kwarg, takes_logits_to_keep
from teachwhy.errors import TeachwhyError

__all__ = ["Scorer", "TransformersScorer", "VLLMScorer", "common_prefix", "load_scorer"]


class Scorer(Protocol):
    """What the probe needs from a model: its tokenizer and token log-probabilities."""

    tokenizer: Any
    name: str

    def token_logprobs(self, seqs: Sequence[Sequence[int]], positions: Sequence[Sequence[int]]) -> list[list[float]]:
        """For each sequence, ``log p(seq[t] | seq[:t])`` for every ``t`` in its ``positions`` (all ``t >= 1``)."""
        ...


def common_prefix(seqs: Sequence[Sequence[int]]) -> int:
    """Length of the longest common prefix of token sequences.

    >>> common_prefix([[1, 2, 3], [1, 2, 4], [1, 2]])
    2
    """
    n = min(len(s) for s in seqs)
    k = 0
    while k < n and all(s[k] == seqs[0][k] for s in seqs):
        k += 1
    return k


class TransformersScorer:
    """A local causal LM through transformers (CPU or one GPU), float32 unless told otherwise."""

    def __init__(self, path: Path, *, dtype: str = "float32", device: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.name = str(path)
        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        torch_dtype = getattr(torch, dtype, None)
        if not isinstance(torch_dtype, torch.dtype):
            raise TeachwhyError(f"dtype: got {dtype!r}", hint="use float32, bfloat16 or float16")
        adapter = path / "adapter_config.json"
        if adapter.is_file():
            import json

            from peft import PeftModel

            base = json.loads(adapter.read_text(encoding="utf-8")).get("base_model_name_or_path")
            if not base or not Path(base).is_dir():
                raise TeachwhyError(f"adapter {path} points at base model {base!r}, which is not a local directory",
                                    hint="merge it with `teachwhy train merge` where the base exists")  # fmt: skip
            model: Any = AutoModelForCausalLM.from_pretrained(base, dtype=torch_dtype)
            # merged: the same function, one matmul per adapted layer instead of three (a prefill of the demo's batch
            # on CPU: 48.6 s unmerged, 34.9 s merged; bench/decode_cache.py)
            model = PeftModel.from_pretrained(model, str(path)).merge_and_unload()
        else:
            model = AutoModelForCausalLM.from_pretrained(str(path), dtype=torch_dtype)
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model = model.to(self.device).eval()
        self.batch_remainders = self.device != "cpu"
        """Run the remainders as one right-padded batch (GPU) or one at a time (CPU: no padding to the longest)."""
        self.pad_id = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0

    def token_logprobs(self, seqs: Sequence[Sequence[int]], positions: Sequence[Sequence[int]]) -> list[list[float]]:
        """Run the shared prefix once, then every remainder in one batch on the cached prefix."""
        import torch

        if not seqs:
            return []
        first = min(min(p) for p in positions if p) if any(positions) else 1
        cut = min(common_prefix(seqs), first)  # every scored token lies after the cut
        if cut < 1:
            raise TeachwhyError("a scored token opens the sequence: nothing to condition it on")
        dev = self.device
        rest = [list(s[cut:]) for s in seqs]
        # body position j (token seq[cut + j]) predicts token cut + j + 1: keep only the logits that are needed
        needs = [sorted({t - 1 - cut for t in pos if t > cut}) for pos in positions]
        # per sequence: body position -> row of its log-probabilities
        where: list[dict[int, int]] = [{j: k for k, j in enumerate(n)} for n in needs]
        logp: list[Any] = [None] * len(seqs)
        with torch.no_grad():
            out = self._forward(torch.tensor([list(seqs[0][:cut])], device=dev), None, 1, use_cache=True)
            last = torch.log_softmax(out.logits[0, -1].float(), dim=-1)  # predicts token `cut`
            if any(needs) and not self.batch_remainders:
                # one remainder at a time on a copy of the prefix cache: no padding to the longest remainder (a
                # framing script that reads a long log is ~10x its ethical twin), and a CPU gains nothing from the batch
                todo = [i for i, n in enumerate(needs) if n]
                for i in todo:
                    cache = out.past_key_values if i == todo[-1] else copy.deepcopy(out.past_key_values)
                    body_i = torch.tensor([rest[i][: needs[i][-1] + 1]], device=dev)
                    logits = self._forward(body_i, cache, torch.tensor(needs[i], device=dev), use_cache=False).logits
                    logp[i] = torch.log_softmax(logits[0].float(), dim=-1)
            elif any(needs):
                need = sorted(set().union(*needs))
                width = need[-1] + 1
                body = [(r + [self.pad_id] * width)[:width] for r in rest]  # right-padded: pads attend to nothing
                cache = out.past_key_values
                if len(seqs) > 1:
                    cache.batch_repeat_interleave(len(seqs))
                keep = torch.tensor(need, device=dev)
                logits = self._forward(torch.tensor(body, device=dev), cache, keep, use_cache=False).logits
                batch = torch.log_softmax(logits.float(), dim=-1)
                common = {j: k for k, j in enumerate(need)}
                where = [common] * len(seqs)
                logp = [batch[i] for i in range(len(seqs))]
        rows: list[list[float]] = []
        for i, (s, pos) in enumerate(zip(seqs, positions, strict=True)):
            row = []
            for t in pos:
                if t == cut:
                    row.append(float(last[s[t]]))
                else:
                    row.append(float(logp[i][where[i][t - 1 - cut], s[t]]))
            rows.append(row)
        return rows

    def _forward(self, ids: Any, cache: Any, keep: Any, *, use_cache: bool) -> Any:
        kw = {cache_kwarg(self.model): cache}
        if takes_logits_to_keep(self.model):
            return self.model(input_ids=ids, use_cache=use_cache, logits_to_keep=keep, **kw)
        out = self.model(input_ids=ids, use_cache=use_cache, **kw)  # every position's logits: keep the asked ones
        out.logits = out.logits[:, keep if not isinstance(keep, int) else slice(-keep, None)]
        return out


class VLLMScorer:
    """A model served by vLLM in this process; log-probabilities from ``SamplingParams(prompt_logprobs=0)``."""

    def __init__(self, model: str, **engine_args: Any) -> None:
        try:
            from vllm import LLM
        except ImportError:
            raise TeachwhyError("vllm/ models need the vllm package, which is not installed",
                                hint="install vllm on a GPU machine (`pip install vllm`), or score a local copy "
                                "with --model DIR (transformers)") from None  # fmt: skip
        self.name = f"vllm/{model}"
        self.llm = LLM(model=model, **engine_args)
        self.tokenizer = self.llm.get_tokenizer()

    def token_logprobs(self, seqs: Sequence[Sequence[int]], positions: Sequence[Sequence[int]]) -> list[list[float]]:
        """One request per sequence (vLLM caches the shared prefix); each prompt token's own log-probability."""
        from vllm import SamplingParams
        from vllm.inputs import TokensPrompt

        params = SamplingParams(max_tokens=1, prompt_logprobs=0, temperature=0.0)
        outs = self.llm.generate([TokensPrompt(prompt_token_ids=list(s)) for s in seqs], params, use_tqdm=False)
        rows = []
        for s, pos, o in zip(seqs, positions, outs, strict=True):
            lps = o.prompt_logprobs or []
            row = []
            for t in pos:
                entry = lps[t] if t < len(lps) else None
                if not entry or s[t] not in entry:
                    raise TeachwhyError(f"vLLM returned no log-probability for prompt token {t}")
                row.append(float(entry[s[t]].logprob))
            rows.append(row)
        return rows


_NO_PROMPT_LOGPROBS = ("anthropic", "openai", "openai-api", "google", "vertex", "bedrock", "azureai", "mistral",
                       "grok", "groq", "together", "fireworks", "openrouter", "deepseek", "perplexity", "sambanova",
                       "cloudflare", "goodfire", "ollama", "llama-cpp-python", "sglang", "mockllm", "none")  # fmt: skip


def load_scorer(spec: str, *, dtype: str = "float32", device: str | None = None) -> Scorer:
    """The scorer for a model spec: local weights via transformers, ``vllm/…`` via vLLM; a clear error for every
    provider that cannot return the log-probability of a given text."""
    from teachwhy.models import resolve_model

    spec = spec.strip()
    if spec.startswith("vllm/"):
        return VLLMScorer(spec.removeprefix("vllm/"))
    resolved = resolve_model(spec)
    if resolved.name.startswith("hf/"):
        path = Path(resolved.name.removeprefix("hf/")).expanduser()
        if not path.is_dir():
            raise TeachwhyError(f"hf/ model {path} is not a local directory",
                                hint="download it once and pass the directory: --model DIR")  # fmt: skip
        return TransformersScorer(path, dtype=dtype, device=device)
    provider = spec.split("/", 1)[0]
    why = "its API returns log-probabilities of generated tokens only, not of a given text"
    if provider not in _NO_PROMPT_LOGPROBS:
        why = "teachwhy cannot read prompt log-probabilities from this provider"
    raise TeachwhyError(
        f"propensity probes need the log-probability the model assigns to a given action; {provider}: {why}",
        hint="score a local copy of the weights (--model DIR, or embedded) or serve it with vLLM (--model "
        "vllm/MODEL); for API models use the generation-based suite: teachwhy eval honeypots --model " + spec,
    )
