"""Prime implicants, exactly, in the order R's QCA package lists them.

Two searches, as R makes them:

* for the conservative and the intermediate solutions, Quine-McCluskey over the configurations
  to explain (no remainders): pairs of terms that differ in one literal merge, round after round,
  and what merges no further is prime (R's ``C_QMC``);
* for the parsimonious solution, the search of R's consistency cubes (``C_Cubes``): for every set
  of conditions, in order of size, each pattern of a positive configuration on those conditions
  that no negative configuration shares is an implicant, prime when no pattern on fewer of its
  conditions is one. R stops this search once two sizes in a row add no prime implicant; here it
  runs to the end and skips only what provably holds none (a set of conditions whose every positive
  configuration is already covered by an implicant on a subset of them), so every prime
  implicant is found.

Both return the implicants sorted as R sorts them (its ``sort_matrix``, ``sort_cols``), which
decides the order of terms in a solution and the numbering of models M1, M2, ...
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from .notation import ABSENT


def r_order(codes) -> list[int]:
    """The positions of `codes` in the order R's QCA package sorts implicants.

    R sorts, for each condition from the last to the first, stably by the code in descending order
    and then the codes before the first absent one (0) in ascending order; finally stably by the
    number of literals. Where no code of a condition is 0, R's ascending step leaves out the last
    term, and so does this.

    Parameters
    ----------
    codes : sequence of tuple of int
        Implicants (0 absent, 1 negated, 2 present per condition), in the order they were found.

    Returns
    -------
    list of int

    Examples
    --------
    >>> r_order([(2, 2), (0, 1), (1, 0)])
    [2, 1, 0]
    """
    n = len(codes)
    if n == 0:
        return []
    order = list(range(n))
    for i in reversed(range(len(codes[0]))):
        order.sort(key=lambda o: -codes[o][i])
        first_zero = next((p for p, o in enumerate(order) if codes[o][i] == ABSENT), n - 1)
        order[:first_zero] = sorted(order[:first_zero], key=lambda o: codes[o][i])
    order.sort(key=lambda o: sum(c != ABSENT for c in codes[o]))
    return order


def quine_mccluskey(configurations) -> list[tuple[int, ...]]:
    """The prime implicants of a set of configurations, with nothing else allowed (no remainders),
    in R's order.

    Parameters
    ----------
    configurations : sequence of sequence of int
        0 or 1 per condition, in the order R holds them (truth-table order).

    Returns
    -------
    list of tuple of int
        Codes (0 absent, 1 negated, 2 present), sorted as R sorts them.

    Examples
    --------
    >>> quine_mccluskey([(0, 1), (1, 0), (1, 1)])
    [(2, 0), (0, 2)]
    """
    terms = [tuple(int(v) + 1 for v in c) for c in configurations]
    while len(terms) > 1:
        index = {t: i for i, t in enumerate(terms)}
        merges = []
        for i, t in enumerate(terms):
            for p, v in enumerate(t):
                if v != ABSENT:
                    j = index.get(t[:p] + (3 - v,) + t[p + 1:])
                    if j is not None and j > i:
                        merges.append((i, j, t[:p] + (ABSENT,) + t[p + 1:]))
        if not merges:
            break
        merges.sort()  # R compares the pairs of terms in lexicographic order
        merged = {i for i, _, _ in merges} | {j for _, j, _ in merges}
        found = dict.fromkeys(m for _, _, m in merges)
        terms = list(found) + [t for i, t in enumerate(terms) if i not in merged]
    return [terms[o] for o in r_order(terms)]


def consistency_cubes(positive: np.ndarray, negative: np.ndarray) -> list[tuple[int, ...]]:
    """Every prime implicant that covers a positive configuration and no negative one (the other
    configurations, the remainders, may be covered), in R's order.

    Parameters
    ----------
    positive : ndarray of 0/1, shape (p, k)
        The configurations to explain, in truth-table order.
    negative : ndarray of 0/1, shape (q, k)
        The configurations no implicant may cover (q >= 1).

    Returns
    -------
    list of tuple of int
        Codes (0 absent, 1 negated, 2 present), sorted as R sorts them.

    Examples
    --------
    >>> consistency_cubes(np.array([[1, 1], [1, 0]]), np.array([[0, 0], [0, 1]]))
    [(2, 0)]
    >>> consistency_cubes(np.array([[1, 1], [1, 0]]), np.array([[0, 0]]))
    [(2, 0), (0, 2)]
    """
    positive = np.asarray(positive, dtype=np.int64)
    negative = np.asarray(negative, dtype=np.int64)
    k = positive.shape[1]
    found: list[tuple[int, ...]] = []
    covered = {(): np.zeros(len(positive), dtype=bool)}  # rows covered by implicants on a subset
    for size in range(1, k + 1):
        level, alive = {}, False
        weights = 1 << np.arange(size - 1, -1, -1, dtype=np.int64)
        for conds in combinations(range(k), size):
            before = np.logical_or.reduce([covered[conds[:t] + conds[t + 1:]] for t in range(size)])
            if before.all():
                level[conds] = before
                continue
            alive = True
            rows = np.flatnonzero(~before)
            codes = positive[np.ix_(rows, conds)] @ weights
            implicant = ~np.isin(codes, negative[:, conds] @ weights)
            now = before.copy()
            now[rows[implicant]] = True
            level[conds] = now
            patterns, first = np.unique(codes[implicant], return_index=True)
            for pattern in patterns[np.argsort(first, kind="stable")]:
                code = [ABSENT] * k
                for t, c in enumerate(conds):
                    code[c] = int((pattern >> (size - 1 - t)) & 1) + 1
                found.append(tuple(code))
        covered = level
        if not alive:
            break
    return [found[o] for o in r_order(found)]


def chart(implicants, configurations) -> np.ndarray:
    """The prime implicant chart: which implicant covers which configuration.

    Parameters
    ----------
    implicants : sequence of tuple of int
        Codes (0 absent, 1 negated, 2 present).
    configurations : ndarray of 0/1, shape (m, k)

    Returns
    -------
    ndarray of bool, shape (len(implicants), m)

    Examples
    --------
    >>> chart([(2, 0), (0, 1)], np.array([[1, 1], [0, 0]])).tolist()
    [[True, False], [False, True]]
    """
    codes = np.asarray(implicants, dtype=np.int64).reshape(len(implicants), -1)
    configs = np.asarray(configurations, dtype=np.int64)
    agree = (codes[:, None, :] == ABSENT) | (codes[:, None, :] == configs[None, :, :] + 1)
    return agree.all(axis=2)


def covered_numbers(implicants, k: int) -> np.ndarray:
    """The numbers (R's row number minus one) of every configuration some implicant covers.

    Parameters
    ----------
    implicants : sequence of tuple of int
    k : int
        The number of conditions.

    Returns
    -------
    ndarray of int, sorted

    Examples
    --------
    >>> covered_numbers([(2, 0), (1, 1)], 2).tolist()
    [0, 2, 3]
    """
    out = []
    for code in implicants:
        base = sum((c - 1) << (k - 1 - j) for j, c in enumerate(code) if c != ABSENT)
        free = [k - 1 - j for j, c in enumerate(code) if c == ABSENT]
        numbers = np.array([base], dtype=np.int64)
        for shift in free:
            numbers = np.concatenate([numbers, numbers + (1 << shift)])
        out.append(numbers)
    return np.unique(np.concatenate(out)) if out else np.array([], dtype=np.int64)
