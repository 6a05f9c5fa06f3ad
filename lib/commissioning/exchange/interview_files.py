"""From mapped codings to file texts: group the codings per interview and coder, build and check
each interview file (a ranked set's order from its rank groups or from the text), and cut the
passages behind its values for the passage file beside it."""

from __future__ import annotations

import yaml

from ..data import check_municipality_level, coder_slug, parse_interview, passage_file_text
from ..errors import Problem
from .project import SOURCE_TAGS, cut_passage, source_text

# What a coding that is not at a passage of plain text codes (the selection elements of Project.xsd)
NOT_TEXT = {
    "PictureSelection": "a region of a picture, not text",
    "PDFSelection": "a region of a PDF page, not text",
    "AudioSelection": "a stretch of audio, not text",
    "VideoSelection": "a stretch of video, not text",
    "TranscriptSelection": "a stretch of a transcript between sync points, not positions in a text",
}


class _NoAliases(yaml.SafeDumper):
    """A safe dumper that writes a value used twice out twice (the loader refuses aliases), one
    value per line and a ranked set on one line, as the README's example has them."""

    def ignore_aliases(self, data):
        return True


_NoAliases.add_representer(list, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value,
                                                                                 flow_style=True))


_HEADER = ("# Imported from a REFI-QDA project by `commissioning import-qdpx`; edit the project and "
           "re-import rather than this file.\n")


# ------------------------------------------------------------------------------ codings

def group_codings(assigned, sources, mapper, users, coder, project_user, display, problems, notes) -> dict:
    """(interview id, coder) -> the municipality, role, source names, values and codings of that
    interview file; problems for codings by no named user, a note when `coder` stands for several."""
    groups: dict[tuple, dict] = {}
    no_coder = []
    for src, muni, iid, role in assigned:
        for c in src.codings:
            results = mapper.results(c.code)
            if not results:
                continue
            who = coder or users.get(c.user or "") or users.get(src.creating_user or "") or project_user
            if not who:
                no_coder.append(src.name)
                continue
            g = groups.setdefault((iid, who), {"municipality": muni, "role": role, "sources": [], "values": {},
                                               "codings": []})
            if src.name not in g["sources"]:
                g["sources"].append(src.name)
            for var, code, rank in results:  # a code in several code groups gives a value of each
                g["values"].setdefault(var, []).append((code, rank, c.start if c.start is not None else None, src.name))
                g["codings"].append((var, code, rank, src, c))
    if no_coder:
        problems.append(Problem(display, f"source(s) {', '.join(repr(s) for s in sorted(set(no_coder)))}",
                                "have codings by no named user", allowed="pass a coder name (--coder NAME)"))
    if coder is not None:
        project_coders = sorted({users.get(c.user or "") for s in sources.values() for c in s.codings} - {None})
        if len(project_coders) > 1:
            notes.append(f"the project's codings are by {', '.join(project_coders)}; all are attributed to {coder!r}")
    return groups


# ------------------------------------------------------------------------------ interview files

def _values_of(g: dict, codebook, display, where, problems) -> dict:
    """The values of one interview file from its coded (code, rank, position, source) entries;
    a variable coded inconsistently is left out with a problem."""
    values = {}
    for var_id, entries in g["values"].items():
        var = codebook.variables[var_id]
        if var.type == "ranked_set":
            value = _ranked(var, entries, display, where, problems)
            if value is not None:
                values[var_id] = value
            continue
        distinct = sorted({e[0] for e in entries}, key=list(var.codes).index)
        if len(distinct) > 1:
            problems.append(Problem(display, where, f"has {len(distinct)} values for {var_id}, which takes one; the "
                                    "variable is left out", value=distinct))
            continue
        values[var_id] = distinct[0]
    return values


def build_interviews(groups: dict, codebook, known, display, origin, problems) -> list[tuple]:
    """(interview, data, file stem, source names, codings) of each group whose interview file the
    loader accepts; problems for the rest."""
    built = []
    for (iid, who), g in sorted(groups.items()):
        where = f"interview {iid} (coder {who}, {', '.join(repr(s) for s in g['sources'])})"
        values = _values_of(g, codebook, display, where, problems)
        stem = f"{iid}.{coder_slug(who)}"
        data = {"interview_id": iid, "municipality": g["municipality"]}
        if g["role"]:
            data["respondent_role"] = str(g["role"])
        data.update({"coder": str(who), "basis": "observed",
                     "values": {k: values[k] for k in codebook.variables if k in values},
                     "notes": f"imported from {display} ({origin or 'REFI-QDA'})"})
        itv, bad = parse_interview(data, {}, f"{stem}.yaml", stem, codebook, known)
        if bad:
            for p in bad:
                problems.append(Problem(display, where, f"is not written: {p.where + ': ' if p.where else ''}{p.message}",
                                        allowed=p.allowed))
            continue
        built.append((itv, data, stem, g["sources"], g["codings"]))
    return built


def drop_clashes(built: list[tuple], codebook, display, problems) -> None:
    """Leave out of the interview files every municipality-level value that disagrees with another
    file of the same municipality (the loader's rule), each with a problem."""
    clash = check_municipality_level([b[0] for b in built], codebook)
    dropped = set()
    for p in clash:
        var_id = p.where.split("values.", 1)[-1].rstrip("'")
        problems.append(Problem(display, f"interview file {p.file}", f"{var_id} {p.message}; it is left out of this file",
                                value=p.value, allowed=p.allowed))
        dropped.add((p.file, var_id))
    for itv, data, stem, srcs, codings in built:
        for file, var_id in dropped:
            if file == f"{stem}.yaml":
                data["values"].pop(var_id, None)


def file_texts(built: list[tuple], codebook, zf, names_by_lower, origin, display):
    """The interview files and the passage files to write, each as (name, text, report row), and
    the codings whose passages were not kept."""
    files, passage_files, not_kept = [], [], []
    text_cache: dict[tuple, str | None] = {}
    for itv, data, stem, srcs, codings in built:
        text = _HEADER + yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True,
                                   default_flow_style=False, width=1000)
        files.append((f"{stem}.yaml", text, (data["interview_id"], data["coder"], data["municipality"],
                                             ", ".join(repr(s) for s in srcs), len(data["values"]))))
        kept = _passages_of(data, codings, codebook, zf, names_by_lower, origin, text_cache, not_kept)
        passage_files.append((f"{stem}.yaml", passage_file_text(data["interview_id"], data["coder"], kept,
                                                                project=display, origin=origin),
                              (data["interview_id"], data["coder"], len(kept))))
    return files, passage_files, not_kept


# ------------------------------------------------------------------------------ passages

def _not_kept_reason(var, code, value, c) -> str | None:
    """Why the coding `c` of `code` cannot give a passage before its text is read, or None."""
    if c.kind in NOT_TEXT:
        return NOT_TEXT[c.kind]
    if c.kind in SOURCE_TAGS:
        return "the whole source is coded, not a passage of it"
    if c.kind != "PlainTextSelection":
        return f"a {c.kind or 'coding'} is not a passage of plain text"
    if (code not in value) if var.type == "ranked_set" and isinstance(value, list) else value != code:
        return "its value is left out of the interview file (see the problems)"
    return None


def _passages_of(data, codings, codebook, zf, names_by_lower, origin, text_cache, not_kept) -> list[dict]:
    """The passages behind the values of one interview file, sorted by source and position;
    every coding of a value whose passage cannot be kept is added to `not_kept`."""
    iid, who, values = data["interview_id"], data["coder"], data["values"]
    order = {v: i for i, v in enumerate(codebook.variables)}
    kept: dict[tuple, dict] = {}
    for var_id, code, rank, src, c in codings:
        var = codebook.variables[var_id]
        value = values.get(var_id)
        reason = _not_kept_reason(var, code, value, c)
        if reason is None:
            key = (src.guid, c.holder)
            if key not in text_cache:
                text_cache[key] = source_text(src, zf, names_by_lower, origin, c.holder or "")
            text = text_cache[key]
            passage = cut_passage(text, c.start, c.end)
            if text is None:
                reason = "the source's plain text is not in the project"
            elif c.start is None or c.end is None:
                reason = "it states no whole-number startPosition and endPosition"
            elif passage is None:
                reason = (f"its positions {c.start}-{c.end} fall outside the source's plain text "
                          f"({len(text)} characters)")
        if reason is not None:
            not_kept.append((iid, who, src.name, c.kind or "coding", var_id, code, reason))
            continue
        entry = {"variable": var_id, "code": code}
        if var.type == "ranked_set":
            entry["rank"] = rank if rank is not None else value.index(code) + 1
        entry.update({"source": src.name, "start": c.start, "end": c.end, "text": passage})
        sort_key = (src.name, src.guid, c.holder or "", c.start, c.end, order[var_id], code, entry.get("rank", 0))
        kept.setdefault(sort_key, entry)  # the same code at the same passage twice is one passage
    return [kept[k] for k in sorted(kept)]


def _ranked(var, entries, display, where, problems):
    """The ordered list of a ranked set from (code, rank, position, source) entries, or None with a problem."""
    ranked = {(c, r) for c, r, _, _ in entries if r is not None}
    unranked = [(p, c) for c, r, p, _ in entries if r is None]
    if ranked and unranked:
        problems.append(Problem(display, where, f"codes {var.id} both with and without rank groups; use the rank "
                                f"groups '{var.id} #1' to '#{var.size}' only"))
        return None
    if ranked:
        return _by_rank_groups(var, ranked, display, where, problems)
    if any(p is None for p, _ in unranked):
        problems.append(Problem(display, where, f"codes {var.id} without rank groups outside a text passage, so the "
                                "order cannot be read", allowed=f"the rank groups '{var.id} #1' to '#{var.size}'"))
        return None
    order = []
    for _, c in sorted(unranked):
        if c not in order:
            order.append(c)
    if len(order) != var.size:
        problems.append(Problem(display, where, f"names {len(order)} aspects of {var.id} without rank groups",
                                value=order, allowed=f"{var.size} aspects, ranked by the rank groups or by their order "
                                "in the text"))
        return None
    return order


def _by_rank_groups(var, ranked: set, display, where, problems):
    """The ordered list of a ranked set from its (code, rank) pairs, or None with a problem."""
    by_rank: dict[int, set] = {}
    for c, r in ranked:
        by_rank.setdefault(r, set()).add(c)
    for r, cs in sorted(by_rank.items()):
        if len(cs) > 1:
            problems.append(Problem(display, where, f"has {len(cs)} aspects at rank {r} of {var.id}",
                                    value=sorted(cs), allowed="one aspect per rank"))
            return None
    order = [next(iter(by_rank[r])) for r in sorted(by_rank)]
    missing = [r for r in range(1, var.size + 1) if r not in by_rank]
    if missing:
        problems.append(Problem(display, where, f"has no aspect at rank {', '.join(map(str, missing))} of {var.id}",
                                value=order, allowed=f"one aspect at each rank 1 to {var.size}"))
        return None
    if len(set(order)) != len(order):
        problems.append(Problem(display, where, f"ranks one aspect twice in {var.id}", value=order,
                                allowed=f"{var.size} distinct aspects"))
        return None
    return order
