"""From interviews to municipalities: one value per municipality and variable, and the
disagreement that the aggregation hides.

Rules, by variable type:

- nominal: the most frequent code; a tie goes to the code listed first in the codebook and is
  flagged in `tied`;
- ordinal: the median code in codebook order (the lower median when the count is even);
- boolean: 'yes' when at least half of the interviews say yes;
- ranked_set: not aggregated (a top three belongs to a respondent); use mention counts.

Variables coded per municipality (per_interview: false) are the same in every interview, so
every rule returns that value. An interview coded by several coders counts once, with the
first coder in alphabetical order (`study.one_coder`).
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from .errors import ParameterError
from .study import one_coder, variable_rows

BASIS_ORDER = ("observed", "reported", "derived", "imputed")  # a mix takes the weakest


def _check_variables(study, variables):
    cb = study.codebook
    if variables is None:
        return [v.id for v in cb.variables.values() if v.type != "ranked_set"]
    variables = [variables] if isinstance(variables, str) else list(variables)
    for v in variables:
        var = cb.variable(v)
        if var.type == "ranked_set":
            raise ParameterError(f"{v}: a ranked set is not aggregated per municipality; count its mentions instead")
    return variables


def _rows(study, variables) -> pd.DataFrame:
    """The codings of `variables`, one coder per interview."""
    cod = one_coder(study.codings)
    parts = [variable_rows(cod, v) for v in variables]
    return pd.concat(parts, ignore_index=True) if len(parts) != 1 else parts[0]


def _pairwise_agreement(codes: list[str]) -> float:
    pairs = list(combinations(codes, 2))
    if not pairs:
        return float("nan")
    return sum(a == b for a, b in pairs) / len(pairs)


def _combine(var, codes: list[str]) -> tuple[str, bool]:
    order = var.code_list
    if var.type == "boolean":
        return ("yes" if 2 * codes.count("yes") >= len(codes) else "no"), 2 * codes.count("yes") == len(codes)
    if var.type == "ordinal":
        ranked = sorted(codes, key=order.index)
        return ranked[(len(ranked) - 1) // 2], False
    counts = pd.Series(codes).value_counts()
    top = counts[counts == counts.max()].index.tolist()
    return min(top, key=order.index), len(top) > 1


def aggregate(study, variables=None) -> pd.DataFrame:
    """One value per municipality and variable, with the rule used and what it hides.

    Parameters
    ----------
    study : Study
    variables : str or list of str, optional
        Variable ids; default every variable that is not a ranked set.

    Returns
    -------
    DataFrame with columns `municipality`, `region`, `size_class`, `variable`, `code`, `rule`,
    `n_interviews`, `n_distinct`, `pairwise_agreement` (share of interview pairs that agree;
    NaN with one interview), `tied`, `basis` (the weakest provenance of the values combined).

    Examples
    --------
    >>> import commissioning as cm
    >>> agg = cm.aggregate(cm.load_study(), "organisation.model")
    >>> len(agg), int(agg.n_distinct.max())
    (18, 1)
    """
    variables = _check_variables(study, variables)
    cod = _rows(study, variables)
    rows = []
    for (muni, var_id), grp in cod.groupby(["municipality", "variable"], sort=False):
        var = study.codebook.variables[var_id]
        codes = grp.code.tolist()
        code, tied = _combine(var, codes)
        basis = max(grp.basis, key=BASIS_ORDER.index)
        rows.append((muni, grp.region.iat[0], grp.size_class.iat[0], var_id, code, var.type, len(codes),
                     len(set(codes)), _pairwise_agreement(codes), tied, basis))
    rule = {"nominal": "mode", "ordinal": "median", "boolean": "at least half yes"}
    out = pd.DataFrame(rows, columns=["municipality", "region", "size_class", "variable", "code", "rule",
                                      "n_interviews", "n_distinct", "pairwise_agreement", "tied", "basis"])
    out["rule"] = out["rule"].map(rule)
    return out.sort_values(["variable", "municipality"], kind="stable").reset_index(drop=True)


def disagreement(study, variables=None) -> pd.DataFrame:
    """Within-municipality disagreement: municipalities with several interviews only.

    For each municipality and variable: the number of interviews, the number of distinct codes,
    and the pairwise agreement (the share of pairs of interviews that give the same code).

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
    variables = _check_variables(study, variables)
    cod = _rows(study, variables)
    keys = ["municipality", "variable"]
    n = cod.groupby(keys, sort=False).size().rename("n_interviews")
    multi = n[n > 1]
    cod = cod.set_index(keys).loc[multi.index].reset_index()
    per_code = cod.groupby([*keys, "code"], sort=False).size()
    agreeing_pairs = (per_code * (per_code - 1) / 2).groupby(level=[0, 1], sort=False).sum()
    out = pd.DataFrame({"n_interviews": multi})
    out["n_distinct"] = per_code.groupby(level=[0, 1], sort=False).size()
    out["pairwise_agreement"] = agreeing_pairs / (out.n_interviews * (out.n_interviews - 1) / 2)
    out["differs"] = out.n_distinct > 1
    attrs = study.municipalities.set_index("cbs_code")
    out = out.reset_index()
    out.insert(1, "region", out.municipality.map(attrs.region))
    out.insert(2, "size_class", out.municipality.map(attrs.size_class))
    out["n_distinct"] = out.n_distinct.astype("int64")
    out = out[["municipality", "region", "size_class", "variable", "n_interviews", "n_distinct",
               "pairwise_agreement", "differs"]]
    return out.sort_values(["variable", "municipality"], kind="stable").reset_index(drop=True)
