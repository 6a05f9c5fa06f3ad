"""Rule kinds on how the interviews of one municipality differ: against chance, and between
groups of municipalities."""

from __future__ import annotations

import numpy as np

from .table import MIN_UNITS, Outcome, status_of, themed_variables, where_key


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

    Returns (municipalities, observed (B, M, V) float with NaN where fewer than two interviews have
    a value, expected (B, M, V))."""
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
    variables = themed_variables(table, spec)
    munis, observed, expected = differ_table(table, variables, spec.get("where"))
    valid = ~np.isnan(observed)
    n_pairs = valid.sum(axis=(-1, -2))
    obs = np.where(valid, observed, 0).sum(axis=(-1, -2)) / np.maximum(n_pairs, 1)
    exp = np.where(valid, np.nan_to_num(expected), 0).sum(axis=(-1, -2)) / np.maximum(n_pairs, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(exp > 0, obs / np.where(exp > 0, exp, 1), np.where(obs > 0, np.inf, 0.0))
    holds = ratio >= float(spec["min_ratio"]) - 1e-12
    return Outcome(status_of(holds, n_pairs == 0), {"observed": obs, "expected": exp, "ratio": ratio,
                                                  "n_pairs": n_pairs, "municipalities": munis,
                                                  "per_municipality": observed})


def measure_fragmentation_compare(table, spec, quantifiers) -> Outcome:
    variables = themed_variables(table, spec)
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
    holds = np.nan_to_num(means[0], nan=-1) > np.nan_to_num(means[1], nan=2) + 1e-12
    return Outcome(status_of(holds, np.full(table.batch, insufficient)),
                   {"means": np.stack(means, -1), "counts": counts, "municipalities": munis,
                    "per_municipality": per_muni})
