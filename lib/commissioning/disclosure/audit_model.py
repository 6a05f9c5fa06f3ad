"""The auditor's integer programs: the published cells of one variable as linear equations in
one unknown per unit, rank and category, and the values a protected count can take.

Part of the independent auditor (`commissioning.disclosure.audit`): it solves its own integer
programs (`scipy.optimize.milp`) with one unknown per unit and code, not per group of
interchangeable units, and shares no code with the disclosure engine.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

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
        self.sources = []  # per row: None (a fact of the model) or the pages that publish it
        for s in range(len(slots)):  # one category per slot and rank
            for r in range(self.R):
                row = np.zeros(self.n)
                row[[self.idx(s, r, c) for c in range(self.K)]] = 1
                self.rows.append(row)
                self.lo.append(1)
                self.hi.append(1)
                self.sources.append(None)
        if self.ranked:  # a respondent names an aspect at most once
            for s in range(len(slots)):
                for c in range(self.K - 1):
                    row = np.zeros(self.n)
                    row[[self.idx(s, r, c) for r in range(self.R)]] = 1
                    self.rows.append(row)
                    self.lo.append(0)
                    self.hi.append(1)
                    self.sources.append(None)
        self.allowed = np.ones((len(slots), self.R, self.K), dtype=bool)
        self.always = np.zeros((len(slots), self.K), dtype=bool)
        self.pool, self.witnesses = [], []
        self._A = None

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

    def add(self, key, row, value, problems, where, page=None):
        """One published equation; the same quantity published twice must agree.

        Parameters
        ----------
        key : tuple
            What the equation counts (unit, slots, ranks, categories or "n"): the same key on
            two pages is the same quantity.
        row, value
            Its coefficients (`row`) and the published count.
        problems : list
            Where a disagreement is reported.
        where : str
            The cell's description, for the message.
        page : str, optional
            The page that publishes it (default: `where`), recorded per equation (`sources`).

        Returns
        -------
        None
            The equation joins the model under `key`, the first time (a later page that
            publishes it too is added to its sources); a second value of the same key adds a line
            to `problems` instead.

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
        >>> model.add(("municipality", "all", "mixed"), mixed, 1, problems, "c.html")
        >>> problems, sorted(model.sources[-1])
        (['b.html: is published as 0 and elsewhere as 1 (a.html)'], ['a.html', 'c.html'])
        """
        page = where if page is None else page
        if key in self.keys:
            known, first, index = self.keys[key]
            if known != value:
                problems.append(f"{where}: is published as {value} and elsewhere as {known} ({first})")
            else:
                self.sources[index].add(page)
            return
        self.keys[key] = (value, page, len(self.rows))
        self.rows.append(row)
        self.lo.append(value)
        self.hi.append(value)
        self.sources.append({page})
        self._A = None

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

    def solve(self, objective, keep=None):
        """A solution of the model's equations that minimizes `objective` (an integer program),
        kept in the pool (`matrix`) when every equation holds.

        Parameters
        ----------
        objective : numpy.ndarray
            Length `n`.
        keep : numpy.ndarray of bool, optional
            The equations to respect (`published_by`); default every one.

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
        A, lo, hi = self._system()
        if keep is not None:
            A, lo, hi = A[keep], lo[keep], hi[keep]
        res = milp(objective, constraints=[LinearConstraint(A, lo, hi)],
                   integrality=np.ones(self.n), bounds=Bounds(0, 1), options={"time_limit": 60})
        if res.status != 0 or res.x is None:
            return None
        x = np.rint(res.x)
        if keep is None:
            self.pool.append(x)
            self._matrix = None
        return x

    def _system(self):
        """(A, lower, upper) of every equation, A sparse (kept until an equation is added)."""
        if self._A is None:
            self._A = csr_matrix(np.array(self.rows)), np.array(self.lo, float), np.array(self.hi, float)
        return self._A

    def pages(self) -> set:
        """Every page that publishes one of the model's equations.

        Returns
        -------
        set of str

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> model.add(("municipality", "all", "mixed"), model.row([0], [0], [1]), 1, [], "a.html")
        >>> model.pages()
        {'a.html'}
        """
        return set().union(*(src for src in self.sources if src is not None))

    def published_by(self, pages) -> np.ndarray:
        """Which equations hold when only `pages` are published: the model's own facts, and every
        equation that one of `pages` publishes.

        Returns
        -------
        numpy.ndarray of bool
            One per equation, for `solve(keep=...)`.

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> model.add(("municipality", "all", "mixed"), model.row([0], [0], [1]), 1, [], "a.html")
        >>> keep = model.published_by({"b.html"})
        >>> int(keep.sum()), len(keep)  # the 12 slots' one category each, not a.html's cell
        (12, 13)
        """
        return np.array([src is None or bool(src & pages) for src in self.sources])

    def varies(self, f, value: int, keep) -> bool:
        """Whether the count ``f @ x`` can take another value than `value` when only the equations
        `keep` hold (a solution found on the way is kept as a witness for later questions).

        Returns
        -------
        bool

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> from commissioning.disclosure.audit_facts import read_facts
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
        >>> groningen = model.row([0], [0], [1])  # Groningen's one interview is 'mixed'
        >>> model.add(("interview", (0,), (0,), (1,)), groningen, 1, [], "a.html")
        >>> with_a, without = model.published_by({"a.html"}), model.published_by(set())
        >>> model.varies(groningen, 1, with_a), model.varies(groningen, 1, without)
        (False, True)
        """
        A, lo, hi = (part[keep] for part in self._system())
        for x in self.witnesses:
            if round(f @ x) != value and np.all(A @ x >= lo - 1e-9) and np.all(A @ x <= hi + 1e-9):
                return True
        for sign in (1, -1):
            x = self.solve(sign * f, keep)
            if x is not None and round(f @ x) != value:
                self.witnesses.append(x)
                return True
        return False

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
