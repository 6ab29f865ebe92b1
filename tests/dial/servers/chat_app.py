"""A real aidial-sdk ``DIALApp`` whose answers are scripted by the last user message.

    app = create_chat_app()                  # serves /openai/deployments/{any id}/chat/completions
    with serve(app) as base_url: ...         # tests/support/server.py, 127.0.0.1 only
    app.state.chat_log                       # [ChatEvent, ...]: what each request did

Scripts (the last user message; arguments are ``key=value``, shell-quoted):

=================================  ==========================================================
``anything else``                  echo (the last user message, else the last message): ``"Echo: <text>"`` in one chunk per word, then usage
``/rich``                          a stage (open, append "working", close completed), an
                                   attachment, state ``{"turn": previous turn + 1}``, content,
                                   usage 3/4/7
``/tool``                          one tool call ``get_weather`` with arguments in two chunks
``/fail status=429 type=.. code=.. display=.. retry_after=..``
                                   ``aidial_sdk.HTTPException`` before the first chunk: an HTTP
                                   error status with a DIAL error body, streamed or not
``/crash``                         a plain exception before the first chunk (500 runtime_error)
``/fail-late chunks=2 status=500 code=bad``
                                   chunks, then ``HTTPException("late failure")``: streamed,
                                   a ``data: {"error": ...}`` event on a 200
``/crash-late chunks=2``           chunks, then a plain exception mid-stream
``/long n=20000 text=tok``         ``n`` content chunks (benchmarks)
``/slow n=5 delay=0.2``            ``n`` chunks, ``delay`` seconds apart (break-early, timeouts)
``/whoami``                        content is JSON: deployment_id, api_key, bearer_token, api_version,
                                   stream, and the request fields that were set
=================================  ==========================================================

Design notes
------------
* One ``ChatCompletion`` registered under the path template ``{deployment_id:path}``, so any
  deployment id (with ``/``, spaces, ``#`` once decoded) reaches it; aidial-sdk interpolates
  the template into ``request.deployment_id``.  Everything below the script is aidial-sdk's
  own code: chunk merging, SSE framing, errors before and after the first chunk, the
  ``Api-Key`` requirement (400 without it), extra-field rejection.
* ``ChatEvent`` records what the producer did (chunks emitted, finished, cancelled), so a
  test can prove a client that stopped reading early closed the stream: aidial-sdk cancels
  the producer when the client disconnects and the event says ``cancelled``.
"""

from __future__ import annotations

import asyncio
import json
import shlex
import threading
from dataclasses import dataclass

from aidial_sdk import DIALApp, HTTPException
from aidial_sdk.chat_completion import ChatCompletion, Request, Response, Status

__all__ = ["ChatEvent", "ScriptedChat", "create_chat_app", "script_args"]


@dataclass
class ChatEvent:
    deployment_id: str
    script: str
    stream: bool
    chunks: int = 0  # content/tool chunks handed to aidial-sdk
    finished: bool = False
    cancelled: bool = False
    error: str | None = None


def script_args(text: str) -> tuple[str, dict[str, str]]:
    """``"/slow n=3 delay=0.1"`` -> ``("slow", {"n": "3", "delay": "0.1"})``; echo otherwise."""
    if not text.startswith("/"):
        return "echo", {}
    words = shlex.split(text[1:])
    name = words[0] if words else ""
    args = dict(w.split("=", 1) for w in words[1:] if "=" in w)
    return name, args


def _last_user_text(request: Request) -> str:
    """The last user message's text (the seed's examples send only a system message: then
    the last message's)."""
    messages = request.messages
    chosen = next((m for m in reversed(messages) if m.role == "user"), None)
    if chosen is None and messages:
        chosen = messages[-1]
    content = None if chosen is None else chosen.content
    if isinstance(content, list):
        return " ".join(getattr(p, "text", "") or "" for p in content)
    return content or ""


def _previous_turn(request: Request) -> int:
    for message in reversed(request.messages):
        if message.role == "assistant" and message.custom_content is not None:
            state = message.custom_content.state
            if isinstance(state, dict) and isinstance(state.get("turn"), int):
                return state["turn"]
    return 0


class ScriptedChat(ChatCompletion):
    def __init__(self, log: list[ChatEvent]) -> None:
        self.log = log
        self._lock = threading.Lock()

    async def chat_completion(self, request: Request, response: Response) -> None:
        text = _last_user_text(request)
        name, args = script_args(text)
        event = ChatEvent(request.deployment_id, name, bool(request.stream))
        with self._lock:
            self.log.append(event)
        response.set_model(request.deployment_id)
        try:
            await self._run(name, args, text, request, response, event)
        except asyncio.CancelledError:
            event.cancelled = True
            raise
        except Exception as exc:
            event.error = repr(exc)
            raise
        event.finished = True

    async def _run(
        self,
        name: str,
        args: dict[str, str],
        text: str,
        request: Request,
        response: Response,
        event: ChatEvent,
    ) -> None:
        if name == "fail":
            status = int(args.get("status", "400"))
            headers = {"Retry-After": args["retry_after"]} if "retry_after" in args else None
            raise HTTPException(
                args.get("message", f"scripted failure {status}"),
                status_code=status,
                type=args.get("type", "invalid_request_error"),
                code=args.get("code"),
                param=args.get("param"),
                display_message=args.get("display", "The request failed (scripted)"),
                headers=headers,
            )
        if name == "crash":
            raise RuntimeError("scripted crash")
        with response.create_single_choice() as choice:
            if name == "echo":
                words = f"Echo: {text}".split(" ")
                for i, word in enumerate(words):
                    choice.append_content(word if i == len(words) - 1 else word + " ")
                    event.chunks += 1
                prompt = sum(len(str(m.content or "").split()) for m in request.messages)
                response.set_usage(prompt, len(words))
            elif name == "rich":
                with choice.create_stage("Stage A") as stage:
                    stage.append_content("working")
                    stage.close(Status.COMPLETED)
                choice.add_attachment(type="text/plain", title="T", url="files/B/x.txt")
                choice.set_state({"turn": _previous_turn(request) + 1})
                choice.append_content("rich")
                event.chunks += 4
                response.set_usage(3, 4)
            elif name == "tool":
                call = choice.create_function_tool_call("call_1", "get_weather", '{"city":')
                call.append_arguments(' "Paris"}')
                event.chunks += 2
                response.set_usage(5, 2)
            elif name in ("fail-late", "crash-late"):
                for i in range(int(args.get("chunks", "2"))):
                    choice.append_content(f"part{i} ")
                    event.chunks += 1
                    await response.aflush()
                if name == "crash-late":
                    raise RuntimeError("scripted late crash")
                raise HTTPException(
                    args.get("message", "late failure"),
                    status_code=int(args.get("status", "500")),
                    type=args.get("type", "runtime_error"),
                    code=args.get("code", "bad"),
                    display_message=args.get("display"),
                )
            elif name == "long":
                n, piece = int(args.get("n", "20000")), args.get("text", "tok ")
                for _ in range(n):
                    choice.append_content(piece)
                    event.chunks += 1
                response.set_usage(1, n)
            elif name == "slow":
                delay = float(args.get("delay", "0.2"))
                for i in range(int(args.get("n", "5"))):
                    await asyncio.sleep(delay)
                    choice.append_content(f"slow{i} ")
                    event.chunks += 1
                    await response.aflush()
            elif name == "whoami":
                fields = request.dict(  # aidial-sdk's models are pydantic v1 style
                    exclude_none=True, include=set(type(request).__fields__) - _INTERNAL
                )
                fields.pop("messages", None)
                choice.append_content(
                    json.dumps(
                        {
                            "deployment_id": request.deployment_id,
                            "api_key": request.api_key,
                            "bearer_token": request.bearer_token,
                            "api_version": request.api_version,
                            "stream": bool(request.stream),
                            "fields": fields,
                        },
                        sort_keys=True,
                        default=str,
                    )
                )
                event.chunks += 1
            else:
                raise HTTPException(f"unknown script /{name}", status_code=400)


_INTERNAL = {
    "headers",
    "base_url",
    "api_key_secret",
    "jwt_secret",
    "bearer_token_secret",
    "deployment_id",
    "api_version",
    "original_request",
    "unreliable_dial_application_properties",
    "dial_application_id",
    "conversation_id",
    "job_title",
    "upstream_endpoint",
    "upstream_key",
    "upstream_extra_data",
    "cache_breakpoint_path",
    "cache_extra_metadata",
}


def create_chat_app(
    *, heartbeat_interval: float | None = None, allow_extra_request_fields: bool = False
) -> DIALApp:
    """A fresh scripted app; ``app.state.chat_log`` lists a ``ChatEvent`` per request."""
    log: list[ChatEvent] = []
    app = DIALApp(allow_extra_request_fields=allow_extra_request_fields)
    app.add_chat_completion(
        "{deployment_id:path}", ScriptedChat(log), heartbeat_interval=heartbeat_interval
    )
    app.state.chat_log = log
    return app
