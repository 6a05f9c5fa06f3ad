"""The package's architecture, as DESIGN states it: parts as folders that import only downward,
small modules and functions, figures in one place, every public name documented, and the flat
API unchanged by the move into parts (tests/fixtures/api_names.txt is `cm.__all__` before it)."""

import ast
from pathlib import Path

import pytest

import commissioning as cm

PACKAGE = Path(cm.__file__).resolve().parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
# each part may import from the parts before it (errors and core are the floor)
LAYERS = ["core", "qca", "rules", "data", "reconstruct", "analysis", "plots", "disclosure", "exchange", "present", "run",
          "cli"]
RANK = {part: i for i, part in enumerate(LAYERS)} | {"errors": 0}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        yield name, path, ast.parse(path.read_text(encoding="utf-8"))


def part_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def imported(module: str, path: Path, tree) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import of the package in a module."""
    out = []
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            out += [(node.lineno, n) for n in names if n.startswith("commissioning")]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("commissioning")]
    return out


def code_lines(node, lines: list[str]) -> int:
    """Lines of code of a function: not blank, not a comment, not its docstring."""
    skip = set()
    if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant) \
            and isinstance(node.body[0].value.value, str):
        skip = set(range(node.body[0].lineno, node.body[0].end_lineno + 1))
    return sum(1 for i in range(node.lineno, node.end_lineno + 1)
               if i not in skip and lines[i - 1].strip() and not lines[i - 1].strip().startswith("#"))


def only_reexports(tree) -> bool:
    """A module whose body is nothing but its docstring, imports and `__all__`."""
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return bool(body) and all(isinstance(n, (ast.Import, ast.ImportFrom)) or
                              (isinstance(n, ast.Assign) and [getattr(t, "id", None) for t in n.targets] == ["__all__"])
                              for n in body)


def test_no_module_only_reexports():
    # a part's door is its __init__; a module of a part holds code (issue: one front door per part)
    facades = [name for name, path, tree in modules() if path.name != "__init__.py" and only_reexports(tree)]
    assert facades == []


def test_only_reexports_finds_a_facade():
    assert only_reexports(ast.parse('"""doc"""\nfrom .a import b\nfrom .c import d\n__all__ = ["b", "d"]\n'))
    assert not only_reexports(ast.parse('from .a import b\n\ndef f():\n    return b\n'))
    assert not only_reexports(ast.parse('"""only a docstring"""\n'))


def private(name: str) -> bool:
    """An underscored name that is not a protocol name (``__all__``, ``_repr_html_``)."""
    return name.startswith("_") and not name.endswith("_")


def private_crossings(tree, package: list[str] | None = None) -> list[str]:
    """Every underscored name a module takes from a module of the package: imported by name, or
    read as an attribute of a module of the package it imported. `package` is the module's own
    package (for relative imports); None for a module outside the package, such as a test."""
    found, modules_bound = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            ours = node.level > 0 or (node.module or "").split(".")[0] == "commissioning"
            if not ours:
                continue
            for alias in node.names:
                if private(alias.name):
                    found.append(f"{node.lineno}: {alias.name}")
                modules_bound.add(alias.asname or alias.name)  # a module or a name; names are caught above
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "commissioning":
                    modules_bound.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr) and isinstance(node.value, ast.Name) \
                and node.value.id in modules_bound:
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
        # setattr(module, "_name", ...), monkeypatch.setattr(module, "_name", ...)
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "setattr" \
                and len(node.args) >= 2 and isinstance(node.args[0], ast.Name) and node.args[0].id in modules_bound \
                and isinstance(node.args[1], ast.Constant) and private(str(node.args[1].value)):
            found.append(f"{node.lineno}: {node.args[0].id}.{node.args[1].value}")
    return found


def test_no_underscored_name_is_imported_from_another_module():
    found = {}
    roots = [PACKAGE, REPO / "tests", REPO / "benchmarks"]
    for path in sorted(p for root in roots for p in root.rglob("*.py")):
        if hits := private_crossings(ast.parse(path.read_text(encoding="utf-8"))):
            found[str(path.relative_to(REPO))] = hits
    assert found == {}


def test_private_crossings_finds_both_ways():
    assert private_crossings(ast.parse("from .project import _fail, read\n")) == ["1: _fail"]
    assert private_crossings(ast.parse("from commissioning.data import study\nstudy._CACHE.clear()\n")) \
        == ["2: study._CACHE"]
    assert private_crossings(ast.parse("import commissioning as cm\ncm._EXPORTS\n")) == ["2: cm._EXPORTS"]
    assert private_crossings(ast.parse("from commissioning.data import cache\nm.setattr(cache, '_KEY', 1)\n")) \
        == ["2: cache._KEY"]
    assert private_crossings(ast.parse("from commissioning import present as se\nse.Sentence\nx._y\n")) == []
    assert private_crossings(ast.parse("from pandas import _libs\nt._repr_html_()\n")) == []


def door_exports(part: str) -> dict[str, list[str]]:
    """{module: [names]} that the part's door (its __init__) names, read from its call of `door`."""
    tree = ast.parse((PACKAGE / part / "__init__.py").read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "door"]
    assert len(calls) == 1, f"{part}/__init__.py: one call of door(__name__, {{module: [names]}})"
    return ast.literal_eval(calls[0].args[1])


def parts() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())


def defined(tree) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def test_each_door_names_what_its_modules_define():
    wrong = []
    for part in parts():
        for module, names in door_exports(part).items():
            tree = ast.parse((PACKAGE / part / f"{module.replace('.', '/')}.py").read_text(encoding="utf-8"))
            wrong += [f"{part}.{module}.{name}" for name in names if name not in defined(tree)]
    assert wrong == []


def test_every_import_between_parts_goes_through_the_door():
    # what one part takes from another is a name on that part's door, imported from the door
    # (a module of the part may be imported as a module, `from ..analysis import robustness`)
    doors = {part: {n for names in door_exports(part).values() for n in names} for part in parts()}
    crossings = []
    for module, path, tree in modules():
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.level:
                continue
            target = package[: len(package) - (node.level - 1)] + (node.module.split(".") if node.module else [])
            other = target[1] if len(target) > 1 else None
            if other not in doors or other == part_of(module):
                continue
            for alias in node.names:
                submodule = PACKAGE.joinpath(*target[1:], alias.name)
                if submodule.is_dir() or submodule.with_suffix(".py").is_file():
                    continue
                if len(target) != 2 or alias.name not in doors[other]:
                    crossings.append(f"{module}:{node.lineno} {'.'.join(target)}.{alias.name}")
    assert crossings == []


def test_the_flat_api_is_assembled_from_the_doors():
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    exports = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                   and getattr(node.targets[0], "id", "") == "_EXPORTS")
    import importlib
    for part, names in exports.items():
        door = importlib.import_module(f"commissioning.{part}")
        assert set(names) <= set(door.__all__), part
        assert all(getattr(cm, name) is getattr(door, name) for name in names)
    assert {n for names in exports.values() for n in names} <= set(cm.__all__)


def test_the_package_has_parts_as_folders():
    parts = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert len(parts) >= 3
    assert {"core", "qca", "rules", "data", "analysis", "reconstruct", "plots", "disclosure", "exchange", "present",
            "run"} <= parts


def test_parts_import_only_downward():
    upward = []
    for module, path, tree in modules():
        me = part_of(module)
        if me is None:
            continue
        for line, target in imported(module, path, tree):
            other = part_of(target)
            if other in RANK and other != me and RANK[other] > RANK[me]:
                upward.append(f"{module}:{line} imports {target}")
    assert upward == []


def test_no_module_is_too_long():
    long = {module: n for module, path, _ in modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_is_too_long():
    long = {}
    for module, path, tree in modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                    (n := code_lines(node, lines)) > MAX_FUNCTION_LINES:
                long[f"{module}.{node.name}"] = n
    assert long == {}


def test_only_the_plotting_part_imports_matplotlib_or_seaborn():
    found = []
    for module, _, tree in modules():
        if module == "commissioning.plots" or module.startswith("commissioning.plots."):
            continue
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{module}:{node.lineno}" for n in names if n.split(".")[0] in ("matplotlib", "seaborn")]
    assert found == []


def test_nothing_draws_on_pyplots_current_figure():
    found = []
    for module, _, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "plt":
                found.append(f"{module}:{node.lineno} plt.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "matplotlib" and \
                    any(a.name == "pyplot" for a in node.names):
                found.append(f"{module}:{node.lineno} imports pyplot")
            if isinstance(node, ast.Import) and any(a.name == "matplotlib.pyplot" for a in node.names):
                found.append(f"{module}:{node.lineno} imports pyplot")
    assert found == []


def public_surface() -> set[str]:
    """'commissioning.<part>.<module>.<name>' of every name on a part's door (the flat API is
    assembled from them)."""
    return {f"commissioning.{part}.{module}.{name}" for part in parts()
            for module, names in door_exports(part).items() for name in names}


def test_every_name_on_a_door_has_returns_and_examples_and_every_other_public_name_a_docstring():
    # a door's names are the part's public surface: numpydoc with Returns and an Example that
    # `make test` runs; a public name that only the part's modules share needs a docstring
    surface, missing = public_surface(), []
    for module, _, tree in modules():
        for node in tree.body:
            if node.name.startswith("_") if hasattr(node, "name") else True:
                continue
            strict = f"{module}.{node.name}" in surface
            doc = ast.get_docstring(node) or ""
            if isinstance(node, ast.ClassDef) and not doc:
                missing.append(f"{module}.{node.name}: no docstring")
            functions = [(node.name, node)] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
            if isinstance(node, ast.ClassDef):  # a public class's public methods (properties: a docstring)
                for method in node.body:
                    if not isinstance(method, ast.FunctionDef) or method.name.startswith("_"):
                        continue
                    if any(ast.unparse(d).endswith("property") for d in method.decorator_list):
                        if not ast.get_docstring(method):
                            missing.append(f"{module}.{node.name}.{method.name}: no docstring")
                    else:
                        functions.append((f"{node.name}.{method.name}", method))
            for name, function in functions:
                doc = ast.get_docstring(function) or ""
                if not doc:
                    missing.append(f"{module}.{name}: no docstring")
                for section in ("Returns\n-------", "Examples\n--------") if strict else ():
                    if section not in doc:
                        missing.append(f"{module}.{name}: no {section.split()[0]}")
    assert missing == []


def test_the_flat_api_offers_the_same_names_as_before_the_move():
    before = (FIXTURES / "api_names.txt").read_text(encoding="utf-8").split()
    assert sorted(cm.__all__) == before


@pytest.mark.parametrize("name", ["plots", "qca", "sentences", "suite", "robustness"])
def test_the_modules_notebooks_use_are_still_reached_from_the_package(name):
    assert getattr(cm, name).__name__.startswith("commissioning.")


def readme_layers() -> list[str]:
    """The parts in the order README's Layout lists them, and cli."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    import re
    return [m[1] or "cli" for m in re.finditer(r"^  (?:(\w+)/|cli\.py)\s", block, re.M)]


def design_layers() -> list[str]:
    """The parts in the order of DESIGN.md's line of layers (``core < qca < ... < cli``)."""
    lines = [line for line in (REPO / "DESIGN.md").read_text(encoding="utf-8").splitlines() if " < " in line]
    assert len(lines) == 1, "DESIGN.md: one line of layers, 'core < qca < ... < cli'"
    return [part.strip() for part in lines[0].split("<")]


def test_the_layers_are_those_of_readme_and_design():
    assert readme_layers() == LAYERS
    assert design_layers() == LAYERS
    assert set(LAYERS) - {"cli"} == set(parts())


# notebooks compute through `Report`; from the package they take only the report, the figures and
# the sentences (DESIGN, "One API for notebooks")
NOTEBOOK_MODULES = {"plots", "sentences"}


def flat_api_uses(source: str) -> list[str]:
    """What a notebook's code takes from the package besides `cm.Report`, `plots` and `sentences`:
    a flat `cm` name read, or another name imported from `commissioning`."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    out = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "cm" \
                and node.attr != "Report":
            out.append(f"cm.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("commissioning"):
            out += [f"{node.module}.{a.name}" for a in node.names
                    if node.module != "commissioning" or a.name not in NOTEBOOK_MODULES]
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.startswith("commissioning") and a.name != "commissioning"]
    return out


def test_flat_api_uses_finds_a_flat_call_and_an_import():
    source = ("%matplotlib inline\nimport commissioning as cm\nfrom commissioning import plots, qca\n"
              "report = cm.Report()\ntable = cm.crosstab(report.study, 'x')\nplots.sample_bars(table)")
    assert flat_api_uses(source) == ["commissioning.qca", "cm.crosstab"]


def test_notebooks_speak_through_the_report():
    import json

    found = {}
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        uses = [u for c in cells if c["cell_type"] == "code" for u in flat_api_uses("".join(c["source"]))]
        if uses:
            found[path.name] = uses
    assert found == {}
