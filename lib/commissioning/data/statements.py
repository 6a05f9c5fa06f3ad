"""Reading the files that state rules: the study's claims (claims.yaml), the reconstruction's
other constraints (constraints.yaml) and the codebook's coherence rules.

Every entry is read with line numbers, and every problem is reported as a `Problem` naming the
file, the line and key, the value and what is allowed, like every other input of the suite.
"""

from __future__ import annotations

from pathlib import Path

from .reader import read_yaml_file
from ..core import natural_unit
from ..errors import DataError, Problem
from ..rules import check_spec, KINDS, measured_variables, UNITS

CLAIM_KEYS = {"id", "section", "chapter", "unit", "en", "nl", "rules"}
CLAIM_OPTIONAL = {"scope", "modality", "basis", "note"}
CONSTRAINT_KEYS = {"id", "section", "note", "rules"}
CONSTRAINT_OPTIONAL = {"basis", "source"}
COHERENCE_KEYS = {"id", "if", "then", "reason"}
MODALITIES = ("stated", "hedged", "opinion")
# what a statement that fixes a value says of it: the study states it for every unit or a named one
# (reported), it follows from the study's statement about a named group (derived), or it is a fact
# from outside the study, with its `source` (external)
BASES = ("reported", "derived", "external")
SCOPES = ("any", "sample")


def _read(path: Path, what: str):
    data, lines = read_yaml_file(path, missing=f"{what} in the data directory")
    return path.name, data, lines


def _entries(display, data, lines, what):
    if not isinstance(data, list):
        raise DataError([Problem(display, "", "must be a YAML list of entries", value=type(data).__name__,
                                 allowed=f"a list of {what}, each a mapping with an id")])
    return data


def _where(lines, i, cid, key=None):
    # load_yaml records lines of mapping keys only; a list entry's keys have the index in their path
    line = lines.get((i, key or "id"))
    text = f"{'line ' + str(line) + ', ' if line else ''}entry {cid!r}"
    return text + (f", key {key!r}" if key else "")


def _check_entries(display, entries, lines, *, required, optional, codebook, quantifiers, what):
    problems, seen = [], {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            problems.append(Problem(display, f"entry {i + 1}", "must be a mapping", value=entry,
                                    allowed=", ".join(sorted(required))))
            continue
        cid = entry.get("id", f"#{i + 1}")
        for key in sorted(required - set(entry)):
            problems.append(Problem(display, _where(lines, i, cid), f"lacks {key!r}",
                                    allowed=", ".join(sorted(required | optional))))
        for key in sorted(set(entry) - required - optional):
            problems.append(Problem(display, _where(lines, i, cid, key), "is not a known key", value=key,
                                    allowed=", ".join(sorted(required | optional))))
        if cid in seen:
            problems.append(Problem(display, _where(lines, i, cid, "id"), f"duplicates the id of entry {seen[cid]}",
                                    value=cid, allowed="each id once"))
        seen.setdefault(cid, i + 1)
        if "basis" in entry and entry["basis"] not in BASES:
            problems.append(Problem(display, _where(lines, i, cid, "basis"), "is not a basis", value=entry["basis"],
                                    allowed=", ".join(BASES)))
        if entry.get("basis") == "external" and not entry.get("source"):
            problems.append(Problem(display, _where(lines, i, cid, "basis"), "is external but names no source",
                                    allowed="a key 'source' saying where the fact comes from"))
        if "unit" in required and "unit" in entry and entry["unit"] not in UNITS:
            problems.append(Problem(display, _where(lines, i, cid, "unit"), "is not a unit of analysis",
                                    value=entry["unit"], allowed=", ".join(UNITS)))
        if "modality" in entry and entry["modality"] not in MODALITIES:
            problems.append(Problem(display, _where(lines, i, cid, "modality"), "is not a modality",
                                    value=entry["modality"], allowed=", ".join(MODALITIES)))
        if "scope" in entry and entry["scope"] not in SCOPES:
            problems.append(Problem(display, _where(lines, i, cid, "scope"), "is not a scope", value=entry["scope"],
                                    allowed=", ".join(SCOPES)))
        rules = entry.get("rules")
        if "rules" in entry and (not isinstance(rules, list) or not rules):
            problems.append(Problem(display, _where(lines, i, cid, "rules"), "must be a non-empty list of rules",
                                    value=rules, allowed="rules such as {rule: share, variable: ..., codes: [...], "
                                                         "quantifier: ...}; kinds: " + ", ".join(KINDS)))
            continue
        for j, spec in enumerate(rules or []):
            if codebook is None:
                continue
            messages = check_spec(spec, codebook, quantifiers)
            if not messages and "unit" in required:
                messages = unit_problems(spec, entry.get("unit"), codebook)
            for message in messages:
                problems.append(Problem(display, _where(lines, i, cid, "rules") + f", rule {j + 1}", message,
                                        allowed="the rule kinds and keys of commissioning.rules"))
    if problems:
        raise DataError(problems)
    return entries


def unit_problems(spec: dict, unit, codebook) -> list[str]:
    """Why a rule cannot be measured at its claim's unit of analysis (empty when it can).

    At ``interview`` every variable the rule measures must be coded per interview (a fact about the
    municipality is counted per municipality); at ``municipality`` no variable may be a ranked set
    and the rule may not be one of the kinds that compare the interviews of a municipality
    (`RuleKind.per_interview`). A rule states its unit only through its claim.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import commissioning as cm
    >>> cb = cm.load_study().codebook
    >>> spec = {"rule": "share", "variable": "organisation.model", "codes": ["sector"], "quantifier": "any"}
    >>> unit_problems(spec, "municipality", cb)
    []
    >>> unit_problems(spec, "interview", cb)
    ['measures organisation.model, a fact about the municipality, per interview; allowed: unit municipality']
    """
    if "unit" in spec:
        return ["states a unit of its own; the claim's 'unit' is the unit of every rule"]
    if unit not in UNITS:
        return []
    kind = spec.get("rule")
    if unit == "municipality" and kind in KINDS and KINDS[kind].per_interview:
        return [f"rule {kind} compares interviews; allowed: unit interview"]
    out = []
    for v in measured_variables(spec, codebook):
        var = codebook.variables[v]
        if unit == "interview" and natural_unit(var) == "municipality":
            out.append(f"measures {v}, a fact about the municipality, per interview; allowed: unit municipality")
        if unit == "municipality" and var.type == "ranked_set":
            out.append(f"measures {v}, a ranked set, per municipality; allowed: unit interview")
    return out


def load_claims(path, *, codebook=None, quantifiers=None) -> list[dict]:
    """Read and check claims.yaml: the study's statements, each with its rules.

    Parameters
    ----------
    path : path
        The claims.yaml to read.
    codebook : Codebook, optional
        When given, every rule's variables and codes are checked against it.
    quantifiers : dict, optional
        When given (with `codebook`), every rule's quantifier is checked against it.

    Returns
    -------
    list of dict
        One mapping per claim: `id`, `section`, `chapter`, `unit`, `en`, `nl`, `rules` (each with
        the claim's `unit`) and the optional `scope`, `modality`, `basis`, `note`.

    Raises
    ------
    DataError
        Naming the file, the line and entry, the bad key or value and what is allowed.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> claims = load_claims(default_data_dir() / "claims.yaml")
    >>> claims[0]["id"]
    'c51-no-total-overview'
    """
    display, data, lines = _read(Path(path), "claims.yaml")
    entries = _entries(display, data, lines, "claims")
    entries = _check_entries(display, entries, lines, required=CLAIM_KEYS, optional=CLAIM_OPTIONAL,
                             codebook=codebook, quantifiers=quantifiers, what="claims")
    for entry in entries:  # every rule is measured at its claim's unit
        entry["rules"] = [{**spec, "unit": entry["unit"]} for spec in entry["rules"]]
    return entries


def load_constraints(path, *, codebook=None, quantifiers=None) -> list[dict]:
    """Read and check constraints.yaml: what the reconstruction holds besides the study's
    statements (Table 1's interview counts, readings of what a code can mean in a segment).

    Returns
    -------
    list of dict
        One mapping per constraint: `id`, `section`, `note`, `rules`, optional `basis` and, for
        basis external, `source`. A constraint's rules read each variable at its natural unit.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> load_constraints(default_data_dir() / "constraints.yaml")[0]["rules"][0]["rule"]
    'interview_counts'
    """
    display, data, lines = _read(Path(path), "constraints.yaml")
    entries = _entries(display, data, lines, "constraints")
    return _check_entries(display, entries, lines, required=CONSTRAINT_KEYS, optional=CONSTRAINT_OPTIONAL,
                          codebook=codebook, quantifiers=quantifiers, what="constraints")


def expand_coherence(rules: list, variables: dict, display: str = "codebook.yaml") -> list[dict]:
    """The codebook's coherence rules with `*` in variable ids expanded: a rule whose `if` and
    `then` variables contain `*` stands for every value of `*` for which both variables exist.

    Returns
    -------
    list of dict
        One rule per match: `id` (with ``[<value of *>]`` when the rule has a `*`), ``rule:
        implies``, `if` and `then` (each a variable and its codes) and `reason`.

    Raises
    ------
    DataError
        For a rule that is not well formed, names codes its variable lacks, or matches no variable.

    Examples
    --------
    >>> import commissioning as cm
    >>> variables = cm.load_study().codebook.variables
    >>> rules = [{"id": "idle", "if": {"variable": "segment.*.investment", "codes": ["not_active"]},
    ...           "then": {"variable": "segment.*.maintenance", "codes": ["not_applicable"]},
    ...           "reason": {"en": "Nothing to maintain."}}]
    >>> out = expand_coherence(rules, variables)
    >>> len(out), out[0]["id"], out[0]["then"]
    (8, 'idle[own_accommodation]', {'variable': 'segment.own_accommodation.maintenance', 'codes': ['not_applicable']})
    >>> expand_coherence([{"id": "x", "if": {"variable": "sourcing.design", "codes": ["never"]},
    ...                    "then": {"variable": "sourcing.engineering", "codes": []}}], variables)
    Traceback (most recent call last):
    ...
    commissioning.errors.DataError: 1 problem in the data:
      codebook.yaml, coherence rule 'x': names codes unknown to sourcing.design (got ['never']);
      allowed: in_house, mixed, outsourced
    """
    out, problems = [], []
    for i, raw in enumerate(rules or []):
        where = f"coherence rule {raw.get('id', i + 1)!r}" if isinstance(raw, dict) else f"coherence rule {i + 1}"
        if not isinstance(raw, dict) or set(raw) - COHERENCE_KEYS or COHERENCE_KEYS - {"reason"} - set(raw):
            problems.append(Problem(display, where, "must be a mapping with id, if, then and reason",
                                    value=raw, allowed="id, if: {variable, codes}, then: {variable, codes}, "
                                                       "reason: {en, nl}"))
            continue
        a, b = raw["if"], raw["then"]
        if not all(isinstance(x, dict) and {"variable", "codes"} <= set(x) for x in (a, b)):
            problems.append(Problem(display, where, "'if' and 'then' each need a variable and codes", value=raw))
            continue
        pattern_a, pattern_b = str(a["variable"]), str(b["variable"])
        if "*" in pattern_a:
            head, tail = pattern_a.split("*", 1)
            stars = [v[len(head):len(v) - len(tail)] for v in variables
                     if v.startswith(head) and v.endswith(tail) and len(v) > len(head) + len(tail)]
        else:
            stars = [None]
        found = 0
        for star in stars:
            va = pattern_a if star is None else pattern_a.replace("*", star)
            vb = pattern_b if star is None else pattern_b.replace("*", star)
            if va not in variables or vb not in variables:
                continue
            for v, codes in ((va, a["codes"]), (vb, b["codes"])):
                bad = [c for c in codes if c not in variables[v].codes]
                if bad:
                    problems.append(Problem(display, where, f"names codes unknown to {v}", value=bad,
                                            allowed=", ".join(variables[v].codes)))
            found += 1
            out.append({"id": raw["id"] if star is None else f"{raw['id']}[{star}]", "rule": "implies",
                        "if": {"variable": va, "codes": list(a["codes"])},
                        "then": {"variable": vb, "codes": list(b["codes"])},
                        "reason": raw.get("reason") or {}})
        if not found:
            problems.append(Problem(display, where, "matches no variable of the codebook",
                                    value=f"{pattern_a} -> {pattern_b}"))
    if problems:
        raise DataError(problems)
    return out
