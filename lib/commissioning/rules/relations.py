"""Rule kinds that relate the codes of a variable to something else: to size class (a trend), to
named municipalities (only they have a code), to another variable (an implication: the
codebook's coherence rules and some statements), and the interview counts of the sample."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .table import MIN_UNITS, Outcome, quantifier_of, status_of


def _average_ranks(x: np.ndarray, n_values: int) -> np.ndarray:
    """Ranks 1..n along the last axis of integer codes 0..n_values-1, ties sharing their mean rank
    (as scipy.stats.rankdata's 'average')."""
    x = np.asarray(x, dtype=np.int64)
    counts = np.stack([(x == c).sum(axis=-1) for c in range(n_values)], axis=-1)  # (..., K)
    before = np.cumsum(counts, axis=-1) - counts
    mean_rank = before + (counts + 1) / 2.0
    return np.take_along_axis(mean_rank, x, axis=-1) if x.ndim > 1 else mean_rank[x]


def measure_trend(table, spec, quantifiers) -> Outcome:
    """Spearman's rank correlation between size class and the codes of an ordinal variable, in the
    range of a quantifier that applies to correlations, as in 'the larger the municipality, the
    likelier commissioning is an explicit topic on its agenda' (c51-larger-more-on-agenda).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: trend, variable, quantifier}``, optionally `where`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row (NO_DATA with fewer than 3 units or a single size class); `data`:
        `rho` per batch row and `n` (units with a value).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "trend", "variable": "agenda.explicitness", "quantifier": "the_larger_the_more"}
    >>> out = measure_trend(table, spec, quantifiers)
    >>> out.status.tolist(), bool(out.data["rho"][0] >= 0.3), out.data["n"]
    ([1], True, 24)
    """
    q = quantifier_of(spec, quantifiers)
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
    holds = q.holds_values(rho)
    return Outcome(status_of(holds, insufficient), {"rho": rho, "n": n})


def measure_only_named(table, spec, quantifiers) -> Outcome:
    """Whether the named municipalities, and no other unit, are coded one of `codes`, as in 'only
    Rotterdam and Den Haag discuss commissioning structurally with their partners'
    (s34-structural-networks-rotterdam-den-haag).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: only_named, variable, codes, municipalities}`` (cbs codes), optionally `where`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row (NO_DATA when no named unit has a value); `data`: `k_named`,
        `n_named`, `k_others`, `n_others` (units with a hit, and with a value).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "only_named", "variable": "network.partner_discussion", "codes": ["structural"],
    ...         "municipalities": ["GM0599", "GM0518"]}
    >>> out = measure_only_named(table, spec, quantifiers)
    >>> out.status.tolist(), {k: int(v[0]) for k, v in out.data.items()}
    ([1], {'k_named': 2, 'n_named': 2, 'k_others': 0, 'n_others': 16})
    """
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


def measure_interview_counts(table, spec, quantifiers) -> Outcome:
    """Whether the number of interviews per municipality is the one of the study's Table 1 (the
    constraint sample-interview-counts: 24 interviews in 18 municipalities).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: interview_counts, counts: {cbs_code: interviews}}``.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` (the same for every batch row: the interviews are not drawn); `data`: `differing`
        (cbs code -> (interviews in the table, interviews in `counts`) where they differ) and `total`
        (interviews in the table).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> from commissioning.data.statements import load_constraints
    >>> spec = load_constraints(default_data_dir() / "constraints.yaml")[0]["rules"][0]
    >>> out = measure_interview_counts(table, spec, quantifiers)
    >>> out.status.tolist(), out.data
    ([1], {'differing': {}, 'total': 24})
    >>> measure_interview_counts(table, {**spec, "counts": {**spec["counts"], "GM0599": 2}}, quantifiers).data
    {'differing': {'GM0599': (1, 2)}, 'total': 24}
    """
    space = table.spaces["interview"]
    have = pd.Series(space.municipality).value_counts()
    want = {str(k): int(v) for k, v in spec["counts"].items()}
    munis = table.spaces["municipality"].ids
    diff = {m: (int(have.get(m, 0)), want.get(m, 0)) for m in munis if int(have.get(m, 0)) != want.get(m, 0)}
    holds = not diff
    return Outcome(status_of(np.full(table.batch, holds)), {"differing": diff, "total": int(len(space))})


def implies_violations(table, spec) -> np.ndarray:
    """(batch, units of `then`) True where `if` holds and `then` has a value that it does not allow.

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable.
    spec : dict
        ``{if: {variable, codes}, then: {variable, codes}}``: the two variables on the same units,
        or `if` per municipality and `then` per interview.

    Returns
    -------
    numpy.ndarray of bool
        Shape (batch, units of `then`'s variable).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> table = table_from_study(cm.load_study())
    >>> spec = {"if": {"variable": "structure.shared_execution", "codes": ["yes"]},
    ...         "then": {"variable": "sourcing.strategy", "codes": ["outsourced"]}}
    >>> bad = implies_violations(table, spec)
    >>> bad.shape, table.spaces["interview"].ids[bad[0]].tolist()
    ((1, 24), ['GM0014-1', 'GM0118-1', 'GM0503-1', 'GM0772-1', 'GM0794-1', 'GM1883-1'])
    """
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
    """Where `if` holds (a variable coded one of its codes), `then` holds too: the codebook's coherence
    rules ('a segment in which the municipality is not active has nothing for it to maintain') and
    statements such as 'where a municipality shares an execution organisation, internal commissioning
    still lies with the municipality itself' (s33-shared-execution-keeps-internal-role).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: implies, if: {variable, codes}, then: {variable, codes}}``.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row; `data`: `violations` (units where `if` holds and `then` does not).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "implies", "if": {"variable": "structure.shared_execution", "codes": ["yes"]},
    ...         "then": {"variable": "sourcing.strategy", "codes": ["in_house", "mixed"]}}
    >>> out = measure_implies(table, spec, quantifiers)
    >>> out.status.tolist(), out.data["violations"].tolist()
    ([1], [0])
    """
    bad = implies_violations(table, spec)
    return Outcome(status_of(~bad.any(axis=-1)), {"violations": bad.sum(axis=-1)})
