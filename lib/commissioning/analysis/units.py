"""The one source of per-unit values: what every table, test, claim, figure and reconstruction reads.

A *unit* is what an analysis counts: an interview or a municipality. Every value of a variable
per unit comes from this module, by two rules that hold everywhere in the suite:

- **One coder per interview.** Where several coders coded an interview, the coding of the first
  coder in alphabetical order is used (`one_coder`); agreement between coders is analysed
  separately (`cm.agreement_table`). A second coder's files therefore change no result.
- **One value per municipality** (`aggregate`), by variable type: nominal, the most frequent code
  (a tie goes to the code listed first in the codebook and is flagged in `tied`); ordinal, the
  median code in codebook order (the lower median when the count is even); boolean, 'yes' when at
  least half of the interviews say yes. A ranked set (a respondent's top three) belongs to a
  respondent and is not aggregated; count its mentions instead. Variables coded per municipality
  (per_interview: false) are coded alike in each interview of a municipality, so every rule returns
  that value.

`unit_values(study, variables, unit=...)` gives the values per interview, per municipality, or
per each variable's *natural* unit (the interview for a variable coded per interview, the
municipality for a fact about the municipality): the unit on which the study's statements are
measured (`commissioning.rules`).

The municipality values of all variables are computed at once, vectorised over group codes, and
kept for the life of the loaded table, so that an analysis at municipality level costs about what
it costs at interview level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import BASES, check_unit, memoize, natural_unit, UNIT_CHOICES, UNITS
from ..rules import combine_counts, empty_values, spaces_for, UnitTable
from ..errors import ParameterError
from ..data import memo, one_coder

__all__ = ["AGGREGATE_COLUMNS", "BASIS_ORDER", "DISAGREEMENT_COLUMNS", "RULE_TEXT", "VALUE_COLUMNS", "aggregate",
           "check_variables", "coded_values", "disagreement", "table_from_study", "unit_values",
           # re-exported from core.checks, where they moved
           "UNIT_CHOICES", "UNITS", "check_unit", "natural_unit"]

BASIS_ORDER = BASES  # a mix takes the weakest (the last)
VALUE_COLUMNS = ["unit_id", "municipality", "region", "size_class", "variable", "code", "rank", "basis"]
AGGREGATE_COLUMNS = ["municipality", "region", "size_class", "variable", "code", "rule", "n_interviews",
                     "n_distinct", "pairwise_agreement", "tied", "basis"]
DISAGREEMENT_COLUMNS = ["municipality", "region", "size_class", "variable", "n_interviews", "n_distinct",
                        "pairwise_agreement", "differs"]
RULE_TEXT = {"nominal": "mode", "ordinal": "median", "boolean": "at least half yes"}


def check_variables(study, variables, *, ranked: bool = True) -> list[str]:
    """Variable ids of the codebook, as a list (all variables when `variables` is None).

    Raises ParameterError for an unknown id, an empty list, or (with ``ranked=False``) a ranked set.

    Parameters
    ----------
    study : Study
    variables : str, sequence of str or None
        One variable id, several, or None for every variable of the codebook.
    ranked : bool
        Whether ranked sets (a respondent's top 3) are allowed.

    Returns
    -------
    list of str
        The ids as given (one id becomes a list of one), or every variable in codebook order
        (without the ranked sets when `ranked` is False).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import check_variables
    >>> study = cm.load_study()
    >>> check_variables(study, "sourcing.design"), len(check_variables(study, None, ranked=False))
    (['sourcing.design'], 49)
    >>> check_variables(study, "maturity.top3", ranked=False)
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: variable: 'maturity.top3' is a ranked set (a respondent's top 3); ...
    """
    cb = study.codebook
    if variables is None:
        return [v.id for v in cb.variables.values() if ranked or v.type != "ranked_set"]
    variables = [variables] if isinstance(variables, str) else list(variables)
    if not variables:
        raise ParameterError("variables", problem="an empty list is not allowed", allowed="one or more variable ids of the codebook")
    for v in variables:
        if not isinstance(v, str) or v not in cb.variables:
            allowed = [x.id for x in cb.variables.values() if ranked or x.type != "ranked_set"]
            raise ParameterError("variable", v, problem="is not a variable of the codebook", allowed=allowed)
        if not ranked and cb.variables[v].type == "ranked_set":
            raise ParameterError("variable", v, problem=f"is a ranked set (a respondent's top {cb.variables[v].size}); it has no single code per unit and is not aggregated per municipality; count its mentions instead")
    return variables


def coded_values(study) -> pd.DataFrame:
    """The codings with one coder per interview (see `study.one_coder`), split by variable once.

    Returns
    -------
    DataFrame with the columns of `Study.codings`.

    Examples
    --------
    >>> import commissioning as cm
    >>> len(coded_values(cm.load_study())) == len(cm.load_study().codings)
    True
    """
    return one_coder(study.codings)


def _by_variable(frame: pd.DataFrame) -> dict:
    return memo(frame, "by_variable", lambda: {v: g for v, g in frame.groupby("variable", sort=False)})


def _rows(frame: pd.DataFrame, variable: str) -> pd.DataFrame:
    return _by_variable(frame).get(variable, frame.iloc[:0])


# --- municipality values, every variable at once --------------------------------------------------

def _aggregate_all(study) -> pd.DataFrame:
    """`aggregate` for every variable that is not a ranked set, computed once per loaded table
    (and, through the content-keyed memo, once per process for the same data: the report of each
    language reads the same values)."""
    cod = coded_values(study)
    return memo(cod, "aggregate_all", lambda: _aggregate_memoised(study))


@memoize
def _aggregate_memoised(study) -> pd.DataFrame:
    return _compute_aggregate(study)


def _compute_aggregate(study) -> pd.DataFrame:
    cod = coded_values(study)
    cb = study.codebook
    variables = [v for v in cb.variables.values() if v.type != "ranked_set"]
    data = cod[cod["variable"].isin([v.id for v in variables])]
    if data.empty:
        return pd.DataFrame(columns=AGGREGATE_COLUMNS)
    var_ids = [v.id for v in variables]
    var_cat = pd.Categorical(data["variable"], categories=var_ids).codes.astype(np.int64)
    code_cat = pd.Categorical(data["code"])
    k_max = max(len(v.codes) for v in variables)
    # code index in codebook order, looked up through a (variable x distinct code) table
    lut = np.full((len(variables), len(code_cat.categories)), -1, dtype=np.int64)
    position = {c: j for j, c in enumerate(code_cat.categories)}
    for i, var in enumerate(variables):
        for k, code in enumerate(var.code_list):
            if code in position:
                lut[i, position[code]] = k
    code_idx = lut[var_cat, code_cat.codes.astype(np.int64)]
    munis = pd.Categorical(data["municipality"])
    group_key = munis.codes.astype(np.int64) * len(variables) + var_cat
    keys, gid = np.unique(group_key, return_inverse=True)
    n_groups = len(keys)
    counts = np.bincount(gid * k_max + code_idx, minlength=n_groups * k_max).reshape(n_groups, k_max)
    g_var = keys % len(variables)
    g_muni = np.asarray(munis.categories)[keys // len(variables)]
    n = counts.sum(axis=1)
    n_distinct = (counts > 0).sum(axis=1)
    pairs = (counts * (counts - 1) // 2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.where(n > 1, pairs / (n * (n - 1) / 2), np.nan)
    types = np.array([v.type for v in variables])[g_var]
    # one rule combines a municipality's interviews, the one the rule layer uses (rules.aggregate)
    yes_idx = np.array([v.code_list.index("yes") if v.type == "boolean" else 0 for v in variables])[g_var]
    no_idx = np.array([v.code_list.index("no") if v.type == "boolean" else 0 for v in variables])[g_var]
    code = np.zeros(n_groups, dtype=np.int64)
    tied = np.zeros(n_groups, dtype=bool)
    for kind in ("nominal", "ordinal", "boolean"):
        sel = types == kind
        if sel.any():
            code[sel], tied[sel] = combine_counts(counts[sel], kind, yes=yes_idx[sel], no=no_idx[sel])
    basis_idx = pd.Categorical(data["basis"], categories=BASIS_ORDER).codes.astype(np.int64)
    weakest = np.zeros(n_groups, dtype=np.int64)
    np.maximum.at(weakest, gid, basis_idx)
    code_lists = [v.code_list for v in variables]
    attrs = study.municipalities.set_index("cbs_code")
    out = pd.DataFrame({
        "municipality": g_muni,
        "region": attrs["region"].reindex(g_muni).to_numpy(),
        "size_class": attrs["size_class"].reindex(g_muni).to_numpy(),
        "variable": np.array(var_ids, dtype=object)[g_var],
        "code": [code_lists[v][c] for v, c in zip(g_var, code)],
        "rule": [RULE_TEXT[t] for t in types],
        "n_interviews": n.astype(np.int64),
        "n_distinct": n_distinct.astype(np.int64),
        "pairwise_agreement": agreement.astype(float),
        "tied": tied.astype(bool),
        "basis": np.array(BASIS_ORDER, dtype=object)[weakest],
    }, columns=AGGREGATE_COLUMNS)
    return out.sort_values(["variable", "municipality"], kind="stable").reset_index(drop=True)


def aggregate(study, variables=None) -> pd.DataFrame:
    """One value per municipality and variable, with the rule used and what it hides.

    Parameters
    ----------
    study : Study
    variables : str or list of str, optional
        Variable ids; default every variable that is not a ranked set.

    Returns
    -------
    DataFrame with columns `municipality`, `region`, `size_class`, `variable`, `code`, `rule`
    ("mode", "median" or "at least half yes"), `n_interviews`, `n_distinct`,
    `pairwise_agreement` (share of interview pairs that agree; NaN with one interview), `tied`,
    `basis` (the weakest provenance of the values combined), sorted by variable and municipality.

    Examples
    --------
    >>> import commissioning as cm
    >>> agg = cm.aggregate(cm.load_study(), "organisation.model")
    >>> len(agg), int(agg.n_distinct.max())
    (18, 1)
    """
    variables = check_variables(study, variables, ranked=False)
    full = _aggregate_all(study)
    if len(variables) == len(full["variable"].unique()) and set(variables) == set(full["variable"]):
        return full.copy()
    split = memo(full, "by_variable", lambda: {v: g for v, g in full.groupby("variable", sort=False)})
    parts = [split[v] for v in variables if v in split]
    if not parts:
        return full.iloc[:0].copy()
    out = pd.concat(parts) if len(parts) > 1 else parts[0]
    return out.sort_values(["variable", "municipality"], kind="stable").reset_index(drop=True)


def disagreement(study, variables=None) -> pd.DataFrame:
    """Within-municipality disagreement: municipalities with several interviews only.

    For each municipality and variable: the number of interviews, the number of distinct codes,
    and the pairwise agreement (the share of pairs of interviews that give the same code). One
    coder per interview, as everywhere.

    Returns
    -------
    DataFrame with columns `municipality`, `region`, `size_class`, `variable`, `n_interviews`,
    `n_distinct`, `pairwise_agreement`, `differs` (True when not every interview agrees).

    Examples
    --------
    >>> import commissioning as cm
    >>> d = cm.disagreement(cm.load_study())
    >>> sorted(d.municipality.unique())
    ['GM0106', 'GM0153', 'GM0193', 'GM0518', 'GM0855']
    """
    agg = aggregate(study, variables)
    multi = agg[agg["n_interviews"] > 1]
    out = multi.assign(differs=multi["n_distinct"] > 1)[DISAGREEMENT_COLUMNS]
    return out.reset_index(drop=True)


# --- values per unit --------------------------------------------------------------------------------

def _interview_values(study) -> pd.DataFrame:
    cod = coded_values(study)

    def compute():
        out = cod.rename(columns={"interview_id": "unit_id"})[VALUE_COLUMNS]
        return out.reset_index(drop=True)

    return memo(cod, "interview_values", compute)


def _municipality_values(study) -> pd.DataFrame:
    agg = _aggregate_all(study)

    def compute():
        out = agg.assign(unit_id=agg["municipality"], rank=0)[VALUE_COLUMNS]
        return out.reset_index(drop=True)

    return memo(agg, "municipality_values", compute)


def _natural_values(study) -> pd.DataFrame:
    cod = coded_values(study)

    def compute():
        cb = study.codebook
        per_muni = [v.id for v in cb.variables.values() if not v.per_interview and v.type != "ranked_set"]
        itv = _interview_values(study)
        mun = _municipality_values(study)
        parts = [itv[~itv["variable"].isin(per_muni)], mun[mun["variable"].isin(per_muni)]]
        return pd.concat(parts, ignore_index=True)

    return memo(cod, "natural_values", compute)


def unit_values(study, variables=None, *, unit: str = "municipality") -> pd.DataFrame:
    """The values of one or more variables, one row per unit of analysis (and rank).

    The one source of per-unit values of the suite: every table, test, claim, figure and the
    reconstruction read their values through it.

    Parameters
    ----------
    study : Study
    variables : str or list of str, optional
        Variable ids of the codebook; default all (at municipality level: all but ranked sets).
    unit : {"interview", "municipality", "natural"}
        ``"interview"``: one row per coded interview (one coder per interview: the first in
        alphabetical order); a ranked set gives one row per rank. ``"municipality"``: one row per
        municipality, combined by the rules of `aggregate` (ranked sets are not allowed).
        ``"natural"``: each variable at its natural unit (`natural_unit`).

    Returns
    -------
    DataFrame with columns `unit_id` (interview id or CBS code), `municipality`, `region`,
    `size_class`, `variable`, `code`, `rank` (1.. for a ranked set, else 0) and `basis` (at
    municipality level the weakest provenance of the values combined).

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> len(cm.unit_values(study, "sourcing.design", unit="interview"))
    24
    >>> len(cm.unit_values(study, "sourcing.design", unit="municipality"))
    18
    >>> cm.unit_values(study, ["organisation.model", "agenda.explicitness"], unit="natural").groupby(
    ...     "variable").size().to_dict()
    {'agenda.explicitness': 24, 'organisation.model': 18}
    """
    check_unit(unit, natural=True)
    variables = check_variables(study, variables, ranked=unit != "municipality")
    table = {"interview": _interview_values, "municipality": _municipality_values,
             "natural": _natural_values}[unit](study)
    if len(variables) == 1:
        return _rows(table, variables[0]).reset_index(drop=True)
    split = _by_variable(table)
    parts = [split[v] for v in variables if v in split]
    if not parts:
        return table.iloc[:0].reset_index(drop=True)
    return pd.concat(parts, ignore_index=True)


def table_from_study(study) -> UnitTable:
    """The `UnitTable` of a loaded study, on which the rule layer measures the study's statements:
    each variable at its natural unit, one coder per interview, municipality values by
    `aggregate`'s rules.

    Returns
    -------
    UnitTable

    Examples
    --------
    >>> import commissioning as cm
    >>> table = table_from_study(cm.load_study())
    >>> len(table.spaces["municipality"]), len(table.spaces["interview"])
    (18, 24)
    """
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
