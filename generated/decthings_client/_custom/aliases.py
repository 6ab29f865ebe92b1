# Copied by codegen from specs/decthings/python/aliases.py (sha256 eceac11cabbfe7c5). Edit that file, not this one.
"""``AsyncDecthingsClient``: the async client under the name the other generated
packages use for theirs (``DecthingsClient`` is the async client, as in decthings-api)."""

from __future__ import annotations

from .._client import DecthingsClient as AsyncDecthingsClient

__all__ = ["AsyncDecthingsClient"]
