"""Stage 1, load: spec files (YAML/JSON, one or many joined by ``$ref``) -> ``LoadedSpec``.

``load_spec(path)`` reads every file with line numbers (:mod:`.yamlsrc`), bundles the
external ``$ref``s into one document with local refs only (:mod:`.bundle`, walking the
OpenAPI kinds of :mod:`.kinds`) and keeps a source map from every JSON pointer of the
bundled document back to its file and line (:mod:`.loader`).
"""

from codegen.load.loader import LoadedSpec, load_spec

__all__ = ["LoadedSpec", "load_spec"]
