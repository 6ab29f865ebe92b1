"""Decthings benchmarks: tensor encode and decode throughput, as ratios.

For numeric dtypes, MB/s of ``DecthingsTensor(array, dtype).serialize()`` and of
``DecthingsTensor.deserialize(blob)[0].numpy()`` against decthings-api 0.0.4's codec
(the official one) and against numpy's ``tobytes`` / ``frombuffer`` (the limit: a copy of
the bytes), all measured in the same run, rounds interleaved, medians kept.  Strings
(no numpy baseline) against the official codec.  Target (issue 8): at least 0.5x numpy
for numeric dtypes.

Run alone with ``python benchmarks/decthings.py`` or through ``benchmarks/run.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "generated")]

import numpy as np  # noqa: E402
from decthings_client import DecthingsTensor  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from decthings_api.tensor import DecthingsTensor as Official  # noqa: E402

SIZE = 4 * 2**20  # bytes of tensor data per numeric case
NUMERIC = {"f32": "<f4", "f64": "<f8", "i32": "<i4", "u8": "u1"}


def _best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def tensor_rates(rounds: int = 5) -> dict[str, dict[str, float]]:
    """MB/s per case and codec: ``{"f32 encode": {"numpy": .., "ours": .., "official": ..}}``."""
    cases: dict[str, dict[str, Callable[[], object]]] = {}
    sizes: dict[str, int] = {}
    rng = np.random.default_rng(0)
    for dtype, np_dtype in NUMERIC.items():
        arr = (rng.random(SIZE // np.dtype(np_dtype).itemsize) * 100).astype(np_dtype)
        blob = DecthingsTensor(arr, dtype).serialize()
        raw = arr.tobytes()
        assert Official(arr, dtype, list(arr.shape)).serialize() == blob
        sizes[f"{dtype} encode"] = sizes[f"{dtype} decode"] = arr.nbytes
        cases[f"{dtype} encode"] = {
            "numpy": arr.tobytes,
            "ours": lambda a=arr, d=dtype: DecthingsTensor(a, d).serialize(),
            "official": lambda a=arr, d=dtype: Official(a, d, list(a.shape)).serialize(),
        }
        cases[f"{dtype} decode"] = {
            "numpy": lambda r=raw, t=np_dtype: np.frombuffer(r, dtype=t).copy(),
            "ours": lambda b=blob: DecthingsTensor.deserialize(b)[0].numpy(),
            "official": lambda b=blob: Official.deserialize(b)[0].numpy(),
        }
    words = [f"word {i} é" for i in range(100_000)]
    text_blob = DecthingsTensor(words, "string", [len(words)]).serialize()
    sizes["string encode"] = sizes["string decode"] = len(text_blob)
    cases["string encode"] = {
        "ours": lambda: DecthingsTensor(words, "string", [len(words)]).serialize(),
        "official": lambda: Official(words, "string", [len(words)]).serialize(),
    }
    cases["string decode"] = {
        "ours": lambda: DecthingsTensor.deserialize(text_blob)[0].elements(),
        "official": lambda: Official.deserialize(text_blob)[0].numpy(),
    }
    samples: dict[str, dict[str, list[float]]] = {
        case: {name: [] for name in fns} for case, fns in cases.items()
    }
    for _ in range(rounds):  # interleaved
        for case, fns in cases.items():
            for name, fn in fns.items():
                samples[case][name].append(_best_of(fn, 3))
    return {
        case: {
            name: sizes[case] / statistics.median(times) / 1e6 for name, times in by_name.items()
        }
        for case, by_name in samples.items()
    }


def report(rates: dict[str, dict[str, float]]) -> None:
    print("Decthings tensors (MB/s; ratio against numpy, else against the official codec)")
    for case, by_name in rates.items():
        base = by_name.get("numpy", by_name["official"])
        cells = ", ".join(f"{name} {mbs:,.0f} ({mbs / base:.2f}x)" for name, mbs in by_name.items())
        print(f"  {case:<14} {cells}")


if __name__ == "__main__":
    report(tensor_rates())
