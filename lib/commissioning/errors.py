"""Error types of the suite.

Every error about input names the file, the place in it (line, column or key), the bad value
and what is allowed, so that a researcher can fix the data without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one input file.

    Examples
    --------
    >>> print(Problem("municipalities.csv", "line 4, column 'population'", "is not a positive whole number",
    ...               value="-5", allowed="digits only, e.g. 519988"))
    municipalities.csv, line 4, column 'population': is not a positive whole number (got '-5');
    allowed: digits only, e.g. 519988
    >>> print(Problem("codebook.yaml", "", "is missing"))
    codebook.yaml: is missing
    """

    file: str
    where: str
    message: str
    value: object = None
    allowed: str = ""

    def __str__(self) -> str:
        text = f"{self.file}"
        if self.where:
            text += f", {self.where}"
        text += f": {self.message}"
        if self.value is not None:
            text += f" (got {self.value!r})"
        if self.allowed:
            text += f"; allowed: {self.allowed}"
        return text


class CommissioningError(Exception):
    """Base class of every error the suite raises on purpose. `exit_code` is what the command line
    exits with; each error type sets its own.

    Examples
    --------
    >>> issubclass(DataError, CommissioningError), CommissioningError("failed").exit_code
    (True, 1)
    """

    exit_code = 1


class DataError(CommissioningError):
    """The data directory holds invalid data; `problems` lists every problem found.

    Examples
    --------
    >>> err = DataError([Problem("codebook.yaml", "line 3", "is not a mapping")])
    >>> print(err)
    1 problem in the data:
      codebook.yaml, line 3: is not a mapping
    >>> err.exit_code
    2
    """

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the data:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


_NO_VALUE = object()


def allowed_text(allowed) -> str:
    """What is allowed, as a message says it: a string as it is, a sequence of choices joined by
    commas.

    Returns
    -------
    str
        Empty for None; ``None`` among the choices is written as ``None``.

    Examples
    --------
    >>> allowed_text(["en", "nl"]), allowed_text("a whole number of at least 1")
    ('en, nl', 'a whole number of at least 1')
    >>> allowed_text(("region", None)), allowed_text(None)
    ('region, None', '')
    """
    if allowed is None:
        return ""
    if isinstance(allowed, str):
        return allowed
    return ", ".join("None" if a is None else str(a) for a in allowed)


class ParameterError(CommissioningError, ValueError):
    """A parameter or filter value is not allowed (unknown name, value outside the codebook,
    a selection that is empty).

    Parameters
    ----------
    parameter : str
        The parameter's name, as the caller wrote it.
    value : object, optional
        The value given (left out when there is none, e.g. a missing parameter).
    problem : str
        What is wrong with it, as a phrase after the value (default "is not allowed").
    allowed : str or sequence, optional
        What is allowed: a phrase, or the choices.

    Attributes
    ----------
    parameter, value, problem, allowed
        As given; `value` is absent (`has_value` False) when none was given.

    Examples
    --------
    >>> err = ParameterError("lang", "fr", allowed=["en", "nl"])
    >>> str(err)
    "lang: 'fr' is not allowed; allowed: en, nl"
    >>> err.parameter, err.value, err.allowed, err.exit_code
    ('lang', 'fr', ['en', 'nl'], 2)
    >>> str(ParameterError("seeds", problem="no seed given", allowed="at least one seed"))
    'seeds: no seed given; allowed: at least one seed'
    """

    exit_code = 2

    def __init__(self, parameter: str, value=_NO_VALUE, *, problem: str = "is not allowed", allowed=None):
        self.parameter, self.problem, self.allowed = parameter, problem, allowed
        self.has_value = value is not _NO_VALUE
        self.value = value if self.has_value else None
        text = f"{parameter}: {value!r} {problem}" if self.has_value else f"{parameter}: {problem}"
        if allowed is not None and allowed != "":
            text += f"; allowed: {allowed_text(allowed)}"
        super().__init__(text)


class NotebookError(CommissioningError):
    """A notebook is not written as the suite requires (a language cell without its counterpart,
    say); `problems` lists every problem, each naming the notebook and the cell.

    Examples
    --------
    >>> err = NotebookError([Problem("report.ipynb", "cell 3", "has no Dutch counterpart")])
    >>> print(err)
    report.ipynb, cell 3: has no Dutch counterpart
    >>> len(err.problems), err.exit_code
    (1, 2)
    """

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ReconstructionError(CommissioningError):
    """The statements and constraints could not be satisfied together (or are malformed).

    Examples
    --------
    >>> err = ReconstructionError("no draw satisfies every constraint")
    >>> str(err), err.exit_code, isinstance(err, CommissioningError)
    ('no draw satisfies every constraint', 2, True)
    """

    exit_code = 2


class SuiteError(CommissioningError):
    """A notebook failed to run (or could not be started); the message names notebook, cell,
    language and error.

    Examples
    --------
    >>> err = SuiteError("report.ipynb, cell 5 (en): ZeroDivisionError")
    >>> str(err), err.exit_code
    ('report.ipynb, cell 5 (en): ZeroDivisionError', 1)
    """

    exit_code = 1


class DisclosureError(CommissioningError):
    """A published run was stopped because the audit of its pages, with every other published
    run of the same release, found a group below the threshold that a reader could work out (or
    the run cannot join its release); nothing was written. `problems` lists what the auditor
    found, each naming the page, the value and what allowed it.

    Examples
    --------
    >>> err = DisclosureError("the audit found 1 problem", ["en/02.html: the count of 'mixed' in Rotterdam is determined"])
    >>> print(err)
    the audit found 1 problem
      en/02.html: the count of 'mixed' in Rotterdam is determined
    >>> err.exit_code
    3
    """

    exit_code = 3

    def __init__(self, message: str, problems=()):
        self.problems = list(problems)
        super().__init__("\n".join([message, *(f"  {p}" for p in self.problems)]))
