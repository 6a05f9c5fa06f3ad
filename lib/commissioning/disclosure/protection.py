"""Publishing safeguards: what a published run may show, safe by construction and checked.

The threat model (README, "Publishing"): a reader has every page of one published run (every
notebook, both languages, the index), every number in its tables, figures and prose, and the
public facts of Table 1 (which municipalities took part, their size class and region, how many
interviews each). Nothing about a group of fewer than `threshold` municipalities or fewer than
`threshold` respondents (interviews) may be recoverable exactly from that, by subtraction within a
table, across tables or across pages.

`protection(study, publish=True)` decides what may be published, in three steps:

1. **Global recoding of size classes.** While a size class of the selection has fewer than
   `threshold` municipalities or interviews, it is merged with its neighbour in the order small <
   medium < large < very large (the only neighbour, else the neighbour with fewer municipalities,
   then fewer interviews, then the larger one). The study itself speaks of "the large and very
   large municipalities"; on the shipped data very large (2 municipalities) joins large. Tables are
   then computed on `Protection.study`, in which the merged class is one group
   ("large+very_large", "Large and very large" / "Groot en zeer groot").
2. **Primary suppression.** Regions are nominal and cannot be merged meaningfully: a region below
   the threshold is suppressed, together with the smallest other region so that the total does not
   give it by subtraction. A block (one group's column of one variable at one unit) with fewer than
   `threshold` units with a value is suppressed too. A selection that is itself below the threshold
   shows nothing. A variable coded per municipality is shown per municipality only: counted per
   interview it weighs each municipality by its number of interviews (public in Table 1), and the
   two counts together give the value of a municipality with several interviews (Den Haag's, from
   the West column alone).
3. **Complementary suppression across linked tables.** For every variable, the universe of cells
   a run may publish (each code's count overall, by shown size group and by region, per
   municipality and per interview; for a ranked set the mentions of each code overall, by size
   group, by region and by rank) is one system of linear equations in the unknown values per unit.
   An integer program (`scipy.optimize.milp`) finds, for every *protected value*, whether it is
   determined by all published cells together. When one is, the cheapest set of blocks that lets it
   take another value is suppressed (`release`: one mixed integer program with an indicator per
   block, as in Fischetti and Salazar's model of cell suppression; regions give way before size
   groups, the whole selection only as a last resort), and the check is repeated until nothing is
   determined. The result is deterministic.

Protected values are the count of each code (and of "no value") in every group a reader can name
from Table 1 that has fewer than `threshold` municipalities or interviews: each municipality (at
both units: its value, and the count over its interviews), each interview, each size class, region
and region x size class cell below the threshold. A determined value is allowed only when it is
entailed by a published, unanimous cell of a group of at least `threshold` units ("all 18
municipalities invest in public space" determines every municipality's value: that is the study's
own statement about a large group).

Modelling choices, documented for the auditor and the README:

- Units that share region, shown size group and (for a variable coded per municipality, counted
  per interview with the municipality's weight) the number of interviews are interchangeable in
  every published cell; the integer program is solved over their counts ("atoms"), and a part of an
  atom is determined only when the atom holds the code in none or all of its units.
- A municipality's value of a variable coded per interview is a median or mode of its
  interviews, which is not linear. It is an unknown of its own, equal to the interview's value for
  a municipality with one interview and otherwise not linked to its interviews' values.

`for_publication` blanks respondent roles, file names and notes and pseudonymises coders; the
recoded `Protection.study` is made from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..core import check_lang, check_threshold, natural_unit
from ..errors import ParameterError
from ..rules import KINDS, rule_variables
from .plan import unions
from .recoding import ALL, ALL_LABEL, RANK_LABEL, THRESHOLD, UNITS, block_key


@dataclass
class Protection:
    """What a run may publish: the study to tabulate, its groups, and which blocks are shown.

    Attributes
    ----------
    publish : bool
        False: everything is shown and `study` is `original`.
    threshold : int
        The smallest number of municipalities and of respondents a shown group may hold.
    original : Study
        The study as loaded (possibly filtered).
    study : Study
        In publish mode: `original` with respondent fields blanked (`for_publication`) and its size
        classes recoded into the shown groups (municipalities, interviews, codings and the codebook's
        size_class attribute, with merged codes such as "large+very_large"), so that `crosstab`,
        `activity_shares` and the like give the merged groups. Otherwise `original`.
    size_map : dict
        {original size class present: shown group code}.
    log : list of dict
        What was merged or suppressed: `action` ("merged" or "suppressed"), `rule` (a key of
        `RULES`), `variable` (None: every variable), `unit`, `by`, `group`, `merged` and `into` (size
        classes of a merge), `protects` (kinds of protected value a suppression protects), `n`.
    checked : dict
        The engine's own result: `protected` (protected values checked), `entailed` (determined by a
        unanimous cell of a large group, allowed), `determined` (0 after suppression), `narrowest`
        (the fewest values a protected value not entailed was found to take), `solves`, `seconds`.

    Examples
    --------
    >>> import commissioning as cm
    >>> p = cm.protection(cm.load_study(), publish=True)
    >>> p.publish, p.threshold, p.size_map["large"]
    (True, 3, 'large+very_large')
    """

    publish: bool
    threshold: int
    original: object = field(repr=False)
    study: object = field(repr=False)
    size_map: dict
    _groups: dict = field(default_factory=dict, repr=False)
    _planner: object = field(default=None, repr=False)
    selection: dict = field(default_factory=dict)
    release: object = field(default=None, repr=False)

    @property
    def log(self) -> list:
        """What was merged or suppressed, every variable included (see the class docstring)."""
        return [dict(e) for e in self._planner.log()] if self._planner is not None else []

    @property
    def checked(self) -> dict:
        """The engine's own result over every variable (see the class docstring)."""
        return self._planner.checked() if self._planner is not None else {}

    def groups(self, by) -> list[tuple[str, str, str]]:
        """The groups of a published table by `by`, as (code, English label, Dutch label), in order.

        Parameters
        ----------
        by : {None, "size_class", "region", "rank"}
            None gives the whole selection, ("all", "All", "Alle"); "rank" the ranks of a ranked set.

        Returns
        -------
        list of tuple
            Whether a group's cells are shown for a variable is `shown`.

        Examples
        --------
        >>> import commissioning as cm
        >>> p = cm.protection(cm.load_study(), publish=True)
        >>> [code for code, en, nl in p.groups("size_class")]
        ['small', 'medium', 'large+very_large']
        >>> p.groups("size_class")[-1][1:]
        ('Large and very large', 'Groot en zeer groot')
        """
        self._check_by(by)
        return list(self._groups[by])

    def _check_by(self, by):
        if by not in self._groups:
            raise ParameterError("by", by, allowed=", ".join(str(b) for b in self._groups))

    def shown(self, variable: str, by, group: str, unit: str) -> bool:
        """Whether the cells of one group of `variable` may be published.

        Parameters
        ----------
        variable : str
            A variable of the codebook.
        by : {None, "size_class", "region", "rank"}
            The grouping of the table ("rank" only for a ranked set).
        group : str
            A group code of `groups(by)`, or "all" for the whole selection.
        unit : {"municipality", "interview", "natural"}
            What the table counts (a ranked set is counted per interview).

        Returns
        -------
        bool
            False when the group's block of that variable at that unit is suppressed.

        Examples
        --------
        >>> import commissioning as cm
        >>> p = cm.protection(cm.load_study(), publish=True)
        >>> p.shown("sourcing.design", "size_class", "large+very_large", "interview")
        True
        """
        if variable not in self.original.codebook.variables:
            raise ParameterError("variable", variable, problem="is not a variable of the codebook", allowed=self.original.codebook.variables)
        var = self.original.codebook.variables[variable]
        self._check_by(by)
        if unit == "natural":
            unit = natural_unit(var)
        if unit not in UNITS:
            raise ParameterError("unit", unit, allowed="municipality, interview, natural")
        if var.type == "ranked_set" and unit != "interview":
            raise ParameterError("unit", unit, problem=f"is not allowed for the ranked set {variable}", allowed="interview")
        if by == "rank" and var.type != "ranked_set":
            raise ParameterError("by", problem=f"'rank' is only allowed for a ranked set; {variable} is {var.type}")
        allowed = [ALL, *(code for code, _, _ in self._groups[by])]
        if by == "rank":
            allowed = [ALL, *(str(r) for r in range(1, int(var.size) + 1))]
        if group not in allowed:
            raise ParameterError("group", group, problem=f"is not a group of by={by!r}", allowed=allowed)
        if not self.publish:
            return True
        return self.block(by, group, unit) not in self._planner.variable(variable)[0]

    def block(self, by, group: str, unit: str) -> tuple:
        """The release's block of one group of this run's tables (`recoding.block_key`): the group
        within the run's selection.

        Returns
        -------
        tuple
            (unit, grouping, group) as the release's plan names it.

        Examples
        --------
        >>> import commissioning as cm
        >>> p = cm.protection(cm.load_study().filter(region="Zuid"), publish=True)
        >>> p.block("size_class", "small", "municipality"), p.block(None, "all", "interview")
        (('municipality', 'region_size', 'Zuid|small'), ('interview', 'region', 'Zuid'))
        """
        region, group_, rank, attrs = self.selection.get("region"), self.selection.get("size_class"), None, {}
        if group != ALL:
            if by == "region":
                region = group
            elif by == "size_class":
                group_ = group
            elif by == "rank":
                rank = group
            else:  # a further attribute of the codebook
                attrs[by] = group
        return block_key(unit, region, group_, rank, **attrs)

    def note(self, lang: str = "en") -> str:
        """One plain sentence saying what publishing did, in `lang`.

        Returns
        -------
        str

        Examples
        --------
        >>> import commissioning as cm
        >>> print(cm.protection(cm.load_study(), publish=True).note("en"))  # doctest: +NORMALIZE_WHITESPACE
        Published with disclosure control: size classes with fewer than 3 municipalities or respondents are
        merged with their neighbour (here: large and very large), and cells from which a smaller group could
        be worked out are suppressed (–).
        """
        check_lang(lang)
        if not self.publish:
            return {"en": "Not published: every group is shown, however small.",
                    "nl": "Niet gepubliceerd: elke groep wordt getoond, hoe klein ook."}[lang]
        t = self.threshold
        merged = [label for code, *labels in self._groups["size_class"] if "+" in code
                  for label in [labels[0] if lang == "en" else labels[1]]]
        merged = [m[:1].lower() + m[1:] for m in merged]
        if lang == "en":
            text = (f"Published with disclosure control: size classes with fewer than {t} municipalities or "
                    "respondents are merged with their neighbour")
            text += f" (here: {'; '.join(merged)})" if merged else " (none is needed here)"
            text += ", and cells from which a smaller group could be worked out are suppressed (–)"
        else:
            text = (f"Gepubliceerd met statistische geheimhouding: grootteklassen met minder dan {t} gemeenten of "
                    "respondenten zijn samengevoegd met hun buurklasse")
            text += f" (hier: {'; '.join(merged)})" if merged else " (hier niet nodig)"
            text += ", en cellen waaruit een kleinere groep is af te leiden zijn weggelaten (–)"
        return text + "."

    def withheld(self, claim: dict) -> dict | None:
        """Why a claim's evidence is withheld, or None when it may be shown.

        A claim is about a group below the threshold when one of its rules selects (with `where`,
        `greater`, `than` or one of `groups`) fewer than `threshold` municipalities of the original
        study, or, for a variable coded per interview, fewer than `threshold` interviews; or all but
        such a group (the whole selection's count is published, so the rest would follow by
        subtraction); or names municipalities (`municipality`, `municipality_not`, or an
        `only_named` rule). Evidence is also withheld for a selection of size classes that is not a
        union of the shown (merged) groups, such as large without very large. Its verdict is still
        shown; its value and evidence are not.

        Parameters
        ----------
        claim : dict
            A claim of data/claims.yaml (`commissioning.load_claims`).

        Returns
        -------
        dict or None
            {"en": reason, "nl": reason}, or None (always None when not publishing).

        Examples
        --------
        >>> import commissioning as cm
        >>> p = cm.protection(cm.load_study(), publish=True)
        >>> claims = {c["id"]: c for c in cm.load_claims()}
        >>> p.withheld(claims["s33-very-large-sector-model"])["en"]
        'Evidence withheld: the statement is about a group of fewer than 3 municipalities or respondents, or about all but such a group.'
        >>> p.withheld(claims["s21-public-space-everywhere"]) is None
        True
        """
        if not self.publish:
            return None
        if not isinstance(claim, dict) or not isinstance(claim.get("rules"), list):
            raise ParameterError("claim", str(claim)[:60], problem="is not a claim", allowed="a mapping with 'rules' (an entry of commissioning.load_claims())")
        cb = self.original.codebook
        munis = self.original.municipalities
        t = self.threshold
        total = (len(munis), int(munis["n_interviews"].sum()))
        shown_groups = {code: set(code.split("+")) for code, _, _ in self._groups["size_class"]}
        named = small = unshown = False
        for spec in claim["rules"]:
            kind = KINDS[spec.get("rule")]
            if kind.public:
                continue  # the public facts (Table 1's interview counts)
            if kind.names_units:
                named = True
            variables = [v for v in rule_variables(spec, cb) if v in cb.variables]
            per_interview = any(natural_unit(cb.variables[v]) == "interview" for v in variables)
            selections = [spec.get("where") or {}]
            selections += [spec[k] for k in ("greater", "than") if k in spec]
            selections += list(spec.get("groups") or [])
            for where in selections:
                if any(k in where for k in ("municipality", "municipality_not")):
                    named = True
                keep = pd.Series(True, index=munis.index)
                for key, values in where.items():
                    values = [values] if isinstance(values, str) else list(values)
                    if key in ("size_class", "region"):
                        keep &= munis[key].isin(values)
                    elif key == "municipality":
                        keep &= munis["cbs_code"].isin(values)
                    elif key == "municipality_not":
                        keep &= ~munis["cbs_code"].isin(values)
                n_munis, n_itv = int(keep.sum()), int(munis.loc[keep, "n_interviews"].sum())
                rest = (total[0] - n_munis, total[1] - n_itv)  # the whole selection's count is published
                if n_munis < t or (per_interview and n_itv < t) or 0 < rest[0] < t or (per_interview and 0 < rest[1] < t):
                    small = True
                classes = set(munis.loc[keep, "size_class"])
                if "size_class" in where and not any(classes == set().union(*parts) for parts in unions(shown_groups)):
                    unshown = True  # e.g. large without very large: not a sum of the groups the tables show
        if named:
            return {"en": "Evidence withheld: the statement names single municipalities.",
                    "nl": "Onderbouwing weggelaten: de uitspraak noemt afzonderlijke gemeenten."}
        if small:
            return {"en": f"Evidence withheld: the statement is about a group of fewer than {t} municipalities "
                          "or respondents, or about all but such a group.",
                    "nl": f"Onderbouwing weggelaten: de uitspraak gaat over een groep van minder dan {t} gemeenten "
                          "of respondenten, of over alle op zo'n groep na."}
        if unshown:
            return {"en": "Evidence withheld: the statement is about a group that the published tables do not show "
                          "(size classes merged for publication).",
                    "nl": "Onderbouwing weggelaten: de uitspraak gaat over een groep die de gepubliceerde tabellen "
                          "niet tonen (grootteklassen samengevoegd voor publicatie)."}
        return None


def attribute_groups(study) -> dict:
    """{attribute: [(code, English label, Dutch label)]} of the codebook's further attributes
    (other than size class and region), their codes present in the study, in codebook order.

    Returns
    -------
    dict

    Examples
    --------
    >>> import commissioning as cm
    >>> attribute_groups(cm.load_study())
    {}
    """
    out = {}
    for name, attr in study.codebook.attributes.items():
        if name in ("region", "size_class"):
            continue
        present = set(study.municipalities[name])
        out[name] = [(c, attr.codes[c]["en"], attr.codes[c]["nl"]) for c in attr.code_list if c in present]
    return out


def protection(study, *, publish: bool, threshold: int = THRESHOLD) -> Protection:
    """Decide what a run may publish: recoded size classes, suppressed blocks, and a log.

    See the module's docstring and the README ("Publishing") for the threat model and the method:
    global recoding of size classes below the threshold, suppression of regions below it, and
    complementary suppression wherever the published cells of linked tables together would
    determine a protected value (checked with an integer program per variable).

    Parameters
    ----------
    study : Study
        The study as loaded (possibly filtered).
    publish : bool
        False: nothing is changed or hidden (for one's own exploration).
    threshold : int
        The smallest number of municipalities and of respondents a shown group may hold (default 3).

    Returns
    -------
    Protection
        The study to tabulate, its groups, `shown` per block, the `log`, `note` and `withheld`.
        Each variable's plan is computed when first needed (`shown`, `log`) and kept for the
        process, per data fingerprint, filter and threshold.

    Raises
    ------
    ParameterError
        For a threshold that is not a whole number of at least 1.

    Examples
    --------
    >>> import commissioning as cm
    >>> p = cm.protection(cm.load_study(), publish=True)
    >>> p.size_map["very_large"]
    'large+very_large'
    >>> tab = cm.crosstab(p.study, "sourcing.design", by="size_class", unit="interview")
    >>> tab.groupby("size_class", sort=False)["n_total"].first().to_dict()
    {'small': 3, 'medium': 6, 'large+very_large': 15}
    >>> p.log[0]["action"], p.log[0]["merged"], p.log[0]["into"]
    ('merged', ['very_large'], ['large'])
    >>> cm.protection(cm.load_study(), publish=False).shown("sourcing.design", "size_class", "very_large", "municipality")
    True
    """
    threshold = check_threshold(threshold)
    if not isinstance(publish, bool):
        raise ParameterError("publish", publish, allowed="True, False")
    if publish:  # one run of the release of the whole data folder
        # lazy: release builds on this module's Protection
        from .release import release

        return release(study, threshold=threshold).view(**study.filters)
    cb = study.codebook
    labels = {("size_class", c): dict(v) for c, v in cb.attributes["size_class"].codes.items()}
    labels.update({("region", c): dict(v) for c, v in cb.attributes["region"].codes.items()})
    regions = [r for r in cb.attributes["region"].code_list if r in set(study.municipalities["region"])]
    rank_size = max([int(v.size) for v in cb.variables.values() if v.type == "ranked_set"] or [0])
    groups = {None: [(ALL, ALL_LABEL["en"], ALL_LABEL["nl"])],
              "region": [(r, labels[("region", r)]["en"], labels[("region", r)]["nl"]) for r in regions],
              "rank": [(str(r), RANK_LABEL["en"].format(r=r), RANK_LABEL["nl"].format(r=r))
                       for r in range(1, rank_size + 1)]}
    present = [c for c in cb.attributes["size_class"].code_list if c in set(study.municipalities["size_class"])]
    groups["size_class"] = [(c, labels[("size_class", c)]["en"], labels[("size_class", c)]["nl"]) for c in present]
    groups.update(attribute_groups(study))
    return Protection(False, threshold, study, study, {c: c for c in present}, groups, None,
                      selection=dict(study.filters))
