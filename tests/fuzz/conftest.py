"""Unload the fuzz tests' compiled packages when the session ends."""

from __future__ import annotations

import sys

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    packages = sys.modules.get("tests.fuzz.packages")
    if packages is not None:
        packages.close()
