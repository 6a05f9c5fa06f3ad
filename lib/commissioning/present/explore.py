"""What a report does on any codebook: the variables and themes it finds, the groupings it can
show, and one computed sentence for what a section needs and the data lacks.

`ExploreMixin` holds these methods of `Report` (see `present.report`): `needs` (a study notebook's
section checks that the codebook has what it analyses, says in one sentence what is missing and
lets the run go on), `sections` (the themes and variables a generic notebook tabulates),
`groupings` (size class, region and every other attribute of the codebook) and `heading`.

Examples
--------
>>> import commissioning as cm
>>> r = cm.Report()
>>> [theme for theme, _ in r.sections()][:3], r.groupings()
(['segments', 'activities', 'portfolio'], ['size_class', 'region'])
"""

from __future__ import annotations

import html

from ..errors import ParameterError
from .notices import Html

TEXT = {
    "en": {"needs": "This section needs {what}, which the codebook of this data does not have; it is left out.",
           "variable": "the variable {v}", "variables": "the variables {v}", "theme": "the theme {v}",
           "and": " and ", "nothing": "The codebook of this data has no variable to tabulate here."},
    "nl": {"needs": "Dit onderdeel heeft {what} nodig, die het codeboek van deze gegevens niet heeft; het vervalt.",
           "variable": "de variabele {v}", "variables": "de variabelen {v}", "theme": "het thema {v}",
           "and": " en ", "nothing": "Het codeboek van deze gegevens heeft hier geen variabele om te tellen."},
}


class ExploreMixin:
    """The methods of `Report` that adapt it to the codebook of its data."""

    def needs(self, *variables, theme: str | None = None) -> bool:
        """Whether the codebook has every variable (and the theme) a section analyses; when it has
        not, one computed sentence says what is missing, and the section is left out.

        Parameters
        ----------
        *variables : str
            Variable ids the section reads.
        theme : str, optional
            A theme the section tabulates (it must hold at least one variable).

        Returns
        -------
        bool
            True when everything is there; otherwise False, after displaying the sentence.

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> r.needs("sourcing.design", theme="activities")
        True
        >>> r.needs("sourcing.colour")
        This section needs the variable sourcing.colour, which the codebook of this data does not have; it is left out.
        False
        """
        cb = self.study.codebook
        missing = [v for v in variables if v not in cb.variables]
        lacks_theme = theme is not None and not any(v.theme == theme for v in cb.variables.values())
        if not missing and not lacks_theme:
            return True
        t = TEXT[self.lang]
        what = []
        if missing:
            what.append((t["variable"] if len(missing) == 1 else t["variables"]).format(v=", ".join(missing)))
        if lacks_theme:
            what.append(t["theme"].format(v=theme))
        from IPython.display import display  # only in a notebook (and patched in the tests)

        display(Html(f'<p class="cm-sentence cm-needs">{html.escape(t["needs"].format(what=t["and"].join(what)))}</p>'))
        return False

    def sections(self, themes=None, variables=None) -> list:
        """The themes and variables a generic report tabulates: every theme of the codebook (or
        those asked) with its variables (or those asked), in codebook order.

        Parameters
        ----------
        themes : str or list of str, optional
        variables : str or list of str, optional

        Returns
        -------
        list of (str, list of str)
            (theme, variable ids); ranked sets are listed with their theme.

        Raises
        ------
        ParameterError
            For a theme or variable the codebook does not have.

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().sections(themes="portfolio")
        [('portfolio', ['portfolio.overview', 'procurement.central_unit'])]
        >>> cm.Report().sections(variables=["agenda.carrier"])
        [('agenda', ['agenda.carrier'])]
        """
        cb = self.study.codebook
        known = list(dict.fromkeys(v.theme for v in cb.variables.values()))
        themes = [themes] if isinstance(themes, str) else list(themes or [])
        variables = [variables] if isinstance(variables, str) else list(variables or [])
        for theme in themes:
            if theme not in known:
                raise ParameterError("themes", theme, problem="is not a theme of the codebook", allowed=known)
        for v in variables:
            if v not in cb.variables:
                raise ParameterError("variables", v, problem="is not a variable of the codebook",
                                     allowed=list(cb.variables))
        out = []
        for theme in known:
            if themes and theme not in themes:
                continue
            ids = [v.id for v in cb.variables.values() if v.theme == theme and (not variables or v.id in variables)]
            if ids:
                out.append((theme, ids))
        return out

    def groupings(self, by=None) -> list:
        """The attributes a generic report groups by: size class, region and every further
        attribute of the codebook, or the one asked.

        Returns
        -------
        list of str

        Raises
        ------
        ParameterError
            For an attribute the codebook does not have.

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().groupings("region")
        ['region']
        """
        attributes = list(self.study.codebook.attributes)
        order = ["size_class", "region", *(a for a in attributes if a not in ("size_class", "region"))]
        if by is None:
            return order
        if by not in attributes:
            raise ParameterError("by", by, problem="is not an attribute of the codebook", allowed=order)
        return [by]

    def heading(self, theme: str, *, level: int = 2) -> Html:
        """A theme's name as a heading, in the report's language.

        Returns
        -------
        Html

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report(lang="nl").heading("activities").text
        '<h2>Activiteiten</h2>'
        """
        return Html(f"<h{level}>{html.escape(self.study.codebook.theme_label(theme, self.lang))}</h{level}>")

    def by_label(self, by) -> str:
        """The name of a grouping in the report's language ("Size class", "Grootteklasse").

        Returns
        -------
        str

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report(lang="nl").by_label("region")
        'Regio'
        """
        return self.study.codebook.attributes[by].label[self.lang]

    def units_of(self, variables) -> list:
        """The units a generic report counts `variables` at: per municipality, and per interview
        where some of them are coded per interview (a ranked set: per interview only).

        Returns
        -------
        list of str

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().units_of(["organisation.model"]), cm.Report().units_of(["sourcing.design"])
        (['municipality'], ['municipality', 'interview'])
        """
        cb = self.study.codebook
        vars_ = [cb.variables[v] for v in variables]
        units = [] if all(v.type == "ranked_set" for v in vars_) else ["municipality"]
        if any(v.per_interview or v.type == "ranked_set" for v in vars_):
            units.append("interview")
        return units

    def at_unit(self, variables, unit: str) -> list:
        """The variables of `variables` a count table shows at `unit`: every one but ranked sets
        per municipality, those coded per interview per interview.

        Returns
        -------
        list of str

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().at_unit(["organisation.model", "agenda.carrier", "maturity.top3"], "interview")
        ['agenda.carrier']
        """
        cb = self.study.codebook
        return [v for v in variables if cb.variables[v].type != "ranked_set"
                and (unit == "municipality" or cb.variables[v].per_interview)]

    def ranked(self, variables) -> list:
        """The ranked sets (a respondent's top three) among `variables`.

        Returns
        -------
        list of str

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().ranked(["organisation.model", "maturity.top3"])
        ['maturity.top3']
        """
        return [v for v in variables if self.study.codebook.variables[v].type == "ranked_set"]

    def booleans(self, variables) -> list:
        """The yes/no variables among `variables` (a heatmap shows their share of yes by group).

        Returns
        -------
        list of str

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().booleans(["structure.tenderboard", "organisation.model"])
        ['structure.tenderboard']
        """
        cb = self.study.codebook
        return [v for v in variables if cb.variables[v].type == "boolean" and "yes" in cb.variables[v].codes]

    def theme_variables(self, theme: str) -> list:
        """The variables of one theme of the codebook, in order; none when it lacks the theme.

        Returns
        -------
        list of str

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().theme_variables("portfolio"), cm.Report().theme_variables("weather")
        (['portfolio.overview', 'procurement.central_unit'], [])
        """
        return [v.id for v in self.study.codebook.variables.values() if v.theme == theme]

