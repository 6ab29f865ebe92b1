"""The 39 v1 operations (paths relative to ``/v1``), as the official client calls them.

One module per resource, all on one ``router`` (``routing.py``): ``tasks``, ``batches``,
``projects``, ``files``, ``quality`` (evaluation and training tasks), ``teams`` and
``studio``.  Importing this package registers every route, in that (matching) order."""

from __future__ import annotations

from .routing import router

# Each module registers its routes on import; the order is the routers' match order.
# isort: off
from . import tasks  # noqa: F401
from . import batches  # noqa: F401
from . import projects  # noqa: F401
from . import files  # noqa: F401
from . import quality  # noqa: F401
from . import teams  # noqa: F401
from . import studio  # noqa: F401

# isort: on
from .tasks import task_view

__all__ = ["router", "task_view"]
