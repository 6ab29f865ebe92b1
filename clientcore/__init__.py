"""clientcore: the hand-written runtime of the generated API clients.

Generated packages import only this package (plus httpx, pydantic and the standard
library).  ``__all__`` is the complete interface they use, as listed in
``docs/runtime-contract.md``; everything else lives in private ``_`` modules and may
change without notice.

Layout, one concept per module, each depending only on those above it:

* ``_types``       ``NOT_GIVEN``, credential and file types; ``_version`` the version
* ``_pointer``     JSON pointers (tuples) into decoded bodies
* ``_errors``      the exception hierarchy
* ``_codec``       body framing: ``BodyCodec``, ``JSON_CODEC``
* ``_transport``   pluggable transports: protocols, factories, a client's set
* ``_config``      frozen configuration values built by generated modules
* ``_failures``    which exception a failure becomes (from ``ErrorConfig``)
* ``_styles``      OpenAPI parameter styles (path, query, header, cookie)
* ``_auth``        the credential holder and auth schemes
* ``_oauth``       OAuth2 client credentials: a token source
* ``_encode``      path, query, header, cookie and multipart encoding
* ``_retry``       retry decisions and delays
* ``_parse``       response bodies into ``cast_to`` (cached validators)
* ``_response``    raw responses
* ``_actions``     the I/O a flow asks for, done blocking or awaited
* ``_prepared``    a call's encoded request, which is also the send action
* ``_base``        what every client is: configuration, preparation, errors
* ``_outcome``     what a response means: success, result rules, parsing
* ``_outcomes``    result responses: a body's error returned, not raised
* ``_flow``        attempts: the retry loop, written once as a flow
* ``_drive``       the sync and async drivers; methods made from the calls
* ``_opened``      responses left open for their caller (streams, downloads)
* ``_pagination``  the page walk and the lazy pagers over it
* ``_sse``         incremental SSE decoder; ``_streaming`` the typed streams
* ``_download``    streamed binary responses
* ``_calls``       the calls (``_request``, ``_paginate``, ``_stream``, ``_download``),
                   once for both kinds of client
* ``_client``      ``SyncAPIClient``; ``_async_client`` ``AsyncAPIClient``
* ``_resource``    ``SyncResource`` / ``AsyncResource``
* ``_models``      ``APIModel``, ``PageModel`` and ``OpenEnum``
"""

from ._async_client import AsyncAPIClient
from ._client import SyncAPIClient
from ._codec import JSON_CODEC, BodyCodec
from ._config import (
    AuthScheme,
    ClientConfig,
    CookieParam,
    ErrorConfig,
    HeaderParam,
    Operation,
    Pagination,
    PathParam,
    QueryParam,
    Recovery,
    ResultRule,
    RetryPolicy,
    StreamSpec,
)
from ._download import AsyncBinaryResponse, BinaryResponse
from ._errors import (
    APIConnectionError,
    APIError,
    APIParameterError,
    APIResponseValidationError,
    APIResultError,
    APIStatusError,
    APIStreamError,
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
from ._oauth import OAuth2ClientCredentials
from ._outcomes import ResultResponse, async_to_result_response, to_result_response
from ._pagination import AsyncPager, SyncPager
from ._resource import AsyncResource, SyncResource
from ._response import APIResponse, async_to_raw_response, to_raw_response
from ._streaming import AsyncStream, Stream
from ._transport import AsyncTransport, SyncTransport, TransportFactory, TransportSettings
from ._types import NOT_GIVEN, FileContent, FileTypes, NotGiven
from ._version import __version__

__all__ = [
    # configuration values
    "AuthScheme",
    "ClientConfig",
    "CookieParam",
    "ErrorConfig",
    "HeaderParam",
    "Operation",
    "Pagination",
    "PathParam",
    "QueryParam",
    "Recovery",
    "RetryPolicy",
    "StreamSpec",
    # seams: body codecs, result rules, transports (``Operation`` fields)
    "BodyCodec",
    "JSON_CODEC",
    "ResultRule",
    "AsyncTransport",
    "SyncTransport",
    "TransportFactory",
    "TransportSettings",
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
    "FileContent",
    "FileTypes",
    "OAuth2ClientCredentials",
    # returned by generated methods
    "APIResponse",
    "AsyncBinaryResponse",
    "AsyncPager",
    "AsyncStream",
    "BinaryResponse",
    "Stream",
    "SyncPager",
    "async_to_raw_response",
    "to_raw_response",
    "ResultResponse",
    "to_result_response",
    "async_to_result_response",
    # errors
    "APIConnectionError",
    "APIError",
    "APIParameterError",
    "APIResponseValidationError",
    "APIStreamError",
    "APIResultError",
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
