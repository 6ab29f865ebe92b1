"""Parity cases for teammates and Studio: invite and set role, assignments, project groups,
Studio batches with their priorities (each client called its own way, and scaleapi's own
signature, excluded on ours as a documented difference).
"""

from __future__ import annotations

from typing import Any

from .case_helpers import SLASH_BATCH, _get, _studio_project, _studio_two_batches, _val
from .harness import CaseEnv, case


@case()
def teams_invite_and_set_role(client: Any, env: CaseEnv) -> None:
    assert len(client.list_teammates()) == 2
    team = client.invite_teammates(
        emails=["new1@example.com", "new2@example.com"], role=env.TeammateRole.Labeler
    )
    assert len(team) == 4
    team = client.update_teammates_role(emails=["new1@example.com"], role=env.TeammateRole.Manager)
    assert {t.email: _val(t.role) for t in team}["new1@example.com"] == "manager"


@case()
def studio_assignments(client: Any, env: CaseEnv) -> None:
    project = _studio_project(client, env)
    assert len(client.list_studio_assignments()) == 0
    added = client.add_studio_assignments(
        emails=["labeler1@example.com", "l2@example.com"], projects=[project, "test_project"]
    )
    assert sorted(added) == ["l2@example.com", "labeler1@example.com"]
    removed = client.remove_studio_assignments(emails=["l2@example.com"], projects=["test_project"])
    assert len(removed) == 2


@case()
def studio_project_groups(client: Any, env: CaseEnv) -> None:
    project = _studio_project(client, env)
    group = client.create_project_group(
        project, emails=["labeler1@example.com"], project_group="group a/b"
    )
    assert group.name == "group a/b"
    assert [g.name for g in client.list_project_groups(project)] == ["group a/b"]
    updated = client.update_project_group(
        project, "group a/b", add_emails=["x@example.com"], remove_emails=["labeler1@example.com"]
    )
    assert _get(updated, "numWorkers", _get(updated, "num_workers")) == 1


@case()
def studio_batches_assign_and_reset(client: Any, env: CaseEnv) -> None:
    _studio_two_batches(client, env)
    assert len(client.list_studio_batches()) == 2
    assigned = client.assign_studio_batches(SLASH_BATCH, project_groups=["group a/b"])
    assert list(assigned.groups) == ["group a/b"]
    reset = client.reset_studio_batches_priorities()
    assert [b.name for b in reset] == [SLASH_BATCH, "second batch"]


@case()
def studio_set_priorities_each_in_its_own_shape(client: Any, env: CaseEnv) -> None:
    """Same wire request, each client called its own way: scaleapi takes
    ``batch_names=[...]``, ours the wire shape ``batches=[{"name": ...}]`` (spec header)."""
    _studio_two_batches(client, env)
    names = ["second batch", SLASH_BATCH]
    if env.flavour == "scaleapi":
        ordered = client.set_studio_batches_priorities(batch_names=names)
    else:
        ordered = client.set_studio_batches_priorities(batches=[{"name": n} for n in names])
    assert [b.name for b in ordered] == names


@case(
    excluded="deliberate difference (spec header): set_studio_batches_priorities takes "
    "batches=[{'name': ...}], not scaleapi's batch_names=[...]"
)
def studio_set_priorities_scaleapi_signature(client: Any, env: CaseEnv) -> None:
    """scaleapi's own call, verbatim (our client raises TypeError: no ``batch_names``)."""
    _studio_two_batches(client, env)
    ordered = client.set_studio_batches_priorities(batch_names=["second batch", SLASH_BATCH])
    assert [b.name for b in ordered] == ["second batch", SLASH_BATCH]
