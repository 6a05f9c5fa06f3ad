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
from ..core import BASES
from ..errors import Problem

BASIS_TEXT = {
    "observed": "coded from an interview",
    "reported": "stated by the study for this municipality or for all",
    "derived": "follows from a statement of the study about a named group the municipality belongs to",
    "external": "a fact from outside the study, its source named where the reconstruction sets it",
    "imputed": "drawn by the reconstruction within the study's published aggregates",
}
TOP_KEYS = ("interview_id", "municipality", "respondent_role", "coder", "basis", "values", "notes")
VALUE_KEYS = ("code", "basis", "section", "constraint")
ID_RE = re.compile(r"^(GM\d{4})-(\d+)$")
_TRUE = {True: "yes", False: "no"}


def coder_slug(coder: str) -> str:
    """The form of a coder's name used in file names.

    Returns
    -------
    str
        Lower case, each run of other characters than a-z and 0-9 a single ``-``; "coder" when
        nothing is left.

    Examples
    --------
    >>> coder_slug("A.B. de Vries"), coder_slug("ab"), coder_slug("???")
    ('a-b-de-vries', 'ab', 'coder')
    """
    return re.sub(r"[^a-z0-9]+", "-", str(coder).lower()).strip("-") or "coder"


@dataclass
class Interview:
    """One checked interview file, as `parse_interview` returns it.

    `rows` holds one tuple (variable, code, rank, basis, section, constraint) per coded value:
    one per code of a ranked set (rank 1, 2, ... in order), one with rank 0 for any other variable.

    Examples
    --------
    >>> itv = Interview("GM0518-1", "GM0518", "ab", "adviser", "interviews/GM0518-1.yaml",
    ...                 rows=[("sourcing.design", "outsourced", 0, "observed", "2.1", "")])
    >>> itv.coder, itv.notes, len(itv.rows)
    ('ab', '', 1)
    """

    interview_id: str
    municipality: str
    coder: str
    respondent_role: str
    file: str
    notes: str = ""
    rows: list = field(default_factory=list)  # (variable, code, rank, basis, section, constraint)


def _at(lines: dict, *path) -> str:
    """The place of a key as a message names it: its line (when `lines` knows it) and its dotted path."""
    line = lines.get(path)
    key = ".".join(str(p) for p in path)
    return f"line {line}, key {key!r}" if line else f"key {key!r}"


def _check_keys(data: dict, display: str, lines: dict, problems: list[Problem]) -> None:
    """Unknown top-level keys, then the required ones that are missing or empty."""
    for key in data:
        if key not in TOP_KEYS:
            problems.append(Problem(display, _at(lines, key), "is not a known key", value=key,
                                    allowed=", ".join(TOP_KEYS)))
    for key in ("interview_id", "municipality", "coder", "values"):
        if key not in data or data[key] in (None, ""):
            problems.append(Problem(display, "", f"lacks the required key {key!r}",
                                    allowed="interview_id, municipality, coder, values"))


def _check_id(iid, muni, coder, stem: str, display: str, lines: dict, problems: list[Problem]) -> None:
    """The interview id: its form, its municipality's CBS code, and the file name it asks for."""
    m = ID_RE.match(str(iid))
    if not m:
        problems.append(Problem(display, _at(lines, "interview_id"), "is not an interview id", value=iid,
                                allowed="<CBS code>-<number>, e.g. GM0518-1"))
    elif muni is not None and m.group(1) != str(muni):
        problems.append(Problem(display, _at(lines, "interview_id"),
                                f"does not start with the municipality's CBS code {muni}", value=iid))
    expected = {str(iid)} | ({f"{iid}.{coder_slug(coder)}"} if coder else set())
    if stem not in expected:
        problems.append(Problem(display, _at(lines, "interview_id"), "does not match the file name", value=iid,
                                allowed=" or ".join(sorted(f"{e}.yaml" for e in expected))))


def _default_basis(data: dict, display: str, lines: dict, problems: list[Problem]) -> str:
    """The file's `basis` (default "observed"; "observed" too when it is not a provenance label)."""
    default_basis = data.get("basis", "observed")
    if default_basis not in BASES:
        problems.append(Problem(display, _at(lines, "basis"), "is not a provenance label", value=default_basis,
                                allowed=", ".join(BASES)))
        default_basis = "observed"
    return default_basis


def _unpack_value(raw: dict, var, var_id, default_basis: str, display: str, lines: dict,
                  problems: list[Problem]) -> tuple | None:
    """A value written as a mapping (``{code: ..., basis: ..., section: ..., constraint: ...}``):
    (code, basis, section, constraint), or None when it lacks its code or its basis is unknown."""
    for k in raw:
        if k not in VALUE_KEYS:
            problems.append(Problem(display, _at(lines, "values", var_id, k), "is not a known key of a value",
                                    value=k, allowed=", ".join(VALUE_KEYS)))
    if "code" not in raw:
        problems.append(Problem(display, _at(lines, "values", var_id), "lacks 'code'",
                                allowed="{code: ..., basis: ..., section: ...}"))
        return None
    basis = raw.get("basis", default_basis)
    section = str(raw.get("section", var.section))
    constraint = str(raw.get("constraint", "") or "")
    if basis not in BASES:
        problems.append(Problem(display, _at(lines, "values", var_id, "basis"), "is not a provenance label",
                                value=basis, allowed=", ".join(BASES)))
        return None
    return raw["code"], basis, section, constraint


def _ranked_ok(raw, var, var_id, display: str, lines: dict, problems: list[Problem]) -> bool:
    """Whether the value of a ranked set is a list of `size` distinct codes of the codebook."""
    if not isinstance(raw, list):
        problems.append(Problem(display, _at(lines, "values", var_id),
                                f"must be a list of {var.size} codes, first to last",
                                value=raw, allowed=", ".join(var.codes)))
        return False
    unknown = [c for c in raw if c not in var.codes]
    if unknown:
        problems.append(Problem(display, _at(lines, "values", var_id), "has codes that are not in the codebook",
                                value=unknown, allowed=", ".join(var.codes)))
        return False
    if len(raw) != var.size or len(set(raw)) != len(raw):
        problems.append(Problem(display, _at(lines, "values", var_id), f"must name {var.size} distinct codes",
                                value=raw))
        return False
    return True


def _coded_rows(values: dict, default_basis: str, codebook: Codebook, display: str, lines: dict,
                problems: list[Problem]) -> list[tuple]:
    """The rows (variable, code, rank, basis, section, constraint) of the file's `values`; a value
    with a problem gives none."""
    rows = []
    for var_id, raw in values.items():
        # the place of a value is spelled out only for a problem (a file without one costs no text)
        if var_id not in codebook.variables:
            problems.append(Problem(display, _at(lines, "values", var_id), "is not a variable of the codebook",
                                    value=var_id,
                                    allowed="a variable id of codebook.yaml (see `commissioning codebook`)"))
            continue
        var = codebook.variables[var_id]
        basis, section, constraint = default_basis, var.section, ""
        if isinstance(raw, dict):
            unpacked = _unpack_value(raw, var, var_id, default_basis, display, lines, problems)
            if unpacked is None:
                continue
            raw, basis, section, constraint = unpacked
        if var.type == "ranked_set":
            if _ranked_ok(raw, var, var_id, display, lines, problems):
                rows.extend((var_id, c, rank, basis, section, constraint) for rank, c in enumerate(raw, 1))
            continue
        if var.type == "boolean" and isinstance(raw, bool):
            raw = _TRUE[raw]
        if not isinstance(raw, str) or raw not in var.codes:
            problems.append(Problem(display, _at(lines, "values", var_id), "is not a code of this variable",
                                    value=raw, allowed=", ".join(var.codes)))
            continue
        rows.append((var_id, raw, 0, basis, section, constraint))
    return rows


def _check_required(values: dict, codebook: Codebook, display: str, lines: dict, problems: list[Problem]) -> None:
    """Every required variable of the codebook has a value."""
    for var in codebook.variables.values():
        if var.required and var.id not in values:
            where = _at(lines, "values") if ("values",) in lines else ""
            problems.append(Problem(display, where, f"lacks the required variable {var.id!r}",
                                    allowed="every required variable of the codebook: "
                                    + ", ".join(v.id for v in codebook.variables.values() if v.required)))


def parse_interview(data, lines, display, stem, codebook: Codebook,
                    known_municipalities) -> tuple[Interview | None, list[Problem]]:
    """Check one parsed interview file.

    Parameters
    ----------
    data : object
        The parsed YAML of the file (a mapping with `TOP_KEYS` when it is well formed).
    lines : dict
        Key path -> line, as `load_yaml` returns it (``{}`` names keys without lines).
    display : str
        The file as messages name it (``interviews/GM0518-1.yaml``).
    stem : str
        The file name without ``.yaml``: ``<interview_id>`` or ``<interview_id>.<coder>``.
    codebook : Codebook
        The variables and codes a value may name.
    known_municipalities : set of str
        The CBS codes of municipalities.csv.

    Returns
    -------
    interview : Interview or None
        The interview with one row per coded value; None when the file has a problem.
    problems : list of Problem
        Every problem, in the order of the file, each naming the key (and its line when `lines`
        has it); empty when the file is valid.

    Examples
    --------
    >>> import commissioning as cm
    >>> cb = cm.load_study().codebook
    >>> data = {"interview_id": "GM0518-1", "municipality": "GM0518", "coder": "ab", "values": {
    ...     "agenda.explicitness": "incidental",
    ...     "maturity.top3": ["market_interaction", "professional_conduct", "stakeholders"]}}
    >>> itv, problems = parse_interview(data, {}, "interviews/GM0518-1.yaml", "GM0518-1", cb, {"GM0518"})
    >>> itv.rows[:2], problems
    ([('agenda.explicitness', 'incidental', 0, 'observed', '4.1', ''),
      ('maturity.top3', 'market_interaction', 1, 'observed', '4.2', '')], [])
    >>> data["values"]["agenda.explicitness"] = "sometimes"
    >>> itv, problems = parse_interview(data, {}, "interviews/GM0518-1.yaml", "GM0518-1", cb, {"GM0518"})
    >>> itv, str(problems[0])
    (None, "interviews/GM0518-1.yaml, key 'values.agenda.explicitness': is not a code of this variable
    (got 'sometimes'); allowed: ...")
    """
    if not isinstance(data, dict):
        return None, [Problem(display, "", "must be a YAML mapping of keys to values", value=type(data).__name__,
                              allowed=", ".join(TOP_KEYS))]
    problems: list[Problem] = []
    _check_keys(data, display, lines, problems)
    iid, muni, coder = data.get("interview_id"), data.get("municipality"), data.get("coder")
    if iid is not None:
        _check_id(iid, muni, coder, stem, display, lines, problems)
    if muni is not None and str(muni) not in known_municipalities:
        problems.append(Problem(display, _at(lines, "municipality"), "is not a municipality in municipalities.csv",
                                value=muni, allowed="a cbs_code of municipalities.csv, e.g. "
                                + ", ".join(sorted(known_municipalities)[:3])))
    default_basis = _default_basis(data, display, lines, problems)
    role = data.get("respondent_role") or ""
    values = data.get("values")
    if values is not None and not isinstance(values, dict):
        problems.append(Problem(display, _at(lines, "values"), "must be a mapping of variable to code",
                                value=type(values).__name__))
        values = {}
    values = values or {}
    rows = _coded_rows(values, default_basis, codebook, display, lines, problems)
    _check_required(values, codebook, display, lines, problems)
    if problems:
        return None, problems
    return Interview(str(iid), str(muni), str(coder), str(role), display, str(data.get("notes") or ""), rows), []
