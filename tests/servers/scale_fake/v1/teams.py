"""v1 teams: list teammates, invite them, set their role."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, bad_request, not_found, utc
from ..store import Store
from .routing import R, _store

TEAM_ROLES = ("labeler", "member", "manager", "admin")


def _team(s: Store) -> list[dict[str, Any]]:
    return [dict(m) for m in s.teammates.values()]


def _emails_role(ctx: Ctx) -> tuple[list[str], str]:
    body = ctx.obj()
    ctx.store.require(body, "emails", "team_role")
    emails, role = body["emails"], body["team_role"]
    if not isinstance(emails, list) or not all(isinstance(e, str) and "@" in e for e in emails):
        raise bad_request('"emails" must be an array of email addresses')
    if role not in TEAM_ROLES:
        raise bad_request(f'Invalid team_role "{role}"')
    return emails, role


@R("GET", "/v1/teams")
def list_teammates(ctx: Ctx) -> Any:
    return _team(ctx.store)


@R("POST", "/v1/teams/invite")
def invite_teammates(ctx: Ctx) -> Any:
    s = _store(ctx)
    emails, role = _emails_role(ctx)
    if role == "admin":
        raise bad_request("Teammates cannot be invited as admin")
    for e in emails:
        s.teammates.setdefault(
            e,
            {
                "email": e,
                "role": role,
                "company": "Example Corp",
                "isStudioLabeler": role == "labeler",
                "expiry": utc(s.now()),
            },
        )
    return _team(s)


@R("POST", "/v1/teams/set_role")
def set_teammate_role(ctx: Ctx) -> Any:
    s = _store(ctx)
    emails, role = _emails_role(ctx)
    for e in emails:
        if e not in s.teammates:
            raise not_found(f"Teammate {e} not found")
    for e in emails:
        s.teammates[e]["role"] = role
    return _team(s)
