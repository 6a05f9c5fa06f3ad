"""Whether the published cells of one variable determine a protected value: an integer program
per value, after what unanimous shown cells say of every unit (`Check`)."""

from __future__ import annotations

import numpy as np

from .system import Form, System


class Check:
    """Which protected values the shown blocks of one variable determine.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.disclosure.system import Context
    >>> study = cm.load_study().filter(region="Noord")
    >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
    >>> check = Check(System(ctx, study.codebook.variables["sourcing.design"]), frozenset())
    >>> bad, checked, entailed = check.violations()  # nothing shown: nothing determined
    >>> len(bad), checked, entailed
    (0, 80, 0)
    """

    def __init__(self, system: System, shown: frozenset, entailing=None):
        s = self.s = system
        self.shown = shown
        # the blocks whose unanimous cells entail what they fix (allowed): all shown, or for a release
        # the national run's, which every union of runs containing it shows (`plan_variable`)
        self.entailing = shown if entailing is None else frozenset(entailing) & shown
        keys = sorted(shown, key=str)
        rows = [s.blocks[k]["rows"] for k in keys]
        vals = [s.blocks[k]["values"] for k in keys]
        # each atom's categories add up to its size, at every rank
        sums = np.zeros((len(s.atoms) * s.R, s.n))
        size = np.zeros(len(s.atoms) * s.R)
        for a in range(len(s.atoms)):
            for r in range(s.R):
                sums[a * s.R + r, s.idx(a, r, 0):s.idx(a, r, 0) + s.K] = 1
                size[a * s.R + r] = len(s.atoms[a].members)
        self.A = np.vstack([sums, *rows]) if rows else sums
        self.b = np.concatenate([size, *vals]) if vals else size
        self.A_ub = None
        if s.ranked:  # a respondent names an aspect at most once
            ub = np.zeros((len(s.atoms) * (s.K - 1), s.n))
            for a in range(len(s.atoms)):
                for k in range(s.K - 1):
                    for r in range(s.R):
                        ub[a * (s.K - 1) + k, s.idx(a, r, k)] = 1
            self.A_ub, self.b_ub = ub, np.repeat(s.size, s.K - 1).astype(float)
        self._domains()
        self.cache: dict = {}
        self._feasible = np.zeros((0, s.n), dtype=np.int64)
        self._checked = 0

    def _domains(self):
        """What unanimous shown cells (0 or all of a group) say of every unit: `allowed[a, r, k]`,
        and for a ranked set `always[a, k]` (every respondent of the atom names k); the bounds of
        the unknowns from every shown block, what is entailed from the `entailing` ones."""
        s = self.s
        self.allowed, self.always = self._unanimity(self.entailing)
        allowed = self.allowed if self.entailing == self.shown else self._unanimity(self.shown)[0]
        lb = np.zeros(s.n)
        ub = np.zeros(s.n)
        for a in range(len(s.atoms)):
            for r in range(s.R):
                for k in range(s.K):
                    i = s.idx(a, r, k)
                    ub[i] = len(s.atoms[a].members) if allowed[a, r, k] else 0
                    if allowed[a, r].sum() == 1 and allowed[a, r, k]:
                        lb[i] = len(s.atoms[a].members)
        self.lb, self.ub = lb, ub

    def _unanimity(self, keys):
        """(allowed, always) from the unanimous cells of the blocks `keys`."""
        s = self.s
        allowed = np.ones((len(s.atoms), s.R, s.K), dtype=bool)
        always = np.zeros((len(s.atoms), s.K), dtype=bool)
        for key in keys:
            b = s.blocks[key]
            atoms, vals = b["atoms"], b["values"]
            whole = b["respondents"] if s.ranked else b["units"]
            for k, v in enumerate(vals):
                if v == 0:
                    for a in atoms:
                        allowed[a, b["ranks"], k] = False
                elif v == whole:
                    for a in atoms:
                        if s.ranked and not b["rank"]:
                            always[a, k] = True
                        else:
                            for r in b["ranks"]:
                                allowed[a, r, [j for j in range(s.K) if j != k]] = False
            if vals.sum() == whole and (not s.ranked or b["rank"]):
                for a in atoms:
                    allowed[a, b["ranks"], s.K - 1] = False
        changed = True
        while changed and s.ranked:  # a code fixed at one rank is not named at another
            changed = False
            for a in range(len(s.atoms)):
                for r in range(s.R):
                    only = np.flatnonzero(allowed[a, r])
                    if len(only) == 1 and only[0] < s.K - 1:
                        others = [q for q in range(s.R) if q != r and allowed[a, q, only[0]]]
                        if others:
                            allowed[a, others, only[0]] = False
                            changed = True
        return allowed, always

    def settled(self, a: int, k: int) -> bool:
        """Whether unanimous shown cells alone fix category k for every unit of atom a.

        Returns
        -------
        bool
            True when no unit of the atom can have category k, or every unit must have it (a
            NumPy bool when read from the domains).

        Examples
        --------
        >>> import commissioning as cm
        >>> from commissioning.disclosure.system import Context
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> check = Check(s, frozenset(s.blocks))  # every block shown
        >>> [bool(check.settled(0, k)) for k in range(s.K)]  # no municipality is outsourced; all have a value
        [False, False, True, True]
        """
        s, allowed = self.s, self.allowed
        if s.ranked:
            never = not allowed[a, :, k].any()
            return never or self.always[a, k] or any(allowed[a, r].sum() == 1 and allowed[a, r, k] for r in range(s.R))
        return not allowed[a, 0, k] or allowed[a, 0].sum() == 1

    def entailed(self, form: Form) -> bool:
        """Whether unanimous shown cells alone fix the protected value `form` (every part `settled`):
        determined, but allowed, as a unanimous cell of a large group tells it to everyone.

        Returns
        -------
        bool

        Examples
        --------
        >>> import commissioning as cm
        >>> from commissioning.disclosure.system import Context
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> check = Check(s, frozenset(s.blocks))  # every block shown
        >>> [(f.group, f.k, check.entailed(f)) for f in s.forms[:4]]
        [(('GM0014',), 0, False), (('GM0014',), 1, False), (('GM0014',), 2, True), (('GM0014',), 3, True)]
        """
        return all(self.settled(a, form.k) for a, _, _ in form.parts)

    def feasible_pool(self) -> np.ndarray:
        """The solutions known that satisfy this system (checked once each)."""
        s = self.s
        pool = s.matrix()
        if len(pool) > self._checked:
            new = pool[self._checked:]
            ok = np.all(np.abs(new @ self.A.T - self.b) < 0.5, axis=1)
            self._feasible = np.vstack([self._feasible, new[ok]])
            self._checked = len(pool)
        return self._feasible

    def _solve(self, f: np.ndarray):
        # lazy: scipy.optimize is heavy and only solving an integer program needs it (cm.protection without publish never does)
        from scipy.optimize import Bounds, LinearConstraint, milp

        constraints = [LinearConstraint(self.A, self.b, self.b)]
        if self.A_ub is not None:
            constraints.append(LinearConstraint(self.A_ub, -np.inf, self.b_ub))
        self.s.solves += 1
        res = milp(f, constraints=constraints, integrality=np.ones(self.s.n), bounds=Bounds(self.lb, self.ub),
                   options={"time_limit": 20})
        if res.status != 0 or res.x is None:  # not solved to optimality: take it as determined (suppress)
            return None
        x = np.rint(res.x).astype(np.int64)
        self.s.add(x)
        return x

    def _bound(self, f: np.ndarray, sign: int) -> float:
        """The bound of the linear relaxation: min of sign * f (a float; -inf when not solved)."""
        # lazy: scipy.optimize is heavy and only solving an integer program needs it (cm.protection without publish never does)
        from scipy.optimize import linprog

        res = linprog(sign * f, A_eq=self.A, b_eq=self.b, A_ub=self.A_ub,
                      b_ub=self.b_ub if self.A_ub is not None else None,
                      bounds=np.column_stack([self.lb, self.ub]), method="highs")
        self.s.lps += 1
        return float(res.fun) if res.status == 0 else -np.inf

    def constant(self, f: np.ndarray) -> tuple[bool, int]:
        """(whether the linear quantity f is the same in every solution, its value in the data).

        A solution already found with another value shows that f varies; otherwise the linear
        relaxation bounds f, and only a side it does not settle needs an integer program.

        Returns
        -------
        tuple of (bool, int)
            Whether f is constant (also True when a program was not solved: taken as determined),
            and f's value in the data. Kept per f.

        Examples
        --------
        >>> import commissioning as cm
        >>> from commissioning.disclosure.system import Context
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> check = Check(s, frozenset(s.blocks))  # every block shown
        >>> check.constant(s.quantity(0, 0) + s.quantity(1, 0))  # in-house municipalities: a shown cell
        (True, 5)
        >>> check.constant(s.quantity(0, 0))  # of those with one interview: can trade with the others
        (False, 2)
        """
        key = f.tobytes()
        if key in self.cache:
            return self.cache[key]
        value = int(round(float(f @ self.s.x0)))
        vals = self.feasible_pool() @ f
        result = None
        if np.ptp(vals) > 0.5:
            result = (False, value)
        else:
            for sign in (1, -1):
                if self.s.ranked and self._bound(f, sign) > sign * value - 1 + 1e-6:
                    continue  # no other whole number fits on this side (a cheap test for the larger program)
                x = self._solve(sign * f)
                if x is None or abs(float(f @ x) - value) > 0.5:
                    result = (x is None, value)  # unsolved: taken as determined (suppress)
                    break
            if result is None:
                result = (True, value)
        self.cache[key] = result
        return result

    def seed(self, rounds: int = 3):
        """Add a few solutions with random objectives to the pool (deterministic), so that most
        quantities are shown to vary without a program of their own.

        Returns
        -------
        None
            Each solution found is added to the system's pool (`System.matrix`).

        Examples
        --------
        >>> import commissioning as cm
        >>> from commissioning.disclosure.system import Context
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> check = Check(s, frozenset(s.blocks))  # every block shown
        >>> len(s.matrix()), check.seed(), len(s.matrix())
        (1, None, 4)
        """
        rng = np.random.default_rng(len(self.s.var.id) * 7919 + sum(map(ord, self.s.var.id)))
        for _ in range(rounds):  # whole-number objectives: far faster for the solver than real ones
            self._solve(rng.integers(-5, 6, size=self.s.n).astype(float))

    def quantities(self, forms) -> list:
        """The linear quantities `determined` looks at for `forms` (atom counts and full-atom sums).

        Returns
        -------
        list of numpy.ndarray
            Per form, the count of its category in each atom it holds part of, then (when it holds
            whole atoms) their weighted sum.

        Examples
        --------
        >>> import commissioning as cm
        >>> from commissioning.disclosure.system import Context
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> check = Check(s, frozenset(s.blocks))  # every block shown
        >>> [f.nonzero()[0].tolist() for f in check.quantities(s.forms[:4])]  # GM0014: one of atom 0
        [[0], [1], [2], [3]]
        """
        s, out = self.s, []
        for form in forms:
            full = np.zeros(s.n)
            for a, members, coef in form.parts:
                if len(members) < len(s.atoms[a].members):
                    out.append(s.quantity(a, form.k))
                else:
                    full += coef * s.quantity(a, form.k)
            if full.any():
                out.append(full)
        return out

    def determined(self, form: Form) -> bool:
        """Whether the shown blocks fix `form` (a part of an atom is fixed only when the atom holds
        the category in none or all of its units; otherwise its units can trade places).

        Returns
        -------
        bool

        Examples
        --------
        >>> import commissioning as cm
        >>> from commissioning.disclosure.system import Context
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> check = Check(s, frozenset(s.blocks))  # every block shown
        >>> [(f.group, f.k, check.determined(f)) for f in s.forms[:4]]
        [(('GM0014',), 0, False), (('GM0014',), 1, False), (('GM0014',), 2, True), (('GM0014',), 3, True)]
        """
        s = self.s
        full = np.zeros(s.n)
        for a, members, coef in form.parts:
            size = len(s.atoms[a].members)
            if len(members) < size:
                const, value = self.constant(s.quantity(a, form.k))
                if not const or 0 < value < size:
                    return False  # units of the atom can trade places: the part varies
            else:
                full += coef * s.quantity(a, form.k)
        if not full.any():
            return True
        return self.constant(full)[0]

    def violations(self) -> tuple[list, int, int]:
        """(protected values determined and not entailed, how many were checked, how many entailed).

        Returns
        -------
        tuple of (list of Form, int, int)

        Examples
        --------
        >>> import commissioning as cm
        >>> from commissioning.disclosure.system import Context
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["structure.tenderboard"])
        >>> bad, checked, entailed = Check(s, frozenset(s.blocks)).violations()  # every block shown
        >>> len(bad), checked, entailed, bad[0].group
        (24, 60, 20, ('GM0193',))
        """
        bad, entailed = [], 0
        for form in self.s.forms:
            if self.entailed(form):
                entailed += 1
            elif self.determined(form):
                bad.append(form)
        return bad, len(self.s.forms), entailed
