"""Organisation, steering and agenda (chapters 3 and 4.1 of the study), and fragmentation.

Organisation variables (the model, the structures, the policy, the networks) are facts about a
municipality: they are counted once per municipality. The agenda variables of section 4.1 are a
respondent's view: they are counted once per interview. When an interview was coded by several
coders, the first coder in alphabetical order is used.

Fragmentation asks how often respondents of the same municipality give different answers, and
compares that with chance: the same codes dealt out to the interviews at random.
"""

from __future__ import annotations

import zlib
from fractions import Fraction
from math import comb

import numpy as np
import pandas as pd

from ..core import check_lang, memoize, percent_half_up
from .units import disagreement, unit_values
from ..errors import ParameterError
from .maturity import ALL_LABEL
from .resampling import differ_counts, group_positions

UNITS = ("municipality", "interview")
SHARE_COLUMNS = ["variable", "variable_label", "unit", "size_class", "group", "code", "label", "n", "n_total", "share"]
FRAGMENTATION_COLUMNS = ["variable", "label", "theme", "n_municipalities", "n_differ", "share_differ",
                         "expected_share", "mean_permuted", "p_value", "n_permutations"]


def structure_variables(study) -> list[str]:
    """The organisational structures: every `structure.*` variable and the central procurement unit.

    Returns
    -------
    list of str
        Variable ids, in codebook order.

    Examples
    --------
    >>> import commissioning as cm
    >>> variables = structure_variables(cm.load_study())
    >>> variables[0], len(variables)
    ('structure.engineering_bureau', 8)
    """
    found = [v for v in study.codebook.variables if v.startswith("structure.")]
    if "procurement.central_unit" in study.codebook.variables:
        found.append("procurement.central_unit")
    return found


def _variables(study, variables) -> list[str]:
    variables = [variables] if isinstance(variables, str) else list(variables)
    if not variables:
        raise ParameterError("variables", problem="an empty list is not allowed", allowed="one or more variable ids")
    for v in variables:
        var = study.codebook.variable(v)
        if v not in study.codebook.variables:
            raise ParameterError("variables", v, problem="is a municipality attribute, not a coded variable", allowed="coded variables")
        if var.type == "ranked_set":
            raise ParameterError("variables", v, problem="is a ranked set, which has no shares per code (see top3_mentions)",
                                 allowed="variables with one code per unit")
    return variables


def _size_groups(study, lang):
    cb = study.codebook
    present = set(study.municipalities.size_class)
    groups = [(c, cb.code_label("size_class", c, lang)) for c in list(cb.attributes["size_class"].codes)[::-1]
              if c in present]
    return groups + [("all", ALL_LABEL[lang])]


def shares_by_size_class(study, variables, *, unit: str | None = None, lang: str = "en") -> pd.DataFrame:
    """Codes of one or more variables by size class, with a column for the whole selection.

    Parameters
    ----------
    study : Study
    variables : str or list of str
        Variable ids of the codebook (not a ranked set).
    unit : {None, "municipality", "interview"}
        What is counted. None: per municipality for variables coded per municipality
        (per_interview: false), per interview otherwise. Per municipality, a variable coded per
        interview is first aggregated with `cm.aggregate`'s rule.
    lang : {"en", "nl"}

    Returns
    -------
    DataFrame with columns `variable`, `variable_label`, `unit`, `size_class` (code, or "all"),
    `group` (its label), `code`, `label`, `n`, `n_total` (units with a code for the variable in
    the group), `share` (n / n_total; NaN when n_total is 0). Every code of the codebook is
    listed in every group, size classes from the largest down, the whole selection last.

    Examples
    --------
    >>> import commissioning as cm
    >>> t = cm.shares_by_size_class(cm.load_study(), "organisation.model")
    >>> t[(t.size_class == "very_large") & (t.n > 0)][["code", "n", "n_total"]].values.tolist()
    [['sector', 2, 2]]
    """
    check_lang(lang)
    if unit is not None and unit not in UNITS:
        raise ParameterError("unit", unit, allowed="municipality, interview")
    cb = study.codebook
    groups = _size_groups(study, lang)
    rows = []
    for var_id in _variables(study, variables):
        var = cb.variables[var_id]
        var_unit = unit or ("interview" if var.per_interview else "municipality")
        data = unit_values(study, var_id, unit=var_unit)[["size_class", "code"]]
        for size, group in groups:
            sub = data if size == "all" else data[data.size_class == size]
            counts = sub.code.value_counts()
            total = len(sub)
            for code in var.code_list:
                n = int(counts.get(code, 0))
                rows.append((var_id, var.label[lang], var_unit, size, group, code, var.codes[code][lang], n, total,
                             n / total if total else float("nan")))
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def structures_by_size_class(study, *, lang: str = "en") -> pd.DataFrame:
    """Share of municipalities with each organisational structure, by size class.

    The structures are the `structure.*` variables (engineering bureau, project bureau,
    real-estate company, tenderboard, commissioning council, organisations shared with
    neighbours) and the central procurement unit; each is counted once per municipality.

    Returns
    -------
    DataFrame with columns `variable`, `label` (the structure), `size_class` (code, or "all"),
    `group`, `n_yes`, `n_total`, `share`.

    Examples
    --------
    >>> import commissioning as cm
    >>> t = cm.structures_by_size_class(cm.load_study())
    >>> int(t[t.size_class == "all"].n_total.max())
    18
    """
    t = shares_by_size_class(study, structure_variables(study), unit="municipality", lang=lang)
    t = t[t.code == "yes"]
    out = t.rename(columns={"n": "n_yes"})[["variable", "variable_label", "size_class", "group", "n_yes", "n_total", "share"]]
    return out.rename(columns={"variable_label": "label"}).reset_index(drop=True)


def display_table(table: pd.DataFrame, *, index="label", count: str | None = None) -> pd.DataFrame:
    """A wide, readable view of a table by size class: cells "n/N (p%)".

    Parameters
    ----------
    table : DataFrame
        The output of `shares_by_size_class` or `structures_by_size_class`.
    index : str or list of str
        The column(s) whose values become the rows (order kept), e.g.
        ``["variable_label", "label"]`` for a table of several variables.
    count : str, optional
        The count column (`n` or `n_yes`; found when not given).

    Returns
    -------
    DataFrame indexed (without index names) by the values of `index`, one column per group (size classes from
    the largest down, the whole selection last); each cell reads "n/N (p%)", the percentage
    rounded half up as the study prints it, "-" when the group has no unit, or the
    disclosure note when publishing withholds the group.

    Examples
    --------
    >>> import commissioning as cm
    >>> table = shares_by_size_class(cm.load_study(), ["portfolio.overview"])
    >>> display_table(table).iloc[0].tolist()
    ['1/4 (25%)', '7/11 (64%)', '2/6 (33%)', '1/3 (33%)', '11/24 (46%)']
    """
    count = count or ("n_yes" if "n_yes" in table.columns else "n")
    keys = [index] if isinstance(index, str) else list(index)
    for col in (*keys, count, "group", "n_total"):
        if col not in table.columns:
            raise ParameterError("table", problem=f"lacks the column {col!r}", allowed="a table from shares_by_size_class or structures_by_size_class")
    row_keys = list(zip(*(table[k] for k in keys)))
    rows = list(dict.fromkeys(row_keys))
    cols = list(dict.fromkeys(table["group"]))
    cells = {c: {} for c in cols}
    hidden = table["disclosure"] if "disclosure" in table.columns else pd.Series("", index=table.index)
    for key, group, n, total, note in zip(row_keys, table["group"], table[count], table["n_total"], hidden):
        if note:  # hidden by disclosure control (see cm.protect)
            cells[group][key] = note
            continue
        n, total = int(n), int(total)
        cells[group][key] = f"{n}/{total} ({percent_half_up(n, total)}%)" if total else "-"
    data = {c: [cells[c].get(r, "") for r in rows] for c in cols}
    if len(keys) == 1:
        out = pd.DataFrame(data, index=pd.Index([r[0] for r in rows]))
    else:
        out = pd.DataFrame(data, index=pd.MultiIndex.from_tuples(rows))
    return out  # unnamed index: the row labels speak for themselves in a report


# --- fragmentation -------------------------------------------------------------------------

def chance_share(codes: list[str], sizes: list[int]) -> float:
    """Exact expected share of groups of the given sizes that differ, when `codes` are dealt out at random."""
    n = len(codes)
    counts = pd.Series(codes).value_counts().tolist()
    total = Fraction(0)
    for k in sizes:
        same = sum(Fraction(comb(c, k), comb(n, k)) for c in counts)
        total += 1 - same
    return float(total / len(sizes))


def fragmentation(study, variables=None, *, n_permutations: int = 2000, seed: int = 2018,
                  lang: str = "en") -> pd.DataFrame:
    """How often respondents of the same municipality answer differently, against chance.

    Only municipalities with several interviews count. Per variable, the observed share of
    them whose interviews do not all agree (from `cm.disagreement`) is compared with the share
    expected when the same codes are dealt out to the interviews at random: the codes of that
    variable are shuffled across all interviews of the selection (a permutation; municipalities
    keep their number of interviews), `n_permutations` times with a numpy Generator seeded
    from `seed` and the variable id, so each variable's result does not depend on the others.

    Parameters
    ----------
    study : Study
    variables : str or list of str, optional
        Default: every variable coded per interview that is not a ranked set (variables coded
        per municipality agree by construction).
    n_permutations : int
        At least 100.
    seed : int
    lang : {"en", "nl"}

    Returns
    -------
    DataFrame with columns `variable`, `label`, `theme`, `n_municipalities` (with several
    interviews coding the variable), `n_differ`, `share_differ` (observed), `expected_share`
    (the exact mean under random assignment), `mean_permuted` (the mean over the permutations),
    `p_value` (one-sided: the chance under random assignment of a share as low as or lower than
    observed, (1 + count) / (1 + n_permutations); a small value means respondents of the same
    municipality agree more than chance, a value near 1 that they differ as often as randomly
    paired respondents), `n_permutations`. Empty when no municipality has several interviews.

    Examples
    --------
    >>> import commissioning as cm
    >>> f = cm.fragmentation(cm.load_study(), "portfolio.overview", n_permutations=200)
    >>> int(f.n_municipalities.iat[0])
    5
    """
    check_lang(lang)
    if not isinstance(n_permutations, (int, np.integer)) or n_permutations < 100:
        raise ParameterError("n_permutations", n_permutations, allowed="a whole number of at least 100")
    cb = study.codebook
    if variables is None:
        variables = [v.id for v in cb.variables.values() if v.per_interview and v.type != "ranked_set"]
    else:
        variables = _variables(study, variables)
    rows = _fragmentation_rows(study, variables, n_permutations=int(n_permutations), seed=seed)
    return pd.DataFrame([(var_id, cb.variables[var_id].label[lang], cb.variables[var_id].theme, *rest)
                         for var_id, *rest in rows], columns=FRAGMENTATION_COLUMNS)


def _fragmentation_rows(study, variables, *, n_permutations: int, seed: int) -> list[tuple]:
    """The permutations of `fragmentation`, the same in every language: per variable with data, a tuple
    (variable, n_municipalities, n_differ, share_differ, expected_share, mean_permuted, p_value,
    n_permutations)."""
    rows = []
    for var_id, n_munis, n_differ, expected, differ in _fragmentation_draws(study, variables,
                                                                           n_permutations=n_permutations, seed=seed):
        perm_share = differ / n_munis
        share = n_differ / n_munis
        p_value = (1 + int((perm_share <= share + 1e-12).sum())) / (1 + int(n_permutations))
        rows.append((var_id, n_munis, n_differ, share, expected, float(perm_share.mean()), p_value,
                     int(n_permutations)))
    return rows


@memoize
def _fragmentation_draws(study, variables, *, n_permutations: int, seed: int) -> list[tuple]:
    """Per variable with data: (variable, municipalities with several interviews, how many of them
    differ, the exact expected number's share, the number that differ in each permutation)."""
    cb = study.codebook
    observed = disagreement(study, variables) if len(study.codings) else None
    out = []
    for var_id in variables:
        var = cb.variables[var_id]
        obs = observed[observed.variable == var_id] if observed is not None else pd.DataFrame()
        if not len(obs):
            continue
        cod = unit_values(study, var_id, unit="interview")  # one coder per interview, as everywhere
        codes = cod.code.to_numpy()
        index = {c: i for i, c in enumerate(var.code_list)}
        as_int = np.array([index[c] for c in codes], dtype=np.int64)
        positions = group_positions(cod.municipality.to_numpy(), obs.municipality)
        rng = np.random.default_rng([int(seed), zlib.crc32(var_id.encode())])
        differ = differ_counts(as_int, positions, int(n_permutations), rng)
        out.append((var_id, len(obs), int(obs.differs.sum()),
                    chance_share(list(codes), [len(p) for p in positions]), differ))
    return out


THEME_COLUMNS = ["variable", "variables", "label", "theme", "n_municipalities", "n_pairs", "n_differ",
                 "share_differ", "expected_share", "mean_permuted", "p_value", "n_permutations"]


def fragmentation_by_theme(study, variables=None, *, n_permutations: int = 2000, seed: int = 2018,
                           lang: str = "en") -> pd.DataFrame:
    """`fragmentation` pooled over the variables of each theme: of every pair of a municipality
    with several interviews and a variable of the theme, how many differ, against chance.

    The permutations are `fragmentation`'s own (each variable shuffled on its own, with its own
    seed), added up per theme, so the pooled p-value is that of the pooled count under the same
    null model. Pooled over a theme, the count says nothing of a single municipality and variable
    unless none or all differ (a published report withholds those, `Report.fragmentation`).

    Parameters
    ----------
    study : Study
    variables : str or list of str, optional
        As in `fragmentation`.
    n_permutations : int
        At least 100.
    seed : int
    lang : {"en", "nl"}
        Language of `label` (the theme's name).

    Returns
    -------
    DataFrame with columns `variable` (the theme), `variables` (its variables with data),
    `label`, `theme`, `n_municipalities` (with several interviews, in any of them), `n_pairs`
    (municipality x variable), `n_differ`, `share_differ`, `expected_share`, `mean_permuted`,
    `p_value` (one-sided, as in `fragmentation`), `n_permutations`; one row per theme with data.

    Examples
    --------
    >>> import commissioning as cm
    >>> themes = fragmentation_by_theme(cm.load_study(), n_permutations=200)
    >>> themes.theme.tolist()[:2], int(themes.n_pairs.iloc[0]) == 5 * len(themes.variables.iloc[0])
    (['activities', 'portfolio'], True)
    """
    check_lang(lang)
    if not isinstance(n_permutations, (int, np.integer)) or n_permutations < 100:
        raise ParameterError("n_permutations", n_permutations, allowed="a whole number of at least 100")
    cb = study.codebook
    if variables is None:
        variables = [v.id for v in cb.variables.values() if v.per_interview and v.type != "ranked_set"]
    else:
        variables = _variables(study, variables)
    draws = _fragmentation_draws(study, variables, n_permutations=int(n_permutations), seed=seed)
    observed = disagreement(study, variables) if len(study.codings) else None
    rows = []
    for theme in dict.fromkeys(cb.variables[d[0]].theme for d in draws):
        part = [d for d in draws if cb.variables[d[0]].theme == theme]
        pairs = sum(d[1] for d in part)
        n_differ = sum(d[2] for d in part)
        differ = np.sum([d[4] for d in part], axis=0)
        expected = sum(d[3] * d[1] for d in part) / pairs
        munis = observed[observed.variable.isin([d[0] for d in part])].municipality.nunique()
        p_value = (1 + int((differ <= n_differ).sum())) / (1 + int(n_permutations))
        rows.append((theme, [d[0] for d in part], cb.theme_label(theme, lang), theme, int(munis), pairs, n_differ,
                     n_differ / pairs, expected, float(differ.mean() / pairs), p_value, int(n_permutations)))
    return pd.DataFrame(rows, columns=THEME_COLUMNS)
