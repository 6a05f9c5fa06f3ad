"""The notebooks of the suite: where they are, which run, in which languages and with which parameters.

A notebook of the suite is named `NN-topic.ipynb` (`available_notebooks`); the parameters given to
a run are checked against what each notebook declares and against the codebook before anything
runs (`check_declared`, `check_values`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from ..core import check_threshold, LANGS, THRESHOLD
from ..data import alias_problem
from ..errors import NotebookError, ParameterError, SuiteError
from .language import check_language_cells

REPO = Path(__file__).resolve().parents[3]
KERNEL_NAME = "commissioning"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python (commissioning)", "language": "python"}
NOTEBOOK_RE = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
CHOICES = {"lang": LANGS, "unit": ("interview", "municipality")}
# parameters that name codes, variables, themes or attributes of the codebook: their values are the
# text written (`-p code=yes` is the code 'yes', not YAML's True)
TEXT_PARAMETERS = ("region", "size_class", "variable", "variables", "code", "codes", "theme", "themes", "by",
                   "attribute", "attributes", "outcome", "conditions", "dir_exp")
# Parameters whose texts are sets of a QCA, "NAME: variable=code", which YAML reads as a mapping
SET_PARAMETERS = ("outcome", "conditions")
_NULL = "tag:yaml.org,2002:null"


def default_notebooks_dir() -> Path:
    """The repository's notebooks/ folder.

    Returns
    -------
    Path

    Examples
    --------
    >>> from commissioning.run import REPO, default_notebooks_dir
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
    >>> from commissioning.run import available_notebooks
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


def parameter_value(name: str, text: str):
    """The value of a parameter given on the command line as ``-p NAME=TEXT``.

    The text is a YAML value (``-p threshold=5`` is the number 5, ``-p publish=true`` a boolean),
    except for a parameter of `TEXT_PARAMETERS`, which names codes or variables of the codebook:
    its value, or each item of a YAML list, is the text as written (``yes``, ``no``, ``1``), as
    the codebook spells its codes; ``null`` (or nothing) is None. A set of a QCA
    (`SET_PARAMETERS`), ``NAME: variable=code``, is that text too, though YAML reads it as a mapping.

    Parameters
    ----------
    name : str
        The parameter's name.
    text : str
        What follows the ``=``.

    Returns
    -------
    object
        The value to inject into the notebooks.

    Raises
    ------
    ParameterError
        When the text is not a YAML value, or has an anchor or alias.

    Examples
    --------
    >>> parameter_value("code", "yes"), parameter_value("code", "'no'"), parameter_value("threshold", "5")
    ('yes', 'no', 5)
    >>> parameter_value("codes", "[yes, 1, x]"), parameter_value("variable", "null"), parameter_value("publish", "yes")
    (['yes', '1', 'x'], None, True)
    >>> parameter_value("conditions", "[LARGE: size_class=large, 'SHARED: structure.shared_execution']")
    ['LARGE: size_class=large', 'SHARED: structure.shared_execution']
    >>> parameter_value("code", "[yes")
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: code: '[yes' is not a YAML value; allowed: a value such as
    outsourced, 5, true or [a, b]
    """
    allowed = "a value such as outsourced, 5, true or [a, b]"
    if alias_problem(text, f"-p {name}") is not None:
        raise ParameterError(name, text, problem="has a YAML anchor or alias", allowed=allowed)
    try:
        if name not in TEXT_PARAMETERS:
            return yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise ParameterError(name, text, problem="is not a YAML value", allowed=allowed) from None
    return _as_text(node, name, text)


def _as_text(node, name: str, text: str):
    """A composed YAML node with every scalar as the text written (None for null)."""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
        return None
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_as_text(item, name, text) for item in node.value]
    if name in SET_PARAMETERS and isinstance(node, yaml.MappingNode) and len(node.value) == 1:
        key, value = node.value[0]
        if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
            return f"{key.value}: {value.value}"
    raise ParameterError(name, text, problem="is a mapping", allowed="a text, or a list of texts such as [a, b]")


def select_notebooks(only, notebooks_dir) -> dict[str, Path]:
    """{name: path} of the notebooks `only` names (every notebook when it is empty); a ParameterError for a name that
    is not there."""
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


def declared_parameters(path: Path) -> dict:
    """The parameters a notebook declares: every name its cell tagged `parameters` assigns, in
    order, with the source text of its default (as papermill's ``inspect_notebook`` gives them;
    read with `ast`, which also reads a value holding "=", such as a QCA set, that papermill's
    line parser skips).

    Returns
    -------
    dict
        ``{name: {"name": name, "default": source text}}``.

    Examples
    --------
    >>> declared = declared_parameters(default_notebooks_dir() / "09-configurations.ipynb")
    >>> declared["outcome"]["default"], "conditions" in declared
    ('"EXPLICIT: agenda.explicitness=explicit"', True)
    """
    import ast

    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    cell = next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    try:
        tree = ast.parse(cell.source)
    except SyntaxError as exc:
        raise SuiteError(f"{path.name}: its parameters cell is not Python (line {exc.lineno}: {exc.msg})") from None
    out = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) and node.value is not None else []
        for target in targets:
            if isinstance(target, ast.Name):
                out[target.id] = {"name": target.id, "default": ast.get_source_segment(cell.source, node.value)}
    return out


def check_values(parameters: dict, study):
    """Check the common parameters' values; return the study filtered as asked."""
    # region and size class are checked by the filter at the end (a size class may be merged classes,
    # "large+very_large", as a published run selects them)
    for name, allowed in CHOICES.items():
        if name in parameters and parameters[name] not in allowed:
            raise ParameterError(name, parameters[name], allowed=allowed)
    if "publish" in parameters and not isinstance(parameters["publish"], bool):
        raise ParameterError("publish", parameters["publish"], allowed="true, false")
    check_threshold(parameters.get("threshold", THRESHOLD))
    variable, code = parameters.get("variable"), parameters.get("code")
    if "variable" in parameters and variable not in study.codebook.variables:
        raise ParameterError("variable", variable, problem="is not a variable of the codebook", allowed=study.codebook.variables)
    if "code" in parameters:
        if "variable" in parameters:
            study.codebook.check_code(variable, code, name="code")
        elif not any(code in v.codes for v in study.codebook.variables.values()):
            raise ParameterError("code", code, problem="is not a code of any variable of the codebook", allowed="a code of the notebook's variable (see `commissioning codebook`)")
    if "outcome" in parameters or "conditions" in parameters:  # the sets of a QCA, before anything runs
        from ..analysis import parse_set

        conditions = parameters.get("conditions", [])
        if not isinstance(conditions, list):
            raise ParameterError("conditions", conditions, problem="is not a list",
                                 allowed="a list of sets such as [LARGE: size_class=large+very_large]")
        for text in ([parameters["outcome"]] if "outcome" in parameters else []) + conditions:
            parse_set(text, study.codebook)
    return study.filter(region=parameters.get("region"), size_class=parameters.get("size_class"))


def check_declared(parameters: dict, declared: dict[str, dict]):
    """A ParameterError for a parameter that a selected notebook does not declare."""
    for name in parameters:
        for nb_name, params in declared.items():
            if name not in params:
                raise ParameterError("parameter", name, problem=f"is not declared by notebook {nb_name}",
                                     allowed=list(params) or "nothing (the notebook declares no parameter)")



def languages_asked(languages) -> tuple[str, ...]:
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


def check_notebook_languages(paths: dict[str, Path]):
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

