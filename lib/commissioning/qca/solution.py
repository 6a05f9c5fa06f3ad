"""What a minimisation returns: the models (every minimal solution), their terms' fit as R's QCA
package prints it, the prime implicant chart and, for an intermediate solution, the easy
counterfactuals behind it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .cover import MAX_MODELS, minimal_covers
from .fit import ZERO, ZERO_MODEL, sufficiency, term_memberships
from .implicants import chart as make_chart
from .notation import write_sum, write_term


@dataclass(frozen=True, eq=False)
class Models:
    """Every minimal solution of one prime implicant chart, before fit is computed.

    `implicants` are the chart's prime implicants in R's order (each covering a configuration to
    explain); `covers` the minimal sets of them (positions, ascending), in R's order.

    Examples
    --------
    >>> m = solve([(2, 0), (0, 2)], np.array([[1, 0], [0, 1]]))
    >>> m.covers, m.essential
    ([(0, 1)], [0, 1])
    """

    implicants: list
    chart: np.ndarray
    covers: list

    @property
    def essential(self) -> list[int]:
        """Positions of the implicants in every model (R's essential prime implicants)."""
        return [i for i in range(len(self.implicants)) if all(i in c for c in self.covers)]

    @property
    def used(self) -> list[int]:
        """Positions of the implicants in some model, ascending."""
        return sorted({i for c in self.covers for i in c})

    def printed(self, cover) -> list[int]:
        """The terms of a model in the order R prints them: essential ones first.

        Returns
        -------
        list of int

        Examples
        --------
        >>> m = Models([(2, 0), (0, 2), (1, 1)], np.ones((3, 1), dtype=bool), [(0, 1), (1, 2)])
        >>> m.printed((0, 1)), m.printed((1, 2))
        ([1, 0], [1, 2])
        """
        essential = set(self.essential)
        return [i for i in cover if i in essential] + [i for i in cover if i not in essential]


def solve(implicants, explain: np.ndarray, *, max_models: int = MAX_MODELS) -> Models:
    """The minimal solutions among `implicants` for the configurations to explain.

    Parameters
    ----------
    implicants : list of tuple of int
        Prime implicants in R's order.
    explain : ndarray of 0/1, shape (configurations, conditions)
    max_models : int
        Raise `cover.TooManyModels` beyond this many minimal models.

    Returns
    -------
    Models
        Implicants that cover no configuration to explain are left out, as R leaves them out.

    Examples
    --------
    >>> solve([(2, 0), (1, 1)], np.array([[1, 0], [1, 1]])).covers
    [(0,)]
    """
    full = make_chart(implicants, explain)
    keep = full.any(axis=1)
    implicants = [imp for imp, k in zip(implicants, keep) if k]
    table = full[keep]
    return Models(implicants, table, minimal_covers(table, max_models=max_models))


@dataclass(frozen=True, eq=False)
class Fit:
    """What `fit_table` needs of the cases: memberships, outcome, names of conditions and the case
    list of each configuration to explain.

    Examples
    --------
    >>> Fit(np.array([[1.0]]), np.array([1.0]), ("A",), ["x"]).conditions
    ('A',)
    """

    memberships: np.ndarray
    outcome: np.ndarray
    conditions: tuple
    cases: list = field(default_factory=list)


def fit_table(models: Models, fit: Fit) -> pd.DataFrame:
    """The terms of the models with their fit, and one row per model, as R prints them.

    Parameters
    ----------
    models : Models
    fit : Fit
        With the cases of each configuration explained (the chart's columns), for each term's.

    Returns
    -------
    DataFrame
        Columns ``term``, ``inclS``, ``PRI``, ``covS``, ``covU``, with several models also
        ``(M1)``, ``(M2)``, ... (each term's unique coverage within that model), and ``cases``.
        First the terms (those in every model first), then rows ``M1``, ``M2``, ... with each
        model's inclS, PRI and covS.

    Examples
    --------
    >>> m = solve([(2, 0), (0, 2)], np.array([[1, 0], [0, 1]]))
    >>> f = Fit(np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]), np.array([1.0, 1.0, 0.0]), ("A", "B"), ["x", "y"])
    >>> fit_table(m, f)[["term", "inclS", "covS", "covU"]]
      term  inclS  covS  covU
    0    A    1.0   0.5   0.5
    1    B    1.0   0.5   0.5
    2   M1    1.0   1.0   NaN
    """
    used = models.used
    essential = [i for i in used if i in set(models.essential)]
    rows = essential + [i for i in used if i not in set(essential)]
    pims = term_memberships(fit.memberships, [models.implicants[i] for i in rows])
    terms, union = sufficiency(pims, fit.outcome, zero=ZERO)
    names = [write_term(models.implicants[i], fit.conditions) for i in rows]
    table = pd.DataFrame(terms, columns=["inclS", "PRI", "covS", "covU"])
    table.insert(0, "term", names)
    several = len(models.covers) > 1
    fits, unique = [], {}
    for m, cover in enumerate(models.covers, start=1):
        position = [rows.index(i) for i in cover]
        own, whole = sufficiency(pims[:, position], fit.outcome, zero=ZERO_MODEL)
        fits.append(whole if several else union)
        if several:
            unique[f"(M{m})"] = np.full(len(rows), np.nan)
            unique[f"(M{m})"][position] = own[:, 3]
    chart = models.chart[rows]
    cases = ["; ".join(c for c, hit in zip(fit.cases, line) if hit) for line in chart]
    table = pd.concat([table, pd.DataFrame(unique, index=table.index), pd.DataFrame({"cases": cases})], axis=1)
    models_rows = pd.DataFrame(fits, columns=["inclS", "PRI", "covS"])
    models_rows.insert(0, "term", [f"M{m}" for m in range(1, len(fits) + 1)])
    return pd.concat([table, models_rows], ignore_index=True)


def model_strings(models: Models, conditions) -> list[tuple[str, ...]]:
    """Each model's terms in R's notation, in the order R prints them.

    Returns
    -------
    list of tuple of str

    Examples
    --------
    >>> model_strings(solve([(2, 0), (0, 2)], np.array([[1, 0], [0, 1]])), ["A", "B"])
    [('A', 'B')]
    """
    return [tuple(write_term(models.implicants[i], conditions) for i in models.printed(c)) for c in models.covers]


def chart_frame(models: Models, conditions, explain: np.ndarray) -> pd.DataFrame:
    """The prime implicant chart as a frame: one row per prime implicant (R notation), one column
    per configuration explained (R's row number), True where the implicant covers it.

    Returns
    -------
    DataFrame of bool

    Examples
    --------
    >>> chart_frame(solve([(2, 0)], np.array([[1, 0], [1, 1]])), ["A", "B"], np.array([[1, 0], [1, 1]]))
           3     4
    A   True  True
    """
    weights = 1 << np.arange(explain.shape[1] - 1, -1, -1)
    return pd.DataFrame(models.chart, index=[write_term(i, conditions) for i in models.implicants],
                        columns=(np.asarray(explain) @ weights + 1).tolist())


def solution_strings(models) -> list[str]:
    """Each model as one sum in R's notation.

    Returns
    -------
    list of str

    Examples
    --------
    >>> solution_strings([("A", "~B*C")])
    ['A + ~B*C']
    """
    return [write_sum(m) for m in models]
