"""Compiled Jinja templates kept beside the templates, as Python keeps its bytecode.

Design notes
------------
* Jinja compiles each template (its text -> Python source -> bytecode) the first time an
  environment loads it: ~0.1-0.2 s a run for the package's templates, a tenth of what a
  small spec (spotify) costs in all. Jinja's file bytecode cache keeps that work;
  :func:`attach_cache` gives an environment one in ``templates/__pycache__/``, which git
  ignores like Python's own.
* It is written when Python would write bytecode: not under ``PYTHONDONTWRITEBYTECODE``
  (``sys.dont_write_bytecode``). A folder that cannot be written (a read-only install)
  or a cache file that cannot be read (cut short, corrupt) only means compiling, as
  without a cache.
* Output never depends on the cache: a cached template is used only for the same
  template text (Jinja stores its sha1), the same Python version (Jinja's magic bytes)
  and the same compile settings of the environment (delimiters, whitespace options,
  extensions, filter and test names, Jinja's version: a digest in the file name), so a
  changed ``Environment(...)`` call never meets code compiled for the old one.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

__all__ = ["attach_cache", "settings_digest"]


def settings_digest(env: jinja2.Environment) -> str:
    """A digest of what, besides the template's text, decides its compiled code."""
    settings = (
        jinja2.__version__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        sorted(env.extensions),
        env.optimized,
        env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape),
        env.finalize is not None,
        env.is_async,
        sorted(env.filters),
        sorted(env.tests),
    )
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


class _Cache(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - unreadable or corrupt: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if sys.dont_write_bytecode:
            return
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:  # a read-only install: compiled again next run
            pass


def attach_cache(env: jinja2.Environment, folder: Path) -> jinja2.Environment:
    """Give ``env`` (its filters and tests registered) a bytecode cache in ``folder``."""
    env.bytecode_cache = _Cache(str(folder), f"__jinja2_{settings_digest(env)}_%s.cache")
    return env
