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
   (``<interview_id>.<coder>.yaml``, basis ``observed``), listing what it could not map.

Codes are mapped, in this order, by GUID, by the ``commissioning:`` line of their description,
and by structure: a code whose parent (or whose name before ``::`` or ``: ``) names a variable by
id or by its English or Dutch label, and whose own name is a value's id or label in either
language (a name a tool cut short, as MAXQDA does at 63 characters, still maps when the start of
the label is unique). A ranked-set aspect coded without a rank group takes its rank from the order
of its first coding in the text. Text positions are only used to order such codings and to quote
the passage of a coding that could not be mapped; ATLAS.ti counts a CRLF line ending as one
character, so its text is read with LF endings.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd
import yaml
from lxml import etree

from .codebook import Codebook, check_lang
from .errors import DataError, ParameterError, Problem
from .interviews import ID_RE, coder_slug, parse_interview

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
NS_PROJECT = "urn:QDA-XML:project:1.0"
_NS_PROJECT_PREFIX = "urn:QDA-XML:project:"
_GUID_NS = uuid.UUID("18acc1e1-e93f-58c0-afe0-affceb92bb60")  # uuid5(NAMESPACE_URL, 'commissioning/refi-qda/codebook')
MARKER = "commissioning:"
_MARKER_RE = re.compile(r"commissioning:\s*([A-Za-z0-9_.]+)(?:\s*=\s*([A-Za-z0-9_]+))?(?:\s*,\s*rank\s*(\d+))?")
TRUNCATED_AT = 60  # MAXQDA shortens code names to 63 characters: a name this long may be cut
MAX_MEMBER_BYTES = 200_000_000  # refuse to inflate a zip member larger than this
SOURCE_TAGS = ("TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource")
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
        raise ParameterError(f"codebook: expected a Codebook (e.g. cm.load_study().codebook), got {type(codebook).__name__}")
    check_lang(lang)
    path = Path(path)
    if not path.parent.is_dir():
        raise ParameterError(f"{path}: the folder {str(path.parent)!r} does not exist")
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
    """

    project: str
    origin: str = ""
    interviews: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["interview_id", "coder", "municipality", "sources", "n_values", "file"]))
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def written(self) -> list[Path]:
        return [Path(f) for f in self.interviews["file"]]

    def __str__(self) -> str:
        lines = [f"{self.project} ({self.origin or 'origin not stated'}): "
                 f"{len(self.interviews)} interview file(s) written, {len(self.problems)} problem(s)"]
        lines += [f"  wrote {Path(r.file).name}: {r.n_values} values from {r.sources}" for r in self.interviews.itertuples()]
        lines += [f"  note: {n}" for n in self.notes]
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
        for coding in s.iter(f"{{{ns}}}Coding"):
            ref = coding.find(f"{{{ns}}}CodeRef")
            if ref is None:
                continue
            sel = coding.getparent()
            start = end = None
            if sel is not None and etree.QName(sel).localname == "PlainTextSelection":
                start, end = _int(sel.get("startPosition")), _int(sel.get("endPosition"))
            src.codings.append(_Coding(_g(ref.get("targetGUID")), _g(coding.get("creatingUser")) or None, start, end))
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
        names, seen = [], set()
        while guid and guid in self.codes and guid not in seen:
            seen.add(guid)
            names.insert(0, self.codes[guid].name)
            guid = self.codes[guid].parent
        flat = []
        for n in names:  # ATLAS.ti spells a hierarchy as 'parent::child'
            flat.extend(part.strip() for part in n.split("::"))
        return flat

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
            raise ParameterError("municipalities: expected the municipalities table (e.g. cm.load_study().municipalities) "
                                 "with columns cbs_code, study_name, official_name")
        self.codes = set(frame["cbs_code"])
        self.lookup: dict[str, str] = {}
        for row in frame.to_dict("records"):
            for col in ("cbs_code", "study_name", "official_name"):
                if isinstance(row.get(col), str) and row[col]:
                    self.lookup.setdefault(_norm(row[col]), row["cbs_code"])
        self.examples = ", ".join(f"{r['cbs_code']} or {r.get('study_name', '')!s}" for r in frame.head(2).to_dict("records"))

    def find(self, text):
        return self.lookup.get(_norm(text))


def _text_of(src: _Source, zf, names_by_lower, origin):
    """The source's plain text (CRLF as one character for ATLAS.ti), or None when not in the project."""
    text = src.inline_text
    if text is None and src.text_path:
        p = src.text_path.strip()
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


def import_qdpx(path, out_dir, *, coder: str | None = None, codebook: Codebook, municipalities,
                overwrite: bool = False) -> ImportReport:
    """Read a REFI-QDA project (.qdpx) and write its codings as interview files.

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
        Replace interview files that exist already (otherwise nothing is written and the
        existing files are named in the error).

    Each source (document) is one interview. Its municipality comes from a variable named
    ``municipality`` (or ``gemeente``, ``cbs_code``) of the source or of a case that holds it or
    a passage of it (NVivo's ``Cases:`` prefix is ignored; an unnamed case with one source holds
    that source's variables, as MAXQDA and Quirkos write them), else from a case or source name that is a
    municipality or starts with its CBS code. Its interview id comes from a variable
    ``interview_id``, or a source name starting with one (``GM0518-2 ...``); otherwise the
    sources of a municipality are numbered in the order of their names. An optional variable
    ``respondent_role`` is copied.

    Returns
    -------
    ImportReport
        `interviews` lists the files written; `problems` every code, source or value that could
        not be mapped.

    Raises
    ------
    DataError
        When `path` is not a REFI-QDA project, or would overwrite files; nothing is written.

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
        raise ParameterError(f"codebook: expected a Codebook (e.g. cm.load_study().codebook), got {type(codebook).__name__}")
    munis = _Municipalities(municipalities)
    path, out_dir = Path(path), Path(out_dir)
    display = path.name
    if coder is not None and not str(coder).strip():
        raise ParameterError("coder: is empty; give a name or initials, or leave it out to use the project's users")
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError(f"out: {str(out_dir)!r} is a file, not a folder; give the folder for the interview files")
    zf, names, root, ns = _read_project(path, display)
    try:
        report, files = _import(zf, names, root, ns, display, coder, codebook, munis)
    except (DataError, ParameterError):
        raise
    except Exception as exc:  # a project so odd that the mapping tripped: still a plain message, never a traceback
        raise _fail(display, f"could not be imported ({type(exc).__name__}: {exc})",
                    allowed="a REFI-QDA project as ATLAS.ti, NVivo, MAXQDA or QualCoder export it") from None
    existing = [out_dir / name for name, _, _ in files if (out_dir / name).exists()]
    if existing and not overwrite:
        raise DataError([Problem(str(t), "", "exists already; nothing was written", allowed="another --out folder, or "
                                 "--force to replace the files") for t in existing])
    rows = []
    try:
        if files:
            out_dir.mkdir(parents=True, exist_ok=True)
        for name, text, row in files:
            (out_dir / name).write_text(text, encoding="utf-8")
            rows.append((*row, str(out_dir / name)))
    except OSError as exc:
        raise DataError([Problem(str(out_dir), "", f"cannot be written to ({exc.strerror or exc}); "
                                 f"{len(rows)} of {len(files)} interview files were written",
                                 allowed="a folder you may write to")]) from None
    report.interviews = pd.DataFrame(rows, columns=["interview_id", "coder", "municipality", "sources", "n_values", "file"])
    return report


def _import(zf, names, root, ns, display, coder, codebook, munis) -> tuple[ImportReport, list]:
    """Map the project; return the report and the files to write as (name, text, report row)."""
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
        return report, []
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
            g = groups.setdefault((iid, who), {"municipality": muni, "role": role, "sources": [], "values": {}})
            if src.name not in g["sources"]:
                g["sources"].append(src.name)
            _, var, code, rank = result
            g["values"].setdefault(var, []).append((code, rank, c.start if c.start is not None else None, src.name))
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
        built.append((itv, data, stem, g["sources"]))
    from .study import _check_municipality_level  # the loader's own rule for municipality-level variables

    clash = _check_municipality_level([b[0] for b in built], codebook)
    dropped = set()
    for p in clash:
        var_id = p.where.split("values.", 1)[-1].rstrip("'")
        problems.append(Problem(display, f"interview file {p.file}", f"{var_id} {p.message}; it is left out of this file",
                                value=p.value, allowed=p.allowed))
        dropped.add((p.file, var_id))
    files = []
    for itv, data, stem, srcs in built:
        for file, var_id in dropped:
            if file == f"{stem}.yaml":
                data["values"].pop(var_id, None)
        header = ("# Imported from a REFI-QDA project by `commissioning import-qdpx`; edit the project and "
                  "re-import rather than this file.\n")
        text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)
        files.append((f"{stem}.yaml", text, (data["interview_id"], data["coder"], data["municipality"],
                                             ", ".join(repr(s) for s in srcs), len(data["values"]))))
    return report, files


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
