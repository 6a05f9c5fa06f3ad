"""What a claim's published value and evidence rest on: the count cells its rules read, as the
auditor of published pages reads them (`commissioning.disclosure.audit`).

A rule reads, for each of its variables and each group it selects (the whole selection, or the
groups of `where`, `greater`, `than` and `groups`), the count of its codes among the units with a
value, at the variable's unit; its evidence breaks those counts down by the shown size groups. A
published claim shows its value and evidence only where every such cell is one the report's
tables may show, and marks them up with those cells, so that the auditor can check them like any
other published count (`Report.claims_html`).

Kinds that count something other than cells: `any_of` counts the units coded yes on any of
several variables and `implies` relates two variables of one unit ("joint"); `differ_vs_chance`
and `fragmentation_compare` how often respondents of one municipality differ ("within"). A
published report shows the verdict of those, not their value or evidence.

Examples
--------
>>> import commissioning as cm
>>> r = cm.Report(publish=True)
>>> claims = {c["id"]: c for c in cm.load_claims()}
>>> cells = rule_cells(r, claims["c51-no-total-overview"]["rules"][0])
>>> [(c.group, c.codes, c.k, c.n) for c in cells][:2]
[('all', ('full',), 0, 24), ('all', ('none',), 11, 24)]
"""

from __future__ import annotations

from ..analysis import crosstab
from ..core import natural_unit
from ..rules import KINDS, rule_variables
from .tables import ALL, CellRef

def _selections(spec: dict) -> list:
    """The selections a rule reads: `where`, `greater` and `than`, `groups`; the whole selection
    when it has none."""
    found = [spec[k] for k in ("where", "greater", "than") if spec.get(k)]
    found += list(spec.get("groups") or [])
    return found or [{}]


def _group(report, where: dict):
    """(by, group code) of a selection in the report's shown groups, or None when it is not one
    the report's tables show (a region and a size class together, or size classes that are not a
    union of shown groups)."""
    if not where:
        return "none", ALL
    if set(where) - {"size_class", "region"} or len(where) > 1:
        return None
    key, values = next(iter(where.items()))
    values = [values] if isinstance(values, str) else list(values)
    if key == "region":
        return ("region", values[0]) if len(values) == 1 else None
    groups = [code for code, _, _ in report.protection.groups("size_class")]
    chosen = [g for g in groups if set(g.split("+")) & set(values)]
    if not chosen or set().union(*(set(g.split("+")) for g in chosen)) != set(values) & set(
            report.original.municipalities["size_class"]):
        return None
    return "size_class", "+".join(chosen)


def _count(report, variable: str, codes, unit: str, by: str, group: str) -> CellRef:
    """The cell of `codes` of `variable` in one (possibly united) group, on the report's study."""
    if by == "none":
        tab = crosstab(report.study, variable, by=None, unit=unit)
        parts = [tab]
    else:
        tab = crosstab(report.study, variable, by=by, unit=unit)
        shown = [code for code, _, _ in report.protection.groups("size_class")]
        members = [g for g in shown if set(g.split("+")) <= set(group.split("+"))] if by == "size_class" else [group]
        parts = [tab[tab[by] == m] for m in members]
    k = sum(int(p.loc[p.code.isin(codes), "n"].sum()) for p in parts)
    n = sum(int(p["n_total"].iat[0]) if len(p) else 0 for p in parts)
    return CellRef(variable, unit, by, group, tuple(codes), k, n)


def rule_cells(report, spec: dict, *, unit: str | None = None) -> list | None:
    """The count cells one rule's value rests on, in the report's shown groups, or None when it
    reads something a published report cannot show as cells (a joint or within-municipality
    count, or a selection the tables do not show).

    Parameters
    ----------
    report : Report
    spec : dict
        One rule of a claim.
    unit : {"municipality", "interview"}, optional
        The unit the claim is measured at (default each variable's own).

    Returns
    -------
    list of CellRef or None

    Examples
    --------
    >>> import commissioning as cm
    >>> r = cm.Report(publish=True)
    >>> spec = {"rule": "share", "variable": "agenda.explicitness", "codes": ["explicit"], "quantifier": "often",
    ...         "where": {"size_class": ["large", "very_large"]}}
    >>> [(c.by, c.group, c.codes, c.k, c.n) for c in rule_cells(r, spec)][:2]
    [('size_class', 'large+very_large', ('explicit',), 10, 15), ('size_class', 'large+very_large', ('incidental',), 3, 15)]
    >>> rule_cells(r, {"rule": "any_of", "variables": ["structure.tenderboard"], "quantifier": "some"}) is None
    True
    """
    evidence = KINDS[spec["rule"]].evidence
    if evidence in ("joint", "within"):
        return None
    cb = report.original.codebook
    if evidence == "ranked":
        return [c for c in report.mentions().cells() if c.group == ALL]
    codes = list(spec.get("codes") or ([spec["code"]] if "code" in spec else []))
    cells = []
    for variable in rule_variables(spec, cb):
        if variable not in cb.variables:
            return None
        var = cb.variables[variable]
        at = unit or spec.get("unit") or natural_unit(var)
        if var.type == "ranked_set":
            return None
        for where in _selections(spec):
            found = _group(report, where)
            if found is None:
                return None
            cells.append(_count(report, variable, codes or var.code_list, at, *found))
            # and the group's whole block (every code): the engine shows or hides blocks, so a
            # value fixed by the rule's cell is one the block's own cells state (a unanimous one)
            cells += [_count(report, variable, [code], at, *found) for code in var.code_list
                      if [code] != list(codes)]
    return cells


def evidence_cells(report, spec: dict, cells: list) -> list:
    """The cells a rule's evidence shows beside those of its value: for a kind whose evidence is
    by size (`RuleKind.evidence_by_size`, a share), its count in each shown size group of the selection.

    Returns
    -------
    list of CellRef

    Examples
    --------
    >>> import commissioning as cm
    >>> r = cm.Report(publish=True)
    >>> spec = {"rule": "share", "variable": "portfolio.overview", "codes": ["full"], "quantifier": "none"}
    >>> [(c.group, c.codes, c.n) for c in evidence_cells(r, spec, rule_cells(r, spec))][:2]
    [('small', ('full',), 3), ('small', ('none',), 3)]
    """
    if not KINDS[spec["rule"]].evidence_by_size or not cells:
        return []
    shown = [g for g, _, _ in report.protection.groups("size_class")]
    codebook = report.original.codebook
    out, seen = [], set()
    for cell in cells:
        if cell.by not in ("none", "size_class") or (cell.variable, cell.unit, cell.by, cell.group) in seen:
            continue
        seen.add((cell.variable, cell.unit, cell.by, cell.group))
        rule_codes = cell.codes  # the first cell of a group is the rule's own codes
        for g in shown:
            if (cell.by, cell.group) == ("size_class", g) or not (
                    cell.by == "none" or set(g.split("+")) <= set(cell.group.split("+"))):
                continue
            out.append(_count(report, cell.variable, rule_codes, cell.unit, "size_class", g))
            out += [_count(report, cell.variable, [code], cell.unit, "size_class", g)
                    for code in codebook.variables[cell.variable].code_list if [code] != list(rule_codes)]
    return out
