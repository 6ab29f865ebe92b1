"""Bundle a spec and the files its ``$ref``s reach into one document with local refs only.

Design notes
------------
Three passes over the plain dicts and lists that :mod:`codegen.load.yamlsrc` reads:

1. *discover*: walk the root document with OpenAPI kinds (``extensions.child_kind``),
   skipping plain data (``example``, ``default``, ``enum``...). Each ``$ref`` (and each
   discriminator ``mapping`` value naming a file) is a *site*; its target is resolved
   to ``(file, pointer)`` (following ``$ref``s the pointer passes through, and ref
   chains for non-schema objects), files are read on first use, and each new target
   is walked in turn with the kind of the place that refers to it.
2. *place*: a root ``components/<section>/<Name>: {$ref: other.yaml#/X}`` entry is
   X's home (X is put there). A target inside another target lives inside it. A path
   item is put in place. A parameter, response, body, header, example, link or
   callback referenced once is put in place. Everything else, schemas first of all,
   is hoisted to ``components/<section>/<last pointer segment or file stem>``; a name
   already taken by another node is a SpecError naming both places.
3. *apply*: sites put in place are replaced by their target; every other ``$ref``
   becomes ``#/<where its target now is>`` (so recursion stays a ref).

Reading files and resolving a ``$ref`` to ``(file, pointer)`` is
:class:`codegen.load.refs.SpecFiles`, which :class:`Bundler` extends.

Alias chains: a schema that is only a ``$ref`` and is itself referenced (an *alias*:
``A0: {$ref: A1}``, ``A1: {$ref: A2}``...) is pointed straight at the end of its chain
(``A0: {$ref: A1999}``), so no later stage (the OpenAPI validator, the spec records,
datamodel-code-generator) walks or nests a long chain, and ``A0`` becomes one level of
``RootModel`` rather than 2,000. Chains through ``$ref``\\ s that carry other keys (3.1
siblings) cannot be collapsed; they are limited to ``Limits.max_ref_links`` links.

No copying: the root file's data *is* the bundled document, mutated in place, and the
external nodes are moved into it (only a path item used twice is copied). Each node moved
or put in place is recorded in :attr:`Bundler.mounts` (bundled pointer -> the
:data:`Key` of the file and pointer it came from), the source map that
:class:`codegen.load.loader.LoadedSpec` uses to give errors a file and line.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from codegen.diagnostics import Diagnostics, SpecError, format_pointer
from codegen.load.guard import Reader, Refused
from codegen.load.kinds import children, is_object_kind
from codegen.load.refs import ROOT, Key, SpecFiles, relative
from codegen.load.yamlsrc import Pointer, SourceFile

__all__ = ["ROOT", "Bundler", "Key", "relative"]


def _version(root: SourceFile) -> str:
    document = root.data
    version = document.get("openapi")
    if version is None:
        what = (
            "Swagger 2.0 is not supported (convert it to OpenAPI 3)"
            if "swagger" in document
            else "missing 'openapi' field (e.g. openapi: 3.0.3)"
        )
        raise SpecError(root.path, root.line(()), "", what)
    if not isinstance(version, str) or not re.match(r"3\.[01]\.\d+", version):
        message = f"unsupported OpenAPI version {version!r} (expected 3.0.x or 3.1.x)"
        raise SpecError(root.path, root.line(("openapi",)), "/openapi", message)
    return version


# Component section by kind; kinds not listed are hoisted as schemas.
_SECTIONS = {
    "schema": "schemas",
    "parameter": "parameters",
    "response": "responses",
    "requestBody": "requestBodies",
    "header": "headers",
    "example": "examples",
    "link": "links",
    "callback": "callbacks",
    "securityScheme": "securitySchemes",
}
_INLINE_ONCE = frozenset(_SECTIONS) - {"schema"}
# Kinds with no component section: a reference to one is replaced by what it reaches
# (``get: {$ref: resources/list.yml}``).
_SUBSTITUTED = frozenset({"pathItem", "operation"})
# Files a ``$ref`` may name for their text (Redocly-style ``description: {$ref: x.md}``).
_TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html"})


@dataclass(eq=False)
class _Site:
    """One ``$ref`` (or discriminator mapping value) in some file."""

    file: int
    ptr: Pointer  # the object holding the reference
    holder: dict[str, Any]
    field: str  # "$ref", or the discriminator mapping key
    parent: Any  # container of ``holder`` (for putting the target in its place)
    pkey: str | int | None
    encl: Key  # the walked subtree (root or a target) the site was found in
    only_ref: bool


@dataclass
class _Target:
    kind: str
    sites: list[_Site]


class Bundler(SpecFiles):
    """The three passes over the files read so far; see the module notes."""

    def __init__(self, root: Path, reader: Reader) -> None:
        super().__init__(root, reader)
        self.targets: dict[Key, _Target] = {}
        self.queue: list[Key] = []
        self.seen: set[tuple[int, Pointer, str]] = set()
        self.loc: dict[Key, Pointer] = {ROOT: ()}
        self.derived: dict[Key, Key] = {}
        self.inline: set[Key] = set()
        self.homes: set[_Site] = set()
        self.hoisted: list[tuple[Key, str, str]] = []
        self.mounts: dict[Pointer, Key] = {(): ROOT}
        self.diagnostics = Diagnostics()
        document = self.files[0].data
        if not isinstance(document, dict):
            what = type(document).__name__
            raise SpecError(root, 1, "", f"the top level must be a mapping, not {what}")
        self.version = _version(self.files[0])
        self.v31 = self.version.startswith("3.1")

    # -- pass 1: discover ------------------------------------------------------

    def discover(self) -> None:
        self.walk(ROOT, self.files[0].data, "root", ())
        for key in self.queue:  # grows while walking
            if key[0] != 0:  # the root file was walked whole
                self.walk(key, self.node(key), self.targets[key].kind, key[1])
        self.collapse_aliases()

    def collapse_aliases(self) -> None:
        """Point every bare-``$ref`` schema that is itself a target past its chain (notes)."""
        schemas = {key for key, target in self.targets.items() if target.kind == "schema"}
        for key in list(schemas):
            skip = self.chains[key].skip
            if skip == key or skip not in self.targets:
                continue
            target = self.targets[key]
            for site in list(target.sites):
                if site.field == "$ref" and site.only_ref and (site.file, site.ptr) in schemas:
                    target.sites.remove(site)
                    self.targets[skip].sites.append(site)
            if not target.sites:  # a bare {$ref}: nothing can live inside it
                del self.targets[key]

    def walk(
        self,
        encl: Key,
        node: Any,
        kind: str,
        ptr: Pointer,
        parent: Any = None,
        pkey: str | int | None = None,
    ) -> None:
        if isinstance(node, dict):
            if kind == "refmap":
                for name, value in node.items():
                    if isinstance(value, str) and (
                        "#" in value or value.endswith((".yaml", ".yml", ".json"))
                    ):
                        self.site(
                            _Site(encl[0], ptr, node, name, None, None, encl, False), "schema"
                        )
                return
            if isinstance(node.get("$ref"), str) and is_object_kind(kind):
                self.site(
                    _Site(encl[0], ptr, node, "$ref", parent, pkey, encl, len(node) == 1), kind
                )
        for key, value, sub_kind in children(node, kind):
            self.walk(encl, value, sub_kind, (*ptr, str(key)), node, key)

    def site(self, site: _Site, kind: str) -> None:
        if (site.file, site.ptr, site.field) in self.seen:
            return
        self.seen.add((site.file, site.ptr, site.field))
        if site.field == "$ref" and not site.only_ref and not self.v31 and kind != "schema":
            extra = ", ".join(k for k in site.holder if k != "$ref")
            source = self.files[site.file]
            self.diagnostics.warn(
                source.path,
                source.line(site.ptr),
                format_pointer(site.ptr),
                f"keys next to $ref are ignored in OpenAPI 3.0: {extra}",
            )
        if site.field == "$ref" and self.text_ref(site):
            return
        key = self.resolve(site.file, site.ptr, site.field, site.holder[site.field])
        chain = self.chain(key, (site.file, (*site.ptr, site.field)))
        if chain.links > self.reader.limits.max_ref_links:
            message = (
                f"$ref chain of more than {self.reader.limits.max_ref_links} links "
                "through schemas with other keys beside $ref"
            )
            raise self.error(site.file, (*site.ptr, site.field), message)
        if kind in _INLINE_ONCE or kind in _SUBSTITUTED:  # plain substitution: skip to the end
            key = chain.end
        if key not in self.targets:
            self.targets[key] = _Target(kind, [])
            self.queue.append(key)
        self.targets[key].sites.append(site)

    def text_ref(self, site: _Site) -> bool:
        """Put the text of a ``$ref`` to a Markdown or text file in the reference's place
        (a description kept in its own file); whether the reference was one."""
        ref = site.holder["$ref"]
        file_part = ref.partition("#")[0]
        if not file_part or PurePosixPath(file_part).suffix.lower() not in _TEXT_SUFFIXES:
            return False
        where = (*site.ptr, "$ref")
        if site.parent is None or not site.only_ref:
            raise self.error(site.file, where, f"$ref {ref!r}: a text file can only stand alone")
        path = Path(os.path.normpath(self.files[site.file].path.parent / unquote(file_part)))
        try:
            raw = self.reader.read(path)
        except Refused as exc:
            raise self.error(site.file, where, f"$ref {ref!r}: {exc}") from None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise self.error(site.file, where, f"$ref {ref!r}: cannot read it: {reason}") from None
        try:
            site.parent[site.pkey] = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.error(site.file, where, f"$ref {ref!r}: not UTF-8 text") from None
        return True

    # -- pass 2: place ---------------------------------------------------------

    def place(self) -> None:
        for key, target in self.targets.items():  # homes first: they fix names
            for site in target.sites:
                if (
                    key[0] != 0
                    and key not in self.loc
                    and site.encl == ROOT
                    and site.field == "$ref"
                    and site.only_ref
                    and len(site.ptr) == 3
                    and site.ptr[0] == "components"
                ):
                    self.loc[key] = site.ptr
                    self.homes.add(site)
        for key, target in self.targets.items():
            if key in self.loc:
                continue
            ancestor = self.ancestor(key)
            sites = target.sites
            if ancestor is not None:
                self.derived[key] = ancestor
            elif target.kind in _SUBSTITUTED or (
                target.kind in _INLINE_ONCE
                and len(sites) == 1
                and sites[0].field == "$ref"
                and (sites[0].only_ref or not self.v31)
            ):
                if all(site.parent is not None for site in sites):
                    self.inline.add(key)
                else:
                    self.hoist(key, target.kind)
            else:
                self.hoist(key, target.kind)

    def ancestor(self, key: Key) -> Key | None:
        """The closest target (or the root document) containing ``key``."""
        file, ptr = key
        for depth in range(len(ptr) - 1, -1, -1):
            candidate = (file, ptr[:depth])
            if candidate in self.targets or candidate == ROOT:
                return candidate
        return None

    def hoist(self, key: Key, kind: str) -> None:
        """Give ``key`` a home in ``components``: its own name (the fragment's last key,
        else the file's stem), or when another node has it, that name qualified by
        where it comes from (``common.yaml#/Error`` -> ``common_Error``; ``a/item.yaml``
        -> ``a_item``), never a number."""
        section = _SECTIONS.get(kind, "schemas")
        path = self.files[key[0]].path
        stem = str(key[1][-1]) if key[1] else path.stem
        try:  # folders within the spec's own folder only
            folders = path.parent.relative_to(self.files[0].path.parent).parts
        except ValueError:
            folders = (path.parent.name,)
        qualifiers = ([path.stem] if key[1] else []) + list(reversed(folders))
        candidates = [stem] + ["_".join([*reversed(qualifiers[:n]), stem]) for n in (1, 2, 3)]
        other: Key | None = None
        for candidate in dict.fromkeys(candidates):
            name = re.sub(r"[^A-Za-z0-9._-]", "_", candidate)
            other = self.taken(section, name)
            if other is None:
                break
        if other is not None:
            name = re.sub(r"[^A-Za-z0-9._-]", "_", stem)
            raise self.error(
                key[0],
                key[1],
                f"cannot move this node to #/components/{section}/"
                f"{name}: that name is taken by {self.where(other)}; give it a "
                f"distinct name with a components/{section} entry in the root file",
            )
        self.loc[key] = ("components", section, name)
        self.hoisted.append((key, section, name))

    def taken(self, section: str, name: str) -> Key | None:
        """What already has ``components/<section>/<name>``, if anything."""
        components = self.files[0].data.get("components")
        existing = components.get(section) if isinstance(components, dict) else None
        if isinstance(existing, dict) and name in existing:
            return (0, ("components", section, name))
        for hoisted, hoisted_section, hoisted_name in self.hoisted:
            if (hoisted_section, hoisted_name) == (section, name):
                return hoisted
        return None

    def position(self, key: Key, busy: frozenset[Key] = frozenset()) -> Pointer:
        """Where the node ``key`` sits in the bundled document."""
        if key in self.loc:
            return self.loc[key]
        if key in busy:
            raise self.error(key[0], key[1], "circular $ref: this node contains itself")
        if key in self.derived:
            ancestor = self.derived[key]
            where = self.position(ancestor, busy | {key}) + key[1][len(ancestor[1]) :]
        else:  # put in place at its (first) site
            where = self.site_location(self.targets[key].sites[0], busy | {key})
        self.loc[key] = where
        return where

    def site_location(self, site: _Site, busy: frozenset[Key] = frozenset()) -> Pointer:
        return self.position(site.encl, busy) + site.ptr[len(site.encl[1]) :]

    # -- pass 3: apply ---------------------------------------------------------

    def apply(self) -> None:
        document = self.files[0].data
        for key, section, name in self.hoisted:
            components = document.setdefault("components", {})
            if not isinstance(components, dict) or not isinstance(
                components.setdefault(section, {}), dict
            ):
                raise self.error(0, ("components",), "must be a mapping of mappings")
            components[section][name] = self.node(key)
            self.mounts[self.loc[key]] = key
        copies: list[tuple[_Site, Key]] = []
        for key, target in self.targets.items():
            ref = "#" + format_pointer(self.position(key))
            for site in target.sites:
                site.holder[site.field] = ref
                if site in self.homes or key in self.inline:
                    if site is not target.sites[0] and site not in self.homes:
                        copies.append((site, key))  # a path item used twice: copied below
                    self.put(site, key, self.node(key))
        for site, key in copies:  # after every ref is rewritten, so copies are bundled too
            self.put(site, key, copy.deepcopy(self.node(key)))

    def put(self, site: _Site, key: Key, node: Any) -> None:
        """Put the node ``key`` (or a copy) where ``site``'s reference object was."""
        if not site.only_ref and isinstance(node, dict):  # 3.1 summary/description win
            node = {**node, **{k: v for k, v in site.holder.items() if k != "$ref"}}
        site.parent[site.pkey] = node
        self.mounts[self.site_location(site)] = key
