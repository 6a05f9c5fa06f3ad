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


def interview_counts(spec: dict) -> dict:
    """The interviews per municipality that an `interview_counts` constraint fixes, which is how
    many interviews the reconstruction draws for each municipality.

    Returns
    -------
    dict of str -> int

    Examples
    --------
    >>> interview_counts({"rule": "interview_counts", "counts": {"GM0518": 3, 106: "1"}})
    {'GM0518': 3, '106': 1}
    """
    return {str(k): int(v) for k, v in spec["counts"].items()}


def to_space(table, values: np.ndarray, from_var: str, to_var: str) -> np.ndarray:
    """A boolean per unit of `from_var` moved to the units of `to_var`: a municipality's value to
    each of its interviews, or interviews' values to their municipality (true when any is).

    Returns
    -------
    ndarray of bool

    Examples
    --------
    >>> import numpy as np, commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> table = table_from_study(cm.load_study())
    >>> on_interviews = np.zeros(len(table.space("agenda.explicitness")), dtype=bool)
    >>> on_interviews[2:4] = True  # the two interviews of Assen (GM0106)
    >>> on_municipalities = to_space(table, on_interviews, "agenda.explicitness", "organisation.model")
    >>> table.space("organisation.model").ids[on_municipalities].tolist()
    ['GM0106']
    >>> to_space(table, on_municipalities, "organisation.model", "agenda.explicitness")[:5].tolist()
    [False, False, True, True, False]
    """
    src, dst = table.space(from_var), table.space(to_var)
    if table.space_of[from_var] == "municipality":  # to interviews
        idx = {m: i for i, m in enumerate(src.ids)}
        return np.array([values[idx[m]] for m in dst.municipality], dtype=bool)
    out = np.zeros(len(dst), dtype=bool)  # interviews to municipalities: any
    pos = {m: i for i, m in enumerate(dst.ids)}
    for i, m in enumerate(src.municipality):
        out[pos[m]] |= bool(values[i])
    return out


def narrow_implied(spec: dict, variable: str, allowed: np.ndarray, table, drawn) -> np.ndarray:
    """The codes of `variable` each unit may still be given so that an `implies` rule (`if`
    implies `then`) holds, once its other variable is drawn (in `drawn`); a unit where no
    allowed code would satisfy it keeps its codes (the draw is then rejected by `measure`).

    Parameters
    ----------
    allowed : ndarray of bool, (units, codes)
        The codes allowed so far; narrowed in place.
    drawn : set of str
        The variables drawn so far.

    Returns
    -------
    ndarray of bool
        `allowed`, narrowed.

    Examples
    --------
    >>> import numpy as np, commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> table = table_from_study(cm.load_study())
    >>> spec = {"rule": "implies", "if": {"variable": "structure.shared_execution", "codes": ["yes"]},
    ...         "then": {"variable": "structure.tenderboard", "codes": ["yes"]}}
    >>> allowed = np.ones((18, 2), dtype=bool)
    >>> narrowed = narrow_implied(spec, "structure.tenderboard", allowed, table, {"structure.shared_execution"})
    >>> hit = table.hits("structure.shared_execution", ["yes"])[0]
    >>> bool((narrowed[hit] == [True, False]).all()), bool(narrowed[~hit].all())
    (True, True)
    """
    a, b = spec["if"], spec["then"]
    if b["variable"] == variable and a["variable"] in drawn:
        units = table.hits(a["variable"], a["codes"])[0]
        if table.space_of[a["variable"]] != table.space_of[variable]:
            units = to_space(table, units, a["variable"], variable)
        keep = code_mask(table, variable, b["codes"])
    elif a["variable"] == variable and b["variable"] in drawn:
        units = table.present(b["variable"])[0] & ~table.hits(b["variable"], b["codes"])[0]
        if table.space_of[b["variable"]] != table.space_of[variable]:
            units = to_space(table, units, b["variable"], variable)
        keep = ~code_mask(table, variable, a["codes"])
    else:
        return allowed
    narrowed = allowed[units] & keep
    allowed[units] = np.where(narrowed.any(axis=1, keepdims=True), narrowed, allowed[units])
    return allowed
