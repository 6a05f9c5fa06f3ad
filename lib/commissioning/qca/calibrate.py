"""Calibration: from codes or raw values to set memberships.

* `calibrate_crisp`: 1 for the codes that mean membership, 0 for the others; or, as R's
  ``calibrate(type = "crisp")``, the number of thresholds a raw value reaches.
* `calibrate_fuzzy`: Ragin's direct method with three anchors, as R's
  ``calibrate(type = "fuzzy", method = "direct", logistic = TRUE)``: the logistic function that
  gives 0.5 at the crossover and the inclusion degree `idm` (0.95) at the inclusion anchor (and
  1 - idm at the exclusion anchor); with the exclusion anchor above the inclusion anchor the set
  decreases. As R does, memberships below 0.0001 become 0 and above 0.9999 become 1. The share of
  a municipality's respondents who say something is such a raw value (anchors 0, 0.5 and 1, say).
* `calibrate_ordinal`: memberships for the codes of an ordinal variable, in their order, equally
  spaced from 0 to 1 unless given.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ..errors import ParameterError


def _values(values, parameter: str = "values") -> np.ndarray:
    array = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float) if not \
        isinstance(values, np.ndarray) else values.astype(float)
    if not len(array) or not np.isfinite(array).all():
        raise ParameterError(parameter, problem="holds a missing or non-numeric value" if len(array) else "is empty",
                             allowed="numbers, one per case")
    return array


def _like(values, result: np.ndarray):
    """`result` as a Series with the index and name of `values`, when that is a Series."""
    if isinstance(values, pd.Series):
        return pd.Series(result, index=values.index, name=values.name)
    return result


def calibrate_crisp(values, *, codes=None, thresholds=None):
    """Crisp set membership from codes, or from raw values and thresholds.

    Parameters
    ----------
    values : Series or array-like
        One code or raw value per case.
    codes : collection, optional
        The codes that mean membership (1); every other code gives 0.
    thresholds : number or sequence of numbers, optional
        Instead of `codes`: each value becomes the number of thresholds it reaches (R's
        ``findInterval``); one threshold gives a binary crisp set.

    Returns
    -------
    Series or ndarray of int
        A Series (same index and name) for a Series.

    Raises
    ------
    ParameterError
        Unless exactly one of `codes` and `thresholds` is given; for non-numeric values with
        thresholds, or thresholds outside the values' range (as R).

    Examples
    --------
    >>> calibrate_crisp(["explicit", "implicit", "none"], codes={"explicit"}).tolist()
    [1, 0, 0]
    >>> calibrate_crisp([300, 550, 900], thresholds=550).tolist()
    [0, 1, 1]
    """
    if (codes is None) == (thresholds is None):
        raise ParameterError("codes, thresholds", problem="both given" if codes is not None else "neither given",
                             allowed="one of them: codes (of the members) or thresholds (numbers)")
    if codes is not None:
        chosen = {codes} if isinstance(codes, str) else set(codes)
        result = np.array([v in chosen for v in pd.Series(values).tolist()], dtype=int)
        return _like(values, result)
    x = _values(values)
    cuts = np.sort(np.atleast_1d(np.asarray(thresholds, dtype=float)))
    if (cuts < x.min()).any() or (cuts > x.max()).any():
        raise ParameterError("thresholds", thresholds, problem="lie outside the range of the values",
                             allowed=f"numbers from {x.min():g} to {x.max():g}")
    return _like(values, np.searchsorted(cuts, x, side="right").astype(int))


def calibrate_fuzzy(values, *, exclusion: float, crossover: float, inclusion: float, idm: float = 0.95):
    """Fuzzy set membership by the direct method with three anchors (R's ``calibrate``).

    Parameters
    ----------
    values : Series or array-like of numbers
        Raw values, one per case (e.g. the share of a municipality's respondents).
    exclusion, crossover, inclusion : float
        The anchors: full non-membership (membership 1 - idm), the point of maximum ambiguity
        (0.5) and full membership (idm). The crossover lies strictly between the other two;
        exclusion above inclusion makes a decreasing set.
    idm : float
        The inclusion degree of membership at the inclusion anchor, above 0.5 and below 1.

    Returns
    -------
    Series or ndarray of float
        A Series (same index and name) for a Series.

    Raises
    ------
    ParameterError
        For anchors out of order, an idm outside (0.5, 1) or non-numeric values.

    Examples
    --------
    >>> calibrate_fuzzy([350, 550, 900, 1200], exclusion=350, crossover=550, inclusion=900).round(3).tolist()
    [0.05, 0.5, 0.95, 0.996]
    >>> calibrate_fuzzy([0.0, 0.25, 0.5, 1.0], exclusion=0, crossover=0.5, inclusion=1).round(3).tolist()
    [0.05, 0.187, 0.5, 0.95]
    """
    anchors = (exclusion, crossover, inclusion)
    if not all(isinstance(a, numbers.Real) and np.isfinite(a) for a in anchors) or \
            not min(exclusion, inclusion) < crossover < max(exclusion, inclusion):
        raise ParameterError("crossover", crossover, problem="does not lie strictly between exclusion and inclusion",
                             allowed=f"exclusion < crossover < inclusion (or the reverse); got {anchors}")
    if not isinstance(idm, numbers.Real) or not 0.5 < idm < 1:
        raise ParameterError("idm", idm, allowed="a number above 0.5 and below 1")
    x = _values(values)
    low, high = (exclusion, inclusion) if exclusion < inclusion else (inclusion, exclusion)
    scale = np.log(idm / (1 - idm))
    below = x < crossover
    with np.errstate(over="ignore"):
        fs = np.where(below, 1 / (1 + np.exp((x - crossover) * scale / (low - crossover))),
                      1 / (1 + np.exp(-(x - crossover) * scale / (high - crossover))))
    if exclusion > inclusion:
        fs = 1 - fs
    fs[fs < 0.0001] = 0
    fs[fs > 0.9999] = 1
    return _like(values, fs)


def calibrate_ordinal(values, *, order, memberships=None):
    """Fuzzy set membership for the codes of an ordinal variable.

    Parameters
    ----------
    values : Series or array-like
        One code per case.
    order : sequence
        Every code, from the least to the most member of the set.
    memberships : sequence of float, optional
        The membership of each code of `order` (non-decreasing, from 0 to 1); default equally
        spaced from 0 to 1 (four codes: 0, 1/3, 2/3, 1).

    Returns
    -------
    Series or ndarray of float
        A Series (same index and name) for a Series.

    Raises
    ------
    ParameterError
        For a code not in `order`, or memberships of the wrong number, outside [0, 1] or
        decreasing.

    Examples
    --------
    >>> calibrate_ordinal(["low", "high", "medium"], order=["low", "medium", "high"]).tolist()
    [0.0, 1.0, 0.5]
    >>> calibrate_ordinal(["none", "some"], order=["none", "some", "all"], memberships=[0, 0.4, 1]).tolist()
    [0.0, 0.4]
    """
    order = list(order)
    if len(order) < 2 or len(set(order)) != len(order):
        raise ParameterError("order", order, problem="is not a list of distinct codes", allowed="at least two codes")
    if memberships is None:
        levels = np.linspace(0, 1, len(order))
    else:
        levels = np.asarray(memberships, dtype=float)
        if levels.shape != (len(order),) or (levels < 0).any() or (levels > 1).any() or (np.diff(levels) < 0).any():
            raise ParameterError("memberships", memberships, problem="do not fit the order",
                                 allowed=f"{len(order)} non-decreasing numbers from 0 to 1")
    position = {code: i for i, code in enumerate(order)}
    codes = pd.Series(values).tolist()
    unknown = [c for c in codes if c not in position]
    if unknown:
        raise ParameterError("values", unknown[0], problem="is not in the order", allowed=order)
    return _like(values, levels[[position[c] for c in codes]].astype(float))
