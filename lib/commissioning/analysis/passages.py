"""Retrieving the passages behind the codes (kept beside the interview files; see
`commissioning.data.passages` for their files): as a table, summed up in a sentence, grouped by
size class and printed readably."""

from __future__ import annotations

import textwrap
import unicodedata

import pandas as pd

from ..core import check_lang
from ..data import COLUMNS, pseudonyms, read_passages, study_as_loaded
from ..errors import DataError, ParameterError
from .units import unit_values


def _norm(text) -> str:
    return " ".join(str(text).casefold().replace("_", " ").replace("-", " ").split())


def _municipality(study, value) -> str:
    munis = study.municipalities
    for row in munis.itertuples():
        if _norm(value) in {_norm(row.cbs_code), _norm(row.study_name), _norm(row.official_name)}:
            return row.cbs_code
    examples = ", ".join(f"{r.cbs_code} or {r.study_name}" for r in munis.head(2).itertuples())
    raise ParameterError("municipality", value, problem="is not a municipality of this study", allowed=f"a CBS code or name of municipalities.csv{(' within the filter ' + repr(study.filters) if study.filters else '')}, e.g. {examples}")


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
        raise ParameterError("variable", variable, problem="is not a variable of the codebook", allowed=codebook.variables)
    if code is not None:
        if variable is not None:
            codebook.check_code(variable, code, name="code")
        elif not any(code in v.codes for v in codebook.variables.values()):
            raise ParameterError("code", code, problem="is not a code of any variable of the codebook", allowed="a code of a variable (see `commissioning codebook`), best given with its variable")
    muni = _municipality(study, municipality) if municipality is not None else None
    if interview is not None and interview not in set(study.interviews.interview_id):
        known = sorted(set(study.interviews.interview_id))
        raise ParameterError("interview", interview, problem="is not an interview of this study", allowed="an interview id of interviews/" + (f", e.g. {', '.join(known[:3])}" if known else " (there are none)"))
    table, problems, _ = read_passages(study)
    if problems:
        raise DataError(problems)
    raw = study_as_loaded(study)
    if raw is not study and not set(study.interviews.coder) <= set(raw.interviews.coder):
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
        "none_files": "Er zijn geen passages om te tonen: de map met gegevens bevat geen bestanden met passages.",
        "not_observed": " De waarden zijn niet uit de tekst van interviews gecodeerd. Ze zijn gerapporteerd, afgeleid "
                        "of geïmputeerd, zoals in een reconstructie als de meegeleverde gegevens. Er ligt dus geen "
                        "tekst achter.",
        "how": " Passages worden bewaard wanneer gecodeerde interviews uit een QDA-programma worden ingelezen.",
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
        everything, _, n_files = read_passages(study)
        if n_files == 0:
            values = unit_values(study, unit="natural") if len(study.codings) else None  # one coder per interview, as every result
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
        raise ParameterError("width", width, allowed="a whole number of characters, 20 or more")
    if by is not None and by not in table.columns:
        raise ParameterError("by", by, problem="is not a column of the table", allowed=list(table.columns))
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
