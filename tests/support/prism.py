"""Stoplight Prism (``prism mock``) for the tests: installed from the project's own
``tools/prism`` (package.json + package-lock.json, prism-cli pinned to 5.14.2, the last
release that runs on Node 20) and served on 127.0.0.1.

    binary = ensure_installed()              # npm ci --prefix tools/prism, once
    with PrismServer(spec_path) as base_url:  # "http://127.0.0.1:<port>"
        ...

``ensure_installed`` runs ``npm ci`` only when ``tools/prism/node_modules`` was not
installed from the current lockfile (a marker file holds the lockfile's sha256; an
interrupted install leaves no marker, so the next run installs again); a file lock keeps
two test runs in one checkout from installing at once.  Nothing is cached outside the
repository but npm's own cache.  Anything missing (node, npm, a Node older than
prism-cli's ``engines``, a failed install, a server that never answers) raises
``PrismUnavailable`` with the reason and the tool's output, so the tests that need Prism
fail loudly instead of skipping.

Prism validates every request against the spec (path, query, headers, security, body and
its content type): an invalid one gets 400/401/415/422 and an ``sl-violations`` header
listing each violation; a valid one gets a response generated from the spec's examples or
schemas.  Prism never lets one path parameter span several segments (``/v1/files/{bucket}/
{path}`` does not match ``/v1/files/B/dir/a.txt``, nor a trailing ``/``): such requests
get 404 ``NO_PATH_MATCHED_ERROR``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO, Any

import httpx

__all__ = ["PRISM_DIR", "PrismServer", "PrismUnavailable", "ensure_installed"]

ROOT = Path(__file__).resolve().parents[2]
PRISM_DIR = ROOT / "tools" / "prism"
PACKAGE = "@stoplight/prism-cli"
ENTRY = PRISM_DIR / "node_modules" / "@stoplight" / "prism-cli" / "dist" / "index.js"
MARKER = PRISM_DIR / "node_modules" / ".specclients-installed"
MIN_NODE = (18, 20, 1)  # prism-cli 5.14.2's engines.node
INSTALL_TIMEOUT = 600.0
LOOPBACK = "127.0.0.1"


class PrismUnavailable(RuntimeError):
    """Prism cannot be installed or started here; the message says why."""


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise PrismUnavailable(
            f"`{name}` is not on PATH: Prism ({PACKAGE}, tools/prism) needs Node.js "
            f">= {'.'.join(map(str, MIN_NODE))} with npm"
        )
    return path


def node_binary() -> str:
    """The ``node`` to run Prism with, checked against prism-cli's ``engines``."""
    node = _tool("node")
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
    version = out.stdout.strip().lstrip("v")
    try:
        found = tuple(int(part) for part in version.split(".")[:3])
    except ValueError:
        raise PrismUnavailable(f"cannot read `node --version`: {out.stdout!r}") from None
    if found < MIN_NODE:
        raise PrismUnavailable(
            f"Node {version} is too old for {PACKAGE} 5.14.2 "
            f"(needs >= {'.'.join(map(str, MIN_NODE))})"
        )
    return node


def _lock_digest() -> str:
    lockfile = PRISM_DIR / "package-lock.json"
    if not lockfile.is_file():
        raise PrismUnavailable(f"{lockfile} is missing: the project pins Prism there")
    return hashlib.sha256(lockfile.read_bytes()).hexdigest()


def _installed(digest: str) -> bool:
    return ENTRY.is_file() and MARKER.is_file() and MARKER.read_text().strip() == digest


@contextlib.contextmanager
def _install_lock() -> Any:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no concurrent runs to guard
        yield
        return
    with open(PRISM_DIR / ".install.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_installed() -> Path:
    """Install ``tools/prism`` with ``npm ci`` unless already installed from this
    lockfile; returns the prism-cli entry script (run it with :func:`node_binary`)."""
    node_binary()
    digest = _lock_digest()
    if _installed(digest):
        return ENTRY
    npm = _tool("npm")
    with _install_lock():
        if _installed(digest):  # another run installed it while we waited
            return ENTRY
        command = [npm, "ci", "--prefix", str(PRISM_DIR), "--no-audit", "--no-fund"]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, cwd=PRISM_DIR
            )
        except subprocess.TimeoutExpired:
            raise PrismUnavailable(
                f"`{' '.join(command)}` did not finish within {INSTALL_TIMEOUT:.0f}s"
            ) from None
        if done.returncode != 0 or not ENTRY.is_file():
            raise PrismUnavailable(
                f"`{' '.join(command)}` failed (exit {done.returncode}):\n"
                f"{_tail(done.stdout + done.stderr)}"
            )
        MARKER.write_text(digest + "\n")
    return ENTRY


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


class PrismServer:
    """``prism mock`` serving one spec on 127.0.0.1 (a free port), request validation on
    (Prism's default), its log in a temporary file (``log()``)."""

    def __init__(self, spec: Path, *, startup_timeout: float = 60.0, attempts: int = 3) -> None:
        self.spec = spec
        self.startup_timeout = startup_timeout
        self.attempts = attempts
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def log(self) -> str:
        """Everything Prism printed so far (colour codes and all)."""
        if self._log is None:
            return ""
        self._log.flush()
        return Path(self._log.name).read_bytes().decode("utf-8", "replace")

    def start(self) -> str:
        entry = ensure_installed()
        node = node_binary()
        failures: list[str] = []
        for _ in range(self.attempts):  # another process may take the port first
            self.port = _free_port()
            self._log = tempfile.NamedTemporaryFile(prefix="prism-", suffix=".log")  # noqa: SIM115
            command = [node, str(entry), "mock", "-h", LOOPBACK, "-p", str(self.port)]
            self._proc = subprocess.Popen(
                [*command, str(self.spec)],
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                cwd=PRISM_DIR,
                env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
            )
            reason = self._wait_ready()
            if reason is None:
                return self.base_url
            failures.append(f"{reason}\n{_tail(self.log())}")
            self.stop()
        raise PrismUnavailable(
            f"prism mock {self.spec} did not start:\n" + "\n---\n".join(failures)
        )

    def _wait_ready(self) -> str | None:
        """None once Prism answers HTTP (any status), else why it never will."""
        assert self._proc is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                return f"prism exited with {code} before answering"
            try:
                httpx.get(f"{self.base_url}/", timeout=1.0)
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            return None
        return f"prism did not answer on {self.base_url} within {self.startup_timeout:.0f}s"

    def stop(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.terminate()
                try:
                    self._proc.wait(5)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait(5)
            self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
