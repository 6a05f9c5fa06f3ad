"""Reading a REFI-QDA project (.qdpx): open the zip, parse project.qde, collect its users, codes and
sources with their variables, cases and codings, and read the plain text that codings point into.

Text positions count Unicode code points from the start of the source's plain text (or of a text
inside a source, such as a PDF's Representation), end exclusive. ATLAS.ti counts a CRLF line ending
as one character, so its text is read with LF endings.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd
from lxml import etree

from ..errors import DataError, Problem

NS_PROJECT = "urn:QDA-XML:project:1.0"
_NS_PROJECT_PREFIX = "urn:QDA-XML:project:"
MAX_MEMBER_BYTES = 200_000_000  # refuse to inflate a zip member larger than this
SOURCE_TAGS = ("TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource")
_VAR_PREFIX_RE = re.compile(r"^\s*(cases?|documents?|files?|sources?)\s*:\s*", re.IGNORECASE)


@dataclass
class ProjectCode:
    """A code of a REFI-QDA project: GUID, name, description and parent code."""
    guid: str
    name: str
    description: str
    parent: str | None


@dataclass
class _Coding:
    code: str
    user: str | None
    start: int | None
    end: int | None
    kind: str = ""                  # the element coded: PlainTextSelection, PictureSelection, ..., or a source
    holder: str | None = None       # for a PlainTextSelection: the key of the text it lies in (see ProjectSource.texts)
    selection: str | None = None    # GUID of the selection
    selection_name: str = ""        # the selection's name as the tool writes it (ATLAS.ti: the start of its text)


@dataclass
class ProjectSet:
    """A set of a REFI-QDA project: member codes and member sources, by GUID."""
    guid: str
    name: str
    codes: list      # GUIDs of its member codes (an ATLAS.ti code group)
    sources: list    # GUIDs of its member sources (an ATLAS.ti document group)


@dataclass
class ProjectSource:
    """A source (document) of a REFI-QDA project, with where its text is and its codings."""
    guid: str
    name: str
    kind: str
    creating_user: str | None
    text_path: str | None
    inline_text: str | None
    variables: dict = field(default_factory=dict)   # normalised variable name -> [(raw name, value)]
    cases: list = field(default_factory=list)       # names of named cases that hold this source
    codings: list = field(default_factory=list)
    texts: dict = field(default_factory=dict)       # holder key -> (inline text, plainTextPath) of a text in it


def guid_key(guid) -> str:
    """A GUID as the importer compares them: without braces and spaces, lower case."""
    return str(guid or "").strip().strip("{}").lower()


def normal_name(text) -> str:
    """A name as the importer compares names: case-folded, with spaces, underscores and hyphens as one space."""
    return re.sub(r"[\s_\-]+", " ", str(text or "").casefold()).strip()


def _var_name(name: str) -> str:
    return normal_name(_VAR_PREFIX_RE.sub("", name or ""))


def project_error(display, message, allowed="a REFI-QDA project (.qdpx): a zip archive holding project.qde"):
    """A DataError about the project file `display`."""
    return DataError([Problem(display, "", message, allowed=allowed)])


# ------------------------------------------------------------------------------ the archive

def read_project(path: Path, display: str):
    """Open the zip and parse project.qde; raise DataError for anything that is not a project."""
    zf, names = _open_zip(path, display)
    qde = _find_qde(names, display)
    info = zf.getinfo(qde)
    if info.file_size > MAX_MEMBER_BYTES:
        raise project_error(display, f"{qde} is too large to read ({info.file_size} bytes)")
    try:
        xml = zf.read(qde)
    except Exception as exc:  # BadZipFile (CRC), zlib.error, NotImplementedError (method), RuntimeError (encrypted)
        raise project_error(display, f"{qde} cannot be extracted from the archive ({type(exc).__name__}: {exc})") from None
    root, ns = _parse_qde(xml, qde, display)
    return zf, names, root, ns


def _open_zip(path: Path, display: str):
    """The project file as an open zip archive and its member names; DataError naming what the
    file is when it is not a readable zip archive."""
    if not path.exists():
        raise project_error(display, "does not exist")
    if not path.is_file():
        raise project_error(display, "is not a file")
    raw = path.read_bytes()
    if not raw:
        raise project_error(display, "is empty")
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        head = raw[:2000].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"<") and b"urn:QDA-XML:codebook" in head:
            raise project_error(display, "is a REFI-QDA codebook (.qdc), not a project; it holds codes but no coded sources")
        if head.startswith(b"<") and b"urn:QDA-XML:project" in head:
            raise project_error(display, "is a bare project.qde, not a .qdpx; zip it (with its sources/ folder) or export "
                                 "the project as .qdpx from the QDA tool")
        if raw[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
            raise project_error(display, "is a damaged or truncated zip archive (its central directory cannot be read)")
        raise project_error(display, "is not a zip archive")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        names = zf.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise project_error(display, f"is a damaged zip archive ({exc})") from None
    return zf, names


def _find_qde(names: list[str], display: str) -> str:
    """The one .qde member at the top of the archive (project.qde if there are several)."""
    qde = [n for n in names if "/" not in n.strip("/") and n.lower().endswith(".qde")]
    preferred = [n for n in qde if n.lower() == "project.qde"]
    if preferred:
        qde = preferred
    if not qde:
        shown = ", ".join(names[:5]) + (" ..." if len(names) > 5 else "") if names else "nothing"
        raise project_error(display, f"is a zip archive without project.qde (it holds {shown})")
    if len(qde) > 1:
        raise project_error(display, f"holds several .qde files ({', '.join(qde)}); a project has one")
    return qde[0]


def _parse_qde(xml: bytes, qde: str, display: str):
    """The root element of project.qde and its namespace; DataError when it is not a project."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise project_error(display, f"{qde} is not well-formed XML ({exc})") from None
    except ValueError as exc:
        raise project_error(display, f"{qde} cannot be parsed ({exc})") from None
    qn = etree.QName(root)
    if qn.localname != "Project" or not (qn.namespace or "").startswith(_NS_PROJECT_PREFIX):
        raise project_error(display, f"{qde} is XML but not a REFI-QDA project (root element "
                             f"{('{' + qn.namespace + '}') if qn.namespace else ''}{qn.localname}, expected Project in "
                             f"namespace {NS_PROJECT})")
    return root, qn.namespace


# ------------------------------------------------------------------------------ project.qde

def _children(el, ns, tag):
    return el.findall(f"{{{ns}}}{tag}")


def int_or_none(value):
    """`value` as an int, or None when it is not a whole number."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _value_of(vv, ns):
    for child in vv:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local.endswith("Value") and local != "VariableValue":
            return (child.text or "").strip()
    return None


def parse_project(root, ns):
    """The project's users (GUID -> name), codes (GUID -> ProjectCode) and sources (GUID -> ProjectSource)."""
    users = {}
    for u in root.iterfind(f"{{{ns}}}Users/{{{ns}}}User"):
        users[guid_key(u.get("guid"))] = (u.get("name") or u.get("id") or "").strip() or None
    codes = _parse_codes(root, ns)
    variables = {guid_key(v.get("guid")): v.get("name") or "" for v in root.iterfind(f"{{{ns}}}Variables/{{{ns}}}Variable")}
    sources, selection_source = _parse_sources(root, ns, variables)
    _parse_cases(root, ns, variables, sources, selection_source)
    _source_sets(parse_sets(root, ns), sources)
    return users, codes, sources


def parse_sets(root, ns) -> list[ProjectSet]:
    """The project's sets (of the project, or of its codebook as some tools write them), each with
    its member codes and sources, in the order of the project."""
    out = []
    for path in (f"{{{ns}}}Sets/{{{ns}}}Set", f"{{{ns}}}CodeBook/{{{ns}}}Sets/{{{ns}}}Set"):
        for el in root.iterfind(path):
            codes = [guid_key(m.get("targetGUID") or m.get("guid")) for m in _children(el, ns, "MemberCode")]
            sources = [guid_key(m.get("targetGUID") or m.get("guid")) for m in _children(el, ns, "MemberSource")]
            out.append(ProjectSet(guid_key(el.get("guid")), (el.get("name") or "").strip(), [c for c in codes if c],
                            [s for s in sources if s]))
    return out


def _source_sets(sets: list[ProjectSet], sources: dict) -> None:
    """Give each source the document groups that hold it: a group named ``name: value`` (as
    ATLAS.ti writes document variables, e.g. ``municipality: GM0518``) as a variable of the
    source, any other as the name of a case that holds it."""
    for group in sets:
        name, sep, value = group.name.partition(":")
        for guid in group.sources:
            src = sources.get(guid)
            if src is None or not group.name:
                continue
            if sep and name.strip() and value.strip():
                src.variables.setdefault(_var_name(name), []).append((name.strip(), value.strip()))
            else:
                src.cases.append(group.name)


def _parse_codes(root, ns) -> dict[str, ProjectCode]:
    """Every code of the project's codebook, each with the GUID of the code above it."""
    codes: dict[str, ProjectCode] = {}

    def walk(el, parent):
        for c in _children(el, ns, "Code"):
            guid = guid_key(c.get("guid"))
            desc = c.find(f"{{{ns}}}Description")
            codes[guid] = ProjectCode(guid, c.get("name") or "", (desc.text or "") if desc is not None else "", parent)
            walk(c, guid)

    for codes_el in root.iterfind(f"{{{ns}}}CodeBook/{{{ns}}}Codes"):
        walk(codes_el, None)
    return codes


def _var_values(el, ns, variables):
    """The (variable name, value) pairs of the VariableValue elements of `el`."""
    out = []
    for vv in _children(el, ns, "VariableValue"):
        ref = vv.find(f"{{{ns}}}VariableRef")
        name = variables.get(guid_key(ref.get("targetGUID")) if ref is not None else "", "")
        out.append((name, _value_of(vv, ns)))
    return out


def _parse_sources(root, ns, variables):
    """The sources (GUID -> ProjectSource) and, for a case's SelectionRef, the GUID of each selection's
    source."""
    sources: dict[str, ProjectSource] = {}
    selection_source: dict[str, str] = {}  # GUID of a selection -> GUID of its source (for a case's SelectionRef)
    sources_el = root.find(f"{{{ns}}}Sources")
    for s in (list(sources_el) if sources_el is not None else []):
        if not isinstance(s.tag, str) or etree.QName(s).localname not in SOURCE_TAGS:
            continue
        content = s.find(f"{{{ns}}}PlainTextContent")
        src = ProjectSource(guid_key(s.get("guid")), _source_name(s), etree.QName(s).localname,
                      guid_key(s.get("creatingUser")) or None, s.get("plainTextPath"),
                      content.text if content is not None else None)
        for name, value in _var_values(s, ns, variables):
            src.variables.setdefault(_var_name(name), []).append((name, value))
        src.texts[""] = (src.inline_text, src.text_path)
        _parse_codings(s, src, ns)
        for sel in s.iter():
            if isinstance(sel.tag, str) and sel.get("guid") and etree.QName(sel).localname.endswith("Selection"):
                selection_source.setdefault(guid_key(sel.get("guid")), src.guid)
        sources[src.guid] = src
    return sources, selection_source


def _source_name(s) -> str:
    """A source's name: its own, else (QualCoder writes none) the name of its text file, else its GUID."""
    text_file = PurePosixPath((s.get("plainTextPath") or "").split("://")[-1]).name
    return (s.get("name") or "").strip() or text_file or s.get("guid") or "(unnamed)"


def _parse_codings(s, src: ProjectSource, ns) -> None:
    """Append every Coding inside the source element `s` to `src.codings`."""
    for coding in s.iter(f"{{{ns}}}Coding"):
        ref = coding.find(f"{{{ns}}}CodeRef")
        if ref is None:
            continue
        sel = coding.getparent()
        kind = etree.QName(sel).localname if sel is not None and isinstance(sel.tag, str) else ""
        start = end = holder = None
        if kind == "PlainTextSelection":
            start, end = int_or_none(sel.get("startPosition")), int_or_none(sel.get("endPosition"))
            holder = _holder(sel.getparent(), s, src, ns)
        is_selection = kind.endswith("Selection")
        src.codings.append(_Coding(guid_key(ref.get("targetGUID")), guid_key(coding.get("creatingUser")) or None, start, end,
                                   kind, holder, guid_key(sel.get("guid")) if is_selection else None,
                                   (sel.get("name") or "") if is_selection else ""))


def _parse_cases(root, ns, variables, sources, selection_source) -> None:
    """Give each source the variables and names of the cases that hold it (or a selection of it)."""
    for case in root.iterfind(f"{{{ns}}}Cases/{{{ns}}}Case"):
        refs = [guid_key(r.get("targetGUID")) for r in _children(case, ns, "SourceRef")]
        # a case may hold parts of a source (NVivo codes a case node at selections): it holds that source
        for r in _children(case, ns, "SelectionRef"):
            src_guid = selection_source.get(guid_key(r.get("targetGUID")))
            if src_guid and src_guid not in refs:
                refs.append(src_guid)
        name = (case.get("name") or "").strip()
        values = _var_values(case, ns, variables)
        if not name and len(refs) != 1:
            continue  # an unnamed case is a document's variables only when it holds one source (MAXQDA, Quirkos)
        for ref in refs:
            if ref not in sources:
                continue
            for vname, value in values:
                sources[ref].variables.setdefault(_var_name(vname), []).append((vname, value))
            if name:
                sources[ref].cases.append(name)


def code_path(codes: dict[str, ProjectCode], guid) -> list[str]:
    """The names of a code and the codes above it, top first."""
    names, seen = [], set()
    while guid and guid in codes and guid not in seen:
        seen.add(guid)
        names.insert(0, codes[guid].name)
        guid = codes[guid].parent
    flat = []
    for n in names:  # ATLAS.ti spells a hierarchy as 'parent::child'
        flat.extend(part.strip() for part in n.split("::"))
    return flat


# ------------------------------------------------------------------------------ the texts

def _holder(el, source_el, src: ProjectSource, ns) -> str:
    """The key in `src.texts` of the text a PlainTextSelection in `el` lies in: the source's own
    text (key ""), or a text nested in the source (a PDF's Representation, a picture's
    TextDescription), whose selections count from the start of that text."""
    if el is None or el is source_el:
        return ""
    key = f"{etree.QName(el).localname}:{guid_key(el.get('guid')) or id(el)}"
    if key not in src.texts:
        content = el.find(f"{{{ns}}}PlainTextContent")
        src.texts[key] = (content.text if content is not None else None, el.get("plainTextPath"))
    return key


def source_text(src: ProjectSource, zf, names_by_lower, origin, holder: str = ""):
    """The plain text of the source, or of a text nested in it (`holder`), as the importer reads
    positions in it: CRLF as one character for ATLAS.ti; None when the text is not in the project."""
    inline, path = src.texts.get(holder, (src.inline_text, src.text_path))
    return _read_text(inline, path, zf, names_by_lower, origin)


def _read_text(inline, text_path, zf, names_by_lower, origin):
    text = inline
    if text is None and text_path:
        p = text_path.strip()
        if p.lower().startswith("internal://"):
            p = p[len("internal://"):]
        elif "://" in p:
            return None  # relative:// or absolute://: outside the archive
        base = PurePosixPath(p.lstrip("/")).name
        for cand in (p.lstrip("/"), f"sources/{base}", base):
            name = names_by_lower.get(cand.lower())
            if name is not None:
                try:
                    info = zf.getinfo(name)
                    if info.file_size > MAX_MEMBER_BYTES:
                        return None
                    text = zf.read(name).decode("utf-8-sig", errors="replace")
                except Exception:  # damaged member: the codings do not need the text
                    return None
                break
    if text is not None and origin.lower().startswith("atlas.ti"):
        text = text.replace("\r\n", "\n")
    return text


def excerpt(text, start, end, width=60):
    """A quoted excerpt of the passage from `start` to `end` (for messages), or '' when it falls outside `text`."""
    if text is None or start is None or end is None or not 0 <= start <= end <= len(text):
        return ""
    piece = " ".join(text[start:end].split())
    return f" {piece[:width] + ('…' if len(piece) > width else '')!r}"


def cut_passage(text: str | None, start: int | None, end: int | None) -> str | None:
    """The passage that a selection's positions cut from a plain text, or None when they fall
    outside it. Positions count Unicode code points (Python str indices) from the start of the
    text, end exclusive, as REFI-QDA states them."""
    if text is None or start is None or end is None or not 0 <= start <= end <= len(text):
        return None
    return text[start:end]


def text_selections(path) -> pd.DataFrame:
    """Every coded passage of plain text in a REFI-QDA project, with the text it cuts, whatever its codes.

    Reads the project as `import_qdpx` does, without a codebook and without writing anything:
    a way to see what a project's selections hold before importing it.

    Parameters
    ----------
    path : path
        A .qdpx file.

    Returns
    -------
    DataFrame
        One row per coding of a ``PlainTextSelection``, in the order of the project: `source`
        (the document's name), `selection` (its GUID), `name` (the selection's name as the tool
        writes it, if any), `start` and `end` (the positions the project states), `code` (the
        code's name, with the names of the codes above it, separated by ``/``), `coder` (the
        coding's user, if named) and `text`: what the positions cut from the source's plain text
        (Unicode characters, end exclusive; for ATLAS.ti from the text with LF line ends), or
        None when the text is not in the project or the positions fall outside it.

    Raises
    ------
    DataError
        When `path` is not a REFI-QDA project.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.run import REPO
    >>> table = cm.text_selections(REPO / "tests/fixtures/refi-qda/qc-demo.qdpx")
    >>> first = table.iloc[0]
    >>> print(first["name"], first["start"], first["end"])
    line:6 320 400
    >>> first["text"]
    'This district goal is engage every student in joyful, purposeful learning that \\n'
    """
    path = Path(path)
    zf, names, root, ns = read_project(path, path.name)
    origin = root.get("origin") or ""
    users, codes, sources = parse_project(root, ns)
    names_by_lower = {n.lower(): n for n in names}
    rows, cache = [], {}
    for src in sources.values():
        for c in src.codings:
            if c.kind != "PlainTextSelection":
                continue
            key = (src.guid, c.holder)
            if key not in cache:
                cache[key] = source_text(src, zf, names_by_lower, origin, c.holder or "")
            rows.append((src.name, c.selection, c.selection_name, c.start, c.end, "/".join(code_path(codes, c.code)),
                         users.get(c.user or "") or users.get(src.creating_user or ""), cut_passage(cache[key], c.start, c.end)))
    table = pd.DataFrame(rows, columns=["source", "selection", "name", "start", "end", "code", "coder", "text"])
    for col in ("start", "end"):
        table[col] = table[col].astype("Int64")
    return table
