"""The one rule layer: every statement of the study, and every constraint, measured one way.

A *rule* is a small mapping written as data (in data/claims.yaml, data/constraints.yaml or the
codebook's coherence rules), for example::

    {rule: share, variable: portfolio.overview, codes: [own_department], quantifier: most}

It is measured by one function per rule kind (`KINDS`) on a `UnitTable`: the per-unit values of
every variable (from `commissioning.analysis.units.unit_values` at each variable's natural unit), held as
integer code arrays. The arrays carry a leading *batch* dimension, so that the reconstruction can
hold many candidate draws of one variable against a rule at once with the very code that gives a
claim its verdict on a loaded study (a batch of one). Nothing here is implemented twice: the
checks of the claims and the acceptance of a reconstruction call the same functions.

Rule kinds and their keys (`where`, `greater`, `than` and each of `groups` are selections of units
by `size_class`, `region`, `municipality` or `municipality_not`, each a list of codes):

- ``share``: the share of units whose code is one of `codes` lies in the quantifier's range, for
  `variable`, or for each of `variables`.
- ``any_of``: the share of units coded one of `codes` (default yes) on at least one of `variables`.
- ``compare``: the share of `codes` is larger in group `greater` than in group `than`; a group with
  fewer than `min_units` units (default 3) gives *insufficient data*.
- ``pooled``: the share of `codes` over all values of `variables` together.
- ``difference``: the difference between the shares of `codes` in `groups[0]` and `groups[1]`
  lies in the quantifier's range ('hardly': at most ten points), pooled over `variables` or
  (``per_variable: true``) for each of them; absolute unless ``signed: true`` (first minus second).
- ``ranking``: each variable of `above` has a larger share of `codes` than each of `below`.
- ``trend``: Spearman's rank correlation between size class and the codes of an ordinal
  `variable` is at least `min_rho`.
- ``only_named``: the named `municipalities` are coded one of `codes` and no other unit is.
- ``varied``: the most frequent code holds a share in the quantifier's range (views vary).
- ``printed_shares``, ``top_mentions``, ``mentioned_by``: mentions of the codes of a ranked set
  (a respondent's top three), as the study prints them.
- ``differ_vs_chance``: in the selected municipalities with several interviews, interviews of one
  municipality differ at least `min_ratio` times as often as chance alone gives.
- ``fragmentation_compare``: the mean share of variables on which a municipality's interviews
  differ is larger in group `greater` than in group `than` (each with at least `min_units`
  municipalities with several interviews).
- ``interview_counts``: the number of interviews per municipality.
- ``implies``: where `if` holds (a variable coded one of its codes), `then` holds too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np
import pandas as pd

from ..errors import ParameterError

SUPPORTED, NOT_SUPPORTED, INSUFFICIENT = "supported", "not supported", "insufficient data"
HOLDS, FAILS, NO_DATA = 1, 0, -1
STATUS_TEXT = {HOLDS: SUPPORTED, FAILS: NOT_SUPPORTED, NO_DATA: INSUFFICIENT}
WHERE_KEYS = ("size_class", "region", "municipality", "municipality_not")
MIN_UNITS = 3


def percent_half_up(numerator: int, denominator: int) -> int:
    """`numerator / denominator` as a whole percentage, rounded half up, computed exactly.

    This is how the study prints shares: 9 of 72 is exactly 12.5% and is printed as 13%.

    Examples
    --------
    >>> percent_half_up(9, 72), percent_half_up(15, 72), percent_half_up(1, 3)
    (13, 21, 33)
    """
    if denominator <= 0:
        raise ParameterError(f"denominator: {denominator!r} is not allowed; allowed: a positive whole number")
    value = Fraction(100 * int(numerator), int(denominator)) + Fraction(1, 2)
    return int(value.numerator // value.denominator)


# --- the table of per-unit values ----------------------------------------------------------------

@dataclass(frozen=True)
class Space:
    """The units of one kind (interviews or municipalities) with their municipality attributes."""

    name: str
    ids: np.ndarray
    municipality: np.ndarray
    size_class: np.ndarray
    region: np.ndarray
    masks: dict = field(default_factory=dict, compare=False, repr=False)  # selections already made

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, where: dict | None) -> np.ndarray:
        """Boolean mask of the units a selection keeps (all units when `where` is empty)."""
        key = _where_key(where)
        found = self.masks.get(key)
        if found is None:
            found = self.masks[key] = self._mask(where)
            found.flags.writeable = False
        return found

    def _mask(self, where: dict | None) -> np.ndarray:
        keep = np.ones(len(self.ids), dtype=bool)
        for key, allowed in (where or {}).items():
            allowed = [allowed] if isinstance(allowed, str) else list(allowed)
            if key == "municipality_not":
                keep &= ~np.isin(self.municipality, allowed)
            elif key == "municipality":
                keep &= np.isin(self.municipality, allowed)
            elif key in ("size_class", "region"):
                keep &= np.isin(getattr(self, key), allowed)
            else:
                raise ParameterError(f"where: {key!r} is not a selection key; allowed: {', '.join(WHERE_KEYS)}")
        return keep


@dataclass(frozen=True)
class UnitTable:
    """Per-unit values of every variable as integer codes (codebook order; -1: not coded).

    `values[var]` has shape (batch, units) for a coded variable and (batch, units, size) for a
    ranked set; the units are those of `spaces[space_of[var]]`. A table made from a study has a
    batch of one.
    """

    codebook: object
    spaces: dict
    space_of: dict
    values: dict
    basis: dict = field(default_factory=dict)  # var -> (units,) basis names, for evidence only
    cache: dict = field(default_factory=dict, compare=False, repr=False)  # shared by with_values copies

    @property
    def batch(self) -> int:
        return max((a.shape[0] for a in self.values.values()), default=1)

    def space(self, var: str) -> Space:
        return self.spaces[self.space_of[var]]

    def var(self, var_id: str):
        if var_id not in self.codebook.variables:
            raise ParameterError(f"variable: {var_id!r} is not a variable of the codebook; allowed: "
                                 + ", ".join(self.codebook.variables))
        return self.codebook.variables[var_id]

    def code_indices(self, var_id: str, codes) -> np.ndarray:
        """Indices of `codes` in the variable's code list (ParameterError for an unknown code)."""
        codes = [codes] if isinstance(codes, str) else list(codes)
        key = ("codes", var_id, tuple(codes))
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._code_indices(var_id, codes)
        return found

    def _code_indices(self, var_id: str, codes: list) -> np.ndarray:
        var = self.var(var_id)
        bad = [c for c in codes if c not in var.codes]
        if bad:
            raise ParameterError(f"codes: {', '.join(map(repr, bad))} not codes of {var_id}; "
                                 f"allowed: {', '.join(var.codes)}")
        return np.array([var.code_list.index(c) for c in codes], dtype=np.int64)

    def get(self, var_id: str) -> np.ndarray:
        self.var(var_id)
        return self.values[var_id]

    def hits(self, var_id: str, codes) -> np.ndarray:
        """(batch, units) True where the unit is coded one of `codes`."""
        codes = [codes] if isinstance(codes, str) else list(codes)
        key = ("lookup", var_id, tuple(codes))
        lookup = self.cache.get(key)
        if lookup is None:
            lookup = np.zeros(len(self.var(var_id).codes) + 1, dtype=bool)  # the last entry: no value (-1)
            lookup[self.code_indices(var_id, codes)] = True
            self.cache[key] = lookup
        return lookup[self.get(var_id)]

    def present(self, var_id: str) -> np.ndarray:
        """(batch, units) True where the unit has a value."""
        return self.get(var_id) >= 0

    def with_values(self, var_id: str, values: np.ndarray) -> "UnitTable":
        """A table with the values of one variable replaced (e.g. by a batch of candidate draws)."""
        return replace(self, values={**self.values, var_id: values})


def _space(name, ids, municipality, attrs) -> Space:
    municipality = np.asarray(municipality, dtype=object)
    return Space(name, np.asarray(ids, dtype=object), municipality,
                 attrs["size_class"].reindex(municipality).to_numpy(dtype=object),
                 attrs["region"].reindex(municipality).to_numpy(dtype=object))


def spaces_for(municipalities: pd.DataFrame, interviews: list) -> dict:
    """The two unit spaces for municipalities (cbs_code, region, size_class) and interviews
    [(interview_id, cbs_code), ...]."""
    attrs = municipalities.set_index("cbs_code")[["region", "size_class"]]
    return {
        "municipality": _space("municipality", municipalities["cbs_code"], municipalities["cbs_code"], attrs),
        "interview": _space("interview", [i for i, _ in interviews], [m for _, m in interviews], attrs),
    }


def empty_values(codebook, spaces: dict, batch: int = 1) -> tuple[dict, dict]:
    """(space_of, values) with every value missing (-1), for every variable of the codebook."""
    from .units import natural_unit

    space_of, values = {}, {}
    for var in codebook.variables.values():
        space_of[var.id] = natural_unit(var)
        n = len(spaces[space_of[var.id]])
        shape = (batch, n, var.size) if var.type == "ranked_set" else (batch, n)
        values[var.id] = np.full(shape, -1, dtype=np.int64)
    return space_of, values


def table_from_study(study) -> UnitTable:
    """The `UnitTable` of a loaded study: each variable at its natural unit, one coder per
    interview, municipality values by `cm.aggregate`'s rules (`commissioning.analysis.units`)."""
    from ..data.study import memo
    from .units import coded_values, unit_values

    def compute():
        itv = study.interviews.drop_duplicates("interview_id").sort_values("interview_id", kind="stable")
        spaces = spaces_for(study.municipalities, list(zip(itv["interview_id"], itv["municipality"])))
        space_of, values = empty_values(study.codebook, spaces)
        basis = {}
        data = unit_values(study, unit="natural")
        for var_id, grp in data.groupby("variable", sort=False):
            var = study.codebook.variables[var_id]
            space = spaces[space_of[var_id]]
            pos = pd.Index(space.ids).get_indexer(grp["unit_id"])
            idx = pd.Index(var.code_list).get_indexer(grp["code"])
            keep = pos >= 0
            if var.type == "ranked_set":
                rank = grp["rank"].to_numpy() - 1
                keep &= (rank >= 0) & (rank < var.size)
                values[var_id][0, pos[keep], rank[keep]] = idx[keep]
            else:
                values[var_id][0, pos[keep]] = idx[keep]
            b = np.full(len(space), "", dtype=object)
            b[pos[keep]] = grp["basis"].to_numpy()[keep]
            basis[var_id] = b
        return UnitTable(study.codebook, spaces, space_of, values, basis)

    return memo(coded_values(study), "unit_table", compute)


# --- outcomes ------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What a rule measured: `status` per batch row (HOLDS, FAILS or NO_DATA), and the numbers.
    A rule made of parts (each variable of a `share` over several variables, each pair of a
    `ranking`) also gives `data["parts"]`: per batch row, which parts hold."""

    status: np.ndarray
    data: dict = field(default_factory=dict)

    def first(self) -> int:
        return int(np.asarray(self.status).ravel()[0])

    def broken(self, batch: int) -> np.ndarray:
        """Per batch row, how many parts fail (1 for a failing rule without parts)."""
        status = np.broadcast_to(self.status, (batch,))
        parts = self.data.get("parts")
        if parts is None:
            return (status == FAILS).astype(np.int64)
        failing = np.broadcast_to(~np.asarray(parts, dtype=bool), (batch, np.shape(parts)[-1])).sum(axis=-1)
        return np.where(status == FAILS, np.maximum(failing, 1), 0)


def _status(holds: np.ndarray, insufficient: np.ndarray | bool = False) -> np.ndarray:
    holds = np.asarray(holds, dtype=bool)
    out = np.where(holds, HOLDS, FAILS).astype(np.int64)
    return np.where(np.broadcast_to(insufficient, out.shape), NO_DATA, out)


def _quantifier(spec, quantifiers):
    from ..data.quantifiers import get

    name = spec.get("quantifier")
    if name is None:
        raise ParameterError(f"rule {spec.get('rule')!r}: lacks 'quantifier'; allowed: {', '.join(quantifiers)}")
    return get(quantifiers, name)


def _variables(spec) -> list[str]:
    if "variables" in spec:
        return list(spec["variables"])
    if "variable" in spec:
        return [spec["variable"]]
    return []


def _themed(table: UnitTable, spec) -> list[str]:
    """The per-interview variables of `themes` (or the listed `variables`), not ranked sets."""
    if "variables" in spec:
        return list(spec["variables"])
    themes = set(spec.get("themes") or [])
    return [v.id for v in table.codebook.variables.values()
            if v.theme in themes and v.per_interview and v.type != "ranked_set"]


def _count(table, var_id, codes, where):
    """(k, n): per batch row, units of the selection coded one of `codes`, and units with a value."""
    mask = table.space(var_id).mask(where)
    present = table.present(var_id) & mask
    return (table.hits(var_id, codes) & present).sum(axis=-1), present.sum(axis=-1)


# --- rule kinds ------------------------------------------------------------------------------------

def measure_share(table, spec, quantifiers) -> Outcome:
    q = _quantifier(spec, quantifiers)
    ks, ns = zip(*(_count(table, v, spec["codes"], spec.get("where")) for v in _variables(spec)))
    k, n = np.stack(np.broadcast_arrays(*ks), axis=-1), np.stack(np.broadcast_arrays(*ns), axis=-1)
    parts = q.holds_counts(k, n)
    return Outcome(_status(parts.all(axis=-1), (n == 0).any(axis=-1)), {"k": k, "n": n, "parts": parts})


def measure_any_of(table, spec, quantifiers) -> Outcome:
    q = _quantifier(spec, quantifiers)
    variables = _variables(spec)
    codes = spec.get("codes", ["yes"])
    spaces = {table.space_of[v] for v in variables}
    if len(spaces) != 1:
        raise ParameterError(f"rule any_of: variables {variables} are counted on different units; allowed: "
                             "variables of the same unit")
    mask = table.space(variables[0]).mask(spec.get("where"))
    present = mask & functools.reduce(np.logical_and, [table.present(v) for v in variables])
    hit = functools.reduce(np.logical_or, [table.hits(v, codes) for v in variables]) & present
    k, n = hit.sum(axis=-1), present.sum(axis=-1)
    return Outcome(_status(q.holds_counts(k, n), n == 0), {"k": k, "n": n})


def measure_compare(table, spec, quantifiers) -> Outcome:
    var, codes = spec["variable"], spec["codes"]
    k1, n1 = _count(table, var, codes, spec["greater"])
    k2, n2 = _count(table, var, codes, spec["than"])
    minimum = int(spec.get("min_units", MIN_UNITS))
    # k1/n1 > k2/n2, compared exactly in integers
    holds = k1 * np.maximum(n2, 1) > k2 * np.maximum(n1, 1)
    return Outcome(_status(holds, (n1 < minimum) | (n2 < minimum)), {"k": np.stack([k1, k2], -1),
                                                                    "n": np.stack([n1, n2], -1)})


def _pooled(table, variables, codes, where):
    k = n = 0
    for v in variables:
        kv, nv = _count(table, v, codes, where)
        k, n = k + kv, n + nv
    return np.asarray(k), np.asarray(n)


def measure_pooled(table, spec, quantifiers) -> Outcome:
    q = _quantifier(spec, quantifiers)
    k, n = _pooled(table, _variables(spec), spec["codes"], spec.get("where"))
    return Outcome(_status(q.holds_counts(k, n), n == 0), {"k": k, "n": n})


def measure_difference(table, spec, quantifiers) -> Outcome:
    q = _quantifier(spec, quantifiers)
    variables, codes = _variables(spec), spec["codes"]
    first, second = spec["groups"]
    minimum = int(spec.get("min_units", MIN_UNITS))
    if spec.get("per_variable"):
        k1, n1 = map(lambda xs: np.stack(np.broadcast_arrays(*xs), -1),
                     zip(*(_count(table, v, codes, first) for v in variables)))
        k2, n2 = map(lambda xs: np.stack(np.broadcast_arrays(*xs), -1),
                     zip(*(_count(table, v, codes, second) for v in variables)))
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
    return Outcome(_status(holds, insufficient), data)


def measure_ranking(table, spec, quantifiers) -> Outcome:
    codes, where = spec["codes"], spec.get("where")
    shares = {}
    empty = False
    for v in [*spec["above"], *spec["below"]]:
        k, n = _count(table, v, codes, where)
        empty = empty | (n == 0)
        shares[v] = k / np.maximum(n, 1)
    above = np.stack(np.broadcast_arrays(*[shares[v] for v in spec["above"]]), -1)
    below = np.stack(np.broadcast_arrays(*[shares[v] for v in spec["below"]]), -1)
    pairs = above[..., :, None] > below[..., None, :] + 1e-12  # every (above, below) pair in order
    parts = pairs.reshape(*pairs.shape[:-2], -1)
    return Outcome(_status(parts.all(axis=-1), empty), {"shares": shares, "parts": parts})


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
        raise ParameterError("rule trend: the units with a value differ between the rows of a batch")
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
    return Outcome(_status(holds, insufficient), {"rho": rho, "n": n})


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
    return Outcome(_status(named_ok & others_ok, insufficient),
                   {"k_named": k_named, "n_named": n_named, "k_others": k_others, "n_others": n_others})


def measure_varied(table, spec, quantifiers) -> Outcome:
    q = _quantifier(spec, quantifiers)
    var = spec["variable"]
    values = table.get(var)
    mask = table.space(var).mask(spec.get("where"))
    present = (values >= 0) & mask
    k_codes = len(table.var(var).codes)
    counts = np.stack([((values == c) & present).sum(axis=-1) for c in range(k_codes)], axis=-1)
    n = counts.sum(axis=-1)
    top = counts.max(axis=-1)
    return Outcome(_status(q.holds_counts(top, n), n == 0), {"counts": counts, "k": top, "n": n})


# ranked sets: mentions of each code --------------------------------------------------------------

def mention_counts(table, var_id, where=None) -> tuple[np.ndarray, np.ndarray]:
    """(counts, respondents): mentions per code, shape (batch, codes), and respondents with a
    complete or partial ranking, shape (batch,)."""
    values = table.get(var_id)
    mask = table.space(var_id).mask(where)
    k = len(table.var(var_id).codes)
    sel = values[:, mask, :]
    counts = np.stack([(sel == c).sum(axis=(-1, -2)) for c in range(k)], axis=-1)
    respondents = (sel >= 0).any(axis=-1).sum(axis=-1)
    return counts, respondents


def printed_share_ok(k, total, printed) -> np.ndarray:
    """Whether k of `total` mentions print as `printed` percent, rounded half up (exact integer
    arithmetic: floor((200 k + total) / (2 total)), the same as `percent_half_up`)."""
    k, total = np.asarray(k), np.asarray(total)
    return (total > 0) & ((200 * k + total) // np.maximum(2 * total, 1) == int(printed))


def printed_shares_hold(counts, respondents, spec, code_list) -> np.ndarray:
    """Whether mention counts (batch, codes) give the total and the shares as printed."""
    total = counts.sum(axis=-1)
    holds = total == int(spec["total"])
    for code, printed in spec["printed"].items():
        holds = holds & printed_share_ok(counts[..., code_list.index(code)], total, printed)
    return holds


def top_mentions_hold(counts, respondents, spec, code_list) -> np.ndarray:
    expected = [code_list.index(c) for c in spec["expected"]]
    rest = [i for i in range(len(code_list)) if i not in expected]
    low = counts[..., expected].min(axis=-1)
    high = counts[..., rest].max(axis=-1) if rest else np.full(low.shape, -1)
    return low > high


def mentioned_by_hold(counts, respondents, spec, code_list, quantifiers) -> np.ndarray:
    q = _quantifier(spec, quantifiers)
    return q.holds_counts(counts[..., code_list.index(spec["code"])], respondents)


def measure_printed_shares(table, spec, quantifiers) -> Outcome:
    counts, resp = mention_counts(table, spec["variable"], spec.get("where"))
    code_list = table.var(spec["variable"]).code_list
    holds = printed_shares_hold(counts, resp, spec, code_list)
    return Outcome(_status(holds, counts.sum(axis=-1) == 0), {"counts": counts, "respondents": resp})


def measure_top_mentions(table, spec, quantifiers) -> Outcome:
    counts, resp = mention_counts(table, spec["variable"], spec.get("where"))
    code_list = table.var(spec["variable"]).code_list
    holds = top_mentions_hold(counts, resp, spec, code_list)
    return Outcome(_status(holds, resp == 0), {"counts": counts, "respondents": resp})


def measure_mentioned_by(table, spec, quantifiers) -> Outcome:
    counts, resp = mention_counts(table, spec["variable"], spec.get("where"))
    code_list = table.var(spec["variable"]).code_list
    holds = mentioned_by_hold(counts, resp, spec, code_list, quantifiers)
    k = counts[..., code_list.index(spec["code"])]
    return Outcome(_status(holds, resp == 0), {"k": k, "n": resp, "counts": counts})


# fragmentation: respondents of one municipality ------------------------------------------------------

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


def _where_key(where) -> tuple:
    return tuple(sorted((k, tuple(v) if not isinstance(v, str) else (v,)) for k, v in (where or {}).items()))


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
    groups_key = ("groups", _where_key(where))
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
    variables = _themed(table, spec)
    munis, observed, expected = differ_table(table, variables, spec.get("where"))
    valid = ~np.isnan(observed)
    n_pairs = valid.sum(axis=(-1, -2))
    obs = np.where(valid, observed, 0).sum(axis=(-1, -2)) / np.maximum(n_pairs, 1)
    exp = np.where(valid, np.nan_to_num(expected), 0).sum(axis=(-1, -2)) / np.maximum(n_pairs, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(exp > 0, obs / np.where(exp > 0, exp, 1), np.where(obs > 0, np.inf, 0.0))
    holds = ratio >= float(spec["min_ratio"]) - 1e-12
    return Outcome(_status(holds, n_pairs == 0), {"observed": obs, "expected": exp, "ratio": ratio,
                                                  "n_pairs": n_pairs, "municipalities": munis,
                                                  "per_municipality": observed})


def measure_fragmentation_compare(table, spec, quantifiers) -> Outcome:
    variables = _themed(table, spec)
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
    return Outcome(_status(holds, np.full(table.batch, insufficient)),
                   {"means": np.stack(means, -1), "counts": counts, "municipalities": munis,
                    "per_municipality": per_muni})


# data that do not depend on coded values ---------------------------------------------------------

def measure_interview_counts(table, spec, quantifiers) -> Outcome:
    space = table.spaces["interview"]
    have = pd.Series(space.municipality).value_counts()
    want = {str(k): int(v) for k, v in spec["counts"].items()}
    munis = table.spaces["municipality"].ids
    diff = {m: (int(have.get(m, 0)), want.get(m, 0)) for m in munis if int(have.get(m, 0)) != want.get(m, 0)}
    holds = not diff
    return Outcome(_status(np.full(table.batch, holds)), {"differing": diff, "total": int(len(space))})


# coherence between variables ----------------------------------------------------------------------

def implies_violations(table, spec) -> np.ndarray:
    """(batch, units of `then`) True where `if` holds and `then` has a value that it does not allow."""
    a, b = spec["if"], spec["then"]
    hit_a, hit_b = table.hits(a["variable"], a["codes"]), table.hits(b["variable"], b["codes"])
    present_b = table.present(b["variable"])
    sa, sb = table.space_of[a["variable"]], table.space_of[b["variable"]]
    if sa != sb:
        if (sa, sb) != ("municipality", "interview"):
            raise ParameterError("coherence rule: 'if' must be coded on the same unit as 'then', or per "
                                 "municipality when 'then' is coded per interview")
        to_muni = pd.Index(table.spaces["municipality"].ids).get_indexer(table.spaces["interview"].municipality)
        hit_a = hit_a[:, to_muni]
    return hit_a & present_b & ~hit_b


def measure_implies(table, spec, quantifiers) -> Outcome:
    bad = implies_violations(table, spec)
    return Outcome(_status(~bad.any(axis=-1)), {"violations": bad.sum(axis=-1)})


KINDS = {
    "share": measure_share, "any_of": measure_any_of, "compare": measure_compare, "pooled": measure_pooled,
    "difference": measure_difference, "ranking": measure_ranking, "trend": measure_trend,
    "only_named": measure_only_named, "varied": measure_varied, "printed_shares": measure_printed_shares,
    "top_mentions": measure_top_mentions, "mentioned_by": measure_mentioned_by,
    "differ_vs_chance": measure_differ_vs_chance, "fragmentation_compare": measure_fragmentation_compare,
    "interview_counts": measure_interview_counts, "implies": measure_implies,
}

# keys each kind needs (beyond `rule`) and may have; checked when a file is read
REQUIRED = {
    "share": {"codes", "quantifier"}, "any_of": {"variables", "quantifier"},
    "compare": {"variable", "codes", "greater", "than"}, "pooled": {"variables", "codes", "quantifier"},
    "difference": {"variables", "codes", "groups", "quantifier"}, "ranking": {"above", "below", "codes"},
    "trend": {"variable", "min_rho"}, "only_named": {"variable", "codes", "municipalities"},
    "varied": {"variable", "quantifier"}, "printed_shares": {"variable", "total", "printed"},
    "top_mentions": {"variable", "expected"}, "mentioned_by": {"variable", "code", "quantifier"},
    "differ_vs_chance": {"min_ratio"}, "fragmentation_compare": {"greater", "than"},
    "interview_counts": {"counts"}, "implies": {"if", "then"},
}
OPTIONAL = {"where", "min_units", "per_variable", "signed", "variables", "variable", "themes", "codes"}


def measure(table: UnitTable, spec: dict, quantifiers: dict) -> Outcome:
    """Measure one rule on a table; the status of every batch row and the numbers behind it."""
    kind = spec.get("rule")
    if kind not in KINDS:
        raise ParameterError(f"rule: {kind!r} is not a rule kind; allowed: {', '.join(KINDS)}")
    return KINDS[kind](table, spec, quantifiers)


def rule_variables(spec: dict, codebook=None) -> list[str]:
    """Every variable a rule reads (for `themes`, the codebook's per-interview variables of them)."""
    kind = spec.get("rule")
    if kind == "implies":
        return [spec["if"]["variable"], spec["then"]["variable"]]
    if kind == "ranking":
        return [*spec["above"], *spec["below"]]
    if kind in ("differ_vs_chance", "fragmentation_compare") and "variables" not in spec and codebook is not None:
        themes = set(spec.get("themes") or [])
        return [v.id for v in codebook.variables.values()
                if v.theme in themes and v.per_interview and v.type != "ranked_set"]
    return _variables(spec)


def check_spec(spec, codebook, quantifiers) -> list[str]:
    """Problems with one rule's keys, variables, codes and quantifier (empty when it is sound)."""
    if not isinstance(spec, dict):
        return [f"a rule must be a mapping (got {spec!r})"]
    kind = spec.get("rule")
    if kind not in KINDS:
        return [f"rule {kind!r} is not a rule kind; allowed: {', '.join(KINDS)}"]
    problems = []
    need = set(REQUIRED[kind])
    if kind == "share" and not ({"variable", "variables"} & set(spec)):
        problems.append("rule share needs 'variable' or 'variables'")
    if kind in ("differ_vs_chance", "fragmentation_compare") and not ({"variables", "themes"} & set(spec)):
        problems.append(f"rule {kind} needs 'variables' or 'themes'")
    for key in sorted(need - set(spec)):
        problems.append(f"rule {kind} lacks {key!r}")
    allowed = {"rule", *need, *OPTIONAL, "above", "below", "expected", "printed", "total", "code", "min_rho",
               "min_ratio", "municipalities", "greater", "than", "groups", "counts", "if", "then", "quantifier"}
    for key in sorted(set(spec) - allowed):
        problems.append(f"rule {kind} has an unknown key {key!r}")
    if problems:
        return problems
    variables = rule_variables(spec, codebook)
    for v in variables:
        if v not in codebook.variables:
            problems.append(f"names an unknown variable {v!r}")
    if problems:
        return problems
    code_sets = []
    if "codes" in spec:
        code_sets += [(v, spec["codes"]) for v in variables if kind not in ("implies",)]
    if kind == "implies":
        code_sets += [(spec["if"]["variable"], spec["if"]["codes"]), (spec["then"]["variable"], spec["then"]["codes"])]
    if kind == "printed_shares":
        code_sets.append((spec["variable"], list(spec["printed"])))
    if kind == "top_mentions":
        code_sets.append((spec["variable"], spec["expected"]))
    if kind == "mentioned_by":
        code_sets.append((spec["variable"], [spec["code"]]))
    for v, codes in code_sets:
        codes = [codes] if isinstance(codes, str) else list(codes)
        bad = [c for c in codes if c not in codebook.variables[v].codes]
        if bad:
            problems.append(f"names codes unknown to {v}: {', '.join(map(str, bad))}")
    if "quantifier" in spec and quantifiers is not None and spec["quantifier"] not in quantifiers:
        problems.append(f"names an unknown quantifier {spec['quantifier']!r}")
    for key in ("where", "greater", "than"):
        if key in spec:
            problems += [f"selection {key!r} has an unknown key {k!r}" for k in spec[key] if k not in WHERE_KEYS]
    return problems
