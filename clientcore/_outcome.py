"""What a received response means: success or not, and the value the call returns.

Design notes
------------
* Success is the status first (``op.success``, else any 2xx).  An operation with a
  ``ResultRule`` is then judged by its decoded body as well: a non-null value at the
  rule's ``error`` pointer raises the API's ``APIResultError`` for the body's code;
  otherwise the value at ``result`` (or the whole body) is the result.  The same
  function serves plain calls, raw responses, pages and recovery lookups.
* Without a rule, a JSON body is validated from bytes (pydantic's fast path, no
  intermediate objects); with one the body must be decoded anyway, and the result is
  validated from the decoded value.  ``cast_to=None`` parses nothing (a rule still
  checks for an error); ``bytes`` is the raw body.
* Models with ``__links__`` are given the client (``_parse``).
* A success body that does not decode (the codec's ``ValueError``) or validate
  (pydantic's) raises the API's ``APIResponseValidationError`` with the original
  error as ``__cause__``.  Only the failure is wrapped: a ``try`` around the existing
  parse, so the fast path does no extra work.
* A raw call checks the body at once (an error raises from the call, as for a
  normal one) and parses only when ``APIResponse.parse()`` is called.
"""

from __future__ import annotations

import functools
from typing import Any

import httpx

from ._base import Client
from ._codec import JSON_CODEC
from ._config import Operation
from ._parse import get_parser
from ._pointer import resolve_pointer
from ._response import APIResponse

__all__ = [
    "decoded_result",
    "is_success",
    "parse_value",
    "parsed_result",
    "raw_response",
    "success_value",
]


def is_success(op: Operation, status: int) -> bool:
    """Whether ``status`` is a success for ``op`` (``op.success``, else any 2xx)."""
    success = op.success
    return 200 <= status < 300 if success is None else status in success


def decoded_result(client: Client, op: Operation, response: httpx.Response) -> object:
    """The decoded body of a success response, or its result under ``op.result_rule``
    (raising the error the rule finds)."""
    try:
        body = op.codec.decode(response.content)
    except ValueError as exc:
        raise client._validation_error(response, exc) from exc
    rule = op.result_rule
    if rule is None:
        return body
    error = resolve_pointer(body, rule.error)
    if error is not None:
        raise client._result_error(rule, response, body, error)
    return body if rule.result is None else resolve_pointer(body, rule.result)


def parse_value(cast_to: Any, client: object, value: object) -> Any:
    """A decoded value validated into ``cast_to``, linked models given ``client``."""
    if cast_to is None:
        return None
    parser = get_parser(cast_to)
    parsed = parser.from_python(value)
    if parser.linker is not None:
        parser.linker(parsed, client)
    return parsed


def parsed_result(client: Client, cast_to: Any, response: httpx.Response, result: object) -> Any:
    """``parse_value`` of a result taken from ``response``'s body; a result that does not
    validate raises the API's ``APIResponseValidationError``."""
    try:
        return parse_value(cast_to, client, result)
    except ValueError as exc:
        raise client._validation_error(response, exc) from exc


def success_value(client: Client, op: Operation, cast_to: Any, response: httpx.Response) -> Any:
    """What a call returns for a success response (a body that does not decode or
    validate raises the API's ``APIResponseValidationError``)."""
    if op.result_rule is not None:
        result = decoded_result(client, op, response)
        if cast_to is not bytes:
            return parsed_result(client, cast_to, response, result)
    if cast_to is None:
        return None
    parser = get_parser(cast_to)
    try:
        if op.codec is JSON_CODEC:
            value = parser.from_json(response.content)
        else:
            value = parser.from_body(response.content, op.codec)
    except ValueError as exc:
        raise client._validation_error(response, exc) from exc
    if parser.linker is not None:
        parser.linker(value, client)
    return value


def raw_response(
    client: Client, op: Operation, cast_to: Any, response: httpx.Response, retries: int
) -> APIResponse[Any]:
    """The ``APIResponse`` of a raw call; a result rule's error raises now."""
    if op.result_rule is None:
        return APIResponse(response, retries, functools.partial(success_value, client, op, cast_to))
    result = decoded_result(client, op, response)
    if cast_to is bytes:
        return APIResponse(response, retries, lambda r: r.content)
    return APIResponse(response, retries, lambda r: parsed_result(client, cast_to, r, result))
