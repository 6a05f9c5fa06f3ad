"""Which interview each source (document) of a REFI-QDA project is: its municipality (from a
variable of the source or of a case that holds it, else from a case or source name), its interview
id (from a variable or the source name, else numbered in the order of source names) and the
respondent's role."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pandas as pd

from ..data import ID_RE, read_file
from ..errors import DataError, ParameterError, Problem
from .project import guid_key, normal_name, ProjectSource

MAP_COLUMNS = ("source", "cbs_code")
MAP_VARIABLE = "municipality"  # the variable a mapping file gives a source
MUNICIPALITY_VARIABLES = ("municipality", "gemeente", "cbs code", "cbs_code", "municipality code", "gemeentecode")
INTERVIEW_VARIABLES = ("interview id", "interview_id", "interview")
ROLE_VARIABLES = ("respondent role", "respondent_role", "role", "rol", "functie")


class Municipalities:
    """The municipalities of a study, found by code or name as a project's sources name them."""
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
                    self.lookup.setdefault(normal_name(row[col]), row["cbs_code"])
        self.examples = ", ".join(f"{r['cbs_code']} or {r.get('study_name', '')!s}" for r in frame.head(2).to_dict("records"))

    def find(self, text):
        """The CBS code of the municipality `text` names, or None."""
        return self.lookup.get(normal_name(text))


def _where(src: ProjectSource) -> str:
    return f"source {src.name!r}"


def _municipality_variables(src: ProjectSource, munis: Municipalities, display, problems) -> dict:
    """CBS code -> where the source's municipality variables name it; a value that names no
    municipality gives a problem and the key ``"?"``."""
    found = {}
    for key in MUNICIPALITY_VARIABLES:
        for raw_name, value in src.variables.get(normal_name(key), []):
            if value in (None, ""):
                continue
            code = munis.find(value)
            if code is None:
                problems.append(Problem(display, _where(src), f"has {raw_name!r} = {value!r}, which is not a "
                                        "municipality of municipalities.csv", allowed=f"a CBS code, study name or "
                                        f"official name, e.g. {munis.examples}"))
                found.setdefault("?", []).append(value)
            else:
                found.setdefault(code, []).append(f"variable {raw_name!r} = {value!r}")
    return found


def _municipality_names(src: ProjectSource, munis: Municipalities) -> dict:
    """CBS code -> where the names of the source's cases name it; else from the source name."""
    found = {}
    for case in src.cases:
        last = re.split(r"[\\/:]", case)[-1].strip()  # a case in a folder: 'Cases\\Den Haag'
        code = (munis.find(case) or munis.find(last)
                or (munis.find(m.group(0)) if (m := re.match(r"GM\d{4}", last, re.I)) else None))
        if code:
            found.setdefault(code, []).append(f"case {case!r}")
    m = re.match(r"\s*(GM\d{4})", src.name, re.IGNORECASE)
    if not found and m and munis.find(m.group(1)):
        found.setdefault(munis.find(m.group(1)), []).append("the source name")
    return found


def _municipality_of(src: ProjectSource, munis: Municipalities, display, problems):
    """The source's CBS code, or None with a problem (none, an unknown one, or several)."""
    found = _municipality_variables(src, munis, display, problems)
    if not found:
        found = _municipality_names(src, munis)
    if "?" in found:
        return None
    if not found:
        problems.append(Problem(display, _where(src), "has no municipality, so its codings cannot be imported",
                                allowed="a variable 'municipality' on the document or its case, holding a CBS code "
                                f"or name (e.g. {munis.examples})"))
        return None
    if len(found) > 1:
        problems.append(Problem(display, _where(src), "names more than one municipality: "
                                + "; ".join(f"{k} from {', '.join(v)}" for k, v in sorted(found.items()))))
        return None
    (muni,) = found
    return muni


def _interview_id_of(src: ProjectSource):
    """The interview id a variable or the start of the source name states, or None."""
    iid = None
    for key in INTERVIEW_VARIABLES:
        for raw_name, value in src.variables.get(normal_name(key), []):
            if value:
                iid = value.strip()
    if iid is None:
        m = re.match(r"\s*(GM\d{4}-\d+)(?!\d)", src.name, re.IGNORECASE)
        if m:
            iid = m.group(1).upper()
    return iid


def resolve_sources(sources: dict, munis: Municipalities, display, problems) -> list[tuple]:
    """(source, municipality, stated interview id or None, role) of each coded source whose
    municipality and interview id are sound, in the order of source names; problems for the rest."""
    resolved = []
    for src in sorted(sources.values(), key=lambda s: (s.name, s.guid)):
        if not src.codings:
            continue
        muni = _municipality_of(src, munis, display, problems)
        if muni is None:
            continue
        iid = _interview_id_of(src)
        if iid is not None:
            m = ID_RE.match(iid)
            if not m or m.group(1) != muni:
                problems.append(Problem(display, _where(src), f"has the interview id {iid!r}, which is not "
                                        f"<CBS code>-<number> of its municipality {muni}", allowed=f"e.g. {muni}-1"))
                continue
        role = next((v for key in ROLE_VARIABLES for _, v in src.variables.get(normal_name(key), []) if v), "")
        resolved.append((src, muni, iid, role))
    return resolved


def number_interviews(resolved: list[tuple], notes: list) -> list[tuple]:
    """`resolved` with each missing interview id numbered: the lowest number of its municipality not
    taken, in order; a note for each."""
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
    return assigned


def read_source_map(path) -> dict[str, tuple[str, int]]:
    """A mapping file (``--municipalities MAP.csv``): each source's municipality, by the source's
    name as the project gives it.

    Parameters
    ----------
    path : path
        A CSV file with the columns ``source`` (a document's name in the project, or its GUID) and ``cbs_code``
        (a CBS code, or a municipality's name as municipalities.csv gives it).

    Returns
    -------
    dict
        Source name -> (municipality as written, line).

    Raises
    ------
    DataError
        Naming the file and line: missing, not UTF-8, a missing column, an empty field, or a source
        named twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "map.csv"
    >>> _ = path.write_text("source,cbs_code\\nadmin-1.txt,GM0518\\nboard_2017.txt,Assen\\n", encoding="utf-8")
    >>> read_source_map(path)
    {'admin-1.txt': ('GM0518', 2), 'board_2017.txt': ('Assen', 3)}
    >>> _ = path.write_text("document,cbs_code\\nadmin-1.txt,GM0518\\n", encoding="utf-8")
    >>> read_source_map(path)
    Traceback (most recent call last):
    ...
    commissioning.errors.DataError: 1 problem in the data:
      map.csv, line 1: lacks the column 'source'; allowed: a header line source,cbs_code
    """
    path = Path(path)
    display = path.name
    rows = list(csv.reader(io.StringIO(read_file(path, display, missing="a CSV file with the columns source,cbs_code"))))
    header = [h.strip() for h in rows[0]] if rows else []
    problems = [Problem(display, "line 1", f"lacks the column {c!r}", allowed="a header line source,cbs_code")
                for c in MAP_COLUMNS if c not in header]
    if problems:
        raise DataError(problems)
    found: dict[str, tuple[str, int]] = {}
    for lineno, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        rec = dict(zip(header, (cell.strip() for cell in row)))
        source, code = rec.get("source", ""), rec.get("cbs_code", "")
        if not source or not code:
            problems.append(Problem(display, f"line {lineno}", "needs a source and a cbs_code", value=",".join(row),
                                    allowed="a document's name as the project gives it, a comma, a CBS code"))
        elif source in found:
            problems.append(Problem(display, f"line {lineno}", f"names the source {source!r} again (line "
                                    f"{found[source][1]})", allowed="each source once"))
        else:
            found[source] = (code, lineno)
    if problems:
        raise DataError(problems)
    return found


def apply_source_map(sources: dict, mapping: dict, munis: Municipalities, display: str, where: str) -> None:
    """Give each source of `mapping` the variable ``municipality`` it states (as if the project
    had it), after checking every entry.

    Parameters
    ----------
    sources : dict
        The project's sources by GUID.
    mapping : dict
        As `read_source_map` returns it.
    munis : Municipalities
        The municipalities a source may be in.
    display : str
        The mapping file's name as messages give it.
    where : str
        Where the municipalities come from, as a message names it (``municipalities.csv``).

    Returns
    -------
    None

    Raises
    ------
    DataError
        For a name that is no source of the project, or a municipality that is not in `munis`;
        the project is then not read further.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.exchange.project import ProjectSource
    >>> sources = {"g1": ProjectSource("g1", "admin-1.txt", "TextSource", None, None, "text")}
    >>> munis = Municipalities(cm.load_study().municipalities)
    >>> apply_source_map(sources, {"admin-1.txt": ("Den Haag", 2)}, munis, "map.csv", "municipalities.csv")
    >>> sources["g1"].variables
    {'municipality': [('municipality (map.csv)', 'GM0518')]}
    >>> apply_source_map(sources, {"admin-1.txt": ("GM0363", 2)}, munis, "map.csv", "municipalities.csv")
    Traceback (most recent call last):
    ...
    commissioning.errors.DataError: 1 problem in the data:
      map.csv, line 2: names GM0363, which is not in municipalities.csv; allowed: add its row (CBS code, names,
      province, region, size class, population) to municipalities.csv of the data folder, then import again
    """
    by_key = {_name_key(name): name for name in mapping}
    matched = {}  # GUID of a source -> the mapping's name of it (by the source's name, else its GUID)
    for src in sources.values():
        name = by_key.get(_name_key(src.name)) or by_key.get(src.guid)
        if name is not None:
            matched[src.guid] = name
    problems = []
    names = sorted({src.name for src in sources.values()})
    for name, (value, lineno) in mapping.items():
        if name not in matched.values():
            shown = ", ".join(repr(n) for n in names[:5]) + (", ..." if len(names) > 5 else "")
            problems.append(Problem(display, f"line {lineno}", f"names the source {name!r}, which is not in the "
                                    "project", allowed=f"a source of the project: {shown or 'it has none'}"))
        elif munis.find(value) is None:
            problems.append(Problem(display, f"line {lineno}", f"names {value}, which is not in {where}",
                                    allowed="add its row (CBS code, names, province, region, size class, population) "
                                            "to municipalities.csv of the data folder, then import again"))
    if problems:
        raise DataError(problems)
    for guid, name in matched.items():
        sources[guid].variables.setdefault(MAP_VARIABLE, []).append((f"{MAP_VARIABLE} ({display})",
                                                                     munis.find(mapping[name][0])))


def _name_key(name: str) -> str:
    """A source's name as a mapping file matches it: Unicode-normalised (a tool may write 'ó' as
    'o' and an accent), case and runs of spaces ignored; a GUID as the project reads it."""
    text = " ".join(unicodedata.normalize("NFC", str(name)).split()).casefold()
    return guid_key(text) if re.fullmatch(r"\{?[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\}?", text) else text
