"""The `commissioning` command line.

Exit codes: 0 success; 1 a notebook failed, or (claims --strict) a claim is not supported;
2 bad input (invalid data, unknown parameter or value, a filter that selects nothing, a notebook
whose language cells do not pair up).
Errors print as plain lines, never as a traceback.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .core import check_lang
from .data import default_data_dir
from .errors import CommissioningError, DataError, NotebookError, ParameterError
from .run import parameter_value, suite


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 on usage errors too; keep its message short
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _add_data(p):
    p.add_argument("--data", metavar="DIR", default=None, help="data directory (default: the shipped data)")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the `commissioning` command line, one subcommand per task.

    A usage error prints the usage and one line ``error: ...`` to stderr and exits 2.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> from commissioning.cli import build_parser
    >>> args = build_parser().parse_args(["run", "--lang", "nl", "--publish", "-p", "n=2"])
    >>> args.command, args.lang, args.publish, args.parameters, args.out
    ('run', 'nl', True, ['n=2'], None)
    """
    parser = _Parser(prog="commissioning", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="check a data directory; exit 2 with one line per problem")
    _add_data(p)

    p = sub.add_parser("init", help="write a minimal data folder of your own: a codebook with the study's attributes "
                                    "and one example variable, the study's municipalities, one example interview "
                                    "and an empty claims.yaml")
    p.add_argument("folder", metavar="DIR", help="a new or empty folder")

    p = sub.add_parser("run", help="execute the notebooks and render HTML reports with an index")
    _add_data(p)
    p.add_argument("--out", metavar="DIR", default=None, help="output folder (default: reports/)")
    p.add_argument("--only", metavar="NAME", nargs="+", default=None, help="run only these notebooks (e.g. 00-sample)")
    p.add_argument("--region", default=None, help="filter: a region code of the codebook")
    p.add_argument("--size-class", dest="size_class", default=None, help="filter: a size-class code of the codebook")
    p.add_argument("--unit", default=None, help="unit of analysis: interview or municipality (notebooks that declare it)")
    p.add_argument("--lang", default=None, metavar="LANGS",
                   help="report languages: en, nl or en,nl (default: both; reports go to OUT/<lang>/)")
    p.add_argument("--publish", action="store_true", help="disclosure control on: no respondent-level detail")
    p.add_argument("--threshold", type=int, default=None, metavar="N",
                   help="when publishing: the fewest municipalities, and respondents, a group shown may hold (default 3)")
    p.add_argument("-p", "--parameter", dest="parameters", metavar="NAME=VALUE", action="append", default=[],
                   help="any other notebook parameter (YAML value); an undeclared name is an error")
    p.add_argument("--jobs", type=int, default=None, help="notebooks run in parallel (default: number of cores)")
    p.add_argument("--force", action="store_true", help="rerun every report even when its inputs are unchanged")

    p = sub.add_parser("notebooks", help="re-execute the committed notebooks in place with their defaults")
    p.add_argument("--only", metavar="NAME", nargs="+", default=None)

    p = sub.add_parser("reconstruct", help="write the reconstructed interview files")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the shipped dataset's seed)")
    p.add_argument("--out", metavar="DIR", default=None, help="folder for the interview files (default: data/interviews)")
    _add_data(p)

    p = sub.add_parser("claims", help="check the study's claims against the data; print the verdict table")
    _add_data(p)
    p.add_argument("--region", default=None, help="filter: a region code of the codebook")
    p.add_argument("--size-class", dest="size_class", default=None, help="filter: a size-class code of the codebook")
    p.add_argument("--lang", default="en", help="language of the paraphrases: en or nl")
    p.add_argument("--strict", action="store_true", help="exit 1 when any claim is not supported")

    p = sub.add_parser("codebook", help="list the codebook's variables and codes")
    _add_data(p)
    p.add_argument("--lang", default="en")

    p = sub.add_parser("export-qdc", help="write the codebook as a REFI-QDA codebook (.qdc) for a QDA tool")
    _add_data(p)
    p.add_argument("--lang", default="en", help="language of the code labels: en or nl")
    p.add_argument("out", metavar="OUT.qdc", help="the file to write")

    p = sub.add_parser("import-qdpx", help="write interview files (and the coded passages beside them) from a coded "
                                           "REFI-QDA project (.qdpx)")
    _add_data(p)
    p.add_argument("project", metavar="PROJECT.qdpx", help="the project exported by the QDA tool")
    p.add_argument("--out", metavar="DIR", required=True,
                   help="folder for the interview files (e.g. DIR/interviews); the passages go to DIR/passages. "
                        "With --new-codebook: the data folder to write")
    p.add_argument("--new-codebook", dest="new_codebook", action="store_true",
                   help="make the codebook from the project's own code system and write a data folder: "
                        "DIR/codebook.yaml, DIR/interviews/, DIR/passages/ and (if DIR has none) DIR/municipalities.csv")
    p.add_argument("--municipalities", metavar="MAP.csv", default=None,
                   help="the municipality of each source: a CSV file with the columns source,cbs_code")
    p.add_argument("--lang", default=None, help="with --new-codebook: the language of the project's code names, en "
                                                "(default) or nl")
    p.add_argument("--coder", default=None, help="who coded (default: each coding's user in the project)")
    p.add_argument("--force", action="store_true", help="replace interview and passage files that exist already")

    p = sub.add_parser("passages", help="print the coded passages behind a code (kept by import-qdpx)")
    _add_data(p)
    p.add_argument("--variable", default=None, help="a variable of the codebook, e.g. sourcing.design")
    p.add_argument("--code", default=None, help="a code of the variable, e.g. outsourced")
    p.add_argument("--municipality", default=None, help="a CBS code or name, e.g. GM0518 or 'Den Haag'")
    p.add_argument("--interview", default=None, help="an interview id, e.g. GM0518-1")
    p.add_argument("--format", dest="fmt", choices=("text", "csv"), default="text",
                   help="text: wrapped, to read (default); csv: one row per passage, the exact text, for a spreadsheet")
    p.add_argument("--width", type=int, default=None, help="line width of the text format (default: the terminal's)")
    p.add_argument("--lang", default="en", help="language of the headings and messages: en or nl")

    p = sub.add_parser("agreement", help="intercoder agreement per variable over interviews coded twice or more")
    _add_data(p)
    return parser


def _passages(args, s) -> int:
    """`commissioning passages`: the passages behind a code, to read or as CSV."""
    # lazy: these load pandas, and the command line must start without it (tests/test_api.py)
    from .analysis import format_passages, passages, passages_by_size_class, passages_summary
    from .data import passage_files, PASSAGES_DIR

    check_lang(args.lang)
    if args.width is not None and args.width < 20:
        raise ParameterError("width", problem=f"{args.width} is not allowed", allowed="20 or more characters")
    table = passages(s, args.variable, args.code, municipality=args.municipality, interview=args.interview)
    if args.fmt == "csv":
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    summary = passages_summary(s, table, args.variable, args.code, lang=args.lang)
    if table.empty:
        print(summary)
        if not passage_files(s):
            print(f"(looked in {Path(s.data_dir) / PASSAGES_DIR})")
        else:
            chosen = [f"{k} = {v}" for k, v in (("municipality", args.municipality), ("interview", args.interview)) if v]
            if chosen:
                print(f"(selection: {', '.join(chosen)})")
        return 0
    named = passages_by_size_class(s, table, lang=args.lang)
    named = named.sort_values(["interview_id", "coder", "source", "start", "end"], kind="stable")
    width = args.width or max(40, min(100, shutil.get_terminal_size((88, 24)).columns))
    print(format_passages(named, width=width, lang=args.lang))
    print()
    print(summary)
    return 0


def _parse_parameters(items):
    """{name: value} of the ``-p NAME=VALUE`` items (`commissioning.run.notebooks.parameter_value`)."""
    out = {}
    for item in items:
        if "=" not in item:
            raise ParameterError("-p", item, problem="is not a parameter setting", allowed="NAME=VALUE")
        name, value = item.split("=", 1)
        out[name.strip()] = parameter_value(name.strip(), value)
    return out


def main(argv=None) -> int:
    """Run one `commissioning` subcommand; errors print as lines ``error: ...`` on stderr.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``commissioning`` (default: those of the process).

    Returns
    -------
    int
        The exit code: 0 success; 1 a notebook failed, or (claims --strict) a claim is not
        supported; 2 bad input.

    Examples
    --------
    >>> import contextlib, sys
    >>> from commissioning.cli import main
    >>> main(["validate"])
    valid: 18 municipalities, 24 interviews, 1248 coded values (...data)
    0
    >>> with contextlib.redirect_stderr(sys.stdout):
    ...     main(["run", "--lang", "fr"])
    error: lang: 'fr' is not allowed; allowed: en, nl
    2
    """
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (DataError, NotebookError) as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return exc.exit_code
    except CommissioningError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # output piped into `head`, say
        sys.stderr.close()
        return 0


def _cmd_run(args) -> int:
    """`commissioning run`: execute the notebooks and write their reports and the index."""
    params = _parse_parameters(args.parameters)
    for name in ("region", "size_class", "unit", "threshold"):
        value = getattr(args, name)
        if value is not None:
            params[name] = value
    if args.publish:
        params["publish"] = True
    return suite.run_suite(
        data_dir=args.data, out_dir=args.out, only=args.only, parameters=params, languages=args.lang,
        jobs=args.jobs, force=args.force, progress=lambda line: print(line, file=sys.stderr),
    )


def _cmd_validate(args) -> int:
    """`commissioning validate`: load the data (DataError lists every problem) and summarize it."""
    # lazy: these load pandas, and the command line must start without it (tests/test_api.py)
    from .data import validate_passages
    from .data import load_study

    s = load_study(args.data)
    kept = validate_passages(s)
    passages = f", {len(kept)} passages in {kept.file.nunique()} files" if len(kept) else ""
    print(f"valid: {len(s.municipalities)} municipalities, {s.n_interviews} interviews, "
          f"{len(s.codings)} coded values{passages} ({s.data_dir})")
    return 0


def _cmd_init(args) -> int:
    """`commissioning init`: a minimal data folder that `commissioning validate` accepts."""
    # lazy: the skeleton needs no pandas, but keeps the data layer out of the command line's start
    from .data import init_data_dir

    written = init_data_dir(args.folder)
    for path in written:
        print(f"wrote {path}")
    print(f"next: edit {Path(args.folder) / 'codebook.yaml'} and the interview, then: commissioning validate --data "
          f"{args.folder}")
    return 0


def _cmd_passages(args) -> int:
    """`commissioning passages`: see `_passages`."""
    # lazy: these load pandas, and the command line must start without it (tests/test_api.py)
    from .data import load_study

    return _passages(args, load_study(args.data))


def _cmd_claims(args) -> int:
    """`commissioning claims`: the verdict of every claim, one line each, and the count per verdict."""
    # lazy: these load pandas, and the command line must start without it (tests/test_api.py)
    from .rules import NOT_SUPPORTED
    from .analysis import claims_table, origin_line, UNIT_TEXT
    from .data import load_study

    s = load_study(args.data)
    if args.region or args.size_class:
        s = s.filter(region=args.region, size_class=args.size_class)
    table = claims_table(s, lang=args.lang)
    print(origin_line(s, args.lang))
    if table.empty:
        print("no claims: claims.yaml lists none (its comments show an example)")
        return 0
    for row in table.itertuples():
        threshold = f"threshold: {row.threshold}; " if row.threshold else ""
        print(f"{row.verdict:<17}  {row.section:<4} {row.id:<42} {row.value}  "
              f"[per {UNIT_TEXT[args.lang][row.unit]}; {threshold}{row.basis}]")
    counts = table.verdict.value_counts()
    print(", ".join(f"{n} {v}" for v, n in counts.items()))
    return 1 if args.strict and (table.verdict == NOT_SUPPORTED).any() else 0


def _cmd_codebook(args) -> int:
    """`commissioning codebook`: every attribute and variable with its codes."""
    # lazy: these load pandas, and the command line must start without it (tests/test_api.py)
    from .data import load_study

    check_lang(args.lang)
    cb = load_study(args.data).codebook
    for var in [*cb.attributes.values(), *cb.variables.values()]:
        print(f"{var.id}  [{var.type}, section {var.section}]  {var.label[args.lang]}")
        print("    codes: " + ", ".join(var.codes))
    return 0


def _cmd_notebooks(args) -> int:
    """`commissioning notebooks`: re-execute the committed notebooks in place."""
    return suite.refresh_notebooks(only=args.only, progress=lambda line: print(line, file=sys.stderr))


def _cmd_reconstruct(args) -> int:
    """`commissioning reconstruct`: write the reconstructed interview files."""
    # lazy: these load pandas, and the command line must start without it (tests/test_api.py)
    from .reconstruct import write_interviews

    out = Path(args.out) if args.out else default_data_dir() / "interviews"
    written = write_interviews(out, seed=args.seed, data_dir=args.data)
    print(f"wrote {len(written)} interview files to {out}")
    return 0


def _cmd_export_qdc(args) -> int:
    """`commissioning export-qdc`: the codebook as a REFI-QDA codebook."""
    # lazy: these load pandas, and the command line must start without it (tests/test_api.py)
    from .data import load_study
    from .exchange import export_qdc

    check_lang(args.lang)
    cb = load_study(args.data).codebook
    out = export_qdc(cb, args.out, lang=args.lang)
    n_codes = sum(len(v.codes) * (v.size if v.type == "ranked_set" else 1) for v in cb.variables.values())
    print(f"wrote {out}: {len(cb.variables)} variables, {n_codes} codable values ({args.lang})")
    return 0


def _cmd_import_qdpx(args) -> int:
    """`commissioning import-qdpx`: interview and passage files from a coded REFI-QDA project; exit 2
    when nothing could be imported."""
    # lazy: these load pandas, and the command line must start without it (tests/test_api.py)
    from .data import load_study
    from .exchange import import_qdpx
    from .exchange import import_code_system

    if args.new_codebook:
        report = import_code_system(args.project, args.out, lang=args.lang or "en", source_map=args.municipalities,
                                    coder=args.coder, reference=args.data, overwrite=args.force)
    elif args.lang is not None:
        raise ParameterError("lang", args.lang, problem="applies only with --new-codebook (the language of the "
                             "project's code names)", allowed="--new-codebook --lang en|nl, or no --lang")
    else:
        s = load_study(args.data)
        report = import_qdpx(args.project, args.out, coder=args.coder, codebook=s.codebook,
                             municipalities=s.municipalities, overwrite=args.force, source_map=args.municipalities)
    for path in report.files:
        print(f"wrote {path}" + (f": {len(report.codebook)} variables from the project's codes ("
                                 f"{(report.codebook.type == 'nominal').sum()} with codes, "
                                 f"{(report.codebook.type == 'boolean').sum()} yes/no)"
                                 if path.endswith("codebook.yaml") else ""))
    for row in report.interviews.itertuples():
        print(f"wrote {row.file}: interview {row.interview_id}, coder {row.coder}, {row.n_values} values "
              f"(from {row.sources})")
    for row in report.passages.itertuples():
        print(f"wrote {row.file}: {row.n_passages} passage(s) of interview {row.interview_id}, coder {row.coder}")
    for note in report.notes:
        print(f"note: {note}")
    for line in report.not_kept_lines():
        print(f"not kept: {line}")
    level = "warning" if len(report.interviews) else "error"
    for problem in report.problems:
        print(f"{level}: {problem}", file=sys.stderr)
    if not len(report.interviews):
        print(f"error: {report.project}: nothing was imported; see the lines above", file=sys.stderr)
        return 2
    n_passages = int(report.passages.n_passages.sum()) if len(report.passages) else 0
    folder = Path(report.passages.file.iloc[0]).parent if len(report.passages) else None
    print(f"imported {len(report.interviews)} interview file(s) into {args.out}"
          + (f" and {n_passages} passage(s) into {folder}" if folder is not None else "")
          + f"; {len(report.problems)} thing(s) could not be imported; next: commissioning validate --data "
          + (str(args.out) if args.new_codebook else "<data dir>"))
    return 0


def _cmd_agreement(args) -> int:
    """`commissioning agreement`: intercoder agreement per variable, or why there is none."""
    # lazy: these load pandas, and the command line must start without it (tests/test_api.py)
    from .analysis import agreement_table
    from .data import load_study

    s = load_study(args.data)
    table = agreement_table(s)
    if table.empty:
        coders = sorted(s.interviews.coder.unique()) if len(s.interviews) else []
        print(f"no interview is coded by more than one coder ({s.n_interviews} interviews; coders: "
              f"{', '.join(coders) or 'none'}); agreement needs an interview coded twice, as <id>.yaml and "
              "<id>.<coder>.yaml")
        return 0
    shown = table.copy()
    for col in ("alpha", "percent_agreement", "kappa"):
        shown[col] = shown[col].map(lambda x: "-" if x != x else f"{x:.3f}")
    print(shown.to_string(index=False))
    return 0


_COMMANDS = {  # subcommand -> the function that carries it out, returning the exit code
    "run": _cmd_run,
    "validate": _cmd_validate,
    "init": _cmd_init,
    "passages": _cmd_passages,
    "claims": _cmd_claims,
    "codebook": _cmd_codebook,
    "notebooks": _cmd_notebooks,
    "reconstruct": _cmd_reconstruct,
    "export-qdc": _cmd_export_qdc,
    "import-qdpx": _cmd_import_qdpx,
    "agreement": _cmd_agreement,
}


def _dispatch(args) -> int:
    return _COMMANDS[args.command](args)  # argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
