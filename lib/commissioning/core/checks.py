"""The vocabulary every part shares, and the checks of arguments against it: languages, units of
analysis, provenance labels. Each check raises `ParameterError` naming the parameter, the value and
what is allowed."""

from __future__ import annotations

import numbers

from ..errors import ParameterError

LANGS = ("en", "nl")
THRESHOLD = 3  # the fewest units a published group counts, unless a run asks for more
UNITS = ("interview", "municipality")
UNIT_CHOICES = (*UNITS, "natural")
# provenance of a value, strongest first (a municipality's value combined from interviews with several takes
# the last): coded from an interview; stated by the study for every unit or a named one; following from its
# statement about a named group; a fact from outside the study, with its source; drawn by the reconstruction
BASES = ("observed", "reported", "derived", "external", "imputed")


def check_lang(lang: str) -> str:
    """Return `lang` when it is a report language.

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        Naming the languages allowed.

    Examples
    --------
    >>> check_lang("nl")
    'nl'
    """
    if lang not in LANGS:
        raise ParameterError("lang", lang, allowed=LANGS)
    return lang


def check_unit(unit: str, *, natural: bool = False) -> str:
    """Return `unit` when it is a unit of analysis ("natural" too when `natural`).

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        Naming the units allowed.

    Examples
    --------
    >>> check_unit("interview")
    'interview'
    """
    allowed = UNIT_CHOICES if natural else UNITS
    if unit not in allowed:
        raise ParameterError("unit", unit, allowed=allowed)
    return unit


def natural_unit(variable) -> str:
    """The unit on which a variable is counted by default: 'interview' for a variable coded per
    interview (and for a ranked set), 'municipality' for a fact about the municipality.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> cb = cm.load_study().codebook
    >>> natural_unit(cb.variables["sourcing.design"]), natural_unit(cb.variables["organisation.model"])
    ('interview', 'municipality')
    """
    return "interview" if variable.per_interview or variable.type == "ranked_set" else "municipality"


def check_threshold(threshold) -> int:
    """The threshold as an int, or ParameterError when it is not a whole number of at least 1
    (numpy's integers count as whole numbers, booleans do not).

    Returns
    -------
    int

    Examples
    --------
    >>> import numpy as np
    >>> check_threshold(np.int64(5))
    5
    >>> check_threshold(0)
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: threshold: 0 is not allowed; allowed: a whole number of at least 1 (default 3)
    """
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Integral) or threshold < 1:
        raise ParameterError("threshold", threshold, allowed=f"a whole number of at least 1 (default {THRESHOLD})")
    return int(threshold)
