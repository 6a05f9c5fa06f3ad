"""The package's architecture, as DESIGN states it: parts as folders that import only downward,
small modules and functions, figures in one place, every public name documented, and the flat
API unchanged by the move into parts (tests/fixtures/api_names.txt is `cm.__all__` before it)."""

import ast
from pathlib import Path

import pytest

import commissioning as cm

PACKAGE = Path(cm.__file__).resolve().parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# each part may import from the parts before it (errors and core are the floor)
LAYERS = ["core", "qca", "rules", "data", "analysis", "reconstruct", "plots", "disclosure", "exchange", "present", "run",
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


# the namespace the notebooks speak through (`from commissioning import sentences`): one name for the
# sentences of every theme, which live in present.shares, present.comparisons and present.verdicts
NOTEBOOK_NAMESPACES = {"commissioning.present.sentences"}


def only_reexports(tree) -> bool:
    """A module whose body is nothing but its docstring, imports and `__all__`."""
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return bool(body) and all(isinstance(n, (ast.Import, ast.ImportFrom)) or
                              (isinstance(n, ast.Assign) and [getattr(t, "id", None) for t in n.targets] == ["__all__"])
                              for n in body)


def test_no_module_only_reexports():
    # a part's door is its __init__; a module of a part holds code (issue: one front door per part)
    facades = [name for name, path, tree in modules()
               if path.name != "__init__.py" and name not in NOTEBOOK_NAMESPACES and only_reexports(tree)]
    assert facades == []


def test_only_reexports_finds_a_facade():
    assert only_reexports(ast.parse('"""doc"""\nfrom .a import b\nfrom .c import d\n__all__ = ["b", "d"]\n'))
    assert not only_reexports(ast.parse('from .a import b\n\ndef f():\n    return b\n'))
    assert not only_reexports(ast.parse('"""only a docstring"""\n'))


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


def test_every_public_function_and_method_has_returns_and_examples_and_every_public_class_a_docstring():
    missing = []
    for module, _, tree in modules():
        for node in tree.body:
            if node.name.startswith("_") if hasattr(node, "name") else True:
                continue
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
                for section in ("Returns\n-------", "Examples\n--------"):
                    if section not in doc:
                        missing.append(f"{module}.{name}: no {section.split()[0]}")
    assert missing == []


def test_the_flat_api_offers_the_same_names_as_before_the_move():
    before = (FIXTURES / "api_names.txt").read_text(encoding="utf-8").split()
    assert sorted(cm.__all__) == before


@pytest.mark.parametrize("name", ["plots", "qca", "sentences", "suite", "robustness"])
def test_the_modules_notebooks_use_are_still_reached_from_the_package(name):
    assert getattr(cm, name).__name__.startswith("commissioning.")
