"""`codegen diff` on the largest corpus spec (Plaid, 3 MB of YAML) against a copy with
20 changes, as a ratio against loading that spec once, measured in the same run.

    python benchmarks/diff_speed.py [--rounds N]        # prints one table
    from benchmarks.diff_speed import measure           # -> dict (what run.py reports)

The diff loads both versions (``codegen.load`` + ``codegen.spec``: the baseline is one
of those), compares them on the wire, builds both SDK surfaces from the IR (no
datamodel-code-generator, no rendering) and compares those. The copy is made once per
run (not timed): the spec is read with PyYAML, edited (operationIds renamed, an endpoint
removed and one added, properties added, removed, made required or nullable, an enum
value added and one removed, a type and a bound changed, a schema renamed, a parameter
added, a response removed, a description edited, the server changed) and both versions
are written back with the same dumper, so they cost the same to load.
Target (issue 9): the diff in under 2 s. Medians of ``--rounds`` interleaved rounds.

The diff builds the older version in a forked process when a second CPU is free
(``codegen.diff.sides.worth_forking``: two CPUs, load average under one), so its wall
time is reported with how many rounds forked, beside its CPU time (this process and the
forked one together), beside the same diff run serially (``parallel=False``), which is
what a one-CPU machine, or a busy one, gets, and beside it forced to fork
(``parallel=True``), which is what a machine with a free second CPU gets.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from codegen.diff.compare import diff_specs, load_version  # noqa: E402
from codegen.diff.sides import worth_forking  # noqa: E402

PLAID = ROOT.parent / "shared" / "specs-corpus" / "plaid-2020-09-14.yml"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _edit(doc: dict[str, Any]) -> dict[str, Any]:
    """Twenty changes of the kinds real APIs make between releases."""
    new = copy.deepcopy(doc)
    paths = new["paths"]
    schemas = new["components"]["schemas"]
    ops = [
        (p, m, op)
        for p, item in paths.items()
        for m, op in item.items()
        if isinstance(op, dict) and "responses" in op
    ]
    ops[0][2]["operationId"] += "V2"  # 1, 2: methods renamed
    ops[1][2]["operationId"] += "V2"
    del paths[ops[2][0]]  # 3: an endpoint removed
    paths["/beta" + ops[3][0]] = copy.deepcopy(paths[ops[3][0]])  # 4: one added
    paths["/beta" + ops[3][0]][ops[3][1]]["operationId"] = "betaCopy"
    ops[4][2]["deprecated"] = True  # 5: deprecated
    base = schemas["AccountBase"]
    base["properties"]["nickname"] = {"type": "string"}  # 6, 7: optional properties added
    schemas["AccountBalance"]["properties"]["as_of"] = {"type": "string", "format": "date-time"}
    del base["properties"]["official_name"]  # 8: a property removed
    base["properties"]["verification_status"]["enum"].append("pending_review")  # 9
    schemas["AccountType"]["enum"].pop()  # 10: an enum value removed
    base.setdefault("required", []).append("mask")  # 11: made required
    base["properties"]["name"]["type"] = "integer"  # 12: a type changed
    base["properties"]["name"]["maxLength"] = 30  # 13: a bound added
    base["properties"]["mask"]["nullable"] = False  # 14: no longer nullable
    body = ops[5][2].get("requestBody", {}).get("content", {})
    for media in body.values():  # 15: a request schema gains a required property
        target = media["schema"]
        if "$ref" in target:
            target = schemas[target["$ref"].rsplit("/", 1)[1]]
        target.setdefault("properties", {})["reason"] = {"type": "string"}
        target.setdefault("required", []).append("reason")
    responses = ops[6][2]["responses"]
    responses.pop(next(s for s in responses if s != "200"), None)  # 16: a response removed
    ops[7][2]["description"] = "Rewritten description."  # 17: a pure description edit
    ops[8][2].setdefault("parameters", []).append(  # 18: a header parameter added
        {"name": "Plaid-Trace", "in": "header", "schema": {"type": "string"}}
    )
    new["servers"] = [{"url": "https://sandbox2.plaid.com"}]  # 19: server changed
    text = json.dumps(new).replace(
        '"#/components/schemas/AccountSubtype"', '"#/components/schemas/AccountKind"'
    )
    new = json.loads(text)  # 20: a schema renamed
    new["components"]["schemas"]["AccountKind"] = new["components"]["schemas"].pop("AccountSubtype")
    return new


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.mkdir(parents=True)
    target = path / "openapi.yaml"
    target.write_text(yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True))
    return target


def _cpu() -> float:
    """CPU seconds of this process and of its waited-for children (the forked side)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def make_pair(folder: Path) -> tuple[Path, Path]:
    """Plaid and its copy with 20 changes, written to ``folder``/old and ``folder``/new."""
    doc = yaml.load(PLAID.read_text(), Loader=_Loader)
    return _write(folder / "old", doc), _write(folder / "new", _edit(doc))


def measure(rounds: int = 3) -> dict[str, float]:
    """Median seconds of one load, of one diff (wall and CPU), of one serial diff and of
    one diff forced to fork, the diff's ratio to the load, and the changes found."""
    with tempfile.TemporaryDirectory(prefix="diff-bench-") as tmp:
        old, new = make_pair(Path(tmp))
        names = ("load", "diff", "cpu", "serial", "forked")
        samples: dict[str, list[float]] = {k: [] for k in names}
        found = forked = 0
        has_fork = hasattr(os, "fork")
        for _ in range(rounds):
            start = time.perf_counter()
            load_version(old)
            samples["load"].append(time.perf_counter() - start)
            forked += worth_forking(old, new)
            start, cpu = time.perf_counter(), _cpu()
            result = diff_specs(old, new, api="plaid")
            samples["diff"].append(time.perf_counter() - start)
            samples["cpu"].append(_cpu() - cpu)
            found = len(result.changes)
            start = time.perf_counter()
            serial = diff_specs(old, new, api="plaid", parallel=False)
            samples["serial"].append(time.perf_counter() - start)
            if has_fork:
                start = time.perf_counter()
                fork = diff_specs(old, new, api="plaid", parallel=True)
                samples["forked"].append(time.perf_counter() - start)
                if fork.changes != serial.changes:
                    raise AssertionError("the serial and the forked diff disagree")
            if serial.changes != result.changes:
                raise AssertionError("the serial diff and the diff disagree")
    load_s, diff_s = statistics.median(samples["load"]), statistics.median(samples["diff"])
    return {
        "load_s": load_s,
        "diff_s": diff_s,
        "ratio": diff_s / load_s,
        "diff_cpu_s": statistics.median(samples["cpu"]),
        "serial_s": statistics.median(samples["serial"]),
        "forked_s": statistics.median(samples["forked"]) if samples["forked"] else float("nan"),
        "changes": found,
        "forked_rounds": forked,
        "rounds": rounds,
    }


def report(r: dict[str, float]) -> None:
    print(f"Plaid ({PLAID.stat().st_size / 1e6:.1f} MB) vs a copy with 20 changes:")
    print(f"  load + parse once   {r['load_s']:.2f} s   1.00x (baseline)")
    print(
        f"  codegen diff        {r['diff_s']:.2f} s   {r['ratio']:.2f}x   "
        f"({r['changes']:.0f} changes; target < 2 s)"
    )
    forked = f"forked in {r['forked_rounds']:.0f} of {r['rounds']:.0f} rounds"
    print(f"    CPU               {r['diff_cpu_s']:.2f} s   ({forked}; CPU of both processes)")
    print(f"  diff, serial        {r['serial_s']:.2f} s   {r['serial_s'] / r['load_s']:.2f}x")
    print(f"  diff, always forked {r['forked_s']:.2f} s   {r['forked_s'] / r['load_s']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    report(measure(args.rounds))


if __name__ == "__main__":
    main()
