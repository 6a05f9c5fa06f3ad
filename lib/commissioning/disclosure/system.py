"""The published cells of one variable as a system of linear equations in the unknown values per
unit (grouped into interchangeable atoms), and the protected values it must leave undetermined."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, product

import numpy as np

from ..analysis import unit_values
from .recoding import UNITS, block_key


@dataclass(frozen=True)
class Atom:
    """Interchangeable units of one variable: same region, shown size group and (kind P) interviews.

    kind: P (variable coded per municipality), S (per-interview variable, municipality with one
    interview: its value and its interview's), I (interviews of municipalities with several), M
    (values of municipalities with several or no interviews), R (a ranked set, per interview).

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study().filter(region="Noord")
    >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
    >>> atom = System(ctx, study.codebook.variables["sourcing.design"]).atoms[0]
    >>> atom.kind, atom.members, atom.w("interview")
    ('S', ('GM0014', 'GM0080', 'GM0118'), 1)
    """

    kind: str
    region: str
    group: str
    n_interviews: int
    members: tuple
    weight: tuple  # (municipality, interview): what one member adds to a cell at each unit
    attrs: tuple = ()  # the values of the codebook's further attributes, in `Context.attributes` order

    def w(self, unit: str) -> int:
        """How many times one member of the atom counts in a cell counted at `unit`.

        Returns
        -------
        int
            Usually 1; 0 where the member is not counted at that unit (a municipality with
            several interviews at the interview unit, an interview at the municipality unit); a
            municipality's number of interviews for kind P at the interview unit.

        Examples
        --------
        >>> import commissioning as cm
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> atoms = System(ctx, study.codebook.variables["sourcing.design"]).atoms
        >>> [(a.kind, a.w("municipality"), a.w("interview")) for a in atoms]
        [('S', 1, 1), ('M', 1, 0), ('I', 0, 1)]
        """
        return self.weight[UNITS.index(unit)]


@dataclass(frozen=True)
class Form:
    """A protected value: the count of category `k` in group `group` (at `unit`): `parts` maps an
    atom to (members of the group in it, coefficient per member).

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study().filter(region="Noord")
    >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
    >>> System(ctx, study.codebook.variables["sourcing.design"]).forms[0]
    Form(kind='municipality', unit='municipality', group=('GM0014',), k=0, parts=((0, ('GM0014',), 1),))
    """

    kind: str
    unit: str
    group: tuple
    k: int
    parts: tuple  # ((atom index, members, coefficient), ...)


def _selections(dims, *, cross: bool) -> list:
    """The selections of a variable's blocks, each a tuple of (dimension, value): the whole
    selection, each value of each dimension and, with `cross`, every combination of values of
    two or three dimensions."""
    out = [()]
    present = [(d, vals) for d, vals in dims if vals]
    for r in range(1, (len(present) if cross else 1) + 1):
        for combo in combinations(present, r):
            out += [tuple(zip([d for d, _ in combo], values)) for values in product(*[vals for _, vals in combo])]
    return out


PROTECTED_KIND = {
    "municipality": {"en": "a single municipality", "nl": "één gemeente"},
    "interview": {"en": "a single interview", "nl": "één interview"},
    "municipality_interviews": {"en": "the interviews of one municipality", "nl": "de interviews van één gemeente"},
    "size_class": {"en": "a size class below the threshold", "nl": "een grootteklasse onder de drempel"},
    "region": {"en": "a region below the threshold", "nl": "een regio onder de drempel"},
    "region_size": {"en": "a combination of region and size class below the threshold",
                    "nl": "een combinatie van regio en grootteklasse onder de drempel"},
    "attribute": {"en": "a group of another attribute below the threshold",
                  "nl": "een groep van een ander kenmerk onder de drempel"},
}


class Context:
    """What every variable's system shares: units, their groups, values, protected groups.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study().filter(region="Noord")
    >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
    >>> ctx.groups, ctx.regions, ctx.itv_of["GM0193"]
    (['medium+large'], ['Noord'], ['GM0193-1', 'GM0193-2'])
    >>> len(ctx.protected), ctx.protected[0]
    (20, ('municipality', 'municipality', ('GM0014',)))
    """

    def __init__(self, study, size_map: dict, threshold: int, *, release: bool = False):
        self.study, self.threshold, self.release = study, threshold, release
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
        # the codebook's further attributes (a province...): tables by them are published too
        self.attributes = [a for a in cb.attributes if a not in ("region", "size_class")]
        self.attr = {a: dict(zip(munis["cbs_code"], munis[a])) for a in self.attributes}
        self.attr_values = {a: [c for c in cb.attributes[a].code_list if c in set(self.attr[a].values())]
                            for a in self.attributes}
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
        if self.release:  # a filtered run shows a region's size groups: a merged group's cell too
            cells += [("region_size", lambda m, r=r, g=g: self.region[m] == r and self.group[m] == g)
                      for r in self.regions for g in self.groups]
        for a in self.attributes:  # each group of a further attribute, alone and within a region or size group
            for v in self.attr_values[a]:
                cells.append(("attribute", lambda m, a=a, v=v: self.attr[a][m] == v))
                cells += [("attribute", lambda m, a=a, v=v, r=r: self.attr[a][m] == v and self.region[m] == r)
                          for r in self.regions]
                cells += [("attribute", lambda m, a=a, v=v, g=g: self.attr[a][m] == v and self.group[m] == g)
                          for g in self.groups]
        for kind, keep in cells:
            members = [m for m in self.munis if keep(m)]
            n_itv = sum(self.n_itv[m] for m in members)
            if members and (len(members) < t or n_itv < t):
                add(kind, "municipality", members)
                add(kind, "interview", [i for m in members for i in self.itv_of[m]])
        return out


class System:
    """The published cells of one variable as linear equations in atom counts, and its protected values.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study().filter(region="Noord")
    >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
    >>> s = System(ctx, study.codebook.variables["sourcing.design"])
    >>> [a.kind for a in s.atoms], s.K, len(s.forms)
    (['S', 'M', 'I'], 4, 80)
    >>> list(s.blocks)[:3]
    [('municipality', None, 'all'), ('municipality', 'size_class', 'medium+large'), ('municipality', 'region', 'Noord')]
    """

    def __init__(self, ctx: Context, var):
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
        """Remember a solution (of any system of this variable's blocks).

        Returns
        -------
        None
            The solution becomes the last row of `matrix`.

        Examples
        --------
        >>> import commissioning as cm
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> len(s.matrix()), s.add(s.x0.copy()), len(s.matrix())
        (1, None, 2)
        """
        self._pool.append(x)
        self._matrix = None

    def matrix(self) -> np.ndarray:
        """Every solution remembered, one per row, in the order found.

        Returns
        -------
        numpy.ndarray
            Shape (solutions, `n`); the first row is the data's own counts (`x0`).

        Examples
        --------
        >>> import commissioning as cm
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> s.matrix().shape, s.matrix()[0].tolist()
        ((1, 12), [2, 1, 0, 0, 3, 0, 0, 0, 3, 2, 1, 0])
        """
        if self._matrix is None:
            self._matrix = np.vstack(self._pool)
        return self._matrix

    def idx(self, a: int, r: int, k: int) -> int:
        """The position of the unknown count of category `k` at rank `r` in atom `a`.

        Returns
        -------
        int
            An index into a solution (of length `n`); category `K - 1` is "no value".

        Examples
        --------
        >>> import commissioning as cm
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> s.idx(1, 0, 1), int(s.x0[s.idx(1, 0, 1)])  # 'mixed' among the municipalities of kind M
        (5, 0)
        """
        return (a * self.R + r) * self.K + k

    # atoms and the true counts ----------------------------------------------------------------
    def _atoms(self):
        ctx, var = self.ctx, self.var
        keys: dict = {}
        self.place = {u: {} for u in UNITS}  # unit id -> (atom index, member)

        def put(kind, m, extra, member, weight):
            key = (kind, ctx.region[m], ctx.group[m], extra, tuple(ctx.attr[a][m] for a in ctx.attributes))
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
        self.atoms = [Atom(kind, region, group, extra, tuple(members), weight, attrs)
                      for (kind, region, group, extra, attrs), (_, members, weight)
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
        """{(unit, by, group): (rows, weight, units, kind)}: one equation per code of the block.

        A block is the cells of one selection at one unit: the whole selection, a size group, a
        region, a rank of a ranked set, and (for a release, `Context.release`) every cross of
        them that a filtered run of the release shows (a region's size groups, a size group's
        regions, a region's or a size group's ranks), keyed by `block_key`."""
        ctx = self.ctx
        self.blocks = {}
        ranks_all = [str(r) for r in range(1, self.R + 1)] if self.ranked else []
        dims = [("size_class", ctx.groups), ("region", ctx.regions), ("rank", ranks_all)]
        selections = _selections(dims, cross=ctx.release)
        for a in ctx.attributes:  # a further attribute: alone, and within what a filtered run selects
            own = [((a, v),) for v in ctx.attr_values[a]]
            selections += own
            if ctx.release:
                run = [s for s in _selections(dims[:2], cross=True) if s]
                selections += [s + o for s in run for o in own]
        for unit in self.units:
            for chosen in selections:
                sel = dict(chosen)
                atoms = [i for i, at in enumerate(self.atoms) if at.w(unit) > 0
                         and sel.get("region", at.region) == at.region and sel.get("size_class", at.group) == at.group
                         and all(sel.get(name, value) == value for name, value in zip(ctx.attributes, at.attrs))]
                ranks = [int(sel["rank"]) - 1] if "rank" in sel else list(range(self.R))
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
                munis = {m if m in ctx.region else ctx.muni_of[m] for a in atoms for m in self.atoms[a].members}
                key = block_key(unit, sel.get("region"), sel.get("size_class"), sel.get("rank"),
                                **{a: sel[a] for a in ctx.attributes if a in sel})
                self.blocks[key] = {"rows": rows, "atoms": atoms, "ranks": ranks, "units": units,
                                    "respondents": respondents, "rank": "rank" in sel,
                                    "municipalities": len(munis), "interviews": sum(ctx.n_itv[m] for m in munis)}
        for b in self.blocks.values():
            b["values"] = b["rows"] @ self.x0
        # blocks with the same equations are one block shown twice (e.g. the only size group and 'all')
        alias: dict = {}
        for key, b in self.blocks.items():
            alias.setdefault(b["rows"].tobytes(), []).append(key)
        self.aliases = {key: tuple(keys) for keys in alias.values() for key in keys}

    def n_with_value(self, key) -> int:
        """Units of a block with a value (for a ranked set: respondents with a mention).

        Returns
        -------
        int
            Counted at the block's unit; a rank block of a ranked set counts the mentions at its rank.

        Examples
        --------
        >>> import commissioning as cm
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> s.n_with_value(("municipality", None, "all")), s.n_with_value(("interview", None, "all"))
        (6, 9)
        """
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
                forms.append(Form(kind, unit, members, k, spec))
        self.forms = forms

    def quantity(self, a: int, k: int) -> np.ndarray:
        """The count of category k in atom a (for a ranked set: its mentions over every rank).

        Returns
        -------
        numpy.ndarray
            Coefficients over the unknowns (length `n`): the count is their product with a solution.

        Examples
        --------
        >>> import commissioning as cm
        >>> study = cm.load_study().filter(region="Noord")
        >>> ctx = Context(study, {"medium": "medium+large", "large": "medium+large"}, 3)
        >>> s = System(ctx, study.codebook.variables["sourcing.design"])
        >>> f = s.quantity(2, 1)  # 'mixed' among the interviews of kind I
        >>> f.nonzero()[0].tolist(), int(f @ s.x0)
        ([9], 2)
        """
        f = np.zeros(self.n)
        for r in range(self.R):
            f[self.idx(a, r, k)] = 1
        return f
