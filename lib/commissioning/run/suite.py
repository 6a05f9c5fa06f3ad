"""Run the notebooks, render them to self-contained HTML in English and Dutch and write an index.

`run_suite` is `commissioning run`; `refresh_notebooks` is `commissioning notebooks`.
Each notebook runs once per run, in one kernel, for every report language; its reports go to
``<lang>/<notebook>.html``. Reports hide code, load nothing from the network, escape every string
from data, and are byte-identical when nothing changed. A failing notebook leaves earlier reports
in place. Rendering lives in `commissioning.run.render`.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import os
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..run import render
from ..errors import CommissioningError, NotebookError, ParameterError, SuiteError
from ..core.checks import LANGS

REPO = Path(__file__).resolve().parents[3]
KERNEL_NAME = "commissioning"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python (commissioning)", "language": "python"}
NOTEBOOK_RE = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
CHOICES = {"lang": LANGS, "unit": ("interview", "municipality")}
MANIFEST = ".manifest.json"  # in the output folder: what each (notebook, language) report was made from



def default_notebooks_dir() -> Path:
    """The repository's notebooks/ folder."""
    return REPO / "notebooks"


def available_notebooks(notebooks_dir: str | os.PathLike | None = None) -> dict[str, Path]:
    """Notebooks named `NN-topic.ipynb` in run order, as {stem: path}."""
    folder = Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.iterdir()) if p.is_file() and NOTEBOOK_RE.match(p.name)}


def _select(only, notebooks_dir) -> dict[str, Path]:
    found = available_notebooks(notebooks_dir)
    if not found:
        folder = Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()
        raise SuiteError(f"no notebooks named NN-topic.ipynb in {folder}")
    if not only:
        return found
    unknown = [name for name in only if name not in found]
    if unknown:
        raise ParameterError("notebooks", unknown[0] if len(unknown) == 1 else unknown, problem="names no notebook of the folder" if len(unknown) == 1
                             else "name no notebooks of the folder", allowed=found)
    wanted = set(only)
    return {name: path for name, path in found.items() if name in wanted}


def _declared(path: Path) -> dict:
    import papermill

    return papermill.inspect_notebook(str(path))


def _check_values(parameters: dict, study):
    """Check the common parameters' values; return the study filtered as asked."""
    for name in ("region", "size_class"):
        value = parameters.get(name)
        if value is not None:
            study.codebook.check_code(name, value, name=name)
    for name, allowed in CHOICES.items():
        if name in parameters and parameters[name] not in allowed:
            raise ParameterError(name, parameters[name], allowed=allowed)
    if "publish" in parameters and not isinstance(parameters["publish"], bool):
        raise ParameterError("publish", parameters["publish"], allowed="true, false")
    threshold = parameters.get("threshold", 3)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ParameterError("threshold", threshold, allowed="a whole number of at least 1")
    variable, code = parameters.get("variable"), parameters.get("code")
    if "variable" in parameters and variable not in study.codebook.variables:
        raise ParameterError("variable", variable, problem="is not a variable of the codebook", allowed=study.codebook.variables)
    if "code" in parameters:
        if "variable" in parameters:
            study.codebook.check_code(variable, code, name="code")
        elif not any(code in v.codes for v in study.codebook.variables.values()):
            raise ParameterError("code", code, problem="is not a code of any variable of the codebook", allowed="a code of the notebook's variable (see `commissioning codebook`)")
    return study.filter(region=parameters.get("region"), size_class=parameters.get("size_class"))


def _check_declared(parameters: dict, declared: dict[str, dict]):
    for name in parameters:
        for nb_name, params in declared.items():
            if name not in params:
                raise ParameterError("parameter", name, problem=f"is not declared by notebook {nb_name}",
                                     allowed=list(params) or "nothing (the notebook declares no parameter)")


def _first_line(source: str) -> str:
    first = next((line.strip() for line in (source or "").splitlines() if line.strip()), "")
    return first if len(first) <= 60 else first[:57] + "..."


# --- executing -------------------------------------------------------------------------------
#
# A notebook runs once per `commissioning run`, in one kernel, for every report language: the
# kernel executes the notebook's cells with the parameters of the first language injected after
# the parameters cell, then the same cells again with those of the next language, and so on
# (`_combine`). The executed cells are split back into one executed notebook per language
# (`_split`). What does not depend on the language (resamplings, permutation tests,
# reconstructions) is computed in the first pass and taken from the in-process memo
# (`commissioning.core.memo`) in the others.

_KERNEL_NOISE = re.compile(
    r"Kernel is running over TCP without encryption|KeyboardInterrupt caught in (?:kernel|CFRunLoop)")


@dataclass(frozen=True)
class _Pass:
    lang: str | None  # the report language this pass computes; None: the notebook declares no `lang`
    parameters: dict  # injected after the parameters cell (none: nothing injected)


def _injected_cell(parameters: dict, cell_id: str):
    from nbformat.v4 import new_code_cell
    from papermill.translators import translate_parameters

    cell = new_code_cell(source=translate_parameters(KERNEL_NAME, "python", parameters, "Parameters"))
    cell.metadata["tags"] = ["injected-parameters"]
    cell.id = cell_id
    return cell


def _combine(nb, passes: list[_Pass]):
    """One notebook that runs `nb` once per pass: its cells, each time with the pass's parameters
    injected after the cell tagged `parameters`. Returns the notebook and, per cell, (pass index,
    index of the cell in `nb` or None for an injected cell, the cell's own id)."""
    kept = [(i, c) for i, c in enumerate(nb.cells)
            if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]  # injected by an earlier run
    index, cells = [i for i, _ in kept], [c for _, c in kept]
    at = next((i + 1 for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    combined = copy.deepcopy(nb)
    combined.cells, origin = [], []
    for k, p in enumerate(passes):
        for i, cell in enumerate(cells):
            if i == at and p.parameters:
                combined.cells.append(_injected_cell(p.parameters, f"injected-{k}"))
                origin.append((k, None, None))
            cell = copy.deepcopy(cell)
            own = cell.get("id")
            if own is not None:
                cell.id = f"pass{k}-{index[i]}"
            combined.cells.append(cell)
            origin.append((k, index[i], own))
        if at == len(cells) and p.parameters:
            combined.cells.append(_injected_cell(p.parameters, f"injected-{k}"))
            origin.append((k, None, None))
    return combined, origin


def _split(combined, origin, passes) -> list:
    """The executed notebook of each pass, with its cells' own ids and execution counts counted
    from 1 as if it had run alone."""
    parts = [[] for _ in passes]
    for cell, (k, _, own) in zip(combined.cells, origin):
        if own is not None:
            cell.id = own
        parts[k].append(cell)
    out, offset = [], 0
    for k, cells in enumerate(parts):
        counts = [c.get("execution_count") or 0 for c in cells if c.cell_type == "code"]
        for cell in cells:
            if cell.cell_type == "code" and cell.get("execution_count"):
                cell.execution_count -= offset
                for o in cell.get("outputs", []):
                    if o.get("execution_count"):
                        o.execution_count -= offset
        offset = max(counts + [offset])
        nb = copy.copy(combined)
        nb.metadata = copy.deepcopy(combined.metadata)
        nb.cells = cells
        out.append(nb)
    return out


def _kernel_output(log_path: Path) -> str:
    """What the kernel process wrote to its stdout and stderr, without the lines every kernel writes
    (the warning that it runs over TCP without encryption, the interrupt of a normal shutdown)."""
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line for line in text.splitlines() if line.strip() and not _KERNEL_NOISE.search(line)]
    return "\n".join(lines[-20:])


def _with_kernel_output(message: str, log_path: Path) -> str:
    shown = _kernel_output(log_path)
    return message + ("\nkernel output:\n" + "\n".join(f"  {line}" for line in shown.splitlines()) if shown else "")


def _execute(name: str, path: Path, passes: list[_Pass], workdir: Path, cwd: Path) -> list:
    """Execute `path` once for all `passes` in one kernel; return one executed notebook per pass.

    The kernel's stdout and stderr go to a file, shown only when the notebook fails.
    """
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # unreadable or not a notebook
        raise SuiteError(f"notebook {name} could not be read: {type(exc).__name__}: {exc}") from None
    combined, origin = _combine(nb, passes)
    log_path = workdir / f"{name}.kernel.log"
    try:
        with open(log_path, "wb") as log:
            # The kernel's working directory goes through the resources: changing the process's
            # directory is unsafe in threads.
            client = NotebookClient(combined, kernel_name=KERNEL_NAME, timeout=None, startup_timeout=120,
                                    record_timing=False, resources={"metadata": {"path": str(cwd)}})
            client.execute(stdout=log, stderr=log)
    except CellExecutionError as exc:
        failed = [i for i, c in enumerate(combined.cells)
                  if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", []))]
        k, orig, _ = origin[failed[-1]] if failed else (0, None, None)
        lang = passes[k].lang
        if orig is None:
            where = "the injected parameters"
        else:
            first = _first_line(nb.cells[orig].source)
            where = f"cell {orig + 1} (first line: {first})" if first else f"cell {orig + 1}"
        with_lang = f" with lang = {lang!r}" if lang is not None else ""
        raise SuiteError(_with_kernel_output(
            f"notebook {name} failed at {where}{with_lang}: {exc.ename}: {exc.evalue}", log_path)) from None
    except NoSuchKernel:
        raise SuiteError(
            f"notebook {name}: the Jupyter kernel {KERNEL_NAME!r} is not installed; install it with "
            f"python -m ipykernel install --sys-prefix --name {KERNEL_NAME} "
            '--display-name "Python (commissioning)" (make does this)'
        ) from None
    except Exception as exc:  # a dead kernel, a timeout
        raise SuiteError(_with_kernel_output(
            f"notebook {name} could not be run: {type(exc).__name__}: {exc}", log_path)) from None
    return _split(combined, origin, passes)


@dataclass(frozen=True)
class _Job:
    path: Path
    passes: list  # of _Pass
    render: tuple  # report languages to render after execution (none: return the executed notebooks)


def _do(name: str, job: _Job, workdir: Path, cwd: Path):
    """Execute one notebook and render its reports: (executed notebooks, {lang: render.Page})."""
    executed = _execute(name, job.path, job.passes, workdir, cwd)
    by_lang = {p.lang: nb for p, nb in zip(job.passes, executed)}
    pages = {lang: render.render(by_lang.get(lang, executed[0]), lang, fallback_title=name) for lang in job.render}
    return executed, pages


def _timed(started: dict, name: str, *args):
    started[name] = time.perf_counter()
    return _do(name, *args)


def _languages_text(job: _Job) -> str:
    langs = job.render or tuple(p.lang for p in job.passes if p.lang)
    return f" ({', '.join(langs)})" if langs else ""


def _run_all(jobs_by_name: dict[str, _Job], *, jobs, cwd: Path, progress) -> dict:
    """Execute every notebook (in parallel up to `jobs`); raise SuiteError on failure."""
    total = len(jobs_by_name)
    results, errors = {}, {}
    jobs = max(1, min(jobs or os.cpu_count() or 1, total))
    with tempfile.TemporaryDirectory(prefix="commissioning-run-") as tmp:
        workdir = Path(tmp)
        started = {}  # when each notebook left the queue, for the progress line
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_timed, started, name, job, workdir, cwd): name
                       for name, job in jobs_by_name.items()}
            for done, future in enumerate(as_completed(futures), 1):
                name = futures[future]
                seconds = time.perf_counter() - started.get(name, time.perf_counter())
                langs = _languages_text(jobs_by_name[name])
                try:
                    results[name] = future.result()
                except SuiteError as exc:
                    errors[name] = exc
                    progress(f"[{done}/{total}] {name}{langs} ... failed ({seconds:.1f} s)")
                else:
                    progress(f"[{done}/{total}] {name}{langs} ... done ({seconds:.1f} s)")
    if errors:
        messages = [str(errors[name]) for name in jobs_by_name if name in errors]
        raise SuiteError("\n".join(messages))
    return results


# --- the published reports -------------------------------------------------------------------

def _write_atomically(files: dict[Path, str]):
    """Write every file to a temporary file next to it, then move them all into place."""
    temps = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; reports are ordinary files
        for tmp, target in temps:
            os.replace(tmp, target)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _default_text(source: str) -> str:
    """A declared default as a report shows a given value ('en', not "en")."""
    try:
        return repr(ast.literal_eval(source))
    except (ValueError, SyntaxError, TypeError):
        return str(source)


def _shown_parameters(declared: dict, given: dict, data_dir, lang: str) -> list:
    """The parameters a report ran with, as (name, text) pairs for its footer and the index; the
    text of `data_dir` is None for the shipped data or the folder's name (no absolute path), put
    into words in the report's language by `render.parameter_text`."""
    shown = []
    for name, spec in declared.items():
        if name == "data_dir":
            shown.append([name, None if data_dir is None else Path(data_dir).name])
        elif name == "lang":
            shown.append([name, repr(lang)])
        elif name in given:
            shown.append([name, repr(given[name])])
        else:
            shown.append([name, _default_text(spec.get("default"))])
    return shown


def _hash_files(paths) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _code_key() -> str:
    """A hash of the library's source and the lock: a change to either reruns every report."""
    lib = sorted(Path(__file__).resolve().parents[1].rglob("*.py"))
    lock = [REPO / "requirements.lock"] if (REPO / "requirements.lock").is_file() else []
    return _hash_files(lib + lock)


def _input_key(notebook: Path, given: dict, fingerprint: str, code_key: str) -> str:
    """What a report depends on: notebook, parameters and language, data, library and lock."""
    h = hashlib.sha256()
    h.update(notebook.read_bytes())
    h.update(json.dumps(given, sort_keys=True, default=str).encode())
    h.update(fingerprint.encode())
    h.update(code_key.encode())
    return h.hexdigest()


_REPORT_KEY = re.compile(r"^(?P<lang>[a-z]{2})/(?P<name>\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*)$")


def _report_key(lang: str, name: str) -> str:
    """A report's key in the manifest and its path without `.html` in the output folder: `nl/00-sample`."""
    return f"{lang}/{name}"


def _read_manifest(out: Path) -> dict:
    """The manifest's reports, {'<lang>/<name>': entry} (entries of another layout are dropped)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        reports = data.get("reports", {}) if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
    return {k: e for k, e in reports.items()
            if isinstance(e, dict) and (m := _REPORT_KEY.match(k)) and m["lang"] in LANGS}


def _all_published(manifest: dict) -> bool:
    """Whether every report of the folder was made with publish = True."""
    return bool(manifest) and all(dict(map(tuple, e.get("parameters", []))).get("publish") == "True"
                                  for e in manifest.values())


def _disclosure_log(out: Path, manifest: dict, data_dir, parameters: dict, fingerprint: str) -> str:
    """The disclosure log of a published folder: per notebook, the merges and suppressions of the
    variables its pages show, and the independent audit of every page (`commissioning.disclosure.audit`)."""

    from .. import __version__
    from ..data.files import default_data_dir
    from ..disclosure.audit import audit
    from ..disclosure.log import log_html
    from ..disclosure.protection import protection
    from ..data.study import load_study

    threshold = parameters.get("threshold", 3)
    where = {k: parameters[k] for k in ("region", "size_class") if parameters.get(k) is not None}
    prot = protection(load_study(data_dir).filter(**where), publish=True, threshold=threshold)
    log = prot.log
    used: dict[str, set] = {}
    for key in sorted(manifest):
        name = _REPORT_KEY.match(key)["name"]
        page = (out / f"{key}.html").read_text(encoding="utf-8")
        used.setdefault(name, set()).update(re.findall(r'data-variable="([^"]+)"', page))
    entries = {name: [e for e in log if e.get("variable") is None or e["variable"] in variables]
               for name, variables in used.items()}
    result = audit([out / lang for lang in LANGS if (out / lang).is_dir()],
                   Path(data_dir) if data_dir is not None else default_data_dir(), threshold, where=where or None)
    logs = {lang: log_html(entries, lang, audit=result, protection=prot) for lang in LANGS}
    return render.disclosure_page(logs, threshold=threshold, fingerprint=fingerprint, version=__version__)


def _read_data_summary(out: Path, fingerprint: str) -> dict | None:
    """The manifest's summary of the data (`report.provenance`) when it is of this data."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("data")
    except (OSError, ValueError, AttributeError):
        return None
    if isinstance(data, dict) and data.get("fingerprint") == fingerprint and isinstance(data.get("summary"), dict):
        return data["summary"]
    return None


def _declared_cached(name: str, path: Path, manifest: dict) -> dict:
    """The notebook's declared parameters, from the manifest when the notebook is unchanged."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for lang in LANGS:
        entry = manifest.get(_report_key(lang, name), {})
        if entry.get("notebook") == digest and isinstance(entry.get("declared"), list):
            return {k: {"default": default} for k, default in entry["declared"]}  # a list keeps the order
    return {k: {"default": v.get("default")} for k, v in _declared(path).items()}


def _languages(languages) -> tuple[str, ...]:
    """The report languages asked for, in the suite's order; None means every language."""
    if languages is None:
        return LANGS
    if isinstance(languages, str):
        languages = [part.strip() for part in languages.split(",")]
    asked = list(languages)
    for lang in asked:
        if lang not in LANGS:
            raise ParameterError("lang", lang, allowed=LANGS)
    if not asked:
        raise ParameterError("lang", problem="no language given", allowed=LANGS)
    return tuple(lang for lang in LANGS if lang in asked)


def _check_language_cells(paths: dict[str, Path]):
    """Every language cell of the notebooks that will run has its counterpart (NotebookError if not)."""
    import nbformat

    problems = []
    for name, path in paths.items():
        try:
            render.check_language_cells(nbformat.read(str(path), as_version=4), name=path.name)
        except NotebookError as exc:
            problems.extend(exc.problems)
    if problems:
        raise NotebookError(problems)


def check_language_cells(nb, *, name: str = "notebook") -> int:
    """See `commissioning.run.render.check_language_cells`: every language cell has its counterpart.

    Returns
    -------
    int
        The number of pairs of language cells.

    Examples
    --------
    >>> import nbformat
    >>> from commissioning import suite
    >>> path = suite.default_notebooks_dir() / "00-sample.ipynb"
    >>> suite.check_language_cells(nbformat.read(str(path), as_version=4), name=path.name) >= 0
    True
    """
    return render.check_language_cells(nb, name=name)


def run_suite(*, data_dir=None, out_dir=None, only=None, parameters: dict | None = None, languages=None,
              jobs=None, force=False, progress=lambda line: None, notebooks_dir=None) -> int:
    """Execute the notebooks and write their reports in every language asked for, plus ``index.html``.

    Each report goes to ``<out_dir>/<lang>/<notebook>.html``; ``<out_dir>/index.html`` lists every
    report of the folder, one row per notebook and one column per language, and
    ``<out_dir>/.manifest.json`` records what each (notebook, language) report was made from. A
    notebook runs once, in one kernel, for all its languages (see the comment above `_Pass`).

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
    >>> import tempfile
    >>> from commissioning.run.suite import run_suite
    >>> out = tempfile.mkdtemp()
    >>> run_suite(out_dir=out, only=["00-sample"], languages="nl", parameters={"publish": True})
    0
    >>> sorted(str(p.relative_to(out)) for p in Path(out).rglob("*.html"))
    ['disclosure.html', 'index.html', 'nl/00-sample.html']
    """
    from .. import __version__
    from ..data.files import default_data_dir, fingerprint

    langs = _languages(languages)
    parameters = dict(parameters or {})
    selected = _select(only, notebooks_dir)
    if "data_dir" in parameters:
        raise ParameterError("parameter 'data_dir'", problem="give the data directory with --data (data_dir=) instead")
    if "lang" in parameters:
        raise ParameterError("parameter 'lang'", problem="give the report languages with --lang (languages=) instead", allowed=f"{', '.join(LANGS)}, or several separated by commas")
    out = Path(out_dir) if out_dir is not None else REPO / "reports"
    manifest = _read_manifest(out)
    declared = {name: _declared_cached(name, path, manifest) for name, path in selected.items()}
    data_root = Path(data_dir) if data_dir is not None else default_data_dir()
    data_fingerprint = fingerprint(data_root) if data_root.is_dir() else ""
    given = dict(parameters)
    if data_dir is not None:
        given["data_dir"] = str(Path(data_dir).resolve())
    cwd = Path(notebooks_dir).resolve() if notebooks_dir is not None else default_notebooks_dir()
    code_key = _code_key()
    shown_given = {k: v for k, v in given.items() if k != "data_dir"}
    keys = {(lang, name): _input_key(path, {**shown_given, "data": data_dir is not None, "report language": lang},
                                     data_fingerprint, code_key)
            for name, path in selected.items() for lang in langs}
    stale = {(lang, name) for (lang, name), key in keys.items()
             if force or manifest.get(_report_key(lang, name), {}).get("key") != key
             or not (out / lang / f"{name}.html").is_file()}
    if stale:
        # something will run: check the data first, then the parameters and the notebooks' language
        # cells (nothing is run or written on error)
        from ..data.study import load_study

        study = load_study(data_dir)
        data_fingerprint = study.fingerprint
        from ..present.report import provenance

        data_summary = provenance(study)
        _check_declared(parameters, declared)
        _check_values(parameters, study)
        if data_dir is not None:
            _check_declared({"data_dir": None}, declared)
        _check_language_cells({name: path for name, path in selected.items()
                               if any((lang, name) in stale for lang in langs)})
    else:
        # the same notebooks, parameters, data, library and lock as a run that succeeded: the data
        # and parameters were valid then, and nothing needs the analysis stack
        _check_declared(parameters, declared)
        data_summary = _read_data_summary(out, data_fingerprint)
        if data_summary is None:
            from ..present.report import provenance
            from ..data.study import load_study

            data_summary = provenance(load_study(data_dir))
    work = {}
    for name, path in selected.items():
        todo = tuple(lang for lang in langs if (lang, name) in stale)
        kept = tuple(lang for lang in langs if (lang, name) not in stale)
        if kept:
            progress(f"{name} ({', '.join(kept)}) ... unchanged, kept (use --force to rerun)")
        if todo:
            passes = ([_Pass(lang, {**given, "lang": lang}) for lang in todo] if "lang" in declared[name]
                      else [_Pass(None, dict(given))])
            work[name] = _Job(path.resolve(), passes, todo)
    results = _run_all(work, jobs=jobs, cwd=cwd, progress=progress) if work else {}

    files = {}
    for name, job in work.items():
        _, pages = results[name]
        digest = hashlib.sha256(selected[name].read_bytes()).hexdigest()
        for lang in job.render:
            page = pages[lang]
            shown = _shown_parameters(declared[name], parameters, data_dir, lang)
            files[out / lang / f"{name}.html"] = render.report_page(
                page, lang=lang, parameters=shown, fingerprint=data_fingerprint, version=__version__)
            manifest[_report_key(lang, name)] = {
                "key": keys[(lang, name)], "title": page.title, "parameters": shown,
                "fingerprint": data_fingerprint, "version": __version__, "notebook": digest,
                "declared": [[k, v.get("default")] for k, v in declared[name].items()],
                "notices": list(page.notices),
            }
    # the index lists every report in the folder, those of earlier runs included
    made = {_report_key(lang, name) for name, job in work.items() for lang in job.render}
    manifest = {k: e for k, e in sorted(manifest.items()) if k in made or (out / f"{k}.html").is_file()}
    entries = []
    for k, e in manifest.items():
        m = _REPORT_KEY.match(k)
        entries.append(render.IndexEntry(
            name=m["name"], lang=m["lang"], title=str(e.get("title", m["name"])),
            parameters=tuple(tuple(p) for p in e.get("parameters", [])), fingerprint=str(e.get("fingerprint", "")),
            notices=tuple(e.get("notices", []))))
    published = _all_published(manifest)
    files[out / "index.html"] = render.index_page(
        entries, fingerprint=data_fingerprint, version=__version__,
        data_dir_name=None if data_dir is None else Path(data_dir).name, data=data_summary,
        disclosure_log=published and (bool(made) or (out / render.DISCLOSURE_PAGE).is_file()))
    files[out / MANIFEST] = json.dumps({"data": {"fingerprint": data_fingerprint, "summary": data_summary},
                                        "reports": manifest}, indent=1, sort_keys=True) + "\n"
    _write_atomically(files)
    if made:
        if published:
            progress("auditing the published pages ...")
            _write_atomically({out / render.DISCLOSURE_PAGE: _disclosure_log(out, manifest, data_dir, parameters,
                                                                             data_fingerprint)})
        elif (out / render.DISCLOSURE_PAGE).is_file():  # a log of another run would not describe these pages
            (out / render.DISCLOSURE_PAGE).unlink()
    written = ", ".join(lang for lang in langs if any(k.startswith(f"{lang}/") for k in made))
    progress(f"wrote {len(made)} report{'s' if len(made) != 1 else ''} ({written}) and the index to {out}"
             if made else f"nothing changed; index rewritten in {out}")
    return 0


# --- refreshing the committed notebooks --------------------------------------------------------

def _strip_volatile(nb):
    """Drop papermill's and nbclient's timings and keep a fixed kernelspec; returns `nb`."""
    nb.metadata.pop("papermill", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = render.coalesce(cell.get("outputs", []))
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
    """
    import nbformat

    selected = _select(only, notebooks_dir)
    cwd = Path(notebooks_dir).resolve() if notebooks_dir is not None else default_notebooks_dir()
    work = {n: _Job(p.resolve(), [_Pass(None, {})], ()) for n, p in selected.items()}
    executed = _run_all(work, jobs=1, cwd=cwd, progress=progress)
    files = {}
    for name, path in selected.items():
        nb = _strip_volatile(executed[name][0][0])
        files[path] = nbformat.writes(nb) + "\n"
    _write_atomically(files)
    return 0
