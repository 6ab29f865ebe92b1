"""The fault suite (issue 6): every generated client against a fault-injecting server.

* ``protocol``, ``behaviours``, ``server``: the server (HTTP/1.1 over real TCP on
  127.0.0.1, scripted per test: statuses with Retry-After, resets before and after the
  head, slow heads, trickled, truncated, malformed and oversized bodies, SSE streams
  cut or malformed).
* ``adapters``: one ``Adapter`` per package (client classes, base error, an
  idempotent, a non-idempotent, a keyed and a streaming call); adding a package to
  the suite is adding an adapter.
* ``catalog``: the named faults and the runtime's retry rules for them.
* ``harness`` and ``conftest``: the fixtures that run each test per package, sync and
  async.
* ``test_*``: retries, idempotency, typed failures, deadlines, streams, leaks,
  concurrency; each failure mode is named in its test's name or id.
"""
