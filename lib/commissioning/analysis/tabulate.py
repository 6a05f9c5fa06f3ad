"""Tables computed from a `Study`: the sample (Table 1 of the study) and its composition.

Every function takes the study first, options keyword-only, never changes its arguments and
returns a tidy `pandas.DataFrame` whose columns are listed in its docstring.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import check_lang, check_unit
from ..errors import ParameterError
from .provenance import imputed_mask
from .units import check_variables, unit_values

SAMPLE_COLUMNS = ["size_class", "region", "municipality", "official_name", "population", "n_interviews"]
COMPOSITION_COLUMNS = ["size_class", "region", "n_municipalities", "n_interviews"]


def _codes(study, attribute: str) -> list[str]:
    """Codes of a municipality attribute in codebook order."""
    return list(study.codebook.attributes[attribute].codes)


def _size_classes_large_first(study) -> list[str]:
    """Size-class codes from the largest class down to the smallest (Table 1's order)."""
    return _codes(study, "size_class")[::-1]


def sample_table(study, *, lang: str = "en") -> pd.DataFrame:
    """The study's sample, one row per municipality (Table 1 of the study, section 1.5).

    Parameters
    ----------
    study : Study
        A loaded (possibly filtered) study.
    lang : {"en", "nl"}
        Language of the size-class and region labels.

    Returns
    -------
    DataFrame with columns `size_class` (label), `region` (label), `municipality` (the name the
    study prints), `official_name` (CBS), `population` (1 January 2016) and `n_interviews`
    (interview files per municipality). Rows are ordered by size class from very large down to
    small, then by region in codebook order (Noord, West, Zuid), then as in municipalities.csv.

    Raises
    ------
    ParameterError
        When `lang` is not a language of the codebook.

    Examples
    --------
    >>> import commissioning as cm
    >>> table = cm.sample_table(cm.load_study())
    >>> len(table)
    18
    >>> table.iloc[0][["size_class", "municipality"]].tolist()
    ['Very large', 'Den Haag']
    """
    check_lang(lang)
    munis = study.municipalities
    sizes = _size_classes_large_first(study)
    regions = _codes(study, "region")
    order = pd.DataFrame({
        "size_rank": munis["size_class"].map({code: i for i, code in enumerate(sizes)}),
        "region_rank": munis["region"].map({code: i for i, code in enumerate(regions)}),
        "file_rank": range(len(munis)),
    }, index=munis.index)
    ordered = munis.loc[order.sort_values(["size_rank", "region_rank", "file_rank"]).index]
    cb = study.codebook
    table = pd.DataFrame({
        "size_class": [cb.code_label("size_class", code, lang) for code in ordered["size_class"]],
        "region": [cb.code_label("region", code, lang) for code in ordered["region"]],
        "municipality": ordered["study_name"].to_numpy(),
        "official_name": ordered["official_name"].to_numpy(),
        "population": ordered["population"].astype("int64").to_numpy(),
        "n_interviews": ordered["n_interviews"].astype("int64").to_numpy(),
    }, columns=SAMPLE_COLUMNS)
    return table.reset_index(drop=True)


def sample_composition(study, *, lang: str = "en") -> pd.DataFrame:
    """Municipalities and interviews by size class and region, including empty cells.

    Parameters
    ----------
    study : Study
        A loaded (possibly filtered) study. A filtered study keeps only the size classes and
        regions of its filter.
    lang : {"en", "nl"}
        Language of the size-class and region labels.

    Returns
    -------
    DataFrame with columns `size_class` (label), `region` (label), `n_municipalities` and
    `n_interviews`, one row per size class x region, size classes from very large down to
    small and regions in codebook order. Cells without a municipality have zero counts.

    Raises
    ------
    ParameterError
        When `lang` is not a language of the codebook.

    Examples
    --------
    >>> import commissioning as cm
    >>> comp = cm.sample_composition(cm.load_study())
    >>> len(comp), int(comp["n_municipalities"].sum())
    (12, 18)
    """
    check_lang(lang)
    munis = study.municipalities
    filters = study.filters or {}
    sizes = [c for c in _size_classes_large_first(study) if filters.get("size_class") in (None, c)]
    regions = [c for c in _codes(study, "region") if filters.get("region") in (None, c)]
    n_munis = munis.groupby(["size_class", "region"]).size()
    n_itv = munis.groupby(["size_class", "region"])["n_interviews"].sum()
    cb = study.codebook
    rows = [
        (cb.code_label("size_class", size, lang), cb.code_label("region", region, lang),
         int(n_munis.get((size, region), 0)), int(n_itv.get((size, region), 0)))
        for size in sizes for region in regions
    ]
    table = pd.DataFrame(rows, columns=COMPOSITION_COLUMNS)
    return table.astype({"n_municipalities": "int64", "n_interviews": "int64"})


# --- crosstabs of coded variables ----------------------------------------------------------------

BY_CHOICES = ("size_class", "region")
CROSSTAB_VALUE_COLUMNS = ["code", "label", "n", "share", "n_total", "imputed_share"]
OUTSOURCED_OR_MIXED = ("mixed", "outsourced")


def _check_by(by, study=None):
    """`by` when it is None or a municipality attribute of the codebook (size class, region, or
    another attribute the codebook declares, such as a province)."""
    allowed = list(study.codebook.attributes) if study is not None else list(BY_CHOICES)
    if by is not None and by not in allowed:
        raise ParameterError("by", by, allowed=f"{', '.join(allowed)}, None (overall)")
    return by


def _check_variable(study, variable: str):
    return study.codebook.variables[check_variables(study, [variable], ranked=False)[0]]


def crosstab(study, variable, *, by="size_class", unit: str = "municipality", lang: str = "en") -> pd.DataFrame:
    """Counts and shares of the codes of `variable`, overall or by a municipality attribute.

    Parameters
    ----------
    study : Study
        A loaded (possibly filtered) study.
    variable : str or list of str
        Variable id(s) of the codebook (not ranked sets); a list gives one block per variable.
    by : str or None
        The municipality attribute to group by ("size_class", "region", or another attribute of
        the codebook with its column in municipalities.csv); None gives the overall distribution.
    unit : {"municipality", "interview"}
        What is counted: one value per municipality (combined with the rules of
        `commissioning.aggregate`) or one value per coded interview.
    lang : {"en", "nl"}
        Language of the labels.

    Returns
    -------
    DataFrame with columns `variable`, then (unless `by` is None) the group code in a column named
    after `by` and its label `by_label`, then `code`, `label` (code label), `n` (units with that
    code), `share` (n / n_total; NaN when the group has no unit), `n_total` (units of the group
    with a value) and `imputed_share` (share of the n values in the cell whose basis is
    'imputed'; NaN for an empty cell). Every code of the codebook appears in every group, zero
    counts included. Groups are the codes of `by` that have a municipality in the study, in
    codebook order; codes are in codebook order.

    Raises
    ------
    ParameterError
        For an unknown variable, a ranked set, an unknown `by`, `unit` or `lang`.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> tab = cm.crosstab(study, "segment.public_space.investment", by=None, unit="interview")
    >>> tab[["code", "n", "n_total"]].values.tolist()
    [['commissioner', 24, 24], ['occasional', 0, 24], ['facilitator', 0, 24], ['not_active', 0, 24]]
    >>> tab = cm.crosstab(study, "sourcing.design", by="size_class")
    >>> tab.groupby("size_class", sort=False)["n_total"].first().to_dict()
    {'small': 3, 'medium': 5, 'large': 8, 'very_large': 2}
    """
    check_lang(lang)
    check_unit(unit)
    _check_by(by, study)
    vars_ = [study.codebook.variables[v] for v in check_variables(study, variable, ranked=False)]
    cb = study.codebook
    groups = [None] if by is None else [c for c in _codes(study, by) if (study.municipalities[by] == c).any()]
    rows = []
    for var in vars_:
        values = unit_values(study, var.id, unit=unit)
        if by is not None and by not in values.columns:  # another attribute: the municipality's
            values = values.assign(**{by: values["municipality"].map(
                dict(zip(study.municipalities["cbs_code"], study.municipalities[by])))})
        # one pass over the values: counts and imputed counts per (group, code), totals per group
        # counted with integer indices in one pass (grouping by strings costs more at 10,000 interviews)
        code_list = var.code_list
        g = np.zeros(len(values), dtype=np.int64) if by is None else \
            values[by].map({grp: i for i, grp in enumerate(groups)}).fillna(-1).to_numpy(dtype=np.int64)
        c = values["code"].map({code: i for i, code in enumerate(code_list)}).to_numpy(dtype=np.int64)
        keep = g >= 0
        cell_index = g[keep] * len(code_list) + c[keep]
        size = len(groups) * len(code_list)
        counts = np.bincount(cell_index, minlength=size)
        imputed = np.bincount(cell_index, weights=imputed_mask(study, values)[keep], minlength=size)
        for gi, group in enumerate(groups):
            n_total = int(counts[gi * len(code_list):(gi + 1) * len(code_list)].sum())
            for ci, code in enumerate(code_list):
                n = int(counts[gi * len(code_list) + ci])
                row = [var.id]
                if by is not None:
                    row += [group, cb.code_label(by, group, lang)]
                row += [code, var.code_label(code, lang), n,
                        n / n_total if n_total else float("nan"), n_total,
                        imputed[gi * len(code_list) + ci] / n if n else float("nan")]
                rows.append(row)
    columns = ["variable", *([by, "by_label"] if by is not None else []), *CROSSTAB_VALUE_COLUMNS]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"n": "int64", "n_total": "int64", "share": "float64", "imputed_share": "float64"})


def imputed_share_of(table: pd.DataFrame) -> float:
    """Share of imputed values behind a table made by `crosstab` or `activity_shares`.

    The cells' `imputed_share` weighted by the number of values behind them: `n` for a crosstab,
    `n_total` for `activity_shares` (whose cells stand for all units of their group); NaN when the
    table counts nothing.

    Parameters
    ----------
    table : DataFrame
        The output of `crosstab` (it has a `code` column) or of `activity_shares`.

    Returns
    -------
    float
        Between 0 and 1, or NaN.

    Examples
    --------
    >>> import commissioning as cm
    >>> cm.imputed_share_of(cm.crosstab(cm.load_study(), "sourcing.design"))
    1.0
    """
    n = table["n" if "code" in table.columns else "n_total"].fillna(0).to_numpy(dtype=float)
    if n.sum() == 0:
        return float("nan")
    imputed = table["imputed_share"].fillna(0).to_numpy(dtype=float)
    return float((n * imputed).sum() / n.sum())


def activity_variables(study) -> list[str]:
    """The activity variables (theme `activities`, ids `sourcing.*`) in codebook order.

    Parameters
    ----------
    study : Study

    Returns
    -------
    list of str
        Variable ids.

    Examples
    --------
    >>> import commissioning as cm
    >>> activities = cm.activity_variables(cm.load_study())
    >>> len(activities), activities[:2]
    (12, ['sourcing.strategy', 'sourcing.programme'])
    """
    # a codebook without the study's activities has none (a notebook then says what it lacks)
    return [v.id for v in study.codebook.variables.values() if v.theme == "activities" and v.id.startswith("sourcing.")]


def activity_shares(study, *, by="size_class", unit: str = "municipality", codes=OUTSOURCED_OR_MIXED,
                    variables=None, lang: str = "en") -> pd.DataFrame:
    """Share of units whose value is one of `codes`, per activity and group (for heatmaps).

    Parameters
    ----------
    study : Study
    by : {"size_class", "region"} or None
        Group attribute; None gives one overall share per activity.
    unit : {"municipality", "interview"}
        As in `crosstab`.
    codes : sequence of str
        The codes counted together; default mixed or outsourced.
    variables : list of str, optional
        Variable ids; default the activities (`activity_variables`). Every variable must have
        every code in `codes`.
    lang : {"en", "nl"}

    Returns
    -------
    DataFrame with columns `variable`, `variable_label`, then (unless `by` is None) the group code
    in a column named after `by` and `by_label`, then `n` (units with one of `codes`), `n_total`,
    `share` (NaN for a group without units) and `imputed_share` (share of the values behind the
    cell, i.e. the group's n_total values, whose basis is 'imputed').

    Examples
    --------
    >>> import commissioning as cm
    >>> heat = cm.activity_shares(cm.load_study(), by="region")
    >>> len(heat), list(heat.region.unique())
    (36, ['Noord', 'West', 'Zuid'])
    """
    variables = activity_variables(study) if variables is None else list(variables)
    codes = [codes] if isinstance(codes, str) else list(codes)
    for v in variables:
        var = _check_variable(study, v)
        missing = [c for c in codes if c not in var.codes]
        if missing:
            raise ParameterError("codes", problem=f"{', '.join(map(repr, missing))} not codes of {v}", allowed=var.codes)
    tab = crosstab(study, variables, by=by, unit=unit, lang=lang)
    keys = ["variable", *([by, "by_label"] if by is not None else [])]
    tab = tab.assign(hit=tab["code"].isin(codes), imp_n=tab["imputed_share"].fillna(0) * tab["n"])
    grouped = tab.groupby(keys, sort=False)
    out = pd.DataFrame({
        "n": grouped.apply(lambda g: int(g.loc[g.hit, "n"].sum()), include_groups=False),
        "n_total": grouped["n_total"].first(),
        "imp_n": grouped["imp_n"].sum(),
    }).reset_index()
    out["share"] = out["n"] / out["n_total"].where(out["n_total"] > 0)
    out["imputed_share"] = out["imp_n"] / out["n_total"].where(out["n_total"] > 0)
    out.insert(1, "variable_label", [study.codebook.label(v, lang) for v in out["variable"]])
    out = out[["variable", "variable_label", *keys[1:], "n", "n_total", "share", "imputed_share"]]
    return out.astype({"n": "int64", "n_total": "int64", "share": "float64", "imputed_share": "float64"})


def wide_shares(table: pd.DataFrame, study, *, lang: str = "en") -> pd.DataFrame:
    """A table of `crosstab` or `activity_shares` output laid out for reading: "share (n/total)".

    Parameters
    ----------
    table : DataFrame
        The output of `crosstab` (one column per code) or of `activity_shares` (one column per
        group, or a single column when it has no group).
    study : Study
        For the variable labels.
    lang : {"en", "nl"}
        Language of the variable labels (the code and group labels come from `table`).

    Returns
    -------
    DataFrame of strings such as "28% (5/18)" ("–" for a group without units or hidden by
    `commissioning.disclosure.protection.protect`), indexed by the
    variable label (and, for a crosstab by group, the group label), columns in codebook order.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> wide = cm.wide_shares(cm.crosstab(study, "segment.housing.investment", by=None), study)
    >>> wide.iloc[0].tolist()
    ['0% (0/18)', '39% (7/18)', '56% (10/18)', '6% (1/18)']
    """
    check_lang(lang)
    text = [f"{s:.0%} ({int(k)}/{int(n)})" if n == n and n else "–"  # NaN: hidden for publication
            for s, k, n in zip(table["share"], table["n"], table["n_total"])]
    tab = table.assign(text=text, variable_label=[study.codebook.label(v, lang) for v in table["variable"]])
    rows = ["variable_label"]
    if "code" in tab.columns:
        columns = "label"
        if "by_label" in tab.columns:
            rows.append("by_label")
    elif "by_label" in tab.columns:
        columns = "by_label"
    else:
        tab = tab.assign(all="n / total")
        columns = "all"
    wide = tab.pivot(index=rows, columns=columns, values="text")
    row_order = list(dict.fromkeys(zip(*[tab[r] for r in rows]))) if len(rows) > 1 else list(dict.fromkeys(tab[rows[0]]))
    wide = wide.loc[row_order, list(dict.fromkeys(tab[columns]))]
    wide.columns.name = None
    return wide.rename_axis(index=[None] * len(rows))
