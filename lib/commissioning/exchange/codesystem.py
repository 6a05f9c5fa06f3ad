"""A QDA project's own code system as a codebook (`commissioning import-qdpx --new-codebook`).

The code tree is the project's nested codes, with ATLAS.ti's ``parent::child`` names read as
nesting, and its code groups (``Sets`` of member codes). From it:

- A code with codes below it is a *group*; its own codes are the ones below it that have none
  below them. A group becomes one **nominal** variable (its id the group's path, its codes those
  codes) when it has at least two, is never coded itself and no interview (per coder) has two of
  them; otherwise each of its codes is a **yes/no** variable (its id the code's path).
- A group that is coded itself also gets a yes/no variable of its own (its id the group's path).
- A top-level code without codes below it and in no code group is a yes/no variable.
- A code group is a group whose codes are its members (its id the group's name, ``_group``
  appended when that is a top-level code's id).
- Yes/no: ``yes`` where an interview (of one coder) has the code, ``no`` in every other interview.

Ids are the names as slugs (lower case ASCII letters, digits and ``_``; ``.`` between levels),
made unique among siblings by ``_2``, ``_3``: the same project gives the same ids. Labels are the
code names in the project's language; the other language's labels are the same names marked
``(niet vertaald)`` or ``(not translated)``, and the variable lists that language under
``untranslated``, until someone translates them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from ..core import LANGS
from .project import ProjectCode, ProjectSet

UNTRANSLATED = {"en": "not translated", "nl": "niet vertaald"}
YES_NO = {"yes": {"en": "Yes", "nl": "Ja"}, "no": {"en": "No", "nl": "Nee"}}
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})  # no NFKD form
ROOT_THEME = "codes"  # the theme of top-level codes that are in no group
_QUESTION = {
    "group": {"en": "Which of the codes of '{name}' does the interview have?",
              "nl": "Welke van de codes van '{name}' heeft het interview?"},
    "itself": {"en": "Is the interview coded '{name}' itself (not with a code below it)? Yes where one of its "
                     "passages has the code, no where none has.",
               "nl": "Is het interview gecodeerd met '{name}' zelf (niet met een code eronder)? Ja als een passage "
                     "ervan de code heeft, nee als geen passage hem heeft."},
    "code": {"en": "Is the interview coded '{name}'? Yes where one of its passages has the code, no where none has.",
             "nl": "Is het interview gecodeerd met '{name}'? Ja als een passage ervan de code heeft, nee als "
                   "geen passage hem heeft."},
}


def slug(name) -> str:
    """A code name as a codebook id: lower-case ASCII letters, digits and ``_``.

    Returns
    -------
    str
        Case folded (``ß`` is ``ss``), accents dropped, every run of other characters one ``_``,
        none at either end; ``code`` when nothing is left (a name in another script).

    Examples
    --------
    >>> slug("Diet Coke"), slug("Mabêl 2ième"), slug('"rushed"'), slug("Ontwerp & engineering"), slug("???")
    ('diet_coke', 'mabel_2ieme', 'rushed', 'ontwerp_engineering', 'code')
    """
    text = unicodedata.normalize("NFKD", str(name).casefold().translate(_LETTERS))
    return re.sub(r"[^a-z0-9]+", "_", text.encode("ascii", "ignore").decode("ascii")).strip("_") or "code"


def _unique(name: str, taken: set) -> str:
    """`slug(name)`, with ``_2``, ``_3`` ... appended until it is not in `taken` (which it joins)."""
    base = slug(name)
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}_{n}"
    taken.add(found)
    return found


@dataclass
class _Node:
    key: str                      # the code's GUID, or "virtual:..." for a 'parent::' name without a code
    name: str
    description: str = ""
    parent: str | None = None
    children: list = field(default_factory=list)
    path: str = ""                # dotted slugs from the top
    names: tuple = ()             # names from the top


def _tree(codes: dict[str, ProjectCode]) -> tuple[dict[str, _Node], list[str]]:
    """The project's codes as a tree: nodes by key and the top-level keys, in the project's order;
    ATLAS.ti's ``a::b`` is code ``b`` below ``a`` (a code named ``a``, or one made for it)."""
    nodes, parent_of, lookup = {}, {}, {}
    split = {g: [p.strip() for p in c.name.split("::")] for g, c in codes.items()}
    for guid, code in codes.items():
        nodes[guid] = _Node(guid, split[guid][-1] or "(unnamed)", code.description or "")
    for guid in sorted(codes, key=lambda g: len(split[g])):  # 'a' before 'a::b' before 'a::b::c'
        parent = codes[guid].parent if codes[guid].parent in codes else None
        for part in split[guid][:-1]:
            key = lookup.get((parent, part))
            if key is None:
                key = f"virtual:{parent}/{part}"
                nodes[key] = _Node(key, part)
                parent_of[key] = parent
                lookup[(parent, part)] = key
            parent = key
        parent_of[guid] = parent
        lookup.setdefault((parent, nodes[guid].name), guid)
    order: list[str] = []
    placed: set = set()
    for guid in codes:
        chain, key = [], guid
        while key is not None and key not in placed and key not in chain:
            chain.insert(0, key)
            key = parent_of.get(key)
        order.extend(chain)  # a made parent takes the place of its first code
        placed.update(chain)
    roots: list[str] = []
    taken: dict[str | None, set] = {}
    for key in order:
        node, parent = nodes[key], parent_of.get(key)
        node.parent = parent
        own = _unique(node.name, taken.setdefault(parent, set()))
        if parent is None:
            node.path, node.names = own, (node.name,)
            roots.append(key)
        else:
            nodes[parent].children.append(key)
            node.path, node.names = f"{nodes[parent].path}.{own}", nodes[parent].names + (node.name,)
    return nodes, roots


@dataclass
class _Group:
    id: str                       # the variable's id when it is nominal
    name: str                     # its label
    theme: str
    codes: list                   # [(code id, name, node key)]: its alternatives
    itself: str | None = None     # the node key of a tree group's own code
    description: str = ""


class CodeSystem:
    """The code system of a project, and the codebook made from it once `decide` has seen which
    codes each interview has.

    Parameters
    ----------
    codes : dict
        The project's codes by GUID, as `commissioning.exchange.project` reads them.
    sets : list
        Its sets; those with member codes are code groups.
    lang : {"en", "nl"}
        The language of the project's code names.
    section : str
        The `section` of every variable (the project's file name).

    Examples
    --------
    >>> from commissioning.exchange.project import ProjectCode
    >>> codes = {"a": ProjectCode("a", "Sourcing", "", None), "b": ProjectCode("b", "Design", "", "a"),
    ...          "c": ProjectCode("c", "in house", "", "b"), "d": ProjectCode("d", "outsourced", "", "b"),
    ...          "e": ProjectCode("e", "Barriers::budget", "", None), "f": ProjectCode("f", "Barriers::politics", "", None)}
    >>> system = CodeSystem(codes, [], lang="en", section="p.qdpx")
    >>> notes = system.decide([{"c", "e", "f"}, {"d", "e"}])
    >>> [(v, spec["type"]) for v, spec in system.variables.items()]
    [('sourcing.design', 'nominal'), ('barriers.budget', 'boolean'), ('barriers.politics', 'boolean')]
    >>> system.results("c"), system.results("f")
    ([('sourcing.design', 'in_house', None)], [('barriers.politics', 'yes', None)])
    >>> notes
    ["code group 'Barriers': one yes/no variable per code, as one interview has 2 of its codes (budget, politics)"]
    """

    def __init__(self, codes: dict[str, ProjectCode], sets: list[ProjectSet], *, lang: str, section: str):
        self.lang, self.section = lang, section
        self.nodes, self.roots = _tree(codes)
        self.groups = self._tree_groups() + self._set_groups(sets)
        in_sets = {key for g in self.groups if g.itself is None for _, _, key in g.codes}
        self.loose = [k for k in self.roots if not self.nodes[k].children and k not in in_sets]
        self.variables: dict[str, dict] = {}
        self._results: dict[str, list] = {}

    def _tree_groups(self) -> list[_Group]:
        groups = []
        for key in self._preorder():
            node = self.nodes[key]
            if not node.children:
                continue
            leaves = [self.nodes[c] for c in node.children if not self.nodes[c].children]
            codes = [(leaf.path.rsplit(".", 1)[-1], leaf.name, leaf.key) for leaf in leaves]
            groups.append(_Group(node.path, node.name, node.path.split(".")[0], codes, key, node.description))
        return groups

    def _set_groups(self, sets: list[ProjectSet]) -> list[_Group]:
        taken = {self.nodes[k].path for k in self.roots}
        groups = []
        for s in sets:
            members = [m for m in dict.fromkeys(s.codes) if m in self.nodes]
            if not members:
                continue
            gid = slug(s.name)
            gid = _unique(f"{gid}_group", taken) if gid in taken else _unique(gid, taken)
            own: set = set()
            codes = [(_unique(self.nodes[m].name, own), self.nodes[m].name, m) for m in members]
            groups.append(_Group(gid, s.name or gid, gid, codes))
        return groups

    def _preorder(self) -> list[str]:
        out, stack = [], list(reversed(self.roots))
        while stack:
            key = stack.pop()
            out.append(key)
            stack.extend(reversed(self.nodes[key].children))
        return out

    def decide(self, used: list[set]) -> list[str]:
        """Make the variables, knowing the codes (node keys) that each interview file has.

        Parameters
        ----------
        used : list of set
            One set of code GUIDs per interview and coder.

        Returns
        -------
        list of str
            A note for every group whose codes became yes/no variables, saying why.

        Examples
        --------
        >>> from commissioning.exchange.project import ProjectCode
        >>> system = CodeSystem({"a": ProjectCode("a", "happy", "", None)}, [], lang="nl", section="p.qdpx")
        >>> system.decide([set(), {"a"}]), system.variables["happy"]["label"]
        ([], {'en': 'happy (not translated)', 'nl': 'happy'})
        """
        notes = []
        coded = set().union(*used) if used else set()
        by_theme: dict[str, list] = {}
        for group in self.groups:
            keys = {key for _, _, key in group.codes}
            two = next((u & keys for u in used if len(u & keys) > 1), None)
            if group.itself is not None and group.itself in coded:
                self._yes_no(by_theme, group.theme, group.id, group.name, group.itself, group.description, "itself")
            if len(group.codes) >= 2 and two is None and group.itself not in coded:
                self._nominal(by_theme, group)
                continue
            for cid, name, key in group.codes:
                self._yes_no(by_theme, group.theme, f"{group.id}.{cid}", f"{group.name}: {name}", key,
                             self.nodes[key].description)
            if len(group.codes) >= 2:
                why = (f"one interview has {len(two)} of its codes "
                       f"({', '.join(n for _, n, k in group.codes if k in two)})" if two is not None
                       else "it is coded itself too")
                notes.append(f"code group {' / '.join(self._names(group))!r}: one yes/no variable per code, as {why}")
        for key in self.loose:
            node = self.nodes[key]
            self._yes_no(by_theme, ROOT_THEME, node.path, node.name, key, node.description)
        self.variables = {v: spec for specs in by_theme.values() for v, spec in specs}
        return notes

    def _names(self, group: _Group) -> tuple:
        return self.nodes[group.itself].names if group.itself is not None else (group.name,)

    def _labels(self, name: str) -> dict:
        return {lang: name if lang == self.lang else f"{name} ({UNTRANSLATED[lang]})" for lang in LANGS}

    def _spec(self, theme, vtype, name, codes, kind, description) -> dict:
        spec = {"theme": theme, "type": vtype, "section": self.section, "label": self._labels(name),
                "question": {lang: _QUESTION[kind][lang].format(name=name) for lang in LANGS},
                "per_interview": True, "codes": codes,
                "untranslated": [lang for lang in LANGS if lang != self.lang]}
        if description.strip():
            spec["memo"] = " ".join(description.split())
        return spec

    def _nominal(self, by_theme, group: _Group) -> None:
        codes = {cid: self._labels(name) for cid, name, _ in group.codes}
        by_theme.setdefault(group.theme, []).append(
            (group.id, self._spec(group.theme, "nominal", group.name, codes, "group", group.description)))
        for cid, _, key in group.codes:
            self._results.setdefault(key, []).append((group.id, cid, None))

    def _yes_no(self, by_theme, theme, var_id, name, key, description, kind="code") -> None:
        codes = {c: dict(labels) for c, labels in YES_NO.items()}
        by_theme.setdefault(theme, []).append((var_id, self._spec(theme, "boolean", name, codes, kind, description)))
        self._results.setdefault(key, []).append((var_id, "yes", None))

    def yes_no_variables(self) -> list[str]:
        """The ids of the yes/no variables (``no`` where an interview lacks the code).

        Returns
        -------
        list of str

        Examples
        --------
        >>> from commissioning.exchange.project import ProjectCode
        >>> system = CodeSystem({"a": ProjectCode("a", "happy", "", None)}, [], lang="en", section="p.qdpx")
        >>> _ = system.decide([{"a"}])
        >>> system.yes_no_variables()
        ['happy']
        """
        return [v for v, spec in self.variables.items() if spec["type"] == "boolean"]

    def results(self, guid) -> list[tuple]:
        """Every (variable, code, rank) the code `guid` gives (none for a code outside the project).

        Returns
        -------
        list of tuple

        Examples
        --------
        >>> from commissioning.exchange.project import ProjectCode
        >>> system = CodeSystem({"a": ProjectCode("a", "happy", "", None)}, [], lang="en", section="p.qdpx")
        >>> _ = system.decide([{"a"}])
        >>> system.results("a"), system.results("zz")
        ([('happy', 'yes', None)], [])
        """
        return list(self._results.get(guid, []))

    def map(self, guid):
        """The first of `results` as the importer's mappers give it: ('ok', variable, code, rank),
        or ('unknown', reason).

        Returns
        -------
        tuple

        Examples
        --------
        >>> from commissioning.exchange.project import ProjectCode
        >>> system = CodeSystem({"a": ProjectCode("a", "happy", "", None)}, [], lang="en", section="p.qdpx")
        >>> _ = system.decide([{"a"}])
        >>> system.map("a"), system.map("zz")[0]
        (('ok', 'happy', 'yes', None), 'unknown')
        """
        found = self._results.get(guid)
        if found:
            return ("ok", *found[0])
        return ("unknown", "is referred to by a coding but is not in the project's codebook")

    def path(self, guid) -> list[str]:
        """The names of a code and of the codes above it, top first.

        Returns
        -------
        list of str

        Examples
        --------
        >>> from commissioning.exchange.project import ProjectCode
        >>> system = CodeSystem({"a": ProjectCode("a", "Coke::diet Coke", "", None)}, [], lang="en", section="p")
        >>> system.path("a"), system.path("zz")
        (['Coke', 'diet Coke'], [])
        """
        node = self.nodes.get(guid)
        return list(node.names) if node is not None else []

    def codebook_text(self, attributes: str, *, project: str, origin: str) -> str:
        """codebook.yaml: a header saying where it comes from, the `attributes` section as given
        and the variables.

        Returns
        -------
        str

        Examples
        --------
        >>> from commissioning.exchange.project import ProjectCode
        >>> system = CodeSystem({"a": ProjectCode("a", "happy", "", None)}, [], lang="en", section="p.qdpx")
        >>> _ = system.decide([{"a"}])
        >>> print(system.codebook_text("attributes: {}\\n", project="p.qdpx", origin="QualCoder"))
        # The codebook made by `commissioning import-qdpx --new-codebook` from the code system of
        ...
        variables:
          happy:
            theme: codes
            type: boolean
            section: p.qdpx
            label: {en: happy, nl: happy (niet vertaald)}
        ...
        """
        other = ", ".join(f"{lang} ({UNTRANSLATED[lang]})" for lang in LANGS if lang != self.lang)
        head = (f"# The codebook made by `commissioning import-qdpx --new-codebook` from the code system of\n"
                f"# {' '.join(project.split())} ({' '.join(origin.split()) or 'REFI-QDA'}): a code group whose codes "
                "are alternatives is a\n# nominal variable; any other code a yes/no variable (yes where an interview "
                "has the code, no\n# where it has not). The labels are the project's code names; those in "
                f"{other} are\n# marked so: translate them here. Importing the same project again gives the same "
                "ids.\nschema_version: 1\nlanguages: [en, nl]\n\n")
        body = yaml.dump({"variables": self.variables}, Dumper=_NoAliases, sort_keys=False, allow_unicode=True,
                         default_flow_style=None, width=1000)
        return head + attributes.rstrip("\n") + "\n\n" + body


class _NoAliases(yaml.SafeDumper):
    """A safe dumper that writes a value used twice out twice (the loader refuses aliases)."""

    def ignore_aliases(self, data):
        return True


class AllCodes:
    """A mapper that gives every code of the project as itself (to see which codes each interview
    has before the variables are made)."""

    def __init__(self, codes):
        self.codes = codes

    def results(self, guid) -> list[tuple]:
        """("code", guid, None) for a code of the project; none for another GUID."""
        return [("code", guid, None)] if guid in self.codes else []
