"""The notebooks of the suite: where they are, which run, in which languages and with which parameters.

A notebook of the suite is named `NN-topic.ipynb` (`available_notebooks`); the parameters given to
a run are checked against what each notebook declares and against the codebook before anything
runs (`_check_declared`, `_check_values`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..core.checks import LANGS
from ..errors import NotebookError, ParameterError, SuiteError
from .language import check_language_cells

REPO = Path(__file__).resolve().parents[3]
KERNEL_NAME = "commissioning"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python (commissioning)", "language": "python"}
NOTEBOOK_RE = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
CHOICES = {"lang": LANGS, "unit": ("interview", "municipality")}


def default_notebooks_dir() -> Path:
    """The repository's notebooks/ folder.

    Returns
    -------
    Path

    Examples
    --------
    >>> from commissioning.run.suite import REPO, default_notebooks_dir
    >>> default_notebooks_dir() == REPO / "notebooks", default_notebooks_dir().is_dir()
    (True, True)
    """
    return REPO / "notebooks"


def available_notebooks(notebooks_dir: str | os.PathLike | None = None) -> dict[str, Path]:
    """Notebooks named `NN-topic.ipynb` in run order, as {stem: path}.

    Parameters
    ----------
    notebooks_dir : path, optional
        The folder (default: `default_notebooks_dir`).

    Returns
    -------
    dict of str to Path
        Empty when the folder does not exist.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from commissioning.run.suite import available_notebooks
    >>> list(available_notebooks())
    ['00-sample', '01-segments', ...]
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("10-later.ipynb", "02-first-one.ipynb", "notes.ipynb", "3-short.ipynb", "04-Upper.ipynb"):
    ...     _ = (folder / name).write_text("{}")
    >>> list(available_notebooks(folder)), available_notebooks(folder / "missing")
    (['02-first-one', '10-later'], {})
    """
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
    # lazy: papermill is heavy (about two seconds to import) and only reading a notebook's parameters needs it
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
    # lazy: nbformat takes over a second to import (jsonschema); only reading or running a notebook needs it
    import nbformat

    problems = []
    for name, path in paths.items():
        try:
            check_language_cells(nbformat.read(str(path), as_version=4), name=path.name)
        except NotebookError as exc:
            problems.extend(exc.problems)
    if problems:
        raise NotebookError(problems)

