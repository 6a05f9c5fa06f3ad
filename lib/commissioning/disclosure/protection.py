"""Publishing safeguards: what a published run may show, safe by construction and checked.

The threat model (README, "Publishing"): a reader has every page of one published run (every
notebook, both languages, the index), every number in its tables, figures and prose, and the
public facts of Table 1 (which municipalities took part, their size class and region, how many
interviews each). Nothing about a group of fewer than `threshold` municipalities or fewer than
`threshold` respondents (interviews) may be recoverable exactly from that, by subtraction within a
table, across tables or across pages.

`protection(study, publish=True)` decides what may be published, in three steps:

1. **Global recoding of size classes.** While a size class of the selection has fewer than
   `threshold` municipalities or interviews, it is merged with its neighbour in the order small <
   medium < large < very large (the only neighbour, else the neighbour with fewer municipalities,
   then fewer interviews, then the larger one). The study itself speaks of "the large and very
   large municipalities"; on the shipped data very large (2 municipalities) joins large. Tables are
   then computed on `Protection.study`, in which the merged class is one group
   ("large+very_large", "Large and very large" / "Groot en zeer groot").
2. **Primary suppression.** Regions are nominal and cannot be merged meaningfully: a region below
   the threshold is suppressed, together with the smallest other region so that the total does not
   give it by subtraction. A block (one group's column of one variable at one unit) with fewer than
   `threshold` units with a value is suppressed too. A selection that is itself below the threshold
   shows nothing. A variable coded per municipality is shown per municipality only: counted per
   interview it weighs each municipality by its number of interviews (public in Table 1), and the
   two counts together give the value of a municipality with several interviews (Den Haag's, from
   the West column alone).
3. **Complementary suppression across linked tables.** For every variable, the universe of cells
   a run may publish (each code's count overall, by shown size group and by region, per
   municipality and per interview; for a ranked set the mentions of each code overall, by size
   group, by region and by rank) is one system of linear equations in the unknown values per unit.
   An integer program (`scipy.optimize.milp`) finds, for every *protected value*, whether it is
   determined by all published cells together. When one is, the cheapest set of blocks that lets it
   take another value is suppressed (`_release`: one mixed integer program with an indicator per
   block, as in Fischetti and Salazar's model of cell suppression; regions give way before size
   groups, the whole selection only as a last resort), and the check is repeated until nothing is
   determined. The result is deterministic.

Protected values are the count of each code (and of "no value") in every group a reader can name
from Table 1 that has fewer than `threshold` municipalities or interviews: each municipality (at
both units: its value, and the count over its interviews), each interview, each size class, region
and region x size class cell below the threshold. A determined value is allowed only when it is
entailed by a published, unanimous cell of a group of at least `threshold` units ("all 18
municipalities invest in public space" determines every municipality's value: that is the study's
own statement about a large group).

Modelling choices, documented for the auditor and the README:

- Units that share region, shown size group and (for a variable coded per municipality, counted
  per interview with the municipality's weight) the number of interviews are interchangeable in
  every published cell; the integer program is solved over their counts ("atoms"), and a part of an
  atom is determined only when the atom holds the code in none or all of its units.
- A municipality's value of a variable coded per interview is a median or mode of its
  interviews, which is not linear. It is an unknown of its own, equal to the interview's value for
  a municipality with one interview and otherwise not linked to its interviews' values.

`for_publication` blanks respondent roles, file names and notes and pseudonymises coders; the
recoded `Protection.study` is made from it.
"""

from __future__ import annotations

import html
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..data.codebook import check_lang
from ..errors import ParameterError

THRESHOLD = 3
MIN_MUNICIPALITIES = THRESHOLD  # the common threshold rule: a subgroup shown must hold three or more
HIDDEN_FIELDS = ("respondent_role", "coder", "file", "notes")
BY_CHOICES = (None, "size_class", "region", "rank")
UNITS = ("municipality", "interview")
ALL = "all"
ALL_LABEL = {"en": "All", "nl": "Alle"}
RANK_LABEL = {"en": "Rank {r}", "nl": "Plaats {r}"}
_TEXT = {
    "en": "hidden: fewer than {m} municipalities",
    "nl": "verborgen: minder dan {m} gemeenten",
}


def for_publication(study):
    """The study with respondent roles, file names and notes blanked and coders pseudonymised.

    Coders become "coder 1", "coder 2", ... in alphabetical order of their names, so analyses
    that take the first coder of an interview give the same result as before.

    Returns
    -------
    Study
        A copy; the argument is not changed.

    Examples
    --------
    >>> import commissioning as cm
    >>> s = cm.for_publication(cm.load_study())
    >>> set(s.interviews.respondent_role), set(s.interviews.coder)
    ({''}, {'coder 1'})
    """
    pseudonym = pseudonyms(study)
    interviews = study.interviews.copy()
    for col in HIDDEN_FIELDS:
        if col == "coder":
            interviews[col] = interviews[col].map(pseudonym)
        elif col in interviews:
            interviews[col] = ""
    codings = study.codings.copy()
    codings["coder"] = codings["coder"].map(pseudonym)
    return replace(study, interviews=interviews, codings=codings)


def pseudonyms(study) -> dict[str, str]:
    """The pseudonym `for_publication` gives each coder of `study`: "coder 1", "coder 2", ... in
    alphabetical order of their names.

    Returns
    -------
    dict
        {coder name: pseudonym}.

    Examples
    --------
    >>> import commissioning as cm
    >>> pseudonyms(cm.load_study())
    {'reconstruction': 'coder 1'}
    """
    names = sorted(set(study.interviews.coder) | set(study.codings.coder))
    return {name: f"coder {i}" for i, name in enumerate(names, 1)}


# --- global recoding of size classes -----------------------------------------------------------------

def _check_threshold(threshold) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 1:
        raise ParameterError(f"threshold: {threshold!r} is not allowed; allowed: a whole number of at least 1 "
                             f"(default {THRESHOLD})")
    return int(threshold)


def _join_labels(labels: list[str], lang: str) -> str:
    """'Large and very large' / 'Groot en zeer groot': the first label as it is, the others in lower case."""
    parts = [labels[0], *(lab[:1].lower() + lab[1:] for lab in labels[1:])]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + {"en": " and ", "nl": " en "}[lang] + parts[-1]


def _counts(munis: pd.DataFrame, column: str, codes) -> dict:
    """{code: (municipalities, interviews)} for the codes of `column` present in `munis`."""
    grouped = munis.groupby(column)["n_interviews"].agg(["size", "sum"])
    return {c: (int(grouped.loc[c, "size"]), int(grouped.loc[c, "sum"])) for c in codes if c in grouped.index}


def _recode(study, threshold: int) -> tuple[list, list]:
    """The shown size groups, each a list of original classes in order, and the merges made
    [(merged classes, into classes, counts before)]."""
    attr = study.codebook.attributes["size_class"]
    counts = _counts(study.municipalities, "size_class", attr.code_list)
    groups = [[c] for c in attr.code_list if c in counts]
    merges = []

    def size(g):
        return sum(counts[c][0] for c in g), sum(counts[c][1] for c in g)

    while len(groups) > 1:
        below = [i for i, g in enumerate(groups) if min(size(g)) < threshold]
        if not below:
            break
        i = min(below, key=lambda i: (*size(groups[i]), i))
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(groups)]
        j = min(neighbours, key=lambda j: (*size(groups[j]), -j))
        merges.append((list(groups[i]), list(groups[j]), size(groups[i])))
        lo, hi = sorted((i, j))
        groups[lo:hi + 1] = [groups[lo] + groups[hi]]
    return groups, merges


def _recoded_study(study, groups: list) -> tuple:
    """(study, size_map): the study with its size classes replaced by the shown groups."""
    attr = study.codebook.attributes["size_class"]
    size_map = {c: "+".join(g) for g in groups for c in g}
    if all(len(g) == 1 for g in groups):
        return study, size_map
    codes, thresholds = {}, {}
    inside = {c for g in groups for c in attr.code_list[attr.code_list.index(g[0]):attr.code_list.index(g[-1]) + 1]}
    old = attr.extra.get("thresholds", {})
    shown = {g[0]: g for g in groups}
    for c in attr.code_list:  # absent classes stay, unless a merged group spans them
        if c in shown:
            g = shown[c]
            code = "+".join(g)
            codes[code] = {lang: _join_labels([attr.codes[m][lang] for m in g], lang) for lang in ("en", "nl")}
            if c in old:
                thresholds[code] = old[c]
        elif c not in inside:
            codes[c] = dict(attr.codes[c])
            if c in old:
                thresholds[c] = old[c]
    new_attr = replace(attr, codes=codes, extra={**attr.extra, "thresholds": thresholds})
    codebook = replace(study.codebook, attributes={**study.codebook.attributes, "size_class": new_attr})

    def recode(frame):
        out = frame.copy()
        out["size_class"] = out["size_class"].map(size_map).fillna(out["size_class"])
        return out

    filters = dict(study.filters)
    if filters.get("size_class") in size_map:
        filters["size_class"] = size_map[filters["size_class"]]
    recoded = replace(study, municipalities=recode(study.municipalities), interviews=recode(study.interviews),
                      codings=recode(study.codings), codebook=codebook, filters=filters)
    return recoded, size_map


# --- the linked tables: one integer program per variable ------------------------------------------

@dataclass(frozen=True)
class _Atom:
    """Interchangeable units of one variable: same region, shown size group and (kind P) interviews.

    kind: P (variable coded per municipality), S (per-interview variable, municipality with one
    interview: its value and its interview's), I (interviews of municipalities with several), M
    (values of municipalities with several or no interviews), R (a ranked set, per interview)."""

    kind: str
    region: str
    group: str
    n_interviews: int
    members: tuple
    weight: tuple  # (municipality, interview): what one member adds to a cell at each unit

    def w(self, unit: str) -> int:
        return self.weight[UNITS.index(unit)]


@dataclass(frozen=True)
class _Form:
    """A protected value: the count of category `k` in group `group` (at `unit`): `parts` maps an
    atom to (members of the group in it, coefficient per member)."""

    kind: str
    unit: str
    group: tuple
    k: int
    parts: tuple  # ((atom index, members, coefficient), ...)


_PROTECTED_KIND = {
    "municipality": {"en": "a single municipality", "nl": "één gemeente"},
    "interview": {"en": "a single interview", "nl": "één interview"},
    "municipality_interviews": {"en": "the interviews of one municipality", "nl": "de interviews van één gemeente"},
    "size_class": {"en": "a size class below the threshold", "nl": "een grootteklasse onder de drempel"},
    "region": {"en": "a region below the threshold", "nl": "een regio onder de drempel"},
    "region_size": {"en": "a region x size class cell below the threshold",
                    "nl": "een cel regio x grootteklasse onder de drempel"},
}


class _Context:
    """What every variable's system shares: units, their groups, values, protected groups."""

    def __init__(self, study, size_map: dict, threshold: int):
        from ..analysis.units import unit_values

        self.study, self.threshold = study, threshold
        munis = study.municipalities
        self.munis = list(munis["cbs_code"])
        self.region = dict(zip(munis["cbs_code"], munis["region"]))
        self.size = dict(zip(munis["cbs_code"], munis["size_class"]))
        self.group = {m: size_map.get(s, s) for m, s in self.size.items()}
        itv = study.interviews.drop_duplicates("interview_id")
        itv = itv[itv["municipality"].isin(self.munis)]
        order = {m: i for i, m in enumerate(self.munis)}
        pairs = sorted(zip(itv["interview_id"], itv["municipality"]), key=lambda p: (order[p[1]], p[0]))
        self.interviews = [i for i, _ in pairs]
        self.muni_of = dict(pairs)
        self.itv_of = {m: [i for i, mm in pairs if mm == m] for m in self.munis}
        self.n_itv = {m: len(v) for m, v in self.itv_of.items()}
        cb = study.codebook
        self.regions = [r for r in cb.attributes["region"].code_list if r in set(self.region.values())]
        groups = list(dict.fromkeys(size_map[c] for c in cb.attributes["size_class"].code_list if c in size_map))
        self.groups = [g for g in groups if g in set(self.group.values())]
        self.values = {}
        for unit in UNITS:
            data = unit_values(study, unit=unit)
            for var, grp in data.groupby("variable", sort=False):
                self.values[(var, unit)] = dict(zip(zip(grp["unit_id"], grp["rank"]), grp["code"]))
        self.protected = self._protected_groups()

    def _protected_groups(self) -> list:
        """[(kind, unit, member ids)]: every nameable group below the threshold, at each unit."""
        t = self.threshold
        out, seen = [], set()

        def add(kind, unit, members):
            key = (unit, tuple(members))
            if members and key not in seen:
                seen.add(key)
                out.append((kind, unit, tuple(members)))

        for m in self.munis:
            if t > 1:
                add("municipality", "municipality", [m])
        for i in self.interviews:
            if t > 1:
                add("interview", "interview", [i])
        for m in self.munis:
            if t > 1:
                add("municipality_interviews", "interview", self.itv_of[m])
        cells = [("size_class", lambda m, s=s: self.size[m] == s) for s in dict.fromkeys(self.size.values())]
        cells += [("region", lambda m, r=r: self.region[m] == r) for r in self.regions]
        cells += [("region_size", lambda m, r=r, s=s: self.region[m] == r and self.size[m] == s)
                  for r in self.regions for s in dict.fromkeys(self.size.values())]
        for kind, keep in cells:
            members = [m for m in self.munis if keep(m)]
            n_itv = sum(self.n_itv[m] for m in members)
            if members and (len(members) < t or n_itv < t):
                add(kind, "municipality", members)
                add(kind, "interview", [i for m in members for i in self.itv_of[m]])
        return out


class _System:
    """The published cells of one variable as linear equations in atom counts, and its protected values."""

    def __init__(self, ctx: _Context, var):
        self.ctx, self.var = ctx, var
        self.ranked = var.type == "ranked_set"
        self.R = int(var.size) if self.ranked else 1
        self.codes = var.code_list
        self.K = len(self.codes) + 1  # the last category: no value
        self.units = ("interview",) if self.ranked else UNITS
        self._atoms()
        self.n = len(self.atoms) * self.R * self.K
        self.size = np.array([len(a.members) for a in self.atoms])
        self._truth()
        self._blocks()
        self._forms()
        self._pool = [self.x0]
        self._matrix = None
        self.solves = self.lps = 0

    def add(self, x: np.ndarray):
        """Remember a solution (of any system of this variable's blocks)."""
        self._pool.append(x)
        self._matrix = None

    def matrix(self) -> np.ndarray:
        """Every solution remembered, one per row, in the order found."""
        if self._matrix is None:
            self._matrix = np.vstack(self._pool)
        return self._matrix

    def idx(self, a: int, r: int, k: int) -> int:
        return (a * self.R + r) * self.K + k

    # atoms and the true counts ----------------------------------------------------------------
    def _atoms(self):
        ctx, var = self.ctx, self.var
        keys: dict = {}
        self.place = {u: {} for u in UNITS}  # unit id -> (atom index, member)

        def put(kind, m, extra, member, weight):
            key = (kind, ctx.region[m], ctx.group[m], extra)
            if key not in keys:
                keys[key] = (len(keys), [], weight)
            keys[key][1].append(member)
            return keys[key][0]

        if self.ranked:
            for i in ctx.interviews:
                a = put("R", ctx.muni_of[i], 0, i, (0, 1))
                self.place["interview"][i] = (a, i)
        elif not var.per_interview:
            for m in ctx.munis:
                a = put("P", m, ctx.n_itv[m], m, (1, ctx.n_itv[m]))
                self.place["municipality"][m] = (a, m)
                for i in ctx.itv_of[m]:
                    self.place["interview"][i] = (a, m)
        else:
            for m in ctx.munis:
                if ctx.n_itv[m] == 1:
                    a = put("S", m, 0, m, (1, 1))
                    self.place["municipality"][m] = (a, m)
                    self.place["interview"][ctx.itv_of[m][0]] = (a, m)
                else:
                    a = put("M", m, 0, m, (1, 0))
                    self.place["municipality"][m] = (a, m)
                    for i in ctx.itv_of[m]:
                        b = put("I", m, 0, i, (0, 1))
                        self.place["interview"][i] = (b, i)
        self.atoms = [_Atom(kind, region, group, extra, tuple(members), weight)
                      for (kind, region, group, extra), (_, members, weight)
                      in sorted(keys.items(), key=lambda kv: kv[1][0])]

    def _code(self, unit: str, uid, rank: int) -> int:
        code = self.ctx.values.get((self.var.id, unit), {}).get((uid, rank))
        return self.K - 1 if code is None else self.codes.index(code)

    def _truth(self):
        x = np.zeros(self.n, dtype=np.int64)
        for a, atom in enumerate(self.atoms):
            for member in atom.members:
                if atom.kind == "R":
                    for r in range(self.R):
                        x[self.idx(a, r, self._code("interview", member, r + 1))] += 1
                elif atom.kind == "I":
                    x[self.idx(a, 0, self._code("interview", member, 0))] += 1
                elif atom.kind == "S":
                    x[self.idx(a, 0, self._code("interview", self.ctx.itv_of[member][0], 0))] += 1
                else:  # P, M: the municipality's value
                    x[self.idx(a, 0, self._code("municipality", member, 0))] += 1
        self.x0 = x

    # blocks of published cells ---------------------------------------------------------------------
    def _blocks(self):
        """{(unit, by, group): (rows, weight, units, kind)}: one equation per code of the block."""
        ctx = self.ctx
        self.blocks = {}
        for unit in self.units:
            choices = [(None, [ALL]), ("size_class", ctx.groups), ("region", ctx.regions)]
            if self.ranked:
                choices.append(("rank", [str(r) for r in range(1, self.R + 1)]))
            for by, groups in choices:
                for g in groups:
                    if by == "rank":
                        atoms, ranks = [a for a in range(len(self.atoms))], [int(g) - 1]
                    else:
                        atoms = [a for a, at in enumerate(self.atoms) if at.w(unit) > 0 and
                                 (by is None or (by == "size_class" and at.group == g) or (by == "region" and at.region == g))]
                        ranks = list(range(self.R))
                    if not atoms:
                        continue
                    rows = np.zeros((self.K - 1, self.n))
                    for a in atoms:
                        w = self.atoms[a].w(unit)
                        for r in ranks:
                            for k in range(self.K - 1):
                                rows[k, self.idx(a, r, k)] = w
                    units = int(sum(self.atoms[a].w(unit) * len(self.atoms[a].members) for a in atoms))
                    respondents = int(sum(len(self.atoms[a].members) for a in atoms))
                    self.blocks[(unit, by, g)] = {"rows": rows, "atoms": atoms, "ranks": ranks, "units": units,
                                                  "respondents": respondents, "rank": by == "rank"}
        for b in self.blocks.values():
            b["values"] = b["rows"] @ self.x0
        # blocks with the same equations are one block shown twice (e.g. the only size group and 'all')
        alias: dict = {}
        for key, b in self.blocks.items():
            alias.setdefault(b["rows"].tobytes(), []).append(key)
        self.aliases = {key: tuple(keys) for keys in alias.values() for key in keys}

    def n_with_value(self, key) -> int:
        """Units of a block with a value (for a ranked set: respondents with a mention)."""
        b = self.blocks[key]
        unit = key[0]
        if self.ranked:
            if b["rank"]:
                return int(b["values"].sum())
            # respondents with at least one mention: those whose first rank is not empty
            return int(sum(len(self.atoms[a].members) - self.x0[self.idx(a, 0, self.K - 1)] for a in b["atoms"]))
        return int(sum(self.atoms[a].w(unit) * (len(self.atoms[a].members) - self.x0[self.idx(a, 0, self.K - 1)])
                       for a in b["atoms"]))

    # protected values --------------------------------------------------------------------------------
    def _forms(self):
        ctx = self.ctx
        forms = []
        categories = range(self.K - 1) if self.ranked else range(self.K)
        for kind, unit, members in ctx.protected:
            if unit not in self.units:
                continue
            parts: dict = {}
            for uid in members:
                a, member = self.place[unit][uid]
                parts.setdefault(a, {}).setdefault(member, 0)
                parts[a][member] += 1
            spec = tuple(sorted((a, tuple(sorted(ms)), max(ms.values())) for a, ms in parts.items()))
            for k in categories:
                forms.append(_Form(kind, unit, members, k, spec))
        self.forms = forms

    def quantity(self, a: int, k: int) -> np.ndarray:
        """The count of category k in atom a (for a ranked set: its mentions over every rank)."""
        f = np.zeros(self.n)
        for r in range(self.R):
            f[self.idx(a, r, k)] = 1
        return f


class _Check:
    """Which protected values the shown blocks of one variable determine."""

    def __init__(self, system: _System, shown: frozenset):
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
            unit, atoms, vals = key[0], b["atoms"], b["values"]
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

    def entailed(self, form: _Form) -> bool:
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

    def determined(self, form: _Form) -> bool:
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


def _plan_variable(ctx: _Context, var, blanket: dict) -> tuple[set, list, dict]:
    """(suppressed block keys, log entries, statistics) for one variable."""
    s = _System(ctx, var)
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
                    log.append(_entry("suppressed", "few_values", variable=var.id, key=k, n=n))
    shown = frozenset(k for k in s.blocks if k not in suppressed)
    check = _Check(s, shown)
    check.seed()
    bad = check.violations()[0]
    first = True
    while bad:
        chosen = _release(s, ctx, shown, check, bad[0])
        for k in chosen:
            rule = "linked_tables" if first else "complementary"
            suppressed[k] = rule
            log.append(_entry("suppressed", rule, variable=var.id, key=k, protects=sorted({f.kind for f in bad})))
        first = False
        shown = shown - set(chosen)
        check = _Check(s, shown)
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


def _release(s: _System, ctx: _Context, shown: frozenset, check: _Check, target: _Form) -> tuple:
    """The cheapest set of shown blocks whose suppression lets `target` take another value.

    One mixed integer program per quantity the target rests on and per direction (as in Fischetti
    and Salazar's model of cell suppression): the unknown counts `x` and an indicator `y` per block
    (blocks with the same cells share one); a block's equations hold unless its indicator is 1
    (``|rows x - values| <= units * y``); the quantity must differ from its value in the data by at
    least one; minimise the cost of the blocks given up (`_block_cost`). The cheapest answer wins,
    ties in table order."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    classes = sorted({tuple(k for k in s.aliases[key] if k in shown) for key in shown},
                     key=lambda ks: _block_order(ks[0], ctx))
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
    cost = np.concatenate([np.zeros(n), [sum(_block_cost(s, k) for k in keys) for keys in classes] + raise_])
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


def _block_cost(s: _System, key) -> int:
    """What suppressing a block costs: its units, doubled for a size group (the study compares size
    classes, so a table by region gives way first), and the whole selection only as a last resort."""
    unit, by, _ = key
    factor = {None: 10 * len(s.blocks), "size_class": 2}.get(by, 1)
    return s.blocks[key]["units"] * factor


def _block_order(key, ctx: _Context):
    unit, by, group = key
    by_rank = {"size_class": 0, "region": 1, "rank": 2, None: 3}[by]
    groups = {"size_class": ctx.groups, "region": ctx.regions}.get(by, [group])
    position = int(group) if by == "rank" else groups.index(group) if group in groups else 0
    return (UNITS.index(unit), by_rank, position, str(key))


# --- the log ----------------------------------------------------------------------------------------

RULES = {
    "merge_size_class": {
        "en": "size class with fewer than {t} municipalities or respondents: merged with its neighbour",
        "nl": "grootteklasse met minder dan {t} gemeenten of respondenten: samengevoegd met de buurklasse"},
    "region_below_threshold": {
        "en": "region with fewer than {t} municipalities or respondents: suppressed",
        "nl": "regio met minder dan {t} gemeenten of respondenten: weggelaten"},
    "region_complement": {
        "en": "smallest other region, suppressed so that the total does not give a suppressed region by subtraction",
        "nl": "kleinste andere regio, weggelaten zodat het totaal een weggelaten regio niet door aftrekken geeft"},
    "selection_below_threshold": {
        "en": "the selection has fewer than {t} municipalities or respondents: nothing is shown",
        "nl": "de selectie heeft minder dan {t} gemeenten of respondenten: niets wordt getoond"},
    "per_municipality_by_interview": {
        "en": "a variable coded per municipality is shown per municipality only: counted per interview it weighs "
              "each municipality by its number of interviews, and the two counts together would give the value of "
              "a municipality with several interviews",
        "nl": "een variabele die per gemeente is gecodeerd wordt alleen per gemeente getoond: per interview geteld "
              "weegt elke gemeente met haar aantal interviews, en samen zouden beide tellingen de waarde geven van "
              "een gemeente met meerdere interviews"},
    "few_values": {
        "en": "fewer than {t} units with a value",
        "nl": "minder dan {t} eenheden met een waarde"},
    "linked_tables": {
        "en": "the published cells together would determine {protects}",
        "nl": "de gepubliceerde cellen samen zouden {protects} vastleggen"},
    "complementary": {
        "en": "complementary suppression: otherwise the published cells together would still determine {protects}",
        "nl": "aanvullend weggelaten: anders zouden de gepubliceerde cellen samen nog {protects} vastleggen"},
}


def _entry(action: str, rule: str, *, variable=None, key=None, merged=None, into=None, protects=(), n=None) -> dict:
    unit, by, group = key if key is not None else (None, None, None)
    return {"action": action, "rule": rule, "variable": variable, "unit": unit, "by": by, "group": group,
            "merged": merged, "into": into, "protects": list(protects), "n": n}


def _entry_text(entry: dict, lang: str, threshold: int, labels: dict) -> str:
    """One sentence of the log. `labels` maps (attribute, code) and ("variable", id) to {en, nl}."""
    t = {"en": {"merged": "Merged", "suppressed": "Suppressed", "into": "into", "every": "every variable",
                "per_municipality": "every variable coded per municipality", "municipality": "per municipality",
                "interview": "per interview", "both": "per municipality and per interview",
                "size_class": "by size class", "region": "by region", "rank": "by rank", "None": "overall",
                "all": "the whole selection", "rule": "rule"},
         "nl": {"merged": "Samengevoegd", "suppressed": "Weggelaten", "into": "tot", "every": "elke variabele",
                "per_municipality": "elke variabele die per gemeente is gecodeerd", "municipality": "per gemeente",
                "interview": "per interview", "both": "per gemeente en per interview",
                "size_class": "naar grootteklasse", "region": "naar regio", "rank": "naar plaats", "None": "totaal",
                "all": "de hele selectie", "rule": "regel"}}[lang]
    kinds = [_PROTECTED_KIND[k][lang] for k in entry.get("protects") or []]
    protects = _join_labels(kinds, lang) if kinds else "-"
    rule = RULES[entry["rule"]][lang].format(t=threshold, protects=protects)

    def label(kind, code):
        return labels.get((kind, code), {}).get(lang, code)

    if entry["action"] == "merged":
        merged = _join_labels([label("size_class", c) for c in entry["merged"]], lang)
        into = _join_labels([label("size_class", c) for c in entry["into"]], lang)
        what = f"{t['merged']}: {merged} {t['into']} {into}"
    elif entry["rule"] == "selection_below_threshold":
        what = f"{t['suppressed']}: {t['all']}"
    else:
        if entry["variable"] is not None:
            variable = f"{label('variable', entry['variable'])} ({entry['variable']})" \
                if ("variable", entry["variable"]) in labels else entry["variable"]
        else:
            variable = t["per_municipality"] if entry["rule"] == "per_municipality_by_interview" else t["every"]
        where = [variable, t[entry["unit"]] if entry["unit"] else t["both"]]
        if entry["by"] is not None:
            where.append(t[str(entry["by"])])
            if entry["group"] is not None:
                where.append(label(entry["by"], entry["group"]))
        what = f"{t['suppressed']}: " + ", ".join(where)
    return f"{what} ({t['rule']}: {rule})."


# --- the result ---------------------------------------------------------------------------------------

@dataclass
class Protection:
    """What a run may publish: the study to tabulate, its groups, and which blocks are shown.

    Attributes
    ----------
    publish : bool
        False: everything is shown and `study` is `original`.
    threshold : int
        The smallest number of municipalities and of respondents a shown group may hold.
    original : Study
        The study as loaded (possibly filtered).
    study : Study
        In publish mode: `original` with respondent fields blanked (`for_publication`) and its size
        classes recoded into the shown groups (municipalities, interviews, codings and the codebook's
        size_class attribute, with merged codes such as "large+very_large"), so that `crosstab`,
        `activity_shares` and the like give the merged groups. Otherwise `original`.
    size_map : dict
        {original size class present: shown group code}.
    log : list of dict
        What was merged or suppressed: `action` ("merged" or "suppressed"), `rule` (a key of
        `RULES`), `variable` (None: every variable), `unit`, `by`, `group`, `merged` and `into` (size
        classes of a merge), `protects` (kinds of protected value a suppression protects), `n`.
    checked : dict
        The engine's own result: `protected` (protected values checked), `entailed` (determined by a
        unanimous cell of a large group, allowed), `determined` (0 after suppression), `narrowest`
        (the fewest values a protected value not entailed was found to take), `solves`, `seconds`.
    """

    publish: bool
    threshold: int
    original: object = field(repr=False)
    study: object = field(repr=False)
    size_map: dict
    _groups: dict = field(default_factory=dict, repr=False)
    _planner: object = field(default=None, repr=False)

    @property
    def log(self) -> list:
        """What was merged or suppressed, every variable included (see the class docstring)."""
        return [dict(e) for e in self._planner.log()] if self._planner is not None else []

    @property
    def checked(self) -> dict:
        """The engine's own result over every variable (see the class docstring)."""
        return self._planner.checked() if self._planner is not None else {}

    def groups(self, by) -> list[tuple[str, str, str]]:
        """The groups of a published table by `by`, as (code, English label, Dutch label), in order.

        Parameters
        ----------
        by : {None, "size_class", "region", "rank"}
            None gives the whole selection, ("all", "All", "Alle"); "rank" the ranks of a ranked set.

        Returns
        -------
        list of tuple
            Whether a group's cells are shown for a variable is `shown`.

        Examples
        --------
        >>> import commissioning as cm
        >>> p = cm.protection(cm.load_study(), publish=True)
        >>> [code for code, en, nl in p.groups("size_class")]
        ['small', 'medium', 'large+very_large']
        >>> p.groups("size_class")[-1][1:]
        ('Large and very large', 'Groot en zeer groot')
        """
        if by not in BY_CHOICES:
            raise ParameterError(f"by: {by!r} is not allowed; allowed: None, size_class, region, rank")
        return list(self._groups[by])

    def shown(self, variable: str, by, group: str, unit: str) -> bool:
        """Whether the cells of one group of `variable` may be published.

        Parameters
        ----------
        variable : str
            A variable of the codebook.
        by : {None, "size_class", "region", "rank"}
            The grouping of the table ("rank" only for a ranked set).
        group : str
            A group code of `groups(by)`, or "all" for the whole selection.
        unit : {"municipality", "interview", "natural"}
            What the table counts (a ranked set is counted per interview).

        Returns
        -------
        bool
            False when the group's block of that variable at that unit is suppressed.

        Examples
        --------
        >>> import commissioning as cm
        >>> p = cm.protection(cm.load_study(), publish=True)
        >>> p.shown("sourcing.design", "size_class", "large+very_large", "interview")
        True
        """
        if variable not in self.original.codebook.variables:
            raise ParameterError(f"variable: {variable!r} is not a variable of the codebook; allowed: "
                                 + ", ".join(self.original.codebook.variables))
        var = self.original.codebook.variables[variable]
        if by not in BY_CHOICES:
            raise ParameterError(f"by: {by!r} is not allowed; allowed: None, size_class, region, rank")
        if unit == "natural":
            from ..analysis.units import natural_unit

            unit = natural_unit(var)
        if unit not in UNITS:
            raise ParameterError(f"unit: {unit!r} is not allowed; allowed: municipality, interview, natural")
        if var.type == "ranked_set" and unit != "interview":
            raise ParameterError(f"unit: {unit!r} is not allowed for the ranked set {variable}; allowed: interview")
        if by == "rank" and var.type != "ranked_set":
            raise ParameterError(f"by: 'rank' is only allowed for a ranked set; {variable} is {var.type}")
        allowed = [ALL, *(code for code, _, _ in self._groups[by])]
        if by == "rank":
            allowed = [ALL, *(str(r) for r in range(1, int(var.size) + 1))]
        if group not in allowed:
            raise ParameterError(f"group: {group!r} is not a group of by={by!r}; allowed: {', '.join(allowed)}")
        if not self.publish:
            return True
        key = (unit, None, ALL) if group == ALL else (unit, by, group)
        return key not in self._planner.variable(variable)[0]

    def note(self, lang: str = "en") -> str:
        """One plain sentence saying what publishing did, in `lang`.

        Returns
        -------
        str

        Examples
        --------
        >>> import commissioning as cm
        >>> print(cm.protection(cm.load_study(), publish=True).note("en"))  # doctest: +NORMALIZE_WHITESPACE
        Published with disclosure control: size classes with fewer than 3 municipalities or respondents are
        merged with their neighbour (here: large and very large), and cells from which a smaller group could
        be worked out are suppressed (–).
        """
        check_lang(lang)
        if not self.publish:
            return {"en": "Not published: every group is shown, however small.",
                    "nl": "Niet gepubliceerd: elke groep wordt getoond, hoe klein ook."}[lang]
        t = self.threshold
        merged = [label for code, *labels in self._groups["size_class"] if "+" in code
                  for label in [labels[0] if lang == "en" else labels[1]]]
        merged = [m[:1].lower() + m[1:] for m in merged]
        if lang == "en":
            text = (f"Published with disclosure control: size classes with fewer than {t} municipalities or "
                    "respondents are merged with their neighbour")
            text += f" (here: {'; '.join(merged)})" if merged else " (none is needed here)"
            text += ", and cells from which a smaller group could be worked out are suppressed (–)"
        else:
            text = (f"Gepubliceerd met statistische geheimhouding: grootteklassen met minder dan {t} gemeenten of "
                    "respondenten zijn samengevoegd met hun buurklasse")
            text += f" (hier: {'; '.join(merged)})" if merged else " (hier niet nodig)"
            text += ", en cellen waaruit een kleinere groep is af te leiden zijn weggelaten (–)"
        return text + "."

    def withheld(self, claim: dict) -> dict | None:
        """Why a claim's evidence is withheld, or None when it may be shown.

        A claim is about a group below the threshold when one of its rules selects (with `where`,
        `greater`, `than` or one of `groups`) fewer than `threshold` municipalities of the original
        study, or, for a variable coded per interview, fewer than `threshold` interviews; or all but
        such a group (the whole selection's count is published, so the rest would follow by
        subtraction); or names municipalities (`municipality`, `municipality_not`, or an
        `only_named` rule). Evidence is also withheld for a selection of size classes that is not a
        union of the shown (merged) groups, such as large without very large. Its verdict is still
        shown; its value and evidence are not.

        Parameters
        ----------
        claim : dict
            A claim of data/claims.yaml (`commissioning.load_claims`).

        Returns
        -------
        dict or None
            {"en": reason, "nl": reason}, or None (always None when not publishing).

        Examples
        --------
        >>> import commissioning as cm
        >>> p = cm.protection(cm.load_study(), publish=True)
        >>> claims = {c["id"]: c for c in cm.load_claims()}
        >>> p.withheld(claims["s33-very-large-sector-model"])["en"]
        'Evidence withheld: the statement is about a group of fewer than 3 municipalities or respondents, or about all but such a group.'
        >>> p.withheld(claims["s21-public-space-everywhere"]) is None
        True
        """
        if not self.publish:
            return None
        if not isinstance(claim, dict) or not isinstance(claim.get("rules"), list):
            raise ParameterError(f"claim: {str(claim)[:60]!r} is not a claim; allowed: a mapping with 'rules' "
                                 "(an entry of commissioning.load_claims())")
        from ..analysis.rules import rule_variables
        from ..analysis.units import natural_unit

        cb = self.original.codebook
        munis = self.original.municipalities
        t = self.threshold
        total = (len(munis), int(munis["n_interviews"].sum()))
        shown_groups = {code: set(code.split("+")) for code, _, _ in self._groups["size_class"]}
        named = small = unshown = False
        for spec in claim["rules"]:
            if spec.get("rule") == "interview_counts":
                continue  # the public facts of Table 1
            if spec.get("rule") == "only_named":
                named = True
            variables = [v for v in rule_variables(spec, cb) if v in cb.variables]
            per_interview = any(natural_unit(cb.variables[v]) == "interview" for v in variables)
            selections = [spec.get("where") or {}]
            selections += [spec[k] for k in ("greater", "than") if k in spec]
            selections += list(spec.get("groups") or [])
            for where in selections:
                if any(k in where for k in ("municipality", "municipality_not")):
                    named = True
                keep = pd.Series(True, index=munis.index)
                for key, values in where.items():
                    values = [values] if isinstance(values, str) else list(values)
                    if key in ("size_class", "region"):
                        keep &= munis[key].isin(values)
                    elif key == "municipality":
                        keep &= munis["cbs_code"].isin(values)
                    elif key == "municipality_not":
                        keep &= ~munis["cbs_code"].isin(values)
                n_munis, n_itv = int(keep.sum()), int(munis.loc[keep, "n_interviews"].sum())
                rest = (total[0] - n_munis, total[1] - n_itv)  # the whole selection's count is published
                if n_munis < t or (per_interview and n_itv < t) or 0 < rest[0] < t or (per_interview and 0 < rest[1] < t):
                    small = True
                classes = set(munis.loc[keep, "size_class"])
                if "size_class" in where and not any(classes == set().union(*parts) for parts in _unions(shown_groups)):
                    unshown = True  # e.g. large without very large: not a sum of the groups the tables show
        if named:
            return {"en": "Evidence withheld: the statement names single municipalities.",
                    "nl": "Onderbouwing weggelaten: de uitspraak noemt afzonderlijke gemeenten."}
        if small:
            return {"en": f"Evidence withheld: the statement is about a group of fewer than {t} municipalities "
                          "or respondents, or about all but such a group.",
                    "nl": f"Onderbouwing weggelaten: de uitspraak gaat over een groep van minder dan {t} gemeenten "
                          "of respondenten, of over alle op zo'n groep na."}
        if unshown:
            return {"en": "Evidence withheld: the statement is about a group that the published tables do not show "
                          "(size classes merged for publication).",
                    "nl": "Onderbouwing weggelaten: de uitspraak gaat over een groep die de gepubliceerde tabellen "
                          "niet tonen (grootteklassen samengevoegd voor publicatie)."}
        return None


def _unions(groups: dict) -> list:
    """Every non-empty union of the shown size groups, as lists of their sets of classes."""
    from itertools import combinations

    values = list(groups.values())
    return [list(c) for r in range(1, len(values) + 1) for c in combinations(values, r)]


_PLANS: dict = {}


@contextmanager
def _quiet_solver():
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


class _Planner:
    """The plan of one study and threshold: the rules that hold for every variable at once, and
    each variable's suppressions, computed when first asked for and then kept."""

    def __init__(self, study, threshold: int, size_map: dict, merges: list):
        self.study, self.threshold, self.size_map = study, threshold, size_map
        self.head = [_entry("merged", "merge_size_class", merged=m, into=i) for m, i, _ in merges]
        self.blanket: dict = {}
        munis = study.municipalities
        cb = study.codebook
        regions = [r for r in cb.attributes["region"].code_list if r in set(munis["region"])]
        if min(len(munis), int(munis["n_interviews"].sum())) < threshold:
            self.blanket["*"] = "selection_below_threshold"
            self.head.append(_entry("suppressed", "selection_below_threshold"))
        else:
            counts = _counts(munis, "region", regions)
            below = [r for r in regions if min(counts[r]) < threshold]
            others = [r for r in regions if r not in below]
            extra = [min(others, key=lambda r: (*counts[r], regions.index(r)))] if len(below) == 1 and others else []
            for r, rule in [*((r, "region_below_threshold") for r in below), *((r, "region_complement") for r in extra)]:
                for unit in UNITS:
                    self.blanket[(unit, "region", r)] = rule
                self.head.append(_entry("suppressed", rule, key=(None, "region", r)))
        if any(not v.per_interview and v.type != "ranked_set" for v in cb.variables.values()):
            self.head.append(_entry("suppressed", "per_municipality_by_interview", key=("interview", None, None)))
        self._ctx = None
        self.plans: dict = {}
        self.seconds = 0.0

    def variable(self, var_id: str) -> tuple:
        """(suppressed block keys, log entries, statistics) of one variable."""
        if var_id not in self.plans:
            start = time.perf_counter()
            with _quiet_solver():
                if self._ctx is None:
                    self._ctx = _Context(self.study, self.size_map, self.threshold)
                self.plans[var_id] = _plan_variable(self._ctx, self.study.codebook.variables[var_id], self.blanket)
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


def _plan_key(study, threshold: int):
    if not study.fingerprint:
        return None
    return (study.fingerprint, tuple(sorted((k, str(v)) for k, v in (study.filters or {}).items())), threshold,
            len(study.codings), len(study.municipalities))


def protection(study, *, publish: bool, threshold: int = THRESHOLD) -> Protection:
    """Decide what a run may publish: recoded size classes, suppressed blocks, and a log.

    See the module's docstring and the README ("Publishing") for the threat model and the method:
    global recoding of size classes below the threshold, suppression of regions below it, and
    complementary suppression wherever the published cells of linked tables together would
    determine a protected value (checked with an integer program per variable).

    Parameters
    ----------
    study : Study
        The study as loaded (possibly filtered).
    publish : bool
        False: nothing is changed or hidden (for one's own exploration).
    threshold : int
        The smallest number of municipalities and of respondents a shown group may hold (default 3).

    Returns
    -------
    Protection
        The study to tabulate, its groups, `shown` per block, the `log`, `note` and `withheld`.
        Each variable's plan is computed when first needed (`shown`, `log`) and kept for the
        process, per data fingerprint, filter and threshold.

    Raises
    ------
    ParameterError
        For a threshold that is not a whole number of at least 1.

    Examples
    --------
    >>> import commissioning as cm
    >>> p = cm.protection(cm.load_study(), publish=True)
    >>> p.size_map["very_large"]
    'large+very_large'
    >>> tab = cm.crosstab(p.study, "sourcing.design", by="size_class", unit="interview")
    >>> tab.groupby("size_class", sort=False)["n_total"].first().to_dict()
    {'small': 3, 'medium': 6, 'large+very_large': 15}
    >>> p.log[0]["action"], p.log[0]["merged"], p.log[0]["into"]
    ('merged', ['very_large'], ['large'])
    >>> cm.protection(cm.load_study(), publish=False).shown("sourcing.design", "size_class", "very_large", "municipality")
    True
    """
    threshold = _check_threshold(threshold)
    if not isinstance(publish, bool):
        raise ParameterError(f"publish: {publish!r} is not allowed; allowed: True, False")
    cb = study.codebook
    labels = {("size_class", c): dict(v) for c, v in cb.attributes["size_class"].codes.items()}
    labels.update({("region", c): dict(v) for c, v in cb.attributes["region"].codes.items()})
    regions = [r for r in cb.attributes["region"].code_list if r in set(study.municipalities["region"])]
    rank_size = max([int(v.size) for v in cb.variables.values() if v.type == "ranked_set"] or [0])
    groups = {None: [(ALL, ALL_LABEL["en"], ALL_LABEL["nl"])],
              "region": [(r, labels[("region", r)]["en"], labels[("region", r)]["nl"]) for r in regions],
              "rank": [(str(r), RANK_LABEL["en"].format(r=r), RANK_LABEL["nl"].format(r=r))
                       for r in range(1, rank_size + 1)]}
    if not publish:
        present = [c for c in cb.attributes["size_class"].code_list if c in set(study.municipalities["size_class"])]
        groups["size_class"] = [(c, labels[("size_class", c)]["en"], labels[("size_class", c)]["nl"]) for c in present]
        return Protection(False, threshold, study, study, {c: c for c in present}, groups, None)
    shown_groups, merges = _recode(study, threshold)
    recoded, size_map = _recoded_study(for_publication(study), shown_groups)
    groups["size_class"] = [("+".join(g), *(_join_labels([labels[("size_class", c)][lang] for c in g], lang)
                                            for lang in ("en", "nl"))) for g in shown_groups]
    key = _plan_key(study, threshold)
    planner = _PLANS.get(key) if key is not None else None
    if planner is None:
        planner = _Planner(study, threshold, size_map, merges)
        if key is not None:
            _PLANS[key] = planner
    return Protection(True, threshold, study, recoded, size_map, groups, planner)


# --- the disclosure log as HTML --------------------------------------------------------------------------

_LOG_TEXT = {
    "en": {"title": "Disclosure log", "nothing": "Nothing was merged or suppressed.",
           "engine": "Checked by the publishing engine: {protected} protected values, {entailed} of them fixed by a "
                     "unanimous cell of a large group (allowed); none other determined; the narrowest range found "
                     "holds {narrowest} values.",
           "audit": "Audit of the published pages: {cells} protected values; narrowest range {narrowest} values; {problems}.",
           "no_problems": "no problems", "problems": "{n} problems"},
    "nl": {"title": "Logboek statistische geheimhouding", "nothing": "Niets samengevoegd of weggelaten.",
           "engine": "Gecontroleerd door de publicatiemotor: {protected} beschermde waarden, waarvan {entailed} vastgelegd "
                     "door een eenstemmige cel van een grote groep (toegestaan); geen andere vastgelegd; het smalste "
                     "gevonden bereik telt {narrowest} waarden.",
           "audit": "Controle van de gepubliceerde pagina's: {cells} beschermde waarden; smalste bereik {narrowest} "
                    "waarden; {problems}.",
           "no_problems": "geen problemen", "problems": "{n} problemen"},
}


def _audit_fields(audit):
    get = audit.get if isinstance(audit, dict) else lambda k, d=None: getattr(audit, k, d)
    return get("protected_cells", 0), get("narrowest_range", None), list(get("problems", []) or [])


def log_html(entries_by_report: dict, lang: str = "en", *, audit=None, protection=None) -> str:
    """The disclosure log as an HTML fragment: per report, what was merged or suppressed, by which rule.

    Parameters
    ----------
    entries_by_report : dict
        {report name: entries}, where entries is a `Protection` (its log and engine result), a list
        of log entries (`Protection.log`), or a dict with `entries` (either of those) and optionally
        `audit`.
    lang : {"en", "nl"}
    audit : object or dict, optional
        An auditor's result for the whole run (with `protected_cells`, `narrowest_range` and
        `problems`), shown as a last line.
    protection : Protection, optional
        Where entries are given as lists: the protection they come from, for the labels of
        variables and groups and the threshold.

    Returns
    -------
    str
        A ``<section class="cm-disclosure-log">``; every text is escaped.

    Examples
    --------
    >>> import commissioning as cm
    >>> p = cm.protection(cm.load_study(), publish=True)
    >>> html = cm.log_html({"02-outsourcing": p}, "en")
    >>> "Merged: Very large into Large" in html
    True
    """
    check_lang(lang)
    text = _LOG_TEXT[lang]
    parts = [f'<section class="cm-disclosure-log"><h2>{html.escape(text["title"])}</h2>']
    for report, value in entries_by_report.items():
        report_audit = None
        if isinstance(value, dict) and "entries" in value:
            report_audit = value.get("audit")
            value = value["entries"]
        checked, threshold, labels = {}, THRESHOLD, {}
        source = value if isinstance(value, Protection) else protection
        if source is not None:
            threshold = source.threshold
            cb = source.original.codebook
            labels = {(a, c): v for a in ("size_class", "region") for c, v in cb.attributes[a].codes.items()}
            labels.update({("size_class", code): {"en": en, "nl": nl} for code, en, nl in source._groups["size_class"]})
            labels.update({("variable", v.id): v.label for v in cb.variables.values()})
        if isinstance(value, Protection):
            checked = value.checked
            entries = value.log
        else:
            entries = list(value or [])
        parts.append(f"<h3>{html.escape(str(report))}</h3>")
        if entries:
            parts.append("<ul>" + "".join(f"<li>{html.escape(_entry_text(e, lang, threshold, labels))}</li>"
                                          for e in entries) + "</ul>")
        else:
            parts.append(f"<p>{html.escape(text['nothing'])}</p>")
        if checked:
            parts.append('<p class="cm-engine">' + html.escape(text["engine"].format(
                protected=checked.get("protected", 0), entailed=checked.get("entailed", 0),
                narrowest=checked.get("narrowest") if checked.get("narrowest") is not None else "-")) + "</p>")
        if report_audit is not None:
            parts.append(_audit_line(report_audit, text))
    if audit is not None:
        parts.append(_audit_line(audit, text))
    parts.append("</section>")
    return "".join(parts)


def _audit_line(audit, text) -> str:
    cells, narrowest, problems = _audit_fields(audit)
    problem_text = text["no_problems"] if not problems else text["problems"].format(n=len(problems))
    line = text["audit"].format(cells=cells, narrowest=narrowest if narrowest is not None else "-",
                                problems=problem_text)
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    return f'<p class="cm-audit">{html.escape(line)}</p>' + (f"<ul>{items}</ul>" if items else "")
