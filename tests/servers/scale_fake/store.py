"""In-memory state of the Scale fake, deterministic per instance.

Ids are 24 hex digits from one counter and timestamps come from a fake clock that starts
at 2024-01-01T00:00:00Z and ticks one second per object created, so two fresh fakes
driven by the same calls return byte-identical responses (the parity tests rely on it).
"""

from __future__ import annotations

import copy
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

from .core import ApiError, bad_request, not_found, utc
from .seed import seed_store

TASK_TYPES = (
    "annotation categorization comparison cuboidannotation datacollection documentmodel "
    "documenttranscription imageannotation laneannotation lidarannotation lidarlinking "
    "lidarsegmentation lidartopdown lineannotation namedentityrecognition pointannotation "
    "polygonannotation segmentannotation transcription textcollection videoannotation "
    "videoboxannotation videoplaybackannotation videocuboidannotation sensorfusion chat "
    "chatexperimental chatlite multichat multistage federal2dvideoannotation"
).split()

# Required task fields per type (the rest of the payload is free-form).
TASK_REQUIRED: dict[str, tuple[str, ...]] = {
    "imageannotation": ("attachment", "geometries"),
    "textcollection": ("attachments", "fields"),
    "categorization": ("attachment", "categories"),
    "comparison": ("attachments", "fields"),
    "transcription": ("attachment",),
    "namedentityrecognition": ("text", "labels"),
}
# Top-level task keys; everything else in a create body goes to ``params``.
TASK_TOP_LEVEL = (
    "project",
    "batch",
    "callback_url",
    "instruction",
    "unique_id",
    "metadata",
    "tags",
    "priority",
    "clear_unique_id_on_error",
)
_KIND_PREFIX = {
    "task": "5f",
    "batch": "6a",
    "project": "6b",
    "file": "6c",
    "quality": "6d",
    "group": "6e",
    "worker": "6f",
    "delivery": "70",
    "dataset": "71",
    "dsdelivery": "72",
    "annotation": "73",
    "thread": "74",
    "turn": "75",
    "template": "76",
    "schema": "77",
}
EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
SEED_INSTRUCTION = "Draw a box around each baby cow and big cow."


class Store:
    def __init__(
        self,
        *,
        not_enabled: tuple[str, ...] = ("federal2dvideoannotation",),
        seed: bool = True,
        projects: tuple[str, ...] = (),
    ):
        self.lock = threading.RLock()
        self.not_enabled = set(not_enabled)
        self.seed_enabled = seed
        self.seed_projects = tuple(projects)
        self.page_size = 100
        self.reset()

    # ------------------------------------------------------------------ basics
    def reset(self) -> None:
        with self.lock:
            self._counter = 0
            self._ticks = 0
            self.tasks: dict[str, dict[str, Any]] = {}
            self.unique_ids: dict[str, str] = {}
            self.batches: dict[str, dict[str, Any]] = {}  # by name
            self.projects: dict[str, dict[str, Any]] = {}  # by name
            self.files: dict[str, dict[str, Any]] = {}
            self.quality_tasks: dict[str, dict[str, Any]] = {}
            self.teammates: dict[str, dict[str, Any]] = {}  # by email
            self.assignments: dict[str, list[str]] = {}
            self.groups: dict[str, list[dict[str, Any]]] = {}  # by project name
            self.studio_priorities: list[str] = []  # batch names, explicit order
            self.deliveries: dict[str, dict[str, Any]] = {}
            self.datasets: dict[str, dict[str, Any]] = {}
            self.dataset_deliveries: dict[str, dict[str, Any]] = {}
            self.dataset_tasks: dict[str, dict[str, Any]] = {}
            self.annotations: dict[str, dict[str, Any]] = {}
            self.schemas: dict[str, dict[str, Any]] = {}
            for name in self.seed_projects:
                self.add_project(name, "imageannotation", {"instruction": SEED_INSTRUCTION})
            if self.seed_enabled:
                seed_store(self)

    def new_id(self, kind: str) -> str:
        self._counter += 1
        return f"{_KIND_PREFIX[kind]}{self._counter:022x}"

    def now(self) -> datetime:
        self._ticks += 1
        return EPOCH + timedelta(seconds=self._ticks)

    # ------------------------------------------------------------------ lookups
    def task(self, task_id: str) -> dict[str, Any]:
        t = self.tasks.get(task_id)
        if t is None:
            raise not_found(f"Task {task_id} not found")
        return t

    def project(self, name: str, status: int = 404) -> dict[str, Any]:
        p = self.projects.get(name)
        if p is None:
            raise ApiError(status, f'Project "{name}" not found')
        return p

    def batch(self, name: str, status: int = 404) -> dict[str, Any]:
        b = self.batches.get(name)
        if b is None:
            raise ApiError(status, f'Batch "{name}" not found')
        return b

    def project_by_id(self, pid: str) -> dict[str, Any] | None:
        return next((p for p in self.projects.values() if p["id"] == pid), None)

    def batch_by_id(self, bid: str) -> dict[str, Any] | None:
        return next((b for b in self.batches.values() if b["id"] == bid), None)

    # ------------------------------------------------------------------ builders
    def add_project(
        self,
        name: str,
        type_: str,
        params: dict[str, Any] | None = None,
        *,
        rapid: bool = False,
        studio: bool = False,
        dataset_id: str | None = None,
        types: list[str] | None = None,
        models: list[str] | None = None,
    ) -> dict[str, Any]:
        created = utc(self.now())
        history = [] if params is None else [{**params, "version": 0, "created_at": created}]
        p = {
            "id": self.new_id("project"),
            "name": name,
            "type": type_,
            "created_at": created,
            "param_history": history,
            "rapid": rapid,
            "studio": studio,
            "datasetId": dataset_id,
            "is_archived": False,
        }
        if studio:
            p["pipeline"] = "standard_task"
        p["_types"] = types or []
        p["_models"] = models or []
        self.projects[name] = p
        return p

    def add_batch(
        self,
        project: str,
        name: str,
        *,
        callback: str = "",
        calibration: bool = False,
        self_label: bool = False,
        metadata: dict[str, Any] | None = None,
        status: str = "staging",
    ) -> dict[str, Any]:
        b = {
            "id": self.new_id("batch"),
            "name": name,
            "project": project,
            "status": status,
            "callback": callback,
            "calibration_batch": calibration,
            "self_label_batch": self_label,
            "metadata": metadata or {},
            "created_at": utc(self.now()),
        }
        b["updated_at"] = b["created_at"]
        self.batches[name] = b
        return b

    def add_task(
        self, type_: str, body: dict[str, Any], *, test_mode: bool = False
    ) -> dict[str, Any]:
        created = utc(self.now())
        params = {k: v for k, v in body.items() if k not in TASK_TOP_LEVEL}
        project = body.get("project")
        if project and self.projects[project]["param_history"]:
            defaults = {
                k: v
                for k, v in self.projects[project]["param_history"][-1].items()
                if k not in ("version", "created_at", "instruction")
            }
            params = {**defaults, **params}
        t: dict[str, Any] = {
            "task_id": self.new_id("task"),
            "created_at": created,
            "updated_at": created,
            "type": type_,
            "status": "pending",
            "instruction": body.get("instruction", ""),
            "callback_url": body.get("callback_url", ""),
            "callback_succeeded": False,
            "params": params,
            "is_test": test_mode,
            "urgency": "standard",
            "metadata": body.get("metadata") or {},
            "tags": list(body.get("tags") or []),
            "processed_attachments": [],
            "audits": [],
        }
        if project:
            t["project"] = project
            if not t["instruction"] and self.projects[project]["param_history"]:
                t["instruction"] = self.projects[project]["param_history"][-1].get(
                    "instruction", ""
                )
        if body.get("batch"):
            t["batch"] = body["batch"]
        if body.get("unique_id"):
            t["unique_id"] = body["unique_id"]
            self.unique_ids[body["unique_id"]] = t["task_id"]
        self.tasks[t["task_id"]] = t
        if test_mode:
            self.complete_task(t["task_id"])
        return t

    def complete_task(self, task_id: str, response: dict[str, Any] | None = None) -> dict[str, Any]:
        """Out-of-band: finish a task the way a labeler would (tests and parity cases use it)."""
        with self.lock:
            t = self.task(task_id)
            t["status"] = "completed"
            t["completed_at"] = t["updated_at"] = utc(self.now())
            t["response"] = response if response is not None else fake_response(t)
            return t

    # ------------------------------------------------------------------ studio helpers
    def studio_batches(self) -> list[dict[str, Any]]:
        pending = [
            b
            for b in self.batches.values()
            if self.projects[b["project"]]["studio"] and b["status"] != "completed"
        ]
        order = {n: i for i, n in enumerate(self.studio_priorities)}
        pending.sort(key=lambda b: (order.get(b["name"], len(order)), b["created_at"]))
        out = []
        for b in pending:
            tasks = [t for t in self.tasks.values() if t.get("batch") == b["name"]]
            item = {
                "id": b["id"],
                "name": b["name"],
                "projectId": self.projects[b["project"]]["id"],
                "projectName": b["project"],
                "batchType": "Production",
                "total": len(tasks),
                "completed": sum(t["status"] == "completed" for t in tasks),
                "groups": list(b.get("_groups", [])),
            }
            if b["name"] in order:
                item["studioPriority"] = order[b["name"]] + 1
            out.append(item)
        return out

    def require(self, body: dict[str, Any], *fields: str) -> None:
        for f in fields:
            if body.get(f) in (None, "", [], {}):
                raise bad_request(f'Parameter is invalid, reason: "{f}" is required')


def fake_response(task: dict[str, Any]) -> dict[str, Any]:
    p = task["params"]
    if task["type"] == "categorization":
        cats = p.get("categories") or ["unknown"]
        return {"category": cats[0]}
    if task["type"] == "textcollection":
        return {
            "fields": {
                f.get("field_id", f"f{i}") if isinstance(f, dict) else str(f): "text"
                for i, f in enumerate(p.get("fields") or [])
            }
        }
    if task["type"] == "imageannotation":
        labels = ((p.get("geometries") or {}).get("box") or {}).get("objects_to_annotate") or [
            "object"
        ]
        return {
            "annotations": [
                {
                    "type": "box",
                    "label": str(lbl),
                    "left": 10 * i,
                    "top": 10,
                    "width": 50,
                    "height": 40,
                    "uuid": f"box-{i}",
                }
                for i, lbl in enumerate(labels)
            ],
            "global_attributes": {},
        }
    return {"result": "done"}


def deep_merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(a)
    for k, v in b.items():
        out[k] = (
            deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
        )
    return out


def public(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop the fake's private ``_keys`` and deep-copy, so responses never alias state."""
    return {k: copy.deepcopy(v) for k, v in obj.items() if not k.startswith("_")}
