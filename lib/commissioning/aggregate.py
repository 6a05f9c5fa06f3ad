"""From interviews to municipalities: one value per municipality and variable, and the
disagreement that the aggregation hides.

Rules, by variable type:

- nominal: the most frequent code; a tie goes to the code listed first in the codebook and is
  flagged in `tied`;
- ordinal: the median code in codebook order (the lower median when the count is even);
- boolean: 'yes' when at least half of the interviews say yes;
- ranked_set: not aggregated (a top three belongs to a respondent); use mention counts.

Variables coded per municipality (per_interview: false) are the same in every interview, so
every rule returns that value.
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from .errors import ParameterError

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
    cod = study.codings[study.codings.variable.isin(variables)]
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

    Returns
    -------
    DataFrame with columns `municipality`, `region`, `size_class`, `variable`, `n_interviews`,
    `n_distinct`, `pairwise_agreement`, `differs` (True when not every interview agrees).
    """
    agg = aggregate(study, variables)
    multi = agg[agg.n_interviews > 1].copy()
    multi["differs"] = multi.n_distinct > 1
    return multi[["municipality", "region", "size_class", "variable", "n_interviews", "n_distinct",
                  "pairwise_agreement", "differs"]].reset_index(drop=True)
