"""Run the notebooks with papermill, render them to self-contained HTML and write an index.

`run_suite` is `commissioning run`; `refresh_notebooks` is `commissioning notebooks`.
Reports hide code, load nothing from the network, escape every string from data, and are
byte-identical when nothing changed. A failing notebook leaves earlier reports in place.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import html
import json
import os
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .errors import CommissioningError, ParameterError

REPO = Path(__file__).resolve().parents[2]
KERNEL_NAME = "commissioning"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python (commissioning)", "language": "python"}
NOTEBOOK_RE = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
CHOICES = {"lang": ("en", "nl"), "unit": ("interview", "municipality")}
PAPERMILL_TAGS = ("parameters", "injected-parameters")
MANIFEST = ".manifest.json"  # in the output folder: what each report was made from


class SuiteError(CommissioningError):
    """A notebook failed to run (or could not be started); the message names notebook, cell, error."""

    exit_code = 1


@dataclass(frozen=True)
class _Report:
    name: str
    title: str
    parameters: dict  # name -> text shown in the index
    body: str


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
        raise ParameterError(
            f"unknown notebook{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            f"available: {', '.join(found)}"
        )
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
            raise ParameterError(f"{name}: {parameters[name]!r} is not allowed; allowed: {', '.join(allowed)}")
    if "publish" in parameters and not isinstance(parameters["publish"], bool):
        raise ParameterError(f"publish: {parameters['publish']!r} is not allowed; allowed: true, false")
    variable, code = parameters.get("variable"), parameters.get("code")
    if "variable" in parameters and variable not in study.codebook.variables:
        raise ParameterError(f"variable: {variable!r} is not a variable of the codebook; allowed: "
                             f"{', '.join(study.codebook.variables)}")
    if "code" in parameters:
        if "variable" in parameters:
            study.codebook.check_code(variable, code, name="code")
        elif not any(code in v.codes for v in study.codebook.variables.values()):
            raise ParameterError(f"code: {code!r} is not a code of any variable of the codebook; allowed: a code of "
                                 "the notebook's variable (see `commissioning codebook`)")
    return study.filter(region=parameters.get("region"), size_class=parameters.get("size_class"))


def _check_declared(parameters: dict, declared: dict[str, dict]):
    for name in parameters:
        for nb_name, params in declared.items():
            if name not in params:
                raise ParameterError(
                    f"parameter {name!r} is not declared by notebook {nb_name}; "
                    f"it declares: {', '.join(params) or 'nothing'}"
                )


def _title(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^#{1,6}\s+(.+?)\s*#*\s*$", line)
            if m:
                return m.group(1)
    return fallback


def _source_cell_number(source_nb, err) -> str:
    """'cell N' (1-based, in the notebook as committed) of the cell that raised, with its first line.

    Papermill's own index and execution count include the injected-parameters cell, so the cell
    is found by its source in the notebook as written.
    """
    number = None
    for i, cell in enumerate(source_nb.cells, 1):
        if cell.cell_type == "code" and cell.source == err.source:
            number = i
            break
    if number is None:
        number = (err.cell_index or 0) + 1
    first = next((line.strip() for line in (err.source or "").splitlines() if line.strip()), "")
    if len(first) > 60:
        first = first[:57] + "..."
    return f"cell {number} (first line: {first})" if first else f"cell {number}"


def _execute(name: str, path: Path, parameters: dict, workdir: Path, cwd: Path):
    """Execute one notebook with papermill into `workdir`; return the executed notebook."""
    import nbformat
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel

    output = workdir / path.name
    try:
        # The kernel's working directory goes through nbclient's resources rather than papermill's
        # `cwd`, which changes the whole process's directory and so is unsafe in threads.
        papermill.execute_notebook(
            str(path), str(output), parameters=parameters or None, kernel_name=KERNEL_NAME,
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            resources={"metadata": {"path": str(cwd)}},
        )
    except papermill.PapermillExecutionError as exc:
        source_nb = nbformat.read(str(path), as_version=4)
        raise SuiteError(
            f"notebook {name} failed at {_source_cell_number(source_nb, exc)}: {exc.ename}: {exc.evalue}"
        ) from None
    except NoSuchKernel:
        raise SuiteError(
            f"notebook {name}: the Jupyter kernel {KERNEL_NAME!r} is not installed; install it with "
            f"python -m ipykernel install --sys-prefix --name {KERNEL_NAME} "
            '--display-name "Python (commissioning)" (make does this)'
        ) from None
    except Exception as exc:  # a dead kernel, a timeout, an unreadable notebook
        raise SuiteError(f"notebook {name} could not be run: {type(exc).__name__}: {exc}") from None
    return nbformat.read(str(output), as_version=4)


def _timed(started: dict, name: str, *args):
    started[name] = time.perf_counter()
    return _execute(name, *args)


def _run_all(selected: dict[str, Path], parameters: dict, *, jobs, cwd: Path, progress) -> dict:
    """Execute every selected notebook (in parallel up to `jobs`); raise SuiteError on failure."""
    total = len(selected)
    results, errors = {}, {}
    jobs = max(1, min(jobs or os.cpu_count() or 1, total))
    with tempfile.TemporaryDirectory(prefix="commissioning-run-") as tmp:
        workdir = Path(tmp)
        started = {}  # when each notebook left the queue, for the progress line
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {
                pool.submit(_timed, started, name, path, parameters.get(name, {}), workdir, cwd): name
                for name, path in selected.items()
            }
            for done, future in enumerate(as_completed(futures), 1):
                name = futures[future]
                seconds = time.perf_counter() - started.get(name, time.perf_counter())
                try:
                    results[name] = future.result()
                except SuiteError as exc:
                    errors[name] = exc
                    progress(f"[{done}/{total}] {name} ... failed ({seconds:.1f} s)")
                else:
                    progress(f"[{done}/{total}] {name} ... done ({seconds:.1f} s)")
    if errors:
        messages = [str(errors[name]) for name in selected if name in errors]
        raise SuiteError("\n".join(messages))
    return results


# --- rendering -------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
h1, h2, h3 { line-height: 1.25; }
a.anchor-link { display: none; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #d0d0d0; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td { font-variant-numeric: tabular-nums; }
thead th { border-bottom: 2px solid #606060; }
img { max-width: 100%; height: auto; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: 0.5rem; }
.jp-OutputArea-output pre, .output_text pre { background: none; padding: 0; }
.meta { color: #555; font-size: 0.85rem; }
""".strip()

_SCRIPT_RE = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def _page(title: str, body: str, footer: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f"{body.strip()}\n<footer class=\"meta\">\n{footer}\n</footer>\n</body>\n</html>\n"
    )


def _coalesce(outputs: list) -> list:
    """Merge consecutive outputs of the same stream (nbconvert's coalesce_streams): how a kernel
    splits printed text into messages depends on timing, and reports and notebooks must not."""
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor
    from nbformat import NotebookNode

    cell, _ = CoalesceStreamsPreprocessor().preprocess_cell(
        NotebookNode(cell_type="code", outputs=copy.deepcopy(list(outputs))), {}, 0)
    return cell.outputs


def _clean_for_html(nb):
    """A copy without the parameter cells, cells tagged `remove`, stderr output and empty code cells;
    a figure without alt text gets the markdown line that follows it."""
    nb = copy.deepcopy(nb)
    kept = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"remove", *PAPERMILL_TAGS}:
            continue
        if cell.cell_type == "markdown" and "papermill-error-cell-tag" in tags:
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in _coalesce(cell.get("outputs", []))
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
            if not cell.outputs:  # code is hidden, so a cell without output shows nothing
                continue
        kept.append(cell)
    for i, cell in enumerate(kept):  # alt text of a figure: the markdown line that follows it
        has_image = cell.cell_type == "code" and any("image/png" in o.get("data", {}) for o in cell.outputs)
        if has_image and not cell.metadata.get("alt"):
            after = next((c for c in kept[i + 1:] if c.cell_type == "markdown"), None)
            if after is not None and not after.source.lstrip().startswith("#"):
                cell.metadata["alt"] = " ".join(re.sub(r"[*_`]", "", after.source).split())
    nb.cells = kept
    return nb


def _render_body(nb) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(_clean_for_html(nb))
    return _SCRIPT_RE.sub("", body)


def _parameter_text(value) -> str:
    return repr(value)


def _default_text(source: str) -> str:
    """A declared default as the index shows a given value ('en', not "en")."""
    try:
        return repr(ast.literal_eval(source))
    except (ValueError, SyntaxError, TypeError):
        return str(source)


def _parameters_html(parameters: dict) -> str:
    if not parameters:
        return "none"
    return ", ".join(
        f"<code>{html.escape(name)} = {html.escape(text)}</code>" for name, text in parameters.items()
    )


def _report_page(report: _Report, *, fingerprint: str, version: str) -> str:
    footer = (
        f'<p><a href="index.html">All reports</a> · parameters: {_parameters_html(report.parameters)} · '
        f"data fingerprint <code>{html.escape(fingerprint)}</code> · "
        f"commissioning {html.escape(version)}</p>"
    )
    return _page(report.title, report.body, footer)


def _index_page(reports: list[_Report], *, fingerprint: str, version: str, data_label: str,
                fingerprints: dict | None = None) -> str:
    fingerprints = fingerprints or {}
    rows = "\n".join(
        "<tr>"
        f'<td><a href="{html.escape(r.name, quote=True)}.html">{html.escape(r.title)}</a></td>'
        f"<td><code>{html.escape(r.name)}</code></td>"
        f"<td>{_parameters_html(r.parameters)}</td>"
        f"<td><code>{html.escape(fingerprints.get(r.name, fingerprint))}</code></td>"
        "</tr>"
        for r in reports
    )
    body = (
        "<h1>Commissioning: reports</h1>\n"
        f"<p>Data: {html.escape(data_label)}, fingerprint <code>{html.escape(fingerprint)}</code>. "
        f"Library: commissioning {html.escape(version)}.</p>\n"
        "<table>\n<thead><tr><th>Report</th><th>Notebook</th><th>Parameters</th><th>Data</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>"
    )
    footer = (f"<p>data fingerprint <code>{html.escape(fingerprint)}</code> · "
              f"commissioning {html.escape(version)}</p>")
    return _page("Commissioning: reports", body, footer)


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


def _shown_parameters(declared: dict, given: dict, data_dir) -> dict:
    """The parameters a report ran with, as text for the index (no absolute path)."""
    shown = {}
    for name, spec in declared.items():
        if name == "data_dir":
            shown[name] = "shipped data" if data_dir is None else f"folder {Path(data_dir).name!r}"
        elif name in given:
            shown[name] = _parameter_text(given[name])
        else:
            shown[name] = _default_text(spec.get("default"))
    return shown


def _hash_files(paths) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _code_key() -> str:
    """A hash of the library's source and the lock: a change to either reruns every report."""
    lib = sorted(Path(__file__).resolve().parent.glob("*.py"))
    lock = [REPO / "requirements.lock"] if (REPO / "requirements.lock").is_file() else []
    return _hash_files(lib + lock)


def _input_key(notebook: Path, given: dict, fingerprint: str, code_key: str) -> str:
    """What a report depends on: notebook, parameters, data, library and lock."""
    h = hashlib.sha256()
    h.update(notebook.read_bytes())
    h.update(json.dumps(given, sort_keys=True, default=str).encode())
    h.update(fingerprint.encode())
    h.update(code_key.encode())
    return h.hexdigest()


def _read_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return data.get("reports", {}) if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _declared_cached(name: str, path: Path, manifest: dict) -> dict:
    """The notebook's declared parameters, from the manifest when the notebook is unchanged."""
    entry = manifest.get(name, {})
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if entry.get("notebook") == digest and isinstance(entry.get("declared"), list):
        return {k: {"default": default} for k, default in entry["declared"]}  # a list keeps the order
    return {k: {"default": v.get("default")} for k, v in _declared(path).items()}


def run_suite(*, data_dir=None, out_dir=None, only=None, parameters: dict | None = None, jobs=None,
              force=False, progress=lambda line: None, notebooks_dir=None) -> int:
    """Execute the notebooks and write one HTML report per notebook plus ``index.html``.

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
        Notebook parameters; each must be declared by every selected notebook.
    jobs : int, optional
        Notebooks executed in parallel (default: the number of cores).
    force : bool
        Re-execute every selected notebook even when its inputs (notebook, parameters, data,
        library, lock) are unchanged since the report in `out_dir` was made.
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
        An unknown notebook, an undeclared parameter, a value outside the codebook or a filter
        that selects nothing (nothing is run).
    SuiteError
        A notebook failed; names the notebook, the cell and the error. No report is written.
    """
    from . import __version__
    from ._files import default_data_dir, fingerprint

    parameters = dict(parameters or {})
    selected = _select(only, notebooks_dir)
    if "data_dir" in parameters:
        raise ParameterError("parameter 'data_dir': give the data directory with --data (data_dir=) instead")
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
    keys = {name: _input_key(path, {**shown_given, "data": data_dir is not None}, data_fingerprint, code_key)
            for name, path in selected.items()}
    stale = {name: path for name, path in selected.items()
             if force or manifest.get(name, {}).get("key") != keys[name] or not (out / f"{name}.html").is_file()}
    if stale:
        # something will run: check the data first, then the parameters (nothing is run or written on error)
        from .study import load_study

        study = load_study(data_dir)
        data_fingerprint = study.fingerprint
        _check_declared(parameters, declared)
        _check_values(parameters, study)
        if data_dir is not None:
            _check_declared({"data_dir": None}, declared)
    else:
        # the same notebooks, parameters, data, library and lock as a run that succeeded: the data
        # and parameters were valid then, and nothing needs the analysis stack
        _check_declared(parameters, declared)
    for name in (n for n in selected if n not in stale):
        progress(f"{name} ... unchanged, kept (use --force to rerun)")
    executed = _run_all({n: p.resolve() for n, p in stale.items()}, {n: given for n in stale},
                        jobs=jobs, cwd=cwd, progress=progress) if stale else {}

    files = {}
    for name in stale:
        report = _Report(name=name, title=_title(executed[name], name),
                         parameters=_shown_parameters(declared[name], parameters, data_dir),
                         body=_render_body(executed[name]))
        files[out / f"{name}.html"] = _report_page(report, fingerprint=data_fingerprint, version=__version__)
        manifest[name] = {
            "key": keys[name], "title": report.title, "parameters": list(report.parameters.items()),
            "fingerprint": data_fingerprint, "version": __version__,
            "notebook": hashlib.sha256(selected[name].read_bytes()).hexdigest(),
            "declared": [[k, v.get("default")] for k, v in declared[name].items()],
        }
    # the index lists every report in the folder, those of earlier runs included
    manifest = {n: e for n, e in sorted(manifest.items()) if n in stale or (out / f"{n}.html").is_file()}
    listed = [_Report(n, e["title"], dict(e["parameters"]), "") for n, e in manifest.items()]
    data_label = "the shipped data" if data_dir is None else f"the folder {Path(data_dir).name!r}"
    files[out / "index.html"] = _index_page(listed, fingerprint=data_fingerprint, version=__version__,
                                            data_label=data_label,
                                            fingerprints={n: e.get("fingerprint", "") for n, e in manifest.items()})
    files[out / MANIFEST] = json.dumps({"reports": manifest}, indent=1, sort_keys=True) + "\n"
    _write_atomically(files)
    progress(f"wrote {len(files) - 2} report{'s' if len(files) != 3 else ''} and the index to {out}"
             if stale else f"nothing changed; index rewritten in {out}")
    return 0


# --- refreshing the committed notebooks --------------------------------------------------------

def _strip_volatile(nb):
    """Drop papermill's and nbclient's timings and keep a fixed kernelspec; returns `nb`."""
    nb.metadata.pop("papermill", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _coalesce(cell.get("outputs", []))
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.metadata.get("tags") == []:
            del cell.metadata["tags"]
    return nb


def refresh_notebooks(*, only=None, progress=lambda line: None, notebooks_dir=None) -> int:
    """Re-execute the committed notebooks in place with their default parameters.

    Outputs and execution counts are kept; papermill and nbclient timings are removed and the
    kernelspec is set to the suite's kernel, so that an unchanged notebook is rewritten
    byte for byte. A failing notebook raises SuiteError and is left as it was.

    Returns
    -------
    int
        0 when every selected notebook was refreshed.
    """
    import nbformat

    selected = _select(only, notebooks_dir)
    cwd = Path(notebooks_dir).resolve() if notebooks_dir is not None else default_notebooks_dir()
    executed = _run_all({n: p.resolve() for n, p in selected.items()}, {}, jobs=1, cwd=cwd, progress=progress)
    files = {}
    for name, path in selected.items():
        nb = _strip_volatile(executed[name])
        files[path] = nbformat.writes(nb) + "\n"
    _write_atomically(files)
    return 0
