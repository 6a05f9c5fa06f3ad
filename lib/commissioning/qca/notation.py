"""Terms and sums in the notation of R's QCA package (version 3 and later): a term is a product of
literals joined by ``*``, a literal is a condition (``DEV``, the set) or its negation (``~DEV``), and
a sum of terms is joined by `` + ``, as in ``DEV*~URB*LIT*STB + DEV*LIT*IND*STB``.

Inside the package a term is a tuple with one code per condition, in the order of the conditions,
as R codes implicants: 0 the condition does not appear, 1 it appears negated (``~X``), 2 it
appears as itself (``X``). A configuration (a truth-table row) is a tuple of 0 and 1 values, one per
condition; its number is R's row name, the configuration read as a binary number with the first
condition as the most significant digit, plus one.
"""

from __future__ import annotations

import re

from ..errors import ParameterError

ABSENT, NEGATED, PRESENT = 0, 1, 2
TILDE = "~"


def write_term(code, conditions) -> str:
    """A term in R's notation.

    Parameters
    ----------
    code : sequence of int
        One code per condition: 0 absent, 1 negated, 2 present.
    conditions : sequence of str
        The conditions' names, in the order of `code`.

    Returns
    -------
    str
        The literals joined by ``*``, in the order of the conditions; ``"1"`` for the empty term
        (the universal set), as Boolean algebra writes it.

    Examples
    --------
    >>> write_term((2, 1, 0, 2), ["DEV", "URB", "LIT", "STB"])
    'DEV*~URB*STB'
    >>> write_term((0, 0), ["A", "B"])
    '1'
    """
    literals = [(TILDE if c == NEGATED else "") + name for c, name in zip(code, conditions) if c != ABSENT]
    return "*".join(literals) if literals else "1"


def write_sum(terms) -> str:
    """A sum of terms in R's notation.

    Parameters
    ----------
    terms : iterable of str
        Terms already written (see `write_term`).

    Returns
    -------
    str
        The terms joined by `` + ``.

    Examples
    --------
    >>> write_sum(["DEV*~URB*LIT*STB", "DEV*LIT*IND*STB"])
    'DEV*~URB*LIT*STB + DEV*LIT*IND*STB'
    """
    return " + ".join(terms)


def parse_term(text: str, conditions, *, parameter: str = "term") -> tuple[int, ...]:
    """The code of a term written in R's notation.

    Parameters
    ----------
    text : str
        Literals joined by ``*`` (spaces allowed), e.g. ``"DEV*~URB"``; each condition at most once.
    conditions : sequence of str
        The conditions the term may use.
    parameter : str
        The parameter's name for an error message.

    Returns
    -------
    tuple of int
        One code per condition (0 absent, 1 negated, 2 present).

    Raises
    ------
    ParameterError
        For a literal that names no condition, or a condition used twice.

    Examples
    --------
    >>> parse_term("DEV * ~URB", ["DEV", "URB", "LIT"])
    (2, 1, 0)
    >>> parse_term("DEV*POP", ["DEV", "URB"])
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: term: 'POP' is not a condition; allowed: DEV, URB, ~DEV, ~URB
    """
    index = {name: i for i, name in enumerate(conditions)}
    code = [ABSENT] * len(conditions)
    for literal in (part.strip() for part in text.split("*")):
        name = literal[1:].strip() if literal.startswith(TILDE) else literal
        if name not in index:
            raise ParameterError(parameter, literal, problem="is not a condition",
                                 allowed=[*conditions, *(TILDE + c for c in conditions)])
        if code[index[name]] != ABSENT:
            raise ParameterError(parameter, text, problem=f"uses {name} twice", allowed="each condition at most once")
        code[index[name]] = NEGATED if literal.startswith(TILDE) else PRESENT
    return tuple(code)


def parse_sum(text: str, conditions, *, parameter: str = "solution") -> list[tuple[int, ...]]:
    """The codes of the terms of a sum written in R's notation.

    Parameters
    ----------
    text : str
        Terms joined by ``+``, e.g. ``"DEV*~URB + LIT"``.
    conditions : sequence of str
    parameter : str
        The parameter's name for an error message.

    Returns
    -------
    list of tuple of int
        One code per term, in the order written.

    Examples
    --------
    >>> parse_sum("DEV*~URB + LIT", ["DEV", "URB", "LIT"])
    [(2, 1, 0), (0, 0, 2)]
    """
    return [parse_term(part, conditions, parameter=parameter) for part in re.split(r"\s*\+\s*", text.strip())]


def term_covers(code, configuration) -> bool:
    """Whether a term covers a configuration (every literal agrees with it).

    Parameters
    ----------
    code : sequence of int
        A term's code (0 absent, 1 negated, 2 present).
    configuration : sequence of int
        A configuration: 0 or 1 per condition.

    Returns
    -------
    bool

    Examples
    --------
    >>> term_covers((2, 1, 0), (1, 0, 1)), term_covers((2, 1, 0), (1, 1, 1))
    (True, False)
    """
    return all(c == ABSENT or c == v + 1 for c, v in zip(code, configuration))


def row_number(configuration) -> int:
    """R's row number of a configuration: the configuration as a binary number (the first condition
    most significant) plus one.

    Parameters
    ----------
    configuration : sequence of int
        0 or 1 per condition.

    Returns
    -------
    int

    Examples
    --------
    >>> row_number((0, 0, 0)), row_number((1, 0, 1))
    (1, 6)
    """
    number = 0
    for value in configuration:
        number = 2 * number + int(value)
    return number + 1
