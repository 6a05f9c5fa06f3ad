"""The table a rule is measured on (`UnitTable`: per-unit codes as integer arrays with a batch
dimension), what a measurement returns (`Outcome`) and the helpers every rule kind shares."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..core import natural_unit
from ..errors import ParameterError
from .quantifiers import get

SUPPORTED, NOT_SUPPORTED, INSUFFICIENT = "supported", "not supported", "insufficient data"
HOLDS, FAILS, NO_DATA = 1, 0, -1
STATUS_TEXT = {HOLDS: SUPPORTED, FAILS: NOT_SUPPORTED, NO_DATA: INSUFFICIENT}
WHERE_KEYS = ("size_class", "region", "municipality", "municipality_not")
MIN_UNITS = 3
MIN_EFFECT = "more_often"  # the quantifier every comparison between groups holds its difference against


def where_key(where) -> tuple:
    """A hashable key of a selection of units (its keys sorted, each value a tuple), to remember masks by.

    Parameters
    ----------
    where : dict or None
        A selection: `size_class`, `region`, `municipality` or `municipality_not`, each a code or a
        list of codes.

    Returns
    -------
    tuple

    Examples
    --------
    >>> where_key({"size_class": ["small", "medium"], "municipality": "GM0599"})
    (('municipality', ('GM0599',)), ('size_class', ('small', 'medium')))
    >>> where_key(None)
    ()
    """
    return tuple(sorted((k, tuple(v) if not isinstance(v, str) else (v,)) for k, v in (where or {}).items()))


@dataclass(frozen=True)
class Space:
    """The units of one kind (interviews or municipalities) with their municipality attributes."""

    name: str
    ids: np.ndarray
    municipality: np.ndarray
    size_class: np.ndarray
    region: np.ndarray
    masks: dict = field(default_factory=dict, compare=False, repr=False)  # selections already made

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, where: dict | None) -> np.ndarray:
        """Boolean mask (read-only, remembered) of the units a selection keeps (all when `where` is empty).

        Returns
        -------
        numpy.ndarray of bool

        Examples
        --------
        >>> import commissioning as cm, commissioning.analysis.units as units
        >>> space = units.table_from_study(cm.load_study()).spaces["municipality"]
        >>> len(space), space.ids[space.mask({"size_class": ["very_large"]})].tolist()
        (18, ['GM0518', 'GM0599'])
        """
        key = where_key(where)
        found = self.masks.get(key)
        if found is None:
            found = self.masks[key] = self._mask(where)
            found.flags.writeable = False
        return found

    def _mask(self, where: dict | None) -> np.ndarray:
        keep = np.ones(len(self.ids), dtype=bool)
        for key, allowed in (where or {}).items():
            allowed = [allowed] if isinstance(allowed, str) else list(allowed)
            if key == "municipality_not":
                keep &= ~np.isin(self.municipality, allowed)
            elif key == "municipality":
                keep &= np.isin(self.municipality, allowed)
            elif key in ("size_class", "region"):
                keep &= np.isin(getattr(self, key), allowed)
            else:
                raise ParameterError("where", key, problem="is not a selection key", allowed=WHERE_KEYS)
        return keep


@dataclass(frozen=True)
class UnitTable:
    """Per-unit values of every variable as integer codes (codebook order; -1: not coded).

    `values[var]` has shape (batch, units) for a coded variable and (batch, units, size) for a
    ranked set; the units are those of `spaces[space_of[var]]`. A table made from a study has a
    batch of one (`commissioning.analysis.units.table_from_study`; examples: the methods).
    """

    codebook: object
    spaces: dict
    space_of: dict
    values: dict
    basis: dict = field(default_factory=dict)  # var -> (units,) basis names, for evidence only
    cache: dict = field(default_factory=dict, compare=False, repr=False)  # shared by with_values copies

    @property
    def batch(self) -> int:
        """Rows of the batch dimension (1 for a table made from a study)."""
        return max((a.shape[0] for a in self.values.values()), default=1)

    def space(self, var: str) -> Space:
        """The units `var` is measured on (the space of its natural unit).

        Returns
        -------
        Space

        Examples
        --------
        >>> import commissioning as cm, commissioning.analysis.units as units
        >>> units.table_from_study(cm.load_study()).space("agenda.explicitness").name
        'interview'
        """
        return self.spaces[self.space_of[var]]

    def var(self, var_id: str):
        """The codebook's variable `var_id` (ParameterError for one it lacks).

        Returns
        -------
        Variable

        Examples
        --------
        >>> import commissioning as cm, commissioning.analysis.units as units
        >>> units.table_from_study(cm.load_study()).var("agenda.carrier").code_list
        ['connection', 'civil_service']
        """
        if var_id not in self.codebook.variables:
            raise ParameterError("variable", var_id, problem="is not a variable of the codebook", allowed=self.codebook.variables)
        return self.codebook.variables[var_id]

    def code_indices(self, var_id: str, codes) -> np.ndarray:
        """Indices of `codes` in the variable's code list (ParameterError for an unknown code).

        Returns
        -------
        numpy.ndarray of int64

        Examples
        --------
        >>> import commissioning as cm, commissioning.analysis.units as units
        >>> units.table_from_study(cm.load_study()).code_indices("portfolio.overview", ["full", "none"]).tolist()
        [2, 0]
        """
        codes = [codes] if isinstance(codes, str) else list(codes)
        key = ("codes", var_id, tuple(codes))
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._code_indices(var_id, codes)
        return found

    def _code_indices(self, var_id: str, codes: list) -> np.ndarray:
        var = self.var(var_id)
        bad = [c for c in codes if c not in var.codes]
        if bad:
            raise ParameterError("codes", problem=f"{', '.join(map(repr, bad))} not codes of {var_id}", allowed=var.codes)
        return np.array([var.code_list.index(c) for c in codes], dtype=np.int64)

    def get(self, var_id: str) -> np.ndarray:
        """The codes of `var_id`: (batch, units), (batch, units, size) for a ranked set; -1: not coded.

        Returns
        -------
        numpy.ndarray of int64

        Examples
        --------
        >>> import commissioning as cm, commissioning.analysis.units as units
        >>> units.table_from_study(cm.load_study()).get("maturity.top3")[0, :2].tolist()
        [[8, 7, 2], [5, 7, 2]]
        """
        self.var(var_id)
        return self.values[var_id]

    def hits(self, var_id: str, codes) -> np.ndarray:
        """(batch, units) True where the unit is coded one of `codes`.

        Returns
        -------
        numpy.ndarray of bool

        Examples
        --------
        >>> import commissioning as cm, commissioning.analysis.units as units
        >>> units.table_from_study(cm.load_study()).hits("agenda.explicitness", "explicit")[0, :4].tolist()
        [False, True, False, False]
        """
        codes = [codes] if isinstance(codes, str) else list(codes)
        key = ("lookup", var_id, tuple(codes))
        lookup = self.cache.get(key)
        if lookup is None:
            lookup = np.zeros(len(self.var(var_id).codes) + 1, dtype=bool)  # the last entry: no value (-1)
            lookup[self.code_indices(var_id, codes)] = True
            self.cache[key] = lookup
        return lookup[self.get(var_id)]

    def present(self, var_id: str) -> np.ndarray:
        """(batch, units) True where the unit has a value.

        Returns
        -------
        numpy.ndarray of bool

        Examples
        --------
        >>> import commissioning as cm, commissioning.analysis.units as units
        >>> units.table_from_study(cm.load_study()).present("agenda.explicitness").sum(axis=-1).tolist()
        [24]
        """
        return self.get(var_id) >= 0

    def with_values(self, var_id: str, values: np.ndarray) -> "UnitTable":
        """A copy with the values of one variable replaced (e.g. by a batch of candidate draws).

        Returns
        -------
        UnitTable

        Examples
        --------
        >>> import commissioning as cm, commissioning.analysis.units as units
        >>> table = units.table_from_study(cm.load_study())
        >>> draws = table.with_values("agenda.explicitness", np.array([[0] * 24, [2] * 24]))
        >>> draws.batch, table.batch, draws.hits("agenda.explicitness", "explicit").sum(axis=1).tolist()
        (2, 1, [0, 24])
        """
        return replace(self, values={**self.values, var_id: values})


def _space(name, ids, municipality, attrs) -> Space:
    municipality = np.asarray(municipality, dtype=object)
    return Space(name, np.asarray(ids, dtype=object), municipality,
                 attrs["size_class"].reindex(municipality).to_numpy(dtype=object),
                 attrs["region"].reindex(municipality).to_numpy(dtype=object))


def spaces_for(municipalities: pd.DataFrame, interviews: list) -> dict:
    """The two unit spaces for municipalities (cbs_code, region, size_class) and interviews
    [(interview_id, cbs_code), ...].

    Parameters
    ----------
    municipalities : DataFrame
        With columns `cbs_code`, `region` and `size_class`.
    interviews : list of (str, str)
        (interview id, cbs code) of every interview.

    Returns
    -------
    dict of str -> Space
        ``{"municipality": ..., "interview": ...}``, each unit with its municipality's region and
        size class.

    Examples
    --------
    >>> import commissioning as cm
    >>> spaces = spaces_for(cm.load_study().municipalities, [("GM0599-1", "GM0599"), ("GM0518-1", "GM0518")])
    >>> len(spaces["municipality"]), spaces["interview"].ids.tolist(), spaces["interview"].size_class.tolist()
    (18, ['GM0599-1', 'GM0518-1'], ['very_large', 'very_large'])
    """
    attrs = municipalities.set_index("cbs_code")[["region", "size_class"]]
    return {
        "municipality": _space("municipality", municipalities["cbs_code"], municipalities["cbs_code"], attrs),
        "interview": _space("interview", [i for i, _ in interviews], [m for _, m in interviews], attrs),
    }


def empty_values(codebook, spaces: dict, batch: int = 1) -> tuple[dict, dict]:
    """(space_of, values) with every value missing (-1), for every variable of the codebook.

    Parameters
    ----------
    codebook : Codebook
    spaces : dict of str -> Space
        As `spaces_for` gives them.
    batch : int
        Rows of the batch dimension.

    Returns
    -------
    space_of : dict of str -> str
        Per variable, its natural unit ('interview' or 'municipality').
    values : dict of str -> numpy.ndarray
        Per variable, -1 everywhere: (batch, units), or (batch, units, size) for a ranked set.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> spaces = spaces_for(study.municipalities, [("GM0599-1", "GM0599"), ("GM0518-1", "GM0518")])
    >>> space_of, values = empty_values(study.codebook, spaces)
    >>> space_of["maturity.top3"], values["maturity.top3"].shape, values["agenda.explicitness"].tolist()
    ('interview', (1, 2, 3), [[-1, -1]])
    """
    space_of, values = {}, {}
    for var in codebook.variables.values():
        space_of[var.id] = natural_unit(var)
        n = len(spaces[space_of[var.id]])
        shape = (batch, n, var.size) if var.type == "ranked_set" else (batch, n)
        values[var.id] = np.full(shape, -1, dtype=np.int64)
    return space_of, values


@dataclass
class Outcome:
    """What a rule measured: `status` per batch row (HOLDS, FAILS or NO_DATA), and the numbers.
    A rule made of parts (each variable of a `share` over several variables, each pair of a
    `ranking`) also gives `data["parts"]`: per batch row, which parts hold (examples: the methods).
    """

    status: np.ndarray
    data: dict = field(default_factory=dict)

    def first(self) -> int:
        """The status of the first batch row: HOLDS (1), FAILS (0) or NO_DATA (-1).

        Returns
        -------
        int

        Examples
        --------
        >>> Outcome(np.array([NO_DATA, HOLDS])).first()
        -1
        """
        return int(np.asarray(self.status).ravel()[0])

    def broken(self, batch: int) -> np.ndarray:
        """Per batch row, how many parts fail (1 for a failing rule without parts, 0 where it holds).

        Returns
        -------
        numpy.ndarray of int64

        Examples
        --------
        >>> Outcome(np.array([HOLDS, FAILS, NO_DATA])).broken(3).tolist()
        [0, 1, 0]
        >>> parts = np.array([[True, True], [True, False], [False, False]])
        >>> Outcome(np.array([HOLDS, FAILS, FAILS]), {"parts": parts}).broken(3).tolist()
        [0, 1, 2]
        """
        status = np.broadcast_to(self.status, (batch,))
        parts = self.data.get("parts")
        if parts is None:
            return (status == FAILS).astype(np.int64)
        failing = np.broadcast_to(~np.asarray(parts, dtype=bool), (batch, np.shape(parts)[-1])).sum(axis=-1)
        return np.where(status == FAILS, np.maximum(failing, 1), 0)


def status_of(holds: np.ndarray, insufficient: np.ndarray | bool = False) -> np.ndarray:
    """The status of each batch row: HOLDS (1) or FAILS (0), and NO_DATA (-1) where `insufficient`.

    Parameters
    ----------
    holds : array of bool
    insufficient : array of bool or bool
        Broadcast against `holds`.

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> status_of([True, False, True], [False, False, True]).tolist()
    [1, 0, -1]
    """
    holds = np.asarray(holds, dtype=bool)
    out = np.where(holds, HOLDS, FAILS).astype(np.int64)
    return np.where(np.broadcast_to(insufficient, out.shape), NO_DATA, out)


def quantifier_of(spec, quantifiers):
    """The quantifier a rule names (ParameterError when it names none, or an unknown one).

    Parameters
    ----------
    spec : dict
        A rule with a `quantifier` key.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Quantifier

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> quantifier_of({"rule": "share", "quantifier": "most"}, quantifiers).range_text
    '(50%, 100%)'
    >>> quantifier_of({"rule": "share"}, quantifiers)
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: rule share: lacks 'quantifier'; allowed: all, none, almost_all, ...
    """
    name = spec.get("quantifier")
    if name is None:
        raise ParameterError(f"rule {spec.get('rule')}", problem="lacks 'quantifier'", allowed=list(quantifiers))
    return get(quantifiers, name)


def spec_variables(spec) -> list[str]:
    """The variables a rule names in `variables` or `variable` (see `registry.rule_variables` for
    every variable a rule reads).

    Returns
    -------
    list of str

    Examples
    --------
    >>> spec_variables({"rule": "share", "variable": "portfolio.overview"})
    ['portfolio.overview']
    >>> spec_variables({"rule": "interview_counts", "counts": {}})
    []
    """
    if "variables" in spec:
        return list(spec["variables"])
    if "variable" in spec:
        return [spec["variable"]]
    return []


def themed_variables(codebook, spec) -> list[str]:
    """The per-interview variables of `themes` (or the listed `variables`), not ranked sets.

    Parameters
    ----------
    codebook : Codebook
        For example a `UnitTable`'s ``codebook``.
    spec : dict
        With `variables`, or `themes` (theme names of the codebook).

    Returns
    -------
    list of str
        In the codebook's order.

    Examples
    --------
    >>> import commissioning as cm, commissioning.analysis.units as units
    >>> themed_variables(units.table_from_study(cm.load_study()).codebook, {"themes": ["agenda"]})
    ['agenda.explicitness', 'agenda.more_attention', 'agenda.carrier', 'agenda.social_domain_link']
    """
    if "variables" in spec:
        return list(spec["variables"])
    themes = set(spec.get("themes") or [])
    return [v.id for v in codebook.variables.values()
            if v.theme in themes and v.per_interview and v.type != "ranked_set"]

