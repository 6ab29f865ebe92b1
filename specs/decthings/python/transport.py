"""``x-transports: {ws: transport.WEBSOCKET}``: the factory of the Decthings WebSocket
transports.

Design notes
------------
* The generated config imports this module with the package, so it stays light: the
  transports (:mod:`.wsclient`: routing, frames, typed events, ``websockets``) are
  imported when a client first sends a call, and ``websockets`` itself only when a
  socket is first opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import clientcore

    from .wsclient import AsyncWebSocketTransport, SyncWebSocketTransport

__all__ = ["WEBSOCKET", "WebSocketFactory"]


class WebSocketFactory:
    """``clientcore.TransportFactory``: one WebSocket transport per client."""

    def sync_transport(self, settings: clientcore.TransportSettings) -> SyncWebSocketTransport:
        from .wsclient import SyncWebSocketTransport

        return SyncWebSocketTransport(settings)

    def async_transport(self, settings: clientcore.TransportSettings) -> AsyncWebSocketTransport:
        from .wsclient import AsyncWebSocketTransport

        return AsyncWebSocketTransport(settings)


WEBSOCKET = WebSocketFactory()
"""The factory ``x-transports`` names."""
