"""Executing notebooks: each once per run, in one kernel, for every report language, in parallel.

A notebook runs once per `commissioning run`, in one kernel, for every report language: the
kernel executes the notebook's cells with the parameters of the first language injected after
the parameters cell, then the same cells again with those of the next language, and so on
(`combine_passes`). The executed cells are split back into one executed notebook per language
(`split_passes`). What does not depend on the language (resamplings, permutation tests,
reconstructions) is computed in the first pass and taken from the in-process memo
(`commissioning.core.memo`) in the others.
"""

from __future__ import annotations

import copy
import os
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..errors import SuiteError
from . import convert
from .notebooks import KERNEL_NAME

KERNEL_NOISE = re.compile(
    r"Kernel is running over TCP without encryption|KeyboardInterrupt caught in (?:kernel|CFRunLoop)")


@dataclass(frozen=True)
class Pass:
    """One pass of a notebook in its kernel: the report language and the parameters it gets."""
    lang: str | None  # the report language this pass computes; None: the notebook declares no `lang`
    parameters: dict  # injected after the parameters cell (none: nothing injected)


def injected_cell(parameters: dict, cell_id: str):
    # lazy: nbformat and papermill are heavy (over a second each to import) and only executing needs them
    """The code cell papermill would inject with `parameters`, tagged injected-parameters."""
    from nbformat.v4 import new_code_cell
    from papermill.translators import translate_parameters

    cell = new_code_cell(source=translate_parameters(KERNEL_NAME, "python", parameters, "Parameters"))
    cell.metadata["tags"] = ["injected-parameters"]
    cell.id = cell_id
    return cell


def combine_passes(nb, passes: list[Pass]):
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
                combined.cells.append(injected_cell(p.parameters, f"injected-{k}"))
                origin.append((k, None, None))
            cell = copy.deepcopy(cell)
            own = cell.get("id")
            if own is not None:
                cell.id = f"pass{k}-{index[i]}"
            combined.cells.append(cell)
            origin.append((k, index[i], own))
        if at == len(cells) and p.parameters:
            combined.cells.append(injected_cell(p.parameters, f"injected-{k}"))
            origin.append((k, None, None))
    return combined, origin


def split_passes(combined, origin, passes) -> list:
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


def kernel_output(log_path: Path) -> str:
    """What the kernel process wrote to its stdout and stderr, without the lines every kernel writes
    (the warning that it runs over TCP without encryption, the interrupt of a normal shutdown)."""
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line for line in text.splitlines() if line.strip() and not KERNEL_NOISE.search(line)]
    return "\n".join(lines[-20:])


def with_kernel_output(message: str, log_path: Path) -> str:
    """`message` followed by what the kernel wrote to `log_path`, if anything."""
    shown = kernel_output(log_path)
    return message + ("\nkernel output:\n" + "\n".join(f"  {line}" for line in shown.splitlines()) if shown else "")


def first_line(source: str) -> str:
    """The first non-blank line of `source`, cut to 60 characters (for messages)."""
    first = next((line.strip() for line in (source or "").splitlines() if line.strip()), "")
    return first if len(first) <= 60 else first[:57] + "..."


def execute_notebook(name: str, path: Path, passes: list[Pass], workdir: Path, cwd: Path) -> list:
    """Execute `path` once for all `passes` in one kernel; return one executed notebook per pass.

    The kernel's stdout and stderr go to a file, shown only when the notebook fails.
    """
    # lazy: nbformat, jupyter_client and nbclient are heavy and only executing a notebook needs them
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # unreadable or not a notebook
        raise SuiteError(f"notebook {name} could not be read: {type(exc).__name__}: {exc}") from None
    combined, origin = combine_passes(nb, passes)
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
            first = first_line(nb.cells[orig].source)
            where = f"cell {orig + 1} (first line: {first})" if first else f"cell {orig + 1}"
        with_lang = f" with lang = {lang!r}" if lang is not None else ""
        raise SuiteError(with_kernel_output(
            f"notebook {name} failed at {where}{with_lang}: {exc.ename}: {exc.evalue}", log_path)) from None
    except NoSuchKernel:
        raise SuiteError(
            f"notebook {name}: the Jupyter kernel {KERNEL_NAME!r} is not installed; install it with "
            f"python -m ipykernel install --sys-prefix --name {KERNEL_NAME} "
            '--display-name "Python (commissioning)" (make does this)'
        ) from None
    except Exception as exc:  # a dead kernel, a timeout
        raise SuiteError(with_kernel_output(
            f"notebook {name} could not be run: {type(exc).__name__}: {exc}", log_path)) from None
    return split_passes(combined, origin, passes)


@dataclass(frozen=True)
class Job:
    """One notebook to execute: its path, its passes and the languages to render."""
    path: Path
    passes: list  # of Pass
    render: tuple  # report languages to render after execution (none: return the executed notebooks)


def execute_and_render(name: str, job: Job, workdir: Path, cwd: Path):
    """Execute one notebook and render its reports: (executed notebooks, {lang: convert.Page})."""
    executed = execute_notebook(name, job.path, job.passes, workdir, cwd)
    by_lang = {p.lang: nb for p, nb in zip(job.passes, executed)}
    pages = {lang: convert.render(by_lang.get(lang, executed[0]), lang, fallback_title=name) for lang in job.render}
    return executed, pages


def timed(started: dict, name: str, *args):
    """`execute_and_render`, noting in `started` when the notebook `name` began."""
    started[name] = time.perf_counter()
    return execute_and_render(name, *args)


def languages_text(job: Job) -> str:
    """' (en, nl)': the languages a job renders, for progress lines."""
    langs = job.render or tuple(p.lang for p in job.passes if p.lang)
    return f" ({', '.join(langs)})" if langs else ""


def run_all(jobs_by_name: dict[str, Job], *, jobs, cwd: Path, progress) -> dict:
    """Execute every notebook (in parallel up to `jobs`); raise SuiteError on failure."""
    total = len(jobs_by_name)
    results, errors = {}, {}
    jobs = max(1, min(jobs or os.cpu_count() or 1, total))
    with tempfile.TemporaryDirectory(prefix="commissioning-run-") as tmp:
        workdir = Path(tmp)
        started = {}  # when each notebook left the queue, for the progress line
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(timed, started, name, job, workdir, cwd): name
                       for name, job in jobs_by_name.items()}
            for done, future in enumerate(as_completed(futures), 1):
                name = futures[future]
                seconds = time.perf_counter() - started.get(name, time.perf_counter())
                langs = languages_text(jobs_by_name[name])
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
