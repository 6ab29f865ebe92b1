"""datamodel-code-generator's one call, made in a forked child for a large API.

Design notes
------------
* The call is the longest step of a compile (Plaid: ~7 s of ~17 s of CPU) and the
  messiest: it builds its own parse of the whole document, ~500,000 objects in cycles
  that only the garbage collector can free, and nothing of it but the module's text is
  wanted. Made in a child (:class:`codegen.spec.aside.Aside`: ``os.fork``, the prepared
  document shared copy-on-write), only the text comes back (a pickled ``str``, 2 MB for
  Plaid); the parse dies with the child, so this process never collects it (~0.7 s on
  Plaid) nor holds its memory. The post-processing stays here
  (:mod:`codegen.ir.models`): its syntax trees serve the models' split later
  (:mod:`codegen.ir.trees`).
* This process waits for the text with nothing else to do: everything after the call
  (the rest of the IR, rendering) needs it, and what does not (the rest of ``build_api``
  after the models: ~0.2 s on Plaid) is not worth building twice on a guess of the class
  kinds. So the fork takes no CPU from anything: it is made whatever the load of the
  machine, but only for APIs of :data:`FORK_SCHEMAS` schemas or more (below that the
  parse is small and forking a process holding a large spec would cost more than it
  saves), where :func:`codegen.spec.aside.forking_enabled` allows (no other threads,
  ``CODEGEN_SERIAL`` unset). The generator's parser is imported here first (it is
  only imported on its first call, ~0.3 s): once per process, not once per child, when
  ``check`` compiles several large APIs.
* Failures look exactly like a serial run's: when the child raises, the call is made
  again here and that error propagates; a child that cannot answer (killed, crashed,
  an unpicklable result) or has not answered after :func:`patience` seconds (a machine
  swapping, a lock inherited through the fork) is killed and reaped, and the call is
  made here.
"""

from __future__ import annotations

from collections.abc import Callable

from codegen.spec.aside import Aside, forking_enabled

__all__ = ["FORK_SCHEMAS", "generate_aside", "patience", "worth_forking"]

FORK_SCHEMAS = 200  # component schemas: below this, the call is made in this process
_MIN_PATIENCE_S = 120.0
_PATIENCE_PER_SCHEMA_S = 0.1  # ~30x the generator's own time per schema on this machine


def worth_forking(schemas: int) -> bool:
    """Whether :func:`generate_aside` forks for an API of ``schemas`` schemas (notes)."""
    return schemas >= FORK_SCHEMAS and forking_enabled()


def patience(schemas: int) -> float:
    """Seconds the child may take before it is presumed hung (notes)."""
    return _MIN_PATIENCE_S + _PATIENCE_PER_SCHEMA_S * schemas


def generate_aside(run: Callable[[], str], *, schemas: int) -> str:
    """``run()`` (the generator's call), in a forked child when :func:`worth_forking`."""
    if not worth_forking(schemas):
        return run()
    _import_generator()
    child = Aside(run, fork=True)  # decided above
    try:
        return child.result(timeout=patience(schemas))
    except Exception:
        if not child.ran_aside:
            raise  # it was made here already: a serial run's error
    finally:
        child.close()
    return run()  # the child's error, made again here: exactly a serial run's


def _import_generator() -> None:
    """Import the generator's parser here, once per process, not once per child (~0.3 s:
    the package imports it only on its first call); its layout is its own business, so a
    module not found is left to the child."""
    try:
        import datamodel_code_generator.model.pydantic_v2  # noqa: F401
        import datamodel_code_generator.parser.openapi  # noqa: F401
    except ImportError:  # pragma: no cover - another version of the generator
        pass
