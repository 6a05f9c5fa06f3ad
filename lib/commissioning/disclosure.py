"""Publishing safeguards: published reports never show a respondent or one interview's answers.

In publish mode (`publish=True`, the default of `make reports`):

- `for_publication` blanks the respondent role, the file name and the free-text notes of every
  interview and replaces coder names by "coder 1", "coder 2", ... (kept apart, so that
  double codings still count once per coder), so that no later table can show them;
- `protect` hides the rows of a subgroup table whose group holds fewer than
  `MIN_MUNICIPALITIES` municipalities, and says so in a `disclosure` column.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .codebook import check_lang
from .errors import ParameterError

MIN_MUNICIPALITIES = 3  # the common threshold rule: a subgroup shown must hold three or more
HIDDEN_FIELDS = ("respondent_role", "coder", "file", "notes")
_TEXT = {
    "en": "hidden: fewer than {m} municipalities",
    "nl": "verborgen: minder dan {m} gemeenten",
}


def for_publication(study):
    """The study with respondent roles, file names and notes blanked and coders pseudonymised.

    Coders become "coder 1", "coder 2", ... in alphabetical order of their names, so analyses
    that take the first coder of an interview give the same result as before.

    Examples
    --------
    >>> import commissioning as cm
    >>> s = cm.for_publication(cm.load_study())
    >>> set(s.interviews.respondent_role), set(s.interviews.coder)
    ({''}, {'coder 1'})
    """
    pseudonym = pseudonyms(study)
    interviews = study.interviews.copy()
    for col in HIDDEN_FIELDS:
        if col == "coder":
            interviews[col] = interviews[col].map(pseudonym)
        elif col in interviews:
            interviews[col] = ""
    codings = study.codings.copy()
    codings["coder"] = codings["coder"].map(pseudonym)
    return replace(study, interviews=interviews, codings=codings)


def pseudonyms(study) -> dict[str, str]:
    """The pseudonym `for_publication` gives each coder of `study`: "coder 1", "coder 2", ... in
    alphabetical order of their names.

    Examples
    --------
    >>> import commissioning as cm
    >>> pseudonyms(cm.load_study())
    {'reconstruction': 'coder 1'}
    """
    names = sorted(set(study.interviews.coder) | set(study.codings.coder))
    return {name: f"coder {i}" for i, name in enumerate(names, 1)}


def municipalities_per_group(study, by: str) -> pd.Series:
    """Number of municipalities per code of the attribute `by` (size_class or region)."""
    if by not in ("size_class", "region"):
        raise ParameterError(f"by: {by!r} is not allowed; allowed: size_class, region")
    codes = study.codebook.attributes[by].code_list
    return study.municipalities.groupby(by).size().reindex(codes, fill_value=0)


ALL_GROUPS = ("all", "All", "Alle")  # a column or row for the whole selection is never a subgroup


def _group_codes(study, by: str, values) -> list[str]:
    attr = study.codebook.attributes[by]
    to_code = {c: c for c in attr.codes}
    to_code.update({attr.codes[c][lg]: c for c in attr.codes for lg in ("en", "nl")})
    # a missing group (a row of a combined evidence table that is not by group) is not a subgroup
    return ["all" if v is None or v != v else v if v in ALL_GROUPS else to_code.get(v, v) for v in values]


def _hidden(study, by: str, codes, minimum: int) -> list[bool]:
    counts = municipalities_per_group(study, by)
    unknown = sorted({c for c in codes if c not in counts.index and c not in ALL_GROUPS})
    if unknown:
        raise ParameterError(f"{by}: {unknown} are not {by} codes or labels; allowed: {', '.join(counts.index)}")
    return [c not in ALL_GROUPS and counts[c] < minimum for c in codes]


def protect(table: pd.DataFrame, study, *, by: str, column: str | None = None, publish: bool = True,
            minimum: int = MIN_MUNICIPALITIES, lang: str = "en") -> pd.DataFrame:
    """Hide the rows of a subgroup table whose group has fewer than `minimum` municipalities.

    Parameters
    ----------
    table : DataFrame
        A table with one group of `by` per row (or several rows per group).
    by : {"size_class", "region"}
        The municipality attribute that defines the groups.
    column : str, optional
        The column (or index level) holding the group, as a code or as a label in either
        language; default `by`.
    publish : bool
        When False the table is returned unchanged.

    Returns
    -------
    DataFrame
        A copy in which every numeric value of a hidden group is missing, with a `disclosure`
        column saying why (empty for rows shown).

    Examples
    --------
    >>> import commissioning as cm
    >>> s = cm.load_study()
    >>> t = cm.crosstab(s, "organisation.model", by="size_class")
    >>> p = cm.protect(t, s, by="size_class")
    >>> bool(p[p.size_class == "very_large"].n.isna().all())
    True
    """
    check_lang(lang)
    if not publish:
        return table
    column = column or by
    municipalities_per_group(study, by)  # checks `by`
    out = table.copy()
    in_index = column not in out.columns and column in (out.index.names or [])
    values = out.index.get_level_values(column) if in_index else out[column] if column in out else None
    if values is None:
        raise ParameterError(f"column {column!r} is not in the table; columns: {', '.join(map(str, out.columns))}")
    hidden = pd.Series(_hidden(study, by, _group_codes(study, by, values), minimum), index=out.index)
    numeric = out.select_dtypes(include=[np.number, "bool"]).columns
    out[numeric] = out[numeric].astype("float64")
    out.loc[hidden, numeric] = np.nan
    out["disclosure"] = np.where(hidden, _TEXT[lang].format(m=minimum), "")
    return out


def protect_columns(table: pd.DataFrame, study, *, by: str, publish: bool = True,
                    minimum: int = MIN_MUNICIPALITIES, lang: str = "en") -> pd.DataFrame:
    """Like `protect` for a wide table whose columns are the groups (codes or labels of `by`):
    the columns of groups under `minimum` municipalities are emptied. A column for the whole
    selection ("All") is kept.

    Returns
    -------
    DataFrame, a copy with the hidden columns' values missing.
    """
    check_lang(lang)
    if not publish:
        return table
    out = table.copy()
    for col, hide in zip(out.columns, _hidden(study, by, _group_codes(study, by, out.columns), minimum)):
        if hide:
            out[col] = pd.Series(pd.NA, index=out.index, dtype=out[col].dtype if str(out[col].dtype) == "Int64" else "object")
    return out


def protect_evidence(table: pd.DataFrame, study, *, publish: bool = True, minimum: int = MIN_MUNICIPALITIES,
                     lang: str = "en") -> pd.DataFrame:
    """A claim's evidence table made fit to publish: rows about single municipalities are left
    out, rows by size class or region are protected as by `protect`."""
    check_lang(lang)
    if not publish or table is None or table.empty:
        return table
    if "municipality" in table.columns:
        return pd.DataFrame({"disclosure": [{"en": "per-municipality evidence is not published",
                                             "nl": "bewijs per gemeente wordt niet gepubliceerd"}[lang]]})
    for by in ("size_class", "region"):
        if by in table.columns:
            return protect(table, study, by=by, publish=True, minimum=minimum, lang=lang)
    return table


def disclosure_note(study, *, by: str, publish: bool, minimum: int = MIN_MUNICIPALITIES, lang: str = "en") -> str:
    """One sentence for the report: which groups a published table hides, and why."""
    check_lang(lang)
    if not publish:
        return {"en": "Not in publish mode: every group is shown, however small.",
                "nl": "Niet in publicatiemodus: elke groep wordt getoond, hoe klein ook."}[lang]
    counts = municipalities_per_group(study, by)
    attr = study.codebook.attributes[by]
    small = [f"{attr.codes[c][lang]} ({n})" for c, n in counts.items() if 0 < n < minimum]
    if lang == "nl":
        head = f"Publicatiemodus: groepen met minder dan {minimum} gemeenten worden verborgen"
        return head + (": " + ", ".join(small) + "." if small else "; geen groep valt daaronder.")
    head = f"Publish mode: groups with fewer than {minimum} municipalities are hidden"
    return head + (": " + ", ".join(small) + "." if small else "; no group falls below it.")


class _Unprotected:
    """Every group shown (placeholder until the disclosure engine lands)."""

    def __init__(self, study, publish, threshold):
        self.study, self.original, self.publish, self.threshold = study, study, publish, threshold
        self.log = []

    def groups(self, by):
        attr = self.study.codebook.attributes[by]
        present = set(self.study.municipalities[by])
        return [(c, attr.codes[c]["en"], attr.codes[c]["nl"]) for c in attr.code_list if c in present]

    def shown(self, variable, by, group, unit):
        return True

    def note(self, lang="en"):
        return ""

    def withheld(self, claim):
        return None


def protection(study, *, publish: bool, threshold: int = MIN_MUNICIPALITIES):
    """Placeholder: what publishing allows to be shown."""
    return _Unprotected(study, publish, threshold)
