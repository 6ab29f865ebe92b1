"""The rule catalogue, as data: one :class:`Rule` per kind of change.

Design notes
------------
* Like the extension catalogue (``codegen.spec.extensions``), the table is the single
  source of truth: ids, levels, directions, what a change breaks and the one-line
  message template. The comparisons (``wire``, ``schemas``, ``sdk``) only decide *that*
  a rule applies and fill its template; ``docs/diff.md`` lists the table, and
  ``tests/diff/cases/<rule id>/`` holds one spec pair per rule.
* Ids follow oasdiff's kebab-case vocabulary where a rule has an oasdiff counterpart
  (``request-parameter-became-required``), so reviewers who know that tool read ours.
  Schema rules exist once per direction (``request-`` / ``response-``): the location
  says whether the schema is a parameter's, a body's or a property's.
* Levels are judged for *our* users: code calling a client regenerated from the newer
  spec. ``breaks`` says why: ``wire`` (a client sending or parsing HTTP as before
  fails) and/or ``sdk`` (code written against the regenerated Python package fails
  to import, type-check or run). Response enums are open in generated code
  (``clientcore.OpenEnum``), so a new response enum value is a warning, not a break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codegen.diff.change import Change, Direction, Level, Where

__all__ = ["RULES", "Rule", "make"]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    level: Level
    direction: Direction
    breaks: tuple[str, ...]  # "wire", "sdk"
    message: str  # str.format template over the fields the comparison passes
    optic: str = ""  # the Optic 1.0.9 rule reporting the same break, if any


B, W, I = "breaking", "warning", "info"  # noqa: E741
REQ, RES, NONE = "request", "response", "none"
WIRE, SDK, BOTH, NO = ("wire",), ("sdk",), ("wire", "sdk"), ()

# fmt: off
_TABLE: list[tuple[Any, ...]] = [
    # --- endpoints (A.2 1-5)
    ("endpoint-added", I, NONE, NO, "endpoint added"),
    ("endpoint-removed", B, NONE, BOTH, "endpoint removed without deprecation", "prevent operation removal"),
    ("endpoint-removed-after-deprecation", W, NONE, BOTH, "deprecated endpoint removed (its method is gone from the client)", "prevent operation removal"),
    ("endpoint-deprecated", I, NONE, NO, "endpoint deprecated"),
    ("endpoint-reactivated", I, NONE, NO, "endpoint no longer deprecated"),
    ("endpoint-deprecated-without-sunset", I, NONE, NO, "endpoint deprecated without an x-sunset date"),
    ("endpoint-path-changed", B, NONE, WIRE, "operation {operation_id} moved from {old} to {new}", "prevent operation removal"),
    ("endpoint-stability-decreased", B, NONE, WIRE, "x-stability-level decreased from {old} to {new}"),
    ("operation-id-changed", I, NONE, NO, "operationId changed from {old} to {new}"),
    ("operation-tags-changed", I, NONE, NO, "tags changed from {old} to {new}"),
    # --- API-wide (A.2 43, 45)
    ("api-version-not-bumped", I, NONE, NO, "breaking changes, yet version {new} keeps the major version of {old}"),
    ("server-url-changed", W, NONE, SDK, "default server changed from {old} to {new}"),
    ("security-added", B, REQ, WIRE, "security changed from {old} to {new}: a client sending only {lost} is refused"),
    ("security-removed", I, REQ, NO, "security relaxed from {old} to {new}"),
    ("security-scope-added", B, REQ, WIRE, "scope {new} of {scheme} now required"),
    ("security-scope-removed", I, REQ, NO, "scope {old} of {scheme} no longer required"),
    ("security-scheme-changed", B, REQ, BOTH, "security scheme {scheme} changed: {detail}"),
    # --- parameters (A.2 8-19)
    ("request-parameter-added-required", B, REQ, BOTH, "new required {param}", "prevent new required parameter"),
    ("request-parameter-added-optional", I, REQ, NO, "new optional {param}"),
    ("request-parameter-removed", B, REQ, SDK, "{param} removed (its keyword argument is gone)"),
    ("request-parameter-became-required", B, REQ, BOTH, "{param} became required", "prevent requiring existing parameter"),
    ("request-parameter-became-optional", I, REQ, NO, "{param} became optional"),
    ("request-parameter-deprecated", I, REQ, NO, "{param} deprecated"),
    ("request-parameter-serialization-changed", B, REQ, WIRE, "{param}: serialization changed ({detail})"),
    ("request-path-parameter-added", B, REQ, BOTH, "new path parameter {name}", "prevent new required parameter"),
    # --- request bodies (A.2 20-21)
    ("request-body-added-required", B, REQ, BOTH, "required request body added"),
    ("request-body-added-optional", I, REQ, NO, "optional request body added"),
    ("request-body-removed", B, REQ, BOTH, "request body removed"),
    ("request-body-became-required", B, REQ, BOTH, "request body became required"),
    ("request-body-became-optional", I, REQ, NO, "request body became optional"),
    ("request-media-type-added", I, REQ, NO, "request media type {media} added"),
    ("request-media-type-removed", B, REQ, WIRE, "request media type {media} removed"),
    # --- responses (A.2 30-31, 41)
    ("response-success-status-added", I, RES, NO, "success response {status} added"),
    ("response-success-status-removed", B, RES, BOTH, "success response {status} removed", "prevent response status code removal"),
    ("response-error-status-added", I, RES, NO, "error response {status} documented"),
    ("response-error-status-removed", I, RES, NO, "error response {status} no longer documented"),
    ("response-media-type-added", I, RES, NO, "response {status}: media type {media} added"),
    ("response-media-type-removed", B, RES, BOTH, "response {status}: media type {media} removed"),
    ("response-header-added", I, RES, NO, "response {status}: header {name} added"),
    ("response-required-header-removed", B, RES, WIRE, "response {status}: required header {name} removed"),
    ("response-header-became-optional", B, RES, WIRE, "response {status}: header {name} became optional"),
    # --- schemas, request direction (A.2 22-29)
    ("request-property-added-required", B, REQ, BOTH, "new required {what}", "prevent request property required"),
    ("request-property-added-optional", I, REQ, NO, "new optional {what}"),
    ("request-property-removed", B, REQ, SDK, "{what} removed (its keyword argument is gone)"),
    ("request-property-became-required", B, REQ, BOTH, "{what} became required", "prevent request property required"),
    ("request-property-became-optional", I, REQ, NO, "{what} became optional"),
    ("request-became-nullable", I, REQ, NO, "{what} became nullable"),
    ("request-became-not-nullable", B, REQ, BOTH, "{what} no longer accepts null"),
    ("request-type-changed", B, REQ, BOTH, "{what}: type changed from {old} to {new}", "prevent request property type change|prevent parameter type change"),
    ("request-type-generalized", I, REQ, NO, "{what}: type widened from {old} to {new}"),
    ("request-type-specialized", B, REQ, BOTH, "{what}: type narrowed from {old} to {new}", "prevent request property type change|prevent parameter type change"),
    ("request-format-changed", B, REQ, WIRE, "{what}: format changed from {old} to {new}"),
    ("request-enum-value-added", I, REQ, NO, "{what}: enum value {value} added"),
    ("request-enum-value-removed", B, REQ, BOTH, "{what}: enum value {value} removed", "prevent enum break"),
    ("request-became-enum", B, REQ, BOTH, "{what} restricted to {new}", "prevent enum break"),
    ("request-enum-removed", I, REQ, NO, "{what} no longer restricted to an enum"),
    ("request-constraint-tightened", B, REQ, WIRE, "{what}: {constraint} tightened from {old} to {new}"),
    ("request-constraint-relaxed", I, REQ, NO, "{what}: {constraint} relaxed from {old} to {new}"),
    ("request-union-member-added", I, REQ, NO, "{what}: {keyword} member {new} added"),
    ("request-union-member-removed", B, REQ, BOTH, "{what}: {keyword} member {old} removed", "prevent request expanding with union types"),
    ("request-default-changed", W, REQ, WIRE, "{what}: default changed from {old} to {new}"),
    ("request-discriminator-changed", W, REQ, BOTH, "{what}: discriminator changed ({detail})"),
    # --- schemas, response direction (A.2 32-42)
    ("response-required-property-added", I, RES, NO, "new {what} (always present)"),
    ("response-optional-property-added", I, RES, NO, "new optional {what}"),
    ("response-required-property-removed", B, RES, BOTH, "required {what} removed", "prevent removing response property"),
    ("response-optional-property-removed", B, RES, SDK, "optional {what} removed (its model attribute is gone)", "prevent removing response property"),
    ("response-property-became-required", I, RES, NO, "{what} is now always present"),
    ("response-property-became-optional", B, RES, BOTH, "{what} may now be absent", "prevent response property optional"),
    ("response-became-nullable", B, RES, BOTH, "{what} may now be null"),
    ("response-became-not-nullable", I, RES, NO, "{what} is no longer null"),
    ("response-type-changed", B, RES, BOTH, "{what}: type changed from {old} to {new}", "prevent response property type change"),
    ("response-type-generalized", B, RES, BOTH, "{what}: type widened from {old} to {new}", "prevent response property type change"),
    ("response-type-specialized", I, RES, NO, "{what}: type narrowed from {old} to {new}"),
    ("response-format-changed", B, RES, BOTH, "{what}: format changed from {old} to {new}"),
    ("response-enum-value-added", W, RES, NO, "{what}: enum value {value} added (open enums keep it; exhaustive matches miss it)", "prevent enum break"),
    ("response-enum-value-removed", I, RES, NO, "{what}: enum value {value} no longer returned"),
    ("response-became-enum", I, RES, NO, "{what} restricted to {new}"),
    ("response-enum-removed", W, RES, SDK, "{what} no longer restricted to an enum"),
    ("response-constraint-tightened", I, RES, NO, "{what}: {constraint} tightened from {old} to {new}"),
    ("response-constraint-relaxed", W, RES, WIRE, "{what}: {constraint} relaxed from {old} to {new}"),
    ("response-union-member-added", B, RES, BOTH, "{what}: {keyword} member {new} added", "prevent response narrowing with union type"),
    ("response-union-member-removed", I, RES, NO, "{what}: {keyword} member {old} removed"),
    ("response-default-changed", I, RES, NO, "{what}: default changed from {old} to {new} (the model attribute's default)"),
    ("response-discriminator-changed", W, RES, BOTH, "{what}: discriminator changed ({detail})"),
    # --- SDK level: names and signatures of the regenerated package
    ("method-added", I, NONE, NO, "method {new} added"),
    ("method-removed", B, NONE, SDK, "method {old} removed"),
    ("method-renamed", B, NONE, SDK, "method {old} renamed to {new}"),
    ("method-moved", B, NONE, SDK, "method {old} moved to {new}"),
    ("method-return-type-changed", B, NONE, SDK, "{method} returns {new} instead of {old}"),
    ("method-parameter-renamed", B, REQ, SDK, "{method}: argument {old} renamed to {new}"),
    ("path-parameter-renamed", B, REQ, SDK, "{method}: path argument {old} renamed to {new} (breaks calls passing it by keyword)"),
    ("method-parameter-became-required", B, REQ, SDK, "{method}: argument {name} lost its default"),
    ("method-parameter-type-changed", B, REQ, SDK, "{method}: argument {name} is {new} instead of {old}"),
    ("method-parameter-default-changed", W, REQ, SDK, "{method}: argument {name} defaults to {new} instead of {old}"),
    ("error-status-added", W, RES, SDK, "{method} now raises {error_class} for {status} (an except clause may miss it)"),
    ("error-status-removed", W, RES, SDK, "{method} no longer documents {status} ({error_class})"),
    ("error-class-changed", B, RES, SDK, "{method}: {status} raises {new} instead of {old}"),
    ("error-code-added", I, RES, NO, "error code {code} raises {new}"),
    ("error-code-removed", W, RES, SDK, "error code {code} ({old}) no longer mapped"),
    ("class-added", I, NONE, NO, "class {new} added"),
    ("class-removed", B, NONE, SDK, "class {old} removed"),
    ("class-renamed", B, NONE, SDK, "class {old} renamed to {new}"),
    ("model-field-renamed", B, NONE, SDK, "{cls}: attribute {old} renamed to {new}"),
    ("enum-member-added", I, NONE, NO, "{cls}: member {new} added"),
    ("enum-member-removed", B, NONE, SDK, "{cls}: member {old} removed"),
    ("enum-member-renamed", B, NONE, SDK, "{cls}: member {old} renamed to {new}"),
    ("public-name-added", I, NONE, NO, "{kind} {new} added"),
    ("public-name-removed", B, NONE, SDK, "{kind} {old} removed"),
]
# fmt: on

RULES: dict[str, Rule] = {row[0]: Rule(*row) for row in _TABLE}
assert len(RULES) == len(_TABLE), "duplicate rule id"


def make(rule_id: str, where: Where, subject: str = "", **fields: object) -> Change:
    """The change ``rule_id`` describes at ``where`` (fields fill the message)."""
    rule = RULES[rule_id]
    shown = {k: _show(v) for k, v in fields.items()}
    return Change(
        rule.id,
        rule.level,
        rule.direction,
        where,
        rule.message.format_map(_Fields(shown)),
        subject,
        rule.breaks,
    )


def _show(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value) or "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if not isinstance(value, (int, float)) else str(value)


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return f"{{{key}}}"
