"""Mapping a project's codes to (variable, value, rank) of the codebook: by GUID, by the
``commissioning:`` line of their description, and by structure (a code whose parent, or whose name
before ``::`` or ``: ``, names a variable by id or label, and whose own name is a value's id or
label in either language; a name a tool cut short still maps when the start of the label is
unique)."""

from __future__ import annotations

import re

from ..data import Codebook
from ..errors import Problem
from .project import ProjectCode, code_path, excerpt, int_or_none, normal_name, source_text
from .qdc import code_guid

_MARKER_RE = re.compile(r"commissioning:\s*([A-Za-z0-9_.]+)(?:\s*=\s*([A-Za-z0-9_]+))?(?:\s*,\s*rank\s*(\d+))?")
TRUNCATED_AT = 60  # MAXQDA shortens code names to 63 characters: a name this long may be cut
_RANK_RE = re.compile(r"^(.*?)\s*(?:#|\brank\s*|\brang\s*)(\d+)\s*$", re.IGNORECASE)


class CodeMapper:
    """Maps a project's codes to (variable, code, rank) of the codebook."""

    def __init__(self, codebook: Codebook, codes: dict[str, ProjectCode]):
        self.cb = codebook
        self.codes = codes
        self.by_guid = {}
        self.var_by_name: dict[str, str | None] = {}
        for var in codebook.variables.values():
            self.by_guid[code_guid(var.id)] = (var.id, None, None)
            for c in var.codes:
                if var.type == "ranked_set":
                    for r in range(1, (var.size or 0) + 1):
                        self.by_guid[code_guid(var.id, c, r)] = (var.id, c, r)
                else:
                    self.by_guid[code_guid(var.id, c)] = (var.id, c, None)
            for key in {normal_name(var.id), normal_name(var.label["en"]), normal_name(var.label["nl"])}:
                self.var_by_name[key] = var.id if self.var_by_name.get(key, var.id) == var.id else None
        self.cache: dict[str, tuple] = {}

    def variable(self, text):
        """(var_id, rank) named by `text` ('sourcing.design', 'Ontwerp', 'maturity.top3 #2'), or None."""
        key = normal_name(text)
        if self.var_by_name.get(key):
            return self.var_by_name[key], None
        m = _RANK_RE.match(str(text or ""))
        if m and self.var_by_name.get(normal_name(m.group(1))):
            return self.var_by_name[normal_name(m.group(1))], int(m.group(2))
        return None

    def value(self, var_id, text, full_name=None):
        """The codebook code of `var_id` that a project code's name means, or None."""
        var = self.cb.variables[var_id]
        key = normal_name(text)
        for c, labels in var.codes.items():
            if key in (normal_name(c), normal_name(labels["en"]), normal_name(labels["nl"])):
                return c
        if len(full_name or "") >= TRUNCATED_AT and len(key) >= 3:  # a name cut short by the tool
            found = {c for c, labels in var.codes.items()
                     if normal_name(labels["en"]).startswith(key) or normal_name(labels["nl"]).startswith(key)}
            if len(found) == 1:
                return found.pop()
        return None

    def path(self, guid) -> list[str]:
        """The names of the code `guid` and its parents, outermost first."""
        return code_path(self.codes, guid)

    def results(self, guid) -> list[tuple]:
        """Every (var, code, rank) the code `guid` gives: one, or none when it does not map."""
        result = self.map(guid)
        return [result[1:]] if result[0] == "ok" else []

    def map(self, guid):
        """('ok', var, code, rank) or ('unknown'|'not_a_value', reason)."""
        if guid not in self.cache:
            self.cache[guid] = self._map(guid)
        return self.cache[guid]

    def _map(self, guid):
        if guid in self.by_guid:
            var, code, rank = self.by_guid[guid]
            if code is None:
                return ("not_a_value", f"is the variable {var} itself; code one of its values instead")
            return ("ok", var, code, rank)
        code = self.codes.get(guid)
        if code is None:
            return ("unknown", "is referred to by a coding but is not in the project's codebook")
        found = self._by_marker(code)
        if found is not None:
            return found
        return self._by_structure(guid)

    def _by_marker(self, code: ProjectCode):
        """The mapping stated by a ``commissioning:`` line of the code's description, or None."""
        for m in _MARKER_RE.finditer(code.description or ""):
            var_id, c, rank = m.group(1), m.group(2), int_or_none(m.group(3))
            var = self.cb.variables.get(var_id)
            if var is None:
                continue
            if c is None:
                return ("not_a_value", f"is the variable {var_id} itself (or a rank group of it); code one of its "
                                       "values instead")
            if c not in var.codes:
                continue
            if var.type != "ranked_set" and rank is None:
                return ("ok", var_id, c, None)
            if var.type == "ranked_set" and (rank is None or 1 <= rank <= (var.size or 0)):
                return ("ok", var_id, c, rank)
        return None

    def _by_structure(self, guid):
        """The mapping read from the names of the code and the codes above it."""
        path = self.path(guid)
        if not path:
            return ("unknown", "has no name")
        leaf = path[-1]
        var_rank, value_text = None, leaf
        if ":" in leaf:
            head, tail = leaf.split(":", 1)
            found = self.variable(head)
            if found:
                var_rank, value_text = found, tail.strip()
        if var_rank is None and self.variable(leaf):
            var_id = self.variable(leaf)[0]
            return ("not_a_value", f"is the variable {var_id} itself; code one of its values instead")
        rank = var_rank[1] if var_rank else None
        if var_rank is None:
            var_rank, rank = self._from_parents(path[:-1], rank)
        if var_rank is None:
            return ("unknown", "names no variable of the codebook (by id or English or Dutch label), nor does any "
                               "code above it")
        var_id = var_rank[0]
        var = self.cb.variables[var_id]
        c = self.value(var_id, value_text, leaf)
        if c is None:
            return ("not_a_value", f"is under the variable {var_id} but {value_text!r} is not one of its values "
                                   f"(allowed: {', '.join(var.codes)}, or their English or Dutch labels)")
        if var.type != "ranked_set":
            rank = None
        elif rank is not None and not 1 <= rank <= (var.size or 0):
            return ("not_a_value", f"has rank {rank} but {var_id} ranks 1 to {var.size}")
        return ("ok", var_id, c, rank)

    def _from_parents(self, parents: list[str], rank):
        """(var_id, rank) named by the nearest code above that names a variable (or None), and the
        rank: a rank group's, else the nearest plain number ('2', '#2', 'rank 2', '2nd') below it."""
        for name in reversed(parents):
            found = self.variable(name)
            if found:
                return found, rank if found[1] is None else found[1]
            m = re.fullmatch(r"(?:#|rank\s*|rang\s*)?(\d+)(?:st|nd|rd|th|e|ste|de)?", name.strip(), re.IGNORECASE)
            if m and rank is None:
                rank = int(m.group(1))
        return None, rank


def unmapped_problems(sources, mapper: CodeMapper, zf, names_by_lower, origin, display) -> list[Problem]:
    """One problem per used code that cannot be mapped (with where it is first used), and one more
    first when no used code maps at all."""
    problems = []
    unmapped: dict[str, list] = {}
    for src in sources.values():
        for c in src.codings:
            result = mapper.map(c.code)
            if result[0] != "ok":
                unmapped.setdefault(c.code, []).append((src, c))
    used_codes = {c.code for src in sources.values() for c in src.codings}
    if used_codes and used_codes <= set(unmapped):
        problems.append(Problem(display, "", f"uses {len(used_codes)} code(s), none of which is a value of the codebook: "
                                "was it coded with the codebook that `commissioning export-qdc` writes?"))
    texts: dict[str, str | None] = {}
    for guid, uses in unmapped.items():
        src, c = uses[0]
        if src.guid not in texts:
            texts[src.guid] = source_text(src, zf, names_by_lower, origin)
        label = "/".join(mapper.path(guid)) or guid
        at = f"characters {c.start}-{c.end}{excerpt(texts[src.guid], c.start, c.end)}" if c.start is not None else "whole source"
        n_src = len({s.guid for s, _ in uses})
        problems.append(Problem(display, f"code {label!r}", f"{mapper.map(guid)[1]}; used in {len(uses)} coding(s) in "
                                f"{n_src} source(s), first in source {src.name!r} at {at}"))
    return problems
