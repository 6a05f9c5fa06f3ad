"""What a notebook shows, in one language, with disclosure control when it is published.

A notebook makes one `Report` from its parameters and asks it for everything it shows: the notice
on top, the parameters line, tables of counts by group, notes on imputed values and on what
publishing did. The report knows its language, so the notebook's code is the same in English and
in Dutch, and it knows its disclosure control (`cm.protection`), so a
published table can show only what may be shown.

The texts per language are in `present.texts`, the notices and the provenance of a run in
`present.notices`, the claims in `present.claim_blocks` and the robustness runs in
`present.drawn`; their names stay importable from here.

Examples
--------
>>> import commissioning as cm
>>> r = cm.Report(lang="nl")
>>> r.counts("segment.public_space.investment").value("segment.public_space.investment", "commissioner").text
'18/18 (100%)'
"""

from __future__ import annotations

import pandas as pd

from ..analysis.agreement import agreement_table
from ..analysis.maturity import BOOTSTRAP_MIN_RESPONDENTS, bootstrap_top3
from ..analysis.organisation import fragmentation
from ..analysis.stats import MIN_UNITS as MIN_TEST_UNITS
from ..analysis.stats import adjust_pvalues, association_tests, size_difference_summary
from ..core.checks import check_lang, check_unit
from ..data.publication import for_publication
from ..data.study import load_study
from ..disclosure.protection import protection
from .claim_blocks import _Claims
from .drawn import Drawn
from .notices import Html, _Notices, provenance
from .tables import ALL, CountTable, count_table, mention_table
from .texts import CHAPTERS, HEADERS, TEXT, VERDICT_STYLE, header


class Report(_Notices, _Claims):
    """One notebook's report: its data, selection, unit, language and disclosure control.

    Parameters
    ----------
    data_dir : path, optional
        The data directory (None: the shipped data).
    region, size_class : str, optional
        Filters (codes of the codebook).
    unit : {"municipality", "interview"}
        The default unit of the tables.
    lang : {"en", "nl"}
    publish : bool
        Disclosure control on: respondent fields blanked, groups below `threshold` merged or
        suppressed (see `commissioning.disclosure.protection`).
    threshold : int
        The smallest group of municipalities and of respondents a published report shows.

    Attributes
    ----------
    study : Study
        The selection (with respondent fields blanked when publishing).
    protection : Protection
        What publishing allows to be shown; `protection.study` is the study the tables count on.

    Examples
    --------
    >>> import commissioning as cm
    >>> r = cm.Report(lang="nl", size_class="large")
    >>> r.units_line()
    'Gemeenten: 8, interviews: 11; analyse-eenheid: gemeente (8 eenheden).'
    >>> r.counts("organisation.model").frame().iloc[1, 0]
    '8/8 (100%)'
    >>> cm.Report(publish=True).counts("organisation.model", by="size_class").frame().columns.tolist()
    ['Small', 'Medium', 'Large and very large', 'All']
    """

    def __init__(self, data_dir=None, *, region=None, size_class=None, unit: str = "municipality",
                 lang: str = "en", publish: bool = False, threshold: int = 3):
        self.lang = check_lang(lang)
        self.unit = check_unit(unit)
        self.publish = bool(publish)
        self.threshold = threshold
        self.data_dir = data_dir
        self.loaded = load_study(data_dir)
        study = self.loaded.filter(region=region, size_class=size_class)
        self.protection = protection(study, publish=self.publish, threshold=threshold)
        self.study = for_publication(study) if self.publish else study

    # the texts, the notice and the parameters line: see `present.notices._Notices`;
    # the claims: see `present.claim_blocks._Claims`

    # --- tests ---------------------------------------------------------------------------------------
    def association_tests(self, variables, *, by: str = "size_class", n_resamples: int = 9999, seed: int = 2018):
        """Tests of association of each variable with `by` on the groups the report shows, p-values
        corrected across the variables (Holm, and Benjamini-Hochberg as `p_bh`).

        Returns
        -------
        DataFrame: the columns of `cm.association_tests` and `p_bh`.

        Examples
        --------
        >>> import commissioning as cm
        >>> tests = cm.Report().association_tests(["sourcing.design", "agenda.carrier"], n_resamples=999)
        >>> tests[["variable", "p_value", "p_adjusted", "p_bh", "status"]].round(3).values.tolist()
        [['sourcing.design', 0.522, 1.0, 0.716, 'tested'], ['agenda.carrier', 0.716, 1.0, 0.716, 'tested']]
        """
        tests = association_tests(self.protection.study, variables, by=by, unit=self.unit, method="holm",
                                  n_resamples=n_resamples, seed=seed, lang=self.lang)
        if self.publish:  # a statistic over a suppressed block would undo the suppression
            hidden = [v not in self.fully_shown(tests["variable"], by=by) for v in tests["variable"]]
            if any(hidden):
                hidden = pd.Series(hidden, index=tests.index)
                for col in ("statistic", "p_value", "p_adjusted", "cramers_v", "cramers_v_corrected"):
                    if col in tests.columns:
                        tests.loc[hidden, col] = float("nan")
                tests.loc[hidden, "status"] = "withheld"
                tests.loc[~hidden, "p_adjusted"] = adjust_pvalues(tests.loc[~hidden, "p_value"].to_numpy(),
                                                                  method="holm")
        tests["p_bh"] = adjust_pvalues(tests["p_value"].to_numpy(), method="bh")
        return tests

    def fully_shown(self, variables, *, by: str = "size_class", unit: str | None = None) -> list:
        """The variables (of `variables`, in order) whose every group by `by` is shown at the unit:
        in a published report only these may enter a statistic over the groups.

        Returns
        -------
        list of str
            All of `variables` when the report is not published.

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report(publish=True).fully_shown(["sourcing.design", "structure.tenderboard"])
        ['sourcing.design', 'structure.tenderboard']
        """
        unit = unit or self.unit
        if not self.publish:
            return list(variables)
        groups = [code for code, _, _ in self.protection.groups(by)]
        return [v for v in variables if all(self.protection.shown(v, by, g, unit) for g in groups)
                and self.protection.shown(v, None, ALL, unit)]

    def test_table(self, tests, *, seed: int = 2018):
        """The tests as the report shows them: labels, the test, units and groups, p-values, the
        bias-corrected Cramér's V, and a note, in the report's language.

        Returns
        -------
        DataFrame
            Indexed by the variables' labels, the columns named by `frame`.

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report(lang="nl")
        >>> table = r.test_table(r.association_tests(["sourcing.design"], n_resamples=999))
        >>> table.index.tolist(), table.columns[:4].tolist()
        (['Ontwerp'], ['Toets', 'Eenheden', 'Groepen', 'p-waarde'])
        """
        t = TEXT[self.lang]

        def note(row):
            if row.status == "withheld":
                return t["note_withheld"]
            if row.status != "tested":
                if row.n_groups < 2:
                    return t["note_groups"].format(g=row.n_groups)
                return t["note_units"].format(m=MIN_TEST_UNITS, n=row.n_units)
            if row.test == "Fisher exact":
                return t["note_fisher"]
            if row.test == "none needed":
                return t["note_same"]
            text = t["note_exact"] if row.exact else t["note_monte_carlo"].format(b=row.n_resamples, seed=seed)
            return text.replace(",", ".") if self.lang == "nl" and not row.exact else text

        out = tests.assign(test=tests["test"].map(t["test_names"]), status=tests["status"].map(t["status"]),
                           note=[note(r) for r in tests.itertuples()])
        cols = ["label", "test", "n_units", "n_groups", "p_value", "p_adjusted", "p_bh", "cramers_v_corrected",
                "status", "note"]
        return self.frame(out[cols].set_index("label").round(3).rename_axis(None))

    def size_summary(self, tests) -> str:
        """The computed paragraph on the study's statement that size hardly matters (section 2.1).

        Returns
        -------
        str
            Over the variables of `tests` whose every size class the report shows.

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> print(r.size_summary(r.association_tests(["sourcing.design", "sourcing.execution"], n_resamples=999)))
        The study states (section 2.1) that large and small municipalities ... Pooled over the 2 activities, ...
        """
        shown = self.fully_shown(tests["variable"], by="size_class")
        return size_difference_summary(self.study, unit=self.unit, method="holm", lang=self.lang,
                                       tests=tests[tests["variable"].isin(shown)], variables=shown)

    # --- fragmentation and maturity -----------------------------------------------------------------
    def fragmentation(self, *, n_permutations: int = 2000, seed: int = 2018):
        """`cm.fragmentation` of the selection with the p-values corrected across the variables
        (Holm) as `p_adjusted`.

        Returns
        -------
        DataFrame
            One row per variable; in a published report the counts and p-value of a variable
            over fewer municipalities than the threshold are left out (NaN).

        Examples
        --------
        >>> import commissioning as cm
        >>> frag = cm.Report().fragmentation(n_permutations=200)
        >>> row = frag.iloc[0]
        >>> row.variable, int(row.n_municipalities), float(row.p_adjusted)
        ('sourcing.strategy', 5, 1.0)
        """
        frag = fragmentation(self.study, n_permutations=n_permutations, seed=seed, lang=self.lang)
        if len(frag) and self.publish:  # how often the respondents of a few municipalities differ is theirs
            few = frag["n_municipalities"] < self.threshold
            for col in ("n_differ", "share_differ", "expected_share", "p_value"):
                if col in frag.columns:
                    frag.loc[few, col] = float("nan")
        if len(frag):
            frag["p_adjusted"] = adjust_pvalues(frag["p_value"].to_numpy(), method="holm")
        return frag

    def agreement(self):
        """`cm.agreement_table` of the selection; in a published report the agreement over fewer
        interviews than the threshold is left out (NaN).

        Returns
        -------
        DataFrame
            No rows when no interview has a second coder (as in the shipped data).

        Examples
        --------
        >>> import commissioning as cm
        >>> table = cm.Report().agreement()
        >>> len(table), table.columns.tolist()
        (0, ['variable', 'type', 'level', 'n_units', 'n_coders', 'alpha', 'percent_agreement', 'kappa'])
        """
        table = agreement_table(self.study)
        if len(table) and self.publish:
            few = table["n_units"] < self.threshold
            for col in ("alpha", "percent_agreement", "kappa"):
                table.loc[few, col] = float("nan")
        return table

    def mentions(self, *, by=None) -> CountTable:
        """Mentions of the maturity aspects, overall or by group (see `present.mention_table`).

        Returns
        -------
        CountTable
            With the share of imputed values and, by group in a published report, what publishing
            did as notes.

        Examples
        --------
        >>> import commissioning as cm
        >>> table = cm.Report().mentions(by="rank")
        >>> [label for _, label in table.groups], table.value("maturity.top3", "people_competences", "1").text
        (['First', 'Second', 'Third', 'All'], '5/24 (21%)')
        """
        table = mention_table(self.study, by=by, lang=self.lang, protection=self.protection)
        table.notes = [n for n in (self.imputed_note("maturity.top3"),
                                   self.protection_note() if (by not in (None, "rank") and self.publish) else "") if n]
        return table

    def bootstrap(self, *, n_resamples: int = 2000, seed: int = 2018):
        """`cm.bootstrap_top3` of the selection, or None when it has too few respondents.

        Returns
        -------
        Top3Bootstrap or None

        Examples
        --------
        >>> import commissioning as cm
        >>> boot = cm.Report().bootstrap(n_resamples=200)
        >>> boot.n_respondents, boot.shares["aspect"][0], cm.Report(size_class="small").bootstrap()
        (24, 'people_competences', None)
        """
        if self.study.n_interviews < BOOTSTRAP_MIN_RESPONDENTS:
            return None
        return bootstrap_top3(self.study, n_resamples=n_resamples, seed=seed, lang=self.lang)

    def bootstrap_table(self, boot):
        """The bootstrap's shares as a table: mentions, printed share, interval and the
        probability of the top five, in percent.

        Returns
        -------
        DataFrame
            Indexed by the aspects' labels.

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> table = r.bootstrap_table(r.bootstrap(n_resamples=200))
        >>> table.columns.tolist()
        ['n_mentions', 'share_printed', 'ci_low', 'ci_high', 'rank', 'p_top5']
        >>> table.loc["People and competences"].tolist()
        [15.0, 21.0, 15.2, 27.8, 1.0, 99.0]
        """
        table = boot.shares.set_index("label")[["n_mentions", "share_printed", "ci_low", "ci_high", "rank", "p_top5"]]
        for col in ("ci_low", "ci_high", "p_top5"):
            table[col] = (100 * table[col]).round(1)
        return table.rename_axis(None)

    def robustness(self, n_seeds: int = 30):
        """The reconstruction drawn for seeds 1..n_seeds and what moves between the draws (see
        `commissioning.reconstruct.robustness`); on data that is not a reconstruction, nothing is drawn.

        Returns
        -------
        Drawn

        Examples
        --------
        >>> import commissioning as cm
        >>> drawn = cm.Report().robustness(1)  # one reconstruction: a few seconds
        >>> drawn.applies, drawn.verdicts.seed.unique().tolist()
        (True, [1])
        """
        return Drawn(self, n_seeds)

    # --- tables ----------------------------------------------------------------------------------
    def frame(self, df):
        """`df` with its column and index names as headers in the report's language (and, in Dutch,
        decimal commas).

        Returns
        -------
        DataFrame
            A new frame; `df` is unchanged.

        Examples
        --------
        >>> import pandas as pd, commissioning as cm
        >>> df = pd.DataFrame({"n_units": [3], "share": [0.25]})
        >>> cm.Report().frame(df).columns.tolist(), cm.Report(lang="nl").frame(df).values.tolist()
        (['Units', 'Share'], [[3, '0,25']])
        """
        out = df.rename(columns=lambda c: header(c, self.lang))
        if self.lang == "nl":
            for col in out.columns:
                if out[col].dtype.kind == "f":
                    out[col] = [("" if x != x else f"{x:g}".replace(".", ",")) for x in out[col]]
        if out.index.names and any(n is not None for n in out.index.names):
            out.index = out.index.set_names([header(n, self.lang) if n is not None else None
                                             for n in out.index.names])
        return out

    def counts(self, variables, *, by=None, unit: str | None = None, codes=None, label: str = "both",
               notes: bool = True) -> CountTable:
        """Counts of codes by group as the report shows them (see `present.count_table`), with the
        share of imputed values and, by group, what publishing did as notes.

        Returns
        -------
        CountTable

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().counts("structure.tenderboard")
                                  All
        Tenderboard: Yes    1/18 (6%)
        Tenderboard: No   17/18 (94%)
        Share of imputed values behind this table: 100%.
        """
        unit = check_unit(unit or self.unit)
        names = [variables] if isinstance(variables, str) else list(variables)
        per_municipality = ""
        if self.publish and unit == "interview" and not any(self.study.codebook.variables[v].per_interview
                                                             for v in names):
            # counted per interview, a municipality's value is weighted by its (public) number of
            # interviews, which gives a municipality with several interviews away
            unit, per_municipality = "municipality", self.t("per_municipality")
        table = count_table(self.study, variables, by=by, unit=unit, codes=codes, lang=self.lang,
                            protection=self.protection, label=label)
        if notes:
            table.notes = [n for n in (self.imputed_note(variables), per_municipality,
                                       self.protection_note() if (by is not None and self.publish) else "") if n]
        return table


__all__ = ["ALL", "CHAPTERS", "CountTable", "Drawn", "HEADERS", "Html", "MIN_TEST_UNITS", "Report", "TEXT",
           "VERDICT_STYLE", "count_table", "header", "provenance"]
