"""The suppressions of every variable: primary rules, then the cheapest blocks to suppress while
the shown cells determine a protected value (complementary suppression), kept per study."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from itertools import combinations

import numpy as np

from .determine import Check
from .recoding import NATIONAL_BY, UNITS, group_counts, log_entry
from .system import Context, Form, System


def plan_variable(ctx: Context, var, blanket: dict) -> tuple[set, list, dict]:
    """The suppressions of one variable: primary (the `blanket` rules, a variable coded per
    municipality counted per interview, blocks with few values), then complementary ones
    (`release`) until no protected value that is not entailed is determined.

    Parameters
    ----------
    ctx : Context
        What every variable's system shares (units, groups, values, protected groups).
    var : Variable
        The codebook's variable.
    blanket : dict
        {block key or "*": rule} suppressed for every variable (`Planner.blanket`).

    Returns
    -------
    tuple
        (suppressed block keys, log entries, statistics: `protected`, `entailed`, `solves`, `lps`
        and `narrowest`, the fewest values a protected value not entailed was seen to take).

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study().filter(region="Noord")
    >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
    >>> suppressed, log, stats = plan_variable(ctx, study.codebook.variables["procurement.central_unit"], {})
    >>> sorted(suppressed, key=str)  # coded per municipality: not shown per interview
    [('interview', 'region', 'Noord'), ('interview', 'size_class', 'medium+large'), ('interview', None, 'all')]
    >>> log, stats
    ([], {'protected': 60, 'entailed': 20, 'solves': 3, 'lps': 0, 'narrowest': 2})
    """
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
    for key, b in s.blocks.items():  # a cell of a filtered run's group below the threshold
        if key not in suppressed and (b["municipalities"] < t or (key[0] == "interview" and b["interviews"] < t)):
            suppressed[key] = "group_below_threshold"
            log.append(log_entry("suppressed", "group_below_threshold", variable=var.id, key=key,
                                 n=b["municipalities"]))
    for key, rule in list(suppressed.items()):  # the same cells under another grouping (a region of one size group)
        if rule != "per_municipality_by_interview":
            for k in s.aliases[key]:
                suppressed.setdefault(k, rule)
    for key in s.blocks:
        n = s.n_with_value(key)
        if key not in suppressed and 0 < n < t:
            for k in s.aliases[key]:
                if k not in suppressed:
                    suppressed[k] = "few_values"
                    log.append(log_entry("suppressed", "few_values", variable=var.id, key=k, n=n))
    shown = frozenset(k for k in s.blocks if k not in suppressed)
    # in a release, only the national run's unanimous cells entail: a union of runs that contains it
    # then shows them, so what the release fixes through them it fixes in every such union
    entailing = frozenset(k for k in s.blocks if k[1] in NATIONAL_BY or k[1] in ctx.attributes) if ctx.release else None
    check = Check(s, shown, entailing)
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
        check = Check(s, shown, entailing)
        check.seed(2)
        bad = check.violations()[0]
    _, checked, entailed = check.violations()
    # the fewest values a protected value not entailed was seen to take (at least two: none is
    # determined; a part of an atom that varies counts two)
    widths = []
    pool = check.feasible_pool()
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
    ties in table order.

    Returns
    -------
    tuple
        The block keys to suppress (with the blocks that show the same cells); every shown block
        when nothing less frees the target.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study().filter(region="Noord")
    >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
    >>> s = System(ctx, study.codebook.variables["structure.tenderboard"])
    >>> shown = frozenset(s.blocks)
    >>> check = Check(s, shown)
    >>> target = check.violations()[0][0]
    >>> target.kind, target.group
    ('municipality', ('GM0193',))
    >>> release(s, ctx, shown, check, target)  # one block, shown three times (one size group, one region)
    (('municipality', None, 'all'), ('municipality', 'size_class', 'medium+large'), ('municipality', 'region', 'Noord'))
    """
    # lazy: scipy.optimize is heavy and only solving an integer program needs it (cm.protection without publish never does)
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
    classes, so a table by region gives way first), and the whole selection only as a last resort.

    Returns
    -------
    int

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study().filter(region="Noord")
    >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
    >>> s = System(ctx, study.codebook.variables["procurement.central_unit"])
    >>> [block_cost(s, ("municipality", by, group))
    ...  for by, group in [("region", "Noord"), ("size_class", "medium+large"), (None, "all")]]
    [12, 24, 360]
    """
    unit, by, _ = key
    factor = {None: 10 * len(s.blocks), "size_class": 4, "region": 2, "rank": 2}.get(by, 1)
    return s.blocks[key]["units"] * factor


def block_order(key, ctx: Context):
    """The place of a block in table order: municipality before interview; by size class, region,
    rank, then overall; groups in their order.

    Returns
    -------
    tuple
        A sort key.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study().filter(region="Noord")
    >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
    >>> block_order(("interview", "region", "Noord"), ctx)
    (1, 1, 0, "('interview', 'region', 'Noord')")
    >>> sorted([("interview", None, "all"), ("municipality", "region", "Noord")], key=lambda k: block_order(k, ctx))
    [('municipality', 'region', 'Noord'), ('interview', None, 'all')]
    """
    unit, by, group = key
    by_rank = {"size_class": 0, "region": 1, "rank": 2, None: 3}.get(by, 4)
    groups = {"size_class": ctx.groups, "region": ctx.regions}.get(by, [group])
    position = int(group) if by == "rank" else groups.index(group) if group in groups else 0
    return (UNITS.index(unit), by_rank, position, str(key))


def unions(groups: dict) -> list:
    """Every non-empty union of the shown size groups, as lists of their sets of classes.

    Returns
    -------
    list of list

    Examples
    --------
    >>> found = unions({"small": {"small"}, "large+very_large": {"large", "very_large"}})
    >>> [[sorted(classes) for classes in union] for union in found]
    [[['small']], [['large', 'very_large']], [['small'], ['large', 'very_large']]]
    """
    values = list(groups.values())
    return [list(c) for r in range(1, len(values) + 1) for c in combinations(values, r)]


PLANS: dict = {}


@contextmanager
def quiet_solver():
    """Silence the process's standard output while the solver runs: HiGHS now and then prints a
    debugging line there (below Python's `sys.stdout`), which must not reach a notebook's output.

    Returns
    -------
    context manager
        File descriptor 1 goes to the null device inside, and is restored after.

    Examples
    --------
    >>> import os
    >>> before = os.fstat(1)
    >>> with quiet_solver():
    ...     inside = os.fstat(1)
    >>> os.path.samestat(inside, os.stat(os.devnull)), os.path.samestat(os.fstat(1), before)
    (True, True)
    """
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
    each variable's suppressions, computed when first asked for and then kept.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study().filter(region="Noord")
    >>> planner = Planner(study, 3, {"medium": "medium+large", "large": "medium+large"},
    ...                   [(["medium"], ["large"], (2, 3))])
    >>> [(e["action"], e["rule"]) for e in planner.head]
    [('merged', 'merge_size_class'), ('suppressed', 'per_municipality_by_interview')]
    >>> planner.variable("sourcing.design")
    (set(), [], {'protected': 80, 'entailed': 30, 'solves': 7, 'lps': 0, 'narrowest': 2})
    """

    def __init__(self, study, threshold: int, size_map: dict, merges: list, *, release: bool = False):
        self.study, self.threshold, self.size_map, self.release = study, threshold, size_map, release
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
        """(suppressed block keys, log entries, statistics) of one variable, planned when first
        asked for (`plan_variable`) and then kept.

        Returns
        -------
        tuple
            (set of suppressed block keys, list of log entries, dict of statistics: `protected`,
            `entailed`, `solves`, `lps`, `narrowest`).

        Examples
        --------
        >>> import commissioning as cm
        >>> study = cm.load_study().filter(region="Zuid")
        >>> planner = Planner(study, 3, dict.fromkeys(["small", "medium", "large"], "small+medium+large"), [])
        >>> suppressed, entries, stats = planner.variable("sourcing.engineering")
        >>> sorted(suppressed, key=str)
        [('municipality', 'region', 'Zuid'), ('municipality', 'size_class', 'small+medium+large'), ('municipality', None, 'all')]
        >>> [e["rule"] for e in entries], stats["protected"], stats["entailed"]
        (['linked_tables', 'linked_tables', 'linked_tables'], 64, 14)
        >>> planner.variable("sourcing.engineering")[0] is suppressed  # kept
        True
        """
        if var_id not in self.plans:
            start = time.perf_counter()
            with quiet_solver():
                if self._ctx is None:
                    self._ctx = Context(self.study, self.size_map, self.threshold, release=self.release)
                self.plans[var_id] = plan_variable(self._ctx, self.study.codebook.variables[var_id], self.blanket)
            self.seconds += time.perf_counter() - start
        return self.plans[var_id]

    def log(self) -> list:
        """What is merged or suppressed: the entries for every variable at once (`head`), then each
        variable's, in the codebook's order (every variable is planned).

        Returns
        -------
        list of dict
            The entries of `log_entry`, as kept (not copies).

        Examples
        --------
        >>> import commissioning as cm
        >>> study = cm.load_study().filter(region="Zuid")
        >>> planner = Planner(study, 3, dict.fromkeys(["small", "medium", "large"], "small+medium+large"), [])
        >>> [(e["rule"], e["variable"]) for e in planner.log()]
        [('per_municipality_by_interview', None), ('linked_tables', 'sourcing.engineering'),
         ('linked_tables', 'sourcing.engineering'), ('linked_tables', 'sourcing.engineering')]
        """
        entries = list(self.head)
        for var_id in self.study.codebook.variables:
            entries.extend(self.variable(var_id)[1])
        return entries

    def checked(self) -> dict:
        """The engine's own result over every variable (every variable is planned): the sums of
        `protected`, `entailed` and `solves`, `determined` (0: what is shown determines no
        protected value not entailed), the least `narrowest`, and the `seconds` spent planning.

        Returns
        -------
        dict

        Examples
        --------
        >>> import commissioning as cm
        >>> study = cm.load_study().filter(region="Zuid")
        >>> planner = Planner(study, 3, dict.fromkeys(["small", "medium", "large"], "small+medium+large"), [])
        >>> {k: v for k, v in planner.checked().items() if k != "seconds"}
        {'protected': 3386, 'entailed': 1856, 'determined': 0, 'solves': 169, 'narrowest': 2}
        """
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
    """The key under which a study's plan is kept (`PLANS`): its data fingerprint, filters,
    threshold and sizes.

    Returns
    -------
    tuple or None
        None for a study without a fingerprint (not loaded from files).

    Examples
    --------
    >>> import commissioning as cm
    >>> key = plan_key(cm.load_study().filter(region="Noord"), 3)
    >>> key[1:]
    ((('region', 'Noord'),), 3, 468, 6)
    """
    if not study.fingerprint:
        return None
    return (study.fingerprint, tuple(sorted((k, str(v)) for k, v in (study.filters or {}).items())), threshold,
            len(study.codings), len(study.municipalities))
