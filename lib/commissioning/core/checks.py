"""The vocabulary every part shares, and the checks of arguments against it: languages, units of
analysis, provenance labels. Each check raises `ParameterError` naming the parameter, the value and
what is allowed."""

from __future__ import annotations

import numbers

from ..errors import ParameterError

LANGS = ("en", "nl")
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


def check_choice(name: str, value, allowed) -> object:
    """Return `value` when it is one of `allowed`.

    Returns
    -------
    object

    Raises
    ------
    ParameterError

    Examples
    --------
    >>> check_choice("by", "region", ("size_class", "region", None))
    'region'
    """
    if value not in tuple(allowed):
        raise ParameterError(name, value, allowed=allowed)
    return value


def check_whole(name: str, value, *, minimum: int = 1) -> int:
    """Return `value` when it is a whole number (not a bool) of at least `minimum`.

    Returns
    -------
    int

    Raises
    ------
    ParameterError

    Examples
    --------
    >>> check_whole("threshold", 3)
    3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ParameterError(name, value, allowed=f"a whole number of at least {minimum}")
    return int(value)


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
