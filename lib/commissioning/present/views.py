"""The tables, figures' data and passages a report takes straight from the analysis, computed from
its protected study in its language.

`ViewsMixin` holds these methods of `Report` (see `present.report`), so that a notebook asks its
report for everything it shows and never passes a study to a flat function itself: the sample
(`sample_table`, `sample_composition`), crosstabs and shares for the figures (`crosstab`,
`activity_shares`), the variables a section reads (`activity_variables`, `structure_variables`),
the maturity model's aspects (`aspects_table`) and their bootstrap figure (`top3_figure`), and the
coded passages behind a code (`passages`, `passages_summary`, `passages_text`). They read the
report's `study`, `public`, `unit`, `lang` and `publish`, and its `frame` and `imputed`.

Examples
--------
>>> import commissioning as cm
>>> r = cm.Report(lang="nl")
>>> r.sample_table().index.names
FrozenList(['Grootteklasse', 'Regio'])
>>> r.activity_variables()[:2]
['sourcing.strategy', 'sourcing.programme']
"""

from __future__ import annotations

import pandas as pd

from ..analysis import (
    activity_shares, activity_variables, aspects_table, crosstab, format_passages, passages,
    passages_by_size_class, passages_summary, sample_composition, sample_table, structure_variables,
)
from ..core import check_unit
from ..plots import plot_top3_intervals


class ViewsMixin:
    """The methods of `Report` that give the analysis' tables for what its study holds."""

    # --- the sample --------------------------------------------------------------------------------
    def sample_table(self):
        """The selection's municipalities (Table 1 of the study, section 1.5) by size class and
        region, from its public facts (`Report.public`), as the report shows them.

        Returns
        -------
        ReportFrame
            The columns of `cm.sample_table`, indexed by size class and region, marked up as
            public facts.

        Examples
        --------
        >>> import commissioning as cm
        >>> table = cm.Report().sample_table()
        >>> len(table), table.cm_kind
        (18, 'public')
        """
        table = sample_table(self.public, lang=self.lang).set_index(["size_class", "region"])
        return self.frame(table, kind="public")

    def sample_composition(self) -> pd.DataFrame:
        """Municipalities and interviews of the selection by size class and region, empty cells
        included, from its public facts (see `cm.sample_composition`).

        Returns
        -------
        DataFrame
            Labels in the report's language.

        Examples
        --------
        >>> import commissioning as cm
        >>> comp = cm.Report(lang="nl").sample_composition()
        >>> comp.iloc[0][["size_class", "region"]].tolist(), int(comp["n_interviews"].sum())
        (['Zeer groot', 'Noord'], 24)
        """
        return sample_composition(self.public, lang=self.lang)

    # --- crosstabs and shares for the figures ------------------------------------------------------
    def crosstab(self, variables, *, by=None, unit: str | None = None) -> pd.DataFrame:
        """Counts and shares of the codes of `variables`, overall or by a municipality attribute,
        counted on the report's protected study (see `cm.crosstab`).

        Returns
        -------
        DataFrame
            Labels in the report's language; at the report's unit unless `unit` is given.

        Examples
        --------
        >>> import commissioning as cm
        >>> tab = cm.Report().crosstab("structure.tenderboard")
        >>> tab[["code", "n", "n_total"]].values.tolist()
        [['yes', 6, 18], ['no', 12, 18]]
        """
        return crosstab(self.study, variables, by=by, unit=check_unit(unit or self.unit), lang=self.lang)

    def activity_shares(self, *, by=None, unit: str | None = None) -> pd.DataFrame:
        """The share of units that outsource an activity or do it partly outside, per activity and
        group, counted on the report's protected study (see `cm.activity_shares`).

        Returns
        -------
        DataFrame

        Examples
        --------
        >>> import commissioning as cm
        >>> shares = cm.Report().activity_shares()
        >>> len(shares) == len(cm.Report().activity_variables())
        True
        """
        return activity_shares(self.study, by=by, unit=check_unit(unit or self.unit), lang=self.lang)

    # --- the variables a section reads -------------------------------------------------------------
    def activity_variables(self) -> list:
        """The activities of the codebook (theme `activities`) in codebook order; empty when the
        codebook has none.

        Returns
        -------
        list of str

        Examples
        --------
        >>> import commissioning as cm
        >>> len(cm.Report().activity_variables())
        12
        """
        return activity_variables(self.study)

    def structure_variables(self) -> list:
        """The organisational structures of the codebook (see `cm.structure_variables`); empty when
        the codebook has none.

        Returns
        -------
        list of str

        Examples
        --------
        >>> import commissioning as cm
        >>> "structure.tenderboard" in cm.Report().structure_variables()
        True
        """
        return structure_variables(self.study)

    # --- the maturity model ------------------------------------------------------------------------
    def aspects_table(self):
        """The aspects of the maturity model and their sub-aspects (Table 2 of the study, section
        4.1) from the codebook, as the report shows them.

        Returns
        -------
        ReportFrame
            Indexed by number, aspect and sub-aspect, marked up as public facts.

        Examples
        --------
        >>> import commissioning as cm
        >>> table = cm.Report().aspects_table()
        >>> list(table.index.names[:2]), table.cm_kind
        (['Number', 'Aspect'], 'public')
        """
        table = aspects_table(self.study.codebook, lang=self.lang).set_index(["number", "aspect", "sub_aspect"])
        return self.frame(table, kind="public")

    def top3_figure(self, boot):
        """The figure of each aspect's share of the top-three mentions with its bootstrap interval
        (`boot`, from `Report.bootstrap`), with the share of imputed values behind it.

        Returns
        -------
        Figure

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> fig = r.top3_figure(r.bootstrap(n_resamples=100, seed=1))
        >>> len(fig.axes) >= 1
        True
        """
        return plot_top3_intervals(boot, imputed=self.imputed("maturity.top3"), lang=self.lang)

    # --- the passages behind a code ----------------------------------------------------------------
    def passages(self, variable: str | None = None, code: str | None = None) -> pd.DataFrame:
        """The coded passages of the selection behind `code` of `variable` (see `cm.passages`).

        Returns
        -------
        DataFrame
            One row per passage; empty when the data keeps no passages.

        Examples
        --------
        >>> import commissioning as cm
        >>> len(cm.Report().passages("sourcing.design", "outsourced"))  # the reconstruction keeps none
        0
        """
        return passages(self.study, variable, code)

    def passages_summary(self, found: pd.DataFrame, variable: str | None = None, code: str | None = None) -> str:
        """One sentence in the report's language on the passages `found`, or on why there are none;
        published, it gives their number only.

        Returns
        -------
        str

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> r.passages_summary(r.passages("sourcing.design", "outsourced"), "sourcing.design", "outsourced")[:60]
        'There are no passages to show: the data folder has no passag'
        """
        return passages_summary(self.study, found, variable, code, lang=self.lang, publish=self.publish)

    def passages_text(self, found: pd.DataFrame, *, width: int = 100) -> str:
        """The passages `found` as text to read, grouped by size class (largest first), wrapped to
        `width` characters; '' in a published report, which never shows what respondents said.

        Returns
        -------
        str

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report(publish=True).passages_text(cm.Report().passages())
        ''
        """
        if self.publish or not len(found):
            return ""
        return format_passages(passages_by_size_class(self.study, found, lang=self.lang), by="size_class_label",
                               width=width, lang=self.lang)
