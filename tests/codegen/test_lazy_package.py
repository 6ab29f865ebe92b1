"""Generated packages load models and resources on first use (codegen.render.modelsplit)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codegen.render.modelsplit import split_models

ROOT = Path(__file__).resolve().parents[2]

SOURCE = '''
from pydantic import Field

from clientcore import APIModel, OpenEnum

from ._links import TaskLinks


class Status(OpenEnum):
    """The status of a Task (naming Task here is no reference)."""

    done = "done"


class Task(TaskLinks):
    status: Status
    batch: Optional["Batch"] = None


class Batch(APIModel):
    tasks: list[Task] = Field(default_factory=list)


class Leaf(APIModel):
    name: str


class Holder(APIModel):
    leaf: Leaf | None = None
'''


def test_cycles_share_a_module_and_dependencies_are_imported() -> None:
    parts = split_models(SOURCE, "# header")
    assert parts.module_of == {
        "Status": "status",
        "Task": "task",
        "Batch": "task",
        "Leaf": "leaf",
        "Holder": "holder",
    }
    assert set(parts.files) == {"__init__.py", "status.py", "task.py", "leaf.py", "holder.py"}
    task = parts.files["task.py"]
    assert task.startswith("# header\n")
    assert "from .status import Status" in task
    assert "from .._links import TaskLinks" in task  # one package level deeper
    assert task.index("class Task(") < task.index("class Batch(")  # source order kept
    assert "from .task import" not in parts.files["status.py"]  # a docstring is no edge
    assert "from .leaf import Leaf" in parts.files["holder.py"]


def test_init_is_lazy_and_typed() -> None:
    init = split_models(SOURCE, "# header").files["__init__.py"]
    compile(init, "__init__.py", "exec")  # valid Python
    assert "if TYPE_CHECKING:\n    from .task import Batch as Batch\n" in init
    assert "def __getattr__(name: str)" in init
    for name in ("Status", "Task", "Batch", "Leaf", "Holder"):
        assert f"    {name!r}," in init


def test_empty_and_unexpected_sources() -> None:
    assert split_models("", "# h").files == {
        "__init__.py": '# h\n"""The API defines no models."""\n\n__all__: list[str] = []\n'
    }
    with pytest.raises(ValueError, match="unexpected statement at line 2"):
        split_models("class A: pass\nA.model_rebuild()\n", "# h")


def _probe(code: str) -> str:
    env = {"PYTHONPATH": f"{ROOT}{':'}{ROOT / 'generated'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_package_creates_no_model_and_no_resource() -> None:
    out = _probe(
        """
        import sys
        import scale_client
        client = scale_client.ScaleClient("key")
        loaded = sorted(m for m in sys.modules if m.startswith("scale_client."))
        print(" ".join(loaded))
        """
    )
    assert "scale_client._client" in out.split()
    assert "scale_client.models." not in out
    assert "scale_client.resources." not in out


def test_a_model_loads_its_dependency_closure_only() -> None:
    out = _probe(
        """
        import sys
        from scale_client import Teammate, TeammateRole
        import scale_client.models as models
        assert Teammate is models.Teammate and "Teammate" in dir(models)
        assert Teammate.model_fields["role"] is not None
        import scale_client
        assert scale_client.Teammate is Teammate and "Teammate" in dir(scale_client)
        try:
            models.NoSuchModel
        except AttributeError as exc:
            print("error:", exc)
        try:
            scale_client.NoSuchModel
        except AttributeError as exc:
            print("error:", exc)
        loaded = sorted(m for m in sys.modules if m.startswith("scale_client.models."))
        print(len(loaded), len(models.__all__))
        """
    )
    error, root_error, counts = out.splitlines()
    assert error == "error: module 'scale_client.models' has no attribute 'NoSuchModel'"
    assert root_error == "error: module 'scale_client' has no attribute 'NoSuchModel'"
    loaded, total = map(int, counts.split())
    assert 2 <= loaded < 10 and total > 100
