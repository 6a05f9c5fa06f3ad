"""Tables computed from a `Study`: the sample (Table 1 of the study) and its composition.

Every function takes the study first, options keyword-only, never changes its arguments and
returns a tidy `pandas.DataFrame` whose columns are listed in its docstring.
"""

from __future__ import annotations

import pandas as pd

from .codebook import check_lang

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
