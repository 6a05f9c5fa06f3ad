"""Every minimal solution of a prime implicant chart, exactly, as R's QCA package defines them.

With its defaults (``all.sol = FALSE``, ``row.dom = FALSE``), R's ``minimize`` finds the least
number of prime implicants that together cover every configuration to explain (an integer
program, lpSolve) and then lists every combination of that many prime implicants that covers
them all, in lexicographic order of the implicants' positions in the chart: these are the models
M1, M2, ... No tie is broken by the number of literals, and no implicant is dropped for being
dominated by another.

Here the chart is first reduced in ways that keep every minimal cover: a configuration whose
implicants include all those of another is left out (whatever covers the other covers it); an
implicant that alone covers some configuration is in every cover; and the rest splits into
independent parts (no configuration shared), whose minimal covers combine freely. In each part the
least number of implicants comes from the same integer program as R's (HiGHS, through
`scipy.optimize.milp`) and its covers of that size from an exhaustive branch and bound: it
branches on the configuration with the fewest implicants left to cover it, never visits a set
twice (each branch forbids the implicants of the branches before it) and prunes only branches that
cannot reach a cover of that size (pairwise disjoint configurations each need an implicant of
their own). A part too large for that search within `max_steps` steps has its covers listed by
integer programs instead, each asking for a least cover other than those found, until none is
left. From every least cover found, exchanging one implicant for another that covers what only
it covered gives more least covers; they are collected too, which shows quickly when there are
more than `max_models`.
Either way the list is complete; when there are more minimal models than `max_models`,
`TooManyModels` is raised rather than a partial list returned.
"""

from __future__ import annotations

from itertools import product

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

MAX_MODELS = 1000
MAX_STEPS = 2_000_000  # columns the branch and bound of one part may visit before integer programs take over


class TooManyModels(Exception):
    """More minimal models than asked for; `at_least` is how many were found before stopping
    (`steps`: a branch and bound stopped by its step budget, which `minimal_covers` handles).

    Examples
    --------
    >>> TooManyModels(1001, 1000).at_least
    1001
    """

    def __init__(self, at_least: int, limit: int, steps: bool = False):
        self.at_least, self.limit, self.steps = at_least, limit, steps
        super().__init__(f"at least {at_least} minimal models" + (" (search stopped)" if steps else ""))


def _least_cover(chart: np.ndarray) -> tuple[int, ...]:
    """One cover of `chart` by the least number of rows (the integer program's solution)."""
    rows, cols = chart.shape
    if cols == 0:
        return ()
    result = milp(c=np.ones(rows), constraints=LinearConstraint(chart.T.astype(float), lb=1, ub=np.inf),
                  integrality=np.ones(rows), bounds=Bounds(0, 1))
    if result.x is None:
        raise ValueError("the chart cannot be covered")  # not reached: every column has a row
    return tuple(int(i) for i in np.flatnonzero(result.x > 0.5))


def least_cover_size(chart: np.ndarray) -> int:
    """The least number of rows (implicants) of `chart` that cover every column.

    Parameters
    ----------
    chart : ndarray of bool, shape (implicants, configurations)
        Every column covered by at least one row.

    Returns
    -------
    int

    Examples
    --------
    >>> least_cover_size(np.array([[1, 1, 0], [0, 1, 1], [0, 0, 1]], dtype=bool))
    2
    """
    return len(_least_cover(chart))


def _reduce(chart: np.ndarray):
    """The forced rows and the independent parts (rows, column masks) of what is left."""
    n_rows = chart.shape[0]
    masks = {sum(1 << int(r) for r in np.flatnonzero(chart[:, c])) for c in range(chart.shape[1])}
    kept: list[int] = []
    for mask in sorted(masks, key=lambda m: (m.bit_count(), m)):
        if not any(other & mask == other for other in kept):
            kept.append(mask)
    forced = {m.bit_length() - 1 for m in kept if m.bit_count() == 1}
    forced_mask = sum(1 << r for r in forced)
    rest = [m for m in kept if not m & forced_mask]
    parts: list[list[int]] = []  # column masks, grouped by shared rows
    for mask in rest:
        joined = [p for p in parts if any(m & mask for m in p)]
        merged = [mask] + [m for p in joined for m in p]
        parts = [p for p in parts if p not in joined] + [merged]
    out = []
    for columns in parts:
        rows_mask = 0
        for m in columns:
            rows_mask |= m
        out.append(([r for r in range(n_rows) if rows_mask >> r & 1], columns))
    return sorted(forced), sorted(out, key=lambda p: p[0][0])


def minimal_covers(chart: np.ndarray, *, max_models: int = MAX_MODELS, max_steps: int = MAX_STEPS) -> list[tuple]:
    """Every set of the least number of rows of `chart` that covers every column.

    Parameters
    ----------
    chart : ndarray of bool, shape (implicants, configurations)
        Every column covered by at least one row.
    max_models : int
        Raise `TooManyModels` when there are more minimal covers than this.
    max_steps : int
        Columns the branch and bound of one part may visit before integer programs list its covers.

    Returns
    -------
    list of tuple of int
        The row positions of each cover, ascending; the covers in lexicographic order (R's M1,
        M2, ...).

    Examples
    --------
    >>> chart = np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1]], dtype=bool)
    >>> minimal_covers(chart)
    [(0, 2), (1, 3)]
    """
    forced, parts = _reduce(np.asarray(chart, dtype=bool))
    choices = []
    count = 1
    for rows, columns in parts:
        local = _part_covers(rows, columns, max_models, max_steps)
        count *= len(local)
        if count > max_models:
            raise TooManyModels(count, max_models)
        choices.append(local)
    return sorted(tuple(sorted(forced + [r for cover in combo for r in cover])) for combo in product(*choices))


def _part_covers(rows, columns, max_models, max_steps) -> list[tuple]:
    """The minimal covers of one independent part: rows (chart positions) and column masks."""
    position = {r: i for i, r in enumerate(rows)}
    local_columns = [sum(1 << position[r] for r in rows if m >> r & 1) for m in columns]
    sub = np.zeros((len(rows), len(columns)), dtype=bool)
    for c, m in enumerate(local_columns):
        for i in range(len(rows)):
            sub[i, c] = bool(m >> i & 1)
    first = _least_cover(sub)
    row_cols = [sum(1 << c for c in range(len(columns)) if sub[i, c]) for i in range(len(rows))]
    known = _exchanges([frozenset(first)], set(), row_cols, (1 << len(columns)) - 1, max_models)
    search = _Search(local_columns, row_cols, max_models, max_steps)
    try:
        search.run((1 << len(columns)) - 1, (), 0, len(first))
        found = search.found
    except TooManyModels as stopped:
        if not stopped.steps:
            raise
        found = _integer_covers(sub, known, row_cols, max_models)  # too large to search: integer programs
    return [tuple(rows[i] for i in cover) for cover in found]


def _exchanges(start: list, seen: set, row_cols: list[int], full: int, max_models: int) -> set:
    """Least covers reached from `start` by exchanging one row for another, again and again (added
    to `seen`, which is returned); `TooManyModels` when there are more than `max_models`."""
    queue = [c for c in start if c not in seen]
    seen.update(queue)
    if len(seen) > max_models:
        raise TooManyModels(len(seen), max_models)
    while queue:
        cover = queue.pop()
        for r in cover:
            rest = 0
            for other in cover:
                if other != r:
                    rest |= row_cols[other]
            need = full & ~rest  # the columns only r covers
            for alt, cols in enumerate(row_cols):
                if alt not in cover and cols & need == need:
                    swapped = (cover - {r}) | {alt}
                    if swapped not in seen:
                        seen.add(swapped)
                        queue.append(swapped)
                        if len(seen) > max_models:
                            raise TooManyModels(len(seen), max_models)
    return seen


def _integer_covers(sub: np.ndarray, known: set, row_cols, max_models: int) -> list[tuple]:
    """Every least cover, by integer programs: each asks for a cover of the least size that is none
    of those known (one constraint per known cover); each new one adds those reached from it by
    exchanges (`_exchanges`); the list is complete when no such cover is left."""
    n, size = sub.shape[0], len(next(iter(known)))
    full = (1 << sub.shape[1]) - 1
    while True:
        cuts = np.zeros((len(known), n))
        for i, cover in enumerate(known):
            cuts[i, list(cover)] = 1
        constraints = [LinearConstraint(sub.T.astype(float), lb=1, ub=np.inf),
                       LinearConstraint(np.ones((1, n)), lb=size, ub=size),
                       LinearConstraint(cuts, lb=-np.inf, ub=size - 1)]
        result = milp(c=np.zeros(n), integrality=np.ones(n), bounds=Bounds(0, 1), constraints=constraints)
        if result.x is None:
            return sorted(tuple(sorted(c)) for c in known)
        cover = frozenset(int(i) for i in np.flatnonzero(result.x > 0.5))
        known = _exchanges([cover], known, row_cols, full, max_models)


class _Search:
    """Branch and bound over one part (bit sets: a column's rows, a row's columns)."""

    def __init__(self, columns, row_cols, max_models, max_steps):
        self.columns, self.row_cols = columns, row_cols
        self.max_models, self.max_steps = max_models, max_steps
        self.found: list[tuple] = []
        self.steps = 0

    def _bound(self, uncovered: int, forbidden: int) -> tuple[int, int]:
        """A column with the fewest allowed rows (its rows), and how many pairwise disjoint columns
        there are (each needs a row of its own); (0, -1) when a column has no allowed row."""
        best_rows, best_count, disjoint, used = 0, None, 0, 0
        remaining = uncovered
        self.steps += uncovered.bit_count()
        while remaining:
            c = (remaining & -remaining).bit_length() - 1
            remaining &= remaining - 1
            allowed = self.columns[c] & ~forbidden
            if not allowed:
                return 0, -1
            count = allowed.bit_count()
            if best_count is None or count < best_count:
                best_rows, best_count = allowed, count
            if not allowed & used:
                disjoint += 1
                used |= allowed
        return best_rows, disjoint

    def run(self, uncovered: int, chosen: tuple, forbidden: int, left: int) -> None:
        """Extend `chosen` by `left` more rows (none in `forbidden`) to cover `uncovered`."""
        if self.steps > self.max_steps:
            raise TooManyModels(len(self.found), self.max_models, steps=True)
        if not uncovered:
            self.found.append(tuple(sorted(chosen)))
            if len(self.found) > self.max_models:
                raise TooManyModels(len(self.found), self.max_models)
            return
        if left == 0:
            return
        rows, disjoint = self._bound(uncovered, forbidden)
        if disjoint < 0 or disjoint > left:
            return
        barred = forbidden
        while rows:
            r = (rows & -rows).bit_length() - 1
            rows &= rows - 1
            self.run(uncovered & ~self.row_cols[r], chosen + (r,), barred, left - 1)
            barred |= 1 << r
