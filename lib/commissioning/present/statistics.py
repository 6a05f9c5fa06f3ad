"""The statistics of a report: tests of association, the size comparison, fragmentation, agreement
and the bootstrap, each computed from the report's protected study and marked up with what it
rests on (`present.sentence.stat_attributes`) for the auditor of published pages.

`StatisticsMixin` holds these methods of `Report` (see `present.report`); they read its `study`,
`protection`, `publish`, `threshold`, `unit` and `lang`, and its `frame`.

Examples
--------
>>> import commissioning as cm
>>> r = cm.Report(publish=True)
>>> r.test_table(r.association_tests(["sourcing.design"], n_resamples=999)).cm_kind
'stats'
"""

from __future__ import annotations

import html

import pandas as pd

from ..analysis import (
    adjust_pvalues, agreement_table, association_tests, BOOTSTRAP_MIN_RESPONDENTS, bootstrap_top3, crosstab,
    fragmentation, fragmentation_by_theme, MIN_UNITS as MIN_TEST_UNITS, size_difference_summary,
)
from ..core import thousands
from .notices import Html
from .sentence import Num, stat_attributes
from .tables import ALL
from .texts import TEXT


class StatisticsMixin:
    """The methods of `Report` that compute and show statistics."""

    def statistic_cells(self, variable: str, *, by, unit: str | None = None) -> list:
        """The count cells (`Num`) of every shown group and code of `variable` by `by`: what a
        statistic over those groups is computed from, for the auditor."""
        unit = unit or self.unit
        tab = crosstab(self.study, variable, by=by, unit=unit)
        key = by if by is not None else None
        out = []
        for group, part in (tab.groupby(key, sort=False) if key else [(ALL, tab)]):
            n = int(part["n_total"].iat[0]) if len(part) else 0
            for code, k in zip(part["code"], part["n"]):
                out.append(Num(int(k), n, variable, (code,), unit, by or "none", str(group)))
        return out

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
        [['sourcing.design', 0.477, 0.544, 0.477, 'tested'], ['agenda.carrier', 0.272, 0.544, 0.477, 'tested']]
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
        if self.publish:  # whether a hidden group has units with a value is its own
            for col in ("n_units", "n_groups", "n_codes"):
                tests[col] = tests[col].astype(float)
                tests.loc[tests["status"] == "withheld", col] = float("nan")
        tests.attrs["by"] = by
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
        ['structure.tenderboard']
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
        (['Ontwerp'], ['Toets', 'Gemeenten', 'Groepen', 'p-waarde'])
        >>> table.index.name
        'Variabele'
        """
        t = TEXT[self.lang]
        units = t["unit_many"][self.unit]

        def note(row):
            if row.status == "withheld":
                return t["note_withheld"]
            if row.status != "tested":
                if row.n_groups < 2:
                    return t["note_groups"].format(g=row.n_groups)
                return t["note_units"].format(m=MIN_TEST_UNITS, n=row.n_units, units=units)
            if row.test == "Fisher exact":
                return t["note_fisher"]
            if row.test == "none needed":
                return t["note_same"].format(units=units)
            if row.exact:
                return t["note_exact"]
            return t["note_monte_carlo"].format(b=thousands(row.n_resamples, self.lang), seed=seed)

        needless = tests["test"] == "none needed"  # every unit has the same code: p = 1 says nothing
        out = tests.assign(test=tests["test"].map(t["test_names"]),
                           status=tests["status"].where(~needless, "not needed").map(t["status"]),
                           note=[note(r) for r in tests.itertuples()])
        for col in ("p_value", "p_adjusted", "p_bh", "cramers_v_corrected"):
            out.loc[needless, col] = float("nan")
        unit_column = "n_municipalities" if self.unit == "municipality" else "n_respondents"
        cols = ["label", "test", "n_units", "n_groups", "p_value", "p_adjusted", "p_bh", "cramers_v_corrected",
                "status", "note"]
        by = tests.attrs.get("by", "size_class")
        # each row is computed from its variable's table by the groups shown (corrections: from all rows')
        cells = [self.statistic_cells(v, by=by) if status != "withheld" else []
                 for v, status in zip(tests["variable"], tests["status"])]
        # each row's p-value rests on its variable's table; the corrected ones on the tables of every row
        rows = [stat_attributes("table", row_cells, (("measure", "p"), ("value", f"{p:.3f}")))
                if status != "withheld" and p == p else stat_attributes("table", row_cells)
                for row_cells, status, p in zip(cells, tests["status"], tests["p_value"])]
        out = out[cols].rename(columns={"n_units": unit_column, "label": "variable"}).set_index("variable")
        return self.frame(out.round(3), kind="stats", rows=rows)

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
        The study states (section 2.1) that large and small municipalities ... pooled over the 2 activities, ...
        """
        shown = self.fully_shown(tests["variable"], by="size_class")
        larger, smaller = self._larger_and_smaller()
        if not shown or larger is None:
            return Html(f'<p class="cm-sentence">{html.escape(self.t("size_withheld"))}</p>')
        # the statement is measured as claims.yaml writes it, on the selection as loaded (its groups,
        # larger and smaller, are unions of the shown groups), over the activities fully shown
        text = size_difference_summary(self.original, unit=self.unit, method="holm", lang=self.lang,
                                       tests=tests[tests["variable"].isin(shown)], variables=shown)
        cells = [c for v in shown for c in self.statistic_cells(v, by="size_class")]
        return Html(f'<p class="cm-sentence"><span class="cm-stat" {stat_attributes("table", cells)}>'
                    f"{html.escape(text)}</span></p>")

    def _larger_and_smaller(self) -> tuple:
        """The shown size groups of larger (large, very large) and of smaller (small, medium)
        municipalities, as the study compares them; (None, None) when a shown group holds both."""
        from ..analysis import LARGER, SMALLER

        groups = [code for code, _, _ in self.protection.groups("size_class")]
        larger = [g for g in groups if set(g.split("+")) <= set(LARGER)]
        smaller = [g for g in groups if set(g.split("+")) <= set(SMALLER)]
        if len(larger) + len(smaller) < len(groups):
            return None, None
        return tuple(larger), tuple(smaller)

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
        if self.publish:  # per variable it would say of each municipality whether its respondents agree
            frag = fragmentation_by_theme(self.study, n_permutations=n_permutations, seed=seed, lang=self.lang)
            if len(frag):  # a theme of few municipalities, or in which all or none differ, is theirs
                hidden = ((frag["n_municipalities"] < self.threshold) | (frag["n_differ"] == 0)
                          | (frag["n_differ"] == frag["n_pairs"]))
                for col in ("n_differ", "share_differ", "expected_share", "mean_permuted", "p_value"):
                    frag.loc[hidden, col] = float("nan")
        else:
            frag = fragmentation(self.study, n_permutations=n_permutations, seed=seed, lang=self.lang)
            frag = frag.assign(variables=[[v] for v in frag["variable"]], n_pairs=frag["n_municipalities"])
        if len(frag):
            frag["p_adjusted"] = adjust_pvalues(frag["p_value"].to_numpy(), method="holm")
        return frag

    def fragmentation_table(self, frag):
        """The fragmentation as the report shows it: per variable (per theme when published), the
        municipalities with several respondents, how many differ, the share expected by chance and
        the p-values, each row marked as a statistic within municipalities for the auditor.

        Returns
        -------
        ReportFrame

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report(publish=True)
        >>> table = r.fragmentation_table(r.fragmentation(n_permutations=200))
        >>> table.cm_kind, len(table) < 12
        ('stats', True)
        """
        cols = ["n_municipalities", "n_differ", "share_differ", "expected_share", "p_value", "p_adjusted"]
        rows = [stat_attributes("within", attrs=(("variables", " ".join(vs)), ("group", ALL),
                                                 ("municipalities", int(r.n_municipalities)),
                                                 ("k", int(r.n_differ)), ("n", int(r.n_pairs))))
                if r.n_differ == r.n_differ else 'class="cm-withheld"'
                for r, vs in zip(frag.itertuples(), frag["variables"])]
        frag = frag.assign(n_municipalities=frag["n_municipalities"].where(frag["n_differ"].notna()))
        return self.frame(frag.set_index("label")[cols].round(3).rename_axis("theme"), kind="stats", rows=rows)

    def fragmentation_figure(self, frag, *, seed: int = 2018):
        """`plot_fragmentation` of the rows the report shows (per theme when published), with the
        share of imputed values behind them; None when no row is shown.

        Returns
        -------
        matplotlib.figure.Figure or None

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report(publish=True)
        >>> fig = r.fragmentation_figure(r.fragmentation(n_permutations=200))
        >>> len(fig.axes[0].get_yticklabels()) > 0
        True
        """
        from ..plots import plot_fragmentation

        shown = frag[frag["n_differ"].notna()]
        if not len(shown):
            return None
        variables = [v for vs in shown["variables"] for v in vs]
        return plot_fragmentation(shown, imputed=self.imputed(variables), lang=self.lang, seed=seed)

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

    def agreement_table(self, agreement):
        """The intercoder agreement as the report shows it, each row marked for the auditor as a
        statistic over the interviews coded twice (withheld below the threshold).

        Returns
        -------
        ReportFrame

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> r.agreement_table(r.agreement()).cm_kind
        'stats'
        """
        rows = [stat_attributes("units", attrs=(("variables", v), ("unit", "interview"), ("group", ALL),
                                                ("n", int(n))))
                for v, n in zip(agreement["variable"], agreement["n_units"])]
        return self.frame(agreement.round(3), kind="stats", rows=rows)


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
        if self.study.n_interviews < BOOTSTRAP_MIN_RESPONDENTS or "maturity.top3" not in self.study.codebook.variables:
            return None
        if self.publish and not self.protection.shown("maturity.top3", None, ALL, "interview"):
            return None  # a resample of respondents whose mentions the release does not show
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
        ['Mentions', 'Share (%)', 'Interval from (%)', 'Interval to (%)', 'Rank', 'Probability of the top five (%)']
        >>> [str(x) for x in table.loc["People and competences"]]
        ['15', '21', '15.2', '26.4', '1', '100']
        """
        table = boot.shares.set_index("label")[["n_mentions", "share_printed", "ci_low", "ci_high", "rank", "p_top5"]]
        for col in ("ci_low", "ci_high", "p_top5"):
            table[col] = (100 * table[col]).round(1)
        # a resample of the respondents of the whole selection, whose mentions the report shows
        rows = [stat_attributes("resample", attrs=(("variables", "maturity.top3"), ("unit", "interview"),
                                                   ("by", "none"), ("group", ALL)))] * len(table)
        return self.frame(table.rename_axis("aspect"), kind="stats", rows=rows)
