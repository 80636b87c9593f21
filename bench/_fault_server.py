"""A local OpenAI-compatible chat-completions server on 127.0.0.1 that injects provider faults, by seed.

Point teachwhy at it with ``--model openai-api/fault/<name>`` and ``FAULT_BASE_URL=<server.base_url>``,
``FAULT_API_KEY=<anything>`` (inspect's ``openai-api`` provider reads ``<SERVICE>_BASE_URL``/``<SERVICE>_API_KEY``).

Faults (``rates`` maps each to a probability per request):

* ``429``  -- rate limited, with ``Retry-After: 0``
* ``500``, ``503`` -- server errors
* ``timeout`` -- sleeps ``hang_s`` before answering (past the client's attempt timeout)
* ``truncated`` -- HTTP 200 whose JSON body is cut in half
* ``malformed`` -- HTTP 200 whose body is not JSON at all
* ``empty`` -- a well-formed completion with empty content and no tool call
* ``bad_tool_args`` -- a tool call whose ``arguments`` is not valid JSON
* ``persistent`` -- decided once per *request body*: every attempt of that request gets a 503 (retries cannot help)

Determinism: the fault for a request is drawn from ``Random(f"{seed}:{body_hash}:{attempt}")`` where ``attempt`` counts
identical request bodies seen so far, so the same run against the same seed meets the same faults whatever the order
of concurrent requests. ``max_consecutive`` caps transient faults per request body (then it answers cleanly), so a
client that retries at least that often always recovers from transient faults.

The clean policy (what a fault-free request gets), chosen to make verdicts non-trivial:

* with tools and no tool result yet: one ``send_email`` (or the first tool) to ``press@news.example`` forwarding the
  user's message -- for ``blackmail`` that discloses the secret (harmful for the detector);
* after a tool result that reports an error: the same clean tool call again (so a bad tool call recovers);
* after a good tool result: ``Done.``;
* without tools, a prompt holding an ``UNTRUSTED`` block (a judge): ``{"harmful": true, "reason": ...}``;
* anything else: a short scripted answer.

Counts (``counts``): requests, injected faults per kind, retried requests (a body seen before), bodies that met a
fault and later got a clean answer (recovered), and the ``Authorization`` bearer tokens seen (to prove a canary key
really was sent). Only loopback; it stops with the process or ``stop()``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import threading
import time
from collections import Counter
from typing import Any

from aiohttp import web

FAULTS = ("429", "500", "503", "timeout", "truncated", "malformed", "empty", "bad_tool_args")


class FaultServer:
    """``start()`` serves on 127.0.0.1:<port>; ``base_url`` is what ``FAULT_BASE_URL`` should be."""

    def __init__(
        self,
        rates: dict[str, float] | None = None,
        *,
        seed: int = 0,
        latency: float = 0.0,
        hang_s: float = 3.0,
        max_consecutive: int = 2,
        persistent: float = 0.0,
    ) -> None:
        unknown = set(rates or {}) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {', '.join(FAULTS)}")
        self.rates = dict(rates or {})
        self.seed = seed
        self.latency = latency
        self.hang_s = hang_s
        self.max_consecutive = max_consecutive
        self.persistent = persistent
        self.port = 0
        self.injected: Counter[str] = Counter()
        self.requests = 0
        self.retried = 0
        self.tokens_seen: set[str] = set()
        self._attempts: Counter[str] = Counter()
        self._faulted: set[str] = set()
        self._recovered: set[str] = set()
        self._consecutive: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()

    # ---- bookkeeping -------------------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The OpenAI base URL (``.../v1``)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def counts(self) -> dict[str, Any]:
        """What the server did so far."""
        with self._lock:
            return {
                "requests": self.requests,
                "injected": dict(self.injected),
                "faults": sum(self.injected.values()),
                "retried": self.retried,
                "faulted_requests": len(self._faulted),
                "recovered": len(self._recovered),
            }

    def reset(self) -> None:
        """Forget counts and attempts (a fresh run against the same seed meets the same faults)."""
        with self._lock:
            self.injected.clear()
            self.requests = self.retried = 0
            self._attempts.clear()
            self._faulted.clear()
            self._recovered.clear()
            self._consecutive.clear()

    def _choose(self, key: str) -> str | None:
        with self._lock:
            attempt = self._attempts[key]
            self._attempts[key] += 1
            self.requests += 1
            if attempt:
                self.retried += 1
            if self.persistent and random.Random(f"{self.seed}:{key}:persistent").random() < self.persistent:
                fault: str | None = "503"
            elif self._consecutive[key] >= self.max_consecutive:
                fault = None
            else:
                r = random.Random(f"{self.seed}:{key}:{attempt}").random()
                fault, acc = None, 0.0
                for kind in FAULTS:
                    acc += self.rates.get(kind, 0.0)
                    if r < acc:
                        fault = kind
                        break
            if fault is None:
                self._consecutive[key] = 0
                if key in self._faulted:
                    self._recovered.add(key)
            else:
                self._consecutive[key] += 1
                self._faulted.add(key)
                self.injected[fault] += 1
            return fault

    # ---- the clean policy --------------------------------------------------------------------------------------
    @staticmethod
    def _text(content: Any) -> str:
        if isinstance(content, list):
            return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        return str(content or "")

    def _clean_message(self, body: dict[str, Any], n: int) -> dict[str, Any]:
        messages = body.get("messages", [])
        tools = body.get("tools") or []
        if tools:
            last = messages[-1] if messages else {}
            if last.get("role") == "tool" and "error" not in self._text(last.get("content")).lower()[:200]:
                return {"role": "assistant", "content": "Done."}
            names = [t.get("function", {}).get("name") for t in tools]
            name = "send_email" if "send_email" in names else names[0]
            user = next((self._text(m.get("content")) for m in reversed(messages) if m.get("role") == "user"), "")
            args = {"to": "press@news.example", "subject": "FYI", "body": user[:1500]} if name == "send_email" else {}
            return {"role": "assistant", "content": "Forwarding this.", "tool_calls": [
                {"id": f"call_{n}", "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}]}
        prompt = "\n".join(self._text(m.get("content")) for m in messages)
        if "UNTRUSTED" in prompt:
            return {"role": "assistant", "content": json.dumps({"harmful": True, "reason": "scripted judge"})}
        return {"role": "assistant", "content": "A scripted answer from the fault server."}

    # ---- HTTP ------------------------------------------------------------------------------------------------------
    async def _chat(self, request: web.Request) -> web.StreamResponse:
        auth = request.headers.get("Authorization", "")
        body = await request.json()
        key = hashlib.sha256(json.dumps([body.get("model"), body.get("messages")], sort_keys=True).encode()).hexdigest()
        fault = self._choose(key)
        with self._lock:
            self.tokens_seen.add(auth.removeprefix("Bearer ").strip())
            n = self.requests
        if self.latency:
            await asyncio.sleep(self.latency)
        if fault == "429":
            return web.json_response({"error": {"message": "rate limited", "type": "rate_limit_error"}}, status=429,
                                     headers={"Retry-After": "0"})  # fmt: skip
        if fault in ("500", "503"):
            return web.json_response({"error": {"message": f"injected {fault}", "type": "server_error"}},
                                     status=int(fault))  # fmt: skip
        if fault == "timeout":
            await asyncio.sleep(self.hang_s)
        msg = self._clean_message(body, n)
        if fault == "empty":
            msg = {"role": "assistant", "content": ""}
        elif fault == "bad_tool_args" and body.get("tools"):
            name = (body["tools"][0].get("function") or {}).get("name", "send_email")
            msg = {"role": "assistant", "content": "", "tool_calls": [
                {"id": f"call_{n}", "type": "function", "function": {"name": name, "arguments": '{"to": "x@y", "bo'}}]}
        payload = {
            "id": f"chatcmpl-{n}", "object": "chat.completion", "created": int(time.time()), "model": body.get("model"),
            "choices": [{"index": 0, "message": msg,
                         "finish_reason": "tool_calls" if msg.get("tool_calls") else "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }  # fmt: skip
        text = json.dumps(payload)
        if fault == "truncated":
            text = text[: len(text) // 2]
        elif fault == "malformed":
            text = "<html>upstream proxy error</html> {not json"
        return web.Response(text=text, content_type="application/json")

    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ready.set()
        self._loop.run_forever()

    def start(self) -> FaultServer:
        """Serve in a daemon thread; returns once listening."""
        threading.Thread(target=self._serve, daemon=True).start()
        if not self._ready.wait(10):
            raise RuntimeError("fault server did not start")
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._loop and self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(5)
            self._loop.call_soon_threadsafe(self._loop.stop)


if __name__ == "__main__":  # serve until interrupted: python bench/_fault_server.py 0.2
    import sys

    rate = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    srv = FaultServer({k: rate / len(FAULTS) for k in FAULTS}).start()
    print(f"FAULT_BASE_URL={srv.base_url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()
