"""Selections of units: by their municipality's attributes (size class, region, named
municipalities) and by the code of another variable (`coded`), and the counts of a selection.

A selection is a mapping such as ``{size_class: [small, medium]}`` or ``{coded: {variable:
contracts.integrated_share, codes: [limited, substantial]}}`` (units whose value of that variable
is one of those codes: respondents in a municipality with a tilted model, municipalities with
integrated contracts). A `coded` selection depends on the values, so its mask has the batch
dimension of the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .table import WHERE_KEYS, UnitTable

SELECTION_KEYS = (*WHERE_KEYS, "coded")


def static_part(where: dict | None) -> dict:
    """The part of a selection that depends on the units' attributes only (without `coded`).

    Returns
    -------
    dict

    Examples
    --------
    >>> static_part({"size_class": ["small"], "coded": {"variable": "organisation.model", "codes": ["tilted"]}})
    {'size_class': ['small']}
    """
    return {k: v for k, v in (where or {}).items() if k != "coded"}


def coded_variables(spec: dict) -> list[str]:
    """The variables a rule's selections read through `coded` (in `where`, `greater`, `than` and
    `groups`), in order, each once.

    Returns
    -------
    list of str

    Examples
    --------
    >>> coded_variables({"rule": "compare", "variable": "portfolio.overview", "codes": ["own_department"],
    ...                  "greater": {"coded": {"variable": "organisation.model", "codes": ["tilted"]}},
    ...                  "than": {"coded": {"variable": "organisation.model", "codes": ["sector"]}}})
    ['organisation.model']
    """
    out = []
    selections = [spec.get(k) for k in ("where", "greater", "than")] + list(spec.get("groups") or [])
    for where in selections:
        coded = (where or {}).get("coded") if isinstance(where, dict) else None
        if isinstance(coded, dict) and coded.get("variable") not in out:
            out.append(coded.get("variable"))
    return out


def _coded_mask(table: UnitTable, var_id: str, coded: dict) -> np.ndarray:
    """(batch, units of `var_id`) True where the unit's value of `coded['variable']` is one of its codes."""
    other = coded["variable"]
    hit = table.hits(other, coded["codes"])
    here, there = table.space_of[var_id], table.space_of[other]
    if here == there:
        return hit
    if (there, here) != ("municipality", "interview"):
        raise ParameterError("coded", other, problem=f"is coded per interview, {var_id} per municipality",
                             allowed="a selection by a variable of the same unit, or by a fact about the "
                                     "municipality for a variable coded per interview")
    key = ("to_interviews",)
    index = table.cache.get(key)
    if index is None:
        index = table.cache[key] = pd.Index(table.spaces["municipality"].ids).get_indexer(
            table.spaces["interview"].municipality)
    return hit[:, index]


def selection_mask(table: UnitTable, var_id: str, where: dict | None) -> np.ndarray:
    """The units of `var_id` that a selection keeps: (units,) for a selection by attributes,
    (batch, units) when it selects by another variable's codes.

    Parameters
    ----------
    table : UnitTable
    var_id : str
    where : dict or None
        A selection (`SELECTION_KEYS`).

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> import commissioning as cm, commissioning.analysis.units as units
    >>> table = units.table_from_study(cm.load_study())
    >>> int(selection_mask(table, "agenda.explicitness", {"size_class": ["small"]}).sum())
    3
    >>> tilted = {"coded": {"variable": "organisation.model", "codes": ["tilted"]}}
    >>> selection_mask(table, "agenda.explicitness", tilted).shape
    (1, 24)
    """
    mask = table.space(var_id).mask(static_part(where))
    coded = (where or {}).get("coded")
    if coded:
        mask = mask & _coded_mask(table, var_id, coded)
    return mask


def count_codes(table, var_id, codes, where):
    """(k, n): per batch row, units of the selection coded one of `codes`, and units with a value.

    Parameters
    ----------
    table : UnitTable
    var_id : str
    codes : str or list of str
    where : dict or None
        A selection of units (`selection_mask`).

    Returns
    -------
    tuple of numpy.ndarray
        `k` and `n`, each of shape (batch,).

    Examples
    --------
    >>> import commissioning as cm, commissioning.analysis.units as units
    >>> table = units.table_from_study(cm.load_study())
    >>> k, n = count_codes(table, "agenda.explicitness", ["explicit"], {"size_class": ["large", "very_large"]})
    >>> n.tolist()
    [15]
    """
    mask = selection_mask(table, var_id, where)
    present = table.present(var_id) & mask
    return (table.hits(var_id, codes) & present).sum(axis=-1), present.sum(axis=-1)
