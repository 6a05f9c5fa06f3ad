"""What a notebook shows, in one language, with disclosure control when it is published.

A notebook makes one `Report` from its parameters and asks it for everything it shows: the notice
on top, the parameters line, tables of counts by group, notes on imputed values and on what
publishing did. The report knows its language, so the notebook's code is the same in English and
in Dutch, and it knows its disclosure control (`cm.protection`), so a
published table can show only what may be shown.

The texts per language are in `present.texts`, the notices and the provenance of a run in
`present.notices`, the claims in `present.claim_blocks`, the robustness runs in `present.drawn` and
the tables taken straight from the analysis (the sample, crosstabs, passages) in `present.views`;
their names stay importable from here.

Examples
--------
>>> import commissioning as cm
>>> r = cm.Report(lang="nl")
>>> r.counts("segment.public_space.investment").value("segment.public_space.investment", "commissioner").text
'18/18 (100%)'
"""

from __future__ import annotations

import pandas as pd

from ..analysis import MIN_UNITS as MIN_TEST_UNITS
from ..core import check_lang, check_unit, thousands
from ..data import for_publication, load_study
from ..disclosure import protection
from .claim_blocks import ClaimsMixin
from .configurations import ConfigurationsMixin
from .explore import ExploreMixin
from .statistics import StatisticsMixin
from .drawn import Drawn
from .views import ViewsMixin
from .frames import mark
from .notices import Html, NoticesMixin, provenance
from .tables import ALL, CountTable, count_table, mention_table
from .texts import CHAPTERS, HEADERS, TEXT, VERDICT_STYLE, header


def show_in_full() -> None:
    """Let pandas show every table of the session in full: no cell text cut short, no row left out,
    and the labels of a multi-level index on every row (a `Report` calls it, so that a report's
    tables read the same in JupyterLab and on the page).

    Returns
    -------
    None

    Examples
    --------
    >>> import pandas as pd
    >>> show_in_full()
    >>> pd.get_option("display.max_colwidth"), pd.get_option("display.max_rows"), pd.get_option("display.multi_sparse")
    (None, None, False)
    """
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", None)
    pd.set_option("display.multi_sparse", False)


class Report(NoticesMixin, ClaimsMixin, StatisticsMixin, ExploreMixin, ConfigurationsMixin, ViewsMixin):
    """One notebook's report: its data, selection, unit, language and disclosure control.

    Making a report sets pandas to show tables in full (`show_in_full`).

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
    'Gemeenten: 8, interviews: 11; geteld per gemeente (8 gemeenten).'
    >>> r.counts("organisation.model").frame().iloc[1, 0]
    '7/8 (88%)'
    >>> cm.Report(publish=True).counts("organisation.model", by="size_class").frame().columns.tolist()
    ['Small', 'Medium', 'Large and very large', 'All']
    """

    def __init__(self, data_dir=None, *, region=None, size_class=None, unit: str = "municipality",
                 lang: str = "en", publish: bool = False, threshold: int = 3):
        self.lang = check_lang(lang)
        self.unit = check_unit(unit)
        show_in_full()
        self.publish = bool(publish)
        self.threshold = threshold
        self.data_dir = data_dir
        self.loaded = load_study(data_dir)
        study = self.loaded.filter(region=region, size_class=size_class)
        # published: one run of the release of the data folder, and every statistic of the report
        # is computed from its protected study (size classes recoded, respondent fields blanked)
        self.protection = protection(study, publish=self.publish, threshold=threshold)
        self.study = self.protection.study
        self.original = self.protection.original  # the selection as loaded: what claims are measured on

    @property
    def public(self):
        """The selection's public facts (Table 1: municipalities, their size class, region and
        interviews) with respondent fields blanked when published: for the sample tables only.

        Returns
        -------
        Study

        Examples
        --------
        >>> import commissioning as cm
        >>> sorted(set(cm.Report(publish=True).public.municipalities.size_class))
        ['large', 'medium', 'small', 'very_large']
        """
        return for_publication(self.original) if self.publish else self.original

    def mentions(self, *, by=None, variable: str = "maturity.top3") -> CountTable:
        """Mentions of the codes of a ranked set (default the maturity aspects), overall or by group
        (see `present.mention_table`).

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
        (['First', 'Second', 'Third', 'All'], '4/24 (17%)')
        """
        table = mention_table(self.study, by=by, lang=self.lang, protection=self.protection, variable=variable)
        table.notes = [n for n in (self.imputed_note(variable),
                                   self.protection_note(by) if (by not in (None, "rank") and self.publish) else "") if n]
        return table

    def robustness(self, n_seeds: int = 30):
        """The reconstruction drawn for seeds 1..n_seeds and what moves between the draws (see
        `commissioning.analysis.robustness`); on data that is not a reconstruction, nothing is drawn.

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
    def frame(self, df, *, kind: str = "text", rows=None):
        """`df` as the report shows it: its column and index names as headers in the report's
        language, decimals with the report's decimal mark (a comma in Dutch), whole numbers from
        1,000 up with its thousands separator (519.988 in Dutch, 519,988 in English), and a dash
        where there is no value; marked up for the auditor as a table of `kind`.

        Parameters
        ----------
        df : DataFrame
        kind : {"text", "public", "stats", "claims"}
            What the table holds (`present.frames`): no number from the data, public facts,
            statistics (with `rows`: what each row is computed from), or claims.
        rows : list of str, optional
            The data attributes of each row of a table of statistics.

        Returns
        -------
        ReportFrame
            A new frame; `df` is unchanged. A column of whole numbers below 1,000 stays numeric.

        Examples
        --------
        >>> import pandas as pd, commissioning as cm
        >>> df = pd.DataFrame({"n_units": [3, 4], "share": [0.25, float("nan")], "population": [519988, 55240]})
        >>> cm.Report().frame(df).columns.tolist(), cm.Report(lang="nl").frame(df).values.tolist()
        (['Units', 'Share', 'Population, 1 January 2016'], [[3, '0,25', '519.988'], [4, '–', '55.240']])
        >>> cm.Report().frame(df)["Population, 1 January 2016"].tolist()
        ['519,988', '55,240']
        """
        out = df.rename(columns=lambda c: header(c, self.lang))
        for col in out.columns:
            dtype = out[col].dtype.kind
            if dtype == "f":
                text = [("–" if x != x else f"{x:g}") for x in out[col]]
                out[col] = [x.replace(".", ",") for x in text] if self.lang == "nl" else text
            elif dtype in "iu" and len(out[col]) and out[col].abs().max() >= 1000:
                out[col] = [thousands(x, self.lang) for x in out[col]]
        if out.index.names and any(n is not None for n in out.index.names):
            out.index = out.index.set_names([header(n, self.lang) if n is not None else None
                                             for n in out.index.names])
        return mark(out, kind, rows)

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
        Tenderboard: Yes   6/18 (33%)
        Tenderboard: No   12/18 (67%)
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
                                       self.protection_note(by) if (by is not None and self.publish) else "") if n]
        return table


__all__ = ["ALL", "CHAPTERS", "CountTable", "Drawn", "HEADERS", "Html", "MIN_TEST_UNITS", "Report", "TEXT",
           "VERDICT_STYLE", "count_table", "header", "provenance"]
