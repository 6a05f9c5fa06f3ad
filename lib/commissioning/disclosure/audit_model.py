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
        return (s * self.R + r) * self.K + c

    def members(self, unit: str, group_munis) -> list[int]:
        """Slots of the units of a group at `unit`, with repetition (a municipality's value counts
        once per interview at the interview unit)."""
        return [self.slot[unit][u] for u in self.facts.units(unit, group_munis) if u in self.slot[unit]]

    def row(self, slots, ranks, cats) -> np.ndarray:
        row = np.zeros(self.n)
        for s in slots:
            for r in ranks:
                for c in cats:
                    row[self.idx(s, r, c)] += 1
        return row

    def add(self, key, row, value, problems, where):
        """One published equation; the same quantity published twice must agree."""
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
        unanimous (the only values the auditor lets a reader know)."""
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
        """Every solution found, one per row."""
        if getattr(self, "_matrix", None) is None:
            self._matrix = np.array(self.pool)
        return self._matrix
