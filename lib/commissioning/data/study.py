"""Load and validate a data directory into a `Study`."""

from __future__ import annotations

import gc
import hashlib
import os
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from . import cache as _cache
from .reader import load_data, load_yaml, read_text
from .codebook import Codebook, load_codebook
from ..core import check_lang, frame_digest, remember, Unkeyable
from ..errors import DataError, ParameterError, Problem
from .consistency import check_municipality_level, check_coherence
from .files import RECORD_NAME, combine_digests, default_data_dir, file_digest, file_digests, suite_file  # noqa: F401
from .interviews import parse_interview
from .municipalities import CBS_RE, DATE_RE, MUNICIPALITY_COLUMNS, read_municipalities  # noqa: F401

__all__ = [  # the public API, then the names kept for code that used them from here
    "CODING_COLUMNS", "Study", "load_study", "memo", "one_coder", "study_key", "variable_rows",
    "CBS_RE", "DATE_RE", "MUNICIPALITY_COLUMNS", "check_coherence", "default_data_dir", "file_digests",
    "read_municipalities", "suite_file", "check_municipality_level",
]

CODING_COLUMNS = ["interview_id", "coder", "municipality", "region", "size_class", "variable", "code",
                  "rank", "basis", "section", "constraint"]


memo = remember  # the per-table memo, under the name the analyses use


def _file_digest(path) -> str:
    return file_digest(path) if os.path.isfile(path) else "missing"


def study_key(study) -> tuple:
    """What a `Study` is made of, as a hashable key for the in-process memo (`core.memo`): its
    fingerprint, filters, data directory, digests of its three tables and codebook, and the
    digests of the suite files its analyses read (claims, quantifiers, constraints).

    Returns
    -------
    tuple
        Equal for two studies loaded separately from the same files with the same filters;
        different when a value, a filter, the codebook or a suite file differs.

    Examples
    --------
    >>> import commissioning as cm
    >>> study_key(cm.load_study()) == study_key(cm.load_study())
    True
    >>> study_key(cm.load_study()) == study_key(cm.load_study().filter(region="Zuid"))
    False
    """
    codebook = remember(study.codebook, "_memo_digest",
                        lambda: hashlib.sha256(repr(study.codebook).encode()).hexdigest())
    suite_files = tuple(_file_digest(suite_file(study.data_dir, name))
                        for name in ("claims.yaml", "quantifiers.csv", "constraints.yaml"))
    return ("Study", study.fingerprint, tuple(sorted((k, str(v)) for k, v in study.filters.items())),
            str(study.data_dir), frame_digest(study.municipalities), frame_digest(study.interviews),
            frame_digest(study.codings), codebook, suite_files)


def one_coder(codings: pd.DataFrame) -> pd.DataFrame:
    """The codings with one coder per interview: where several coders coded an interview, the
    first coder in alphabetical order. Analyses count an interview once; agreement between
    coders is analysed separately (`cm.agreement_table`).

    Returns
    -------
    DataFrame
        `codings` itself when no interview has a second coder.

    Examples
    --------
    >>> import pandas as pd
    >>> codings = pd.DataFrame({"interview_id": ["GM0518-1", "GM0518-1", "GM0106-1"],
    ...                         "coder": ["cd", "ab", "cd"], "code": ["mixed", "in_house", "outsourced"]})
    >>> one_coder(codings).values.tolist()
    [['GM0518-1', 'ab', 'in_house'], ['GM0106-1', 'cd', 'outsourced']]
    """
    def compute():
        if codings.empty or codings.groupby("interview_id")["coder"].nunique().max() <= 1:
            return codings
        first = codings.groupby("interview_id")["coder"].transform("min")
        return codings[codings["coder"] == first].reset_index(drop=True)

    return memo(codings, "one_coder", compute)


def variable_rows(codings: pd.DataFrame, variable: str) -> pd.DataFrame:
    """The rows of `codings` for one variable (split once per table, then looked up).

    Returns
    -------
    DataFrame
        With the index of `codings`; no rows for a variable without codings.

    Examples
    --------
    >>> import commissioning as cm
    >>> codings = cm.load_study().codings
    >>> variable_rows(codings, "sourcing.design").groupby("code").size().to_dict()
    {'in_house': 10, 'mixed': 9, 'outsourced': 5}
    >>> len(variable_rows(codings, "no.such_variable"))
    0
    """
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

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> study.n_interviews, len(study.municipalities), study.filters
    (24, 18, {})
    >>> study.label("sourcing.design", "outsourced", lang="nl")
    'Uitbesteed'
    """

    municipalities: pd.DataFrame
    interviews: pd.DataFrame
    codings: pd.DataFrame
    codebook: Codebook
    data_dir: Path
    filters: dict
    fingerprint: str = ""
    whole: "Study | None" = field(default=None, repr=False, compare=False)  # the study before `filter`

    def __memo_key__(self) -> tuple:
        """The study's key in the in-process memo (`study_key`); a study not loaded from files (a
        reconstruction drawn in memory) has none, and calls with it are simply computed."""
        if not self.fingerprint:
            raise Unkeyable("Study without fingerprint")
        return study_key(self)

    def filter(self, *, region: str | None = None, size_class: str | None = None) -> "Study":
        """Keep only municipalities of `region` and/or `size_class` (codes of the codebook; a size
        class may also be several joined by "+", as publishing merges them: "large+very_large").

        Raises ParameterError for a code outside the codebook or a selection with no municipality.

        Returns
        -------
        Study
            A new study with the selected municipalities, their interviews and codings, and the
            filters applied so far in `filters`; this study is unchanged.

        Examples
        --------
        >>> import commissioning as cm
        >>> zuid = cm.load_study().filter(region="Zuid")
        >>> zuid.municipalities["region"].unique().tolist(), zuid.filters, zuid.n_interviews
        (['Zuid'], {'region': 'Zuid'}, 7)
        """
        keep = pd.Series(True, index=self.municipalities.index)
        for name, value in (("region", region), ("size_class", size_class)):
            if value is None:
                continue
            codes = [value]
            if name == "size_class" and isinstance(value, str) and "+" in value \
                    and value not in self.codebook.attributes["size_class"].codes:
                codes = value.split("+")  # size classes merged for publication, e.g. large+very_large
            for code in codes:
                self.codebook.check_code(name, code, name=name)
            keep &= self.municipalities[name].isin(codes)
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
            whole=self.whole if self.whole is not None else self,
        )

    def label(self, var_id: str, code: str | None = None, lang: str = "en") -> str:
        """Label of a variable, or of one of its codes, in `lang`.

        Returns
        -------
        str
            The variable's label when `code` is None, else the code's label.

        Examples
        --------
        >>> import commissioning as cm
        >>> study = cm.load_study()
        >>> study.label("agenda.carrier"), study.label("sourcing.design", "mixed")
        ('Where work on commissioning belongs', 'Mixed')
        """
        check_lang(lang)
        if code is None:
            return self.codebook.label(var_id, lang)
        return self.codebook.code_label(var_id, code, lang)

    @property
    def n_interviews(self) -> int:
        """The number of distinct interviews (0 for a study without interviews)."""
        return int(self.interviews.interview_id.nunique()) if len(self.interviews) else 0


# Caches for repeated loads of unchanged files, keyed on content: the whole Study per data
# directory (by the fingerprint of every file), and each parsed interview file (by its digest).
# Across processes, `_cache` keeps the loaded tables on disk under a key of every file's digest.
_STUDY_CACHE: dict[Path, tuple[str, "Study"]] = {}
_FILE_CACHE: dict[tuple, object] = {}


def forget_loaded() -> None:
    """Drop the studies and parsed files this process keeps, so that the next load reads the disk
    cache or the files (the disk cache stays)."""
    _STUDY_CACHE.clear()
    _FILE_CACHE.clear()


def files_parsed() -> int:
    """How many parsed interview files this process keeps (0 after a load from the disk cache)."""
    return len(_FILE_CACHE)


def _fresh_view(study: "Study") -> "Study":
    """The cached Study with new DataFrame objects, so that a caller's changes stay its own."""
    return replace(study, municipalities=study.municipalities.copy(deep=False),
                   interviews=study.interviews.copy(deep=False), codings=study.codings.copy(deep=False))


def _interview_files(folder: Path) -> list[Path]:
    """The interview files of a folder: not hidden files, nor the reconstruction's record (data.origin)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.name != RECORD_NAME)


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
    signature = combine_digests(digests)
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
        problems.extend(check_municipality_level(interviews, codebook))
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
