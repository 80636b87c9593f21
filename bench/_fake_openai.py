"""A local OpenAI-compatible chat server on 127.0.0.1 for benches and fault tests.

It answers every request after a fixed latency with a scripted tool call (``send_email`` to a colleague) and
records the time of each request, so a bench can measure achieved throughput from the server's side.
Only loopback; it stops with the process.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

from aiohttp import web


class FakeOpenAI:
    """Run ``start()`` to serve on 127.0.0.1:<port>; ``stamps`` holds (arrival, reply) times."""

    def __init__(self, latency: float = 0.5) -> None:
        self.latency = latency
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
        args = {"to": "colleague@example.com", "subject": "Summary", "body": "A quiet week; nothing to act on."}
        msg: dict[str, Any] = {"role": "assistant", "content": "Sending the summary.", "tool_calls": [
            {"id": f"call_{n}", "type": "function", "function": {"name": "send_email", "arguments": json.dumps(args)}}]}
        if not body.get("tools"):
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
