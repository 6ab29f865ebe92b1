"""Helpers the other hand-written module imports (a sibling import inside _custom/)."""

from urllib.parse import quote


def quote_segment(segment: str) -> str:
    """Percent-encode one path segment entirely, so it cannot reach another resource."""
    if segment in ("", ".", ".."):
        raise ValueError(f"invalid path segment {segment!r}")
    return quote(segment, safe="")
