"""``typed_seed.py`` (the README's calls with annotated variables) runs on the sync and async
clients with the expected output, and passes ``mypy --strict``; the same mypy set-up
rejects wrong calls, so the check is not vacuous.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.scale import typed_seed
from tests.scale.conftest import FakeServer
from tests.scale.seed_docs_support import SeedState, readme_aclient, readme_client

ROOT = Path(__file__).resolve().parents[2]


def test_typed_seed_runs_sync(scale_fake: FakeServer, seeded: SeedState) -> None:
    with readme_client(scale_fake) as client:
        out = typed_seed.seed_flow(client)
    _check_typed_seed_output(out, scale_fake, seeded)


async def test_typed_seed_runs_async(scale_fake: FakeServer, seeded: SeedState) -> None:
    async with readme_aclient(scale_fake) as client:
        out = await typed_seed.aseed_flow(client)
    _check_typed_seed_output(out, scale_fake, seeded)


def _check_typed_seed_output(out: list[str], fake: FakeServer, seeded: SeedState) -> None:
    store = fake.store
    created_id = store.unique_ids["c235d023af73"]
    projects = [
        f"Downloading project {i} | {name} | {p['type']}"
        for i, (name, p) in enumerate(store.projects.items(), start=1)
    ]
    assert out == [
        f"created {created_id}",
        'The unique_id ("c235d023af73") is already used for a different task.',
        "pending",
        "None",
        *seeded.matching,
        "3 tasks retrieved",
        "canceled",
        "in_progress",
        "1 1",
        "Downloading batch 1 | done_1 | test_project",
        "Downloading batch 2 | done_2 | test_project",
        "2 batches retrieved",
        "Test_Project",
        *projects,
        "400",
        'Parameter is invalid, reason: "attachments" is required',
    ]
    assert len(projects) == 4


def _mypy(target: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPYPATH": f"{ROOT}{os.pathsep}{ROOT / 'generated'}"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--python-version",
            "3.11",
            str(target),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_typed_seed_passes_mypy_strict(tmp_path: Path) -> None:
    done = _mypy(ROOT / "tests" / "scale" / "typed_seed.py", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout


def test_mypy_check_is_not_vacuous(tmp_path: Path) -> None:
    """The same set-up rejects wrong calls: a misspelt keyword, a wrong argument type and
    a result used as the wrong model, so passing above means the calls are really typed."""
    bad = tmp_path / "bad_seed.py"
    bad.write_text(
        textwrap.dedent(
            """
            from scale_client import Batch, ScaleClient, TaskStatus

            def flow(client: ScaleClient) -> None:
                client.get_project(project_nme="test_project")
                client.get_tasks(project_name="p", status=42)
                wrong: Batch = client.get_task("30553edd0b6a93f8f05f0fee")
                status: TaskStatus = client.get_batch("b").status
            """
        )
    )
    done = _mypy(bad, tmp_path)
    assert done.returncode == 1, done.stdout
    out = done.stdout
    assert 'Unexpected keyword argument "project_nme"' in out
    assert 'Argument "status" to "get_tasks" of "ScaleClient" has incompatible type "int"' in out
    assert (
        'Incompatible types in assignment (expression has type "Task", variable has type "Batch")'
        in out
    )
    assert '(expression has type "BatchStatus", variable has type "TaskStatus")' in out
