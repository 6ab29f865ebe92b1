"""DIAL resource URLs: the path-like ``DialPath`` and how a URL becomes a request path.

Design notes
------------
* A DIAL resource URL is ``{group}/{bucket}/{path}`` (``files/B/docs/a.txt``); a trailing
  ``/`` names a folder, and DIAL Core tells folder from item by that slash alone.  Callers
  give a relative string, an absolute URL on the client's own DIAL
  (``{base_url}/v1/files/B/a.txt``) or a path object (``client.my_files_home() / "a.txt"``).
* ``parse_url`` turns any of them into a ``ResourceURL``: the group, the bucket and the
  path *encoded segment by segment* (``quote(unquote(seg), safe="")``, as aidial-client
  does, so an already encoded name is not encoded twice).  Every character that could
  leave the segment (``/`` as ``%2F``, ``?``, ``#``, ``%``, space) is percent-encoded, and
  ``.``/``..`` segments, empty segments and ``%2F`` inside a name are refused, so no
  name reaches another resource.  Anything else raises ``InvalidDialURLError``
  (``NotDialURLError`` for another host), a ``DialParameterError``: nothing is sent.
* ``DialPath`` is a ``PurePosixPath`` (``/`` joins, ``.name``, ``.parent``...) that also
  remembers a trailing slash given to it (``home / "docs/"`` is the folder ``docs/``),
  which a plain ``PurePosixPath`` drops (aidial-client's folder-listing bug, dial.md Q1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .._exceptions import DialParameterError

__all__ = [
    "GROUPS",
    "DialPath",
    "DialURL",
    "InvalidDialURLError",
    "InvalidDialURLException",
    "NotDialURLError",
    "ResourceURL",
    "encode_segment",
    "parse_url",
]

GROUPS = ("files", "prompts", "conversations", "applications", "toolsets")
_BUCKET = re.compile(r"[A-Za-z0-9]+").fullmatch


class InvalidDialURLError(DialParameterError):
    """A URL that does not name a DIAL resource of the expected kind (nothing was sent).

    A ``DialException`` and a ``ValueError``; ``.parameter`` names the argument."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(parameter, message)


InvalidDialURLException = InvalidDialURLError
"""The name aidial-client's README uses for ``InvalidDialURLError``."""


class NotDialURLError(InvalidDialURLError):
    """An absolute URL that is not on the client's DIAL (another host or scheme)."""


class DialPath(PurePosixPath):
    """A DIAL URL as a path: ``client.my_files_home() / "reports" / "q1.csv"``.

    ``str()`` gives the URL (``files/B/reports/q1.csv``); a trailing ``/`` given to the
    constructor or to ``/`` is kept (``home / "docs/"`` -> ``files/B/docs/``, a folder).
    Segments are stored decoded and encoded when a request is made."""

    _dial_folder = False

    def __new__(cls, *args: Any) -> DialPath:
        # Python 3.12+ parses the arguments in __init__ (after this), 3.10/3.11 here:
        # so the flag is read from the arguments alone, never from the parsed parts.
        made = super().__new__(cls, *args)
        made._dial_folder = bool(args) and _ends_with_slash(args[-1])
        return made

    def _joined(self, joined: PurePosixPath, key: Any) -> DialPath:
        out = joined if isinstance(joined, DialPath) else DialPath(joined)
        out._dial_folder = _ends_with_slash(key) and bool(out.parts)
        return out

    def __truediv__(self, key: Any) -> DialPath:
        # The base class's joinpath, not ours: on 3.12+ ``PurePath.__truediv__`` calls
        # ``self.joinpath``, which here calls ``/`` again.
        return self._joined(PurePosixPath.joinpath(self, key), key)

    def __rtruediv__(self, key: Any) -> DialPath:
        out = self._joined(super().__rtruediv__(key), "")
        out._dial_folder = self._dial_folder
        return out

    def joinpath(self, *others: Any) -> DialPath:
        out: DialPath = self
        for other in others:
            out = out / other
        return out

    @property
    def is_folder(self) -> bool:
        """Whether the URL ends with ``/`` (a folder)."""
        return self._dial_folder

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}/" if self._dial_folder and text not in ("/", ".", "") else text

    def __fspath__(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"DialPath({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DialPath):
            return str(self) == str(other)
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (DialPath, (str(self),))


DialURL = str | PurePath
"""What a URL argument accepts: a string (relative or absolute) or a path object."""


def _ends_with_slash(value: Any) -> bool:
    return isinstance(value, str) and value.endswith("/")


def encode_segment(segment: str) -> str:
    """One path segment, decoded then percent-encoded entirely (``a b#1`` -> ``a%20b%231``).

    Raises ``ValueError`` for what must not be a segment: empty, ``.``, ``..``, or a name
    that decodes to one containing ``/``."""
    decoded = unquote(segment)
    if decoded == "":
        raise ValueError("an empty path segment ('//')")
    if decoded in (".", ".."):
        raise ValueError(f"a {decoded!r} segment (it would address another resource)")
    if "/" in decoded:
        raise ValueError(f"an encoded '/' inside the segment {segment!r}")
    return quote(decoded, safe="")


@dataclass(frozen=True)
class ResourceURL:
    """A parsed DIAL URL: ``group/bucket/path`` with ``path`` encoded per segment."""

    group: str
    bucket: str
    path: str  # encoded, "" for the bucket root; ends with "/" for a folder

    @property
    def is_folder(self) -> bool:
        return self.path == "" or self.path.endswith("/")

    @property
    def url(self) -> str:
        """The encoded relative URL (``files/B/a%20b.txt``), as Core's ops take it."""
        return f"{self.group}/{self.bucket}/{self.path}"

    @property
    def name(self) -> str | None:
        """The last segment, decoded (``None`` for a folder)."""
        return None if self.is_folder else unquote(self.path.rsplit("/", 1)[-1])

    def require_item(self) -> ResourceURL:
        """Itself, when it names an item (not a folder)."""
        if self.is_folder:
            raise InvalidDialURLError(
                "url", f"{self.url!r} is a folder (ends with '/'); give a file's URL"
            )
        return self


def _relative_part(url: str, base_url: str) -> str:
    """The ``{group}/...`` part of an absolute URL on the client's own DIAL."""
    got, base = urlsplit(url), urlsplit(base_url)
    if (got.scheme.lower(), got.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
        raise NotDialURLError(
            "url", f"{url!r} is not on this client's DIAL ({base.scheme}://{base.netloc})"
        )
    prefix = base.path.rstrip("/") + "/v1/"
    if got.query or got.fragment:
        raise InvalidDialURLError(
            "url", f"{url!r} has a query or fragment (encode '?' and '#' in names as %3F, %23)"
        )
    if not got.path.startswith(prefix):
        raise InvalidDialURLError(
            "url", f"{url!r} does not start with this DIAL's API URL {base_url.rstrip('/')}/v1/"
        )
    return got.path[len(prefix) :]


def parse_url(
    url: object,
    base_url: str,
    expected: str | tuple[str, ...] = "files",
    *,
    parameter: str = "url",
) -> ResourceURL:
    """``url`` (string, absolute URL on ``base_url``'s host, or path object) as a
    ``ResourceURL`` of the ``expected`` group(s); ``InvalidDialURLError`` otherwise."""
    groups = (expected,) if isinstance(expected, str) else expected
    if isinstance(url, PurePath):
        text = url.as_posix() if not isinstance(url, DialPath) else str(url)
    elif isinstance(url, str):
        text = url
    else:
        raise InvalidDialURLError(
            parameter, f"a DIAL URL is a string or a path object, not {type(url).__name__}"
        )
    try:
        return _parse(text, base_url, groups)
    except InvalidDialURLError as exc:
        if exc.parameter == parameter:
            raise
        raise type(exc)(parameter, exc.message.split(": ", 1)[-1]) from None


def _parse(text: str, base_url: str, groups: tuple[str, ...]) -> ResourceURL:
    if not text:
        raise InvalidDialURLError("url", "an empty URL")
    if "://" in text or text.startswith("//"):
        text = _relative_part(text, base_url)
    elif text.startswith("/"):
        raise InvalidDialURLError(
            "url", f"{text!r}: a root-relative URL is not allowed (give files/... or a full URL)"
        )
    head, _, rest = text.partition("/")
    if head in ("v1", "v2"):
        raise InvalidDialURLError(
            "url", f"{text!r}: the API prefix {head}/ is not part of a resource URL"
        )
    if head not in groups:
        kinds = " or ".join(f"{g}/..." for g in groups)
        what = "unknown resource type" if head not in GROUPS else "wrong resource type"
        raise InvalidDialURLError("url", f"{text!r}: {what} {head!r}, expected {kinds}")
    bucket, slash, path = rest.partition("/")
    if not bucket:
        raise InvalidDialURLError("url", f"{text!r}: missing the bucket ({head}/<bucket>/...)")
    if not slash:
        raise InvalidDialURLError(
            "url",
            f"{text!r}: missing the path ({head}/{bucket}/<path>; the bucket root ends with '/')",
        )
    if _BUCKET(bucket) is None:
        raise InvalidDialURLError("url", f"{text!r}: {bucket!r} is not a bucket name")
    if not path:
        return ResourceURL(head, bucket, "")
    folder = path.endswith("/")
    segments = path[:-1].split("/") if folder else path.split("/")
    try:
        encoded = "/".join(encode_segment(s) for s in segments)
    except ValueError as exc:
        raise InvalidDialURLError("url", f"{text!r}: {exc}") from None
    return ResourceURL(head, bucket, encoded + ("/" if folder else ""))
