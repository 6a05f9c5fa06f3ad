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

import textwrap
import unicodedata
from pathlib import Path

import pandas as pd
import yaml

from .reader import load_yaml, read_text
from .codebook import check_lang
from ..errors import DataError, ParameterError, Problem
from .interviews import ID_RE, coder_slug

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


# --------------------------------------------------------------------------------------- writing

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


# --------------------------------------------------------------------------------------- reading

def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="int64" if c in _INT_COLUMNS else "object") for c in COLUMNS})
    return frame


def _raw(study):
    """The whole data folder as loaded: a filtered study keeps fewer interviews, and a study made
    ready for publication (`for_publication`) has its coders pseudonymised."""
    from .study import load_study

    if getattr(study, "filters", None):
        return load_study(study.data_dir)
    loaded = load_study(study.data_dir)
    return study if set(study.interviews.coder) <= set(loaded.interviews.coder) else loaded


def _all_interviews(study):
    """The interviews of the whole data folder, with the coders as their files name them."""
    return _raw(study).interviews


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


def _read(study) -> tuple[pd.DataFrame, list[Problem], int]:
    """Every passage of the data folder as a table (`COLUMNS` plus `file`), the problems and the
    number of passage files."""
    folder = Path(study.data_dir) / PASSAGES_DIR
    if not folder.exists():
        return _empty().assign(file=pd.Series(dtype="object")), [], 0
    if not folder.is_dir():
        return _empty().assign(file=pd.Series(dtype="object")), [Problem(
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
    table = pd.DataFrame(rows, columns=[*COLUMNS, "file"]) if rows else _empty().assign(file=pd.Series(dtype="object"))
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
    table, problems, _ = _read(study)
    if problems:
        raise DataError(problems)
    return table


def passage_files(study) -> int:
    """The number of passage files in the study's data folder (0 without a passages folder)."""
    folder = Path(study.data_dir) / PASSAGES_DIR
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


# --------------------------------------------------------------------------------------- retrieving

def _norm(text) -> str:
    return " ".join(str(text).casefold().replace("_", " ").replace("-", " ").split())


def _municipality(study, value) -> str:
    munis = study.municipalities
    for row in munis.itertuples():
        if _norm(value) in {_norm(row.cbs_code), _norm(row.study_name), _norm(row.official_name)}:
            return row.cbs_code
    examples = ", ".join(f"{r.cbs_code} or {r.study_name}" for r in munis.head(2).itertuples())
    raise ParameterError(f"municipality: {value!r} is not a municipality of this study; allowed: a CBS code or "
                         f"name of municipalities.csv{' within the filter ' + repr(study.filters) if study.filters else ''}"
                         f", e.g. {examples}")


def passages(study, variable: str | None = None, code: str | None = None, *, municipality: str | None = None,
             interview: str | None = None) -> pd.DataFrame:
    """The coded passages behind the codes: the text of the interviews that a code was given to.

    Passages are kept when a REFI-QDA project is imported (``commissioning import-qdpx``), in
    ``<data dir>/passages/``. They are for exploring: no other function reads them, and a data
    folder without passages (such as the shipped reconstruction) gives an empty table.

    Parameters
    ----------
    study : Study
        A loaded data folder; a filtered study (``study.filter(region=...)``) gives the passages
        of its interviews only.
    variable : str, optional
        A variable of the codebook (``"sourcing.design"``); None for every variable.
    code : str, optional
        A code of `variable` (``"outsourced"``). Without `variable`, the passages coded `code`
        under any variable that has that code.
    municipality : str, optional
        A CBS code or a name of a municipality of the study (``"GM0518"``, ``"Den Haag"``).
    interview : str, optional
        An interview id of the study (``"GM0518-1"``).

    Returns
    -------
    DataFrame
        One row per passage, with columns `interview_id`, `municipality` (CBS code), `coder`,
        `variable`, `code`, `rank` (1 to 3 for the ranked set ``maturity.top3``, where the same
        aspect may be a first or a third priority; 0 otherwise, as in ``study.codings``),
        `source` (the document's name in the project), `start` and `end` (the positions the
        project states: Unicode characters from the start of the source's plain text, end
        exclusive) and `text` (exactly what those positions cut from the source's plain text),
        sorted by interview, coder, source and position. Empty (with these columns) when the data
        folder has no passages or the filters select none.

    Raises
    ------
    ParameterError
        For a variable, code, municipality or interview that the study does not have, naming the
        parameter, the value and what is allowed.
    DataError
        When a passage file is invalid (see `validate_passages`).

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> table = cm.passages(study, "sourcing.design", "outsourced")
    >>> list(table.columns)
    ['interview_id', 'municipality', 'coder', 'variable', 'code', 'rank', 'source', 'start', 'end', 'text']
    >>> len(table)  # the shipped reconstruction was not coded from texts: no passages
    0
    >>> cm.passages(study, "sourcing.design", "partly")
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: code: 'partly' is not allowed; allowed: in_house, mixed, outsourced
    """
    codebook = study.codebook
    if variable is not None and (not isinstance(variable, str) or variable not in codebook.variables):
        raise ParameterError(f"variable: {variable!r} is not a variable of the codebook; allowed: "
                             f"{', '.join(codebook.variables)}")
    if code is not None:
        if variable is not None:
            codebook.check_code(variable, code, name="code")
        elif not any(code in v.codes for v in codebook.variables.values()):
            raise ParameterError(f"code: {code!r} is not a code of any variable of the codebook; allowed: a code "
                                 "of a variable (see `commissioning codebook`), best given with its variable")
    muni = _municipality(study, municipality) if municipality is not None else None
    if interview is not None and interview not in set(study.interviews.interview_id):
        known = sorted(set(study.interviews.interview_id))
        raise ParameterError(f"interview: {interview!r} is not an interview of this study; allowed: an interview "
                             f"id of interviews/" + (f", e.g. {', '.join(known[:3])}" if known else " (there are none)"))
    table, problems, _ = _read(study)
    if problems:
        raise DataError(problems)
    raw = _raw(study)
    if raw is not study and not set(study.interviews.coder) <= set(raw.interviews.coder):
        from ..disclosure.protection import pseudonyms

        table["coder"] = table["coder"].map(pseudonyms(raw))  # as the study (for publication) names them
    keep = pd.Series(True, index=table.index)
    if study.filters or raw is not study:
        wanted = set(zip(study.interviews.interview_id, study.interviews.coder))
        keep &= pd.Series([(i, c) in wanted for i, c in zip(table.interview_id, table.coder)], index=table.index,
                          dtype=bool)
    if variable is not None:
        keep &= table.variable == variable
    if code is not None:
        keep &= table.code == code
    if muni is not None:
        keep &= table.municipality == muni
    if interview is not None:
        keep &= table.interview_id == interview
    out = table.loc[keep, COLUMNS].sort_values(["interview_id", "coder", "source", "start", "end", "variable", "code",
                                                "rank"], kind="stable")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------- showing

_TEXT = {
    "en": {
        "none_files": "There are no passages to show: the data folder has no passage files (passages/).",
        "not_observed": " Its values were not coded from interview texts (their basis is reported, derived or "
                        "imputed, as in a reconstruction such as the shipped data), so no text lies behind them.",
        "how": " Passages are kept when coded interviews are imported from a QDA tool with "
               "`commissioning import-qdpx`.",
        "none_selected": "No passage of this selection is coded {what}; the data folder holds {n_all} in all.",
        "none_selected_published": "No passage of this selection is coded {what}.",
        "found": "{n} {are} coded {what}, from {k} in {m}.",
        "withheld": "Passages are coded {what}; how many, and their text, is withheld in a published report.",
        "are": ("is", "are"),
        "code": "{label}", "code_only": "'{code}' (under any variable)",
        "passage": ("passage", "passages"), "interview": ("interview", "interviews"),
        "municipality": ("municipality", "municipalities"),
        "any": "with any code", "under": "under {label}",
        "coder": "coder", "source": "source", "characters": "characters",
    },
    "nl": {
        "none_files": "Er zijn geen passages om te tonen: de datamap heeft geen passagebestanden (passages/).",
        "not_observed": " De waarden zijn niet uit interviewteksten gecodeerd (hun basis is gerapporteerd, afgeleid "
                        "of geïmputeerd, zoals in een reconstructie als de meegeleverde data), dus er ligt geen "
                        "tekst achter.",
        "how": " Passages worden bewaard wanneer gecodeerde interviews uit een QDA-programma worden geïmporteerd "
               "met `commissioning import-qdpx`.",
        "none_selected": "Geen passage van deze selectie is gecodeerd {what}; de datamap bevat er in totaal {n_all}.",
        "none_selected_published": "Geen passage van deze selectie is gecodeerd {what}.",
        "found": "{n} {are} gecodeerd {what}, uit {k} in {m}.",
        "withheld": "Er zijn passages gecodeerd {what}; hoeveel, en hun tekst, wordt in een gepubliceerd rapport niet "
                    "getoond.",
        "are": ("is", "zijn"),
        "code": "als {label}", "code_only": "als '{code}' (onder een willekeurige variabele)",
        "passage": ("passage", "passages"), "interview": ("interview", "interviews"),
        "municipality": ("gemeente", "gemeenten"),
        "any": "met een willekeurige code", "under": "onder {label}",
        "coder": "codeur", "source": "bron", "characters": "tekens",
    },
}


def _count(n: int, word: tuple[str, str]) -> str:
    return f"{n} {word[0] if n == 1 else word[1]}"


def _what(study, variable, code, lang) -> str:
    t = _TEXT[lang]
    if variable is None and code is None:
        return t["any"]
    if variable is None:
        return t["code_only"].format(code=code)
    label = study.label(variable, lang=lang)
    if code is None:
        return t["under"].format(label=f"'{label}' ({variable})")
    return t["code"].format(label=f"'{label}: {study.label(variable, code, lang=lang)}' ({variable} = {code})")


def passages_summary(study, table: pd.DataFrame, variable: str | None = None, code: str | None = None, *,
                     lang: str = "en", publish: bool = False) -> str:
    """One sentence on the passages found, or on why there are none, in English or Dutch.

    Parameters
    ----------
    study : Study
    table : DataFrame
        What ``cm.passages(study, variable, code, ...)`` returned.
    variable, code : str, optional
        The variable and code `table` was selected by (to name them).
    lang : {"en", "nl"}
    publish : bool
        For a published report: give the number of passages only and say that their text is
        withheld.

    Returns
    -------
    str
        Without passage files: that there are none, and why (the values were not coded from
        texts, or how to keep passages). With passage files but none selected: that none matches.
        Otherwise the number of passages, interviews and municipalities (only the number of
        passages when `publish`).

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> table = cm.passages(study, "sourcing.design", "outsourced")
    >>> print(cm.passages_summary(study, table, "sourcing.design", "outsourced"))  # doctest: +NORMALIZE_WHITESPACE
    There are no passages to show: the data folder has no passage files (passages/). Its values were not coded
    from interview texts (their basis is reported, derived or imputed, as in a reconstruction such as the shipped
    data), so no text lies behind them.
    """
    check_lang(lang)
    t = _TEXT[lang]
    what = _what(study, variable, code, lang)
    if len(table) == 0:
        everything, _, n_files = _read(study)
        if n_files == 0:
            from ..analysis.units import unit_values  # one coder per interview, as every result

            values = unit_values(study, unit="natural") if len(study.codings) else None
            observed = bool((values["basis"] == "observed").any()) if values is not None else False
            return t["none_files"] + (t["how"] if observed else t["not_observed"])
        if publish:
            return t["none_selected_published"].format(what=what)
        return t["none_selected"].format(what=what, n_all=_count(len(everything), t["passage"]))
    n = _count(len(table), t["passage"])
    are = t["are"][0 if len(table) == 1 else 1]
    if publish:
        return t["withheld"].format(n=n, are=are, what=what)
    k = _count(table.interview_id.nunique(), t["interview"])
    m = _count(table.municipality.nunique(), t["municipality"])
    return t["found"].format(n=n, are=are, what=what, k=k, m=m)


def passages_by_size_class(study, table: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """Passages grouped by the size class of their municipality, largest class first.

    Parameters
    ----------
    study : Study
    table : DataFrame
        What ``cm.passages(study, ...)`` returned.
    lang : {"en", "nl"}
        Language of the size-class labels.

    Returns
    -------
    DataFrame
        The columns of `table` after `size_class` (code), `size_class_label` and
        `municipality_name` (the name the study prints), sorted by size class (very large
        first, as in Table 1), municipality, interview, coder, source and position.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> list(cm.passages_by_size_class(study, cm.passages(study)).columns[:3])
    ['size_class', 'size_class_label', 'municipality_name']
    """
    check_lang(lang)
    attr = study.codebook.attributes["size_class"]
    order = {c: i for i, c in enumerate(reversed(list(attr.codes)))}
    munis = study.municipalities.set_index("cbs_code")
    out = table.copy()
    size = out.municipality.map(munis["size_class"]).astype("object")
    out.insert(0, "municipality_name", out.municipality.map(munis["study_name"]).astype("object"))
    out.insert(0, "size_class_label", size.map(lambda c: attr.codes[c][lang] if c in attr.codes else c).astype("object"))
    out.insert(0, "size_class", size)
    out["_order"] = out.size_class.map(order)
    out = out.sort_values(["_order", "municipality_name", "interview_id", "coder", "source", "start", "end"],
                          kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def _printable(text: str) -> str:
    """The text as a terminal shows it safely: CR LF and CR as line ends, other control characters escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c if c in "\n\t" or unicodedata.category(c) != "Cc" else f"\\x{ord(c):02x}" for c in text)


def _wrap(text: str, width: int, indent: str) -> list[str]:
    lines = []
    for line in _printable(text).split("\n"):
        if line.strip():
            lines.extend(textwrap.wrap(line, width=width, initial_indent=indent, subsequent_indent=indent,
                                       break_on_hyphens=False) or [indent])
        elif lines and lines[-1] != "":
            lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    return lines or [indent + "(empty)"]


def format_passages(table: pd.DataFrame, *, width: int = 88, by: str | None = None, lang: str = "en") -> str:
    """Passages as text to read: each headed by its interview, coder, source and positions, then
    its variable and code, then its text wrapped to `width` characters.

    Parameters
    ----------
    table : DataFrame
        What `passages` or `passages_by_size_class` returned (with `municipality_name`, the
        heading names the municipality).
    width : int
        Line width (at least 20).
    by : str, optional
        A column of `table` to group by, with a heading per group in the order of the table
        (e.g. ``"size_class_label"``).
    lang : {"en", "nl"}

    Returns
    -------
    str
        The text; empty when `table` is empty. Line ends in a passage are kept (CR LF shown as
        a line end), long lines are wrapped and control characters are escaped: the exact text
        is in `table`.

    Examples
    --------
    >>> import pandas as pd, commissioning as cm
    >>> row = dict(interview_id="GM0518-1", municipality="GM0518", coder="ab", variable="sourcing.design",
    ...            code="outsourced", rank=0, source="Interview.txt", start=10, end=48,
    ...            text="Het ontwerp laten we altijd uitvoeren.")
    >>> print(cm.format_passages(pd.DataFrame([row]), width=40))
    GM0518-1, coder ab, source 'Interview.txt', characters 10-48
      sourcing.design = outsourced
        Het ontwerp laten we altijd
        uitvoeren.
    """
    check_lang(lang)
    if isinstance(width, bool) or not isinstance(width, int) or width < 20:
        raise ParameterError(f"width: {width!r} is not allowed; allowed: a whole number of characters, 20 or more")
    if by is not None and by not in table.columns:
        raise ParameterError(f"by: {by!r} is not a column of the table; allowed: {', '.join(map(str, table.columns))}")
    t = _TEXT[lang]
    out: list[str] = []
    group = object()
    for row in table.to_dict("records"):
        if by is not None and row[by] != group:
            group = row[by]
            if out and out[-1] != "":
                out.append("")
            out.extend([f"== {_printable(str(group))} ==", ""])
        place = f"{row['interview_id']} ({row['municipality_name']})" if "municipality_name" in row else row["interview_id"]
        rank = f", rank {row['rank']}" if row.get("rank") else ""
        out.append(f"{_printable(place)}, {t['coder']} {_printable(str(row['coder']))}, {t['source']} "
                   f"{_printable(repr(row['source']))}, {t['characters']} {row['start']}-{row['end']}")
        out.append(f"  {row['variable']} = {row['code']}{rank}")
        out.extend(_wrap(row["text"], width, "    "))
        out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
