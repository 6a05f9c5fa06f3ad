"""Simplifying assumptions and easy counterfactuals, as R's QCA package finds them for the
intermediate solution (``minimize`` with ``dir.exp``; its C routine ``C_getEC``, QCA 3.23).

A parsimonious model's simplifying assumptions are the remainders its terms cover. For a pair of
a conservative model and a parsimonious model, R takes each conservative term that contains a
parsimonious term and drops from it the literals that the parsimonious term lacks and that go
against a directional expectation (a literal with no expectation, or the expected one, stays).
The simplifying assumptions that one of these reduced terms covers are the easy
counterfactuals. The intermediate solution is then minimised as the conservative one is, with the
easy counterfactuals added to the configurations that may be covered.
"""

from __future__ import annotations

import numpy as np

from .implicants import covered_numbers
from .notation import ABSENT


def simplifying_assumptions(model, explained: np.ndarray, k: int) -> np.ndarray:
    """The remainders a parsimonious model covers.

    Parameters
    ----------
    model : sequence of tuple of int
        The model's terms (0 absent, 1 negated, 2 present per condition).
    explained : ndarray of int
        Numbers (R's row number minus one) of the configurations the model explains.
    k : int
        The number of conditions.

    Returns
    -------
    ndarray of int
        Numbers of the configurations covered and not explained, ascending.

    Examples
    --------
    >>> simplifying_assumptions([(2, 0)], np.array([3]), 2).tolist()
    [2]
    """
    covered = covered_numbers(model, k)
    return covered[~np.isin(covered, explained)]


def reduced_terms(conservative, parsimonious, expectations) -> list[tuple[int, ...]]:
    """The conservative terms that contain a parsimonious term, without the literals the
    parsimonious term lacks that go against a directional expectation.

    Parameters
    ----------
    conservative, parsimonious : sequence of tuple of int
        The two models' terms.
    expectations : tuple of int
        Per condition 0 (none), 1 (absence expected) or 2 (presence expected).

    Returns
    -------
    list of tuple of int
        One term per pair of a conservative term and a parsimonious term it contains.

    Examples
    --------
    >>> reduced_terms([(2, 1, 2)], [(2, 0, 0)], (2, 2, 0))
    [(2, 0, 2)]
    """
    out = []
    for comp in conservative:
        for pars in parsimonious:
            if all(p == ABSENT or p == c for p, c in zip(pars, comp)):
                out.append(tuple(
                    ABSENT if c != ABSENT and p == ABSENT and e != ABSENT and e != c else c
                    for c, p, e in zip(comp, pars, expectations)))
    return out


def easy_counterfactuals(conservative, parsimonious, expectations, assumptions: np.ndarray, k: int) -> np.ndarray:
    """The simplifying assumptions of `parsimonious` that agree with the directional expectations
    by R's rule (covered by a reduced conservative term, see `reduced_terms`).

    Parameters
    ----------
    conservative, parsimonious : sequence of tuple of int
        The two models' terms.
    expectations : tuple of int
        Per condition 0 (none), 1 (absence expected) or 2 (presence expected).
    assumptions : ndarray of int
        The parsimonious model's simplifying assumptions (configuration numbers).
    k : int
        The number of conditions.

    Returns
    -------
    ndarray of int
        Numbers of the easy counterfactuals, ascending.

    Examples
    --------
    >>> easy_counterfactuals([(2, 2)], [(2, 0)], (2, 2), np.array([2]), 2).tolist()
    []
    >>> easy_counterfactuals([(2, 1)], [(2, 0)], (2, 2), np.array([3]), 2).tolist()
    [3]
    """
    terms = reduced_terms(conservative, parsimonious, expectations)
    if not terms or not len(assumptions):
        return np.array([], dtype=np.int64)
    return assumptions[np.isin(assumptions, covered_numbers(terms, k))]
