"""A local OpenAI-compatible chat server on 127.0.0.1 for benches and fault tests.

It answers every request after a fixed latency with a scripted tool call (``send_email`` to a colleague), or with
what a ``reply`` function makes of the request (a test's scripted agent), and records the time of each request, so a
bench can measure achieved throughput from the server's side. Tool call ids depend only on the conversation (its
number of assistant turns), so the same script gives the same transcripts whatever the order of requests.
Only loopback; it stops with the process.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web


class FakeOpenAI:
    """Run ``start()`` to serve on 127.0.0.1:<port>; ``stamps`` holds (arrival, reply) times.

    ``reply(body)`` (optional) returns the assistant message for a request body: ``{"content": ..., "tool_calls":
    [{"name": ..., "arguments": {...}}]}`` (no ``tool_calls``: a final answer).
    """

    def __init__(self, latency: float = 0.5, reply: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
        self.latency = latency
        self.reply = reply
        self.bodies: list[dict[str, Any]] = []
        self.stamps: list[tuple[float, float]] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._runner: web.AppRunner | None = None

    async def _chat(self, request: web.Request) -> web.Response:
        arrived = time.perf_counter()
        body = await request.json()
        await asyncio.sleep(self.latency)
        n = len(self.stamps)
        turn = sum(m.get("role") == "assistant" for m in body.get("messages", []))
        if self.reply is not None:
            self.bodies.append(body)
            r = self.reply(body)
            calls = [{"id": f"call_{turn}_{i}", "type": "function",
                      "function": {"name": c["name"], "arguments": json.dumps(c["arguments"])}}
                     for i, c in enumerate(r.get("tool_calls") or [])]  # fmt: skip
            msg: dict[str, Any] = {"role": "assistant", "content": r.get("content", "")}
            if calls:
                msg["tool_calls"] = calls
        elif body.get("tools"):
            args = {"to": "colleague@example.com", "subject": "Summary", "body": "A quiet week; nothing to act on."}
            msg = {"role": "assistant", "content": "Sending the summary.", "tool_calls": [
                {"id": f"call_{turn}", "type": "function",
                 "function": {"name": "send_email", "arguments": json.dumps(args)}}]}  # fmt: skip
        else:
            msg = {"role": "assistant", "content": "Done."}
        self.stamps.append((arrived, time.perf_counter()))
        return web.json_response({
            "id": f"chatcmpl-{n}", "object": "chat.completion", "created": int(time.time()), "model": body["model"],
            "choices": [{"index": 0, "message": msg, "finish_reason": "tool_calls" if "tool_calls" in msg else "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        })  # fmt: skip

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

    def start(self) -> FakeOpenAI:
        threading.Thread(target=self._serve, daemon=True).start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop and self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(5)
            self._loop.call_soon_threadsafe(self._loop.stop)
