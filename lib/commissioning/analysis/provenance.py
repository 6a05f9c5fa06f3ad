"""The provenance of the values behind the analyses, counted once: how many are observed, reported,
derived, external or imputed, and how many were edited after the reconstruction drew them.

The values are those every analysis reads (`unit_values` at each variable's natural unit: one per
interview for a variable coded per interview, one per municipality for a fact about it, one per
rank of a ranked set). A value that differs from what the reconstruction wrote
(`commissioning.data.origin`) is counted as edited, whatever its label says. The notice on top of a
report, the index's "About the data", the notes under tables and the README take their figures
from `value_provenance`, and `share_text` writes a share the one way they all print it.
"""

from __future__ import annotations

import numpy as np

from ..core import BASES, check_lang
from ..data import origin
from .units import unit_values

__all__ = ["edited_mask", "imputed_count", "imputed_mask", "share_text", "value_provenance"]


def edited_mask(study, values) -> np.ndarray:
    """Per row of `values` (rows of `unit_values`, at any unit), whether the value differs from what
    the reconstruction wrote (`commissioning.data.origin`): an interview's value that an edit changed,
    or a municipality's value combined from such an interview.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> edited_mask(study, cm.unit_values(study, "sourcing.design", unit="interview")).any()
    np.False_
    """
    found = origin(study)
    if found.kind == "coded" or not found.changed:
        return np.zeros(len(values), dtype=bool)
    by_interview = set(found.changed)
    munis = {(iid.split("-")[0], var) for iid, var in found.changed}
    return np.array([(u, v) in by_interview or (u, v) in munis for u, v in zip(values["unit_id"], values["variable"])],
                    dtype=bool)


def imputed_mask(study, values) -> np.ndarray:
    """Per row of `values`, whether it counts as imputed: labelled imputed and not edited since the
    reconstruction drew it. Every imputed share the suite prints counts with it.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> bool(imputed_mask(study, cm.unit_values(study, "sourcing.design", unit="municipality")).all())
    True
    """
    return (values["basis"].to_numpy() == "imputed") & ~edited_mask(study, values)


def value_provenance(study, variables=None) -> dict:
    """The values behind the analyses of `variables` (default: all), counted by provenance.

    Parameters
    ----------
    study : Study
    variables : str or list of str, optional

    Returns
    -------
    dict
        ``{"n_values": int, "basis": {basis: count}}`` with a count for every basis of
        `commissioning.core.checks.BASES` and for ``edited`` (values an edit changed, counted under
        no other basis); the counts add up to `n_values`.

    Examples
    --------
    >>> import commissioning as cm
    >>> counts = value_provenance(cm.load_study())
    >>> counts["n_values"], sum(counts["basis"].values()) == counts["n_values"], counts["basis"]["edited"]
    (1080, True, 0)
    """
    values = unit_values(study, variables, unit="natural")
    edited = edited_mask(study, values)
    kept = values.loc[~edited, "basis"].value_counts()
    basis = {b: int(kept.get(b, 0)) for b in BASES}
    basis["edited"] = int(edited.sum())
    return {"n_values": int(len(values)), "basis": basis}


def imputed_count(study, variables=None) -> tuple[int, int]:
    """(imputed, values): how many of the values behind `variables` are imputed, of how many.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> import commissioning as cm
    >>> k, n = imputed_count(cm.load_study(), "sourcing.design")
    >>> k == n == 24
    True
    """
    counts = value_provenance(study, variables)
    return counts["basis"]["imputed"], counts["n_values"]


def share_text(k: int, n: int, lang: str = "en") -> str:
    """A share of values as every report, the index and the README print it: one decimal, a decimal
    comma in Dutch.

    Returns
    -------
    str

    Examples
    --------
    >>> share_text(1021, 1080), share_text(1021, 1080, "nl"), share_text(0, 0)
    ('94.5%', '94,5%', '0.0%')
    """
    check_lang(lang)
    text = f"{100 * k / n:.1f}" if n else "0.0"
    return f"{text.replace('.', ',') if lang == 'nl' else text}%"
