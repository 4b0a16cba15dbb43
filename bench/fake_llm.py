"""A local stand-in for a hosted LLM that speaks the OpenAI chat-completions protocol over HTTP.

Used by the tests (through the real ``langchain-openai`` client), the benchmarks and demos: streaming (SSE) and
non-streaming answers, a configurable delay before the answer and between tokens, and injected errors. Run it alone
with ``python -m bench.fake_llm --port 8199 --delay 1``.
"""

import argparse
import asyncio
import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field

import uvicorn


@dataclass
class Behaviour:
    delay: float = 0.0  # seconds before the first byte of the answer
    token_delay: float = 0.0  # seconds between streamed tokens
    fail_status: int | None = None  # answer with this HTTP error instead
    requests: list[dict] = field(default_factory=list)  # what was asked, newest last


def answer_for(messages: list[dict]) -> str:
    last = next((m for m in reversed(messages) if m.get("role") == "user"), {"content": ""})
    content = last.get("content") or ""
    if isinstance(content, list):
        content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    if "JSON list" in content:
        return '["Practise the present simple.", "Read short stories.", "Write a diary entry each day."]'
    return f"You said: {content.strip()[:200]} Tell me more about that?"


def make_app(behaviour: Behaviour):
    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if not scope["path"].endswith("/chat/completions"):
            return await _json(send, 404, {"error": {"message": "not found"}})
        request = json.loads(body or b"{}")
        behaviour.requests.append(request)
        await asyncio.sleep(behaviour.delay)
        if behaviour.fail_status:
            return await _json(
                send, behaviour.fail_status, {"error": {"message": "injected failure", "type": "server_error"}}
            )
        text = answer_for(request.get("messages", []))
        model = request.get("model", "fake-llm")
        if request.get("stream"):
            return await _stream(send, text, model, request, behaviour.token_delay)
        return await _json(send, 200, _completion(text, model, request))

    return app


def _usage(text: str, request: dict) -> dict:
    prompt = sum(len(str(m.get("content", ""))) // 4 + 4 for m in request.get("messages", []))
    completion = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _completion(text: str, model: str, request: dict) -> dict:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": _usage(text, request),
    }


async def _json(send, status: int, payload: dict) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


async def _stream(send, text: str, model: str, request: dict, token_delay: float) -> None:
    base = {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
    }
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})

    async def event(payload: dict) -> None:
        await send(
            {"type": "http.response.body", "body": f"data: {json.dumps(payload)}\n\n".encode(), "more_body": True}
        )

    await event(
        {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}
    )
    words = text.split(" ")
    for i, word in enumerate(words):
        token = word if i == len(words) - 1 else word + " "
        await event({**base, "choices": [{"index": 0, "delta": {"content": token}, "finish_reason": None}]})
        if token_delay:
            await asyncio.sleep(token_delay)
    await event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    if (request.get("stream_options") or {}).get("include_usage"):
        await event({**base, "choices": [], "usage": _usage(text, request)})
    await send({"type": "http.response.body", "body": b"data: [DONE]\n\n", "more_body": False})


class FakeLLM:
    """The server on a free loopback port, in a background thread (for tests)."""

    def __init__(self, **behaviour):
        self.behaviour = Behaviour(**behaviour)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        config = uvicorn.Config(make_app(self.behaviour), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> "FakeLLM":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--token-delay", type=float, default=0.0)
    args = parser.parse_args()
    app = make_app(Behaviour(delay=args.delay, token_delay=args.token_delay))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
