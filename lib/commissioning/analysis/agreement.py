"""Intercoder agreement: Krippendorff's alpha, percent agreement and Cohen's kappa.

Data come in long form, one row per unit x coder with the value that coder gave the unit, as in
``study.codings`` (unit ``interview_id``, coder ``coder``, value ``code``). A coder who left a
unit uncoded simply has no row for it (a missing value); a unit coded by fewer than two coders
carries no information about agreement and is left out.

`krippendorff_alpha` follows the coincidence-matrix definition in K. Krippendorff, "Computing
Krippendorff's Alpha-Reliability" (2011): alpha = 1 - D_o / D_e with

    o_ck = sum over units u of (number of c-k pairs of values in u) / (m_u - 1)
    n_c  = sum_k o_ck,   n = sum_c n_c
    D_o  = sum_c sum_k o_ck delta2(c, k) / n
    D_e  = sum_c sum_k n_c n_k delta2(c, k) / (n (n - 1))

and the difference functions delta2 of that paper for nominal, ordinal, interval and ratio data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import ParameterError

LEVELS = ("nominal", "ordinal", "interval", "ratio")
AGREEMENT_COLUMNS = ["variable", "type", "level", "n_units", "n_coders", "alpha", "percent_agreement", "kappa"]


def _check(data, unit, coder, value) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise ParameterError("data", problem=f"expected a DataFrame in long form (one row per unit and coder), got {type(data).__name__}")
    missing = [c for c in (unit, coder, value) if c not in data.columns]
    if missing:
        raise ParameterError("data", problem=f"has no column {', '.join(map(repr, missing))}", allowed=f"a table with the columns {', '.join(map(str, data.columns))}")
    df = data[[unit, coder, value]].dropna(subset=[value])
    dup = df.duplicated(subset=[unit, coder], keep=False)
    if dup.any():
        first = df[dup].iloc[0]
        u, c = (x.item() if isinstance(x, np.generic) else x for x in (first[unit], first[coder]))
        raise ParameterError("data", problem=f"has {int(dup.sum())} rows that give one coder two values for one unit, "
                             f"e.g. {unit}={u!r}, {coder}={c!r}", allowed="one row per unit and coder")
    return df


def _pairable(df, unit, coder):
    counts = df.groupby(unit, sort=False)[coder].transform("size")
    return df[counts >= 2]


def krippendorff_alpha(data: pd.DataFrame, *, unit: str, coder: str, value: str, level: str = "nominal") -> float:
    """Krippendorff's alpha of the values coders gave units.

    Parameters
    ----------
    data : DataFrame
        Long form: one row per unit and coder. Rows with a missing value are ignored.
    unit, coder, value : str
        Column names.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement. Ordinal, interval and ratio need values that sort (ordinal) or
        numbers (interval, ratio).

    Returns
    -------
    float
        1 is perfect agreement, 0 agreement at chance level. NaN when fewer than two values are
        pairable or every pairable value is the same (alpha is undefined then).

    Examples
    --------
    >>> import pandas as pd, commissioning as cm
    >>> df = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "coder": list("ababab"), "code": list("xxyyxy")})
    >>> round(cm.krippendorff_alpha(df, unit="unit", coder="coder", value="code"), 3)
    0.444
    """
    if level not in LEVELS:
        raise ParameterError("level", level, allowed=LEVELS)
    df = _pairable(_check(data, unit, coder, value), unit, coder)
    if df.empty:
        return math.nan
    values = df[value]
    if level in ("interval", "ratio"):
        try:
            values = pd.to_numeric(values)
        except (TypeError, ValueError):
            raise ParameterError("level", level, problem=f"needs numeric values in column {value!r}; got e.g. {values.iloc[0]!r}",
                                 allowed="nominal or ordinal for values that are not numbers") from None
        if level == "ratio" and (values < 0).any():
            raise ParameterError("level", level, problem=f"needs values of at least 0 in column {value!r}; got {float(values.min())!r}",
                                 allowed="a level that fits the values (nominal, ordinal or interval)")
    try:
        domain = sorted(values.unique())
    except TypeError:
        if level != "nominal":
            raise ParameterError("level", level, problem=f"needs values that can be ordered in column {value!r}",
                                 allowed="nominal for values without an order") from None
        domain = list(dict.fromkeys(values))
    index = {v: i for i, v in enumerate(domain)}
    k = len(domain)
    codes = values.map(index).to_numpy()
    units = df[unit].to_numpy()
    # coincidence matrix
    o = np.zeros((k, k))
    for _, idx in pd.Series(range(len(units))).groupby(units, sort=False):
        vals = codes[idx.to_numpy()]
        m = len(vals)
        counts = np.bincount(vals, minlength=k).astype(float)
        o += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if k < 2 or n <= 1:
        return math.nan
    d2 = _delta2(level, np.asarray(domain, dtype=object), n_c)
    d_o = (o * d2).sum()
    d_e = (np.outer(n_c, n_c) * d2).sum() / (n - 1)
    if d_e == 0:
        return math.nan
    return float(1 - d_o / d_e)


def _delta2(level, domain, n_c):
    k = len(domain)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "ordinal":
        cum = np.concatenate([[0.0], np.cumsum(n_c)])  # cum[i] = sum of n_g for g < i
        d = np.zeros((k, k))
        for c in range(k):
            for e in range(k):
                lo, hi = min(c, e), max(c, e)
                d[c, e] = (cum[hi + 1] - cum[lo] - (n_c[c] + n_c[e]) / 2) ** 2
        return d
    x = domain.astype(float)
    diff = x[:, None] - x[None, :]
    if level == "interval":
        return diff ** 2
    total = x[:, None] + x[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(total == 0, 0.0, diff / total) ** 2
    return d


def _pairs(df, unit, coder, value):
    """(agreeing pairs, all pairs) over units, pairwise between coders."""
    agree = total = 0
    for _, vals in df.groupby(unit, sort=False)[value]:
        m = len(vals)
        if m < 2:
            continue
        counts = vals.value_counts().to_numpy()
        agree += int((counts * (counts - 1)).sum() // 2)
        total += m * (m - 1) // 2
    return agree, total


def percent_agreement(data: pd.DataFrame, *, unit: str, coder: str, value: str) -> float:
    """Share of coder pairs that gave a unit the same value, over units coded by two coders or more.

    With two coders this is the share of units on which they agree. NaN when no unit is coded
    by two coders.

    Parameters
    ----------
    data : DataFrame
        Long form: one row per unit and coder. Rows with a missing value are ignored.
    unit, coder, value : str
        Column names.

    Returns
    -------
    float
        Agreeing pairs over all pairs of coders of a unit, between 0 and 1 (NaN without pairs).

    Examples
    --------
    >>> import pandas as pd, commissioning as cm
    >>> df = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "coder": list("ababab"), "code": list("xxyyxy")})
    >>> round(cm.percent_agreement(df, unit="unit", coder="coder", value="code"), 3)
    0.667
    """
    df = _check(data, unit, coder, value)
    agree, total = _pairs(df, unit, coder, value)
    return agree / total if total else math.nan


def cohens_kappa(data: pd.DataFrame, *, unit: str, coder: str, value: str) -> float:
    """Cohen's kappa of exactly two coders, over the units both coded.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the observed share of agreement and p_e the
    agreement expected from each coder's own distribution of values. NaN when no unit is
    coded by both or when p_e is 1.

    Parameters
    ----------
    data : DataFrame
        Long form: one row per unit and coder, with exactly two coders. Units that one of them
        did not code, or coded with a missing value, are left out.
    unit, coder, value : str
        Column names.

    Returns
    -------
    float
        Kappa: 1 for perfect agreement, 0 for agreement as by chance, negative below it.

    Raises
    ------
    ParameterError
        When `data` does not have exactly two coders.

    Examples
    --------
    >>> import pandas as pd, commissioning as cm
    >>> df = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "coder": list("ababab"), "code": list("xxyyxy")})
    >>> round(cm.cohens_kappa(df, unit="unit", coder="coder", value="code"), 3)
    0.4
    """
    df = _check(data, unit, coder, value)
    coders = list(dict.fromkeys(df[coder]))
    if len(coders) != 2:
        raise ParameterError("data", problem=f"has {len(coders)} coders" + (f" ({', '.join(map(str, coders))})" if coders else "")
                             + "; Cohen's kappa needs exactly two", allowed="two coders (krippendorff_alpha takes more)")
    wide = df.pivot(index=unit, columns=coder, values=value).dropna()
    if wide.empty:
        return math.nan
    a, b = wide[coders[0]], wide[coders[1]]
    p_o = float((a == b).mean())
    pa, pb = a.value_counts(normalize=True), b.value_counts(normalize=True)
    p_e = float(sum(pa.get(v, 0.0) * pb.get(v, 0.0) for v in set(pa.index) | set(pb.index)))
    if p_e == 1:
        return math.nan
    return (p_o - p_e) / (1 - p_e)


def _units(study):
    """Long table unit/coder/value per variable: ranked sets give one unit per interview and rank."""
    c = study.codings
    rows = c[["interview_id", "coder", "variable", "code", "rank"]].copy()
    rows["unit"] = np.where(rows["rank"] > 0, rows["interview_id"] + "#" + rows["rank"].astype(str), rows["interview_id"])
    return rows


def agreement_table(study) -> pd.DataFrame:
    """Intercoder agreement per variable, over the interviews coded by more than one coder.

    Interviews coded by two coders or more are stored once per coder (``<id>.yaml`` and
    ``<id>.<coder>.yaml``); a variable counts for an interview when at least two coders coded it.
    Nominal and boolean variables use nominal alpha, ordinal variables ordinal alpha on the
    codebook's order. A ranked set (``maturity.top3``) counts each rank of each interview as a
    unit with the aspect as its nominal value.

    Returns
    -------
    DataFrame with columns `variable`, `type`, `level`, `n_units` (interviews, or interview
    ranks for a ranked set, coded by two coders or more), `n_coders`, `alpha`,
    `percent_agreement`, `kappa` (Cohen's, when exactly two coders coded the variable; NaN
    otherwise), in codebook order. Empty when no interview is coded by more than one coder.

    Examples
    --------
    >>> import commissioning as cm
    >>> cm.agreement_table(cm.load_study()).empty   # the shipped data has one coder per interview
    True
    """
    rows = _units(study)
    multi = rows.groupby("interview_id")["coder"].nunique()
    rows = rows[rows["interview_id"].isin(multi[multi > 1].index)]
    out = []
    for var_id, var in study.codebook.variables.items():
        sub = rows[rows["variable"] == var_id]
        sub = _pairable(sub, "unit", "coder")
        if sub.empty:
            continue
        level = "ordinal" if var.type == "ordinal" else "nominal"
        values = sub["code"].map({c: i for i, c in enumerate(var.codes)}) if level == "ordinal" else sub["code"]
        long = pd.DataFrame({"unit": sub["unit"], "coder": sub["coder"], "value": values})
        coders = sorted(long["coder"].unique())
        kappa = cohens_kappa(long, unit="unit", coder="coder", value="value") if len(coders) == 2 else math.nan
        out.append((var_id, var.type, level, int(long["unit"].nunique()), len(coders),
                    krippendorff_alpha(long, unit="unit", coder="coder", value="value", level=level),
                    percent_agreement(long, unit="unit", coder="coder", value="value"), kappa))
    return pd.DataFrame(out, columns=AGREEMENT_COLUMNS)
