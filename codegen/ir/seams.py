"""The runtime's seams, per operation: body codec, result rule, transport.

Design notes
------------
* Each seam is chosen by an ``x-`` key on the operation, else the same key at the
  document root (the API's default), else the runtime default: JSON bodies
  (``x-body-codec: json``), success by status alone, the client's httpx client
  (``x-transport: http``).
* A codec or a transport factory is an object of the API's hand-written code
  (``module.NAME`` of ``python/``, :mod:`codegen.ir.custom`); a transport is selected
  by the name ``x-transports`` gives its factory. An unknown name is a ``SpecError``
  at the key that uses it.
* ``x-transport-options`` (any JSON value: the operation's, else the document's when
  the operation uses the document's transport) goes with the transport: the generated ``Operation`` gets it as ``transport_options`` and
  the runtime hands it to the transport in ``request.extensions["transport_options"]``
  (how one transport routes operations differently: the spec says which, the
  hand-written transport reads it). Without a transport it is a ``SpecError``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from codegen.ir.custom import SpecWithCustom, custom_ref
from codegen.ir.nodes import CustomRef, ResultRule
from codegen.spec.records import SpecDocument, SpecOperation, XResult
from codegen.spec.values import Json

__all__ = ["Seams", "operation_seams", "transports"]


@dataclass(frozen=True)
class Seams:
    codec: CustomRef | None
    result_rule: ResultRule | None
    transport: str | None
    transport_options: Json = None


def _pointer(parts: tuple[str, ...] | None) -> tuple[str | int, ...] | None:
    if parts is None:
        return None
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _rule(spec: XResult | None) -> ResultRule | None:
    if spec is None:
        return None
    error = _pointer(spec.error)
    assert error is not None
    return ResultRule(error, _pointer(spec.code), _pointer(spec.message), _pointer(spec.result))


def transports(spec: SpecWithCustom, doc: SpecDocument) -> tuple[tuple[str, CustomRef], ...]:
    """``x-transports``: each name with its factory in the hand-written code."""
    if not doc.x_transports:
        return ()
    return tuple(
        (name, custom_ref(spec, text, doc.loc.child("x-transports", name)))
        for name, text in doc.x_transports
    )


def operation_seams(spec: SpecWithCustom, doc: SpecDocument, op: SpecOperation) -> Seams:
    """The codec, result rule and transport of ``op`` (its own, else the document's)."""
    codec_text = op.x_body_codec or doc.x_body_codec
    codec = None
    if codec_text is not None and codec_text != "json":
        where = op.loc if op.x_body_codec else doc.loc
        codec = custom_ref(spec, codec_text, where.child("x-body-codec"))
        if op.x_body_codec_options is not None:
            codec = replace(codec, options=op.x_body_codec_options)
    elif op.x_body_codec_options is not None:
        message = "x-body-codec-options without a hand-written x-body-codec"
        raise spec.error(op.loc.child("x-body-codec-options"), message)
    transport = op.x_transport or doc.x_transport
    if transport == "http":
        transport = None
    if transport is not None and transport not in dict(doc.x_transports):
        where = op.loc if op.x_transport else doc.loc
        known = ", ".join(name for name, _ in doc.x_transports) or "none"
        message = f"unknown transport {transport!r} (x-transports names: {known})"
        raise spec.error(where.child("x-transport"), message)
    if doc.x_transport_options is not None and doc.x_transport in (None, "http"):
        message = "x-transport-options without a transport (x-transport names none)"
        raise spec.error(doc.loc.child("x-transport-options"), message)
    options = op.x_transport_options
    if options is not None and transport is None:
        message = "x-transport-options without a transport (x-transport names none)"
        raise spec.error(op.loc.child("x-transport-options"), message)
    if options is None and op.x_transport is None:
        options = doc.x_transport_options  # the document's, with its transport
    return Seams(codec, _rule(op.x_result or doc.x_result), transport, options)
