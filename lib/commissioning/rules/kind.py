"""`RuleKind`: one kind of rule, and everything the suite does with it, in one object.

A kind measures a rule on a `UnitTable` (its verdict), describes what it measured in English and
Dutch, says what a constraint of its kind fixes before the reconstruction draws and how a ranked
set's mentions are bounded, and says how publishing treats a claim that rests on it. The suite's
kinds are in `commissioning.rules.kinds`; a study of its own adds one with `register`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .selection import coded_variables
from .table import spec_variables


def _no_codes(spec: dict) -> list:
    return []


@dataclass(frozen=True)
class RuleKind:
    """A kind of rule (`share`, `compare`, ...): how it is checked, measured, described, drawn and
    protected. Only `name`, `measure` and `describe` are needed; the rest has the defaults of a
    rule on the shares of codes of its variables.

    Attributes
    ----------
    name : str
        The value of a rule's ``rule`` key.
    measure : callable
        ``measure(table, spec, quantifiers) -> Outcome``, on the table at the rule's unit: the
        status of every batch row (a claim's verdict; a draw's acceptance) and the numbers behind it.
    describe : callable
        ``describe(d, spec, data) -> (value, threshold, evidence)``: row 0 of the outcome's data in
        words in `d`'s language (``d.lang``, "en" or "nl"; `commissioning.rules.descriptions.Describer`)
        and its evidence table.
    required : frozenset
        Keys a rule of the kind needs beyond ``rule``.
    one_of : tuple
        A rule of the kind needs at least one of these keys.
    keys : frozenset
        Further keys it may have (beyond `commissioning.rules.registry.OPTIONAL` and the common ones).
    applies_to : str or None
        What its quantifier applies to (data/quantifiers.csv, column ``applies_to``).
    coded : bool
        Whether it may select units by another variable's codes (``where: {coded: ...}``).
    per_interview : bool
        Whether it is measured per interview only (a claim may not state ``unit: municipality``).
    variables : callable or None
        ``variables(spec, codebook) -> [variable]`` it measures; None: its ``variable`` or ``variables``.
    codes_named : callable
        ``codes_named(spec) -> [(variable, codes)]`` it names besides ``codes`` of its variables.
    evidence : str
        How its evidence maps to a report's count cells: "cells" (its variables' codes by its
        groups), "joint" (units on several variables at once), "within" (within municipalities) or
        "ranked" (the mentions of a ranked set).
    by_size_class : bool
        Whether it reads every size class on its own (withheld where publishing merges them).
    public : bool
        Whether it rests on public facts only (never withheld).
    names_units : bool
        Whether it names municipalities (withheld when published).
    min_effect : bool
        Whether it needs the minimum effect (the quantifier `more_often`) in quantifiers.csv.
    selection_bounds : bool
        Whether, in the reconstruction's provenance, its statement bears only on the units its
        ``where`` selects by their attributes.
    evidence_by_size : bool
        Whether its evidence shows its count in each shown size group of the selection besides the
        cells of its value (as its describer's evidence table does).
    determine : callable or None
        ``determine(spec, table, quantifiers) -> [(variable, unit mask, code mask, "only"|"not")]``:
        what a constraint of the kind fixes before the reconstruction draws; None: nothing (the
        draw is accepted by `measure` alone).
    mentions : callable or None
        ``mentions(spec, codes, n, quantifiers) -> {code: set of allowed counts}``: how it bounds the
        mentions of a ranked set's codes among `n` respondents, for the reconstruction.
    interviews : callable or None
        ``interviews(spec) -> {cbs_code: interviews}``: the interviews per municipality a constraint
        of the kind fixes, which the reconstruction draws (one constraint of the suite must).
    narrow : callable or None
        ``narrow(spec, variable, allowed, table, drawn) -> allowed``: the codes of `variable` each
        unit may still be given so that a constraint of the kind can hold, once the variables in
        `drawn` are drawn (the reconstruction's coherence); None: it narrows nothing.
    stated : callable
        ``stated(spec) -> set of codes`` of a ranked set that it states (robustness leaves them out
        of the patterns the study does not state).
    """

    name: str
    measure: Callable
    describe: Callable
    required: frozenset = frozenset()
    one_of: tuple = ()
    keys: frozenset = frozenset()
    applies_to: str | None = None
    coded: bool = False
    per_interview: bool = False
    variables: Callable | None = None
    codes_named: Callable = field(default=_no_codes)
    evidence: str = "cells"
    by_size_class: bool = False
    public: bool = False
    names_units: bool = False
    min_effect: bool = False
    selection_bounds: bool = False
    evidence_by_size: bool = False
    determine: Callable | None = None
    mentions: Callable | None = None
    interviews: Callable | None = None
    narrow: Callable | None = None
    stated: Callable = field(default=lambda spec: set())

    def __post_init__(self):
        if self.evidence not in EVIDENCE:
            raise ValueError(f"rule kind {self.name}: evidence {self.evidence!r}; allowed: {', '.join(EVIDENCE)}")


EVIDENCE = ("cells", "joint", "within", "ranked")


def rule_variables(spec: dict, codebook=None) -> list[str]:
    """Every variable a rule reads (for `themes`, the codebook's per-interview variables of them),
    including those its selections read through `coded`.

    Parameters
    ----------
    spec : dict
        One rule.
    codebook : Codebook, optional
        Needed to expand `themes`; without it a rule by themes reads no listed variable.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import commissioning as cm
    >>> spec = {"rule": "differ_vs_chance", "themes": ["agenda"], "quantifier": "enormous"}
    >>> rule_variables(spec, cm.load_study().codebook)
    ['agenda.explicitness', 'agenda.more_attention', 'agenda.carrier', 'agenda.social_domain_link']
    >>> rule_variables({"rule": "ranking", "above": ["sourcing.design"], "below": ["sourcing.strategy"],
    ...                 "codes": ["outsourced"]})
    ['sourcing.design', 'sourcing.strategy']
    """
    measured = measured_variables(spec, codebook)
    return measured + [v for v in coded_variables(spec) if v not in measured]


def measured_variables(spec: dict, codebook=None) -> list[str]:
    """The variables whose values a rule measures (`rule_variables` without those only its
    selections read).

    Returns
    -------
    list of str

    Examples
    --------
    >>> measured_variables({"rule": "share", "variable": "portfolio.overview", "codes": ["none"],
    ...                     "quantifier": "few", "where": {"coded": {"variable": "organisation.model",
    ...                                                              "codes": ["tilted"]}}})
    ['portfolio.overview']
    """
    from .kinds import KINDS  # the suite's kinds, and those a study registered

    kind = KINDS.get(spec.get("rule"))
    if kind is not None and kind.variables is not None:
        return kind.variables(spec, codebook)
    return spec_variables(spec)
