"""REFI-QDA exchange: the codebook out as a .qdc, coded projects (.qdpx) back in as interview files.

REFI-QDA (www.qdasoftware.org) is the exchange standard of ATLAS.ti, NVivo, MAXQDA, QualCoder and
others. The round trip:

1. `export_qdc` writes the codebook as a REFI-QDA Codebook (namespace urn:QDA-XML:codebook:1.0).
   Every variable becomes a parent code that cannot be coded itself (its name is the variable id,
   e.g. ``sourcing.design``); every value becomes a child code named ``<variable>: <label>``
   (``sourcing.design: Outsourced``). Names are unique across the codebook because some tools
   (QualCoder) merge codes of the same name. A ranked set (``maturity.top3``) gets one group per
   rank, ``maturity.top3 #1`` to ``#3``, each holding every aspect
   (``maturity.top3 #1: People and competences``): the coder codes the passage where the
   respondent names the first priority with an aspect under ``#1``, and so on. Each code's
   Description ends with a line ``commissioning: <variable> = <code>[, rank <n>]``, and its GUID
   is derived from the variable and code ids (uuid5), so the file is byte-stable and the same in
   both languages.
2. The researcher imports the .qdc into the QDA tool, codes the interviews, gives each interview
   (its document, or the case it belongs to) a variable ``municipality`` holding a CBS code or a
   municipality name, and exports the project as .qdpx.
3. `import_qdpx` reads the project and writes one interview file per interview and coder
   (``<interview_id>.<coder>.yaml``, basis ``observed``), listing what it could not map, and
   beside the interview folder a passage file of the same name in ``passages/`` with the coded
   text behind its values (see `commissioning.data.passages`).

Codes are mapped, in this order, by GUID, by the ``commissioning:`` line of their description,
and by structure: a code whose parent (or whose name before ``::`` or ``: ``) names a variable by
id or by its English or Dutch label, and whose own name is a value's id or label in either
language (a name a tool cut short, as MAXQDA does at 63 characters, still maps when the start of
the label is unique). A ranked-set aspect coded without a rank group takes its rank from the order
of its first coding in the text. Text positions order such codings, quote the passage of a coding
that could not be mapped and cut the passages that are kept; they count Unicode code points from
the start of the source's plain text (or of a text inside a source, such as a PDF's
Representation), end exclusive. ATLAS.ti counts a CRLF line ending as one character, so its text
is read with LF endings.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd
import yaml
from lxml import etree

from ..data.codebook import Codebook
from ..core.checks import check_lang
from ..data.passages import PASSAGES_DIR, passage_file_text
from ..errors import DataError, ParameterError, Problem
from ..data.interviews import ID_RE, coder_slug, parse_interview

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
NS_PROJECT = "urn:QDA-XML:project:1.0"
_NS_PROJECT_PREFIX = "urn:QDA-XML:project:"
_GUID_NS = uuid.UUID("18acc1e1-e93f-58c0-afe0-affceb92bb60")  # uuid5(NAMESPACE_URL, 'commissioning/refi-qda/codebook')
MARKER = "commissioning:"
_MARKER_RE = re.compile(r"commissioning:\s*([A-Za-z0-9_.]+)(?:\s*=\s*([A-Za-z0-9_]+))?(?:\s*,\s*rank\s*(\d+))?")
TRUNCATED_AT = 60  # MAXQDA shortens code names to 63 characters: a name this long may be cut
MAX_MEMBER_BYTES = 200_000_000  # refuse to inflate a zip member larger than this
SOURCE_TAGS = ("TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource")
# What a coding that is not at a passage of plain text codes (the selection elements of Project.xsd)
NOT_TEXT = {
    "PictureSelection": "a region of a picture, not text",
    "PDFSelection": "a region of a PDF page, not text",
    "AudioSelection": "a stretch of audio, not text",
    "VideoSelection": "a stretch of video, not text",
    "TranscriptSelection": "a stretch of a transcript between sync points, not positions in a text",
}
PASSAGE_REPORT_COLUMNS = ["interview_id", "coder", "n_passages", "file"]
NOT_KEPT_COLUMNS = ["interview_id", "coder", "source", "kind", "variable", "code", "reason"]
MUNICIPALITY_VARIABLES = ("municipality", "gemeente", "cbs code", "cbs_code", "municipality code", "gemeentecode")
INTERVIEW_VARIABLES = ("interview id", "interview_id", "interview")
ROLE_VARIABLES = ("respondent role", "respondent_role", "role", "rol", "functie")
_VAR_PREFIX_RE = re.compile(r"^\s*(cases?|documents?|files?|sources?)\s*:\s*", re.IGNORECASE)
_RANK_RE = re.compile(r"^(.*?)\s*(?:#|\brank\s*|\brang\s*)(\d+)\s*$", re.IGNORECASE)


# --------------------------------------------------------------------------------------- export

def code_guid(var_id: str, code: str | None = None, rank: int | None = None) -> str:
    """The GUID `export_qdc` gives a variable, a rank group or a value (stable, uuid5)."""
    key = var_id + ("" if code is None else f"={code}") + ("" if rank is None else f"#{rank}")
    return str(uuid.uuid5(_GUID_NS, key))


def _marker(var_id, code=None, rank=None) -> str:
    text = f"{MARKER} {var_id}"
    if code is not None:
        text += f" = {code}"
    if rank is not None:
        text += f", rank {rank}"
    return text


def export_qdc(codebook: Codebook, path, *, lang: str = "en") -> Path:
    """Write the codebook's interview variables as a REFI-QDA Codebook (.qdc).

    Parameters
    ----------
    codebook : Codebook
        E.g. ``cm.load_study().codebook``.
    path : path
        The .qdc file to write; its folder must exist.
    lang : {"en", "nl"}
        Language of the code labels and descriptions.

    Returns
    -------
    Path of the file written. The file is byte-identical for the same codebook and language.

    Examples
    --------
    >>> import tempfile, pathlib, commissioning as cm
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "codebook.qdc"
    >>> _ = cm.export_qdc(cm.load_study().codebook, out, lang="nl")
    >>> b"sourcing.design: Uitbesteed" in out.read_bytes()
    True
    """
    if not isinstance(codebook, Codebook):
        raise ParameterError("codebook", problem=f"expected a Codebook (e.g. cm.load_study().codebook), got {type(codebook).__name__}")
    check_lang(lang)
    path = Path(path)
    if not path.parent.is_dir():
        raise ParameterError("out", str(path), problem=f"is in a folder that does not exist ({str(path.parent)!r})", allowed="a path in an existing folder")
    root = etree.Element(f"{{{NS_CODEBOOK}}}CodeBook", nsmap={None: NS_CODEBOOK})
    root.set("origin", "commissioning codebook export")
    codes_el = etree.SubElement(root, f"{{{NS_CODEBOOK}}}Codes")
    themes: dict[str, list[str]] = {}

    def code(parent, guid, name, codable, description):
        el = etree.SubElement(parent, f"{{{NS_CODEBOOK}}}Code")
        el.set("guid", guid)
        el.set("name", name)
        el.set("isCodable", "true" if codable else "false")
        etree.SubElement(el, f"{{{NS_CODEBOOK}}}Description").text = description
        return el

    for var in codebook.variables.values():
        question = var.question.get(lang, "")
        head = var.label[lang] + (f". {question}" if question else "")
        parent = code(codes_el, code_guid(var.id), var.id, False, f"{head}\n{_marker(var.id)}")
        members = themes.setdefault(var.theme or "other", [])
        if var.type == "ranked_set":
            for rank in range(1, (var.size or 0) + 1):
                group_name = f"{var.id} #{rank}"
                text = {"en": f"Rank {rank} of {var.size}: code the passage where the respondent names this priority "
                              "with one aspect below.",
                        "nl": f"Rang {rank} van {var.size}: codeer de passage waar de respondent deze prioriteit noemt "
                              "met één aspect hieronder."}[lang]
                group = code(parent, code_guid(var.id, rank=rank), group_name, False, f"{text}\n{_marker(var.id, rank=rank)}")
                for c, labels in var.codes.items():
                    guid = code_guid(var.id, c, rank)
                    code(group, guid, f"{group_name}: {labels[lang]}", True,
                         f"{labels[lang]}\n{_marker(var.id, c, rank)}")
                    members.append(guid)
        else:
            for c, labels in var.codes.items():
                guid = code_guid(var.id, c)
                code(parent, guid, f"{var.id}: {labels[lang]}", True, f"{labels[lang]}\n{_marker(var.id, c)}")
                members.append(guid)
    sets_el = etree.SubElement(root, f"{{{NS_CODEBOOK}}}Sets")
    for theme, members in themes.items():
        s = etree.SubElement(sets_el, f"{{{NS_CODEBOOK}}}Set")
        s.set("guid", str(uuid.uuid5(_GUID_NS, f"theme:{theme}")))
        s.set("name", theme)
        for guid in members:
            etree.SubElement(s, f"{{{NS_CODEBOOK}}}MemberCode").set("guid", guid)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------------------- import

@dataclass
class ImportReport:
    """What `import_qdpx` did.

    Attributes
    ----------
    project : str
        The project file's name.
    origin : str
        The exporting tool, as the project states it.
    interviews : DataFrame
        One row per interview file written: `interview_id`, `coder`, `municipality`, `sources`,
        `n_values`, `file`.
    problems : list of Problem
        Everything that could not be mapped or written, each naming the source or code.
    notes : list of str
        How ambiguous things were resolved (e.g. interview numbers taken from source names).
    passages : DataFrame
        One row per passage file written (beside the interview folder, in ``passages/``):
        `interview_id`, `coder`, `n_passages`, `file`.
    not_kept : DataFrame
        One row per coding of a written value whose passage was not kept: `interview_id`,
        `coder`, `source`, `kind` (the element coded: ``PictureSelection``, ``PDFSelection``,
        ``AudioSelection``, ``VideoSelection``, ``TranscriptSelection``, a whole source such as
        ``TextSource``, or ``PlainTextSelection`` when its text is not in the project or its
        positions fall outside it), `variable`, `code`, `reason`.
    """

    project: str
    origin: str = ""
    interviews: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["interview_id", "coder", "municipality", "sources", "n_values", "file"]))
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    passages: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PASSAGE_REPORT_COLUMNS))
    not_kept: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOT_KEPT_COLUMNS))

    @property
    def written(self) -> list[Path]:
        return [Path(f) for f in self.interviews["file"]]

    def not_kept_lines(self) -> list[str]:
        """The passages not kept, one line per source, kind and reason (with a count)."""
        if self.not_kept.empty:
            return []
        groups = self.not_kept.groupby(["source", "kind", "reason"], sort=True).size()
        return [f"source {source!r}: {n} coding(s) of a {kind} not kept as passages ({reason})"
                for (source, kind, reason), n in groups.items()]

    def __str__(self) -> str:
        n_passages = int(self.passages["n_passages"].sum()) if len(self.passages) else 0
        lines = [f"{self.project} ({self.origin or 'origin not stated'}): "
                 f"{len(self.interviews)} interview file(s) written, {len(self.problems)} problem(s); "
                 f"{n_passages} passage(s) kept, {len(self.not_kept)} not kept"]
        lines += [f"  wrote {Path(r.file).name}: {r.n_values} values from {r.sources}" for r in self.interviews.itertuples()]
        lines += [f"  wrote passages/{Path(r.file).name}: {r.n_passages} passage(s)" for r in self.passages.itertuples()]
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  not kept: {line}" for line in self.not_kept_lines()]
        lines += [f"  problem: {p}" for p in self.problems]
        return "\n".join(lines)


@dataclass
class _Code:
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
    holder: str | None = None       # for a PlainTextSelection: the key of the text it lies in (see _Source.texts)
    selection: str | None = None    # GUID of the selection
    selection_name: str = ""        # the selection's name as the tool writes it (ATLAS.ti: the start of its text)


@dataclass
class _Source:
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


def _g(guid) -> str:
    return str(guid or "").strip().strip("{}").lower()


def _norm(text) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text or "").casefold()).strip()


def _var_name(name: str) -> str:
    return _norm(_VAR_PREFIX_RE.sub("", name or ""))


def _fail(display, message, allowed="a REFI-QDA project (.qdpx): a zip archive holding project.qde"):
    return DataError([Problem(display, "", message, allowed=allowed)])


def _read_project(path: Path, display: str):
    """Open the zip and parse project.qde; raise DataError for anything that is not a project."""
    if not path.exists():
        raise _fail(display, "does not exist")
    if not path.is_file():
        raise _fail(display, "is not a file")
    raw = path.read_bytes()
    if not raw:
        raise _fail(display, "is empty")
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        head = raw[:2000].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"<") and b"urn:QDA-XML:codebook" in head:
            raise _fail(display, "is a REFI-QDA codebook (.qdc), not a project; it holds codes but no coded sources")
        if head.startswith(b"<") and b"urn:QDA-XML:project" in head:
            raise _fail(display, "is a bare project.qde, not a .qdpx; zip it (with its sources/ folder) or export "
                                 "the project as .qdpx from the QDA tool")
        if raw[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
            raise _fail(display, "is a damaged or truncated zip archive (its central directory cannot be read)")
        raise _fail(display, "is not a zip archive")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        names = zf.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _fail(display, f"is a damaged zip archive ({exc})") from None
    qde = [n for n in names if "/" not in n.strip("/") and n.lower().endswith(".qde")]
    preferred = [n for n in qde if n.lower() == "project.qde"]
    if preferred:
        qde = preferred
    if not qde:
        shown = ", ".join(names[:5]) + (" ..." if len(names) > 5 else "") if names else "nothing"
        raise _fail(display, f"is a zip archive without project.qde (it holds {shown})")
    if len(qde) > 1:
        raise _fail(display, f"holds several .qde files ({', '.join(qde)}); a project has one")
    info = zf.getinfo(qde[0])
    if info.file_size > MAX_MEMBER_BYTES:
        raise _fail(display, f"{qde[0]} is too large to read ({info.file_size} bytes)")
    try:
        xml = zf.read(qde[0])
    except Exception as exc:  # BadZipFile (CRC), zlib.error, NotImplementedError (method), RuntimeError (encrypted)
        raise _fail(display, f"{qde[0]} cannot be extracted from the archive ({type(exc).__name__}: {exc})") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise _fail(display, f"{qde[0]} is not well-formed XML ({exc})") from None
    except ValueError as exc:
        raise _fail(display, f"{qde[0]} cannot be parsed ({exc})") from None
    qn = etree.QName(root)
    if qn.localname != "Project" or not (qn.namespace or "").startswith(_NS_PROJECT_PREFIX):
        raise _fail(display, f"{qde[0]} is XML but not a REFI-QDA project (root element "
                             f"{('{' + qn.namespace + '}') if qn.namespace else ''}{qn.localname}, expected Project in "
                             f"namespace {NS_PROJECT})")
    return zf, names, root, qn.namespace


def _children(el, ns, tag):
    return el.findall(f"{{{ns}}}{tag}")


def _int(value):
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


def _parse(root, ns):
    users = {}
    for u in root.iterfind(f"{{{ns}}}Users/{{{ns}}}User"):
        users[_g(u.get("guid"))] = (u.get("name") or u.get("id") or "").strip() or None
    codes: dict[str, _Code] = {}

    def walk(el, parent):
        for c in _children(el, ns, "Code"):
            guid = _g(c.get("guid"))
            desc = c.find(f"{{{ns}}}Description")
            codes[guid] = _Code(guid, c.get("name") or "", (desc.text or "") if desc is not None else "", parent)
            walk(c, guid)

    for codes_el in root.iterfind(f"{{{ns}}}CodeBook/{{{ns}}}Codes"):
        walk(codes_el, None)
    variables = {_g(v.get("guid")): v.get("name") or "" for v in root.iterfind(f"{{{ns}}}Variables/{{{ns}}}Variable")}

    def var_values(el):
        out = []
        for vv in _children(el, ns, "VariableValue"):
            ref = vv.find(f"{{{ns}}}VariableRef")
            name = variables.get(_g(ref.get("targetGUID")) if ref is not None else "", "")
            out.append((name, _value_of(vv, ns)))
        return out

    sources: dict[str, _Source] = {}
    selection_source: dict[str, str] = {}  # GUID of a selection -> GUID of its source (for a case's SelectionRef)
    sources_el = root.find(f"{{{ns}}}Sources")
    for s in (list(sources_el) if sources_el is not None else []):
        if not isinstance(s.tag, str) or etree.QName(s).localname not in SOURCE_TAGS:
            continue
        content = s.find(f"{{{ns}}}PlainTextContent")
        src = _Source(_g(s.get("guid")), s.get("name") or s.get("guid") or "(unnamed)", etree.QName(s).localname,
                      _g(s.get("creatingUser")) or None, s.get("plainTextPath"),
                      content.text if content is not None else None)
        for name, value in var_values(s):
            src.variables.setdefault(_var_name(name), []).append((name, value))
        src.texts[""] = (src.inline_text, src.text_path)
        for coding in s.iter(f"{{{ns}}}Coding"):
            ref = coding.find(f"{{{ns}}}CodeRef")
            if ref is None:
                continue
            sel = coding.getparent()
            kind = etree.QName(sel).localname if sel is not None and isinstance(sel.tag, str) else ""
            start = end = holder = None
            if kind == "PlainTextSelection":
                start, end = _int(sel.get("startPosition")), _int(sel.get("endPosition"))
                holder = _holder(sel.getparent(), s, src, ns)
            is_selection = kind.endswith("Selection")
            src.codings.append(_Coding(_g(ref.get("targetGUID")), _g(coding.get("creatingUser")) or None, start, end,
                                       kind, holder, _g(sel.get("guid")) if is_selection else None,
                                       (sel.get("name") or "") if is_selection else ""))
        for sel in s.iter():
            if isinstance(sel.tag, str) and sel.get("guid") and etree.QName(sel).localname.endswith("Selection"):
                selection_source.setdefault(_g(sel.get("guid")), src.guid)
        sources[src.guid] = src
    for case in root.iterfind(f"{{{ns}}}Cases/{{{ns}}}Case"):
        refs = [_g(r.get("targetGUID")) for r in _children(case, ns, "SourceRef")]
        # a case may hold parts of a source (NVivo codes a case node at selections): it holds that source
        for r in _children(case, ns, "SelectionRef"):
            src_guid = selection_source.get(_g(r.get("targetGUID")))
            if src_guid and src_guid not in refs:
                refs.append(src_guid)
        name = (case.get("name") or "").strip()
        values = var_values(case)
        if not name and len(refs) != 1:
            continue  # an unnamed case is a document's variables only when it holds one source (MAXQDA, Quirkos)
        for ref in refs:
            if ref not in sources:
                continue
            for vname, value in values:
                sources[ref].variables.setdefault(_var_name(vname), []).append((vname, value))
            if name:
                sources[ref].cases.append(name)
    return users, codes, sources


def _code_path(codes: dict[str, _Code], guid) -> list[str]:
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


class _CodeMapper:
    """Maps a project's codes to (variable, code, rank) of the codebook."""

    def __init__(self, codebook: Codebook, codes: dict[str, _Code]):
        self.cb = codebook
        self.codes = codes
        self.by_guid = {}
        self.var_by_name: dict[str, str | None] = {}
        for var in codebook.variables.values():
            self.by_guid[code_guid(var.id)] = (var.id, None, None)
            for c in var.codes:
                if var.type == "ranked_set":
                    for r in range(1, (var.size or 0) + 1):
                        self.by_guid[code_guid(var.id, c, r)] = (var.id, c, r)
                else:
                    self.by_guid[code_guid(var.id, c)] = (var.id, c, None)
            for key in {_norm(var.id), _norm(var.label["en"]), _norm(var.label["nl"])}:
                self.var_by_name[key] = var.id if self.var_by_name.get(key, var.id) == var.id else None
        self.cache: dict[str, tuple] = {}

    def variable(self, text):
        """(var_id, rank) named by `text` ('sourcing.design', 'Ontwerp', 'maturity.top3 #2'), or None."""
        key = _norm(text)
        if self.var_by_name.get(key):
            return self.var_by_name[key], None
        m = _RANK_RE.match(str(text or ""))
        if m and self.var_by_name.get(_norm(m.group(1))):
            return self.var_by_name[_norm(m.group(1))], int(m.group(2))
        return None

    def value(self, var_id, text, full_name=None):
        var = self.cb.variables[var_id]
        key = _norm(text)
        for c, labels in var.codes.items():
            if key in (_norm(c), _norm(labels["en"]), _norm(labels["nl"])):
                return c
        if len(full_name or "") >= TRUNCATED_AT and len(key) >= 3:  # a name cut short by the tool
            found = {c for c, labels in var.codes.items()
                     if _norm(labels["en"]).startswith(key) or _norm(labels["nl"]).startswith(key)}
            if len(found) == 1:
                return found.pop()
        return None

    def path(self, guid) -> list[str]:
        return _code_path(self.codes, guid)

    def map(self, guid):
        """('ok', var, code, rank) or ('unknown'|'not_a_value', reason)."""
        if guid not in self.cache:
            self.cache[guid] = self._map(guid)
        return self.cache[guid]

    def _map(self, guid):
        if guid in self.by_guid:
            var, code, rank = self.by_guid[guid]
            if code is None:
                return ("not_a_value", f"is the variable {var} itself; code one of its values instead")
            return ("ok", var, code, rank)
        code = self.codes.get(guid)
        if code is None:
            return ("unknown", "is referred to by a coding but is not in the project's codebook")
        for m in _MARKER_RE.finditer(code.description or ""):
            var_id, c, rank = m.group(1), m.group(2), _int(m.group(3))
            var = self.cb.variables.get(var_id)
            if var is None:
                continue
            if c is None:
                return ("not_a_value", f"is the variable {var_id} itself (or a rank group of it); code one of its "
                                       "values instead")
            if c not in var.codes:
                continue
            if var.type != "ranked_set" and rank is None:
                return ("ok", var_id, c, None)
            if var.type == "ranked_set" and (rank is None or 1 <= rank <= (var.size or 0)):
                return ("ok", var_id, c, rank)
        path = self.path(guid)
        if not path:
            return ("unknown", "has no name")
        leaf = path[-1]
        var_rank, value_text = None, leaf
        if ":" in leaf:
            head, tail = leaf.split(":", 1)
            found = self.variable(head)
            if found:
                var_rank, value_text = found, tail.strip()
        if var_rank is None and self.variable(leaf):
            var_id = self.variable(leaf)[0]
            return ("not_a_value", f"is the variable {var_id} itself; code one of its values instead")
        rank = var_rank[1] if var_rank else None
        if var_rank is None:
            for name in reversed(path[:-1]):
                found = self.variable(name)
                if found:
                    var_rank = found
                    rank = rank if found[1] is None else found[1]
                    break
                m = re.fullmatch(r"(?:#|rank\s*|rang\s*)?(\d+)(?:st|nd|rd|th|e|ste|de)?", name.strip(), re.IGNORECASE)
                if m and rank is None:
                    rank = int(m.group(1))
        if var_rank is None:
            return ("unknown", "names no variable of the codebook (by id or English or Dutch label), nor does any "
                               "code above it")
        var_id = var_rank[0]
        var = self.cb.variables[var_id]
        c = self.value(var_id, value_text, leaf)
        if c is None:
            return ("not_a_value", f"is under the variable {var_id} but {value_text!r} is not one of its values "
                                   f"(allowed: {', '.join(var.codes)}, or their English or Dutch labels)")
        if var.type != "ranked_set":
            rank = None
        elif rank is not None and not 1 <= rank <= (var.size or 0):
            return ("not_a_value", f"has rank {rank} but {var_id} ranks 1 to {var.size}")
        return ("ok", var_id, c, rank)


class _Municipalities:
    def __init__(self, municipalities):
        if isinstance(municipalities, pd.DataFrame):
            frame = municipalities
        else:
            frame = getattr(municipalities, "municipalities", None)
        if not isinstance(frame, pd.DataFrame) or "cbs_code" not in frame.columns:
            raise ParameterError("municipalities", problem="expected the municipalities table (e.g. cm.load_study().municipalities) with columns cbs_code, study_name, official_name")
        self.codes = set(frame["cbs_code"])
        self.lookup: dict[str, str] = {}
        for row in frame.to_dict("records"):
            for col in ("cbs_code", "study_name", "official_name"):
                if isinstance(row.get(col), str) and row[col]:
                    self.lookup.setdefault(_norm(row[col]), row["cbs_code"])
        self.examples = ", ".join(f"{r['cbs_code']} or {r.get('study_name', '')!s}" for r in frame.head(2).to_dict("records"))

    def find(self, text):
        return self.lookup.get(_norm(text))


def _holder(el, source_el, src: _Source, ns) -> str:
    """The key in `src.texts` of the text a PlainTextSelection in `el` lies in: the source's own
    text (key ""), or a text nested in the source (a PDF's Representation, a picture's
    TextDescription), whose selections count from the start of that text."""
    if el is None or el is source_el:
        return ""
    key = f"{etree.QName(el).localname}:{_g(el.get('guid')) or id(el)}"
    if key not in src.texts:
        content = el.find(f"{{{ns}}}PlainTextContent")
        src.texts[key] = (content.text if content is not None else None, el.get("plainTextPath"))
    return key


def _text_of(src: _Source, zf, names_by_lower, origin, holder: str = ""):
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


def _excerpt(text, start, end, width=60):
    if text is None or start is None or end is None or not 0 <= start <= end <= len(text):
        return ""
    piece = " ".join(text[start:end].split())
    return f" {piece[:width] + ('…' if len(piece) > width else '')!r}"


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
    >>> from commissioning.run.suite import REPO
    >>> table = cm.text_selections(REPO / "tests/fixtures/refi-qda/qc-demo.qdpx")
    >>> first = table.iloc[0]
    >>> print(first["name"], first["start"], first["end"])
    line:6 320 400
    >>> first["text"]
    'This district goal is engage every student in joyful, purposeful learning that \\n'
    """
    path = Path(path)
    zf, names, root, ns = _read_project(path, path.name)
    origin = root.get("origin") or ""
    users, codes, sources = _parse(root, ns)
    names_by_lower = {n.lower(): n for n in names}
    rows, cache = [], {}
    for src in sources.values():
        for c in src.codings:
            if c.kind != "PlainTextSelection":
                continue
            key = (src.guid, c.holder)
            if key not in cache:
                cache[key] = _text_of(src, zf, names_by_lower, origin, c.holder or "")
            rows.append((src.name, c.selection, c.selection_name, c.start, c.end, "/".join(_code_path(codes, c.code)),
                         users.get(c.user or "") or users.get(src.creating_user or ""), _cut(cache[key], c.start, c.end)))
    table = pd.DataFrame(rows, columns=["source", "selection", "name", "start", "end", "code", "coder", "text"])
    for col in ("start", "end"):
        table[col] = table[col].astype("Int64")
    return table


def import_qdpx(path, out_dir, *, coder: str | None = None, codebook: Codebook, municipalities,
                overwrite: bool = False, passages_dir=None) -> ImportReport:
    """Read a REFI-QDA project (.qdpx) and write its codings as interview files, and the coded
    text behind them as passage files.

    Parameters
    ----------
    path : path
        The .qdpx file exported by ATLAS.ti, NVivo, MAXQDA, QualCoder or another REFI-QDA tool.
    out_dir : path
        The folder to write the interview files to (usually ``<data dir>/interviews``); created if
        missing. Files are named ``<interview_id>.<coder>.yaml``.
    coder : str, optional
        Who coded. By default each coding's user as the project names it (a project coded by two
        users gives two files per interview).
    codebook : Codebook
    municipalities : DataFrame
        The municipalities table (``study.municipalities``): a source's ``municipality``
        variable may hold a CBS code, the study's name or the official name.
    overwrite : bool
        Replace interview and passage files that exist already (otherwise nothing is written and
        the existing files are named in the error).
    passages_dir : path, optional
        The folder for the passage files; by default ``passages`` beside `out_dir`
        (``<data dir>/passages`` when `out_dir` is ``<data dir>/interviews``).

    Each source (document) is one interview. Its municipality comes from a variable named
    ``municipality`` (or ``gemeente``, ``cbs_code``) of the source or of a case that holds it or
    a passage of it (NVivo's ``Cases:`` prefix is ignored; an unnamed case with one source holds
    that source's variables, as MAXQDA and Quirkos write them), else from a case or source name that is a
    municipality or starts with its CBS code. Its interview id comes from a variable
    ``interview_id``, or a source name starting with one (``GM0518-2 ...``); otherwise the
    sources of a municipality are numbered in the order of their names. An optional variable
    ``respondent_role`` is copied.

    Beside each interview file goes a passage file of the same name in `passages_dir`, holding
    every coded plain-text selection behind a value of the interview file: its source, its
    start and end positions as the project states them (Unicode characters from the start of the
    source's plain text, end exclusive), the text those positions cut from the source's plain text
    (for ATLAS.ti from the text with LF line ends, as it counts a CRLF as one character), the
    variable, the code and, for a ranked set, the rank. The interview files are the same with or
    without passages, and no result reads them (see `passages`). A coding of something that is not
    a passage of plain text (a region of a picture or a PDF page, a stretch of audio or video, a
    whole source) still gives its value; it is listed in `not_kept`, never an error.

    Returns
    -------
    ImportReport
        `interviews` lists the interview files written; `passages` the passage files; `problems`
        every code, source or value that could not be mapped; `not_kept` every coding whose
        passage was not kept, with its kind and why.

    Raises
    ------
    DataError
        When `path` is not a REFI-QDA project, would overwrite files or cannot be written;
        nothing is written.

    Examples
    --------
    >>> import pathlib, tempfile, commissioning as cm
    >>> study = cm.load_study()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.qdpx").write_text("not a project")
    >>> try:
    ...     cm.import_qdpx(folder / "notes.qdpx", folder / "interviews", codebook=study.codebook,
    ...                    municipalities=study.municipalities)
    ... except cm.DataError as exc:
    ...     print(exc.problems[0].message)
    is not a zip archive
    >>> (folder / "interviews").exists()
    False
    """
    if not isinstance(codebook, Codebook):
        raise ParameterError("codebook", problem=f"expected a Codebook (e.g. cm.load_study().codebook), got {type(codebook).__name__}")
    munis = _Municipalities(municipalities)
    path, out_dir = Path(path), Path(out_dir)
    display = path.name
    if coder is not None and not str(coder).strip():
        raise ParameterError("coder", problem="is empty; give a name or initials, or leave it out to use the project's users")
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError("out", str(out_dir), problem="is a file, not a folder; give the folder for the interview files")
    passages_dir = Path(passages_dir) if passages_dir is not None else out_dir.parent / PASSAGES_DIR
    if passages_dir.exists() and not passages_dir.is_dir():
        raise ParameterError("passages", str(passages_dir), problem=f"is a file, not a folder; the passage files go to a folder {PASSAGES_DIR!r} beside the interview folder")
    if passages_dir.resolve() == out_dir.resolve():
        raise ParameterError("out", str(out_dir), problem="is the passages folder; give the interview folder, e.g. <data dir>/interviews (the passages go beside it, to <data dir>/passages)")
    zf, names, root, ns = _read_project(path, display)
    try:
        report, files, passage_files = _import(zf, names, root, ns, display, coder, codebook, munis)
    except (DataError, ParameterError):
        raise
    except Exception as exc:  # a project so odd that the mapping tripped: still a plain message, never a traceback
        raise _fail(display, f"could not be imported ({type(exc).__name__}: {exc})",
                    allowed="a REFI-QDA project as ATLAS.ti, NVivo, MAXQDA or QualCoder export it") from None
    targets = [(out_dir / name, text) for name, text, _ in files]
    targets += [(passages_dir / name, text) for name, text, _ in passage_files]
    existing = [t for t, _ in targets if t.exists()]
    if existing and not overwrite:
        raise DataError([Problem(str(t), "", "exists already; nothing was written", allowed="another --out folder, or "
                                 "--force to replace the files") for t in existing])
    _write_all(targets, len(files))
    report.interviews = pd.DataFrame([(*row, str(out_dir / name)) for name, _, row in files],
                                     columns=["interview_id", "coder", "municipality", "sources", "n_values", "file"])
    report.passages = pd.DataFrame([(*row, str(passages_dir / name)) for name, _, row in passage_files],
                                   columns=PASSAGE_REPORT_COLUMNS)
    return report


def _write_all(targets: list[tuple[Path, str]], n_interviews: int):
    """Write every file or none: make the folders, write each file to a temporary file beside
    it, then move them all into place. On failure, remove what was made and raise DataError
    naming the folder."""
    made, temps, moved = [], [], 0
    folder = None
    try:
        for target, _ in targets:
            folder = target.parent
            if not folder.is_dir():
                made.extend(p for p in (folder, *folder.parents) if not p.exists())  # removed again on failure
                folder.mkdir(parents=True, exist_ok=True)
        for target, text in targets:
            folder = target.parent
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
            temps.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; these are ordinary data files
        for tmp, target in temps:
            folder = target.parent
            os.replace(tmp, target)
            moved += 1
    except OSError as exc:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
        if not moved:
            for p in sorted(set(made), key=lambda p: len(p.parts), reverse=True):
                try:
                    p.rmdir()
                except OSError:
                    pass
        written = min(moved, n_interviews)
        raise DataError([Problem(str(folder), "", f"cannot be written to ({exc.strerror or exc}); {written} of "
                                 f"{n_interviews} interview files were written", allowed="a folder you may write to")]) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _import(zf, names, root, ns, display, coder, codebook, munis) -> tuple[ImportReport, list, list]:
    """Map the project; return the report, the interview files and the passage files to write,
    each as (name, text, report row)."""
    origin = root.get("origin") or ""
    report = ImportReport(display, origin)
    problems, notes = report.problems, report.notes
    users, codes, sources = _parse(root, ns)
    mapper = _CodeMapper(codebook, codes)
    names_by_lower = {n.lower(): n for n in names}
    project_user = users.get(_g(root.get("creatingUserGUID")))

    def where_source(src):
        return f"source {src.name!r}"

    if not sources:
        problems.append(Problem(display, "", "has no sources (documents), so there is nothing to import",
                                allowed="a project with coded text sources"))
        return report, [], []
    if not any(src.codings for src in sources.values()):
        problems.append(Problem(display, "", f"has {len(sources)} source(s) but no codings, so there is nothing to import"))
    # --- codes: map each used code once, list the ones that cannot be mapped
    unmapped: dict[str, list] = {}
    for src in sources.values():
        for c in src.codings:
            result = mapper.map(c.code)
            if result[0] != "ok":
                unmapped.setdefault(c.code, []).append((src, c))
    used_codes = {c.code for src in sources.values() for c in src.codings}
    if used_codes and used_codes <= set(unmapped):
        problems.append(Problem(display, "", f"uses {len(used_codes)} code(s), none of which is a value of the codebook: "
                                "was it coded with the codebook that `commissioning export-qdc` writes?"))
    texts: dict[str, str | None] = {}
    for guid, uses in unmapped.items():
        src, c = uses[0]
        if src.guid not in texts:
            texts[src.guid] = _text_of(src, zf, names_by_lower, origin)
        label = "/".join(mapper.path(guid)) or guid
        at = f"characters {c.start}-{c.end}{_excerpt(texts[src.guid], c.start, c.end)}" if c.start is not None else "whole source"
        n_src = len({s.guid for s, _ in uses})
        problems.append(Problem(display, f"code {label!r}", f"{mapper.map(guid)[1]}; used in {len(uses)} coding(s) in "
                                f"{n_src} source(s), first in {where_source(src)} at {at}"))
    # --- sources: municipality, interview id, role
    resolved = []  # (src, municipality, explicit interview id or None, role)
    for src in sorted(sources.values(), key=lambda s: (s.name, s.guid)):
        if not src.codings:
            continue
        found = {}
        for key in MUNICIPALITY_VARIABLES:
            for raw_name, value in src.variables.get(_norm(key), []):
                if value in (None, ""):
                    continue
                code = munis.find(value)
                if code is None:
                    problems.append(Problem(display, where_source(src), f"has {raw_name!r} = {value!r}, which is not a "
                                            "municipality of municipalities.csv", allowed=f"a CBS code, study name or "
                                            f"official name, e.g. {munis.examples}"))
                    found.setdefault("?", []).append(value)
                else:
                    found.setdefault(code, []).append(f"variable {raw_name!r} = {value!r}")
        if not found:
            for case in src.cases:
                last = re.split(r"[\\/:]", case)[-1].strip()  # a case in a folder: 'Cases\\Den Haag'
                code = (munis.find(case) or munis.find(last)
                        or (munis.find(m.group(0)) if (m := re.match(r"GM\d{4}", last, re.I)) else None))
                if code:
                    found.setdefault(code, []).append(f"case {case!r}")
            m = re.match(r"\s*(GM\d{4})", src.name, re.IGNORECASE)
            if not found and m and munis.find(m.group(1)):
                found.setdefault(munis.find(m.group(1)), []).append("the source name")
        if "?" in found:
            continue
        if not found:
            problems.append(Problem(display, where_source(src), "has no municipality, so its codings cannot be imported",
                                    allowed="a variable 'municipality' on the document or its case, holding a CBS code "
                                    f"or name (e.g. {munis.examples})"))
            continue
        if len(found) > 1:
            problems.append(Problem(display, where_source(src), "names more than one municipality: "
                                    + "; ".join(f"{k} from {', '.join(v)}" for k, v in sorted(found.items()))))
            continue
        (muni,) = found
        iid = None
        for key in INTERVIEW_VARIABLES:
            for raw_name, value in src.variables.get(_norm(key), []):
                if value:
                    iid = value.strip()
        if iid is None:
            m = re.match(r"\s*(GM\d{4}-\d+)(?!\d)", src.name, re.IGNORECASE)
            if m:
                iid = m.group(1).upper()
        if iid is not None:
            m = ID_RE.match(iid)
            if not m or m.group(1) != muni:
                problems.append(Problem(display, where_source(src), f"has the interview id {iid!r}, which is not "
                                        f"<CBS code>-<number> of its municipality {muni}", allowed=f"e.g. {muni}-1"))
                continue
        role = next((v for key in ROLE_VARIABLES for _, v in src.variables.get(_norm(key), []) if v), "")
        resolved.append((src, muni, iid, role))
    used = {}
    for src, muni, iid, role in resolved:
        if iid is not None:
            used.setdefault(muni, set()).add(int(iid.split("-")[1]))
    assigned = []
    for src, muni, iid, role in resolved:
        if iid is None:
            n = 1
            while n in used.setdefault(muni, set()):
                n += 1
            used[muni].add(n)
            iid = f"{muni}-{n}"
            notes.append(f"source {src.name!r} is interview {iid} (numbered in the order of source names within "
                         f"{muni}; give the source a variable 'interview_id' to choose the number)")
        assigned.append((src, muni, iid, role))
    # --- collect codings per interview and coder
    groups: dict[tuple, dict] = {}
    no_coder = []
    for src, muni, iid, role in assigned:
        for c in src.codings:
            result = mapper.map(c.code)
            if result[0] != "ok":
                continue
            who = coder or users.get(c.user or "") or users.get(src.creating_user or "") or project_user
            if not who:
                no_coder.append(src.name)
                continue
            g = groups.setdefault((iid, who), {"municipality": muni, "role": role, "sources": [], "values": {},
                                               "codings": []})
            if src.name not in g["sources"]:
                g["sources"].append(src.name)
            _, var, code, rank = result
            g["values"].setdefault(var, []).append((code, rank, c.start if c.start is not None else None, src.name))
            g["codings"].append((var, code, rank, src, c))
    if no_coder:
        problems.append(Problem(display, f"source(s) {', '.join(repr(s) for s in sorted(set(no_coder)))}",
                                "have codings by no named user", allowed="pass a coder name (--coder NAME)"))
    if coder is not None:
        project_coders = sorted({users.get(c.user or "") for s in sources.values() for c in s.codings} - {None})
        if len(project_coders) > 1:
            notes.append(f"the project's codings are by {', '.join(project_coders)}; all are attributed to {coder!r}")
    # --- build, check and write files
    known = munis.codes
    built = []
    for (iid, who), g in sorted(groups.items()):
        values = {}
        where = f"interview {iid} (coder {who}, {', '.join(repr(s) for s in g['sources'])})"
        for var_id, entries in g["values"].items():
            var = codebook.variables[var_id]
            if var.type == "ranked_set":
                value = _ranked(var, entries, display, where, problems)
                if value is not None:
                    values[var_id] = value
                continue
            distinct = sorted({e[0] for e in entries}, key=list(var.codes).index)
            if len(distinct) > 1:
                problems.append(Problem(display, where, f"has {len(distinct)} values for {var_id}, which takes one; the "
                                        "variable is left out", value=distinct))
                continue
            values[var_id] = distinct[0]
        stem = f"{iid}.{coder_slug(who)}"
        data = {"interview_id": iid, "municipality": g["municipality"]}
        if g["role"]:
            data["respondent_role"] = str(g["role"])
        data.update({"coder": str(who), "basis": "observed",
                     "values": {k: values[k] for k in codebook.variables if k in values},
                     "notes": f"imported from {display} ({origin or 'REFI-QDA'})"})
        itv, bad = parse_interview(data, {}, f"{stem}.yaml", stem, codebook, known)
        if bad:
            for p in bad:
                problems.append(Problem(display, where, f"is not written: {p.where + ': ' if p.where else ''}{p.message}",
                                        allowed=p.allowed))
            continue
        built.append((itv, data, stem, g["sources"], g["codings"]))
    from ..data.study import _check_municipality_level  # the loader's own rule for municipality-level variables

    clash = _check_municipality_level([b[0] for b in built], codebook)
    dropped = set()
    for p in clash:
        var_id = p.where.split("values.", 1)[-1].rstrip("'")
        problems.append(Problem(display, f"interview file {p.file}", f"{var_id} {p.message}; it is left out of this file",
                                value=p.value, allowed=p.allowed))
        dropped.add((p.file, var_id))
    files, passage_files, not_kept = [], [], []
    text_cache: dict[tuple, str | None] = {}
    for itv, data, stem, srcs, codings in built:
        for file, var_id in dropped:
            if file == f"{stem}.yaml":
                data["values"].pop(var_id, None)
        header = ("# Imported from a REFI-QDA project by `commissioning import-qdpx`; edit the project and "
                  "re-import rather than this file.\n")
        text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)
        files.append((f"{stem}.yaml", text, (data["interview_id"], data["coder"], data["municipality"],
                                             ", ".join(repr(s) for s in srcs), len(data["values"]))))
        kept = _passages_of(data, codings, codebook, zf, names_by_lower, origin, text_cache, not_kept)
        passage_files.append((f"{stem}.yaml", passage_file_text(data["interview_id"], data["coder"], kept,
                                                                project=display, origin=origin),
                              (data["interview_id"], data["coder"], len(kept))))
    report.not_kept = pd.DataFrame(not_kept, columns=NOT_KEPT_COLUMNS)
    return report, files, passage_files


def _cut(text: str | None, start: int | None, end: int | None) -> str | None:
    """The passage that a selection's positions cut from a plain text, or None when they fall
    outside it. Positions count Unicode code points (Python str indices) from the start of the
    text, end exclusive, as REFI-QDA states them."""
    if text is None or start is None or end is None or not 0 <= start <= end <= len(text):
        return None
    return text[start:end]


def _passages_of(data, codings, codebook, zf, names_by_lower, origin, text_cache, not_kept) -> list[dict]:
    """The passages behind the values of one interview file, sorted by source and position;
    every coding of a value whose passage cannot be kept is added to `not_kept`."""
    iid, who, values = data["interview_id"], data["coder"], data["values"]
    order = {v: i for i, v in enumerate(codebook.variables)}
    kept: dict[tuple, dict] = {}
    for var_id, code, rank, src, c in codings:
        var = codebook.variables[var_id]
        value = values.get(var_id)
        reason = None
        if c.kind in NOT_TEXT:
            reason = NOT_TEXT[c.kind]
        elif c.kind in SOURCE_TAGS:
            reason = "the whole source is coded, not a passage of it"
        elif c.kind != "PlainTextSelection":
            reason = f"a {c.kind or 'coding'} is not a passage of plain text"
        elif (code not in value) if var.type == "ranked_set" and isinstance(value, list) else value != code:
            reason = "its value is left out of the interview file (see the problems)"
        else:
            key = (src.guid, c.holder)
            if key not in text_cache:
                text_cache[key] = _text_of(src, zf, names_by_lower, origin, c.holder or "")
            text = text_cache[key]
            passage = _cut(text, c.start, c.end)
            if text is None:
                reason = "the source's plain text is not in the project"
            elif c.start is None or c.end is None:
                reason = "it states no whole-number startPosition and endPosition"
            elif passage is None:
                reason = (f"its positions {c.start}-{c.end} fall outside the source's plain text "
                          f"({len(text)} characters)")
        if reason is not None:
            not_kept.append((iid, who, src.name, c.kind or "coding", var_id, code, reason))
            continue
        entry = {"variable": var_id, "code": code}
        if var.type == "ranked_set":
            entry["rank"] = rank if rank is not None else value.index(code) + 1
        entry.update({"source": src.name, "start": c.start, "end": c.end, "text": passage})
        sort_key = (src.name, src.guid, c.holder or "", c.start, c.end, order[var_id], code, entry.get("rank", 0))
        kept.setdefault(sort_key, entry)  # the same code at the same passage twice is one passage
    return [kept[k] for k in sorted(kept)]


def _ranked(var, entries, display, where, problems):
    """The ordered list of a ranked set from (code, rank, position, source) entries, or None with a problem."""
    ranked = {(c, r) for c, r, _, _ in entries if r is not None}
    unranked = [(p, c) for c, r, p, _ in entries if r is None]
    if ranked and unranked:
        problems.append(Problem(display, where, f"codes {var.id} both with and without rank groups; use the rank "
                                f"groups '{var.id} #1' to '#{var.size}' only"))
        return None
    if ranked:
        by_rank: dict[int, set] = {}
        for c, r in ranked:
            by_rank.setdefault(r, set()).add(c)
        for r, cs in sorted(by_rank.items()):
            if len(cs) > 1:
                problems.append(Problem(display, where, f"has {len(cs)} aspects at rank {r} of {var.id}",
                                        value=sorted(cs), allowed="one aspect per rank"))
                return None
        order = [next(iter(by_rank[r])) for r in sorted(by_rank)]
        missing = [r for r in range(1, var.size + 1) if r not in by_rank]
        if missing:
            problems.append(Problem(display, where, f"has no aspect at rank {', '.join(map(str, missing))} of {var.id}",
                                    value=order, allowed=f"one aspect at each rank 1 to {var.size}"))
            return None
        if len(set(order)) != len(order):
            problems.append(Problem(display, where, f"ranks one aspect twice in {var.id}", value=order,
                                    allowed=f"{var.size} distinct aspects"))
            return None
        return order
    if any(p is None for p, _ in unranked):
        problems.append(Problem(display, where, f"codes {var.id} without rank groups outside a text passage, so the "
                                "order cannot be read", allowed=f"the rank groups '{var.id} #1' to '#{var.size}'"))
        return None
    order = []
    for _, c in sorted(unranked):
        if c not in order:
            order.append(c)
    if len(order) != var.size:
        problems.append(Problem(display, where, f"names {len(order)} aspects of {var.id} without rank groups",
                                value=order, allowed=f"{var.size} aspects, ranked by the rank groups or by their order "
                                "in the text"))
        return None
    return order
