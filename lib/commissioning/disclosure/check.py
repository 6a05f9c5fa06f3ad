"""Whether the published cells determine a protected value (an integer program per value), and
the cheapest blocks to suppress when one is (complementary suppression)."""

from __future__ import annotations

import time
from contextlib import contextmanager

import numpy as np

from .recoding import UNITS, group_counts, log_entry
from .system import Context, Form, System


class Check:
    """Which protected values the shown blocks of one variable determine."""

    def __init__(self, system: System, shown: frozenset):
        s = self.s = system
        self.shown = shown
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
        and for a ranked set `always[a, k]` (every respondent of the atom names k)."""
        s = self.s
        allowed = np.ones((len(s.atoms), s.R, s.K), dtype=bool)
        always = np.zeros((len(s.atoms), s.K), dtype=bool)
        for key in self.shown:
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
        self.allowed, self.always = allowed, always
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

    def settled(self, a: int, k: int) -> bool:
        """Whether unanimous shown cells alone fix category k for every unit of atom a."""
        s, allowed = self.s, self.allowed
        if s.ranked:
            never = not allowed[a, :, k].any()
            return never or self.always[a, k] or any(allowed[a, r].sum() == 1 and allowed[a, r, k] for r in range(s.R))
        return not allowed[a, 0, k] or allowed[a, 0].sum() == 1

    def entailed(self, form: Form) -> bool:
        return all(self.settled(a, form.k) for a, _, _ in form.parts)

    def _feasible_pool(self) -> np.ndarray:
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
        from scipy.optimize import linprog

        res = linprog(sign * f, A_eq=self.A, b_eq=self.b, A_ub=self.A_ub,
                      b_ub=self.b_ub if self.A_ub is not None else None,
                      bounds=np.column_stack([self.lb, self.ub]), method="highs")
        self.s.lps += 1
        return float(res.fun) if res.status == 0 else -np.inf

    def constant(self, f: np.ndarray) -> tuple[bool, int]:
        """(whether the linear quantity f is the same in every solution, its value in the data).

        A solution already found with another value shows that f varies; otherwise the linear
        relaxation bounds f, and only a side it does not settle needs an integer program."""
        key = f.tobytes()
        if key in self.cache:
            return self.cache[key]
        value = int(round(float(f @ self.s.x0)))
        vals = self._feasible_pool() @ f
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
        quantities are shown to vary without a program of their own."""
        rng = np.random.default_rng(len(self.s.var.id) * 7919 + sum(map(ord, self.s.var.id)))
        for _ in range(rounds):  # whole-number objectives: far faster for the solver than real ones
            self._solve(rng.integers(-5, 6, size=self.s.n).astype(float))

    def quantities(self, forms) -> list:
        """The linear quantities `determined` looks at for `forms` (atom counts and full-atom sums)."""
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
        the category in none or all of its units; otherwise its units can trade places)."""
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
        """(protected values determined and not entailed, how many were checked, how many entailed)."""
        bad, entailed = [], 0
        for form in self.s.forms:
            if self.entailed(form):
                entailed += 1
            elif self.determined(form):
                bad.append(form)
        return bad, len(self.s.forms), entailed


def plan_variable(ctx: Context, var, blanket: dict) -> tuple[set, list, dict]:
    """(suppressed block keys, log entries, statistics) for one variable."""
    s = System(ctx, var)
    suppressed: dict = {}
    log = []
    for key in s.blocks:
        if key in blanket or "*" in blanket:
            suppressed[key] = blanket.get(key, blanket.get("*"))
    if not s.ranked and not var.per_interview:
        for key in s.blocks:  # a fact about the municipality is counted per municipality only
            if key[0] == "interview" and key not in suppressed:
                suppressed[key] = "per_municipality_by_interview"
    t = ctx.threshold
    for key in s.blocks:
        n = s.n_with_value(key)
        if key not in suppressed and 0 < n < t:
            for k in s.aliases[key]:
                if k not in suppressed:
                    suppressed[k] = "few_values"
                    log.append(log_entry("suppressed", "few_values", variable=var.id, key=k, n=n))
    shown = frozenset(k for k in s.blocks if k not in suppressed)
    check = Check(s, shown)
    check.seed()
    bad = check.violations()[0]
    first = True
    while bad:
        chosen = release(s, ctx, shown, check, bad[0])
        for k in chosen:
            rule = "linked_tables" if first else "complementary"
            suppressed[k] = rule
            log.append(log_entry("suppressed", rule, variable=var.id, key=k, protects=sorted({f.kind for f in bad})))
        first = False
        shown = shown - set(chosen)
        check = Check(s, shown)
        check.seed(2)
        bad = check.violations()[0]
    _, checked, entailed = check.violations()
    # the fewest values a protected value not entailed was seen to take (at least two: none is
    # determined; a part of an atom that varies counts two)
    widths = []
    pool = check._feasible_pool()
    for form in s.forms:
        if check.entailed(form):
            continue
        f = np.zeros(s.n)
        for a, members, coef in form.parts:
            if len(members) == len(s.atoms[a].members):
                f += coef * s.quantity(a, form.k)
        widths.append(max(2, int(round(np.ptp(pool @ f))) + 1) if f.any() else 2)
    stats = {"protected": checked, "entailed": entailed, "solves": s.solves, "lps": s.lps,
             "narrowest": min(widths) if widths else None}
    return set(suppressed), log, stats


def release(s: System, ctx: Context, shown: frozenset, check: Check, target: Form) -> tuple:
    """The cheapest set of shown blocks whose suppression lets `target` take another value.

    One mixed integer program per quantity the target rests on and per direction (as in Fischetti
    and Salazar's model of cell suppression): the unknown counts `x` and an indicator `y` per block
    (blocks with the same cells share one); a block's equations hold unless its indicator is 1
    (``|rows x - values| <= units * y``); the quantity must differ from its value in the data by at
    least one; minimise the cost of the blocks given up (`block_cost`). The cheapest answer wins,
    ties in table order."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    classes = sorted({tuple(k for k in s.aliases[key] if k in shown) for key in shown},
                     key=lambda ks: block_order(ks[0], ctx))
    if not classes:
        return ()
    n, c = s.n, len(classes)
    sums = check.A[:len(s.atoms) * s.R]
    size = check.b[:len(s.atoms) * s.R]
    rows, lo, hi = [np.hstack([sums, np.zeros((len(sums), c))])], [size], [size]
    for j, keys in enumerate(classes):
        block = s.blocks[keys[0]]
        m = float(block["units"])
        for sign in (1, -1):
            extra = np.zeros((len(block["rows"]), c))
            extra[:, j] = -m
            rows.append(np.hstack([sign * block["rows"], extra]))
            lo.append(np.full(len(block["rows"]), -np.inf))
            hi.append(sign * block["values"])
    if check.A_ub is not None:
        rows.append(np.hstack([check.A_ub, np.zeros((len(check.A_ub), c))]))
        lo.append(np.full(len(check.A_ub), -np.inf))
        hi.append(check.b_ub)
    A, lo, hi = np.vstack(rows), np.concatenate(lo), np.concatenate(hi)
    upper = np.concatenate([np.repeat(s.size, s.R * s.K).astype(float), np.ones(c)])
    # whole-number costs, each raised by less than 1 / (2 c) in table order, so that of two sets of
    # equal cost the one with the earlier blocks wins (the raises add up to less than one half)
    raise_ = (np.arange(c) + 1) / (c + 1) ** 2
    cost = np.concatenate([np.zeros(n), [sum(block_cost(s, k) for k in keys) for keys in classes] + raise_])
    best = None
    for q in check.quantities([target]):
        value = float(q @ s.x0)
        top = float(q @ upper[:n])
        for sign in (1, -1):
            if (sign > 0 and value + 1 > top) or (sign < 0 and value - 1 < 0):
                continue
            bound = np.hstack([q, np.zeros(c)])
            want = LinearConstraint(bound, value + 1, np.inf) if sign > 0 else LinearConstraint(bound, -np.inf, value - 1)
            s.solves += 1
            res = milp(cost, constraints=[LinearConstraint(A, lo, hi), want], integrality=np.ones(n + c),
                       bounds=Bounds(np.zeros(n + c), upper), options={"time_limit": 20, "presolve": False})
            if res.status != 0 or res.x is None:
                continue
            picked = tuple(j for j in range(c) if res.x[n + j] > 0.5)
            score = (int(np.floor(res.fun + 1e-6)), picked)
            if best is None or score < best[0]:
                best = (score, picked)
    if best is None:  # nothing short of every block frees it (cannot happen with a 'no value' category)
        return tuple(k for keys in classes for k in keys)
    return tuple(k for j in best[1] for k in classes[j])


def block_cost(s: System, key) -> int:
    """What suppressing a block costs: its units, doubled for a size group (the study compares size
    classes, so a table by region gives way first), and the whole selection only as a last resort."""
    unit, by, _ = key
    factor = {None: 10 * len(s.blocks), "size_class": 2}.get(by, 1)
    return s.blocks[key]["units"] * factor


def block_order(key, ctx: Context):
    unit, by, group = key
    by_rank = {"size_class": 0, "region": 1, "rank": 2, None: 3}[by]
    groups = {"size_class": ctx.groups, "region": ctx.regions}.get(by, [group])
    position = int(group) if by == "rank" else groups.index(group) if group in groups else 0
    return (UNITS.index(unit), by_rank, position, str(key))


def unions(groups: dict) -> list:
    """Every non-empty union of the shown size groups, as lists of their sets of classes."""
    from itertools import combinations

    values = list(groups.values())
    return [list(c) for r in range(1, len(values) + 1) for c in combinations(values, r)]


PLANS: dict = {}


@contextmanager
def quiet_solver():
    """Silence the process's standard output while the solver runs: HiGHS now and then prints a
    debugging line there (below Python's `sys.stdout`), which must not reach a notebook's output."""
    import os
    import sys

    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError, AttributeError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class Planner:
    """The plan of one study and threshold: the rules that hold for every variable at once, and
    each variable's suppressions, computed when first asked for and then kept."""

    def __init__(self, study, threshold: int, size_map: dict, merges: list):
        self.study, self.threshold, self.size_map = study, threshold, size_map
        self.head = [log_entry("merged", "merge_size_class", merged=m, into=i) for m, i, _ in merges]
        self.blanket: dict = {}
        munis = study.municipalities
        cb = study.codebook
        regions = [r for r in cb.attributes["region"].code_list if r in set(munis["region"])]
        if min(len(munis), int(munis["n_interviews"].sum())) < threshold:
            self.blanket["*"] = "selection_below_threshold"
            self.head.append(log_entry("suppressed", "selection_below_threshold"))
        else:
            counts = group_counts(munis, "region", regions)
            below = [r for r in regions if min(counts[r]) < threshold]
            others = [r for r in regions if r not in below]
            extra = [min(others, key=lambda r: (*counts[r], regions.index(r)))] if len(below) == 1 and others else []
            for r, rule in [*((r, "region_below_threshold") for r in below), *((r, "region_complement") for r in extra)]:
                for unit in UNITS:
                    self.blanket[(unit, "region", r)] = rule
                self.head.append(log_entry("suppressed", rule, key=(None, "region", r)))
        if any(not v.per_interview and v.type != "ranked_set" for v in cb.variables.values()):
            self.head.append(log_entry("suppressed", "per_municipality_by_interview", key=("interview", None, None)))
        self._ctx = None
        self.plans: dict = {}
        self.seconds = 0.0

    def variable(self, var_id: str) -> tuple:
        """(suppressed block keys, log entries, statistics) of one variable."""
        if var_id not in self.plans:
            start = time.perf_counter()
            with quiet_solver():
                if self._ctx is None:
                    self._ctx = Context(self.study, self.size_map, self.threshold)
                self.plans[var_id] = plan_variable(self._ctx, self.study.codebook.variables[var_id], self.blanket)
            self.seconds += time.perf_counter() - start
        return self.plans[var_id]

    def log(self) -> list:
        entries = list(self.head)
        for var_id in self.study.codebook.variables:
            entries.extend(self.variable(var_id)[1])
        return entries

    def checked(self) -> dict:
        stats = {"protected": 0, "entailed": 0, "determined": 0, "solves": 0, "narrowest": None}
        for var_id in self.study.codebook.variables:
            st = self.variable(var_id)[2]
            for key in ("protected", "entailed", "solves"):
                stats[key] += st[key]
            if st["narrowest"] is not None:
                stats["narrowest"] = st["narrowest"] if stats["narrowest"] is None else min(stats["narrowest"],
                                                                                          st["narrowest"])
        stats["seconds"] = round(self.seconds, 2)
        return stats


def plan_key(study, threshold: int):
    if not study.fingerprint:
        return None
    return (study.fingerprint, tuple(sorted((k, str(v)) for k, v in (study.filters or {}).items())), threshold,
            len(study.codings), len(study.municipalities))
