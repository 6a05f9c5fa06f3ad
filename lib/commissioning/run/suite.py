"""Run the notebooks, render them to self-contained HTML in English and Dutch and write an index.

`run_suite` is `commissioning run`; `refresh_notebooks` is `commissioning notebooks`.
Each notebook runs once per run, in one kernel, for every report language; its reports go to
``<lang>/<notebook>.html``. Reports hide code, load nothing from the network, escape every string
from data, and are byte-identical when nothing changed. A failing notebook leaves earlier reports
in place. Rendering lives in `commissioning.run.convert`, `.page` and `.index`.

The run's parts: `commissioning.run.notebooks` (which notebooks, languages and parameters),
`commissioning.run.execute` (executing them) and `commissioning.run.manifest` (what each report
was made from, writing the output folder).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..core import LANGS
from ..data import default_data_dir, fingerprint
from ..errors import ParameterError
from .convert import coalesce
from .execute import Job, Pass, run_all
from .index import DISCLOSURE_PAGE, IndexEntry, disclosure_page, index_page
from .manifest import (
    MANIFEST, REPORT_KEY, all_published, declared_cached, input_key, library_key, read_data_summary, read_manifest,
    report_key, shown_parameters, write_atomically,
)
from .notebooks import (
    KERNELSPEC, REPO, check_declared, check_notebook_languages, check_values, default_notebooks_dir, languages_asked,
    select_notebooks,
)
from .page import report_page

__all__ = ["refresh_notebooks", "run_suite"]


# --- one run -----------------------------------------------------------------------------------

@dataclass
class _Run:
    """What one `run_suite` call works with, known before anything runs."""

    out: Path  # the output folder
    data_dir: object  # as given; None: the shipped data
    parameters: dict  # as given (checked against the notebooks and the codebook)
    given: dict  # what the notebooks get: the parameters and the absolute data_dir, if given
    langs: tuple  # the report languages asked for, in the suite's order
    selected: dict  # {name: path} of the notebooks of the run
    declared: dict  # {name: the parameters the notebook declares}
    manifest: dict  # the output folder's manifest, updated with every report made
    fingerprint: str  # of the data
    publish: bool = False  # a published run: it joins the release of its data folder
    threshold: int = 3
    release: object = None  # the release it joins (`disclosure.gate.join`), once the data is loaded


def _notebooks_folder(notebooks_dir) -> Path:
    # `default_notebooks_dir` is looked up here, in this module, where a test may replace it
    return Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()


def _refuse_reserved(parameters: dict):
    """The parameters a run sets itself, from its own arguments, are not given as parameters."""
    if "data_dir" in parameters:
        raise ParameterError("parameter 'data_dir'", problem="give the data directory with --data (data_dir=) instead")
    if "lang" in parameters:
        raise ParameterError("parameter 'lang'", problem="give the report languages with --lang (languages=) instead", allowed=f"{', '.join(LANGS)}, or several separated by commas")


def _prepare(*, data_dir, out_dir, only, parameters, languages, notebooks_dir) -> _Run:
    """Read the arguments, the output folder's manifest and the notebooks' declared parameters."""
    langs = languages_asked(languages)
    parameters = dict(parameters or {})
    selected = select_notebooks(only, _notebooks_folder(notebooks_dir))
    _refuse_reserved(parameters)
    out = Path(out_dir) if out_dir is not None else REPO / "reports"
    manifest = read_manifest(out)
    declared = {name: declared_cached(name, path, manifest) for name, path in selected.items()}
    data_root = Path(data_dir) if data_dir is not None else default_data_dir()
    data_fingerprint = fingerprint(data_root) if data_root.is_dir() else ""
    given = dict(parameters)
    if data_dir is not None:
        given["data_dir"] = str(Path(data_dir).resolve())
    return _Run(out, data_dir, parameters, given, langs, selected, declared, manifest, data_fingerprint,
                publish=parameters.get("publish") is True, threshold=parameters.get("threshold", 3))


def _stale(run: _Run, force: bool) -> tuple[dict, set]:
    """The key of every report's inputs, and the reports to make: those whose inputs changed (all of
    them with `force`) or whose page is missing."""
    code_key = library_key()
    shown_given = {k: v for k, v in run.given.items() if k != "data_dir"}
    keys = {(lang, name): input_key(path, {**shown_given, "data": run.data_dir is not None, "report language": lang},
                                     run.fingerprint, code_key)
            for name, path in run.selected.items() for lang in run.langs}
    stale = {(lang, name) for (lang, name), key in keys.items()
             if force or run.manifest.get(report_key(lang, name), {}).get("key") != key
             or not (run.out / lang / f"{name}.html").is_file()}
    return keys, stale


def _check_inputs(run: _Run, stale: set) -> dict:
    """Check the data, the parameters and the language cells before anything runs or is written;
    return the data's summary (`report.provenance`). Sets the data's fingerprint when anything
    will run."""
    if stale:
        # something will run: check the data first, then the parameters and the notebooks' language
        # cells (nothing is run or written on error)
        # lazy: data.study loads pandas; the command line imports this module and must start without it
        # (tests/test_api.py), and an unchanged rerun never needs it
        from ..data import load_study

        study = load_study(run.data_dir)
        run.fingerprint = study.fingerprint
        # lazy: present.report loads pandas and scipy (see above)
        from ..present import provenance

        data_summary = provenance(study)
        check_declared(run.parameters, run.declared)
        check_values(run.parameters, study)
        if run.data_dir is not None:
            check_declared({"data_dir": None}, run.declared)
        check_notebook_languages({name: path for name, path in run.selected.items()
                               if any((lang, name) in stale for lang in run.langs)})
        if run.publish:  # one release per data folder: its recoding, plan and threshold (lazy: pandas, scipy)
            from ..disclosure import join

            run.release = join(study, threshold=run.threshold, size_class=run.parameters.get("size_class"),
                               out=run.out)
        return data_summary
    # the same notebooks, parameters, data, library and lock as a run that succeeded: the data
    # and parameters were valid then, and nothing needs the analysis stack
    check_declared(run.parameters, run.declared)
    data_summary = read_data_summary(run.out, run.fingerprint)
    if data_summary is None:
        # lazy: these load pandas and scipy, which the command line must start without (tests/test_api.py)
        from ..present import provenance
        from ..data import load_study

        data_summary = provenance(load_study(run.data_dir))
    return data_summary


def _plan(run: _Run, stale: set, progress) -> dict[str, Job]:
    """What to execute: per notebook with a stale report, its passes and the languages to render."""
    work = {}
    for name, path in run.selected.items():
        todo = tuple(lang for lang in run.langs if (lang, name) in stale)
        kept = tuple(lang for lang in run.langs if (lang, name) not in stale)
        if kept:
            progress(f"{name} ({', '.join(kept)}) ... unchanged, kept (use --force to rerun)")
        if todo:
            passes = ([Pass(lang, {**run.given, "lang": lang}) for lang in todo] if "lang" in run.declared[name]
                      else [Pass(None, dict(run.given))])
            work[name] = Job(path.resolve(), passes, todo)
    return work


def _publication(run: _Run, published: bool) -> dict:
    """How a page of the run was published, as the page states it for the auditor (`page.publication_meta`)."""
    return {"publish": bool(published), "threshold": run.threshold, "fingerprint": run.fingerprint,
            "selection": {k: run.parameters.get(k) for k in ("region", "size_class")}}


def _report_files(run: _Run, work: dict, results: dict, keys: dict) -> dict:
    """The page of every report made, {path: text}; records each in the manifest."""
    files = {}
    for name, job in work.items():
        _, pages = results[name]
        digest = hashlib.sha256(run.selected[name].read_bytes()).hexdigest()
        for lang in job.render:
            page = pages[lang]
            shown = shown_parameters(run.declared[name], run.parameters, run.data_dir, lang)
            publication = _publication(run, run.publish)
            files[run.out / lang / f"{name}.html"] = report_page(
                page, lang=lang, parameters=shown, fingerprint=run.fingerprint, version=__version__,
                publication=publication)
            run.manifest[report_key(lang, name)] = {
                "key": keys[(lang, name)], "title": page.title, "parameters": shown,
                "fingerprint": run.fingerprint, "version": __version__, "notebook": digest,
                "declared": [[k, v.get("default")] for k, v in run.declared[name].items()],
                "notices": list(page.notices), "published": bool(run.publish),
            }
    return files


def _index_files(run: _Run, made: set, data_summary) -> dict:
    """The index, listing every report in the folder (those of earlier runs included), and the
    manifest, {path: text}; keeps in `run.manifest` only the reports the folder holds."""
    out = run.out
    run.manifest = {k: e for k, e in sorted(run.manifest.items()) if k in made or (out / f"{k}.html").is_file()}
    entries = []
    for k, e in run.manifest.items():
        m = REPORT_KEY.match(k)
        entries.append(IndexEntry(
            name=m["name"], lang=m["lang"], title=str(e.get("title", m["name"])),
            parameters=tuple(tuple(p) for p in e.get("parameters", [])), fingerprint=str(e.get("fingerprint", "")),
            notices=tuple(e.get("notices", []))))
    published = all_published(run.manifest)
    index = index_page(
        entries, fingerprint=run.fingerprint, version=__version__, publication=_publication(run, published),
        data_dir_name=None if run.data_dir is None else Path(run.data_dir).name, data=data_summary,
        disclosure_log=published and (bool(made) or (out / DISCLOSURE_PAGE).is_file()))
    manifest = json.dumps({"data": {"fingerprint": run.fingerprint, "summary": data_summary},
                           "reports": run.manifest}, indent=1, sort_keys=True) + "\n"
    return {out / "index.html": index, out / MANIFEST: manifest}


def _published_files(run: _Run, files: dict) -> dict:
    """The gate of a published run (`disclosure.publish`): its pages, with those its folder keeps,
    audited with every other published run of the release before anything is written; then the
    disclosure log's page and the folder's release.json, {path: text}."""
    # lazy: the gate loads pandas, scipy and lxml, which the command line must start without (tests/test_api.py)
    from ..disclosure import publish, RECORD

    pages = {key: made if (made := files.get(run.out / f"{key}.html")) is not None
             else (run.out / f"{key}.html").read_text(encoding="utf-8") for key in run.manifest}  # every report of the folder: those made now, and those kept
    selection = {k: run.parameters.get(k) for k in ("region", "size_class") if run.parameters.get(k) is not None}
    titles = {lang: {REPORT_KEY.match(k)["name"]: e.get("title") for k, e in run.manifest.items()
                     if k.startswith(f"{lang}/")} for lang in LANGS}
    data_dir = Path(run.data_dir) if run.data_dir is not None else default_data_dir()
    done = publish(pages, files[run.out / "index.html"], out=run.out, rel=run.release, data_dir=data_dir,
                   selection=selection, titles=titles)
    return {run.out / DISCLOSURE_PAGE: disclosure_page(
                done.logs, threshold=run.threshold, fingerprint=run.fingerprint, version=__version__,
                data_dir_name=None if run.data_dir is None else Path(run.data_dir).name, selection=selection or None,
                publication=_publication(run, True)),
            run.out / RECORD: json.dumps(done.record, indent=1, sort_keys=True) + "\n"}


def _unpublished_folder(run: _Run) -> None:
    """A folder that holds a report made without publishing is no publication: it leaves its
    release (its release.json and disclosure log go)."""
    for name in (DISCLOSURE_PAGE, "release.json"):
        if (run.out / name).is_file():
            (run.out / name).unlink()


def run_suite(*, data_dir=None, out_dir=None, only=None, parameters: dict | None = None, languages=None,
              jobs=None, force=False, progress=lambda line: None, notebooks_dir=None) -> int:
    """Execute the notebooks and write their reports in every language asked for, plus ``index.html``.

    Each report goes to ``<out_dir>/<lang>/<notebook>.html``; ``<out_dir>/index.html`` lists every
    report of the folder, one row per notebook and one column per language, and
    ``<out_dir>/.manifest.json`` records what each (notebook, language) report was made from. A
    notebook runs once, in one kernel, for all its languages (see `commissioning.run.execute`).

    Parameters
    ----------
    data_dir : path, optional
        Data directory passed to every notebook (absolute); None means the notebooks' default,
        the shipped data.
    out_dir : path, optional
        Where the reports go (default: reports/ of the repository).
    only : list of str, optional
        Notebook names (stems, e.g. ``00-sample``) to run; default all.
    parameters : dict
        Notebook parameters; each must be declared by every selected notebook. Not `lang` (see
        `languages`) nor `data_dir` (see `data_dir`).
    languages : sequence of str or str, optional
        Report languages, ``["en", "nl"]`` or ``"en,nl"``; default both. A notebook that declares
        the parameter `lang` runs with each; one that does not runs once and is rendered in each
        (its cells tagged `lang-en` / `lang-nl` choose the text).
    jobs : int, optional
        Notebooks executed in parallel (default: the number of cores).
    force : bool
        Re-execute every selected notebook even when its inputs (notebook, parameters, language,
        data, library, lock) are unchanged since the report in `out_dir` was made.
    progress : callable
        Called with one short line per finished notebook.
    notebooks_dir : path, optional
        Folder of the notebooks (default: notebooks/ of the repository).

    Returns
    -------
    int
        0 when every report was written.

    Raises
    ------
    DataError
        The data directory is invalid (nothing is run).
    ParameterError
        An unknown notebook or language, an undeclared parameter, a value outside the codebook or a
        filter that selects nothing (nothing is run).
    NotebookError
        A notebook's language cells do not pair up (nothing is run).
    SuiteError
        A notebook failed; names the notebook, the cell, the language and the error. No report is
        written.

    Examples
    --------
    Running the notebooks takes a while (`make reports`); what a run checks before it runs
    anything is quick. Bad input raises, and nothing is written:

    >>> import tempfile
    >>> from commissioning.run.suite import run_suite
    >>> out = Path(tempfile.mkdtemp()) / "reports"
    >>> run_suite(out_dir=out, languages="en,fr")
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: lang: 'fr' is not allowed; allowed: en, nl
    >>> run_suite(out_dir=out, parameters={"lang": "nl"})
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: parameter 'lang': give the report languages with --lang (languages=) instead; allowed: en, nl, or several separated by commas
    >>> out.exists()
    False
    """
    run = _prepare(data_dir=data_dir, out_dir=out_dir, only=only, parameters=parameters, languages=languages,
                   notebooks_dir=notebooks_dir)
    cwd = Path(notebooks_dir).resolve() if notebooks_dir is not None else default_notebooks_dir()
    keys, stale = _stale(run, force)
    data_summary = _check_inputs(run, stale)
    work = _plan(run, stale, progress)
    results = run_all(work, jobs=jobs, cwd=cwd, progress=progress) if work else {}
    files = _report_files(run, work, results, keys)
    made = {report_key(lang, name) for name, job in work.items() for lang in job.render}
    files.update(_index_files(run, made, data_summary))
    published = made and all_published(run.manifest) and run.release is not None
    if published:
        progress("auditing the published pages with the release's other runs ...")
        files.update(_published_files(run, files))  # raises DisclosureError: nothing is written
    write_atomically(files)
    if published:
        from ..disclosure import register

        register(run.fingerprint, run.out, run.threshold)
    elif made:
        _unpublished_folder(run)
    written = ", ".join(lang for lang in run.langs if any(k.startswith(f"{lang}/") for k in made))
    progress(f"wrote {len(made)} report{'s' if len(made) != 1 else ''} ({written}) and the index to {run.out}"
             if made else f"nothing changed; index rewritten in {run.out}")
    return 0


# --- refreshing the committed notebooks --------------------------------------------------------

def _strip_volatile(nb):
    """Drop papermill's and nbclient's timings and keep a fixed kernelspec; returns `nb`."""
    nb.metadata.pop("papermill", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce(cell.get("outputs", []))
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.metadata.get("tags") == []:
            del cell.metadata["tags"]
    return nb


def refresh_notebooks(*, only=None, progress=lambda line: None, notebooks_dir=None) -> int:
    """Re-execute the committed notebooks in place with their default parameters.

    Outputs and execution counts are kept; nbclient's timings are removed and the kernelspec is
    set to the suite's kernel, so that an unchanged notebook is rewritten byte for byte. A
    failing notebook raises SuiteError and is left as it was.

    Returns
    -------
    int
        0 when every selected notebook was refreshed.

    Examples
    --------
    Executing the notebooks takes a while (`make notebooks`); choosing them is quick. A name that
    is not a notebook of the folder, or a folder without notebooks, raises and runs nothing:

    >>> import tempfile
    >>> from commissioning.run.suite import refresh_notebooks
    >>> refresh_notebooks(only=["99-nothing"])
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: notebooks: '99-nothing' names no notebook of the folder; allowed: 00-sample, ...
    >>> refresh_notebooks(notebooks_dir=tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    commissioning.errors.SuiteError: no notebooks named NN-topic.ipynb in ...
    """
    # lazy: nbformat takes over a second to import (jsonschema); only reading or running a notebook needs it
    import nbformat

    selected = select_notebooks(only, _notebooks_folder(notebooks_dir))
    cwd = Path(notebooks_dir).resolve() if notebooks_dir is not None else default_notebooks_dir()
    work = {n: Job(p.resolve(), [Pass(None, {})], ()) for n, p in selected.items()}
    executed = run_all(work, jobs=1, cwd=cwd, progress=progress)
    files = {}
    for name, path in selected.items():
        nb = _strip_volatile(executed[name][0][0])
        files[path] = nbformat.writes(nb) + "\n"
    write_atomically(files)
    return 0
