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
from .passage_checks import PASSAGE_KEYS, TOP_KEYS, parse_passage_file  # noqa: F401
from .reader import load_yaml, read_text
from .study import load_study

__all__ = [  # the public API, then the names kept for code that used them from here
    "COLUMNS", "HEADER", "PASSAGES_DIR", "PASSAGE_KEYS", "empty_passages", "passage_file_text", "passage_files",
    "read_passages", "study_as_loaded", "validate_passages",
    "TOP_KEYS", "parse_passage_file",
]

PASSAGES_DIR = "passages"


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
    """Multi-line text as a literal block where YAML can hold it exactly, else double-quoted; a
    value used twice written out twice (the loader refuses anchors and aliases)."""

    def ignore_aliases(self, data):
        return True


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
    arguments give the same text, byte for byte; every text reads back exactly.

    Returns
    -------
    str

    Examples
    --------
    >>> import yaml
    >>> passages = [
    ...     {"variable": "sourcing.design", "code": "outsourced", "source": "a.txt", "start": 3,
    ...      "end": 7, "text": "wxyz"},
    ...     {"variable": "maturity.top3", "code": "people_competences", "rank": 1, "source": "a.txt",
    ...      "start": 10, "end": 30, "text": "Eerst de mensen.\\nDan"}]
    >>> text = passage_file_text("GM0518-1", "ab", passages, project="p.qdpx", origin="MAXQDA")
    >>> print(text, end="")
    # The passages behind the codes of interview GM0518-1 (coder ab), kept by
    # `commissioning import-qdpx` from p.qdpx (MAXQDA).
    ...
    interview_id: GM0518-1
    coder: ab
    passages:
    - variable: sourcing.design
      code: outsourced
      source: a.txt
      start: 3
      end: 7
      text: wxyz
    - variable: maturity.top3
      code: people_competences
      rank: 1
      source: a.txt
      start: 10
      end: 30
      text: |-
        Eerst de mensen.
        Dan
    >>> yaml.safe_load(text)["passages"] == passages
    True
    """
    header = HEADER.format(interview_id=interview_id, coder=" ".join(str(coder).split()),
                           project=" ".join(str(project).split()) or "a REFI-QDA project",
                           origin=f" ({' '.join(str(origin).split())})" if origin else "")
    data = {"interview_id": str(interview_id), "coder": str(coder),
            "passages": [{k: p[k] for k in PASSAGE_KEYS if k in p} for p in passages]}
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                              width=100)


def empty_passages() -> pd.DataFrame:
    """A table of passages without rows.

    Returns
    -------
    DataFrame
        The columns of `COLUMNS`; `rank`, `start` and `end` int64, the others object.

    Examples
    --------
    >>> frame = empty_passages()
    >>> len(frame), list(frame.columns) == COLUMNS, str(frame["start"].dtype)
    (0, True, 'int64')
    """
    frame = pd.DataFrame({c: pd.Series(dtype="int64" if c in _INT_COLUMNS else "object") for c in COLUMNS})
    return frame


def study_as_loaded(study):
    """The whole data folder as loaded: a filtered study keeps fewer interviews, and a study made
    ready for publication (`for_publication`) has its coders pseudonymised.

    Returns
    -------
    Study
        `study` itself when it is the whole folder as loaded, else the folder loaded again.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> study.filter(region="Zuid").n_interviews, study_as_loaded(study.filter(region="Zuid")).n_interviews
    (7, 24)
    >>> study_as_loaded(study) is study
    True
    """
    if getattr(study, "filters", None):
        return load_study(study.data_dir)
    loaded = load_study(study.data_dir)
    return study if set(study.interviews.coder) <= set(loaded.interviews.coder) else loaded


def _all_interviews(study):
    """The interviews of the whole data folder, with the coders as their files name them."""
    return study_as_loaded(study).interviews


def read_passages(study) -> tuple[pd.DataFrame, list[Problem], int]:
    """Every passage of the data folder as a table (`COLUMNS` plus `file`), the problems and the
    number of passage files.

    Returns
    -------
    table : DataFrame
        One row per passage without a problem; `file` is ``passages/<name>.yaml``.
    problems : list of Problem
        Every problem of every file, the files in name order.
    n_files : int
        The number of passage files (``.yaml`` or ``.yml``) read.

    Examples
    --------
    >>> import commissioning as cm
    >>> table, problems, n_files = read_passages(cm.load_study())  # the shipped data has no passages
    >>> list(table.columns) == [*COLUMNS, "file"], len(table), problems, n_files
    (True, 0, [], 0)
    """
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
    """The number of passage files in the study's data folder (0 without a passages folder).

    Returns
    -------
    int
        The files named ``*.yaml`` or ``*.yml`` in ``<data dir>/passages/``, hidden files left out.

    Examples
    --------
    >>> import commissioning as cm
    >>> passage_files(cm.load_study())  # the shipped reconstruction has no passages folder
    0
    """
    folder = Path(study.data_dir) / PASSAGES_DIR
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
