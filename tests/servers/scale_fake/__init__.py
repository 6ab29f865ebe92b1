"""A small stateful fake of the Scale AI API (v1 + v2) for tests and demos.

    from tests.servers.scale_fake import create_app
    app = create_app(api_keys={"live_test_key"}, page_size=2)

See ``app.py`` for the test hooks (``app.state.faults``, ``app.state.requests``, ...).
"""

from .app import create_app
from .core import ApiError, Fault, FaultInjector
from .store import Store

__all__ = ["ApiError", "Fault", "FaultInjector", "Store", "create_app"]
