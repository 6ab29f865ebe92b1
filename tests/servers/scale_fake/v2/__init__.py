"""The 25 v2 operations. Errors are rendered ``{"status_code": n, "error": msg}`` by the app.

One module per resource, all on one ``router`` (``routing.py``, with the shared query
helpers; ``views.py`` renders objects and resolves id-or-name references): ``tasks``,
``batches``, ``projects``, ``deliveries`` (with annotations and schemas) and ``datasets``.
Importing this package registers every route, in that (matching) order."""

from __future__ import annotations

from .routing import router

# Each module registers its routes on import; the order is the routers' match order.
# isort: off
from . import tasks  # noqa: F401
from . import batches  # noqa: F401
from . import projects  # noqa: F401
from . import deliveries  # noqa: F401
from . import datasets  # noqa: F401
# isort: on

__all__ = ["router"]
