"""``codegen diff``: two versions of an API, compared on the wire and in the SDK.

Stage after ``codegen.ir`` (it reuses load, the spec records and IR pieces, never
renders). ``docs/diff.md`` describes the rules, the formats and the CI recipes.
"""

from __future__ import annotations

from codegen.diff.change import LEVELS, Change, Where
from codegen.diff.compare import Diff, diff_specs
from codegen.diff.report import render
from codegen.diff.rules import RULES, Rule

__all__ = ["Change", "Diff", "LEVELS", "RULES", "Rule", "Where", "diff_specs", "render"]
