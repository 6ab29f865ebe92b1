"""clientcore: the hand-written runtime of the generated API clients.

Generated packages import only this package (plus httpx, pydantic and the standard
library).  ``__all__`` is the complete interface they use, as listed in
``docs/runtime-contract.md``; everything else lives in private ``_`` modules and may
change without notice.

Layout, one concept per module:

* ``_types``       ``NOT_GIVEN``, credential and file types
* ``_config``      frozen configuration values built by generated modules
* ``_errors``      the exception hierarchy and status-to-class mapping
* ``_auth``        the credential holder and auth schemes
* ``_encode``      path, query, JSON and multipart encoding
* ``_retry``       retry decisions and delays
* ``_parse``       response bodies into ``cast_to`` (cached validators)
* ``_base``        what sync and async clients share
* ``_client``      ``SyncAPIClient``: the request loop, retries, recovery
* ``_async_client`` ``AsyncAPIClient``: its async twin
* ``_resource``    ``SyncResource`` / ``AsyncResource``
* ``_pagination``  lazy pagers
* ``_sse``         incremental SSE decoder; ``_streaming`` the typed streams
* ``_response``    raw responses
* ``_models``      ``APIModel``, ``PageModel`` and ``OpenEnum``
"""

from ._async_client import AsyncAPIClient
from ._client import SyncAPIClient
from ._config import (
    AuthScheme,
    ClientConfig,
    ErrorConfig,
    Operation,
    Pagination,
    PathParam,
    QueryParam,
    Recovery,
    RetryPolicy,
    StreamSpec,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    ParameterError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from ._models import APIModel, OpenEnum, PageModel
from ._pagination import AsyncPager, SyncPager
from ._resource import AsyncResource, SyncResource
from ._response import APIResponse, async_to_raw_response, to_raw_response
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, FileTypes, NotGiven
from ._version import __version__

__all__ = [
    # configuration values
    "AuthScheme",
    "ClientConfig",
    "ErrorConfig",
    "Operation",
    "Pagination",
    "PathParam",
    "QueryParam",
    "Recovery",
    "RetryPolicy",
    "StreamSpec",
    # base classes
    "AsyncAPIClient",
    "AsyncResource",
    "SyncAPIClient",
    "SyncResource",
    "APIModel",
    "OpenEnum",
    "PageModel",
    # values and types in generated signatures
    "NOT_GIVEN",
    "NotGiven",
    "FileTypes",
    # returned by generated methods
    "APIResponse",
    "AsyncPager",
    "AsyncStream",
    "Stream",
    "SyncPager",
    "async_to_raw_response",
    "to_raw_response",
    # errors
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "ParameterError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]

# Public classes report the package, not the private module they live in.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj

assert __version__
