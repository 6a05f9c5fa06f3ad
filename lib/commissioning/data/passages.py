"""The passages behind the codes: the coded text of a QDA project, kept beside the interview files.

`import_qdpx` (``commissioning import-qdpx``) writes, beside the interview folder, one passage
file per interview and coder, ``passages/<interview_id>.<coder>.yaml``::

    interview_id: GM0518-1
    coder: ab
    passages:
    - variable: sourcing.design
      code: outsourced
      source: Interview Den Haag.txt
      start: 412
      end: 450
      text: Het ontwerp laten we altijd uitvoeren.
    - variable: maturity.top3
      code: people_competences
      rank: 1
      source: Interview Den Haag.txt
      start: 610
      end: 642
      text: |-
        Eerst de mensen.
        Dan de cultuur.

`start` and `end` are the positions the project states: Unicode characters (code points) from the
start of the source's plain text, `end` exclusive; `text` is what they cut from that text, so it
has ``end - start`` characters. `rank` is given for a ranked set (``maturity.top3``) only. A file
with ``passages: []`` says that the interview has no coded text (its values were coded on
pictures, say). A hand-written coding of an interview (``interviews/GM0518-4.yaml``) may have
its passages in ``passages/GM0518-4.yaml``.

Passages are for exploring only: no result reads them. `load_study` never opens the folder, so the
interview files, the codings and every figure are the same with or without it, and a data folder
without passages is complete. `passages` reads and checks the files; `validate_passages` (which
``commissioning validate`` calls) checks them and names each problem's file, line, key and value.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from ..errors import DataError, Problem
from .interviews import ID_RE, coder_slug
from .reader import load_yaml, read_text

PASSAGES_DIR = "passages"


TOP_KEYS = ("interview_id", "coder", "passages")


PASSAGE_KEYS = ("variable", "code", "rank", "source", "start", "end", "text")


COLUMNS = ["interview_id", "municipality", "coder", "variable", "code", "rank", "source", "start", "end", "text"]


_INT_COLUMNS = ("rank", "start", "end")


HEADER = """\
# The passages behind the codes of interview {interview_id} (coder {coder}), kept by
# `commissioning import-qdpx` from {project}{origin}.
# start and end are the positions the project states: Unicode characters from the start of the
# source's plain text, end exclusive. text is cut from the source's plain text at those positions
# (for ATLAS.ti, which counts a CRLF line end as one character, from the text with LF line ends),
# so it has end - start characters. Results never depend on this file; edit the project and
# re-import rather than this file.
"""


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block where YAML can hold it exactly, else double-quoted."""


_ESCAPE = frozenset("\r\x85\u2028\u2029")  # line ends other than LF: YAML would read them as LF, or fold them


def _represent_str(dumper, value):
    if any(c in _ESCAPE for c in value):
        style = '"'  # escaped (\r, \N, \L, \P), so that they read back as they are
    else:
        style = "|" if "\n" in value else None  # the emitter falls back to double quotes where a block cannot hold it
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def passage_file_text(interview_id: str, coder: str, passages: list[dict], *, project: str = "",
                      origin: str = "") -> str:
    """The text of a passage file: the header comment, then `interview_id`, `coder` and the
    passages (each a mapping with the keys of `PASSAGE_KEYS`, in the order given). The same
    arguments give the same text, byte for byte; every text reads back exactly."""
    header = HEADER.format(interview_id=interview_id, coder=" ".join(str(coder).split()),
                           project=" ".join(str(project).split()) or "a REFI-QDA project",
                           origin=f" ({' '.join(str(origin).split())})" if origin else "")
    data = {"interview_id": str(interview_id), "coder": str(coder),
            "passages": [{k: p[k] for k in PASSAGE_KEYS if k in p} for p in passages]}
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                              width=100)


def empty_passages() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="int64" if c in _INT_COLUMNS else "object") for c in COLUMNS})
    return frame


def study_as_loaded(study):
    """The whole data folder as loaded: a filtered study keeps fewer interviews, and a study made
    ready for publication (`for_publication`) has its coders pseudonymised."""
    from .study import load_study

    if getattr(study, "filters", None):
        return load_study(study.data_dir)
    loaded = load_study(study.data_dir)
    return study if set(study.interviews.coder) <= set(loaded.interviews.coder) else loaded


def _all_interviews(study):
    """The interviews of the whole data folder, with the coders as their files name them."""
    return study_as_loaded(study).interviews


def _key(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_passage_file(data, lines, display, stem, codebook, interviews) -> tuple[list[tuple], list[Problem]]:
    """Check one parsed passage file; return (rows in the order of `COLUMNS`, problems).

    `interviews` maps (interview_id, coder) to the interview's municipality: a passage file
    belongs to an interview file of the same id and coder.
    """
    problems: list[Problem] = []

    def at(*path):
        line = lines.get(path)
        return f"line {line}, key {_key(path)!r}" if line else f"key {_key(path)!r}"

    def bad(path, message, value=None, allowed=""):
        problems.append(Problem(display, at(*path), message, value=value, allowed=allowed))

    if not isinstance(data, dict):
        return [], [Problem(display, "", "must be a YAML mapping with the keys interview_id, coder, passages",
                            value=type(data).__name__, allowed=", ".join(TOP_KEYS))]
    for key in data:
        if key not in TOP_KEYS:
            bad((key,), "is not a known key", value=key, allowed=", ".join(TOP_KEYS))
    for key in TOP_KEYS:
        if key not in data or data[key] is None or data[key] == "":
            problems.append(Problem(display, "", f"lacks the required key {key!r}", allowed=", ".join(TOP_KEYS)))
    iid, coder = data.get("interview_id"), data.get("coder")
    municipality = None
    if iid not in (None, "") and coder not in (None, ""):
        iid, coder = str(iid), str(coder)
        coders = sorted(c for i, c in interviews if i == iid)
        if not ID_RE.match(iid):
            bad(("interview_id",), "is not an interview id", value=iid, allowed="<CBS code>-<number>, e.g. GM0518-1")
        elif not coders:
            known = sorted({i for i, _ in interviews})
            bad(("interview_id",), "is not the id of an interview file in interviews/", value=iid,
                allowed="the interview_id of an interview file" + (f", e.g. {', '.join(known[:3])}" if known else
                                                                   " (interviews/ has none)"))
        elif (iid, coder) not in interviews:
            bad(("coder",), f"has not coded interview {iid}: there is no interview file of {iid} by this coder",
                value=coder, allowed=", ".join(coders))
        else:
            municipality = interviews[(iid, coder)]
        expected = {iid, f"{iid}.{coder_slug(coder)}"}
        if stem not in expected:
            bad(("interview_id",), "does not match the file name", value=iid,
                allowed=" or ".join(sorted(f"{e}.yaml" for e in expected)))
    items = data.get("passages")
    if items is not None and not isinstance(items, list):
        bad(("passages",), "must be a list of passages (or [] for none)", value=type(items).__name__)
        items = []
    rows = []
    for i, item in enumerate(items or []):
        here = ("passages", i)
        if not isinstance(item, dict):
            bad(here, "must be a mapping with the keys variable, code, source, start, end, text", value=item)
            continue
        n_before = len(problems)
        for key in item:
            if key not in PASSAGE_KEYS:
                bad(here + (key,), "is not a known key of a passage", value=key, allowed=", ".join(PASSAGE_KEYS))
        for key in ("variable", "code", "source", "start", "end", "text"):
            if key not in item:
                bad(here, f"lacks the key {key!r}", allowed="variable, code, source, start, end, text "
                                                            "(and rank for a ranked set)")
        var_id, code, rank = item.get("variable"), item.get("code"), item.get("rank")
        var = codebook.variables.get(var_id) if isinstance(var_id, str) else None
        if "variable" in item and var is None:
            bad(here + ("variable",), "is not a variable of the codebook", value=var_id,
                allowed="a variable id of codebook.yaml (see `commissioning codebook`)")
        if var is not None and "code" in item:
            if var.type == "boolean" and isinstance(code, bool):
                code = "yes" if code else "no"
            if not isinstance(code, str) or code not in var.codes:
                bad(here + ("code",), f"is not a code of {var.id}", value=code, allowed=", ".join(var.codes))
        if var is not None and var.type == "ranked_set":
            if "rank" not in item:
                bad(here, f"lacks the key 'rank', which a passage of the ranked set {var.id} needs",
                    allowed=f"rank: 1 to {var.size}")
            elif isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= (var.size or 0):
                bad(here + ("rank",), f"is not a rank of {var.id}", value=rank, allowed=f"1 to {var.size}")
        elif var is not None and "rank" in item:
            bad(here + ("rank",), f"is for a ranked set only; {var.id} is {var.type}", value=rank,
                allowed="no rank")
        source = item.get("source")
        if "source" in item and (not isinstance(source, str) or not source.strip()):
            bad(here + ("source",), "must name the source (document) of the passage", value=source)
        start, end, text = item.get("start"), item.get("end"), item.get("text")
        ints_ok = True
        for key, value in (("start", start), ("end", end)):
            if key in item and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                bad(here + (key,), "is not a position", value=value,
                    allowed="a whole number of characters from the start of the source's text, 0 or more")
                ints_ok = False
        if "text" in item and not isinstance(text, str):
            bad(here + ("text",), "must be the passage's text", value=text)
        elif ints_ok and "start" in item and "end" in item:
            if end < start:
                bad(here + ("end",), f"is before start ({start})", value=end, allowed=f"{start} or more")
            elif "text" in item and len(text) != end - start:
                bad(here + ("end",), f"falls outside the passage's text: start {start} to end {end} span "
                    f"{end - start} characters, but text has {len(text)}", value=end,
                    allowed=f"start + the length of text = {start + len(text)}")
        if len(problems) == n_before and municipality is not None:
            rows.append((iid, municipality, coder, var.id, code, int(rank) if var.type == "ranked_set" else 0,
                         source, start, end, text))
    return rows, problems


def read_passages(study) -> tuple[pd.DataFrame, list[Problem], int]:
    """Every passage of the data folder as a table (`COLUMNS` plus `file`), the problems and the
    number of passage files."""
    folder = Path(study.data_dir) / PASSAGES_DIR
    if not folder.exists():
        return empty_passages().assign(file=pd.Series(dtype="object")), [], 0
    if not folder.is_dir():
        return empty_passages().assign(file=pd.Series(dtype="object")), [Problem(
            PASSAGES_DIR, "", "is a file, not a folder", allowed="a folder of passage files "
            "(<interview_id>.<coder>.yaml), or nothing")], 0
    itv = _all_interviews(study)
    interviews = {(i, c): m for i, c, m in zip(itv.interview_id, itv.coder, itv.municipality)}
    rows, problems, seen, n_files = [], [], {}, 0
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        display = f"{PASSAGES_DIR}/{path.name}"
        if path.suffix not in (".yaml", ".yml"):
            problems.append(Problem(display, "", "is not a passage file", value=path.suffix,
                                    allowed="files named <interview_id>.<coder>.yaml"))
            continue
        n_files += 1
        data = None
        text, found = read_text(path, display)
        if not found:
            data, lines, found = load_yaml(text, display)
        if not found:
            file_rows, found = parse_passage_file(data, lines, display, path.name.rsplit(".", 1)[0], study.codebook,
                                                  interviews)
        if not found and isinstance(data, dict):
            key = (str(data["interview_id"]), str(data["coder"]))
            if key in seen:
                line = lines.get(("interview_id",))
                found = [Problem(display, f"line {line}, key 'interview_id'" if line else "key 'interview_id'",
                                 f"duplicates the passages of {seen[key]} (same interview and coder)",
                                 value=key[0], allowed="one passage file per interview and coder")]
            seen.setdefault(key, display)
        if found:
            problems.extend(found)
            continue
        rows.extend((*r, display) for r in file_rows)
    table = pd.DataFrame(rows, columns=[*COLUMNS, "file"]) if rows else empty_passages().assign(file=pd.Series(dtype="object"))
    for col in _INT_COLUMNS:
        table[col] = table[col].astype("int64")
    return table, problems, n_files


def validate_passages(study) -> pd.DataFrame:
    """Check the passage files of a study's data folder (``<data dir>/passages/``).

    Each passage file must belong to an interview file (same interview id and coder), name a
    variable of the codebook and a code of that variable (and for a ranked set a rank), and have
    positions with ``0 <= start <= end`` and a text of ``end - start`` characters.

    Parameters
    ----------
    study : Study
        A loaded data folder (``cm.load_study(...)``).

    Returns
    -------
    DataFrame
        Every passage of the folder, one row per passage, with the columns of `passages` and
        `file` (``passages/<name>.yaml``); empty when the folder has no passages.

    Raises
    ------
    DataError
        Listing every problem, each with the file, line and key, the value and what is allowed.

    Examples
    --------
    >>> import commissioning as cm
    >>> len(cm.validate_passages(cm.load_study()))  # the shipped reconstruction has no passages
    0
    """
    table, problems, _ = read_passages(study)
    if problems:
        raise DataError(problems)
    return table


def passage_files(study) -> int:
    """The number of passage files in the study's data folder (0 without a passages folder)."""
    folder = Path(study.data_dir) / PASSAGES_DIR
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
