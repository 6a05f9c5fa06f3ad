"""The interview file format (one YAML file per coded interview) and its checks.

A file looks like this (see the README for a full example)::

    interview_id: GM0518-1        # <CBS code>-<number>, equal to the file name
    municipality: GM0518          # CBS code from municipalities.csv
    respondent_role: project manager, engineering bureau   # pseudonymous, never a name
    coder: ab                     # who coded it
    basis: observed               # default provenance of the values below
    values:
      sourcing.design: outsourced
      structure.tenderboard: yes
      maturity.top3: [people_competences, culture_leadership, market_interaction]
      portfolio.overview: {code: own_department, basis: imputed, section: '2.1'}

A second coder's coding of the same interview goes in ``<interview_id>.<coder>.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .codebook import Codebook
from ..errors import Problem

BASES = ("observed", "reported", "derived", "imputed")
BASIS_TEXT = {
    "observed": "coded from an interview",
    "reported": "stated by the study for this municipality or for all",
    "derived": "follows from a statement about a group the municipality belongs to",
    "imputed": "drawn by the reconstruction within the study's published aggregates",
}
TOP_KEYS = ("interview_id", "municipality", "respondent_role", "coder", "basis", "values", "notes")
VALUE_KEYS = ("code", "basis", "section", "constraint")
ID_RE = re.compile(r"^(GM\d{4})-(\d+)$")
_TRUE = {True: "yes", False: "no"}


def coder_slug(coder: str) -> str:
    """The form of a coder's name used in file names."""
    return re.sub(r"[^a-z0-9]+", "-", str(coder).lower()).strip("-") or "coder"


@dataclass
class Interview:
    interview_id: str
    municipality: str
    coder: str
    respondent_role: str
    file: str
    notes: str = ""
    rows: list = field(default_factory=list)  # (variable, code, rank, basis, section, constraint)


def parse_interview(data, lines, display, stem, codebook: Codebook, known_municipalities) -> tuple[Interview | None, list[Problem]]:
    """Check one parsed interview file; return (Interview or None, problems)."""
    problems: list[Problem] = []

    def at(*path):
        line = lines.get(path)
        key = ".".join(str(p) for p in path)
        return f"line {line}, key {key!r}" if line else f"key {key!r}"

    if not isinstance(data, dict):
        return None, [Problem(display, "", "must be a YAML mapping of keys to values", value=type(data).__name__,
                              allowed=", ".join(TOP_KEYS))]
    for key in data:
        if key not in TOP_KEYS:
            problems.append(Problem(display, at(key), "is not a known key", value=key, allowed=", ".join(TOP_KEYS)))
    for key in ("interview_id", "municipality", "coder", "values"):
        if key not in data or data[key] in (None, ""):
            problems.append(Problem(display, "", f"lacks the required key {key!r}", allowed="interview_id, municipality, coder, values"))
    iid, muni, coder = data.get("interview_id"), data.get("municipality"), data.get("coder")
    if iid is not None:
        m = ID_RE.match(str(iid))
        if not m:
            problems.append(Problem(display, at("interview_id"), "is not an interview id", value=iid,
                                    allowed="<CBS code>-<number>, e.g. GM0518-1"))
        elif muni is not None and m.group(1) != str(muni):
            problems.append(Problem(display, at("interview_id"), f"does not start with the municipality's CBS code {muni}", value=iid))
        expected = {str(iid)} | ({f"{iid}.{coder_slug(coder)}"} if coder else set())
        if stem not in expected:
            problems.append(Problem(display, at("interview_id"), "does not match the file name", value=iid,
                                    allowed=" or ".join(sorted(f"{e}.yaml" for e in expected))))
    if muni is not None and str(muni) not in known_municipalities:
        problems.append(Problem(display, at("municipality"), "is not a municipality in municipalities.csv", value=muni,
                                allowed="a cbs_code of municipalities.csv, e.g. " + ", ".join(sorted(known_municipalities)[:3])))
    default_basis = data.get("basis", "observed")
    if default_basis not in BASES:
        problems.append(Problem(display, at("basis"), "is not a provenance label", value=default_basis, allowed=", ".join(BASES)))
        default_basis = "observed"
    role = data.get("respondent_role") or ""
    values = data.get("values")
    rows = []
    if values is not None and not isinstance(values, dict):
        problems.append(Problem(display, at("values"), "must be a mapping of variable to code", value=type(values).__name__))
        values = {}
    values = values or {}
    for var_id, raw in values.items():
        # the place of a value is spelled out only for a problem (a file without one costs no text)
        if var_id not in codebook.variables:
            problems.append(Problem(display, at("values", var_id), "is not a variable of the codebook", value=var_id,
                                    allowed="a variable id of codebook.yaml (see `commissioning codebook`)"))
            continue
        var = codebook.variables[var_id]
        basis, section, constraint = default_basis, var.section, ""
        if isinstance(raw, dict):
            for k in raw:
                if k not in VALUE_KEYS:
                    problems.append(Problem(display, at("values", var_id, k), "is not a known key of a value", value=k,
                                            allowed=", ".join(VALUE_KEYS)))
            if "code" not in raw:
                problems.append(Problem(display, at("values", var_id), "lacks 'code'",
                                        allowed="{code: ..., basis: ..., section: ...}"))
                continue
            basis = raw.get("basis", default_basis)
            section = str(raw.get("section", var.section))
            constraint = str(raw.get("constraint", "") or "")
            if basis not in BASES:
                problems.append(Problem(display, at("values", var_id, "basis"), "is not a provenance label", value=basis,
                                        allowed=", ".join(BASES)))
                continue
            raw = raw["code"]
        if var.type == "ranked_set":
            if not isinstance(raw, list):
                problems.append(Problem(display, at("values", var_id), f"must be a list of {var.size} codes, first to last",
                                        value=raw, allowed=", ".join(var.codes)))
                continue
            unknown = [c for c in raw if c not in var.codes]
            if unknown:
                problems.append(Problem(display, at("values", var_id), "has codes that are not in the codebook", value=unknown,
                                        allowed=", ".join(var.codes)))
                continue
            if len(raw) != var.size or len(set(raw)) != len(raw):
                problems.append(Problem(display, at("values", var_id), f"must name {var.size} distinct codes", value=raw))
                continue
            rows.extend((var_id, c, rank, basis, section, constraint) for rank, c in enumerate(raw, 1))
            continue
        if var.type == "boolean" and isinstance(raw, bool):
            raw = _TRUE[raw]
        if not isinstance(raw, str) or raw not in var.codes:
            problems.append(Problem(display, at("values", var_id), "is not a code of this variable", value=raw,
                                    allowed=", ".join(var.codes)))
            continue
        rows.append((var_id, raw, 0, basis, section, constraint))
    for var in codebook.variables.values():
        if var.required and var.id not in values:
            problems.append(Problem(display, at("values") if ("values",) in lines else "", f"lacks the required variable {var.id!r}",
                                    allowed="every required variable of the codebook: "
                                    + ", ".join(v.id for v in codebook.variables.values() if v.required)))
    if problems:
        return None, problems
    return Interview(str(iid), str(muni), str(coder), str(role), display, str(data.get("notes") or ""), rows), []
