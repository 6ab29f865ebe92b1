"""A synthetic API of any size, to show that import cost does not grow with the API.

``synthetic_spec(models=1000)`` is an OpenAPI 3.1 document with that many object
schemas (strings, integers, an enum per ten models, arrays, and references to earlier
models, so the reference graph is deep), and one ``get``/``list`` operation pair per
ten models, spread over ten tags (resources). ``build(folder, models)`` compiles it
with ``python -m codegen`` into ``folder/synthetic_client``.

    python benchmarks/synthetic.py OUT_DIR [--models N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "synthetic_client"


def _model(i: int) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": {"type": "string"},
        "name": {"type": "string", "description": f"Name of thing {i}."},
        "count": {"type": "integer"},
        "score": {"type": ["number", "null"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "created_at": {"type": "string", "format": "date-time"},
    }
    if i % 10 == 0:
        props["state"] = {"type": "string", "enum": [f"s{i}_a", f"s{i}_b", f"s{i}_c"]}
    if i > 0:
        props["parent"] = {"$ref": f"#/components/schemas/Thing{(i - 1)}"}
    if i > 7:
        props["related"] = {
            "type": "array",
            "items": {"$ref": f"#/components/schemas/Thing{i // 2}"},
        }
    return {"type": "object", "required": ["id", "name"], "properties": props}


def synthetic_spec(models: int = 1000) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for i in range(0, models, 10):
        tag = f"group{(i // 10) % 10}"
        ref = {"$ref": f"#/components/schemas/Thing{i}"}
        paths[f"/things{i}/{{id}}"] = {
            "get": {
                "operationId": f"getThing{i}",
                "tags": [tag],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": ref}}}
                },
            }
        }
        paths[f"/things{i}"] = {
            "get": {
                "operationId": f"listThing{i}",
                "tags": [tag],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"type": "array", "items": ref}}
                        },
                    }
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1.0.0"},
        "servers": [{"url": "http://synthetic.invalid"}],
        "paths": paths,
        "components": {"schemas": {f"Thing{i}": _model(i) for i in range(models)}},
    }


def build(folder: Path, models: int = 1000) -> Path:
    """Write the spec and compile it; returns the package folder."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / f"synthetic-{models}.json"
    spec.write_text(json.dumps(synthetic_spec(models)))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "codegen",
            "generate",
            "--spec",
            str(spec),
            "--out",
            str(folder),  # the project folder: the package is folder/synthetic_client
            "--package",
            PACKAGE,
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return folder / PACKAGE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--models", type=int, default=1000)
    args = parser.parse_args()
    print(build(args.out, args.models))


if __name__ == "__main__":
    main()
