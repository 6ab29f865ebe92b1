"""Generation time: our compiler against openapi-python-client and datamodel-codegen.

For spotify, twilio_conversations_v1 and Plaid (``../shared/specs-corpus``), each a
fresh process as a user runs it, bytecode caches warm (``PYTHONDONTWRITEBYTECODE``
unset, one warm-up run per tool first), rounds interleaved, medians reported:

* ours: ``python -m codegen generate --spec SPEC --out DIR --package NAME --quiet``
  (load, validate, models, clients, ruff format, written);
* openapi-python-client 0.29.1: ``openapi-python-client generate --path SPEC
  --output-path DIR --overwrite`` (its ruff post-hooks included). It is installed, pinned,
  into its own virtual environment (``.nox/bench-peers/opc-0.29.1``; its dependencies
  may clash with ours) on first use, by this script;
* datamodel-codegen alone (models only, no client), with the option set of
  ``../shared/reference/toolchain.md``.

Ratios are ours / peer, taken in the same run (the load average before and after is
printed: other work on the machine slows every tool); CPU seconds (user + system, child
processes included: our validation child, their ruff) are shown beside wall time, being
less disturbed by other work on a shared machine. Targets (issue 10): faster than
openapi-python-client on each spec, and each under 5 s.

Linear growth: spotify concatenated with itself 1, 2 and 4 times (schemas, parameters,
responses and paths copied under new names, every ``$ref`` renamed), compiled by our
CLI; seconds per copy should stay flat (a quadratic stage would double it each step).

    python benchmarks/codegen_speed.py [--rounds N] [--specs spotify,...] [--json PATH]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "specs-corpus"
SPECS = {
    "spotify": CORPUS / "spotify.yaml",
    "twilio_conversations_v1": CORPUS / "twilio_conversations_v1.yaml",
    "plaid": CORPUS / "plaid-2020-09-14.yml",
}
OPC = "openapi-python-client==0.29.1"
PEERS = ROOT / ".nox" / "bench-peers" / "opc-0.29.1"
# ../shared/reference/toolchain.md, "A clean option set"
DMCG_OPTIONS = (
    "--input-file-type openapi --output-model-type pydantic_v2.BaseModel --disable-timestamp "
    "--snake-case-field --allow-population-by-field-name --use-annotated --field-constraints "
    "--use-standard-collections --use-union-operator --use-title-as-name "
    "--collapse-root-models --use-schema-description --openapi-scopes schemas paths "
    "parameters --target-python-version 3.11 --formatters builtin"
).split()
TARGET_SECONDS = 5.0


def _env(bin_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users have bytecode caches
    if bin_dir is not None:  # as if its environment were activated (its ruff on PATH)
        env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    return env


def peer_python() -> Path:
    """The peer environment's interpreter, made and filled on first use."""
    python = PEERS / "bin" / "python"
    marker = PEERS / "installed.txt"
    if not (python.exists() and marker.exists() and marker.read_text() == OPC):
        print(f"installing {OPC} into {PEERS.relative_to(ROOT)} ...", file=sys.stderr)
        venv.EnvBuilder(clear=True, with_pip=True).create(PEERS)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", OPC],
            check=True,
        )
        marker.write_text(OPC)
    return python


CPU: list[float] = []  # CPU seconds (user + system) of each timed run, its children included


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], cwd: Path) -> float:
    """Wall seconds of one run (its CPU seconds go to :data:`CPU`)."""
    env = _env(Path(cmd[0]).parent if os.sep in cmd[0] else None)
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    CPU.append(_children_cpu() - cpu)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{cmd[0]} ... failed ({done.returncode}): {' | '.join(tail)}")
    return seconds


class Tools:
    """One command line per tool; each call writes into a fresh folder under ``work``."""

    def __init__(self, work: Path, peer: Path | None) -> None:
        self.work = work
        self.peer = peer
        self.count = 0
        self.dmcg_folder: dict[Path, bool] = {}

    def _fresh(self) -> Path:
        self.count += 1
        folder = self.work / f"run{self.count}"
        folder.mkdir()
        return folder

    def ours(self, spec: Path, name: str) -> float:
        out = self._fresh() / "project"
        package = name.replace("-", "_") + "_client"
        cmd = [sys.executable, "-m", "codegen", "generate", "--spec", str(spec)]
        return _timed([*cmd, "--out", str(out), "--package", package, "--quiet"], ROOT)

    def opc(self, spec: Path, name: str) -> float:
        assert self.peer is not None
        out = self._fresh() / "client"
        cli = str(self.peer.parent / "openapi-python-client")
        cmd = [cli, "generate", "--path", str(spec), "--output-path", str(out), "--overwrite"]
        return _timed(cmd, out.parent)

    def dmcg(self, spec: Path, name: str) -> float:
        """datamodel-codegen into one file, or a folder where the spec's dotted schema
        names make it a package (it refuses the wrong kind of output, after the work:
        the kind is learned once, untimed)."""
        cli = str(Path(sys.executable).parent / "datamodel-codegen")
        if spec not in self.dmcg_folder:
            try:
                _timed(
                    [
                        cli,
                        "--input",
                        str(spec),
                        "--output",
                        str(self._fresh() / "m.py"),
                        *DMCG_OPTIONS,
                    ],
                    self.work,
                )
                self.dmcg_folder[spec] = False
            except RuntimeError as exc:
                if "output directory" not in str(exc):
                    raise
                self.dmcg_folder[spec] = True
        out = self._fresh() / ("models" if self.dmcg_folder[spec] else "models.py")
        cmd = [cli, "--input", str(spec), "--output", str(out), *DMCG_OPTIONS]
        return _timed(cmd, out.parent)


def compare(
    specs: dict[str, Path], rounds: int, tools: Tools
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """Median wall and CPU seconds per (spec, tool), rounds interleaved."""
    runners: dict[str, Callable[[Path, str], float]] = {"ours": tools.ours, "dmcg": tools.dmcg}
    if tools.peer is not None:
        runners["opc 0.29.1"] = tools.opc
    first = next(iter(specs.items()))
    for run in runners.values():  # warm-up: bytecode caches written
        run(first[1], first[0])
    for name, spec in specs.items():  # and the kind of output datamodel-codegen wants
        tools.dmcg(spec, name)
    samples: dict[str, dict[str, list[float]]] = {s: {t: [] for t in runners} for s in specs}
    cpu: dict[str, dict[str, list[float]]] = {s: {t: [] for t in runners} for s in specs}
    for _ in range(rounds):
        for name, spec in specs.items():
            for tool, run in runners.items():
                samples[name][tool].append(run(spec, name))
                cpu[name][tool].append(CPU[-1])
    return _medians(samples), _medians(cpu)


def _medians(samples: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    return {
        name: {tool: statistics.median(values) for tool, values in per_tool.items()}
        for name, per_tool in samples.items()
    }


_KINDS = ("schemas", "parameters", "responses", "requestBodies", "headers", "examples", "links")


def _renamed(node: Any, suffix: str) -> Any:
    """``node`` with every local component ``$ref`` pointing at its ``suffix`` copy."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                parts = value.split("/")
                if len(parts) == 4 and parts[:2] == ["#", "components"] and parts[2] in _KINDS:
                    value = f"{value}{suffix}"
            out[key] = _renamed(value, suffix)
        return out
    if isinstance(node, list):
        return [_renamed(item, suffix) for item in node]
    return node


def concatenated(document: dict[str, Any], copies: int) -> dict[str, Any]:
    """``document`` with its paths and components ``copies`` times over (see notes)."""
    out = copy.deepcopy(document)
    components = out.setdefault("components", {})
    for k in range(2, copies + 1):
        suffix = f"Copy{k}"
        for kind in _KINDS:
            for name, value in (document.get("components", {}).get(kind) or {}).items():
                components[kind][f"{name}{suffix}"] = _renamed(value, suffix)
        for path, item in (document.get("paths") or {}).items():
            item = _renamed(item, suffix)
            for operation in item.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    operation["operationId"] += suffix
                if isinstance(operation, dict) and "tags" in operation:
                    operation["tags"] = [f"{tag}{suffix}" for tag in operation["tags"]]
            out["paths"][f"/copy{k}{path}"] = item
    return out


def growth(rounds: int, tools: Tools, factors: tuple[int, ...] = (1, 2, 4)) -> dict[int, float]:
    """Median seconds of our CLI on spotify concatenated ``factor`` times."""
    import yaml  # type: ignore[import-untyped]

    document = yaml.safe_load(SPECS["spotify"].read_text(encoding="utf-8"))
    specs = {}
    for factor in factors:
        path = tools.work / f"spotify_x{factor}.json"
        path.write_text(json.dumps(concatenated(document, factor), default=str), encoding="utf-8")
        specs[factor] = path
    samples: dict[int, list[float]] = {f: [] for f in factors}
    tools.ours(specs[factors[0]], "growth")  # warm-up
    for _ in range(rounds):
        for factor, path in specs.items():
            samples[factor].append(tools.ours(path, f"spotify_x{factor}"))
    return {factor: statistics.median(values) for factor, values in samples.items()}


def _load() -> float:
    """The last minute's load average (other work on a shared machine), or -1."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else -1.0


def _table(figures: dict[str, dict[str, float]]) -> None:
    tool_names = list(next(iter(figures.values())))
    print(f"  {'spec':26}" + "".join(f"{t:>13}" for t in tool_names) + "   ours/peer")
    for name, per_tool in figures.items():
        row = "".join(f"{per_tool[t]:11.2f} s" for t in tool_names)
        ratios = ", ".join(
            f"{per_tool['ours'] / per_tool[t]:.2f}x {t.split()[0]}"
            for t in tool_names
            if t != "ours"
        )
        print(f"  {name:26}{row}   {ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--specs", default=",".join(SPECS), help="comma-separated subset")
    parser.add_argument("--no-peer", action="store_true", help="skip openapi-python-client")
    parser.add_argument("--no-growth", action="store_true", help="skip the linear-growth runs")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"error: the spec corpus is not at {CORPUS}")
    specs = {name: SPECS[name] for name in args.specs.split(",")}
    peer = None if args.no_peer else peer_python()
    report: dict[str, Any] = {}
    work = Path(tempfile.mkdtemp(prefix="codegen-speed-"))
    try:
        tools = Tools(work, peer)
        before = _load()
        figures, cpu = compare(specs, args.rounds, tools)
        report["load_average"] = [before, _load()]
        print(f"\nload average (1 min) before and after the runs: {before:.2f}, {_load():.2f}")
        report["generation_s"] = figures
        report["generation_cpu_s"] = cpu
        for title, table in (("Generation time", figures), ("CPU time (user+sys)", cpu)):
            print(f"\n{title}, fresh process, bytecode warm (median of {args.rounds})")
            _table(table)
        if not args.no_growth:
            grown = growth(args.rounds, tools)
            report["growth_s"] = grown
            print("\nLinear growth: spotify concatenated (our CLI, median)")
            base = grown[1]
            for factor, seconds in grown.items():
                per_copy = seconds / factor
                print(
                    f"  x{factor}  {seconds:6.2f} s  {per_copy:5.2f} s per copy"
                    f"  ({per_copy / base:.2f}x the single spec's)"
                )
        print("\nTargets")
        for name, per_tool in figures.items():
            ours = per_tool["ours"]
            opc = per_tool.get("opc 0.29.1")
            versus = f"{ours / opc:.2f}x openapi-python-client (< 1x)" if opc else "no peer run"
            print(f"  {name:26} {ours:5.2f} s (< {TARGET_SECONDS:g} s), {versus}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
