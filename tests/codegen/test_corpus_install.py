"""Every spec of ../shared/specs-corpus (all of them, Plaid and oas-examples 3.0/3.1
included) becomes a project a user installs: generated with no flags, installed into one
fresh virtual environment with the runtime, imported there, and clean under ``ruff check``,
``ruff format --check`` and ``mypy --strict`` with the configuration it ships.

How it stays within its time budget (it runs in CI, ``nox -s tests``):

* projects are generated in two worker processes (``cli.main`` in-process: no interpreter
  start-up per spec) while the virtual environment is made and the runtime, hatchling,
  httpx, pydantic and mypy are installed from the package index;
* the 59 projects are installed in one ``pip install --no-deps --no-build-isolation`` (their
  dependencies are already there; hatchling builds them);
* ``mypy`` runs once over every package with the configuration the projects ship (the
  test checks each ships the same ``[tool.mypy]``, naming its own package), and with no
  flags at all, as a user runs it, in a few project folders; ``ruff`` runs in every folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path

import pytest

from tests.codegen.corpus_support import CORPUS, EXPECTED, SPECS, generate_project, package_name
from tests.support.prism import PrismServer

ROOT = Path(__file__).resolve().parents[2]

# spec -> why the generated package fails ``mypy --strict`` today (each must still fail:
# a spec that passes is taken off this list). Causes sit in codegen/ir/models.py.
MYPY_KNOWN: dict[str, str] = {}
# spec -> (what importing every name of the package raises, why); each must still fail.
IMPORT_KNOWN: dict[str, tuple[str, str]] = {}
# Project folders where ``mypy`` runs exactly as a user runs it: no argument at all.
BARE_MYPY = ("petstore.yaml", "oas-examples/3.0/petstore-simple-no-tags.yaml", "museum.yaml")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="spec corpus not available")


@dataclass
class Project:
    spec: str
    folder: Path
    package: str
    status: int
    stderr: str


@dataclass
class Installed:
    python: Path  # the fresh virtual environment's interpreter
    projects: dict[str, Project]
    mypy_cache: Path

    def bin(self, name: str) -> Path:
        return self.python.parent / name


def _run(cmd: list[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _venv(folder: Path) -> subprocess.Popen[str]:
    """Make the environment and install what every project needs, in the background."""
    python = folder / "bin" / "python"
    script = (
        f"{sys.executable} -m venv {folder} && "
        f"{python} -m pip install --quiet --disable-pip-version-check "
        f"hatchling mypy=={version('mypy')} {ROOT / 'clientcore'}"
    )
    return subprocess.Popen(
        ["sh", "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("corpus-projects")
    making = _venv(base / "venv")
    # the largest first, so the two workers finish together
    order = sorted(SPECS, key=lambda s: -(CORPUS / s).stat().st_size)
    folders = {
        spec: base / "projects" / package_name(spec).removesuffix("_client") for spec in SPECS
    }
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        futures = {s: pool.submit(generate_project, s, str(folders[s])) for s in order}
        results = {s: f.result() for s, f in futures.items()}
    projects = {s: Project(s, folders[s], package_name(s), *results[s]) for s in SPECS}
    output, _ = making.communicate(timeout=900)
    assert making.returncode == 0, f"making the virtual environment failed:\n{output[-3000:]}"
    python = base / "venv" / "bin" / "python"
    built = [p.folder for p in projects.values() if p.status == 0]
    done = _run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            *built,
        ],
        cwd=base,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    yield Installed(python, projects, base / "mypy-cache")


def test_the_whole_corpus_is_here() -> None:
    assert len(SPECS) == 59 and "plaid-2020-09-14.yml" in SPECS
    assert {"oas-examples/3.0/petstore.yaml", "oas-examples/3.1/webhooks.yaml"} <= set(SPECS)
    assert set(EXPECTED) | set(MYPY_KNOWN) | set(IMPORT_KNOWN) | set(BARE_MYPY) <= set(SPECS)
    assert len({package_name(s) for s in SPECS}) == len(SPECS)


@pytest.mark.parametrize("spec", SPECS)
def test_generates_with_no_flags_and_exactly_the_expected_warnings(
    installed: Installed, spec: str
) -> None:
    project = installed.projects[spec]
    assert project.status == 0, project.stderr
    warnings = [line for line in project.stderr.splitlines() if line.startswith("warning: ")]
    expected = EXPECTED.get(spec, ())
    for text in expected:
        assert any(text in w for w in warnings), (text, warnings)
    unexpected = [w for w in warnings if not any(text in w for text in expected)]
    assert not unexpected, "add these to corpus_support.EXPECTED or fix them"
    assert sorted(p.name for p in project.folder.iterdir()) == sorted(
        ["README.md", "pyproject.toml", project.package]
    )


def test_every_project_is_installed_and_imports(installed: Installed) -> None:
    """Each package imports from the environment (not the project folder), and every name
    in its ``__all__`` resolves: every model module loads."""
    packages = {p.package: s for s, p in installed.projects.items()}
    script = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        module = importlib.import_module(name)\n"
        "        assert '/site-packages/' in module.__file__, module.__file__\n"
        "        for attr in module.__all__:\n"
        "            getattr(module, attr)\n"
        "    except Exception as exc:\n"
        "        print(name, 'failed:', type(exc).__name__, exc)\n"
        "    else:\n"
        "        print(name, 'ok')\n"
    )
    done = _run([installed.python, "-c", script, *sorted(packages)], cwd=installed.python.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    results = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert sorted(results) == sorted(packages)
    failed = {packages[name]: result for name, result in results.items() if result != "ok"}
    assert set(failed) == set(IMPORT_KNOWN), failed
    for spec, (text, _why) in IMPORT_KNOWN.items():
        assert text in failed[spec], failed[spec]


@pytest.mark.parametrize("spec", SPECS)
def test_ruff_passes_in_the_project_folder_with_no_flags(installed: Installed, spec: str) -> None:
    folder = installed.projects[spec].folder
    ruff = Path(sys.executable).parent / "ruff"
    for cmd in ([ruff, "check"], [ruff, "format", "--check"]):
        done = _run([*cmd], cwd=folder)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def _mypy_section(project: Project) -> str:
    text = (project.folder / "pyproject.toml").read_text(encoding="utf-8")
    return text.split("\n[tool.mypy]\n", 1)[1]


@pytest.fixture(scope="module")
def mypy_errors(installed: Installed) -> dict[str, str]:
    """One ``mypy`` run over every package, with the configuration each ships (the same
    but for the package it names, checked here): package -> its error lines."""
    projects = list(installed.projects.values())
    for project in projects:
        assert _mypy_section(project) == f'files = ["{project.package}"]\nstrict = true\n'

    done = _run(
        [
            installed.bin("mypy"),
            "--config-file",
            projects[0].folder / "pyproject.toml",
            "--cache-dir",
            installed.mypy_cache,
            "--no-error-summary",
            *(p.folder / p.package for p in projects),
        ],
        cwd=installed.python.parent.parent.parent,
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]
    errors: dict[str, str] = {}
    packages = {p.package for p in projects}
    for line in done.stdout.splitlines():
        parts = Path(line.split(":", 1)[0]).parts
        package = next((part for part in parts if part in packages), "?")
        errors[package] = errors.get(package, "") + line + "\n"
    assert set(errors) <= packages, done.stdout[-3000:]
    return errors


@pytest.mark.parametrize("spec", SPECS)
def test_mypy_strict_passes(mypy_errors: dict[str, str], spec: str) -> None:
    found = mypy_errors.get(package_name(spec), "")
    if spec in MYPY_KNOWN:
        assert found, f"{spec} passes mypy now: take it off MYPY_KNOWN"
        pytest.xfail(MYPY_KNOWN[spec])
    assert not found, found[-3000:]


@pytest.mark.parametrize("spec", BARE_MYPY)
def test_mypy_with_no_arguments_in_the_project_folder(
    installed: Installed, mypy_errors: dict[str, str], spec: str
) -> None:
    """``mypy`` with nothing after it, in the folder, checks the package strictly (the
    shipped ``[tool.mypy]``); the cache the combined run warmed keeps it quick."""
    project = installed.projects[spec]
    done = _run(
        [installed.bin("mypy")], cwd=project.folder, MYPY_CACHE_DIR=str(installed.mypy_cache)
    )
    assert done.returncode == 0, done.stdout[-3000:]
    checked = int(done.stdout.split("no issues found in ")[1].split()[0])
    modules = list((project.folder / project.package).rglob("*.py"))
    assert checked == len(modules)


def test_the_runtime_installs_alone_with_only_httpx_and_pydantic(installed: Installed) -> None:
    """``pip install ./clientcore``: the package and py.typed, needing httpx and pydantic;
    the compiler's dependencies are not in the environment, and every package imported."""
    script = (
        "import importlib.metadata as m, importlib.util as u\n"
        "d = m.distribution('specclients-runtime')\n"
        "print(sorted(str(f) for f in d.files if f.suffix != '.pyc' "
        "and not str(f).startswith(('..', 'specclients_runtime-'))))\n"
        "print(sorted(r.split(';')[0] for r in d.requires))\n"
        "print([n for n in ('codegen', 'jinja2', 'datamodel_code_generator', 'yaml', "
        "'openapi_spec_validator') if u.find_spec(n)])\n"
    )
    done = _run([installed.python, "-c", script], cwd=installed.python.parent)
    assert done.returncode == 0, done.stderr
    files, requires, compiler = done.stdout.splitlines()
    shipped = sorted(f"clientcore/{p.name}" for p in (ROOT / "clientcore").glob("*.py"))
    assert files == repr(sorted([*shipped, "clientcore/py.typed"]))
    assert requires == repr(["httpx<0.29,>=0.27", "pydantic<3,>=2.7"])
    assert compiler == "[]"


def test_the_readme_path_for_your_own_spec(installed: Installed) -> None:
    """README "Your own spec": its Python block runs as written in the environment the
    generated petstore project was installed into, against Prism serving the spec, and
    prints what its comments say."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your own spec", 1)[1].split("\n## ", 1)[0]
    assert "--package petstore_client" in section
    block = section.split("```python\n", 1)[1].split("```", 1)[0]
    promised = [line.split("  # ")[-1] for line in block.splitlines() if "print(" in line]
    with PrismServer(CORPUS / "petstore.yaml") as base_url:
        code = block.replace("http://127.0.0.1:4010", base_url)
        done = _run([installed.python, "-c", code], cwd=installed.python.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == promised
