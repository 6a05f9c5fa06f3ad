"""What moves between reconstructions: the robustness runs a report shows (`Report.robustness`).

Examples
--------
>>> sorted(Drawn.TEXT["en"]["families"])[:2]
['association_p', 'fragmentation_p']
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..analysis import robustness
from .notices import Html
from .sentence import stat_attributes
from .tables import ALL

if TYPE_CHECKING:
    from .report import Report


class Drawn:
    """The robustness runs of a report (see `Report.robustness`): the reconstruction drawn again
    for seeds 1..n_seeds, the claims' verdicts and the patterns the study does not state measured
    on each draw, in the report's language. On data that is not a reconstruction nothing is drawn.

    Parameters
    ----------
    report : Report
    n_seeds : int

    Examples
    --------
    >>> import commissioning as cm
    >>> drawn = cm.Report(lang="nl").robustness(1)  # one reconstruction: a few seconds
    >>> drawn.applies, drawn.families[:2]
    (True, ['region_difference', 'association_p'])
    >>> print(drawn.held)
    Uitspraken ondersteund op elke trekking: 66 van 67
    Uitspraken niet ondersteund op een trekking: 0
    Uitspraken die op deze steekproef niet te beslissen zijn: 1
    """

    TEXT = {
        "en": {"drawn": "{n} reconstructions drawn; {c} claims and {p} patterns the study does not state measured on "
                        "each.",
               "none": "This data holds no imputed values: it is not a reconstruction, so there are no draws to compare.",
               "held": "Claims supported on every draw: {a} of {n}\nClaims not supported on some draw: {b}\n"
                       "Claims that cannot be decided on this sample: {c}",
               "families": {"region_difference": "Largest difference between two regions, in points",
                            "association_p": "p-value of the association with size class",
                            "fragmentation_p": "p-value of respondents of one municipality agreeing more than chance",
                            "maturity_rank": "Rank of each maturity aspect"}},
        "nl": {"drawn": "{n} reconstructies getrokken; op elk daarvan zijn {c} uitspraken en {p} patronen gemeten die "
                        "het onderzoek niet noemt.",
               "none": "Deze gegevens bevatten geen geïmputeerde waarden: het is geen reconstructie, dus er zijn geen "
                       "trekkingen om te vergelijken.",
               "held": "Uitspraken ondersteund op elke trekking: {a} van {n}\nUitspraken niet ondersteund op een "
                       "trekking: {b}\nUitspraken die op deze steekproef niet te beslissen zijn: {c}",
               "families": {"region_difference": "Grootste verschil tussen twee regio's, in punten",
                            "association_p": "p-waarde van de samenhang met de grootteklasse",
                            "fragmentation_p": "p-waarde van respondenten van één gemeente die vaker overeenstemmen dan toeval",
                            "maturity_rank": "Rang van elk aspect van het Maturity Model"}},
    }

    def __init__(self, report: Report, n_seeds: int):
        self.report = report
        self.lang = report.lang
        self.applies = robustness.applies(report.loaded)
        self.families = []
        if self.applies:
            filters = report.study.filters
            self.verdicts, self.patterns = robustness.run_seeds(n_seeds, data_dir=report.data_dir, template=report.loaded,
                                                                region=filters.get("region"),
                                                                size_class=filters.get("size_class"))
            self.shipped, self.inputs = self._loaded_patterns()
            self.families = [f for f in robustness.FAMILIES if f in set(self.patterns.family)]

    def _loaded_patterns(self):
        """The patterns on the loaded data, and per (family, statistic) the count cells each rests
        on; published, measured on the report's protected study and withheld (NaN) where they
        would rest on a group the report does not show (fragmentation per variable: always)."""
        report = self.report
        shipped = robustness.unstated_patterns(report.study)
        inputs = {}
        for i, row in enumerate(shipped.itertuples()):
            by = {"size_difference": "size_class", "association_p": "size_class", "region_difference": "region",
                  "maturity_rank": None}.get(row.family, "within")
            if by == "within":
                withheld = report.publish
                cells = []
            elif row.family == "maturity_rank":
                withheld = report.publish and not report.protection.shown("maturity.top3", None, ALL, "interview")
                cells = report.mentions().cells() if not withheld else []
            else:
                withheld = report.publish and not report.fully_shown([row.statistic], by=by, unit="municipality")
                cells = [] if withheld else report.statistic_cells(row.statistic, by=by, unit="municipality")
            if withheld:
                shipped.iloc[i, shipped.columns.get_loc("value")] = float("nan")
            inputs[(row.family, row.statistic)] = cells
        return shipped, inputs

    def _t(self, key):
        return self.TEXT[self.lang][key]

    def _label(self, statistic: str) -> str:
        cb = self.report.study.codebook
        if statistic in cb.variables:
            return cb.label(statistic, self.lang)
        return cb.variables["maturity.top3"].code_label(statistic, self.lang)

    @property
    def summary(self) -> Html:
        """How many reconstructions were drawn and what was measured on each, as a paragraph."""
        if not self.applies:
            return Html(f"<p>{html.escape(self._t('none'))}</p>")
        text = self._t("drawn").format(n=self.verdicts.seed.nunique(), c=self.verdicts.id.nunique(),
                                       p=len(self.patterns[["family", "statistic"]].drop_duplicates()))
        return Html(f"<p>{html.escape(text)}</p>")

    @property
    def held(self) -> str:
        """How many claims held on every draw, failed on some and could not be decided."""
        if not self.applies:
            return self._t("none")
        h = robustness.held_everywhere(self.verdicts)
        return self._t("held").format(a=int((h.supported == h.n_seeds).sum()), n=len(h),
                                      b=int((h.not_supported > 0).sum()), c=int((h.insufficient == h.n_seeds).sum()))

    def spread(self, family: str):
        """The statistics of one pattern family over the draws and on the loaded data.

        Returns
        -------
        DataFrame
            One row per statistic (named in the report's language, the index named "Pattern") with
            headers from `Report.frame`; the columns are named by the family's title (the page
            shows it as the table's caption).

        Examples
        --------
        >>> import commissioning as cm
        >>> table = cm.Report().robustness(1).spread("region_difference")  # a few seconds
        >>> table.columns.name
        'Largest difference between two regions, in points'
        >>> int(table.loc["Design", "Reconstructions"])
        1
        """
        table = robustness.spread_table(self.patterns[self.patterns.family == family],
                                        self.shipped[self.shipped.family == family])
        loaded = dict(zip(table.statistic, table.shipped))
        p_value = family == "association_p"  # the loaded data's p-value, named for the auditor
        rows = [stat_attributes("table", self.inputs.get((family, s), ()),
                                (("measure", "p"), ("value", f"{loaded[s]:.3f}")) if p_value and loaded[s] == loaded[s]
                                else ())
                for s in table.statistic]
        table["statistic"] = [self._label(s) for s in table.statistic]
        out = table.drop(columns="family").set_index("statistic").round(2).rename_axis("statistic_name")
        out = self.report.frame(out, kind="stats", rows=rows)
        out.columns.name = self._t("families")[family]
        return out

    def figure(self, family: str):
        """The spread of one pattern family as a figure (`plots.pattern_spread`).

        Returns
        -------
        matplotlib.figure.Figure

        Examples
        --------
        >>> import commissioning as cm
        >>> fig = cm.Report().robustness(1).figure("maturity_rank")  # a few seconds
        >>> fig.axes[0].get_title(loc="left"), fig.axes[0].get_xlabel()
        ('Rank of each maturity aspect', 'Rank among the ten aspects')
        """
        from ..plots import pattern_spread

        relabel = lambda df: df.assign(statistic=[self._label(s) for s in df.statistic])  # noqa: E731
        return pattern_spread(relabel(self.patterns), relabel(self.shipped), family=family, lang=self.lang,
                              title=self._t("families")[family])


