"""``x-body-codec-options``: one hand-written codec configured per operation (the seam
the Decthings envelope uses for its per-method blob mappings), and its spec errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.diagnostics import SpecError
from codegen.pipeline import compile_spec
from tests.support.compiled import compiled_package

SPEC = """\
openapi: 3.1.0
info: {title: Opts, version: "1"}
servers: [{url: "http://127.0.0.1:1"}]
x-python-client: {name: Opts, async_name: AsyncOpts}
x-body-codec: tagged.TAGGED
paths:
  /a:
    post:
      operationId: a
      x-python-resource: ""
      x-body-codec-options: {tag: alpha, at: [x, 1], flag: true}
      requestBody:
        content: {application/x-tag: {schema: {type: object, properties: {v: {type: string}}}}}
      responses: {"200": {description: ok}}
  /b:
    post:
      operationId: b
      x-python-resource: ""
      requestBody:
        content: {application/x-tag: {schema: {type: object, properties: {v: {type: string}}}}}
      responses: {"200": {description: ok}}
"""

CODEC = '''\
"""A codec that remembers how it was configured."""

from __future__ import annotations

import json


class Tagged:
    content_type = "application/x-tag"
    accept = "application/x-tag"

    def __init__(self, options: object = None) -> None:
        self.options = options

    def configure(self, options: object) -> "Tagged":
        return Tagged(options)

    def encode(self, value: object) -> bytes:
        return json.dumps(value).encode()

    def decode(self, content: bytes) -> object:
        return json.loads(content)


TAGGED = Tagged()
'''


def _write(folder: Path, spec: str) -> Path:
    (folder / "python").mkdir(parents=True)
    (folder / "python" / "tagged.py").write_text(CODEC)
    (folder / "openapi.yaml").write_text(spec)
    return folder / "openapi.yaml"


def test_each_operation_gets_its_configured_codec(tmp_path: Path) -> None:
    spec = _write(tmp_path / "spec", SPEC)
    with compiled_package(spec, "opts_seam_client", tmp_path / "out") as pkg:
        client_module = __import__(f"{pkg.__name__}._client", fromlist=["_A"])
        ops = {
            op.path: op for op in vars(client_module).values() if type(op).__name__ == "Operation"
        }
        assert ops["/a"].codec.options == {"tag": "alpha", "at": ["x", 1], "flag": True}
        assert ops["/b"].codec.options is None  # the API's codec, unconfigured


def test_options_without_a_hand_written_codec_are_an_error(tmp_path: Path) -> None:
    bad = SPEC.replace("x-body-codec: tagged.TAGGED\n", "")
    spec = _write(tmp_path / "spec", bad)
    with pytest.raises(SpecError) as caught:
        compile_spec(spec, package="opts_bad_client")
    assert "x-body-codec-options without a hand-written x-body-codec" in str(caught.value)
    assert "/paths/~1a/post/x-body-codec-options" in str(caught.value)


def test_the_generated_line_calls_configure(tmp_path: Path) -> None:
    spec = _write(tmp_path / "spec", SPEC)
    files = compile_spec(spec, package="opts_text_client").files
    text = "".join(str(v) for k, v in files.items() if str(k).endswith("_client.py"))
    line = "codec=_custom_tagged.TAGGED.configure({'tag': 'alpha', 'at': ['x', 1], 'flag': True})"
    assert line in text
