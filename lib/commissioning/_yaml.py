"""YAML reading that keeps line numbers, so that errors can point at the line of a key."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Problem

try:  # libyaml is several times faster; fall back to the pure-Python loader
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read a file as strict UTF-8; return (text, []) or (None, [problem])."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(display, f"line {line}", f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                    allowed="UTF-8 encoded text; save the file as UTF-8")
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


def load_yaml(text: str, display: str) -> tuple[object, dict[tuple, int], list[Problem]]:
    """Parse YAML; return (data, lines, problems).

    `lines` maps a key path (a tuple of mapping keys) to the 1-based line of that key; an item
    of a list is keyed by its index (``("passages", 0, "start")``), at the line where it starts.
    """
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            return None, {}, [Problem(display, where, f"is not valid YAML: {reason}",
                                      allowed="a YAML mapping as in the README's example")]
        if node is None:
            return None, {}, [Problem(display, "", "is empty", allowed="a YAML mapping as in the README's example")]
        lines: dict[tuple, int] = {}

        def walk(n, path):
            if isinstance(n, yaml.MappingNode):
                for k, v in n.value:
                    key = k.value
                    lines[path + (key,)] = k.start_mark.line + 1
                    walk(v, path + (key,))
            elif isinstance(n, yaml.SequenceNode):
                for i, item in enumerate(n.value):
                    lines[path + (i,)] = item.start_mark.line + 1
                    walk(item, path + (i,))

        walk(node, ())
        try:  # construct from the node already composed: the text is parsed once
            data = loader.construct_document(node)
        except yaml.YAMLError as exc:  # e.g. a constructor error
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else ""
            return None, lines, [Problem(display, where, f"is not valid YAML: {exc}")]
        return data, lines, []
    finally:
        loader.dispose()
