"""The v2 router the resource modules register their handlers on, and the helpers they share:
the typed store accessor, ``expand`` validation, token paging and time-window filters."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, Router, bad_request, decode_token, encode_token, parse_time
from ..store import Store

router = Router()
R = router.route


def _store(ctx: Ctx) -> Store:
    return ctx.store  # type: ignore[no-any-return]


def _expand(ctx: Ctx, allowed: tuple[str, ...]) -> set[str]:
    values = set(ctx.qall("expand"))
    bad = values - set(allowed)
    if bad:
        raise bad_request(f"Invalid expand value(s): {', '.join(sorted(bad))}")
    return values


def _page(
    ctx: Ctx, items: list[Any], key: str, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    limit = ctx.qint("limit", _store(ctx).page_size, 1, 100)
    offset = decode_token(ctx.q("next_token"))
    page = items[offset : offset + limit]  # type: ignore[operator]
    out: dict[str, Any] = {**(extra or {}), key: page}
    if offset + limit < len(items):  # type: ignore[operator]
        out["next_token"] = encode_token(offset + limit)  # type: ignore[operator]
    return out


def _window(value: str | None, after: Any, before: Any) -> bool:
    if after is None and before is None:
        return True
    if value is None:
        return False
    when = parse_time(value)
    return not ((after and when < after) or (before and when > before))
