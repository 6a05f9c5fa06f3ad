"""Configurations in a report: the truth table, the solutions and necessity of a QCA over the
municipalities (`analysis.configurations`), in the report's language, marked up for the auditor,
and how often each solution term comes back when the reconstruction is drawn again.

Published, a configuration says something of the municipalities that share it, so a published
report leaves out every municipality in a configuration of fewer than `threshold` of them (from
the truth table, the solutions and their fit alike), names no case, allows at most one attribute
(size class or region, as a shown group) among the conditions, and shows configurations for the
whole selection of a release only: per region or size group they would subtract from the
national ones. `ConfigurationsMixin` holds these methods of `Report` (see `present.report`).

Examples
--------
>>> import commissioning as cm
>>> r = cm.Report(publish=True)
>>> c = r.configurations("EXPLICIT: agenda.explicitness=explicit",
...                      ["LARGE: size_class=large+very_large", "SHARED: structure.shared_execution"])
>>> r.truth_table_frame(c).cm_kind, "cases" in r.truth_table_frame(c).columns
('stats', False)
"""

from __future__ import annotations

import html
from itertools import combinations

import pandas as pd

from ..analysis import configurations, parse_set, term_frequencies
from .notices import Html
from .sentence import stat_attributes

TEXT = {
    "en": {"filtered": ("Configurations are published for the whole selection of a release only: for one region or "
                        "size group they could be subtracted from those of the whole selection."),
           "attributes": "A published report allows one attribute among the conditions (here: {names}).",
           "merged": ("The condition {name} selects size classes that publishing shows merged ({groups}); choose "
                      "a shown group."),
           "left_out": ("{k} of the {n} municipalities are in configurations of fewer than {t} municipalities and are "
                        "left out of the truth table, the solutions and their fit."),
           "cases": "{n} municipalities, {k} of them in the outcome {name} ({out}, as a crisp set).",
           "cases_fuzzy": ("{n} municipalities, {k} of them more in than out of the outcome {name} ({out}: the share "
                           "of their respondents, as a fuzzy set)."),
           "solution": "The {kind} solution: {words} ({formula}; consistency {incl}, coverage {cov}).",
           "models": "The {kind} solution has {m} models, each as minimal: {formulas}.",
           "none": "The {kind} solution: none ({reason}).",
           "reasons": {"to explain": "no configuration is consistent enough with the outcome to be explained, at a "
                                     "consistency cut-off of {incl_cut}",
                       "every configuration": ("every configuration goes with the outcome, so no condition tells "
                                               "them apart"),
                       "negative configuration": ("every configuration goes with the outcome, so no condition tells "
                                                  "them apart"),
                       "models": "it has more minimal models than can be listed; use fewer conditions"},
           "kinds": {"conservative": "conservative", "parsimonious": "parsimonious", "intermediate": "intermediate"},
           "heading": "The {kind} solution",
           "and": " and ", "or": "; or ", "not": "not ",
           "necessary": "Necessary for the outcome (consistency of necessity at least {cut}): {names}.",
           "none_necessary": "No condition is necessary for the outcome (consistency of necessity at least {cut}).",
           "drawn": ("The shipped data is a reconstruction: its configurations were drawn, not observed. Over {n} "
                     "other reconstructions the parsimonious solution's terms came back as below."),
           "not_drawn": "This data is not a reconstruction: there are no draws to compare."},
    "nl": {"filtered": ("Configuraties worden alleen gepubliceerd voor de hele selectie van een publicatie: voor één "
                        "regio of grootteklasse zouden ze van die van de hele selectie af te trekken zijn."),
           "attributes": "Een gepubliceerd rapport staat één kenmerk toe onder de voorwaarden (hier: {names}).",
           "merged": ("De voorwaarde {name} kiest grootteklassen die bij publicatie samengevoegd worden getoond "
                      "({groups}); kies een getoonde groep."),
           "left_out": ("{k} van de {n} gemeenten vallen in configuraties van minder dan {t} gemeenten en blijven buiten "
                        "de waarheidstabel, de oplossingen en hun maten."),
           "cases": "{n} gemeenten, waarvan {k} met de uitkomst {name} ({out}, als scherpe verzameling).",
           "cases_fuzzy": ("{n} gemeenten, waarvan {k} meer binnen dan buiten de uitkomst {name} ({out}: het aandeel "
                           "van hun respondenten, als vage verzameling)."),
           "solution": "De {kind} oplossing: {words} ({formula}; consistentie {incl}, dekking {cov}).",
           "models": "De {kind} oplossing heeft {m} modellen die even minimaal zijn: {formulas}.",
           "none": "De {kind} oplossing: geen ({reason}).",
           "reasons": {"to explain": ("geen configuratie hangt sterk genoeg samen met de uitkomst om die te verklaren, "
                                      "bij een consistentiegrens van {incl_cut}"),
                       "every configuration": ("elke configuratie gaat samen met de uitkomst, dus geen voorwaarde "
                                               "maakt onderscheid"),
                       "negative configuration": ("elke configuratie gaat samen met de uitkomst, dus geen voorwaarde "
                                                  "maakt onderscheid"),
                       "models": "er zijn meer even minimale modellen dan te tonen zijn; neem minder voorwaarden"},
           "kinds": {"conservative": "conservatieve", "parsimonious": "spaarzame", "intermediate": "tussenliggende"},
           "heading": "De {kind} oplossing",
           "and": " en ", "or": "; of ", "not": "niet ",
           "necessary": "Noodzakelijk voor de uitkomst (consistentie van noodzaak minstens {cut}): {names}.",
           "none_necessary": ("Geen voorwaarde is noodzakelijk voor de uitkomst (consistentie van noodzaak minstens "
                              "{cut})."),
           "drawn": ("De meegeleverde gegevens zijn een reconstructie: de configuraties zijn getrokken, niet "
                     "waargenomen. Over {n} andere reconstructies kwamen de termen van de spaarzame oplossing terug "
                     "zoals hieronder."),
           "not_drawn": "Deze gegevens zijn geen reconstructie: er zijn geen trekkingen om te vergelijken."},
}


# The consistency of necessity from which a condition counts as necessary (Schneider and Wagemann,
# Set-Theoretic Methods for the Social Sciences, 2012, section 3.2.2: 0.9)
NECESSITY_CUT = 0.9


def _membership(frame, term: str):
    """The membership of every case in a term of R's notation ("A*~B"): the least of its literals."""
    values = None
    for literal in term.split("*"):
        name = literal.lstrip("~")
        x = frame[name] if not literal.startswith("~") else 1 - frame[name]
        values = x if values is None else values.combine(x, min)
    return values


class ConfigurationsMixin:
    """The methods of `Report` that show a QCA of the municipalities."""

    def needs_sets(self, outcome, conditions) -> bool:
        """Whether the codebook has every variable and attribute the sets name (`needs`: when not,
        one sentence says what is missing).

        Returns
        -------
        bool

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().needs_sets("EXPLICIT: agenda.explicitness=explicit", ["LARGE: size_class=large"])
        True
        """
        cb = self.original.codebook
        names = [v for text in [outcome, *conditions] for v in parse_set(text).variables]
        return self.needs(*(v for v in names if v not in cb.attributes and v not in ("size_class", "region")))

    def configuration_refusal(self, conditions) -> str | None:
        """Why a published report gives no configurations of these conditions, or None.

        Returns
        -------
        str or None

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report(publish=True, region="Zuid").configuration_refusal(["SHARED: structure.shared_execution"])[:40]
        'Configurations are published for the who'
        >>> cm.Report(publish=True).configuration_refusal(["LARGE: size_class=large"])[:36]
        'The condition LARGE selects size cla'
        """
        if not self.publish:
            return None
        t = TEXT[self.lang]
        if self.protection.selection:
            return t["filtered"]
        specs = [parse_set(c, self.original.codebook) for c in conditions]
        attributes = [s for s in specs if s.attribute]
        if len(attributes) > 1:
            return t["attributes"].format(names=", ".join(s.name for s in attributes))
        shown = {code: set(code.split("+")) for code, _, _ in self.protection.groups("size_class")}
        for s in attributes:
            classes = set(_classes_of(s.codes))
            if s.variables[0] == "size_class" and not any(classes == set().union(*(shown[g] for g in part))
                                                         for part in _unions(list(shown))):
                return t["merged"].format(name=s.name, groups=", ".join(shown))
        return None

    def configurations(self, outcome, conditions, *, fuzzy: bool = False, incl_cut=1.0, n_cut: int = 1,
                       dir_exp=None):
        """A QCA of the report's selection (`analysis.configurations`); published, with every
        configuration of fewer than `threshold` municipalities left out. None, after one sentence
        saying why, when a published report gives none (`configuration_refusal`).

        Returns
        -------
        Configurations or None

        Examples
        --------
        >>> import commissioning as cm
        >>> c = cm.Report(publish=True).configurations("EXPLICIT: agenda.explicitness=explicit",
        ...                                            ["CENTRAL: procurement.central_unit",
        ...                                             "SHARED: structure.shared_execution"])
        >>> c.left_out, int(c.truth_table["n"].min()) >= 3
        (2, True)
        """
        refusal = self.configuration_refusal(conditions)
        if refusal is not None:
            from IPython.display import display  # only in a notebook (and patched in the tests)

            display(Html(f'<p class="cm-sentence">{html.escape(refusal, quote=False)}</p>'))
            return None
        return configurations(self.original, outcome, conditions, fuzzy=fuzzy, incl_cut=incl_cut, n_cut=n_cut,
                              dir_exp=dir_exp, min_cases=self.threshold if self.publish else 1)

    def _variables_of(self, conf) -> str:
        return " ".join(v for s in [*conf.conditions, conf.outcome] if not s.attribute for v in s.variables)

    def truth_table_frame(self, conf):
        """The truth table as the report shows it: each row a configuration with its cases counted
        (named only when not published), marked for the auditor as a count of several variables.

        Returns
        -------
        ReportFrame

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> c = r.configurations("EXPLICIT: agenda.explicitness=explicit", ["SHARED: structure.shared_execution"])
        >>> r.truth_table_frame(c).columns.tolist()[-2:]
        ['PRI', 'Municipalities']
        """
        tt = conf.truth_table.copy()
        if self.publish:
            tt = tt.drop(columns=["cases"])
        else:
            tt["cases"] = [self._names(cases) for cases in tt["cases"]]
        rows = [stat_attributes("joint", attrs=(("variables", self._variables_of(conf)), ("group", "all"),
                                                ("n", int(n)))) for n in tt["n"]]
        return self.frame(tt.round(3), kind="stats", rows=rows)

    def _names(self, cases) -> str:
        """CBS codes as R lists them ("GM0014,GM0503; GM0772") as the municipalities' names."""
        if not isinstance(cases, str):
            return ""
        names = self.original.municipalities.set_index("cbs_code")["study_name"]
        return ", ".join(str(names.get(c.strip(), c.strip())) for c in cases.replace(";", ",").split(",") if c.strip())

    def solution_frame(self, conf, kind: str):
        """The terms of one solution and each model's fit (R's inclS, PRI, covS, covU), marked for
        the auditor with the cases each covers; None when there is no such solution.

        Returns
        -------
        ReportFrame or None

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report(publish=True)
        >>> c = r.configurations("EXPLICIT: agenda.explicitness=explicit",
        ...                      ["SHARED: structure.shared_execution", "LARGE: size_class=large+very_large"], incl_cut=0.6)
        >>> r.solution_frame(c, "parsimonious").columns.tolist()[:3]
        ['Term', 'Consistency', 'PRI']
        >>> r.solution_frame(c, "intermediate") is None
        True
        """
        solution = conf.solutions.get(kind)
        if solution is None:
            return None
        terms = solution.terms.copy()
        if self.publish:
            terms = terms.drop(columns=[c for c in ("cases",) if c in terms.columns])
        elif "cases" in terms.columns:
            terms["cases"] = [self._names(cases) for cases in terms["cases"]]
        models = dict(zip([f"M{i}" for i in range(1, len(solution.solutions) + 1)], solution.solutions))
        rows = []
        for term in terms["term"]:  # a term, or a model (M1, ...): the cases it covers
            parts = [p.strip() for p in models.get(term, term).split("+")]
            covered = pd.concat([_membership(conf.frame, p) > 0.5 for p in parts], axis=1).any(axis=1)
            rows.append(stat_attributes("joint", attrs=(("variables", self._variables_of(conf)), ("group", "all"),
                                                        ("n", int(covered.sum())))))
        return self.frame(terms.round(3), kind="stats", rows=rows)

    def solution_tables(self, conf) -> list:
        """Every solution found, as (heading, `solution_frame`), conservative first.

        Returns
        -------
        list of (Html, ReportFrame)

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report(lang="nl")
        >>> c = r.configurations("EXPLICIT: agenda.explicitness=explicit",
        ...                      ["SHARED: structure.shared_execution", "LARGE: size_class=large+very_large"], incl_cut=0.6)
        >>> [heading.text for heading, _ in r.solution_tables(c)]
        ['<h3>De conservatieve oplossing</h3>', '<h3>De spaarzame oplossing</h3>']
        """
        t = TEXT[self.lang]
        return [(Html(f"<h3>{html.escape(t['heading'].format(kind=t['kinds'][kind]))}</h3>"),
                 self.solution_frame(conf, kind))
                for kind in ("conservative", "parsimonious", "intermediate") if conf.solutions.get(kind) is not None]

    def necessity_frame(self, conf):
        """Necessity of each condition for the outcome (R's inclN, RoN, covN), marked for the
        auditor as statistics over every case analysed.

        Returns
        -------
        ReportFrame

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> c = r.configurations("EXPLICIT: agenda.explicitness=explicit",
        ...                      ["SHARED: structure.shared_execution", "LARGE: size_class=large+very_large"])
        >>> r.necessity_frame(c).index.tolist()
        ['SHARED', 'LARGE']
        """
        rows = [stat_attributes("joint", attrs=(("variables", self._variables_of(conf)), ("group", "all"),
                                                ("n", len(conf.frame))))] * len(conf.necessity)
        return self.frame(conf.necessity.set_index("condition").round(3), kind="stats", rows=rows)

    def _words(self, conf, formula: str) -> str:
        """A solution in words: each term its sets' labels, joined by 'and', terms by 'or'."""
        t = TEXT[self.lang]
        labels = {s.name: self._set_label(s) for s in conf.conditions}
        terms = []
        for term in formula.split("+"):
            literals = [lit.strip() for lit in term.split("*")]
            terms.append(t["and"].join((t["not"] if lit.startswith("~") else "") + labels.get(lit.lstrip("~"), lit)
                                       for lit in literals))
        return t["or"].join(terms)

    def _set_label(self, spec) -> str:
        """A set in words: its variables' labels and codes ("size class: large or very large")."""
        cb, lang = self.original.codebook, self.lang
        either = " of " if lang == "nl" else " or "
        if spec.attribute:
            attr = cb.attributes[spec.variables[0]]
            codes = [attr.codes[c][lang] if c in attr.codes else c for c in _classes_of(spec.codes)]
            return f"{attr.label[lang].lower()}: {either.join(codes).lower()}"
        labels = either.join(cb.variables[v].label[lang].lower() for v in spec.variables)
        codes = either.join(cb.variables[spec.variables[0]].code_label(c, lang) for c in spec.codes)
        return f"{labels}: {codes.lower()}"

    def configuration_sentences(self, conf) -> Html:
        """What the configurations show, in computed sentences: the cases, every solution in words
        with its fit, and what publishing left out.

        Returns
        -------
        Html

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> c = r.configurations("EXPLICIT: agenda.explicitness=explicit", ["SHARED: structure.shared_execution"])
        >>> "18 municipalities" in r.configuration_sentences(c).text
        True
        """
        t = TEXT[self.lang]
        variables = self._variables_of(conf)
        out = []
        n = len(conf.frame)
        if conf.left_out:
            out.append(t["left_out"].format(k=conf.left_out, n=n + conf.left_out, t=self.threshold))
        k = int((conf.frame[conf.outcome.name] > 0.5).sum()) if n else 0
        fuzzy = bool(n) and not conf.frame.isin([0, 1]).all().all()
        out.append(t["cases_fuzzy" if fuzzy else "cases"].format(n=n, k=k, name=conf.outcome.name,
                                                                 out=self._set_label(conf.outcome)))
        for kind in ("conservative", "parsimonious", "intermediate"):
            solution = conf.solutions.get(kind)
            if solution is None:
                if kind in conf.reasons:
                    out.append(t["none"].format(kind=t["kinds"][kind], reason=self._reason(conf, kind)))
                continue
            if len(solution.solutions) > 1:
                out.append(t["models"].format(kind=t["kinds"][kind], m=len(solution.solutions),
                                              formulas="; ".join(solution.solutions)))
                continue
            fit = solution.terms.set_index("term").loc["M1"]
            number = (lambda x: f"{x:.2f}".replace(".", ",")) if self.lang == "nl" else (lambda x: f"{x:.2f}")
            out.append(t["solution"].format(kind=t["kinds"][kind], words=self._words(conf, solution.solutions[0]),
                                            formula=solution.solutions[0], incl=number(fit["inclS"]),
                                            cov=number(fit["covS"])))
        if len(conf.necessity):
            cut = f"{NECESSITY_CUT:g}".replace(".", ",") if self.lang == "nl" else f"{NECESSITY_CUT:g}"
            necessary = conf.necessity[conf.necessity["inclN"] >= NECESSITY_CUT]["condition"].tolist()
            out.append(t["necessary"].format(cut=cut, names=", ".join(necessary)) if necessary
                       else t["none_necessary"].format(cut=cut))
        attrs = stat_attributes("joint", attrs=(("variables", variables), ("group", "all"), ("n", n)))
        body = " ".join(html.escape(s, quote=False) for s in out)
        return Html(f'<p class="cm-sentence"><span class="cm-stat" {attrs}>{body}</span></p>')

    def _reason(self, conf, kind: str) -> str:
        """Why a solution is not given, in the report's language (R's refusal when unknown)."""
        reason = conf.reasons[kind]
        for key, text in TEXT[self.lang]["reasons"].items():
            if key in reason:
                cut = f"{conf.incl_cut:g}"
                return text.format(incl_cut=cut.replace(".", ",") if self.lang == "nl" else cut)
        return reason

    def configuration_draws(self, outcome, conditions, *, n_seeds: int = 10, fuzzy: bool = False,
                            incl_cut=1.0, n_cut: int = 1):
        """How often each term of the parsimonious solution comes back over `n_seeds` other
        reconstructions (seeds 1..n_seeds): (sentence, table or None).

        Returns
        -------
        tuple of (Html, ReportFrame or None)

        Examples
        --------
        >>> import commissioning as cm
        >>> text, table = cm.Report().configuration_draws("EXPLICIT: agenda.explicitness=explicit",
        ...                                               ["SHARED: structure.shared_execution"], n_seeds=2)
        >>> table.columns.tolist()
        ['Reconstructions with the term', 'Share']
        """
        from ..analysis import robustness
        from ..reconstruct import reconstruct
        from ..reconstruct import load_inputs

        t = TEXT[self.lang]
        if not robustness.applies(self.loaded):
            return Html(f'<p class="cm-sentence">{html.escape(t["not_drawn"])}</p>'), None
        inputs = load_inputs(self.loaded.data_dir)
        found = []
        for seed in range(1, int(n_seeds) + 1):
            study = robustness.study_from_reconstruction(reconstruct(seed, inputs=inputs), self.loaded)
            if self.study.filters:
                study = study.filter(**{k: v for k, v in self.original.filters.items()})
            conf = configurations(study, outcome, conditions, fuzzy=fuzzy, incl_cut=incl_cut, n_cut=n_cut,
                                  min_cases=self.threshold if self.publish else 1)
            solution = conf.solutions.get("parsimonious")
            found.append({term for model in (solution.models if solution else ()) for term in model})
        table = term_frequencies(found)
        rows = [stat_attributes("table")] * len(table)  # drawn from the study's statements, not from the data
        text = Html(f'<p class="cm-sentence">{html.escape(t["drawn"].format(n=n_seeds), quote=False)}</p>')
        return text, self.frame(table.set_index("term"), kind="stats", rows=rows)


def _classes_of(codes) -> list:
    """The classes a set's codes name, a merged group's each."""
    return [c for code in codes for c in code.split("+")]


def _unions(groups: list) -> list:
    """Every non-empty set of the shown groups (a size-class condition must be a union of them)."""
    return [list(c) for r in range(1, len(groups) + 1) for c in combinations(groups, r)]


__all__ = ["NECESSITY_CUT", "TEXT"]
