"""Rule kinds that count units with codes: shares, comparisons between groups, pooled shares,
differences, rankings and varied views. Trends, named municipalities, interview counts and
implications are in `commissioning.rules.relations` (and reachable here as before)."""

from __future__ import annotations

import functools

import numpy as np

from ..errors import ParameterError
from .quantifiers import get
from .selection import count_codes, selection_mask
from .table import MIN_EFFECT, MIN_UNITS, Outcome, quantifier_of, status_of, spec_variables

# the rule kinds that moved to .relations, reachable here as before
from .relations import (implies_violations, measure_implies, measure_interview_counts,  # noqa: F401
                        measure_only_named, measure_trend)

__all__ = ["implies_violations", "measure_any_of", "measure_compare", "measure_difference", "measure_implies",
           "measure_interview_counts", "measure_only_named", "measure_pooled", "measure_ranking", "measure_share",
           "measure_trend", "measure_varied"]


def measure_share(table, spec, quantifiers) -> Outcome:
    """The share of units coded one of `codes`, against a quantifier: how many of the interviews (or of
    the municipalities, for a fact about the municipality) the study says are so coded, as in 'none
    of the interviewed officials overviews everything the municipality contracts out'
    (c51-no-total-overview).

    With `variables` every variable is a part that must hold.

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: share, variable (or variables), codes, quantifier}``, optionally `where`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row (HOLDS 1, FAILS 0, NO_DATA -1 when a variable has no unit with a
        value); `data`: `k` (units coded one of `codes`) and `n` (units with a value), each of
        shape (batch, variables), and `parts` (which variables hold).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "share", "variable": "portfolio.overview", "codes": ["full"], "quantifier": "none"}
    >>> out = measure_share(table, spec, quantifiers)
    >>> out.status.tolist(), out.data["k"].tolist(), out.data["n"].tolist()
    ([1], [[0]], [[24]])
    >>> measure_share(table, {**spec, "quantifier": "most"}, quantifiers).status.tolist()
    [0]
    """
    q = quantifier_of(spec, quantifiers)
    ks, ns = zip(*(count_codes(table, v, spec["codes"], spec.get("where")) for v in spec_variables(spec)))
    k, n = np.stack(np.broadcast_arrays(*ks), axis=-1), np.stack(np.broadcast_arrays(*ns), axis=-1)
    parts = q.holds_counts(k, n)
    return Outcome(status_of(parts.all(axis=-1), (n == 0).any(axis=-1)), {"k": k, "n": n, "parts": parts})


def measure_any_of(table, spec, quantifiers) -> Outcome:
    """The share of units coded one of `codes` (default yes) on at least one of several variables, as
    in 'almost every municipality has an engineering bureau, a project management bureau, or both'
    (c51-engineering-or-project-bureau).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: any_of, variables, quantifier}``, optionally `codes` and `where`; the variables
        must be counted on the same units.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row; `data`: `k` (units with a hit on any of the variables) and `n`
        (units with a value on every one of them).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "any_of", "variables": ["structure.engineering_bureau", "structure.project_bureau"],
    ...         "codes": ["yes"], "quantifier": "almost_all"}
    >>> out = measure_any_of(table, spec, quantifiers)
    >>> out.status.tolist(), out.data["k"].tolist(), out.data["n"].tolist()
    ([1], [18], [18])
    """
    q = quantifier_of(spec, quantifiers)
    variables = spec_variables(spec)
    codes = spec.get("codes", ["yes"])
    spaces = {table.space_of[v] for v in variables}
    if len(spaces) != 1:
        raise ParameterError("rule any_of", problem=f"variables {variables} are counted on different units", allowed="variables of the same unit")
    mask = selection_mask(table, variables[0], spec.get("where"))
    present = mask & functools.reduce(np.logical_and, [table.present(v) for v in variables])
    hit = functools.reduce(np.logical_or, [table.hits(v, codes) for v in variables]) & present
    k, n = hit.sum(axis=-1), present.sum(axis=-1)
    return Outcome(status_of(q.holds_counts(k, n), n == 0), {"k": k, "n": n})


def measure_compare(table, spec, quantifiers) -> Outcome:
    """Whether the share of `codes` is larger in one group than in another by at least the stated
    minimum effect (the quantifier `more_often` of data/quantifiers.csv, the same for every
    comparison between groups), as in 'smaller municipalities cooperate on procurement more often
    than larger ones' (c51-smaller-cooperate-on-procurement).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: compare, variable, codes, greater, than}`` (two selections of units), optionally
        `min_units` (default 3).
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv; it must hold `more_often`.

    Returns
    -------
    Outcome
        `status` per batch row (NO_DATA when a group has fewer than `min_units` units with a
        value); `data`: `k` and `n` of the two groups, shape (batch, 2), `greater` first, and
        `diff` (the first group's share minus the second's).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "compare", "variable": "agenda.explicitness", "codes": ["explicit"],
    ...         "greater": {"size_class": ["large", "very_large"]}, "than": {"size_class": ["small", "medium"]}}
    >>> out = measure_compare(table, spec, quantifiers)
    >>> out.status.tolist(), out.data["n"].tolist(), bool(out.data["diff"][0] >= 0.15)
    ([1], [[15, 9]], True)
    >>> swapped = {**spec, "greater": spec["than"], "than": spec["greater"]}
    >>> measure_compare(table, swapped, quantifiers).status.tolist()
    [0]
    """
    q = get(quantifiers, MIN_EFFECT)
    var, codes = spec["variable"], spec["codes"]
    k1, n1 = count_codes(table, var, codes, spec["greater"])
    k2, n2 = count_codes(table, var, codes, spec["than"])
    minimum = int(spec.get("min_units", MIN_UNITS))
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = k1 / np.maximum(n1, 1) - k2 / np.maximum(n2, 1)
    holds = q.holds_values(diff)
    return Outcome(status_of(holds, (n1 < minimum) | (n2 < minimum)),
                   {"k": np.stack([k1, k2], -1), "n": np.stack([n1, n2], -1), "diff": diff})


def _pooled(table, variables, codes, where):
    k = n = 0
    for v in variables:
        kv, nv = count_codes(table, v, codes, where)
        k, n = k + kv, n + nv
    return np.asarray(k), np.asarray(n)


def measure_pooled(table, spec, quantifiers) -> Outcome:
    """The share of `codes` over all values of several variables together, as in 'outsourced
    activities are a limited part of all commissioning activities' (c51-much-in-house: every
    activity of every interview counted once).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: pooled, variables, codes, quantifier}``, optionally `where`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row; `data`: `k` (values coded one of `codes`) and `n` (values), summed
        over the variables.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> activities = ["sourcing.strategy", "sourcing.design", "sourcing.engineering", "sourcing.execution"]
    >>> spec = {"rule": "pooled", "variables": activities, "codes": ["outsourced"], "quantifier": "limited"}
    >>> out = measure_pooled(table, spec, quantifiers)
    >>> out.status.tolist(), out.data["k"].tolist(), out.data["n"].tolist()
    ([1], [15], [96])
    """
    q = quantifier_of(spec, quantifiers)
    k, n = _pooled(table, spec_variables(spec), spec["codes"], spec.get("where"))
    return Outcome(status_of(q.holds_counts(k, n), n == 0), {"k": k, "n": n})


def measure_difference(table, spec, quantifiers) -> Outcome:
    """The difference between the shares of `codes` in two groups of municipalities, against a
    quantifier, as in 'large and small municipalities hardly differ in which activities they
    outsource' (s21-size-hardly-differs: less than the minimum effect, pooled and, as a rule, per
    activity).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: difference, variables, codes, groups: [first, second], quantifier}``; optionally
        `per_variable` (each variable a part, instead of pooling them; every part must hold, or,
        with `of_variables` naming a quantifier, a share of the parts in its range), `signed`
        (first minus second, instead of the absolute difference) and `min_units` (default 3).
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row (NO_DATA when a group has fewer than `min_units` units with a value);
        `data`:
        `k1`, `n1`, `k2`, `n2` (the counts of the two groups), `diff` (the difference of the shares)
        and, per variable, `parts`.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "difference", "signed": True, "variables": ["agenda.explicitness"], "codes": ["explicit"],
    ...         "groups": [{"size_class": ["large", "very_large"]}, {"size_class": ["small", "medium"]}],
    ...         "quantifier": "clear"}
    >>> out = measure_difference(table, spec, quantifiers)
    >>> out.status.tolist(), [int(out.data[k][0]) for k in ("k1", "n1", "k2", "n2")]
    ([1], [10, 15, 2, 9])
    >>> round(float(out.data["diff"][0]), 3)  # 10/15 - 2/9
    0.444
    """
    q = quantifier_of(spec, quantifiers)
    variables, codes = spec_variables(spec), spec["codes"]
    first, second = spec["groups"]
    minimum = int(spec.get("min_units", MIN_UNITS))
    if spec.get("per_variable"):
        k1, n1 = map(lambda xs: np.stack(np.broadcast_arrays(*xs), -1),
                     zip(*(count_codes(table, v, codes, first) for v in variables)))
        k2, n2 = map(lambda xs: np.stack(np.broadcast_arrays(*xs), -1),
                     zip(*(count_codes(table, v, codes, second) for v in variables)))
        insufficient = ((n1 < minimum) | (n2 < minimum)).any(axis=-1)
    else:
        k1, n1 = _pooled(table, variables, codes, first)
        k2, n2 = _pooled(table, variables, codes, second)
        # a group needs `minimum` units, not values: the most units any one variable has a value for
        units = [np.max(np.stack(np.broadcast_arrays(*(count_codes(table, v, codes, g)[1] for v in variables))), axis=0)
                 for g in (first, second)]
        insufficient = (units[0] < minimum) | (units[1] < minimum)
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = k1 / np.maximum(n1, 1) - k2 / np.maximum(n2, 1)
    if not spec.get("signed"):
        diff = np.abs(diff)
    ok = q.holds_values(diff)
    holds = ok
    if spec.get("per_variable"):
        of = spec.get("of_variables")
        holds = ok.all(axis=-1) if of is None else get(quantifiers, of).holds_counts(ok.sum(axis=-1), ok.shape[-1])
    data = {"k1": k1, "n1": n1, "k2": k2, "n2": n2, "diff": diff}
    if spec.get("per_variable"):
        data["parts"] = ok
    return Outcome(status_of(holds, insufficient), data)


def measure_ranking(table, spec, quantifiers) -> Outcome:
    """Whether each variable of `above` has a larger share of `codes` than each variable of `below`, as
    in 'design, engineering and specifications are the exception, where external firms are regularly
    used' (s21-design-engineering-external).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: ranking, above, below, codes}``, optionally `where`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row; `data`: `shares` (per variable, per batch row) and `parts` (per
        (above, below) pair, whether it is in order).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "ranking", "above": ["sourcing.design", "sourcing.engineering"],
    ...         "below": ["sourcing.strategy", "sourcing.tendering"], "codes": ["mixed", "outsourced"]}
    >>> out = measure_ranking(table, spec, quantifiers)
    >>> out.status.tolist(), {v: round(float(s[0]), 3) for v, s in out.data["shares"].items()}
    ([1], {'sourcing.design': 0.583, 'sourcing.engineering': 0.708,
           'sourcing.strategy': 0.333, 'sourcing.tendering': 0.292})
    """
    codes, where = spec["codes"], spec.get("where")
    shares = {}
    empty = False
    for v in [*spec["above"], *spec["below"]]:
        k, n = count_codes(table, v, codes, where)
        empty = empty | (n == 0)
        shares[v] = k / np.maximum(n, 1)
    above = np.stack(np.broadcast_arrays(*[shares[v] for v in spec["above"]]), -1)
    below = np.stack(np.broadcast_arrays(*[shares[v] for v in spec["below"]]), -1)
    pairs = above[..., :, None] > below[..., None, :] + 1e-12  # every (above, below) pair in order
    parts = pairs.reshape(*pairs.shape[:-2], -1)
    return Outcome(status_of(parts.all(axis=-1), empty), {"shares": shares, "parts": parts})


def measure_varied(table, spec, quantifiers) -> Outcome:
    """Whether views vary: the most frequent code of a variable holds a share in the quantifier's
    range, as in 'among the medium-sized municipalities the views vary widely' (s41-medium-varied).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: varied, variable, quantifier}``, optionally `where`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row; `data`: `counts` (units per code), `k` (units of the most frequent
        code) and `n` (units with a value).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "varied", "variable": "agenda.explicitness", "quantifier": "varied",
    ...         "where": {"size_class": ["medium"]}}
    >>> out = measure_varied(table, spec, quantifiers)
    >>> out.status.tolist(), out.data["counts"].tolist(), out.data["k"].tolist(), out.data["n"].tolist()
    ([1], [[2, 3, 1]], [3], [6])
    """
    q = quantifier_of(spec, quantifiers)
    var = spec["variable"]
    values = table.get(var)
    mask = selection_mask(table, var, spec.get("where"))
    present = (values >= 0) & mask
    k_codes = len(table.var(var).codes)
    counts = np.stack([((values == c) & present).sum(axis=-1) for c in range(k_codes)], axis=-1)
    n = counts.sum(axis=-1)
    top = counts.max(axis=-1)
    return Outcome(status_of(q.holds_counts(top, n), n == 0), {"counts": counts, "k": top, "n": n})

