"""The constrained reconstruction of the study's interview codings: drawing one dataset.

The study publishes aggregates, never interview-level codings. `reconstruct` draws a dataset with
the interview counts of Table 1 in which every statement of the study (data/claims.yaml), every
other constraint (data/constraints.yaml) and every coherence rule of the codebook holds, measured
by the one rule layer (`commissioning.rules`) that also gives the claims their verdicts. Every
value is labelled: `reported` (the study states it for every municipality or a named one),
`derived` (it follows from the study's statement about a named group), `external` (a fact from
outside the study, its source named in the constraint) or `imputed` (drawn, seeded, within what
the study publishes, or fixed by a reading of ours).

How a draw is made: values that a statement determines (all or none of a group, only named
municipalities) are fixed first; every other value is drawn variable by variable from random code
probabilities, a batch of candidates at a time, keeping a candidate that breaks no rule whose
variables are drawn; then, while any rule fails, one of its variables is drawn again with the
same test. The result is checked with the rule layer once more before it is returned.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ReconstructionError
from ..rules import (
    coded_variables, empty_values, FAILS, KINDS, measure, NO_DATA, rule_variables, spaces_for, static_part, UnitTable,
)
from .inputs import Inputs, Reconstruction, Statement, load_inputs

DEFAULT_SEED = 2018
BATCH = 256
UNDECIDED_WEIGHT = 1024  # a broken statement weighs more than every undecided one together


# --- determined values --------------------------------------------------------------------------------

def _determinations(st: Statement, table: UnitTable, quantifiers) -> list[tuple[str, np.ndarray, np.ndarray, str]]:
    """What a statement fixes before anything is drawn: (variable, unit mask, allowed-code mask,
    'only' or 'not'), as its kind says (`RuleKind.determine`). A rule selecting units by another
    variable's codes fixes nothing: its units are known only once that variable is drawn."""
    determine = KINDS[st.spec["rule"]].determine
    if determine is None or (st.spec.get("where") or {}).get("coded"):
        return []
    return determine(st.spec, table, quantifiers)


# --- drawing ------------------------------------------------------------------------------------------

class _Sampler:
    """One draw in progress: the table of values drawn so far, what the statements determine,
    and the random generator of the seed."""

    def __init__(self, inputs: Inputs, seed: int):
        self.inputs = inputs
        self.q = inputs.quantifiers
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        cb = inputs.codebook
        # the interviews to draw: from the constraint whose kind fixes them (`RuleKind.interviews`)
        counts = [KINDS[s.spec["rule"]].interviews(s.spec) for s in inputs.statements
                  if KINDS[s.spec["rule"]].interviews is not None]
        if not counts:
            raise ReconstructionError("constraints.yaml: no interview_counts rule; allowed: one rule "
                                      "{rule: interview_counts, counts: {<cbs_code>: <interviews>}}")
        counts = counts[0]
        munis = inputs.municipalities
        interviews = [(f"{m}-{i}", m) for m in munis["cbs_code"] for i in range(1, counts.get(m, 0) + 1)]
        spaces = spaces_for(munis, interviews)
        space_of, values = empty_values(cb, spaces)
        self.table = UnitTable(cb, spaces, space_of, values)
        self.statements = inputs.statements
        self.touching: dict[str, list[Statement]] = {v: [] for v in cb.variables}
        for st in self.statements:
            for v in set(rule_variables(st.spec, cb)):
                self.touching[v].append(st)
        self.drawn: set[str] = set()
        self.allowed: dict[str, np.ndarray] = {}  # var -> (units, codes) bool, from determinations
        self.fixed_by: dict[str, list] = {}  # var -> per unit list of determining statements
        self._determine()

    # determinations and coherence --------------------------------------------------------------
    def _determine(self):
        cb, table = self.inputs.codebook, self.table
        for v, var in cb.variables.items():
            n = len(table.space(v))
            self.allowed[v] = np.ones((n, len(var.codes)), dtype=bool)
            self.fixed_by[v] = [[] for _ in range(n)]
        for st in self.statements:
            for v, units, codes, how in _determinations(st, table, self.q):
                if how == "only":
                    self.allowed[v][units] &= codes
                else:
                    self.allowed[v][units] &= ~codes
                for u in np.flatnonzero(units):
                    self.fixed_by[v][u].append(st)
        for v, allowed in self.allowed.items():
            empty = ~allowed.any(axis=1)
            if empty.any():
                unit = self.table.space(v).ids[int(np.argmax(empty))]
                ids = sorted({st.id for u in np.flatnonzero(empty) for st in self.fixed_by[v][u]})
                raise ReconstructionError(f"{v}: every code is excluded for {unit} by {', '.join(ids)}")

    def _coherent_allowed(self, v: str) -> np.ndarray:
        """The allowed codes of `v` per unit, narrowed by the constraints whose kind keeps `v`
        coherent with the variables already drawn (`RuleKind.narrow`, e.g. `implies`)."""
        allowed = self.allowed[v].copy()
        for st in self.touching[v]:
            narrow = KINDS[st.spec["rule"]].narrow
            if narrow is not None:
                allowed = narrow(st.spec, v, allowed, self.table, self.drawn)
        return allowed

    # candidates -----------------------------------------------------------------------------
    def _candidates(self, v: str, allowed: np.ndarray, batch: int = BATCH) -> np.ndarray:
        """Fresh draws: each candidate has its own random code probabilities (a Dirichlet draw)."""
        n_units, n_codes = allowed.shape
        p = self.rng.dirichlet(np.ones(n_codes), size=batch)
        out = np.empty((batch, n_units), dtype=np.int64)
        patterns = {}
        for u in range(n_units):
            patterns.setdefault(tuple(np.flatnonzero(allowed[u])), []).append(u)
        for idx, units in patterns.items():
            idx = np.array(idx)
            w = p[:, idx]
            cum = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
            r = self.rng.random((batch, len(units)))
            pick = np.minimum((r[:, :, None] > cum[:, None, :]).sum(axis=2), len(idx) - 1)
            out[:, units] = idx[pick]
        return out

    def _mutations(self, current: np.ndarray, allowed: np.ndarray, batch: int) -> np.ndarray:
        """Small changes of the current draw: one to three units get a random allowed code."""
        out = np.repeat(current[None, :], batch, axis=0)
        free = np.flatnonzero(allowed.sum(axis=1) > 1)
        if not len(free):
            return out
        n_units, n_codes = allowed.shape
        options = np.full((n_units, n_codes), -1, dtype=np.int64)  # the j-th allowed code of each unit
        counts = allowed.sum(axis=1)
        for u in free:
            options[u, :counts[u]] = np.flatnonzero(allowed[u])
        picks = free[self.rng.integers(len(free), size=(batch, 3))]
        use = np.arange(3)[None, :] < self.rng.integers(1, 4, size=batch)[:, None]
        which = (self.rng.random((batch, 3)) * counts[picks]).astype(np.int64)
        rows = np.nonzero(use)[0]
        out[rows, picks[use]] = options[picks, which][use]
        return out

    def _active(self, v: str) -> list[Statement]:
        cb = self.inputs.codebook
        return [st for st in self.touching[v]
                if all(x in self.drawn or x == v for x in rule_variables(st.spec, cb))]

    def _score(self, v: str, candidates: np.ndarray, statements) -> np.ndarray:
        """How many parts of the statements each candidate breaks (0: it breaks none), weighted
        above the number of statements it leaves undecidable that a draw can decide: those that
        compare groups selected by another variable's codes, whose sizes depend on the draw (a
        comparison of size classes is decided or not by the sample itself)."""
        trial = self.table.with_values(v, candidates)
        broken = np.zeros(len(candidates), dtype=np.int64)
        for st in statements:
            outcome = measure(trial, st.spec, self.q)
            broken += UNDECIDED_WEIGHT * outcome.broken(len(candidates))
            if coded_variables(st.spec):
                broken += np.broadcast_to(outcome.status == NO_DATA, (len(candidates),)).astype(np.int64)
        return broken

    def draw(self, v: str, *, tries: int = 20) -> int:
        """Draw variable `v` (again): the candidate that breaks the fewest statements whose variables
        are drawn; a redraw also tries small changes of the current values and keeps them when
        nothing better is found. Returns the number of statements the kept values break."""
        var = self.inputs.codebook.variables[v]
        if var.type == "ranked_set":
            return self._draw_ranked(v)
        allowed = self._coherent_allowed(v)
        active = self._active(v)
        redraw = v in self.drawn
        current = self.table.values[v][0]
        best, best_score = None, None
        for _ in range(tries if not redraw else 1):
            cand = self._candidates(v, allowed, BATCH if not redraw else BATCH // 2)
            if redraw:
                keep = np.all(allowed[np.arange(len(current)), np.clip(current, 0, None)]) and (current >= 0).all()
                base = current if keep else cand[0]
                cand = np.concatenate([base[None, :], self._mutations(base, allowed, BATCH // 2 - 1), cand])
            score = self._score(v, cand, active) if active else np.zeros(len(cand), dtype=np.int64)
            low = np.flatnonzero(score == score.min())
            i = int(low[int(self.rng.integers(len(low)))])  # a random one among the best: moves on plateaus
            if best_score is None or score[i] < best_score:
                best, best_score = cand[i], int(score[i])
            if best_score == 0:
                break
        self.table = self.table.with_values(v, best[None, :])
        self.drawn.add(v)
        return best_score

    # ranked sets --------------------------------------------------------------------------------
    def _draw_ranked(self, v: str, tries: int = 400) -> int:
        var = self.inputs.codebook.variables[v]
        size, codes = var.size, var.code_list
        n = len(self.table.space(v))
        total = n * size
        active = self._active(v)
        # per code, the counts its own statements allow (the rule layer's functions, one code at a time)
        allowed = [set(range(n + 1)) for _ in codes]
        for st in active:
            spec = st.spec
            if spec.get("where"):
                continue
            mentions = KINDS[spec["rule"]].mentions
            for code, counts in (mentions(spec, codes, n, self.q) if mentions is not None else {}).items():
                allowed[codes.index(code)] &= counts
        if any(not a for a in allowed):
            bad = [codes[i] for i, a in enumerate(allowed) if not a]
            raise ReconstructionError(f"{v}: no number of mentions of {', '.join(bad)} satisfies "
                                      + ", ".join(sorted({st.id for st in active})))
        best, best_score = None, None
        for _ in range(tries):
            counts = self._mention_counts(allowed, total)
            if counts is None:
                continue
            ranked = self._assign(counts, n, size)
            if ranked is None:
                continue
            score = self._score(v, ranked[None], active) if active else np.zeros(1, dtype=np.int64)
            if best_score is None or score[0] < best_score:
                best, best_score = ranked, int(score[0])
            if best_score == 0:
                break
        if best is None:
            raise ReconstructionError(f"{v}: no assignment of mentions found in {tries} tries "
                                      f"({', '.join(sorted({st.id for st in active}))})")
        self.table = self.table.with_values(v, best[None])
        self.drawn.add(v)
        return best_score

    def _mention_counts(self, allowed, total):
        """Counts per code: codes with a single allowed count take it; the rest of the mentions are
        spread over the others at random within what each allows."""
        counts = np.zeros(len(allowed), dtype=np.int64)
        free = []
        for i, a in enumerate(allowed):
            if len(a) == 1:
                counts[i] = next(iter(a))
            else:
                free.append(i)
        rest = total - counts.sum()
        if rest < 0:
            return None
        caps = np.array([max(allowed[i]) for i in free], dtype=np.int64)
        floors = np.array([min(allowed[i]) for i in free], dtype=np.int64)
        if rest < floors.sum() or rest > caps.sum():
            return None
        for _ in range(200):
            w = self.rng.dirichlet(np.ones(len(free)))
            share = floors + np.floor(w * (rest - floors.sum())).astype(np.int64)
            short = rest - share.sum()
            for j in self.rng.permutation(len(free))[:short]:
                share[j] += 1
            if (share <= caps).all() and all(int(s) in allowed[i] for s, i in zip(share, free)):
                counts[free] = share
                return counts
        return None

    def _assign(self, counts, n, size):
        """Give every respondent `size` distinct codes with the given mention counts, at random."""
        room = np.full(n, size)
        chosen = [[] for _ in range(n)]
        for code in np.argsort(-counts, kind="stable"):
            k = int(counts[code])
            if k == 0:
                continue
            cand = np.flatnonzero(room > 0)
            if len(cand) < k:
                return None
            w = room[cand].astype(float) ** 3
            pick = self.rng.choice(len(cand), k, replace=False, p=w / w.sum())
            for j in cand[pick]:
                chosen[j].append(int(code))
                room[j] -= 1
        if room.any():
            return None
        out = np.empty((n, size), dtype=np.int64)
        for r in range(n):
            order = list(chosen[r])
            self.rng.shuffle(order)
            out[r] = order
        return out

    # the whole draw --------------------------------------------------------------------------------
    def failing(self) -> list[Statement]:
        return [st for st in self.statements
                if int(np.asarray(measure(self.table, st.spec, self.q).status).ravel()[0]) == FAILS]

    def run(self, max_rounds: int = 3000) -> UnitTable:
        cb = self.inputs.codebook
        for v in cb.variables:
            self.draw(v)
        for _ in range(max_rounds):
            failing = self.failing()
            if not failing:
                return self.table
            st = failing[int(self.rng.integers(len(failing)))]
            variables = [x for x in dict.fromkeys(rule_variables(st.spec, cb))
                         if self.allowed[x].sum(axis=1).max() > 1]
            if not variables:
                raise ReconstructionError(f"{st.id}: fails on values that the statements determine")
            self.draw(variables[int(self.rng.integers(len(variables)))])
        names = ", ".join(sorted({st.id for st in self.failing()}))
        raise ReconstructionError(f"seed {self.seed}: these statements still fail after {max_rounds} rounds: {names}")

    # provenance ------------------------------------------------------------------------------------------
    def provenance(self) -> dict:
        cb, table = self.inputs.codebook, self.table
        out = {}
        for v, var in cb.variables.items():
            space = table.space(v)
            rows = []
            for u in range(len(space)):
                fixed = self.fixed_by[v][u]
                n_allowed = int(self.allowed[v][u].sum())
                if n_allowed == 1 and fixed:
                    basis = _basis_of(fixed)
                    ids = sorted({st.id for st in fixed})
                    section = "+".join(sorted({st.section for st in fixed}))
                else:
                    touching = [st for st in self.touching[v] if st.section != "codebook"
                                and (not KINDS[st.spec["rule"]].selection_bounds
                                     or space.mask(static_part(st.spec.get("where")))[u])]
                    ids = [st.id for st in touching]
                    ids = list(dict.fromkeys(ids))
                    section = "+".join(sorted({st.section for st in touching})) or var.section
                    basis = "imputed"
                rows.append((basis, section, "+".join(ids)))
            out[v] = rows
        return out


def _basis_of(fixed) -> str:
    """The provenance of a value the statements `fixed` together leave a single code for:
    reported when each of them is reported; imputed when one is a reading without a basis (such as
    'the municipality always has accommodation of its own'); otherwise derived when one follows
    from a statement about a named group, else external (a fact from outside the study)."""
    bases = {st.basis for st in fixed}
    if bases == {"reported"}:
        return "reported"
    if None in bases:
        return "imputed"
    return "derived" if "derived" in bases else "external"


def reconstruct(seed: int | None = None, *, data_dir: Path | str | None = None, inputs: Inputs | None = None,
                max_rounds: int = 3000) -> Reconstruction:
    """Draw one dataset in which every statement, constraint and coherence rule holds.

    Parameters
    ----------
    seed : int, optional
        Seed of the numpy Generator (default: the shipped dataset's seed, 2018).
    data_dir : path, optional
        Where codebook, municipalities, claims, constraints and quantifiers come from.
    inputs : Inputs, optional
        Already loaded inputs (faster over many seeds).
    max_rounds : int
        How many statements may be repaired (one variable redrawn each) before the draw gives up.

    Returns
    -------
    Reconstruction
        The drawn values (`table`, a batch of one) and each value's provenance.

    Raises
    ------
    ReconstructionError
        When the statements cannot be satisfied together (nothing is written).

    Examples
    --------
    >>> r = reconstruct(1)
    >>> len(r.interviews)
    24
    >>> r.provenance["segment.public_space.investment"][0]
    ('reported', '2.1', 's21-public-space-everywhere')
    """
    inputs = inputs or load_inputs(data_dir)
    seed = DEFAULT_SEED if seed is None else int(seed)
    sampler = _Sampler(inputs, seed)
    table = sampler.run(max_rounds)
    bad = sampler.failing()
    if bad:  # pragma: no cover - run() returns only when nothing fails
        raise ReconstructionError(f"seed {seed}: statements fail: {', '.join(st.id for st in bad)}")
    return Reconstruction(table, sampler.provenance(), seed)
