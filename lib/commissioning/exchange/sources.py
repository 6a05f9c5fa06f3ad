"""Which interview each source (document) of a REFI-QDA project is: its municipality (from a
variable of the source or of a case that holds it, else from a case or source name), its interview
id (from a variable or the source name, else numbered in the order of source names) and the
respondent's role."""

from __future__ import annotations

import re

import pandas as pd

from ..data.interviews import ID_RE
from ..errors import ParameterError, Problem
from .project import _norm, _Source

MUNICIPALITY_VARIABLES = ("municipality", "gemeente", "cbs code", "cbs_code", "municipality code", "gemeentecode")
INTERVIEW_VARIABLES = ("interview id", "interview_id", "interview")
ROLE_VARIABLES = ("respondent role", "respondent_role", "role", "rol", "functie")


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


def _where(src: _Source) -> str:
    return f"source {src.name!r}"


def _municipality_variables(src: _Source, munis: _Municipalities, display, problems) -> dict:
    """CBS code -> where the source's municipality variables name it; a value that names no
    municipality gives a problem and the key ``"?"``."""
    found = {}
    for key in MUNICIPALITY_VARIABLES:
        for raw_name, value in src.variables.get(_norm(key), []):
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


def _municipality_names(src: _Source, munis: _Municipalities) -> dict:
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


def _municipality_of(src: _Source, munis: _Municipalities, display, problems):
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


def _interview_id_of(src: _Source):
    """The interview id a variable or the start of the source name states, or None."""
    iid = None
    for key in INTERVIEW_VARIABLES:
        for raw_name, value in src.variables.get(_norm(key), []):
            if value:
                iid = value.strip()
    if iid is None:
        m = re.match(r"\s*(GM\d{4}-\d+)(?!\d)", src.name, re.IGNORECASE)
        if m:
            iid = m.group(1).upper()
    return iid


def _resolve_sources(sources: dict, munis: _Municipalities, display, problems) -> list[tuple]:
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
        role = next((v for key in ROLE_VARIABLES for _, v in src.variables.get(_norm(key), []) if v), "")
        resolved.append((src, muni, iid, role))
    return resolved


def _number_interviews(resolved: list[tuple], notes: list) -> list[tuple]:
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
