"""Load and validate a data directory into a `Study`."""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from . import cache as _cache
from .reader import load_data, load_yaml, read_text
from .codebook import Codebook, load_codebook
from ..core.checks import check_lang
from ..errors import DataError, ParameterError, Problem
from .files import _combine, default_data_dir, file_digests, fingerprint, suite_file  # noqa: F401
from .interviews import parse_interview

MUNICIPALITY_COLUMNS = (
    "cbs_code", "study_name", "official_name", "province", "region", "size_class",
    "population", "population_date", "partner_cbs_code", "partner_official_name", "note",
)
CBS_RE = re.compile(r"^GM\d{4}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CODING_COLUMNS = ["interview_id", "coder", "municipality", "region", "size_class", "variable", "code",
                  "rank", "basis", "section", "constraint"]


_MEMO: dict[int, dict] = {}


def memo(frame: pd.DataFrame, name: str, compute):
    """`compute()` remembered for the life of `frame` (the suite never changes a loaded table in
    place, so what is derived from one can be reused: a crosstab per variable of 10,000
    interviews then costs milliseconds, not a pass over half a million rows)."""
    import weakref

    key = id(frame)
    store = _MEMO.get(key)
    if store is None:
        store = _MEMO[key] = {}
        weakref.finalize(frame, _MEMO.pop, key, None)
    if name not in store:
        store[name] = compute()
    return store[name]


def one_coder(codings: pd.DataFrame) -> pd.DataFrame:
    """The codings with one coder per interview: where several coders coded an interview, the
    first coder in alphabetical order. Analyses count an interview once; agreement between
    coders is analysed separately (`cm.agreement_table`)."""
    def compute():
        if codings.empty or codings.groupby("interview_id")["coder"].nunique().max() <= 1:
            return codings
        first = codings.groupby("interview_id")["coder"].transform("min")
        return codings[codings["coder"] == first].reset_index(drop=True)

    return memo(codings, "one_coder", compute)


def variable_rows(codings: pd.DataFrame, variable: str) -> pd.DataFrame:
    """The rows of `codings` for one variable (split once per table, then looked up)."""
    split = memo(codings, "by_variable", lambda: {v: g for v, g in codings.groupby("variable", sort=False)})
    return split.get(variable, codings.iloc[:0])


@dataclass(frozen=True)
class Study:
    """A loaded, validated data directory.

    Attributes
    ----------
    municipalities : DataFrame
        One row per municipality with the columns of municipalities.csv and `n_interviews`
        (derived from the interview files).
    interviews : DataFrame
        One row per coded interview: `interview_id`, `coder`, `municipality`, `region`,
        `size_class`, `respondent_role`, `file`, `notes`.
    codings : DataFrame
        Tidy, one row per interview x variable x code, with columns
        `interview_id, coder, municipality, region, size_class, variable, code, rank, basis,
        section, constraint`. `rank` is 1..n for ranked sets, 0 otherwise.
    codebook : Codebook
    data_dir : Path
    filters : dict
        The region and size-class filters applied (None when not filtered).
    """

    municipalities: pd.DataFrame
    interviews: pd.DataFrame
    codings: pd.DataFrame
    codebook: Codebook
    data_dir: Path
    filters: dict
    fingerprint: str = ""

    def filter(self, *, region: str | None = None, size_class: str | None = None) -> "Study":
        """Keep only municipalities of `region` and/or `size_class` (codes of the codebook).

        Raises ParameterError for a code outside the codebook or a selection with no municipality.

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.load_study().filter(region="Zuid").municipalities["region"].unique().tolist()
        ['Zuid']
        """
        keep = pd.Series(True, index=self.municipalities.index)
        for name, value in (("region", region), ("size_class", size_class)):
            if value is None:
                continue
            self.codebook.check_code(name, value, name=name)
            keep &= self.municipalities[name] == value
        if not keep.any():
            raise ParameterError(
                "region, size_class", (region, size_class), problem="selects no municipality",
                allowed="a combination present: " + ", ".join(
                    sorted({f"{r}/{s}" for r, s in zip(self.municipalities.region, self.municipalities.size_class)})))
        munis = self.municipalities[keep].reset_index(drop=True)
        codes = set(munis.cbs_code)
        filters = dict(self.filters)
        if region is not None:
            filters["region"] = region
        if size_class is not None:
            filters["size_class"] = size_class
        return replace(
            self,
            municipalities=munis,
            interviews=self.interviews[self.interviews.municipality.isin(codes)].reset_index(drop=True),
            codings=self.codings[self.codings.municipality.isin(codes)].reset_index(drop=True),
            filters=filters,
        )

    def label(self, var_id: str, code: str | None = None, lang: str = "en") -> str:
        """Label of a variable, or of one of its codes, in `lang`."""
        check_lang(lang)
        if code is None:
            return self.codebook.label(var_id, lang)
        return self.codebook.code_label(var_id, code, lang)

    @property
    def n_interviews(self) -> int:
        return int(self.interviews.interview_id.nunique()) if len(self.interviews) else 0


def read_municipalities(path: Path, codebook: Codebook) -> tuple[pd.DataFrame | None, list[Problem]]:
    display = "municipalities.csv"
    if not path.is_file():
        return None, [Problem(display, "", "is missing", allowed="a municipalities.csv in the data directory")]
    text, problems = read_text(path, display)
    if problems:
        return None, problems
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        return None, [Problem(display, "line 1", "is empty", allowed="a header line: " + ",".join(MUNICIPALITY_COLUMNS))]
    header = [h.strip() for h in rows[0]]
    missing = [c for c in MUNICIPALITY_COLUMNS if c not in header]
    extra = [c for c in header if c not in MUNICIPALITY_COLUMNS]
    if missing or extra:
        for c in missing:
            problems.append(Problem(display, "line 1", f"lacks the column {c!r}", allowed=",".join(MUNICIPALITY_COLUMNS)))
        for c in extra:
            problems.append(Problem(display, "line 1", "has an unknown column", value=c, allowed=",".join(MUNICIPALITY_COLUMNS)))
        return None, problems
    records = []
    seen: dict[str, int] = {}
    regions = codebook.attributes["region"].codes
    sizes = codebook.attributes["size_class"].codes
    for lineno, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(display, f"line {lineno}", f"has {len(row)} fields instead of {len(header)}",
                                    allowed="one field per column; quote a field that contains a comma"))
            continue
        rec = dict(zip(header, (cell.strip() for cell in row)))

        def bad(col, message, allowed=""):
            problems.append(Problem(display, f"line {lineno}, column {col!r}", message, value=rec[col], allowed=allowed))

        code = rec["cbs_code"]
        if not CBS_RE.match(code):
            bad("cbs_code", "is not a CBS municipality code", "GM followed by four digits, e.g. GM0518")
        elif code in seen:
            bad("cbs_code", f"duplicates the code of line {seen[code]}", "each municipality once")
        else:
            seen[code] = lineno
        if rec["partner_cbs_code"] and not CBS_RE.match(rec["partner_cbs_code"]):
            bad("partner_cbs_code", "is not a CBS municipality code", "empty, or GM followed by four digits")
        for col in ("study_name", "official_name", "province"):
            if not rec[col]:
                bad(col, "is empty", "a name")
        if rec["region"] not in regions:
            bad("region", "is not a region of the codebook", ", ".join(regions))
        if rec["size_class"] not in sizes:
            bad("size_class", "is not a size class of the codebook", ", ".join(sizes))
        pop = None
        if re.fullmatch(r"\d+", rec["population"]) and int(rec["population"]) > 0:
            pop = int(rec["population"])
        else:
            bad("population", "is not a positive whole number", "digits only, e.g. 519988")
        if not DATE_RE.match(rec["population_date"]):
            bad("population_date", "is not a date", "YYYY-MM-DD, e.g. 2016-01-01")
        if pop is not None and rec["size_class"] in sizes:
            expected = codebook.size_class_of(pop)
            if expected != rec["size_class"]:
                thr = codebook.attributes["size_class"].extra["thresholds"]
                bad("size_class", f"does not match the population {pop} (which is in class {expected!r})",
                    "; ".join(f"{k} from {v}" for k, v in thr.items()))
        rec["population"] = pop
        records.append(rec)
    if not records and not problems:
        problems.append(Problem(display, "", "has no municipality rows", allowed="one row per municipality"))
    if problems:
        return None, problems
    df = pd.DataFrame.from_records(records, columns=list(MUNICIPALITY_COLUMNS))
    df["population"] = df["population"].astype("int64")
    return df, []


# Caches for repeated loads of unchanged files, keyed on content: the whole Study per data
# directory (by the fingerprint of every file), and each parsed interview file (by its digest).
# Across processes, `_cache` keeps the loaded tables on disk under a key of every file's digest.
_STUDY_CACHE: dict[Path, tuple[str, "Study"]] = {}
_FILE_CACHE: dict[tuple, object] = {}


def _fresh_view(study: "Study") -> "Study":
    """The cached Study with new DataFrame objects, so that a caller's changes stay its own."""
    return replace(study, municipalities=study.municipalities.copy(deep=False),
                   interviews=study.interviews.copy(deep=False), codings=study.codings.copy(deep=False))


def _interview_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def load_study(data_dir: str | os.PathLike | None = None) -> Study:
    """Load and validate a data directory.

    Parameters
    ----------
    data_dir : path, optional
        A folder with codebook.yaml, municipalities.csv and interviews/. None means the
        shipped data.

    Returns
    -------
    Study

    Raises
    ------
    DataError
        Listing every problem found, each with file, line or key, value and what is allowed.

    Notes
    -----
    A load of a folder whose files (and the library) are unchanged since an earlier load, in
    this process or another, reads the study from a cache instead of parsing every file again:
    in memory within a process, on disk across processes (in ``$COMMISSIONING_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/commissioning``, else ``~/.cache/commissioning``; safe to delete;
    ``COMMISSIONING_NO_CACHE=1`` switches the disk cache off). Only a folder that loaded
    without problems is cached.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> len(study.municipalities)
    18
    """
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), "", "is not a directory",
                                 allowed="a data directory with codebook.yaml, municipalities.csv and interviews/")])
    if not any(data_dir.iterdir()):
        raise DataError([Problem(str(data_dir), "", "is empty",
                                 allowed="a data directory with codebook.yaml, municipalities.csv and interviews/")])
    cache_key = data_dir.resolve()
    digests = file_digests(data_dir)
    signature = _combine(digests)
    cached = _STUDY_CACHE.get(cache_key)
    if cached is not None and cached[0] == signature:
        return _fresh_view(cached[1])
    disk_key = _cache.study_key(digests)
    tables = _cache.read(data_dir, disk_key, ("municipalities", "interviews", "codings"))
    if tables is not None:  # the codebook is one small file: parsed again rather than stored
        study = Study(tables["municipalities"], tables["interviews"], tables["codings"],
                      load_codebook(data_dir / "codebook.yaml"), data_dir, {}, signature)
        _STUDY_CACHE[cache_key] = (signature, study)
        return _fresh_view(study)
    codebook = load_codebook(data_dir / "codebook.yaml")
    munis, problems = read_municipalities(data_dir / "municipalities.csv", codebook)
    if munis is None:
        raise DataError(problems)
    known = set(munis.cbs_code)
    # a parsed file stays valid while its content, the codebook and the municipalities are unchanged
    context = digests.get("codebook.yaml", "") + digests.get("municipalities.csv", "")
    # Parsing makes millions of small objects that live on and form no cycles: the cyclic garbage
    # collector would scan them again and again (a quarter of a large load) and free nothing.
    with _collector_paused():
        interviews = []
        seen: dict[tuple, str] = {}
        folder = data_dir / "interviews"
        for path in _interview_files(folder):
            display = f"interviews/{path.name}"
            if path.suffix not in (".yaml", ".yml"):
                problems.append(Problem(display, "", "is not an interview file", value=path.suffix,
                                        allowed="files named <interview_id>.yaml"))
                continue
            parsed = _parse_cached(path, display, codebook, known, (digests.get(display), context))
            if isinstance(parsed, list):
                problems.extend(parsed)
                continue
            key = (parsed.interview_id, parsed.coder)
            if key in seen:
                problems.append(Problem(display, "key 'interview_id'", f"duplicates the interview of {seen[key]} (same id and coder)",
                                        value=parsed.interview_id, allowed="each interview once per coder"))
                continue
            seen[key] = display
            interviews.append(parsed)
        problems.extend(_check_municipality_level(interviews, codebook))
        problems.extend(check_coherence(interviews, codebook))
        if problems:
            raise DataError(problems)
        study = _assemble(munis, interviews, codebook, data_dir, signature)
        _STUDY_CACHE[cache_key] = (signature, study)
        _cache.write(data_dir, disk_key, {"municipalities": study.municipalities, "interviews": study.interviews,
                                          "codings": study.codings})
    return _fresh_view(study)


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector (reference counting still frees memory)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _parse_cached(path, display, codebook, known, context):
    """Parse and check one interview file; a file with the same content under the same codebook
    and municipalities is taken from the cache."""
    cache_key = (display, context)
    if cache_key in _FILE_CACHE:
        return _FILE_CACHE[cache_key]
    result = _parse_file(path, display, codebook, known)
    _FILE_CACHE[cache_key] = result
    return result


def _parse_file(path, display, codebook, known):
    """An Interview, or the list of problems of the file.

    A file is first parsed by libyaml without keeping lines (as fast as YAML can be read); only
    a file with a problem is parsed again keeping the line of every key, so that every message
    names its line."""
    text, problems = read_text(path, display)
    if problems:
        return problems
    stem = path.name.rsplit(".", 1)[0]
    data = load_data(text)
    if isinstance(data, dict):
        parsed, problems = parse_interview(data, {}, display, stem, codebook, known)
        if not problems:
            return parsed
    data, lines, problems = load_yaml(text, display)
    if not problems:
        parsed, problems = parse_interview(data, lines, display, stem, codebook, known)
    return problems if problems else parsed


def _codings_table(interviews, attrs) -> pd.DataFrame:
    """The tidy codings (CODING_COLUMNS), built column by column: one array per column rather
    than one tuple per coded value."""
    per_file = [len(i.rows) for i in interviews]
    if not sum(per_file):
        codings = pd.DataFrame([], columns=[c for c in CODING_COLUMNS if c not in ("region", "size_class")])
        codings.insert(3, "region", codings.municipality.map(attrs.region))
        codings.insert(4, "size_class", codings.municipality.map(attrs.size_class))
        codings["rank"] = codings["rank"].astype("int64")
        return codings
    region, size_class = dict(zip(attrs.index, attrs.region)), dict(zip(attrs.index, attrs.size_class))

    def repeat(values):
        return np.repeat(np.array(values, dtype=object), per_file)

    var, code, rank, basis, section, constraint = zip(*(row for i in interviews for row in i.rows))
    munis = [i.municipality for i in interviews]
    columns = {
        "interview_id": repeat([i.interview_id for i in interviews]),
        "coder": repeat([i.coder for i in interviews]),
        "municipality": repeat(munis),
        "region": repeat([region[m] for m in munis]),
        "size_class": repeat([size_class[m] for m in munis]),
        "variable": var, "code": code, "rank": np.array(rank, dtype=np.int64), "basis": basis,
        "section": section, "constraint": constraint,
    }
    return pd.DataFrame({c: columns[c] for c in CODING_COLUMNS})  # dtypes inferred, as from rows


def _check_municipality_level(interviews, codebook) -> list[Problem]:
    """Variables with per_interview: false must be coded alike in every interview of a municipality."""
    problems = []
    muni_level = {v.id for v in codebook.variables.values() if not v.per_interview}
    first: dict[tuple, tuple] = {}
    for itv in interviews:
        for var_id, code, *_ in itv.rows:
            if var_id not in muni_level:
                continue
            key = (itv.municipality, itv.coder, var_id)
            if key in first and first[key][0] != code:
                problems.append(Problem(
                    itv.file, f"key 'values.{var_id}'",
                    f"differs from {first[key][1]} for the same municipality; this variable is a fact about the "
                    "municipality (per_interview: false)", value=code, allowed=repr(first[key][0])))
            first.setdefault(key, (code, itv.file))
    return problems


def check_coherence(interviews, codebook) -> list[Problem]:
    """The codebook's coherence rules (`Codebook.coherence`) in every interview file: a problem per
    file and rule broken, naming both keys, both values and the rule with its reason.

    The rules are measured by the rule layer (`commissioning.analysis.rules.implies_violations`) on a table
    with one unit per file, so that each coder's file is checked as written.
    """
    import numpy as np

    from ..rules import Space, UnitTable, implies_violations

    rules = list(codebook.coherence)
    if not rules or not interviews:
        return []
    n = len(interviews)
    munis = np.array([i.municipality for i in interviews], dtype=object)
    space = Space("interview", np.arange(n), munis, np.full(n, "", dtype=object), np.full(n, "", dtype=object))
    needed = {x["variable"] for spec in rules for x in (spec["if"], spec["then"])}
    values = {v: np.full((1, n), -1, dtype=np.int64) for v in needed}
    index = {v: {c: k for k, c in enumerate(codebook.variables[v].code_list)} for v in needed}
    for i, itv in enumerate(interviews):
        for var, code, *_ in itv.rows:
            if var in values:
                values[var][0, i] = index[var].get(code, -1)
    table = UnitTable(codebook, {"interview": space, "municipality": space}, {v: "interview" for v in needed}, values)
    problems = []
    for spec in rules:
        bad = implies_violations(table, spec)[0]
        a, b = spec["if"], spec["then"]
        for i in np.flatnonzero(bad):
            code_a = codebook.variables[a["variable"]].code_list[values[a["variable"]][0, i]]
            code_b = codebook.variables[b["variable"]].code_list[values[b["variable"]][0, i]]
            problems.append(Problem(
                interviews[i].file, f"keys 'values.{a['variable']}' and 'values.{b['variable']}'",
                f"break the coherence rule {spec['id']!r} of the codebook: {spec['reason'].get('en', '')}",
                value=f"{code_a} and {code_b}",
                allowed=f"when {a['variable']} is {' or '.join(a['codes'])}, {b['variable']} is "
                        f"{' or '.join(b['codes'])}"))
    return problems


def _assemble(munis, interviews, codebook, data_dir, fingerprint_: str) -> Study:
    attrs = munis.set_index("cbs_code")[["region", "size_class"]]
    codings = _codings_table(interviews, attrs)
    itv = pd.DataFrame(
        [(i.interview_id, i.coder, i.municipality, i.respondent_role, i.file, i.notes) for i in interviews],
        columns=["interview_id", "coder", "municipality", "respondent_role", "file", "notes"],
    )
    itv.insert(3, "region", itv.municipality.map(attrs.region))
    itv.insert(4, "size_class", itv.municipality.map(attrs.size_class))
    counts = itv.drop_duplicates("interview_id").groupby("municipality").size()
    munis = munis.copy()
    munis["n_interviews"] = munis.cbs_code.map(counts).fillna(0).astype("int64")
    return Study(munis, itv, codings, codebook, data_dir, {}, fingerprint_)
