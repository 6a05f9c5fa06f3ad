"""Importing a coded REFI-QDA project (.qdpx) as interview files (``<interview_id>.<coder>.yaml``,
basis ``observed``) and, beside the interview folder, passage files in ``passages/`` with the coded
text behind their values: every file or none is written, and an `ImportReport` lists what could
not be mapped."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..data import Codebook, PASSAGES_DIR
from ..errors import DataError, ParameterError, Problem
from .codemap import CodeMapper, unmapped_problems
from .interview_files import build_interviews, drop_clashes, file_texts, group_codings
from .project import project_error, guid_key, parse_project, read_project
from .sources import Municipalities, number_interviews, resolve_sources, apply_source_map, read_source_map

PASSAGE_REPORT_COLUMNS = ["interview_id", "coder", "n_passages", "file"]
NOT_KEPT_COLUMNS = ["interview_id", "coder", "source", "kind", "variable", "code", "reason"]
CODEBOOK_REPORT_COLUMNS = ["variable", "type", "theme", "n_codes", "label"]


@dataclass
class ImportReport:
    """What `import_qdpx` did.

    Attributes
    ----------
    project : str
        The project file's name.
    origin : str
        The exporting tool, as the project states it.
    interviews : DataFrame
        One row per interview file written: `interview_id`, `coder`, `municipality`, `sources`,
        `n_values`, `file`.
    problems : list of Problem
        Everything that could not be mapped or written, each naming the source or code.
    notes : list of str
        How ambiguous things were resolved (e.g. interview numbers taken from source names).
    passages : DataFrame
        One row per passage file written (beside the interview folder, in ``passages/``):
        `interview_id`, `coder`, `n_passages`, `file`.
    not_kept : DataFrame
        One row per coding of a written value whose passage was not kept: `interview_id`,
        `coder`, `source`, `kind` (the element coded: ``PictureSelection``, ``PDFSelection``,
        ``AudioSelection``, ``VideoSelection``, ``TranscriptSelection``, a whole source such as
        ``TextSource``, or ``PlainTextSelection`` when its text is not in the project or its
        positions fall outside it), `variable`, `code`, `reason`.
    codebook : DataFrame
        With ``--new-codebook``: one row per variable of the codebook made from the project's code
        system: `variable`, `type`, `theme`, `n_codes`, `label` (empty otherwise).
    files : list of str
        Other files written: the codebook and municipalities.csv (with ``--new-codebook``).

    Examples
    --------
    A project coded with another codebook writes nothing, and the report says why:

    >>> import pathlib, tempfile, commissioning as cm
    >>> from commissioning.run import REPO
    >>> study = cm.load_study()
    >>> report = cm.import_qdpx(REPO / "tests/fixtures/refi-qda/qc-demo.qdpx",
    ...                         pathlib.Path(tempfile.mkdtemp()) / "interviews",
    ...                         codebook=study.codebook, municipalities=study.municipalities)
    >>> print(str(report).splitlines()[0])
    qc-demo.qdpx (qc 1.3.2): 0 interview file(s) written, 79 problem(s); 0 passage(s) kept, 0 not kept
    >>> print(report.problems[0].message)
    uses 77 code(s), none of which is a value of the codebook: was it coded with the codebook ...
    >>> report.written, report.not_kept_lines()
    ([], [])
    """

    project: str
    origin: str = ""
    interviews: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["interview_id", "coder", "municipality", "sources", "n_values", "file"]))
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    passages: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PASSAGE_REPORT_COLUMNS))
    not_kept: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOT_KEPT_COLUMNS))
    codebook: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CODEBOOK_REPORT_COLUMNS))
    files: list = field(default_factory=list)

    @property
    def written(self) -> list[Path]:
        """The interview files written, as paths."""
        return [Path(f) for f in self.interviews["file"]]

    def not_kept_lines(self) -> list[str]:
        """The passages not kept, one line per source, kind and reason (with a count).

        Returns
        -------
        list of str
            Sorted by source, kind and reason; empty when every passage was kept.

        Examples
        --------
        >>> import pandas as pd
        >>> rows = [["GM0518-1", "ab", "plan", "PictureSelection", "sourcing.design", code,
        ...          "a region of a picture, not text"] for code in ("mixed", "in_house")]
        >>> report = ImportReport("p.qdpx", not_kept=pd.DataFrame(rows, columns=NOT_KEPT_COLUMNS))
        >>> report.not_kept_lines()
        ["source 'plan': 2 coding(s) of a PictureSelection not kept as passages (a region of a picture, not text)"]
        """
        if self.not_kept.empty:
            return []
        groups = self.not_kept.groupby(["source", "kind", "reason"], sort=True).size()
        return [f"source {source!r}: {n} coding(s) of a {kind} not kept as passages ({reason})"
                for (source, kind, reason), n in groups.items()]

    def __str__(self) -> str:
        n_passages = int(self.passages["n_passages"].sum()) if len(self.passages) else 0
        lines = [f"{self.project} ({self.origin or 'origin not stated'}): "
                 f"{len(self.interviews)} interview file(s) written, {len(self.problems)} problem(s); "
                 f"{n_passages} passage(s) kept, {len(self.not_kept)} not kept"]
        lines += [f"  wrote {Path(f).name}" for f in self.files]
        lines += [f"  wrote {Path(r.file).name}: {r.n_values} values from {r.sources}" for r in self.interviews.itertuples()]
        lines += [f"  wrote passages/{Path(r.file).name}: {r.n_passages} passage(s)" for r in self.passages.itertuples()]
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  not kept: {line}" for line in self.not_kept_lines()]
        lines += [f"  problem: {p}" for p in self.problems]
        return "\n".join(lines)


def import_qdpx(path, out_dir, *, coder: str | None = None, codebook: Codebook, municipalities,
                overwrite: bool = False, passages_dir=None, source_map=None) -> ImportReport:
    """Read a REFI-QDA project (.qdpx) and write its codings as interview files, and the coded
    text behind them as passage files.

    Parameters
    ----------
    path : path
        The .qdpx file exported by ATLAS.ti, NVivo, MAXQDA, QualCoder or another REFI-QDA tool.
    out_dir : path
        The folder to write the interview files to (usually ``<data dir>/interviews``); created if
        missing. Files are named ``<interview_id>.<coder>.yaml``.
    coder : str, optional
        Who coded. By default each coding's user as the project names it (a project coded by two
        users gives two files per interview).
    codebook : Codebook
    municipalities : DataFrame
        The municipalities table (``study.municipalities``): a source's ``municipality``
        variable may hold a CBS code, the study's name or the official name.
    overwrite : bool
        Replace interview and passage files that exist already (otherwise nothing is written and
        the existing files are named in the error).
    passages_dir : path, optional
        The folder for the passage files; by default ``passages`` beside `out_dir`
        (``<data dir>/passages`` when `out_dir` is ``<data dir>/interviews``).
    source_map : path, optional
        A CSV file with the columns ``source`` and ``cbs_code``: the municipality of each source
        named in it, as if the source had the variable ``municipality`` (see
        `commissioning.exchange.sources.read_source_map`).

    Each source (document) is one interview. Its municipality comes from a variable named
    ``municipality`` (or ``gemeente``, ``cbs_code``) of the source or of a case that holds it or
    a passage of it (NVivo's ``Cases:`` prefix is ignored; an unnamed case with one source holds
    that source's variables, as MAXQDA and Quirkos write them), else from a case or source name that is a
    municipality or starts with its CBS code. Its interview id comes from a variable
    ``interview_id``, or a source name starting with one (``GM0518-2 ...``); otherwise the
    sources of a municipality are numbered in the order of their names. An optional variable
    ``respondent_role`` is copied.

    Beside each interview file goes a passage file of the same name in `passages_dir`, holding
    every coded plain-text selection behind a value of the interview file: its source, its
    start and end positions as the project states them (Unicode characters from the start of the
    source's plain text, end exclusive), the text those positions cut from the source's plain text
    (for ATLAS.ti from the text with LF line ends, as it counts a CRLF as one character), the
    variable, the code and, for a ranked set, the rank. The interview files are the same with or
    without passages, and no result reads them (see `passages`). A coding of something that is not
    a passage of plain text (a region of a picture or a PDF page, a stretch of audio or video, a
    whole source) still gives its value; it is listed in `not_kept`, never an error.

    Returns
    -------
    ImportReport
        `interviews` lists the interview files written; `passages` the passage files; `problems`
        every code, source or value that could not be mapped; `not_kept` every coding whose
        passage was not kept, with its kind and why.

    Raises
    ------
    DataError
        When `path` is not a REFI-QDA project, would overwrite files or cannot be written;
        nothing is written.

    Examples
    --------
    >>> import pathlib, tempfile, commissioning as cm
    >>> study = cm.load_study()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.qdpx").write_text("not a project")
    >>> try:
    ...     cm.import_qdpx(folder / "notes.qdpx", folder / "interviews", codebook=study.codebook,
    ...                    municipalities=study.municipalities)
    ... except cm.DataError as exc:
    ...     print(exc.problems[0].message)
    is not a zip archive
    >>> (folder / "interviews").exists()
    False
    """
    if not isinstance(codebook, Codebook):
        raise ParameterError("codebook", problem=f"expected a Codebook (e.g. cm.load_study().codebook), got {type(codebook).__name__}")
    munis = Municipalities(municipalities)
    path, out_dir = Path(path), Path(out_dir)
    display = path.name
    if coder is not None and not str(coder).strip():
        raise ParameterError("coder", problem="is empty; give a name or initials, or leave it out to use the project's users")
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError("out", str(out_dir), problem="is a file, not a folder; give the folder for the interview files")
    passages_dir = Path(passages_dir) if passages_dir is not None else out_dir.parent / PASSAGES_DIR
    if passages_dir.exists() and not passages_dir.is_dir():
        raise ParameterError("passages", str(passages_dir), problem=f"is a file, not a folder; the passage files go to a folder {PASSAGES_DIR!r} beside the interview folder")
    if passages_dir.resolve() == out_dir.resolve():
        raise ParameterError("out", str(out_dir), problem="is the passages folder; give the interview folder, e.g. <data dir>/interviews (the passages go beside it, to <data dir>/passages)")
    mapping = (read_source_map(source_map), Path(source_map).name) if source_map is not None else None
    zf, names, root, ns = read_project(path, display)
    try:
        report, files, passage_files = _import(zf, names, root, ns, display, coder, codebook, munis, mapping)
    except (DataError, ParameterError):
        raise
    except Exception as exc:  # a project so odd that the mapping tripped: still a plain message, never a traceback
        raise project_error(display, f"could not be imported ({type(exc).__name__}: {exc})",
                    allowed="a REFI-QDA project as ATLAS.ti, NVivo, MAXQDA or QualCoder export it") from None
    targets = [(out_dir / name, text) for name, text, _ in files]
    targets += [(passages_dir / name, text) for name, text, _ in passage_files]
    existing = [t for t, _ in targets if t.exists()]
    if existing and not overwrite:
        raise DataError([Problem(str(t), "", "exists already; nothing was written", allowed="another --out folder, or "
                                 "--force to replace the files") for t in existing])
    write_all(targets, len(files))
    report.interviews = pd.DataFrame([(*row, str(out_dir / name)) for name, _, row in files],
                                     columns=["interview_id", "coder", "municipality", "sources", "n_values", "file"])
    report.passages = pd.DataFrame([(*row, str(passages_dir / name)) for name, _, row in passage_files],
                                   columns=PASSAGE_REPORT_COLUMNS)
    return report


def write_all(targets: list[tuple[Path, str]], n_interviews: int):
    """Write every file or none: make the folders, write each file to a temporary file beside
    it, then move them all into place. On failure, remove what was made and raise DataError
    naming the folder."""
    made, temps, moved = [], [], 0
    folder = None
    try:
        for target, _ in targets:
            folder = target.parent
            if not folder.is_dir():
                made.extend(p for p in (folder, *folder.parents) if not p.exists())  # removed again on failure
                folder.mkdir(parents=True, exist_ok=True)
        for target, text in targets:
            folder = target.parent
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
            temps.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; these are ordinary data files
        for tmp, target in temps:
            folder = target.parent
            os.replace(tmp, target)
            moved += 1
    except OSError as exc:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
        if not moved:
            for p in sorted(set(made), key=lambda p: len(p.parts), reverse=True):
                try:
                    p.rmdir()
                except OSError:
                    pass
        written = min(moved, n_interviews)
        raise DataError([Problem(str(folder), "", f"cannot be written to ({exc.strerror or exc}); {written} of "
                                 f"{n_interviews} interview files were written", allowed="a folder you may write to")]) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _import(zf, names, root, ns, display, coder, codebook, munis, mapping=None) -> tuple[ImportReport, list, list]:
    """Map the project; return the report, the interview files and the passage files to write,
    each as (name, text, report row)."""
    origin = root.get("origin") or ""
    report = ImportReport(display, origin)
    problems, notes = report.problems, report.notes
    users, codes, sources = parse_project(root, ns)
    if mapping is not None:
        apply_source_map(sources, mapping[0], munis, mapping[1], "municipalities.csv")
    mapper = CodeMapper(codebook, codes)
    names_by_lower = {n.lower(): n for n in names}
    project_user = users.get(guid_key(root.get("creatingUserGUID")))
    if not sources:
        problems.append(Problem(display, "", "has no sources (documents), so there is nothing to import",
                                allowed="a project with coded text sources"))
        return report, [], []
    if not any(src.codings for src in sources.values()):
        problems.append(Problem(display, "", f"has {len(sources)} source(s) but no codings, so there is nothing to import"))
    problems.extend(unmapped_problems(sources, mapper, zf, names_by_lower, origin, display))
    resolved = resolve_sources(sources, munis, display, problems)
    assigned = number_interviews(resolved, notes)
    groups = group_codings(assigned, sources, mapper, users, coder, project_user, display, problems, notes)
    built = build_interviews(groups, codebook, munis.codes, display, origin, problems)
    drop_clashes(built, codebook, display, problems)
    files, passage_files, not_kept = file_texts(built, codebook, zf, names_by_lower, origin, display)
    report.not_kept = pd.DataFrame(not_kept, columns=NOT_KEPT_COLUMNS)
    return report, files, passage_files
