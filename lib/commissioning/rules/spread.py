"""Rule kinds on how the interviews of one municipality differ: against chance, and between
groups of municipalities."""

from __future__ import annotations

import numpy as np

from .quantifiers import get
from .table import MIN_EFFECT, MIN_UNITS, Outcome, quantifier_of, status_of, themed_variables, where_key


def _multi_groups(table, variables, where):
    """Municipalities (selected by `where`) with at least two interviews, as lists of interview
    positions, in the order of the municipality space."""
    space = table.spaces["interview"]
    keep = space.mask(where)
    groups = {}
    for pos, (m, ok) in enumerate(zip(space.municipality, keep)):
        if ok:
            groups.setdefault(m, []).append(pos)
    order = list(table.spaces["municipality"].ids)
    return [(m, groups[m]) for m in sorted(groups, key=lambda m: order.index(m) if m in order else 0)
            if len(groups[m]) > 1]


def _chance_same(values: np.ndarray, present: np.ndarray, n_codes: int, max_size: int) -> np.ndarray:
    """For k = 0..max_size: the probability that k interviews drawn at random (without
    replacement) from all interviews with a value give the same code,
    sum_c prod_{j<k} (n_c - j) / (N - j). values/present: (batch, units). Returns (batch, max_size + 1)."""
    counts = np.stack([((values == c) & present).sum(axis=-1) for c in range(n_codes)], axis=-1).astype(float)
    total = counts.sum(axis=-1)
    out = np.ones((values.shape[0], max_size + 1))
    num = np.ones(counts.shape)
    den = np.ones(total.shape)
    for k in range(1, max_size + 1):
        num = num * np.clip(counts - (k - 1), 0, None)
        den = den * np.clip(total - (k - 1), 0, None)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, k] = np.where(den > 0, num.sum(axis=-1) / np.where(den > 0, den, 1), np.nan)
    return out


def _differ_one(table, v, groups_key, order, starts):
    """(observed, expected) of one variable, (1 or batch, groups): remembered for the values array
    it was computed from (the reconstruction draws one variable at a time)."""
    values = table.get(v)
    key = ("differ", v, id(values), groups_key)
    hit = table.cache.get(key)
    if hit is not None and hit[0] is values:
        return hit[1]
    present = values >= 0
    sub, ok = values[:, order], present[:, order]
    hi = np.maximum.reduceat(np.where(ok, sub, -1), starts, axis=1)
    lo = np.minimum.reduceat(np.where(ok, sub, np.iinfo(np.int64).max), starts, axis=1)
    m = np.add.reduceat(ok.astype(np.int64), starts, axis=1)
    observed = np.where(m >= 2, (hi != lo).astype(float), np.nan)
    same = _chance_same(values, present, len(table.var(v).codes), int(m.max()))
    expected = np.where(m >= 2, 1 - np.take_along_axis(same, m, axis=1), np.nan)
    if len(table.cache) > 4000:
        for k in [k for k in table.cache if k[0] == "differ"]:
            del table.cache[k]
    table.cache[key] = (values, (observed, expected))
    return observed, expected


def differ_table(table, variables, where):
    """Per batch row, municipality with several interviews and variable: whether its interviews
    differ (observed) and the probability that they would by chance (the same codes dealt out at
    random over all interviews with a value).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable.
    variables : list of str
        Variables coded per interview.
    where : dict or None
        A selection of municipalities.

    Returns
    -------
    municipalities : list of str
        The selected municipalities with at least two interviews, in the order of the table.
    observed : numpy.ndarray
        (batch, municipalities, variables): 1.0 where the interviews differ, 0.0 where they agree,
        NaN where fewer than two interviews have a value.
    expected : numpy.ndarray
        (batch, municipalities, variables): the probability that they differ by chance.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> table = table_from_study(cm.load_study())
    >>> munis, observed, expected = differ_table(table, ["agenda.explicitness", "portfolio.overview"], None)
    >>> munis, observed.shape
    (['GM0193', 'GM0153', 'GM0106', 'GM0518', 'GM0855'], (1, 5, 2))
    >>> observed[0, 0].tolist(), expected[0, 0].round(3).tolist()
    ([1.0, 0.0], [0.649, 0.518])
    """
    groups_key = ("groups", where_key(where))
    groups = table.cache.get(groups_key)
    if groups is None:
        groups = table.cache[groups_key] = _multi_groups(table, variables, where)
    b = table.batch
    observed = np.full((b, len(groups), len(variables)), np.nan)
    expected = np.full((b, len(groups), len(variables)), np.nan)
    if not groups:
        return [], observed, expected
    order = np.concatenate([np.asarray(pos) for _, pos in groups])
    starts = np.cumsum([0] + [len(pos) for _, pos in groups])[:-1]
    for j, v in enumerate(variables):
        # (1 or B, groups): only the variable being drawn varies over a batch
        observed[:, :, j], expected[:, :, j] = _differ_one(table, v, groups_key, order, starts)
    return [m for m, _ in groups], observed, expected


def measure_differ_vs_chance(table, spec, quantifiers) -> Outcome:
    """Whether, in the selected municipalities with several interviews, interviews of one municipality
    differ as often, relative to chance alone, as a quantifier that applies to ratios allows, as in
    'in the large and very large municipalities the role is so fragmented that interviews in the same
    municipality give different answers' (c51-fragmented-answers).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: differ_vs_chance, quantifier, themes (or variables)}``, optionally `where`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row (NO_DATA when no municipality has two interviews with a value);
        `data`: `observed` and `expected` (the share of (municipality, variable) pairs that differ,
        and its expectation by chance), `ratio`, `n_pairs`, `municipalities` and
        `per_municipality` (as `differ_table`'s `observed`).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "differ_vs_chance", "where": {"size_class": ["large", "very_large"]},
    ...         "themes": ["activities", "portfolio", "agenda"], "quantifier": "enormous"}
    >>> out = measure_differ_vs_chance(table, spec, quantifiers)
    >>> out.status.tolist(), out.data["municipalities"], out.data["n_pairs"].tolist()
    ([1], ['GM0193', 'GM0153', 'GM0518', 'GM0855'], [84])
    >>> bool(out.data["ratio"][0] >= 1)
    True
    """
    q = quantifier_of(spec, quantifiers)
    variables = themed_variables(table.codebook, spec)
    munis, observed, expected = differ_table(table, variables, spec.get("where"))
    valid = ~np.isnan(observed)
    n_pairs = valid.sum(axis=(-1, -2))
    obs = np.where(valid, observed, 0).sum(axis=(-1, -2)) / np.maximum(n_pairs, 1)
    exp = np.where(valid, np.nan_to_num(expected), 0).sum(axis=(-1, -2)) / np.maximum(n_pairs, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(exp > 0, obs / np.where(exp > 0, exp, 1), np.where(obs > 0, np.inf, 0.0))
    holds = q.holds_values(ratio)
    return Outcome(status_of(holds, n_pairs == 0), {"observed": obs, "expected": exp, "ratio": ratio,
                                                  "n_pairs": n_pairs, "municipalities": munis,
                                                  "per_municipality": observed})


def measure_fragmentation_compare(table, spec, quantifiers) -> Outcome:
    """Whether the interviews of one municipality differ on a larger share of the variables in one
    group of municipalities than in another, by at least the stated minimum effect (the quantifier
    `more_often`, as for every comparison between groups), as in 'the larger the municipality, the
    more fragmented its commissioning role' (c51-larger-more-fragmented).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: fragmentation_compare, greater, than, themes (or variables)}``, optionally
        `min_units` (default 3 municipalities with several interviews in each group).
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row (NO_DATA when a group has fewer than `min_units` municipalities with
        several interviews); `data`: `means` (batch, 2), `counts` (municipalities per group),
        `municipalities` and `per_municipality` (the share of variables on which they differ).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "fragmentation_compare", "greater": {"size_class": ["large", "very_large"]},
    ...         "than": {"size_class": ["small", "medium"]}, "themes": ["activities", "portfolio", "agenda"]}
    >>> out = measure_fragmentation_compare(table, spec, quantifiers)
    >>> out.status.tolist(), out.data["counts"], out.data["means"].round(3).tolist()
    ([-1], [4, 1], [[0.595, 0.714]])
    """
    variables = themed_variables(table.codebook, spec)
    munis, observed, _ = differ_table(table, variables, None)
    with np.errstate(invalid="ignore"):
        per_muni = np.nanmean(np.where(np.isnan(observed), np.nan, observed), axis=-1) if munis else \
            np.zeros((table.batch, 0))
    space = table.spaces["municipality"]
    pos = [list(space.ids).index(m) for m in munis]
    minimum = int(spec.get("min_units", MIN_UNITS))
    means, counts = [], []
    for key in ("greater", "than"):
        sel = space.mask(spec[key])[pos] if pos else np.zeros(0, dtype=bool)
        part = per_muni[:, sel]
        counts.append(int(sel.sum()))
        with np.errstate(invalid="ignore"):
            means.append(np.nanmean(part, axis=-1) if sel.any() else np.full(table.batch, np.nan))
    insufficient = (counts[0] < minimum) | (counts[1] < minimum)
    holds = get(quantifiers, MIN_EFFECT).holds_values(means[0] - means[1])
    return Outcome(status_of(holds, np.full(table.batch, insufficient)),
                   {"means": np.stack(means, -1), "counts": counts, "municipalities": munis,
                    "per_municipality": per_muni})
