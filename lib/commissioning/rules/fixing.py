"""What a rule fixes before the reconstruction draws: the values a constraint determines (all or
none of a group, only named municipalities) and the numbers of mentions a ranked set's codes may
have. The reconstruction (`commissioning.reconstruct.drawing`) asks a rule's kind for these
(`RuleKind.determine`, `RuleKind.mentions`); every other rule is honoured by `measure` alone."""

from __future__ import annotations

import numpy as np

from .mentions import printed_share_ok
from .kind import rule_variables


def forces(q, n: int) -> str | None:
    """'all' when the quantifier `q` allows only k = n of n units, 'none' when only k = 0.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> q = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> forces(q["all"], 5), forces(q["none"], 5), forces(q["most"], 5)
    ('all', 'none', None)
    """
    ok = [k for k in range(n + 1) if q.holds_count(k, n)]
    if ok == [n] and n > 0:
        return "all"
    if ok == [0]:
        return "none"
    return None


def code_mask(table, variable: str, codes) -> np.ndarray:
    """A boolean mask over the codes of `variable`, true for `codes`."""
    mask = np.zeros(len(table.var(variable).codes), dtype=bool)
    mask[table.code_indices(variable, codes)] = True
    return mask


def determine_share(spec: dict, table, quantifiers) -> list:
    """A share whose quantifier allows all or none of its units fixes each of them: (variable,
    unit mask, code mask, 'only' or 'not') per variable at its natural unit.

    Returns
    -------
    list of tuple

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> q = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "share", "variable": "portfolio.overview", "codes": ["full"], "quantifier": "none"}
    >>> [(v, int(units.sum()), how) for v, units, codes, how in determine_share(spec, table, q)]
    [('portfolio.overview', 24, 'not')]
    """
    q, out = quantifiers[spec["quantifier"]], []
    for v in rule_variables(spec):
        if spec.get("unit") == "municipality" and table.space_of[v] != "municipality":
            continue
        units = table.space(v).mask(spec.get("where"))
        force = forces(q, int(units.sum()))
        if force is not None:
            out.append((v, units, code_mask(table, v, spec["codes"]), "only" if force == "all" else "not"))
    return out


def determine_only_named(spec: dict, table, quantifiers) -> list:
    """The named municipalities have one of the codes, every other selected unit none of them.

    Returns
    -------
    list of tuple

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> table = table_from_study(cm.load_study())
    >>> spec = {"rule": "only_named", "variable": "portfolio.overview", "codes": ["full"],
    ...         "municipalities": ["GM0518"]}
    >>> [(int(units.sum()), how) for _, units, _, how in determine_only_named(spec, table, {})]  # interviews
    [(3, 'only'), (21, 'not')]
    """
    v = spec["variable"]
    space = table.space(v)
    sel = space.mask(spec.get("where"))
    named = np.isin(space.municipality, list(spec["municipalities"])) & sel
    codes = code_mask(table, v, spec["codes"])
    return [(v, named, codes, "only"), (v, sel & ~named, codes, "not")]


def printed_mentions(spec: dict, codes: list, n: int, quantifiers) -> dict:
    """The numbers of mentions of each printed code that round to its printed share.

    Returns
    -------
    dict of code -> set of int

    Examples
    --------
    >>> spec = {"rule": "printed_shares", "variable": "maturity.top3", "total": 10, "printed": {"a": 30}}
    >>> printed_mentions(spec, ["a", "b"], 5, {})
    {'a': {3}}
    """
    return {code: {k for k in range(n + 1) if printed_share_ok(k, int(spec["total"]), int(printed))}
            for code, printed in spec["printed"].items()}


def mentioned_by_mentions(spec: dict, codes: list, n: int, quantifiers) -> dict:
    """The numbers of respondents naming the code that the quantifier allows.

    Returns
    -------
    dict of code -> set of int

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> q = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> mentioned_by_mentions({"code": "a", "quantifier": "none"}, ["a"], 4, q)
    {'a': {0}}
    """
    q = quantifiers[spec["quantifier"]]
    return {spec["code"]: {k for k in range(n + 1) if q.holds_count(k, n)}}
