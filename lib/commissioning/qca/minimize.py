"""Boolean minimisation of a truth table, as R's QCA package's ``minimize()`` (QCA 3.23, its
defaults): the conservative solution (``include=''``), the parsimonious one (``include='?'``) and
the intermediate one (with directional expectations), every minimal model of each."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .checks import check_dir_exp, check_include, given_cuts, split_names
from .cover import MAX_MODELS, TooManyModels
from .implicants import consistency_cubes, quine_mccluskey
from .intermediate import easy_counterfactuals, simplifying_assumptions
from .notation import ABSENT, write_term
from .solution import Fit, Models, chart_frame, fit_table, model_strings, solution_strings, solve
from .truthtable import CaseData, bits_of, source_of, truth_table

OUT_VALUES = ("1", "0", "C", "?")


@dataclass(frozen=True, eq=False)
class IntermediateModels:
    """The intermediate models from one conservative and one parsimonious model (R's ``C1P1``,
    ``C1P2``, ...), with the easy counterfactuals they rest on.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 0], "C": [1, 1, 1], "Y": [1, 1, 0]})
    >>> r = minimize(frame, "Y", include="?", dir_exp=["A", "B", "C"])
    >>> r.intermediate[0].name, r.intermediate[0].solutions
    ('C1P1', ('A*C',))
    """

    name: str
    conservative: str
    parsimonious: str
    solutions: tuple
    models: tuple
    essential: tuple
    terms: pd.DataFrame
    chart: pd.DataFrame
    easy_counterfactuals: pd.DataFrame


@dataclass(frozen=True, eq=False)
class Minimization:
    """The result of `minimize`.

    Attributes
    ----------
    kind : str
        ``conservative``, ``parsimonious`` or ``intermediate``.
    outcome : str
        The outcome as R writes it (``~Y`` when negated).
    conditions : tuple of str
    solutions : tuple of str
        Every minimal model, as a sum in R's notation (M1, M2, ... in R's order; the terms in
        every model first).
    models : tuple of tuple of str
        The terms of each model.
    essential : tuple of str
        The terms in every model.
    terms : DataFrame
        The terms' fit and each model's, as R prints it (see `solution.fit_table`).
    chart : DataFrame of bool
        The prime implicant chart: prime implicants by the configurations explained.
    truth_table : DataFrame
        The truth table minimised.
    simplifying_assumptions : dict
        For a parsimonious or intermediate solution, per parsimonious model (``M1``, ...) the
        remainders it covers, as rows of a truth table.
    intermediate : tuple of IntermediateModels
        For an intermediate solution, per pair of a conservative and a parsimonious model.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
    >>> r = minimize(frame, "Y")
    >>> r.kind, r.solutions, r.essential
    ('conservative', ('A',), ('A',))
    >>> print(r)
    M1: A -> Y
    """

    kind: str
    outcome: str
    conditions: tuple
    solutions: tuple
    models: tuple
    essential: tuple
    terms: pd.DataFrame
    chart: pd.DataFrame
    truth_table: pd.DataFrame
    simplifying_assumptions: dict = field(default_factory=dict)
    intermediate: tuple = ()

    def __str__(self) -> str:
        return "\n".join(f"M{i}: {s} -> {self.outcome}" for i, s in enumerate(self.solutions, start=1))


def _table(data, outcome, conditions, options: dict) -> tuple[pd.DataFrame, CaseData]:
    """The truth table to minimise: `data` itself when it is one (made again when options are given
    that differ from those it was made with, as R does), else made from `data`."""
    given = {k: v for k, v in options.items() if v is not None}
    source = source_of(data)
    if source is None:
        if outcome is None:
            raise ParameterError("outcome", problem="is missing", allowed="the outcome's column (or a truth table)")
        table = truth_table(data, outcome, conditions, **given)
        return table, source_of(table)
    if outcome is not None:
        text = str(outcome).strip()
        if text.lstrip("~").strip() != source.outcome:
            raise ParameterError("outcome", outcome, problem="is not the truth table's outcome", allowed=source.outcome)
        given["negate_outcome"] = text.startswith("~") != bool(given.get("negate_outcome", False))
    if conditions is not None and split_names(conditions) != list(source.conditions):
        raise ParameterError("conditions", conditions, problem="are not the truth table's conditions",
                             allowed=list(source.conditions))
    current = {**{k: source.options[k] for k in ("incl_cut", "n_cut", "pri_cut")}, "negate_outcome": source.negated}
    wanted = {**current, **given}
    if "incl_cut" in given:
        wanted["incl_cut"] = given_cuts(given["incl_cut"])
    if wanted == current:
        return data, source
    table = truth_table(source.frame, source.outcome, list(source.conditions), **wanted)
    return table, source_of(table)


def _rows(table: pd.DataFrame, conditions) -> dict:
    """The configurations of each OUT value, in truth-table order, with the cases of each."""
    out = table["OUT"].astype(str).str.strip()
    bad = out[~out.isin(OUT_VALUES)]
    if len(bad):
        raise ParameterError("truth_table['OUT']", bad.iloc[0], problem=f"is not an output value (row {bad.index[0]})",
                             allowed=list(OUT_VALUES))
    ordered = table.assign(OUT=out).sort_index()
    configs = ordered[list(conditions)].to_numpy(dtype=np.int64)
    return {value: (configs[(ordered["OUT"] == value).to_numpy()],
                    ordered.loc[ordered["OUT"] == value, "cases"].astype(str).tolist() if "cases" in ordered
                    else [""] * int((ordered["OUT"] == value).sum()))
            for value in OUT_VALUES}


def _conservative(base) -> list:
    implicants = quine_mccluskey(base)
    if implicants == [(ABSENT,) * base.shape[1]]:
        raise ParameterError("conditions", problem="are all minimised away: every configuration has OUT 1",
                             allowed="conditions whose configurations do not all go with the outcome")
    return implicants


def _parsimonious(positive, negative) -> list:
    if not len(negative):
        raise ParameterError("include", "?", problem="leaves no negative configuration: every condition would be "
                             "minimised away", allowed="'' (the conservative solution), or a truth table with OUT 0 rows")
    return consistency_cubes(positive, negative)


def minimize(data, outcome=None, conditions=None, *, incl_cut=None, n_cut=None, pri_cut=None, include="",
             dir_exp=None, negate_outcome=None, max_models: int = MAX_MODELS) -> Minimization:
    """Every minimal solution of a truth table, as R's ``minimize()`` finds them.

    Parameters
    ----------
    data : DataFrame
        A truth table made by `truth_table` (its OUT column may have been edited), or a frame of
        cases (one row per case, set memberships from 0 to 1), from which one is made.
    outcome : str, optional
        The outcome's column (``~Y`` for its negation); required for a frame of cases.
    conditions : list of str or str, optional
        The conditions (default: every other column, or the truth table's).
    incl_cut, n_cut, pri_cut, negate_outcome : optional
        As for `truth_table` (defaults 1, 1, 0, False); given with a truth table, it is made again
        with them, as R does.
    include : str
        ``''``: the conservative (complex) solution; ``'?'``: remainders may be covered, the
        parsimonious solution (or, with `dir_exp`, the intermediate one); ``'C'`` contradictions
        may be covered too (``'?, C'``).
    dir_exp : sequence of str or str, optional
        Directional expectations, one per condition in their order: ``X`` (presence expected to go
        with the outcome), ``~X`` (absence) or ``-``; requires ``include='?'``.
    max_models : int
        The most minimal models to list (default 1000). A solution with more is not cut short:
        ParameterError says how many there are at least (R would try to list them all).

    Returns
    -------
    Minimization

    Raises
    ------
    ParameterError
        For bad input (see `truth_table`), directional expectations of the wrong length or without
        remainders, no configuration with OUT 1, or no negative one when remainders are included.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"A": [1, 1, 0, 0, 1], "B": [1, 0, 1, 0, 1], "C": [0, 1, 1, 1, 1],
    ...                       "Y": [1, 1, 0, 0, 1]}, index=list("pqrst"))
    >>> print(minimize(frame, "Y", include="?"))
    M1: A -> Y
    >>> minimize(frame, "Y").solutions
    ('A*B + A*C',)
    """
    table, source = _table(data, outcome, conditions, {"incl_cut": incl_cut, "n_cut": n_cut, "pri_cut": pri_cut,
                                                       "negate_outcome": negate_outcome})
    include = check_include(include)
    conditions = source.conditions
    if dir_exp is not None and "?" not in include:
        raise ParameterError("dir_exp", dir_exp, problem="needs the remainders",
                             allowed="directional expectations with include='?'")
    expectations = check_dir_exp(dir_exp, conditions) if dir_exp is not None else None
    rows = _rows(table, conditions)
    explain, cases = rows["1"]
    if not len(explain):
        raise ParameterError("incl_cut", source.options["incl_cut"],
                             problem="leaves no configuration with OUT 1 to explain",
                             allowed="a lower incl_cut, n_cut or pri_cut, or another outcome")
    fit = Fit(source.memberships, source.outcome_values, conditions, cases)
    base = np.vstack([explain, rows["C"][0]]) if "C" in include else explain
    negative = np.vstack([rows["0"][0]] + ([] if "C" in include else [rows["C"][0]]))
    kind = "conservative" if "?" not in include else "parsimonious" if expectations is None else "intermediate"
    if kind == "conservative":
        models = _solve(_conservative(base), explain, max_models, "conservative solution")
        return _result(kind, models, fit, explain, table, source)
    step = "parsimonious solution" + (" (the intermediate one starts from its models)" if expectations else "")
    pars = _solve(_parsimonious(explain, negative), explain, max_models, step)
    assumptions = _assumptions(pars, explain, len(conditions))
    if kind == "parsimonious":
        return _result(kind, pars, fit, explain, table, source, assumptions=assumptions)
    cons = _solve(_conservative(base), explain, max_models,
                  "conservative solution (the intermediate one starts from its models)")
    return _intermediate(cons, pars, expectations, fit, explain, table, source, assumptions, max_models)


def _solve(implicants, explain, max_models, what: str) -> Models:
    """`solve`, with too many models reported as a ParameterError that says of `what`."""
    try:
        return solve(implicants, explain, max_models=max_models)
    except TooManyModels as many:
        raise ParameterError("max_models", max_models, problem=f"is fewer than the minimal models of the {what} (at "
                             f"least {many.at_least})", allowed="a larger max_models; or fewer conditions, or a higher "
                             "n_cut or incl_cut, which leave fewer configurations to cover") from None


def _numbers(configs: np.ndarray) -> np.ndarray:
    return configs @ (1 << np.arange(configs.shape[1] - 1, -1, -1))


def _assumptions(pars: Models, explain, k) -> list:
    return [simplifying_assumptions([pars.implicants[i] for i in cover], _numbers(explain), k) for cover in pars.covers]


def _configurations(numbers, conditions) -> pd.DataFrame:
    frame = pd.DataFrame(bits_of(np.asarray(numbers, dtype=np.int64), len(conditions)), columns=list(conditions))
    frame.index = pd.Index(np.asarray(numbers, dtype=np.int64) + 1, name="row")
    return frame


def _result(kind, models: Models, fit: Fit, explain, table, source, *, assumptions=(), intermediate=()):
    strings = model_strings(models, fit.conditions)
    essential = tuple(write_term(models.implicants[i], fit.conditions) for i in models.essential)
    sa = {f"M{m}": _configurations(numbers, fit.conditions) for m, numbers in enumerate(assumptions, start=1)}
    return Minimization(kind, source.label, tuple(fit.conditions), tuple(solution_strings(strings)), tuple(strings),
                        essential, fit_table(models, fit), chart_frame(models, fit.conditions, explain),
                        table, sa, tuple(intermediate))


def _intermediate(cons: Models, pars: Models, expectations, fit: Fit, explain, table, source, assumptions,
                  max_models):
    """R's intermediate solutions: one set of models per pair of a conservative and a parsimonious
    model; the result's own models are all of them (each once, in that order)."""
    k = len(fit.conditions)
    combos, everything = [], []
    for c, c_cover in enumerate(cons.covers, start=1):
        c_terms = [cons.implicants[i] for i in c_cover]
        for p, p_cover in enumerate(pars.covers, start=1):
            p_terms = [pars.implicants[i] for i in p_cover]
            ec = easy_counterfactuals(c_terms, p_terms, expectations, assumptions[p - 1], k)
            widened = np.vstack([explain, bits_of(ec, k)]) if len(ec) else explain
            models = _solve(quine_mccluskey(widened), explain, max_models, f"intermediate solution C{c}P{p}")
            strings = model_strings(models, fit.conditions)
            combos.append(IntermediateModels(
                f"C{c}P{p}", " + ".join(write_term(t, fit.conditions) for t in c_terms),
                " + ".join(write_term(t, fit.conditions) for t in p_terms), tuple(solution_strings(strings)),
                tuple(strings), tuple(write_term(models.implicants[i], fit.conditions) for i in models.essential),
                fit_table(models, fit), chart_frame(models, fit.conditions, explain),
                _configurations(ec, fit.conditions)))
            everything.append(models)
    merged = _merge(everything)
    return _result("intermediate", merged, fit, explain, table, source, assumptions=assumptions,
                   intermediate=combos)


def _merge(all_models: list[Models]) -> Models:
    """One set of models from several: implicants in order of first appearance, each distinct model
    once, in the order found."""
    if len(all_models) == 1:
        return all_models[0]
    implicants, rows, covers = [], [], []
    for models in all_models:
        for i, imp in enumerate(models.implicants):
            if imp not in implicants:
                implicants.append(imp)
                rows.append(models.chart[i])
        for cover in models.covers:
            merged = tuple(sorted(implicants.index(models.implicants[i]) for i in cover))
            if merged not in covers:
                covers.append(merged)
    return Models(implicants, np.array(rows), covers)
