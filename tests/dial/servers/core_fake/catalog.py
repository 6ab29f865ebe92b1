"""The deployments, models, applications and toolsets a DIAL Core fake lists.

Design notes
------------
* Shapes are Core's DeploymentData / ApplicationData / ModelData / ToolSetData as
  aidial-client 0.18.0 models them (reference §8) and as the user's seed prints them:
  ``/openai/deployments`` lists *models* as ``object: "deployment"`` with ``model`` (Core's
  DeploymentController), applications have ``object: "application"`` and ``application``.
* Ids are chosen to exercise encoding: ``team/llm`` (a ``/`` inside an id - Core's id
  regex is ``.+?`` and ids are URL-decoded, so ``team%2Fllm`` and ``team/llm`` both
  reach it), ``odd model #1`` and ``my app#1`` (space and ``#``: only an encoding client
  can reach them whole), ``echo-app:latest`` (aidial-client's ``urljoin`` reads ``echo-app:``
  as a URL scheme, Q17).  ``echo`` / ``echo-app`` are the chat deployments that the fake
  forwards to a real aidial-sdk application when one is plugged in.
* ``Catalog`` is plain data: tests may add or remove entries (``catalog.models[...] = ...``);
  ``reset()`` restores the defaults.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Catalog", "default_catalog"]

CREATED = 1724760524
FEATURES = {
    "rate": False,
    "tokenize": False,
    "truncate_prompt": False,
    "configuration": False,
    "system_prompt": True,
    "tools": False,
    "seed": False,
    "url_attachments": False,
    "folder_attachments": False,
    "allow_resume": True,
}


def _deployment(id: str, display_name: str, **features: bool) -> dict[str, Any]:
    return {
        "id": id,
        "model": id,
        "display_name": display_name,
        "owner": "organization-owner",
        "object": "deployment",
        "status": "succeeded",
        "created_at": CREATED,
        "updated_at": CREATED,
        "scale_settings": {"scale_type": "standard"},
        "features": {**FEATURES, **features},
        "defaults": {},
        "input_attachment_types": [],
    }


def _model(id: str, display_name: str) -> dict[str, Any]:
    return {
        "id": id,
        "model": id,
        "display_name": display_name,
        "object": "model",
        "owner": "organization-owner",
        "status": "succeeded",
        "created_at": CREATED,
        "updated_at": CREATED,
        "lifecycle_status": "generally-available",
        "capabilities": {"scale_types": ["standard"], "chat_completion": True, "embeddings": False},
        "limits": {"max_total_tokens": 8192, "max_prompt_tokens": 6144},
        "pricing": {"unit": "token", "prompt": "0.00003", "completion": "0.00006"},
    }


def _application(id: str, display_name: str, **features: bool) -> dict[str, Any]:
    return {
        "object": "application",
        "id": id,
        "application": id,
        "description": "",
        "display_name": display_name,
        "display_version": "0.0.0",
        "icon_url": "https://example.invalid/icon.svg",
        "reference": f"ref-{id}",
        "owner": "organization-owner",
        "status": "succeeded",
        "created_at": 1672534800,
        "updated_at": 1672534800,
        "features": {**FEATURES, **features},
        "input_attachment_types": ["image/png", "text/txt", "image/jpeg"],
        "defaults": {},
        "max_input_attachments": 0,
        "description_keywords": [],
    }


def _toolset(id: str) -> dict[str, Any]:
    return {
        "id": id,
        "toolset": id,
        "object": "toolset",
        "display_name": id.replace("-", " ").title(),
        "owner": "organization-owner",
        "status": "succeeded",
        "created_at": CREATED,
        "updated_at": CREATED,
        "transport": "HTTP",
        "allowed_tools": ["search"],
        "description_keywords": [],
        "max_retry_attempts": 3,
    }


CONFIGURATION_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"mode": {"type": "string", "enum": ["fast", "careful"]}},
    "required": ["mode"],
}


@dataclass
class Catalog:
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    applications: dict[str, dict[str, Any]] = field(default_factory=dict)
    toolsets: dict[str, dict[str, Any]] = field(default_factory=dict)
    configurations: dict[str, dict[str, Any]] = field(default_factory=dict)
    chat: set[str] = field(default_factory=set)  # ids forwarded to the chat upstream

    def deployment(self, id: str) -> dict[str, Any] | None:
        m = self.models.get(id)
        return None if m is None else _deployment(id, m.get("display_name", id), **m["_features"])

    def model(self, id: str) -> dict[str, Any] | None:
        m = self.models.get(id)
        return None if m is None else {k: v for k, v in m.items() if not k.startswith("_")}

    def names(self, types: list[str] | None) -> list[dict[str, str]]:
        out = [{"id": i, "object": "model"} for i in self.models]
        out += [{"id": i, "object": "application"} for i in self.applications]
        out += [{"id": i, "object": "toolset"} for i in self.toolsets]
        return [n for n in out if not types or n["object"] in types]

    def reset(self) -> None:
        fresh = default_catalog()
        self.models, self.applications = fresh.models, fresh.applications
        self.toolsets, self.configurations, self.chat = (
            fresh.toolsets,
            fresh.configurations,
            fresh.chat,
        )


def default_catalog() -> Catalog:
    models = {
        "gpt-4": {**_model("gpt-4", "GPT-4"), "_features": {"tools": True, "seed": True}},
        "echo": {**_model("echo", "Echo model"), "_features": {}},
        "team/llm": {**_model("team/llm", "Team LLM"), "_features": {}},
        "odd model #1": {**_model("odd model #1", "Odd model"), "_features": {}},
    }
    applications = {
        "echo-app": _application("echo-app", "app with attachments", configuration=True),
        "my app#1": _application("my app#1", "An app with a space and # in its id"),
        "team/app": _application("team/app", "Team app"),
        "echo-app:latest": _application("echo-app:latest", "A versioned id (a ':' inside)"),
    }
    toolsets = {"search-tools": _toolset("search-tools")}
    return Catalog(
        models=models,
        applications=applications,
        toolsets=toolsets,
        configurations={"echo-app": copy.deepcopy(CONFIGURATION_SCHEMA)},
        chat={
            "echo",
            "echo-app",
            "echo-app:latest",
            "gpt-4",
            "team/llm",
            "odd model #1",
            "my app#1",
            "team/app",
        },
    )
