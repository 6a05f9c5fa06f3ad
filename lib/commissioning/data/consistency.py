"""Checks across the values of the interview files: a variable that is a fact about the
municipality (``per_interview: false``) coded alike in every interview of a municipality, and the
codebook's coherence rules kept in every file."""

from __future__ import annotations

import numpy as np

from ..errors import Problem
from ..rules import implies_violations, Space, UnitTable


def check_municipality_level(interviews, codebook) -> list[Problem]:
    """Variables with per_interview: false must be coded alike in every interview of a municipality.

    A value is compared with the first value of the same variable in the interviews of the same
    municipality by the same coder: each coder's files are checked on their own (coders who
    disagree are a matter of agreement, not of validity).

    Parameters
    ----------
    interviews : list of Interview
        The parsed interview files, in the order they were read.
    codebook : Codebook
        Which variables are facts about the municipality (``per_interview: false``).

    Returns
    -------
    list of Problem
        One per value that differs from the first one of its municipality and coder, naming the
        file that holds the first; empty when every municipality-level variable is coded alike.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.data.interviews import Interview
    >>> first = Interview("GM0518-1", "GM0518", "ab", "", "interviews/GM0518-1.yaml",
    ...                   rows=[("organisation.model", "sector", 0, "observed", "2.1", "")])
    >>> second = Interview("GM0518-2", "GM0518", "ab", "", "interviews/GM0518-2.yaml",
    ...                    rows=[("organisation.model", "directorate", 0, "observed", "2.1", "")])
    >>> codebook = cm.load_study().codebook
    >>> check_municipality_level([first, first], codebook)
    []
    >>> for problem in check_municipality_level([first, second], codebook):
    ...     print(problem)
    interviews/GM0518-2.yaml, key 'values.organisation.model': differs from interviews/GM0518-1.yaml
    for the same municipality; this variable is a fact about the municipality (per_interview: false)
    (got 'directorate'); allowed: 'sector'
    >>> other_coder = Interview("GM0518-2", "GM0518", "cd", "", "interviews/GM0518-2.cd.yaml", rows=second.rows)
    >>> check_municipality_level([first, other_coder], codebook)
    []
    """
    problems = []
    muni_level = {v.id for v in codebook.variables.values() if not v.per_interview}
    first: dict[tuple, tuple] = {}
    for itv in interviews:
        for var_id, code, *_ in itv.rows:
            if var_id not in muni_level:
                continue
            key = (itv.municipality, itv.coder, var_id)
            if key in first and first[key][0] != code:
                problems.append(Problem(
                    itv.file, f"key 'values.{var_id}'",
                    f"differs from {first[key][1]} for the same municipality; this variable is a fact about the "
                    "municipality (per_interview: false)", value=code, allowed=repr(first[key][0])))
            first.setdefault(key, (code, itv.file))
    return problems




def check_coherence(interviews, codebook) -> list[Problem]:
    """The codebook's coherence rules (`Codebook.coherence`) in every interview file: a problem per
    file and rule broken, naming both keys, both values and the rule with its reason.

    The rules are measured by the rule layer (`commissioning.rules.implies_violations`) on a table
    with one unit per file, so that each coder's file is checked as written.

    Returns
    -------
    list of Problem
        In the order of the rules, then of the files; empty when every file keeps every rule.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.data.interviews import Interview
    >>> itv = Interview("GM0518-1", "GM0518", "ab", "", "interviews/GM0518-1.yaml", rows=[
    ...     ("segment.housing.investment", "not_active", 0, "observed", "2.1", ""),
    ...     ("segment.housing.maintenance", "own_service", 0, "observed", "2.1", "")])
    >>> for problem in check_coherence([itv], cm.load_study().codebook):
    ...     print(problem)
    interviews/GM0518-1.yaml, keys 'values.segment.housing.investment' and 'values.segment.housing.maintenance':
    break the coherence rule 'not-active-nothing-to-maintain[housing]' of the codebook: A segment in which
    the municipality is not active has nothing for it to maintain. (got 'not_active and own_service');
    allowed: when segment.housing.investment is not_active, segment.housing.maintenance is not_applicable
    """
    rules = list(codebook.coherence)
    if not rules or not interviews:
        return []
    n = len(interviews)
    munis = np.array([i.municipality for i in interviews], dtype=object)
    space = Space("interview", np.arange(n), munis, np.full(n, "", dtype=object), np.full(n, "", dtype=object))
    needed = {x["variable"] for spec in rules for x in (spec["if"], spec["then"])}
    values = {v: np.full((1, n), -1, dtype=np.int64) for v in needed}
    index = {v: {c: k for k, c in enumerate(codebook.variables[v].code_list)} for v in needed}
    for i, itv in enumerate(interviews):
        for var, code, *_ in itv.rows:
            if var in values:
                values[var][0, i] = index[var].get(code, -1)
    table = UnitTable(codebook, {"interview": space, "municipality": space}, {v: "interview" for v in needed}, values)
    problems = []
    for spec in rules:
        bad = implies_violations(table, spec)[0]
        a, b = spec["if"], spec["then"]
        for i in np.flatnonzero(bad):
            code_a = codebook.variables[a["variable"]].code_list[values[a["variable"]][0, i]]
            code_b = codebook.variables[b["variable"]].code_list[values[b["variable"]][0, i]]
            problems.append(Problem(
                interviews[i].file, f"keys 'values.{a['variable']}' and 'values.{b['variable']}'",
                f"break the coherence rule {spec['id']!r} of the codebook: {spec['reason'].get('en', '')}",
                value=f"{code_a} and {code_b}",
                allowed=f"when {a['variable']} is {' or '.join(a['codes'])}, {b['variable']} is "
                        f"{' or '.join(b['codes'])}"))
    return problems
