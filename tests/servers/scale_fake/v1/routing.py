"""The v1 router the resource modules register their handlers on, and the typed store accessor
they share."""

from __future__ import annotations

from ..core import Ctx, Router
from ..store import Store

router = Router()
R = router.route


def _store(ctx: Ctx) -> Store:
    return ctx.store  # type: ignore[no-any-return]
