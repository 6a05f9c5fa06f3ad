"""The auditor's integer programs: the published cells of one variable as linear equations in
one unknown per unit, rank and category, and the values a protected count can take.

Part of the independent auditor (`commissioning.disclosure.audit`): it solves its own integer
programs (`scipy.optimize.milp`) with one unknown per unit and code, not per group of
interchangeable units, and shares no code with the disclosure engine.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from .audit_facts import Facts

NA = "(no value)"


class Model:
    """One variable: an unknown per unit slot, rank and category (codes, then no value).

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
    >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
    >>> model.cats, model.n
    (['in_house', 'mixed', 'outsourced', '(no value)'], 48)
    >>> model.slots[2:5]  # Zwolle's two interviews, and its own value
    ['GM0193-1', 'GM0193-2', 'GM0193']
    """

    def __init__(self, facts: Facts, var_id: str, spec: dict):
        self.facts, self.var = facts, var_id
        self.ranked = spec["type"] == "ranked_set"
        self.codes = list(spec["codes"])
        self.cats = self.codes + [NA]
        self.K = len(self.cats)
        self.R = int(spec.get("size", 1)) if self.ranked else 1
        per_interview = bool(spec.get("per_interview", True)) or self.ranked
        self.slot = {"municipality": {}, "interview": {}}
        slots = []
        for m in facts.munis:
            itv = facts.interviews[m]
            if not per_interview:
                self.slot["municipality"][m] = len(slots)
                for i in itv:
                    self.slot["interview"][i] = len(slots)
                slots.append(m)
            else:
                for i in itv:
                    self.slot["interview"][i] = len(slots)
                    slots.append(i)
                if not self.ranked:
                    if len(itv) == 1:
                        self.slot["municipality"][m] = self.slot["interview"][itv[0]]
                    else:
                        self.slot["municipality"][m] = len(slots)
                        slots.append(m)
        self.slots = slots
        self.n = len(slots) * self.R * self.K
        self.rows, self.lo, self.hi, self.keys = [], [], [], {}
        for s in range(len(slots)):  # one category per slot and rank
            for r in range(self.R):
                row = np.zeros(self.n)
                row[[self.idx(s, r, c) for c in range(self.K)]] = 1
                self.rows.append(row)
                self.lo.append(1)
                self.hi.append(1)
        if self.ranked:  # a respondent names an aspect at most once
            for s in range(len(slots)):
                for c in range(self.K - 1):
                    row = np.zeros(self.n)
                    row[[self.idx(s, r, c) for r in range(self.R)]] = 1
                    self.rows.append(row)
                    self.lo.append(0)
                    self.hi.append(1)
        self.allowed = np.ones((len(slots), self.R, self.K), dtype=bool)
        self.always = np.zeros((len(slots), self.K), dtype=bool)
        self.pool = []

    def idx(self, s: int, r: int, c: int) -> int:
        """The position of the unknown "slot `s` has category `c` at rank `r`" (0 or 1).

        Returns
        -------
        int
            An index into a solution (of length `n`); category `K - 1` is no value.

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> model.slots[2], model.cats[1], model.idx(2, 0, 1)
        ('GM0193-1', 'mixed', 9)
        """
        return (s * self.R + r) * self.K + c

    def members(self, unit: str, group_munis) -> list[int]:
        """Slots of the units of a group at `unit`, with repetition (a municipality's value counts
        once per interview at the interview unit).

        Returns
        -------
        list of int
            Indexes into `slots`, in the order of `group_munis` and of their interviews.

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> model.members("interview", ["GM0193", "GM0014"]), model.members("municipality", ["GM0193", "GM0014"])
        ([2, 3, 0], [4, 0])
        >>> per_municipality = Model(facts, "organisation.model", facts.codebook["variables"]["organisation.model"])
        >>> per_municipality.members("interview", ["GM0193"])  # Zwolle's one value, once per interview
        [2, 2]
        """
        return [self.slot[unit][u] for u in self.facts.units(unit, group_munis) if u in self.slot[unit]]

    def row(self, slots, ranks, cats) -> np.ndarray:
        """The coefficients of a published count: how many of `slots` (repeated ones counted again)
        have one of `cats` at one of `ranks`.

        Returns
        -------
        numpy.ndarray
            Length `n`.

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> row = model.row([2, 3], [0], [1])  # Zwolle's interviews coded 'mixed'
        >>> row.nonzero()[0].tolist(), int(row.sum())
        ([9, 13], 2)
        """
        row = np.zeros(self.n)
        for s in slots:
            for r in ranks:
                for c in cats:
                    row[self.idx(s, r, c)] += 1
        return row

    def add(self, key, row, value, problems, where):
        """One published equation; the same quantity published twice must agree.

        Returns
        -------
        None
            The equation joins the model under `key`, the first time; a second value of the same
            key adds a line to `problems` instead.

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> problems = []
        >>> mixed = model.row([0], [0], [1])
        >>> model.add(("municipality", "all", "mixed"), mixed, 1, problems, "a.html")
        >>> model.add(("municipality", "all", "mixed"), mixed, 0, problems, "b.html")
        >>> problems
        ['b.html: sourcing.design is published as 0 and elsewhere as 1 (a.html)']
        """
        if key in self.keys:
            if self.keys[key][0] != value:
                problems.append(f"{where}: {self.var} is published as {value} and elsewhere as {self.keys[key][0]} "
                                f"({self.keys[key][1]})")
            return
        self.keys[key] = (value, where)
        self.rows.append(row)
        self.lo.append(value)
        self.hi.append(value)

    def unanimous(self, slots, ranks, cats, k, n, units, group_ranked):
        """What a cell of a group of at least the threshold says of each of its units when it is
        unanimous (the only values the auditor lets a reader know).

        Returns
        -------
        None
            Narrows `allowed` (and, for a ranked set, sets `always`) for the slots.

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> model.unanimous([2, 3], [0], [2], 0, 2, 2, False)  # none of Zwolle's 2 interviews is outsourced
        >>> model.allowed[2, 0].tolist()  # and both have a value
        [True, True, False, False]
        """
        slots = sorted(set(slots))
        real = [c for c in range(self.K - 1)]
        if k == 0:
            for s in slots:
                for r in ranks:
                    self.allowed[s, r, cats] = False
        if self.ranked and group_ranked:
            if k == units and len(cats) == 1:  # every respondent names it
                for s in slots:
                    self.always[s, cats[0]] = True
            if k == n and n > 0:  # every mention is one of these
                for s in slots:
                    for r in ranks:
                        self.allowed[s, r, [c for c in real if c not in cats]] = False
            if n == units * self.R:
                for s in slots:
                    self.allowed[s, :, self.K - 1] = False
            return
        if k == n and n > 0:
            for s in slots:
                for r in ranks:
                    self.allowed[s, r, [c for c in real if c not in cats]] = False
        if n == units:
            for s in slots:
                for r in ranks:
                    self.allowed[s, r, self.K - 1] = False

    def settled(self, slots, c) -> bool:
        """Whether unanimous cells alone (`unanimous`) fix category `c` for every one of `slots`.

        Returns
        -------
        bool

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> before = model.settled([2, 3], 2)
        >>> model.unanimous([2, 3], [0], [2], 0, 2, 2, False)  # no interview of Zwolle is outsourced
        >>> before, model.settled([2, 3], 2)
        (False, True)
        """
        for s in set(slots):
            if self.ranked:
                never = not self.allowed[s, :, c].any()
                fixed = self.always[s, c] or any(self.allowed[s, r].sum() == 1 and self.allowed[s, r, c]
                                                 for r in range(self.R))
                if not (never or fixed):
                    return False
            elif self.allowed[s, 0, c] and self.allowed[s, 0].sum() > 1:
                return False
        return True

    def solve(self, objective):
        """A solution of the model's equations that minimizes `objective` (an integer program),
        kept in the pool (`matrix`).

        Returns
        -------
        numpy.ndarray or None
            0 or 1 per unknown; None when the program is not solved (infeasible, or out of time).

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> x = model.solve(np.zeros(model.n))
        >>> len(x), int(x.sum()), len(model.slots)  # one category per slot
        (48, 12, 12)
        """
        A = np.array(self.rows)
        res = milp(objective, constraints=[LinearConstraint(A, np.array(self.lo, float), np.array(self.hi, float))],
                   integrality=np.ones(self.n), bounds=Bounds(0, 1), options={"time_limit": 60})
        if res.status != 0 or res.x is None:
            return None
        x = np.rint(res.x)
        self.pool.append(x)
        self._matrix = None
        return x

    def matrix(self) -> np.ndarray:
        """Every solution found, one per row.

        Returns
        -------
        numpy.ndarray
            Shape (solutions, `n`), in the order found.

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> x = model.solve(np.zeros(model.n))
        >>> model.matrix().shape, bool((model.matrix()[0] == x).all())
        ((1, 48), True)
        """
        if getattr(self, "_matrix", None) is None:
            self._matrix = np.array(self.pool)
        return self._matrix
