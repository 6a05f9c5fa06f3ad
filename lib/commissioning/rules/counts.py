"""Rule kinds that count units with codes: shares, comparisons between groups, pooled shares,
differences, rankings, trends, named municipalities, varied views, interview counts and
implications."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .table import MIN_UNITS, Outcome, count_codes, quantifier_of, status_of, spec_variables


def measure_share(table, spec, quantifiers) -> Outcome:
    q = quantifier_of(spec, quantifiers)
    ks, ns = zip(*(count_codes(table, v, spec["codes"], spec.get("where")) for v in spec_variables(spec)))
    k, n = np.stack(np.broadcast_arrays(*ks), axis=-1), np.stack(np.broadcast_arrays(*ns), axis=-1)
    parts = q.holds_counts(k, n)
    return Outcome(status_of(parts.all(axis=-1), (n == 0).any(axis=-1)), {"k": k, "n": n, "parts": parts})


def measure_any_of(table, spec, quantifiers) -> Outcome:
    q = quantifier_of(spec, quantifiers)
    variables = spec_variables(spec)
    codes = spec.get("codes", ["yes"])
    spaces = {table.space_of[v] for v in variables}
    if len(spaces) != 1:
        raise ParameterError("rule any_of", problem=f"variables {variables} are counted on different units", allowed="variables of the same unit")
    mask = table.space(variables[0]).mask(spec.get("where"))
    present = mask & functools.reduce(np.logical_and, [table.present(v) for v in variables])
    hit = functools.reduce(np.logical_or, [table.hits(v, codes) for v in variables]) & present
    k, n = hit.sum(axis=-1), present.sum(axis=-1)
    return Outcome(status_of(q.holds_counts(k, n), n == 0), {"k": k, "n": n})


def measure_compare(table, spec, quantifiers) -> Outcome:
    var, codes = spec["variable"], spec["codes"]
    k1, n1 = count_codes(table, var, codes, spec["greater"])
    k2, n2 = count_codes(table, var, codes, spec["than"])
    minimum = int(spec.get("min_units", MIN_UNITS))
    # k1/n1 > k2/n2, compared exactly in integers
    holds = k1 * np.maximum(n2, 1) > k2 * np.maximum(n1, 1)
    return Outcome(status_of(holds, (n1 < minimum) | (n2 < minimum)), {"k": np.stack([k1, k2], -1),
                                                                    "n": np.stack([n1, n2], -1)})


def _pooled(table, variables, codes, where):
    k = n = 0
    for v in variables:
        kv, nv = count_codes(table, v, codes, where)
        k, n = k + kv, n + nv
    return np.asarray(k), np.asarray(n)


def measure_pooled(table, spec, quantifiers) -> Outcome:
    q = quantifier_of(spec, quantifiers)
    k, n = _pooled(table, spec_variables(spec), spec["codes"], spec.get("where"))
    return Outcome(status_of(q.holds_counts(k, n), n == 0), {"k": k, "n": n})


def measure_difference(table, spec, quantifiers) -> Outcome:
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
        insufficient = (n1 < minimum) | (n2 < minimum)
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = k1 / np.maximum(n1, 1) - k2 / np.maximum(n2, 1)
    if not spec.get("signed"):
        diff = np.abs(diff)
    ok = q.holds_values(diff)
    holds = ok.all(axis=-1) if spec.get("per_variable") else ok
    data = {"k1": k1, "n1": n1, "k2": k2, "n2": n2, "diff": diff}
    if spec.get("per_variable"):
        data["parts"] = ok
    return Outcome(status_of(holds, insufficient), data)


def measure_ranking(table, spec, quantifiers) -> Outcome:
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


def _average_ranks(x: np.ndarray, n_values: int) -> np.ndarray:
    """Ranks 1..n along the last axis of integer codes 0..n_values-1, ties sharing their mean rank
    (as scipy.stats.rankdata's 'average')."""
    x = np.asarray(x, dtype=np.int64)
    counts = np.stack([(x == c).sum(axis=-1) for c in range(n_values)], axis=-1)  # (..., K)
    before = np.cumsum(counts, axis=-1) - counts
    mean_rank = before + (counts + 1) / 2.0
    return np.take_along_axis(mean_rank, x, axis=-1) if x.ndim > 1 else mean_rank[x]


def measure_trend(table, spec, quantifiers) -> Outcome:
    var = spec["variable"]
    space = table.space(var)
    sizes = table.codebook.attributes["size_class"].code_list
    x_all = pd.Index(sizes).get_indexer(space.size_class).astype(float)
    values = table.get(var)
    mask = space.mask(spec.get("where"))
    present = (values >= 0) & mask
    # the units with a value are the same in every batch row (a study, or a complete draw)
    keep = present[0] if present.ndim == 2 else present
    if not np.array_equal(np.broadcast_to(keep, present.shape), present):  # pragma: no cover - defensive
        raise ParameterError("rule trend", problem="the units with a value differ between the rows of a batch")
    x, y = x_all[keep], values[..., keep].astype(float)
    n = int(keep.sum())
    few = n < MIN_UNITS or len(set(x)) < 2
    if few:
        rho = np.full(values.shape[0], np.nan)
    else:
        rx = _average_ranks(x.astype(np.int64), len(sizes))
        ry = _average_ranks(y.astype(np.int64), len(table.var(var).codes))
        rx, ry = rx - rx.mean(), ry - ry.mean(axis=-1, keepdims=True)
        denom = np.sqrt((rx ** 2).sum() * (ry ** 2).sum(axis=-1))
        with np.errstate(invalid="ignore", divide="ignore"):
            rho = np.where(denom > 0, (ry * rx).sum(axis=-1) / np.where(denom > 0, denom, 1), np.nan)
    insufficient = np.full(rho.shape, few) | np.isnan(rho)
    holds = np.nan_to_num(rho, nan=-2.0) >= float(spec["min_rho"]) - 1e-12
    return Outcome(status_of(holds, insufficient), {"rho": rho, "n": n})


def measure_only_named(table, spec, quantifiers) -> Outcome:
    var, codes, named = spec["variable"], spec["codes"], list(spec["municipalities"])
    space = table.space(var)
    mask = space.mask(spec.get("where"))
    is_named = np.isin(space.municipality, named) & mask
    others = ~np.isin(space.municipality, named) & mask
    hit, present = table.hits(var, codes), table.present(var)
    named_ok = (hit | ~present | ~is_named).all(axis=-1) & (present & is_named).any(axis=-1)
    others_ok = ~(hit & present & others).any(axis=-1)
    insufficient = ~(present & is_named).any(axis=-1)
    k_named = (hit & present & is_named).sum(axis=-1)
    n_named = (present & is_named).sum(axis=-1)
    k_others = (hit & present & others).sum(axis=-1)
    n_others = (present & others).sum(axis=-1)
    return Outcome(status_of(named_ok & others_ok, insufficient),
                   {"k_named": k_named, "n_named": n_named, "k_others": k_others, "n_others": n_others})


def measure_varied(table, spec, quantifiers) -> Outcome:
    q = quantifier_of(spec, quantifiers)
    var = spec["variable"]
    values = table.get(var)
    mask = table.space(var).mask(spec.get("where"))
    present = (values >= 0) & mask
    k_codes = len(table.var(var).codes)
    counts = np.stack([((values == c) & present).sum(axis=-1) for c in range(k_codes)], axis=-1)
    n = counts.sum(axis=-1)
    top = counts.max(axis=-1)
    return Outcome(status_of(q.holds_counts(top, n), n == 0), {"counts": counts, "k": top, "n": n})


def measure_interview_counts(table, spec, quantifiers) -> Outcome:
    space = table.spaces["interview"]
    have = pd.Series(space.municipality).value_counts()
    want = {str(k): int(v) for k, v in spec["counts"].items()}
    munis = table.spaces["municipality"].ids
    diff = {m: (int(have.get(m, 0)), want.get(m, 0)) for m in munis if int(have.get(m, 0)) != want.get(m, 0)}
    holds = not diff
    return Outcome(status_of(np.full(table.batch, holds)), {"differing": diff, "total": int(len(space))})


def implies_violations(table, spec) -> np.ndarray:
    """(batch, units of `then`) True where `if` holds and `then` has a value that it does not allow."""
    a, b = spec["if"], spec["then"]
    hit_a, hit_b = table.hits(a["variable"], a["codes"]), table.hits(b["variable"], b["codes"])
    present_b = table.present(b["variable"])
    sa, sb = table.space_of[a["variable"]], table.space_of[b["variable"]]
    if sa != sb:
        if (sa, sb) != ("municipality", "interview"):
            raise ParameterError("coherence rule", problem="'if' must be coded on the same unit as 'then', or per municipality when 'then' is coded per interview")
        to_muni = pd.Index(table.spaces["municipality"].ids).get_indexer(table.spaces["interview"].municipality)
        hit_a = hit_a[:, to_muni]
    return hit_a & present_b & ~hit_b


def measure_implies(table, spec, quantifiers) -> Outcome:
    bad = implies_violations(table, spec)
    return Outcome(status_of(~bad.any(axis=-1)), {"violations": bad.sum(axis=-1)})
