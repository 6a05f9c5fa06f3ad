"""Configurations across municipalities: the sets a QCA compares, made from a study's codings and
attributes, and the analysis of them with `commissioning.qca`.

A set is written ``NAME: variable=code`` (several codes joined by ``|``, several variables by ``|``
before the ``=``: membership when any of them has one of the codes), ``NAME: size_class=large+very_large``
or ``NAME: region=Zuid`` (an attribute), or a variable alone for a yes/no variable (``=yes``). A
municipality's membership is crisp (1 when its value, the median or mode of its respondents as
`unit_values` aggregates them, is one of the codes) or, with ``fuzzy=True`` for a variable coded
per interview, the share of its respondents with one of the codes calibrated by Ragin's direct
method (anchors 0, 0.5 and 1: no respondent, half of them, all).

Examples
--------
>>> import commissioning as cm
>>> s = parse_set("BUREAU: structure.engineering_bureau|structure.project_bureau=yes")
>>> s.name, s.variables, s.codes
('BUREAU', ('structure.engineering_bureau', 'structure.project_bureau'), ('yes',))
>>> frame = set_frame(cm.load_study(), ["LARGE: size_class=large+very_large", "SHARED: structure.shared_execution"])
>>> frame.sum().to_dict()
{'LARGE': 10, 'SHARED': 6}
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..errors import ParameterError
from .. import qca
from .units import unit_values

NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class SetSpec:
    """One set of a configuration: its name (as QCA writes it) and what membership means.

    Examples
    --------
    >>> SetSpec("LARGE", ("size_class",), ("large", "very_large"), True).attribute
    True
    """

    name: str
    variables: tuple
    codes: tuple
    attribute: bool = False
    text: str = ""


def parse_set(text: str, codebook=None) -> SetSpec:
    """A set written ``NAME: variable=code|code`` (see the module's docstring), checked against
    `codebook` when given.

    Returns
    -------
    SetSpec

    Raises
    ------
    ParameterError
        For a set that is not so written, a name QCA cannot use, or a variable, attribute or code
        the codebook does not have.

    Examples
    --------
    >>> parse_set("EXPLICIT: agenda.explicitness=explicit").codes
    ('explicit',)
    >>> parse_set("explicit")
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: set: 'explicit' is not a set written NAME: variable=code; allowed: e.g. EXPLICIT: agenda.explicitness=explicit, or LARGE: size_class=large+very_large
    """
    allowed = "e.g. EXPLICIT: agenda.explicitness=explicit, or LARGE: size_class=large+very_large"
    if not isinstance(text, str) or ":" not in text:
        raise ParameterError("set", text, problem="is not a set written NAME: variable=code", allowed=allowed)
    name, rest = (part.strip() for part in text.split(":", 1))
    if not NAME_RE.match(name):
        raise ParameterError("set", text, problem=f"names the set {name!r}, which QCA cannot write",
                             allowed="capitals, digits and _, starting with a capital (e.g. BUREAU)")
    left, _, right = rest.partition("=")
    variables = tuple(v.strip() for v in left.split("|") if v.strip())
    codes = tuple(c.strip() for c in re.split(r"[|+]", right) if c.strip()) if right else ("yes",)
    if not variables:
        raise ParameterError("set", text, problem="names no variable", allowed=allowed)
    attribute = variables[0] in ("size_class", "region") or (
        codebook is not None and variables[0] in codebook.attributes)
    if codebook is not None:
        for v in variables:
            var = codebook.attributes.get(v) if attribute else codebook.variables.get(v)
            if var is None:
                raise ParameterError("set", text, problem=f"names {v!r}, which the codebook does not have",
                                     allowed="a variable or attribute of the codebook")
            bad = [c for c in codes if c not in var.codes]
            if bad:
                raise ParameterError("set", text, problem=f"names codes {', '.join(bad)} that {v} does not have",
                                     allowed=", ".join(var.codes))
    return SetSpec(name, variables, codes, attribute, text)


def set_frame(study, sets, *, fuzzy: bool = False) -> pd.DataFrame:
    """One row per municipality of `study` (its CBS code), one column per set, the memberships.

    Parameters
    ----------
    study : Study
    sets : list of str or SetSpec
    fuzzy : bool
        A variable coded per interview: the calibrated share of the municipality's respondents
        with the codes, instead of its aggregated value.

    Returns
    -------
    DataFrame
        Memberships from 0 to 1 (whole numbers when crisp); municipalities without a value of a
        set's variables are left out.

    Examples
    --------
    >>> import commissioning as cm
    >>> set_frame(cm.load_study(), ["EXPLICIT: agenda.explicitness=explicit"], fuzzy=True).EXPLICIT.round(2).max()
    np.float64(0.95)
    """
    specs = [s if isinstance(s, SetSpec) else parse_set(s, study.codebook) for s in sets]
    names = [s.name for s in specs]
    if len(set(names)) < len(names):
        raise ParameterError("sets", names, problem="name a set twice", allowed="one name per set")
    munis = study.municipalities.set_index("cbs_code")
    munis = munis[munis["n_interviews"] > 0]
    columns = {}
    for spec in specs:
        if spec.attribute:
            columns[spec.name] = munis[spec.variables[0]].isin(_classes(spec.codes)).astype(int)
            continue
        per_interview = fuzzy and any(study.codebook.variables[v].per_interview for v in spec.variables)
        values = unit_values(study, list(spec.variables), unit="interview" if per_interview else "municipality")
        hit = values.assign(hit=values["code"].isin(spec.codes))
        key = "municipality" if per_interview else "unit_id"
        if per_interview:  # a respondent is in when any of the set's variables has one of the codes
            share = hit.groupby(["municipality", "unit_id"])["hit"].any().groupby(level=0).mean()
            columns[spec.name] = qca.calibrate_fuzzy(share, exclusion=0, crossover=0.5, inclusion=1)
        else:
            columns[spec.name] = hit.groupby(key)["hit"].any().astype(int)
    frame = pd.DataFrame(columns).reindex(munis.index)
    return frame.dropna().rename_axis("municipality")


def _classes(codes) -> list:
    """The size classes or regions a set's codes name (a merged group's classes too)."""
    return [c for code in codes for c in code.split("+")]


@dataclass
class Configurations:
    """What `configurations` found: the sets, the truth table, the solutions, necessity.

    Examples
    --------
    >>> import commissioning as cm
    >>> c = configurations(cm.load_study(), "EXPLICIT: agenda.explicitness=explicit",
    ...                    ["LARGE: size_class=large+very_large", "SHARED: structure.shared_execution"])
    >>> c.outcome.name, [s.name for s in c.conditions], c.left_out
    ('EXPLICIT', ['LARGE', 'SHARED'], 0)
    """

    outcome: SetSpec
    conditions: list
    frame: pd.DataFrame
    truth_table: pd.DataFrame
    solutions: dict  # kind -> Minimization or None (nothing to minimise)
    necessity: pd.DataFrame
    left_out: int  # municipalities in configurations of fewer than `min_cases`
    reasons: dict  # kind -> why it is not given (R's refusals: nothing to explain, ...)
    incl_cut: float = 1.0


def configurations(study, outcome, conditions, *, fuzzy: bool = False, incl_cut=1.0, n_cut: int = 1,
                   dir_exp=None, min_cases: int = 1) -> Configurations:
    """A QCA of the municipalities of `study`: truth table, the conservative, parsimonious and
    (with `dir_exp`) intermediate solutions, and the necessity of each condition.

    Parameters
    ----------
    study : Study
    outcome : str
        A set (see `parse_set`).
    conditions : list of str
        The condition sets.
    fuzzy : bool
        See `set_frame`.
    incl_cut, n_cut
        R's cut-offs of the truth table (inclusion; cases a configuration needs to be minimised).
    dir_exp : list of str, optional
        R's directional expectations, one per condition ("NAME", "~NAME" or "-").
    min_cases : int
        Municipalities in a configuration of fewer cases than this are left out of everything
        (a published report: the threshold), and their number is kept in `left_out`.

    Returns
    -------
    Configurations

    Examples
    --------
    >>> import commissioning as cm
    >>> c = configurations(cm.load_study(), "EXPLICIT: agenda.explicitness=explicit",
    ...                    ["CENTRAL: procurement.central_unit", "SHARED: structure.shared_execution"])
    >>> list(c.solutions), int(c.truth_table["n"].sum())
    (['conservative', 'parsimonious'], 18)
    """
    out = parse_set(outcome, study.codebook)
    conds = [parse_set(c, study.codebook) for c in conditions]
    if not conds:
        raise ParameterError("conditions", conditions, problem="is empty", allowed="one condition set or more")
    frame = set_frame(study, [*conds, out], fuzzy=fuzzy)
    names = [c.name for c in conds]
    left_out = 0
    if min_cases > 1 and len(frame):  # configurations of too few cases say something of each
        config = (frame[names] > 0.5).astype(int).astype(str).agg("".join, axis=1)
        counts = config.map(config.value_counts())
        left_out = int((counts < min_cases).sum())
        frame = frame[counts >= min_cases]
    if frame.empty:
        empty = pd.DataFrame(columns=[*names, "OUT", "n", "incl", "PRI", "cases"])
        return Configurations(out, conds, frame, empty, {}, pd.DataFrame(), left_out, {}, incl_cut)
    tt = qca.truth_table(frame, out.name, names, incl_cut=incl_cut, n_cut=n_cut)
    solutions, reasons = {}, {}
    for kind, include, expectations in (("conservative", "", None), ("parsimonious", "?", None),
                                        ("intermediate", "?", dir_exp)):
        if kind == "intermediate" and not dir_exp:
            continue
        try:
            solutions[kind] = qca.minimize(tt, include=include, dir_exp=expectations)
        except ParameterError as exc:  # R's refusals: nothing to explain, every configuration explained
            reasons[kind] = str(exc)
    return Configurations(out, conds, frame, tt, solutions, qca.necessity(frame, out.name, names), left_out, reasons,
                          incl_cut)


def term_frequencies(terms_by_draw: list) -> pd.DataFrame:
    """How often each solution term appears over draws (one set of terms per draw).

    Returns
    -------
    DataFrame with columns `term`, `draws` (in how many), `share`; most frequent first.

    Examples
    --------
    >>> term_frequencies([{"A*B"}, {"A*B", "~C"}, set()])
       term  draws     share
    0   A*B      2  0.666667
    1    ~C      1  0.333333
    """
    counts: dict = {}
    for terms in terms_by_draw:
        for t in terms:
            counts[t] = counts.get(t, 0) + 1
    n = max(len(terms_by_draw), 1)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return pd.DataFrame([(t, c, c / n) for t, c in rows], columns=["term", "draws", "share"])


__all__ = ["Configurations", "SetSpec", "configurations", "parse_set", "set_frame", "term_frequencies"]
