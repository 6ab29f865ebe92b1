"""The 39 v1 operations (paths relative to ``/v1``), as the official client calls them."""

from __future__ import annotations

from typing import Any

from .core import (
    ApiError,
    Ctx,
    Router,
    bad_request,
    conflict,
    decode_token,
    encode_token,
    not_found,
    parse_time,
    utc,
)
from .store import TASK_REQUIRED, TASK_TYPES, Store, public

router = Router()
R = router.route
TEAM_ROLES = ("labeler", "member", "manager", "admin")


def _store(ctx: Ctx) -> Store:
    return ctx.store  # type: ignore[no-any-return]


# ---------------------------------------------------------------- tasks


def task_view(
    t: dict[str, Any], *, attachment_url: bool = False, limited: bool = False
) -> dict[str, Any]:
    if limited:
        return {k: t[k] for k in ("task_id", "status", "metadata", "project") if k in t}
    out = public(t)
    if attachment_url:
        att = t["params"].get("attachment")
        atts = t["params"].get("attachments")
        if isinstance(att, str):
            out["attachment_url"] = f"https://scale-fake.invalid/signed/{t['task_id']}/0"
        if isinstance(atts, list):
            out["attachment_urls"] = [
                f"https://scale-fake.invalid/signed/{t['task_id']}/{i}" for i in range(len(atts))
            ]
    return out


@R("POST", "/v1/task/{task_type}")
def create_task(ctx: Ctx, task_type: str) -> Any:
    s = _store(ctx)
    if task_type not in TASK_TYPES:
        raise bad_request(f'Invalid task type "{task_type}"')
    if task_type in s.not_enabled:
        raise ApiError(
            402,
            f"Task type {task_type} is not enabled for your account; "
            "please contact sales@scale.com before creating this type of task.",
        )
    body = ctx.obj()
    s.require(body, *TASK_REQUIRED.get(task_type, ()))
    _check_task_refs(s, body)
    return task_view(s.add_task(task_type, body, test_mode=ctx.api_key.startswith("test_")))


def _check_task_refs(s: Store, body: dict[str, Any]) -> None:
    if body.get("project") is not None:
        s.project(body["project"], status=400)
    if body.get("batch") is not None:
        b = s.batch(body["batch"], status=400)
        if body.get("project") and b["project"] != body["project"]:
            raise bad_request(f'Batch "{b["name"]}" does not belong to project "{body["project"]}"')
        if b["status"] == "completed":
            raise bad_request(f'Batch "{b["name"]}" is already completed')
    uid = body.get("unique_id")
    if uid is not None and uid in s.unique_ids:
        raise conflict(f'The unique_id ("{uid}") is already used for a different task.')
    for key in ("metadata",):
        if key in body and body[key] is not None and not isinstance(body[key], dict):
            raise bad_request(f'"{key}" must be an object')
    if "tags" in body and body["tags"] is not None and not isinstance(body["tags"], list):
        raise bad_request('"tags" must be an array')


@R("GET", "/v1/task/{task_id}")
def get_task(ctx: Ctx, task_id: str) -> Any:
    return task_view(_store(ctx).task(task_id))


@R("POST", "/v1/task/{task_id}/cancel")
def cancel_task(ctx: Ctx, task_id: str) -> Any:
    s = _store(ctx)
    t = s.task(task_id)
    if t["status"] == "canceled":
        raise bad_request(f"Task {task_id} has already been canceled")
    if t["status"] == "completed":
        raise bad_request(f"Task {task_id} is already completed and cannot be canceled")
    t["status"] = "canceled"
    t["updated_at"] = utc(s.now())
    if ctx.qbool("clear_unique_id", False) and "unique_id" in t:
        s.unique_ids.pop(t.pop("unique_id"), None)
    return task_view(t)


@R("POST", "/v1/task/{task_id}/audit")
def audit_task(ctx: Ctx, task_id: str) -> Any:
    s = _store(ctx)
    t = s.task(task_id)
    body = ctx.obj()
    if not isinstance(body.get("accepted"), bool):
        raise bad_request('Parameter is invalid, reason: "accepted" must be a boolean')
    if body.get("comments") is not None and not isinstance(body["comments"], str):
        raise bad_request('"comments" must be a string')
    if t["status"] != "completed":
        raise bad_request(f"Task {task_id} is not completed and cannot be audited")
    t["customer_review_status"] = "accepted" if body["accepted"] else "rejected"
    t["audits"].append(
        {
            "audited_by": "owner@example.com",
            "audited_at": utc(s.now()),
            "accepted": body["accepted"],
            "comments": body.get("comments"),
            "source": "customer",
        }
    )
    return task_view(t)


@R("POST", "/v1/task/{task_id}/unique_id")
def set_unique_id(ctx: Ctx, task_id: str) -> Any:
    s = _store(ctx)
    t = s.task(task_id)
    body = ctx.obj()
    s.require(body, "unique_id")
    uid = body["unique_id"]
    if not isinstance(uid, str):
        raise bad_request('"unique_id" must be a string')
    owner = s.unique_ids.get(uid)
    if owner is not None and owner != task_id:
        raise conflict(f'The unique_id ("{uid}") is already used for a different task.')
    if "unique_id" in t:
        s.unique_ids.pop(t["unique_id"], None)
    t["unique_id"] = uid
    s.unique_ids[uid] = task_id
    return task_view(t)


@R("DELETE", "/v1/task/{task_id}/unique_id")
def clear_unique_id(ctx: Ctx, task_id: str) -> Any:
    s = _store(ctx)
    t = s.task(task_id)
    if "unique_id" in t:
        s.unique_ids.pop(t.pop("unique_id"), None)
    return task_view(t)


@R("POST", "/v1/task/{task_id}/setMetadata")
def set_task_metadata(ctx: Ctx, task_id: str) -> Any:
    t = _store(ctx).task(task_id)
    body = ctx.body
    if not isinstance(body, dict):
        raise bad_request("Metadata must be a JSON object")
    t["metadata"] = body
    return task_view(t)


@R("POST", "/v1/task/{task_id}/tags")
def set_tags(ctx: Ctx, task_id: str) -> Any:
    t = _store(ctx).task(task_id)
    t["tags"] = list(dict.fromkeys(ctx.str_list()))
    return task_view(t)


@R("PUT", "/v1/task/{task_id}/tags")
def add_tags(ctx: Ctx, task_id: str) -> Any:
    t = _store(ctx).task(task_id)
    t["tags"] = list(dict.fromkeys(t["tags"] + ctx.str_list()))
    return task_view(t)


@R("DELETE", "/v1/task/{task_id}/tags")
def delete_tags(ctx: Ctx, task_id: str) -> Any:
    t = _store(ctx).task(task_id)
    drop = set(ctx.str_list())
    t["tags"] = [x for x in t["tags"] if x not in drop]
    return task_view(t)


@R("GET", "/v1/tasks")
def list_tasks(ctx: Ctx) -> Any:
    s = _store(ctx)
    limit = ctx.qint("limit", s.page_size, 1, 100)
    offset = decode_token(ctx.q("next_token"))
    project, batch = ctx.q("project"), ctx.q("batch")
    if project is not None:
        s.project(project, status=400)
    if batch is not None:
        s.batch(batch, status=400)
    status, type_ = ctx.q("status"), ctx.q("type")
    uids, tags = ctx.qall("unique_id"), ctx.qall("tags")
    review = ctx.qlist_csv("customer_review_status")
    windows = [
        ("created_at", ctx.qtime("start_time"), ctx.qtime("end_time")),
        ("completed_at", ctx.qtime("completed_after"), ctx.qtime("completed_before")),
        ("updated_at", ctx.qtime("updated_after"), ctx.qtime("updated_before")),
    ]

    def keep(t: dict[str, Any]) -> bool:
        if project is not None and t.get("project") != project:
            return False
        if batch is not None and t.get("batch") != batch:
            return False
        if status is not None and t["status"] != status:
            return False
        if type_ is not None and t["type"] != type_:
            return False
        if uids and t.get("unique_id") not in uids:
            return False
        if tags and not set(tags) & set(t["tags"]):
            return False
        if review and t.get("customer_review_status") not in review:
            return False
        for key, after, before in windows:
            if after is None and before is None:
                continue
            if key not in t:
                return False
            when = parse_time(t[key])
            if (after and when < after) or (before and when > before):
                return False
        return True

    matched = [t for t in s.tasks.values() if keep(t)]
    page = matched[offset : offset + limit]
    has_more = offset + limit < len(matched)
    attach = bool(ctx.qbool("include_attachment_url", False))
    limited = bool(ctx.qbool("limited_response", False))
    out = {
        "docs": [task_view(t, attachment_url=attach, limited=limited) for t in page],
        "total": len(matched),
        "limit": limit,
        "offset": offset,
        "has_more": has_more,
    }
    if has_more:
        out["next_token"] = encode_token(offset + limit)
    return out


# ---------------------------------------------------------------- batches


@R("POST", "/v1/batches")
def create_batch(ctx: Ctx) -> Any:
    s = _store(ctx)
    body = ctx.obj()
    s.require(body, "project", "name")
    s.project(body["project"], status=400)
    if body["name"] in s.batches:
        raise conflict(f'A batch with name "{body["name"]}" already exists')
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        raise bad_request('"metadata" must be an object')
    b = s.add_batch(
        body["project"],
        body["name"],
        callback=body.get("callback") or "",
        calibration=bool(body.get("calibration_batch")),
        self_label=bool(body.get("self_label_batch")),
        metadata=body.get("metadata"),
    )
    return public(b)


@R("GET", "/v1/batches/{name}")
def get_batch(ctx: Ctx, name: str) -> Any:
    return public(_store(ctx).batch(name))


@R("POST", "/v1/batches/{name}/finalize")
def finalize_batch(ctx: Ctx, name: str) -> Any:
    s = _store(ctx)
    b = s.batch(name)
    if b["status"] == "staging":
        b["status"] = "in_progress"
        b["updated_at"] = utc(s.now())
    return public(b)


@R("GET", "/v1/batches/{name}/status")
def batch_status(ctx: Ctx, name: str) -> Any:
    s = _store(ctx)
    b = s.batch(name)
    out: dict[str, Any] = {"status": b["status"]}
    for t in s.tasks.values():
        if t.get("batch") == name:
            out[t["status"]] = out.get(t["status"], 0) + 1
    return out


@R("POST", "/v1/batches/{name}/setMetadata")
def set_batch_metadata(ctx: Ctx, name: str) -> Any:
    b = _store(ctx).batch(name)
    if not isinstance(ctx.body, dict):
        raise bad_request("Metadata must be a JSON object")
    b["metadata"] = ctx.body
    return public(b)


@R("GET", "/v1/batches")
def list_batches(ctx: Ctx) -> Any:
    s = _store(ctx)
    limit = ctx.qint("limit", s.page_size, 1, 100)
    offset = ctx.qint("offset", 0, 0)
    project, status = ctx.q("project"), ctx.q("status")
    after, before = ctx.qtime("start_time"), ctx.qtime("end_time")
    exclude_archived = ctx.qbool("exclude_archived", False)
    if project is not None:
        s.project(project, status=400)
    matched = [
        b
        for b in s.batches.values()
        if (project is None or b["project"] == project)
        and (status is None or b["status"] == status)
        and (after is None or parse_time(b["created_at"]) >= after)
        and (before is None or parse_time(b["created_at"]) <= before)
        and not (exclude_archived and b.get("archived"))
    ]
    page = matched[offset : offset + limit]  # type: ignore[operator]
    return {
        "docs": [public(b) for b in page],
        "totalDocs": len(matched),
        "limit": limit,
        "offset": offset,
        "has_more": offset + limit < len(matched),
    }  # type: ignore[operator]


# ---------------------------------------------------------------- projects


def project_view(p: dict[str, Any]) -> dict[str, Any]:
    return public(p)


@R("POST", "/v1/projects")
def create_project(ctx: Ctx) -> Any:
    s = _store(ctx)
    body = ctx.obj()
    s.require(body, "name", "type")
    if body["type"] not in TASK_TYPES:
        raise bad_request(f'Invalid project type "{body["type"]}"')
    if body["name"] in s.projects:
        raise conflict(f'A project with name "{body["name"]}" already exists')
    if body.get("params") is not None and not isinstance(body["params"], dict):
        raise bad_request('"params" must be an object')
    p = s.add_project(
        body["name"],
        body["type"],
        body.get("params"),
        rapid=bool(body.get("rapid")),
        studio=bool(body.get("studio")),
        dataset_id=body.get("datasetId"),
    )
    return project_view(p)


@R("GET", "/v1/projects")
def list_projects(ctx: Ctx) -> Any:
    return [project_view(p) for p in _store(ctx).projects.values()]


@R("GET", "/v1/projects/{name}")
def get_project(ctx: Ctx, name: str) -> Any:
    return project_view(_store(ctx).project(name))


@R("POST", "/v1/projects/{name}/setParams")
def set_project_params(ctx: Ctx, name: str) -> Any:
    s = _store(ctx)
    p = s.project(name)
    body = dict(ctx.obj())
    patch = body.pop("patch", False)
    if not body:
        raise bad_request("No project parameters given")
    history = p["param_history"]
    base = (
        {k: v for k, v in history[-1].items() if k not in ("version", "created_at")}
        if (history and patch)
        else {}
    )
    history.append({**base, **body, "version": len(history), "created_at": utc(s.now())})
    return project_view(p)


@R("GET", "/v1/projects/{name}/taskTemplates")
def task_templates(ctx: Ctx, name: str) -> Any:
    s = _store(ctx)
    p = s.project(name)
    if p["type"] not in ("chat", "textcollection"):
        raise bad_request("Task templates are only available for Chat and TextCollection projects")
    if "_template" not in p:
        created = utc(s.now())
        p["_template"] = {
            "id": s.new_id("template"),
            "version": 1,
            "created_at": created,
            "updated_at": created,
            "template_variables": {"prompt": {"type": "string", "required": True}},
            "response_schema": None,
            "auto_onboard_enabled": False,
        }
    return dict(p["_template"])


# ---------------------------------------------------------------- files


def _file(s: Store, name: str, size: int, mime: str, fields: dict[str, Any]) -> dict[str, Any]:
    fid = s.new_id("file")
    created = utc(s.now())
    projects = [fields["project_name"]] if fields.get("project_name") else []
    for pn in projects:
        s.project(pn, status=400)
    f = {
        "id": fid,
        "attachment_url": f"scaledata://{fid}/{name}",
        "created_at": created,
        "updated_at": created,
        "mime_type": mime,
        "size": size,
        "filename": name,
        "project_names": projects,
    }
    for k, v in fields.items():
        if k not in ("project_name", "file"):
            f[k] = v
    s.files[fid] = f
    return f


@R("POST", "/v1/files/upload")
def upload_file(ctx: Ctx) -> Any:
    if ctx.req.body_kind != "multipart":
        raise bad_request("Expected a multipart/form-data body")
    parts = [p for p in ctx.req.form if p.name == "file" and p.filename is not None]
    if not parts:
        raise bad_request('Parameter is invalid, reason: "file" is required')
    fields = {p.name: p.value for p in ctx.req.form if p.filename is None}
    part = parts[0]
    content = part.value if isinstance(part.value, bytes) else part.value.encode()
    return _file(
        ctx.store,
        part.filename or "file",
        len(content),
        part.content_type or "application/octet-stream",
        fields,
    )


@R("POST", "/v1/files/import")
def import_file(ctx: Ctx) -> Any:
    body = ctx.obj()
    ctx.store.require(body, "file_url")
    url = body["file_url"]
    name = url.rstrip("/").rsplit("/", 1)[-1] or "file"
    rest = {k: v for k, v in body.items() if k != "file_url"}
    return _file(ctx.store, name, 0, "application/octet-stream", {**rest, "file_url": url})


# ---------------------------------------------------------------- quality tasks


def _quality(ctx: Ctx, task_type: str, kind: str) -> Any:
    s = _store(ctx)
    if task_type not in TASK_TYPES:
        raise bad_request(f'Invalid task type "{task_type}"')
    body = ctx.obj()
    s.require(body, "project", "expected_response")
    p = s.project(body["project"], status=400)
    if not p["rapid"]:
        raise bad_request(f"{kind} tasks can only be created in Rapid projects")
    qid = s.new_id("quality")
    q = {
        "id": qid,
        "type": task_type,
        "kind": kind,
        "project": p["name"],
        "created_at": utc(s.now()),
        "expected_response": body["expected_response"],
        "params": {
            k: v
            for k, v in body.items()
            if k not in ("expected_response", "initial_response", "project")
        },
    }
    if "initial_response" in body:
        q["initial_response"] = body["initial_response"]
    s.quality_tasks[qid] = q
    return dict(q)


@R("POST", "/v1/evaluation_tasks/{task_type}")
def create_evaluation_task(ctx: Ctx, task_type: str) -> Any:
    return _quality(ctx, task_type, "evaluation")


@R("POST", "/v1/training_tasks/{task_type}")
def create_training_task(ctx: Ctx, task_type: str) -> Any:
    return _quality(ctx, task_type, "training")


# ---------------------------------------------------------------- teams


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


# ---------------------------------------------------------------- studio


def _emails_projects(ctx: Ctx) -> tuple[list[str], list[str]]:
    body = ctx.obj()
    ctx.store.require(body, "emails", "projects")
    for name in body["projects"]:
        ctx.store.project(name)
    return list(body["emails"]), list(body["projects"])


@R("GET", "/v1/studio/assignments")
def list_assignments(ctx: Ctx) -> Any:
    return {e: list(p) for e, p in _store(ctx).assignments.items()}


@R("POST", "/v1/studio/assignments/add")
def add_assignments(ctx: Ctx) -> Any:
    s = _store(ctx)
    emails, projects = _emails_projects(ctx)
    for e in emails:
        current = s.assignments.setdefault(e, [])
        current.extend(p for p in projects if p not in current)
    return list_assignments(ctx)


@R("POST", "/v1/studio/assignments/remove")
def remove_assignments(ctx: Ctx) -> Any:
    s = _store(ctx)
    emails, projects = _emails_projects(ctx)
    for e in emails:
        if e in s.assignments:
            s.assignments[e] = [p for p in s.assignments[e] if p not in projects]
    return list_assignments(ctx)


def _group_view(g: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": g["id"],
        "name": g["name"],
        "numWorkers": len(g["workers"]),
        "isSingleton": False,
        "workers": [dict(w) for w in g["workers"]],
    }


@R("GET", "/v1/studio/projects/{project}/groups")
def list_groups(ctx: Ctx, project: str) -> Any:
    s = _store(ctx)
    s.project(project)
    return [_group_view(g) for g in s.groups.get(project, [])]


@R("POST", "/v1/studio/projects/{project}/groups")
def create_group(ctx: Ctx, project: str) -> Any:
    s = _store(ctx)
    s.project(project)
    body = ctx.obj()
    s.require(body, "name")
    groups = s.groups.setdefault(project, [])
    if any(g["name"] == body["name"] for g in groups):
        raise conflict(f'A group named "{body["name"]}" already exists in project "{project}"')
    g = {
        "id": s.new_id("group"),
        "name": body["name"],
        "workers": [{"id": s.new_id("worker"), "email": e} for e in body.get("emails") or []],
    }
    groups.append(g)
    return _group_view(g)


@R("PUT", "/v1/studio/projects/{project}/groups/{group}")
def update_group(ctx: Ctx, project: str, group: str) -> Any:
    s = _store(ctx)
    s.project(project)
    g = next((g for g in s.groups.get(project, []) if g["name"] == group), None)
    if g is None:
        raise not_found(f'Group "{group}" not found in project "{project}"')
    body = ctx.obj()
    drop = set(body.get("remove_emails") or [])
    g["workers"] = [w for w in g["workers"] if w["email"] not in drop]
    have = {w["email"] for w in g["workers"]}
    for e in body.get("add_emails") or []:
        if e not in have:
            g["workers"].append({"id": s.new_id("worker"), "email": e})
            have.add(e)
    return _group_view(g)


@R("GET", "/v1/studio/batches")
def list_studio_batches(ctx: Ctx) -> Any:
    return _store(ctx).studio_batches()


@R("POST", "/v1/studio/batches/set_priorities")
def set_priorities(ctx: Ctx) -> Any:
    s = _store(ctx)
    body = ctx.obj()
    s.require(body, "batches")
    names = [b.get("name") if isinstance(b, dict) else None for b in body["batches"]]
    pending = {b["name"] for b in s.studio_batches()}
    if None in names or set(names) != pending or len(names) != len(pending):
        raise bad_request("batches must list every pending studio batch exactly once")
    s.studio_priorities = list(names)  # type: ignore[arg-type]
    return s.studio_batches()


@R("POST", "/v1/studio/batches/reset_priorities")
def reset_priorities(ctx: Ctx) -> Any:
    s = _store(ctx)
    s.studio_priorities = []
    return s.studio_batches()


@R("PUT", "/v1/studio/batches/{name}")
def assign_studio_batch(ctx: Ctx, name: str) -> Any:
    s = _store(ctx)
    b = s.batch(name)
    if not s.projects[b["project"]]["studio"]:
        raise bad_request(f'Batch "{name}" is not in a Studio project')
    body = ctx.obj()
    groups = body.get("groups")
    if not isinstance(groups, list):
        raise bad_request('Parameter is invalid, reason: "groups" is required')
    known = {g["name"] for g in s.groups.get(b["project"], [])}
    missing = [g for g in groups if g not in known]
    if missing:
        raise not_found(f"Unknown project group(s): {', '.join(map(str, missing))}")
    b["_groups"] = list(groups)
    return next(x for x in s.studio_batches() if x["name"] == name)
