"""Error types of the suite.

Every error about input names the file, the place in it (line, column or key), the bad value
and what is allowed, so that a researcher can fix the data without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one input file."""

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
    """Base class of every error the suite raises on purpose."""


class DataError(CommissioningError):
    """The data directory holds invalid data; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the data:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class ParameterError(CommissioningError, ValueError):
    """A parameter or filter value is not allowed (unknown name, value outside the codebook,
    a selection that is empty)."""


class NotebookError(CommissioningError):
    """A notebook is not written as the suite requires (a language cell without its counterpart,
    say); `problems` lists every problem, each naming the notebook and the cell."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
