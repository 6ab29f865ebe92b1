"""A stateful fake of DIAL Core's REST API (reference ``dial.md`` §11) for tests.

    from tests.dial.servers.core_fake import create_app, API_KEY, BUCKET
    app = create_app(chat_upstream=chat_app)     # chat_app: an aidial-sdk DIALApp (optional)
    core = app.state.core                        # CoreState: store, catalog, faults, requests, ...

See ``app.py`` for routing and the HTTP controls, ``storage.py`` for addressing, ETags and
listings, ``state.py`` for credentials and buckets.
"""

from .app import create_app
from .catalog import Catalog, default_catalog
from .faults import Fault, FaultInjector
from .state import (
    API_KEY,
    APP_BUCKET,
    BEARER_TOKEN,
    BUCKET,
    OTHER_BUCKET,
    OTHER_KEY,
    PER_REQUEST_KEY,
    USER_BUCKET,
    CoreState,
    DownloadGate,
    Principal,
)
from .storage import Resource, Store, encode_segment, parse_resource

__all__ = [
    "API_KEY",
    "APP_BUCKET",
    "BEARER_TOKEN",
    "BUCKET",
    "Catalog",
    "CoreState",
    "DownloadGate",
    "Fault",
    "FaultInjector",
    "OTHER_BUCKET",
    "OTHER_KEY",
    "PER_REQUEST_KEY",
    "Principal",
    "Resource",
    "Store",
    "USER_BUCKET",
    "create_app",
    "default_catalog",
    "encode_segment",
    "parse_resource",
]
