"""Importing a REFI-QDA project coded with a code system of its own (`import-qdpx --new-codebook`):
a data folder with the codebook made from the project's codes (`commissioning.exchange.codesystem`),
its interview and passage files and, when the folder has none, the rows of municipalities.csv for
the municipalities its interviews are in. Every file or none is written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..core import check_lang
from ..data import attributes_block, codebook_from_text, default_data_dir, PASSAGES_DIR, read_file, read_municipalities
from ..errors import DataError, ParameterError, Problem
from .codemap import unmapped_problems
from .codesystem import CodeSystem, AllCodes
from .importer import CODEBOOK_REPORT_COLUMNS, NOT_KEPT_COLUMNS, PASSAGE_REPORT_COLUMNS, ImportReport, write_all
from .interview_files import build_interviews, drop_clashes, file_texts, group_codings
from .project import project_error, guid_key, parse_project, parse_sets, read_project
from .sources import Municipalities, number_interviews, resolve_sources, apply_source_map, read_source_map

_NO_MUNICIPALITY = "has no municipality, so its codings cannot be imported"


def import_code_system(path, data_dir, *, lang: str = "en", source_map=None, coder: str | None = None,
                       reference=None, overwrite: bool = False) -> ImportReport:
    """Read a REFI-QDA project coded with its own code system and write a data folder from it:
    ``codebook.yaml`` made from its codes, ``interviews/`` (basis ``observed``), ``passages/`` and,
    when the folder has none, ``municipalities.csv``.

    Parameters
    ----------
    path : path
        The .qdpx file.
    data_dir : path
        The data folder to write (created if missing). It may hold a municipalities.csv of its own;
        it must not hold a codebook.yaml or interview files unless `overwrite`.
    lang : {"en", "nl"}
        The language of the project's code names; the labels in the other language are marked as
        not translated.
    source_map : path, optional
        A CSV file with the columns ``source`` and ``cbs_code``: the municipality of each source
        named in it (otherwise each source's municipality comes from a variable ``municipality``
        of the document or its case, as `commissioning.exchange.importer.import_qdpx` reads it).
    coder : str, optional
        Who coded (default: each coding's user in the project).
    reference : path, optional
        The data folder whose attributes (region, size class) and municipalities are used
        (default: the shipped data).
    overwrite : bool
        Replace the folder's codebook.yaml and the interview and passage files of the project.

    The codebook's variables come from the code system as `commissioning.exchange.codesystem`
    describes: a code group whose codes are alternatives is a nominal variable, any other code a
    yes/no variable (yes where an interview has the code, no in the project's other interviews).

    Returns
    -------
    ImportReport
        As `import_qdpx` gives it, with `codebook` (the variables made) and `files` (the codebook
        and municipalities.csv). When no interview can be imported, `problems` says what to add
        first and nothing is written.

    Raises
    ------
    DataError
        When the project is not a REFI-QDA project, the mapping file or municipalities.csv is
        wrong, or files exist already; nothing is written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from commissioning.run import REPO
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "own"
    >>> report = import_code_system(REPO / "tests/fixtures/refi-qda/qc-demo.qdpx", out)
    >>> print(report.problems[0])
    qc-demo.qdpx: Add a municipality (a CBS code such as GM0014, or its name) for each source: a variable
    'municipality' on the document or its case, or --municipalities MAP.csv with the columns source,cbs_code;
    1 source has none: 'board_2017.txt'
    >>> out.exists()
    False
    """
    check_lang(lang)
    path, data_dir = Path(path), Path(data_dir)
    if coder is not None and not str(coder).strip():
        raise ParameterError("coder", problem="is empty; give a name or initials, or leave it out to use the project's users")
    _check_folder(data_dir, overwrite)
    reference = Path(reference) if reference is not None else default_data_dir()
    ref_text = read_file(reference / "codebook.yaml", missing="a codebook.yaml in the reference data folder")
    own_munis = (data_dir / "municipalities.csv").is_file()
    munis_path = data_dir / "municipalities.csv" if own_munis else reference / "municipalities.csv"
    frame, problems = read_municipalities(munis_path, codebook_from_text(ref_text))
    if problems:
        raise DataError(problems)
    where = str(munis_path) if own_munis or reference != default_data_dir() else "the shipped municipalities.csv"
    mapping = (read_source_map(source_map), Path(source_map).name, where) if source_map is not None else None
    display = path.name
    zf, names, root, ns = read_project(path, display)
    try:
        report, built = _import(zf, names, root, ns, display, coder, lang, Municipalities(frame), mapping,
                                attributes_block(ref_text))
    except (DataError, ParameterError):
        raise
    except Exception as exc:  # a project so odd that the mapping tripped: still a plain message, never a traceback
        raise project_error(display, f"could not be imported ({type(exc).__name__}: {exc})",
                    allowed="a REFI-QDA project as ATLAS.ti, NVivo, MAXQDA or QualCoder export it") from None
    if built is None:
        return report
    codebook_text, files, passage_files, used = built
    targets = [(data_dir / "codebook.yaml", codebook_text)]
    if not own_munis:
        targets.append((data_dir / "municipalities.csv", _rows_of(read_file(munis_path, missing=""), used)))
    targets += [(data_dir / "interviews" / name, text) for name, text, _ in files]
    targets += [(data_dir / PASSAGES_DIR / name, text) for name, text, _ in passage_files]
    existing = [t for t, _ in targets if t.exists()]
    if existing and not overwrite:
        raise DataError([Problem(str(t), "", "exists already; nothing was written",
                                 allowed="another --out folder, or --force to replace the files") for t in existing])
    write_all(targets, len(files))
    report.files = [str(t) for t, _ in targets[: 1 if own_munis else 2]]
    report.interviews = pd.DataFrame([(*row, str(data_dir / "interviews" / name)) for name, _, row in files],
                                     columns=["interview_id", "coder", "municipality", "sources", "n_values", "file"])
    report.passages = pd.DataFrame([(*row, str(data_dir / PASSAGES_DIR / name)) for name, _, row in passage_files],
                                   columns=PASSAGE_REPORT_COLUMNS)
    return report


def _check_folder(data_dir: Path, overwrite: bool) -> None:
    """The data folder may be written: a folder (or nothing yet) without a codebook or interview
    files of its own, unless they are to be replaced."""
    if data_dir.exists() and not data_dir.is_dir():
        raise ParameterError("out", str(data_dir), problem="is a file, not a folder; give the data folder to write")
    if overwrite:
        return
    if (data_dir / "codebook.yaml").exists():
        raise DataError([Problem(str(data_dir / "codebook.yaml"), "", "exists already; nothing was written",
                                 allowed="a new data folder, or --force to replace the codebook")])
    folder = data_dir / "interviews"
    if folder.is_dir() and any(p.suffix in (".yaml", ".yml") for p in folder.iterdir()):
        raise DataError([Problem(str(folder), "", "holds interview files already, coded with another codebook; "
                                 "nothing was written", allowed="a new data folder, or --force to replace them")])


def _import(zf, names, root, ns, display, coder, lang, munis, mapping, attributes):
    """Map the project; return the report and, when an interview can be written, the codebook's
    text, the interview and passage files (each as (name, text, report row)) and the CBS codes
    of their municipalities (else None)."""
    origin = root.get("origin") or ""
    report = ImportReport(display, origin)
    problems, notes = report.problems, report.notes
    users, codes, sources = parse_project(root, ns)
    if not sources:
        problems.append(Problem(display, "", f"Add the interviews to the project as sources, code them and export it "
                                f"again: it has {len(codes)} code(s) but no sources (documents)"))
        return report, None
    if not any(src.codings for src in sources.values()):
        problems.append(Problem(display, "", f"Code the interviews in the QDA tool and export the project again: it "
                                f"has {len(sources)} source(s) and {len(codes)} code(s) but no codings"))
        return report, None
    if mapping is not None:
        apply_source_map(sources, mapping[0], munis, mapping[1], mapping[2])
    resolved = resolve_sources(sources, munis, display, problems)
    _one_problem_for_missing_municipalities(problems, munis, display)
    assigned = number_interviews(resolved, notes)
    if not assigned:
        return report, None
    project_user = users.get(guid_key(root.get("creatingUserGUID")))
    seen = group_codings(assigned, sources, AllCodes(codes), users, coder, project_user, display, [], [])
    system = CodeSystem(codes, parse_sets(root, ns), lang=lang, section=display)
    notes.extend(system.decide([{e[0] for e in g["values"].get("code", [])} for g in seen.values()]))
    codebook_text = system.codebook_text(attributes, project=display, origin=origin)
    codebook = codebook_from_text(codebook_text)
    report.codebook = pd.DataFrame([(v, spec["type"], spec["theme"], len(spec["codes"]), spec["label"][lang])
                                    for v, spec in system.variables.items()], columns=CODEBOOK_REPORT_COLUMNS)
    names_by_lower = {n.lower(): n for n in names}
    imported = {src.guid: src for src, *_ in assigned}  # codes used elsewhere only made no variable
    problems.extend(p for p in unmapped_problems(imported, system, zf, names_by_lower, origin, display)
                    if "export-qdc" not in p.message)
    groups = group_codings(assigned, sources, system, users, coder, project_user, display, problems, notes)
    for g in groups.values():
        for var in system.yes_no_variables():
            g["values"].setdefault(var, [("no", None, None, "")])
    built = build_interviews(groups, codebook, munis.codes, display, origin, problems)
    drop_clashes(built, codebook, display, problems)
    files, passage_files, not_kept = file_texts(built, codebook, zf, names_by_lower, origin, display)
    report.not_kept = pd.DataFrame(not_kept, columns=NOT_KEPT_COLUMNS)
    if not files:
        return report, None
    return report, (codebook_text, files, passage_files, {b[1]["municipality"] for b in built})


def _one_problem_for_missing_municipalities(problems: list, munis: Municipalities, display: str) -> None:
    """Replace the problems of the sources without a municipality by one that says what to add."""
    missing = [p for p in problems if p.message == _NO_MUNICIPALITY]
    if not missing:
        return
    first = problems.index(missing[0])
    sources = ", ".join(p.where.removeprefix("source ") for p in missing)
    example = munis.examples.split(" or ")[0]
    n = f"{len(missing)} sources have" if len(missing) > 1 else "1 source has"
    problems[first] = Problem(display, "", f"Add a municipality (a CBS code such as {example}, or its name) for each "
                              "source: a variable 'municipality' on the document or its case, or --municipalities "
                              f"MAP.csv with the columns source,cbs_code; {n} none: {sources}")
    problems[:] = [p for p in problems if p.message != _NO_MUNICIPALITY]


def _rows_of(municipalities_text: str, used: set) -> str:
    """municipalities.csv with its header and the rows of the municipalities in `used` only, each
    as written."""
    lines = municipalities_text.splitlines(keepends=True)
    kept = [line for line in lines[1:] if (next(csv.reader(io.StringIO(line)), None) or [""])[0].strip() in used]
    return "".join(lines[:1] + kept)
