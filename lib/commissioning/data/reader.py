"""YAML reading that keeps line numbers, so that errors can point at the line of a key.

Every YAML file of the suite is read here. The formats need no anchors or aliases (``&name``,
``*name``), and an alias can make a file of a few hundred bytes expand to billions of values (an
"alias bomb"), so a file that has one is refused with its line, before it is composed
(``aliases="refuse"``, the default). Only codebook.yaml may share code lists through anchors
(``aliases="bounded"``), as the shipped one does, as long as they expand to at most
`MAX_EXPANDED_NODES` values.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import DataError, Problem

try:  # libyaml is several times faster; fall back to the pure-Python loader
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read a file as strict UTF-8.

    Returns
    -------
    text : str or None
        The text without a leading byte order mark; None when the file is not valid UTF-8.
    problems : list of Problem
        Empty, or the one problem naming the line and the first byte that is not UTF-8.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "GM0518-1.yaml"
    ...     _ = path.write_bytes("\\ufeffcoder: é\\n".encode("utf-8"))
    ...     first = read_text(path, "interviews/GM0518-1.yaml")
    ...     _ = path.write_bytes(b"coder: ab\\nnotes: \\xe9\\n")
    ...     second = read_text(path, "interviews/GM0518-1.yaml")
    >>> first
    ('coder: é\\n', [])
    >>> second[0], str(second[1][0])
    (None, 'interviews/GM0518-1.yaml, line 2: is not valid UTF-8 (byte 0xe9 at offset 17);
    allowed: UTF-8 encoded text; save the file as UTF-8')
    """
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


ALIASES = ("refuse", "bounded")
MAX_EXPANDED_NODES = 100_000  # values a codebook's aliases may expand to (the shipped one: 2,810)
_COLLECTION_START = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_COLLECTION_END = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _refused(event, display: str) -> Problem:
    sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
    kind = "alias" if sign == "*" else "anchor"
    return Problem(display, f"line {event.start_mark.line + 1}",
                   f"has a YAML {kind} ({sign}{event.anchor}); anchors and aliases are refused in this file, as "
                   "an alias can make a small file expand without end",
                   allowed="every value written out in full, as in the README's example")


def alias_problem(text: str, display: str, aliases: str = "refuse") -> Problem | None:
    """The problem with the anchors and aliases of a YAML text, read as a stream of events
    (linear in the text, nothing is expanded), or None.

    Parameters
    ----------
    text : str
    display : str
        The file's name as messages give it.
    aliases : {"refuse", "bounded"}
        "refuse": any anchor or alias is a problem (at its line). "bounded": they are allowed
        while the document they expand to has at most `MAX_EXPANDED_NODES` values.

    Returns
    -------
    Problem or None
        None also for a text that is not valid YAML (`load_yaml` says what is wrong with it).

    Examples
    --------
    >>> bomb = "a: &a [x, x]\\nb: &b [*a, *a]\\nc: [*b, *b]\\n"
    >>> print(alias_problem(bomb, "GM0518-1.yaml"))
    GM0518-1.yaml, line 1: has a YAML anchor (&a); anchors and aliases are refused in this file, as an
    alias can make a small file expand without end; allowed: every value written out in full, as in the
    README's example
    >>> alias_problem(bomb, "codebook.yaml", "bounded") is None, alias_problem("a: R&D *\\n", "f.yaml")
    (True, None)
    """
    if aliases not in ALIASES:
        raise ValueError(f"aliases must be one of {ALIASES}, got {aliases!r}")
    if "&" not in text and "*" not in text:  # the common case, decided without parsing
        return None
    loader = _Loader(text)
    try:
        return _walk_events(loader, display, aliases)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _walk_events(loader, display: str, aliases: str) -> Problem | None:
    """`alias_problem` over the loader's events: the size each anchor expands to, and the total."""
    sizes: dict[str, int] = {}
    open_: list[list] = []  # [anchor, values so far] of each collection being read
    total = 0
    while loader.check_event():
        event = loader.get_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None and aliases == "refuse":
            return _refused(event, display)
        if isinstance(event, _COLLECTION_START):
            open_.append([anchor, 1])
            total += 1
        elif isinstance(event, _COLLECTION_END):
            anchor, n = open_.pop()
            if anchor is not None:
                sizes[anchor] = n
            if open_:
                open_[-1][1] += n
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            n = sizes.get(anchor, 1) if isinstance(event, yaml.AliasEvent) else 1
            if isinstance(event, yaml.ScalarEvent) and anchor is not None:
                sizes[anchor] = 1
            total += n
            if open_:
                open_[-1][1] += n
        if total > MAX_EXPANDED_NODES:
            return Problem(display, f"line {event.start_mark.line + 1}",
                           f"has aliases that expand to more than {MAX_EXPANDED_NODES:,} values",
                           allowed="anchors for shared lists of codes, each written out once")
    return None


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


class _Fallback(Exception):
    """A node the fast constructor leaves to PyYAML's (an alias, a merge key, another tag)."""


def _construct(node, loader, seen: set):
    """The data of `node` as PyYAML's safe constructor builds it, for plain mappings, sequences
    and scalars; raises _Fallback for anything else."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        # text as it is; numbers, booleans, null and dates by PyYAML's own constructors
        return node.value if node.tag == _STR else loader.construct_object(node)
    if id(node) in seen:  # an alias of a collection: PyYAML shares the object
        raise _Fallback
    seen.add(id(node))
    if kind is yaml.MappingNode and node.tag == _MAP:
        out = {}
        for key_node, value_node in node.value:
            if key_node.tag in _SPECIAL_KEYS:
                raise _Fallback
            key = _construct(key_node, loader, seen)
            if type(key) in (dict, list):  # unhashable: PyYAML says where
                raise _Fallback
            out[key] = _construct(value_node, loader, seen)
        return out
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_construct(child, loader, seen) for child in node.value]
    raise _Fallback


def load_data(text: str, aliases: str = "refuse") -> object:
    """The data of a YAML text, parsed without keeping lines (the fast way); None when the text
    is not valid YAML, is empty or has anchors or aliases that `aliases` refuses (see
    `alias_problem`; `load_yaml` then says what and where).

    The same data as ``yaml.load(text, Loader=yaml.CSafeLoader)``: libyaml composes the nodes,
    and plain mappings, sequences and text are built here directly instead of through PyYAML's
    generic constructor (which costs more than the parsing); every other node is PyYAML's.

    Returns
    -------
    object
        The data of the document: a dict, a list or a scalar; None for an empty or invalid text.

    Examples
    --------
    >>> load_data("a: 1\\nb: [x, 'yes', yes]\\n")
    {'a': 1, 'b': ['x', 'yes', True]}
    >>> load_data("a: [") is None, load_data("") is None, load_data("a: &x 1\\nb: *x\\n") is None
    (True, True, True)
    >>> load_data("a: &x 1\\nb: *x\\n", aliases="bounded")
    {'a': 1, 'b': 1}
    """
    if alias_problem(text, "", aliases) is not None:
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _construct(node, loader, set())
        except _Fallback:
            return loader.construct_document(node)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def load_yaml(text: str, display: str, aliases: str = "refuse") -> tuple[object, dict[tuple, int], list[Problem]]:
    """Parse YAML; return (data, lines, problems).

    Anchors and aliases are refused, or bounded, as `aliases` says (see `alias_problem`).

    `lines` maps a key path (a tuple of mapping keys) to the 1-based line of that key; an item
    of a list is keyed by its index (``("passages", 0, "start")``), at the line where it starts.

    Returns
    -------
    data : object
        The data of the document; None when it is empty or not valid YAML.
    lines : dict
        Key path -> 1-based line.
    problems : list of Problem
        Empty, or the one problem: the text is empty or not valid YAML (with its line and column).

    Examples
    --------
    >>> text = "interview_id: GM0518-1\\nvalues:\\n  maturity.top3:\\n  - a\\n  - b\\n"
    >>> data, lines, problems = load_yaml(text, "f.yaml")
    >>> data, problems
    ({'interview_id': 'GM0518-1', 'values': {'maturity.top3': ['a', 'b']}}, [])
    >>> lines[("values", "maturity.top3")], lines[("values", "maturity.top3", 1)]
    (3, 5)
    >>> print(load_yaml("a: [1\\n", "f.yaml")[2][0])
    f.yaml, line 2, column 1: is not valid YAML: did not find expected ',' or ']';
    allowed: a YAML mapping as in the README's example
    >>> print(load_yaml("a: &x [1]\\nb: *x\\n", "f.yaml")[2][0].where)
    line 1
    """
    refused = alias_problem(text, display, aliases)
    if refused is not None:
        return None, {}, [refused]
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
            elif isinstance(n, yaml.SequenceNode):  # list items by index, e.g. (0, 'id') in a list of entries
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


def read_file(path: Path, display: str | None = None, *, missing: str) -> str:
    """The text of one of the suite's files, or `DataError` naming the file: missing (`missing`
    says what belongs there), or not UTF-8 (with the line).

    Returns
    -------
    str
        The text, without a leading byte order mark.

    Examples
    --------
    >>> from pathlib import Path
    >>> read_file(Path("no-such-folder") / "quantifiers.csv", missing="a quantifiers.csv beside the claims")
    Traceback (most recent call last):
    ...
    commissioning.errors.DataError: 1 problem in the data:
      quantifiers.csv: is missing; allowed: a quantifiers.csv beside the claims
    """
    path = Path(path)
    display = display or path.name
    if not path.is_file():
        raise DataError([Problem(display, "", "is missing", allowed=missing)])
    text, problems = read_text(path, display)
    if problems:
        raise DataError(problems)
    return text


def read_yaml_file(path: Path, display: str | None = None, *, missing: str,
                   aliases: str = "refuse") -> tuple[object, dict[tuple, int]]:
    """One of the suite's YAML files as data with the line of every key (`load_yaml`), or
    `DataError` naming the file and line (missing, not UTF-8, not valid YAML, anchors or aliases
    that `aliases` refuses).

    Returns
    -------
    data : object
    lines : dict
        Key path -> line.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> data, lines = read_yaml_file(default_data_dir() / "codebook.yaml", missing="a codebook.yaml",
    ...                              aliases="bounded")
    >>> "variables" in data, lines[("variables",)] > 1
    (True, True)
    """
    path = Path(path)
    display = display or path.name
    data, lines, problems = load_yaml(read_file(path, display, missing=missing), display, aliases)
    if problems:
        raise DataError(problems)
    return data, lines
