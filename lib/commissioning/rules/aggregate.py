"""One value per municipality from the values of its interviews, and a table at the unit a claim
is measured at.

`combine_counts` is the one rule that combines the codes of a municipality's interviews into its
value (the median for an ordinal variable, at least half yes for a boolean, the mode otherwise):
`commissioning.analysis.units.aggregate` combines the loaded study's interviews with it, and
`at_unit` combines a table's interview values (a batch of candidate draws in the reconstruction)
with it, so that a claim measured per municipality reads the same values in the checks and in the
reconstruction.
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError
from .table import UnitTable

UNITS = ("interview", "municipality")


def combine_counts(counts, kind: str, yes=None, no=None) -> tuple[np.ndarray, np.ndarray]:
    """The code of each group from the counts of its codes, and whether the rule had to break a tie.

    Parameters
    ----------
    counts : array of int, shape (..., codes)
        How many interviews of each group (a municipality, for one variable) have each code, in
        the variable's code order.
    kind : {"nominal", "ordinal", "boolean"}
        The variable's type: ordinal takes the lower median (the first code whose cumulative count
        passes (n - 1) // 2), boolean takes yes when at least half say yes, nominal takes the most
        frequent code (the first in code order on a tie).
    yes, no : int or array of int, optional
        For a boolean, the positions of the codes yes and no (broadcast against the groups).

    Returns
    -------
    code : numpy.ndarray of int64, shape (...)
        The position of the group's code; -1 for a group without a value.
    tied : numpy.ndarray of bool, shape (...)
        True where the rule broke a tie (a nominal mode shared by several codes, a boolean split
        half and half); never for an ordinal median.

    Examples
    --------
    >>> combine_counts([[1, 1, 0], [0, 1, 2], [0, 0, 0]], "ordinal")[0].tolist()
    [0, 2, -1]
    >>> combine_counts([[1, 1], [0, 2]], "boolean", yes=0, no=1)
    (array([0, 1]), array([ True, False]))
    >>> combine_counts([[2, 2, 1]], "nominal")
    (array([0]), array([ True]))
    """
    counts = np.asarray(counts, dtype=np.int64)
    n = counts.sum(axis=-1)
    if kind == "ordinal":
        cum = counts.cumsum(axis=-1)
        code = np.argmax(cum > ((n - 1) // 2)[..., None], axis=-1)
        tied = np.zeros(n.shape, dtype=bool)
    elif kind == "boolean":
        if yes is None or no is None:
            raise ParameterError("combine_counts", problem="a boolean needs the positions of yes and no",
                                 allowed="yes=<int>, no=<int>")
        yes, no = np.broadcast_arrays(np.asarray(yes, dtype=np.int64), np.asarray(no, dtype=np.int64))
        yes, no = np.broadcast_to(yes, n.shape), np.broadcast_to(no, n.shape)
        k_yes = np.take_along_axis(counts, yes[..., None], axis=-1)[..., 0]
        code = np.where(2 * k_yes >= n, yes, no)
        tied = 2 * k_yes == n
    else:
        code = np.argmax(counts, axis=-1)
        tied = (counts == counts.max(axis=-1, keepdims=True)).sum(axis=-1) > 1
    return np.where(n > 0, code, -1).astype(np.int64), tied & (n > 0)


def _membership(table: UnitTable) -> np.ndarray:
    """(interviews, municipalities) one-hot: which municipality each interview belongs to."""
    found = table.cache.get("membership")
    if found is None:
        munis = list(table.spaces["municipality"].ids)
        pos = {m: i for i, m in enumerate(munis)}
        found = np.zeros((len(table.spaces["interview"]), len(munis)), dtype=np.int64)
        for u, m in enumerate(table.spaces["interview"].municipality):
            if m in pos:
                found[u, pos[m]] = 1
        table.cache["membership"] = found
    return found


def municipality_values(table: UnitTable, var_id: str) -> np.ndarray:
    """The values of a variable coded per interview combined per municipality (`combine_counts`),
    shape (batch, municipalities); a variable coded per municipality as it is.

    Remembered for the values array it was computed from (the reconstruction draws one variable at
    a time, so only that variable is combined again).

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> import commissioning as cm, commissioning.analysis.units as units
    >>> table = units.table_from_study(cm.load_study())
    >>> municipality_values(table, "sourcing.design").shape
    (1, 18)
    """
    var = table.var(var_id)
    values = table.get(var_id)
    if table.space_of[var_id] == "municipality":
        return values
    if var.type == "ranked_set":
        raise ParameterError("variable", var_id, problem="is a ranked set; it has no value per municipality",
                             allowed="variables that are not ranked sets")
    key = ("municipality_values", var_id)
    hit = table.cache.get(key)
    if hit is not None and hit[0] is values:
        return hit[1]
    k = len(var.codes)
    onehot = (values[..., None] == np.arange(k)).astype(np.int64)  # (batch, interviews, codes)
    counts = np.einsum("buk,um->bmk", onehot, _membership(table))
    codes = var.code_list
    yes = codes.index("yes") if var.type == "boolean" else None
    no = codes.index("no") if var.type == "boolean" else None
    out, _ = combine_counts(counts, var.type, yes=yes, no=no)
    table.cache[key] = (values, out)
    return out


def at_unit(table: UnitTable, unit: str | None) -> UnitTable:
    """The table with every variable measured at `unit`.

    Parameters
    ----------
    table : UnitTable
        Each variable at its natural unit (as `commissioning.analysis.units.table_from_study` or
        the reconstruction make it).
    unit : {"interview", "municipality"} or None
        ``"municipality"``: every variable coded per interview (not a ranked set) combined per
        municipality by `combine_counts`; ``"interview"`` or None: the table as it is (a fact about
        the municipality stays per municipality, a selection by it is mapped to its interviews).

    Returns
    -------
    UnitTable

    Examples
    --------
    >>> import commissioning as cm, commissioning.analysis.units as units
    >>> table = units.table_from_study(cm.load_study())
    >>> at_unit(table, "municipality").space("sourcing.design").name
    'municipality'
    >>> at_unit(table, "interview") is table
    True
    """
    if unit in (None, "interview", "natural"):
        return table
    if unit != "municipality":
        raise ParameterError("unit", unit, allowed=UNITS)
    space_of, values = dict(table.space_of), dict(table.values)
    for var_id, var in table.codebook.variables.items():
        if table.space_of[var_id] == "interview" and var.type != "ranked_set":
            values[var_id] = municipality_values(table, var_id)
            space_of[var_id] = "municipality"
    return UnitTable(table.codebook, table.spaces, space_of, values, {}, table.cache)
