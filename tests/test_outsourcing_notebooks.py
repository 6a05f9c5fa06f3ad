"""The numbers printed in the committed notebooks 01-segments and 02-outsourcing equal an
independent recount from the data files (yaml.safe_load + collections.Counter, no library code).

The notebooks are committed with the outputs of their default run (unit = municipality, no filter,
lang = en), so their tables can be read back and compared.
"""

import csv
import html
import re
from collections import Counter, defaultdict
from pathlib import Path

import nbformat
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
NOTEBOOKS = REPO / "notebooks"
SOURCING = ["in_house", "mixed", "outsourced"]


@pytest.fixture(scope="module")
def codebook():
    return yaml.safe_load((DATA / "codebook.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def per_municipality():
    """{variable: {cbs_code: [codes of its interviews]}} and {cbs_code: size_class}."""
    with open(DATA / "municipalities.csv", newline="", encoding="utf-8") as fh:
        size = {r["cbs_code"]: r["size_class"] for r in csv.DictReader(fh)}
    values = defaultdict(lambda: defaultdict(list))
    for path in sorted((DATA / "interviews").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for var, val in doc["values"].items():
            values[var][doc["municipality"]].append(val["code"] if isinstance(val, dict) else val)
    return values, size


def _html_rows(nb_name: str, cell_id: str) -> tuple[list[str], dict[str, list[str]]]:
    """Column headers and {row label: cell texts} of the HTML table a cell printed."""
    nb = nbformat.read(NOTEBOOKS / f"{nb_name}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.get("id") == cell_id)
    table = next(o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {}))
    head = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
    columns = [html.unescape(c) for c in re.findall(r"<th>(.*?)</th>", head)][1:]  # the first is the index
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1), re.S):
        label = html.unescape(re.search(r"<th>(.*?)</th>", tr).group(1))
        rows[label] = [html.unescape(td) for td in re.findall(r"<td>(.*?)</td>", tr)]
    return columns, rows


def _lower_median(codes):
    ranked = sorted(codes, key=SOURCING.index)
    return ranked[(len(ranked) - 1) // 2]


def _mode_first(codes, order):
    counts = Counter(codes)
    top = max(counts.values())
    return min((c for c in counts if counts[c] == top), key=order.index)


def test_02_overall_table_equals_a_recount(codebook, per_municipality):
    values, _ = per_municipality
    columns, rows = _html_rows("02-outsourcing", "overall")
    assert columns == ["In-house", "Mixed", "Outsourced"]
    activities = [v for v, spec in codebook["variables"].items() if v.startswith("sourcing.")]
    assert len(rows) == len(activities) == 12
    for var in activities:
        label = codebook["variables"][var]["label"]["en"]
        combined = Counter(_lower_median(codes) for codes in values[var].values())
        n = sum(combined.values())
        expected = [f"{combined[c] / n:.0%} ({combined[c]}/{n})" for c in SOURCING]
        assert rows[label] == expected, var


def test_02_size_class_table_equals_a_recount(codebook, per_municipality):
    values, size = per_municipality
    columns, rows = _html_rows("02-outsourcing", "size-table")
    classes = ["small", "medium", "large", "very_large"]
    assert columns == [codebook["attributes"]["size_class"]["codes"][c]["en"] for c in classes]
    for var, spec in codebook["variables"].items():
        if not var.startswith("sourcing."):
            continue
        cells = []
        for cls in classes:
            codes = [_lower_median(c) for m, c in values[var].items() if size[m] == cls]
            k = sum(code in ("mixed", "outsourced") for code in codes)
            cells.append(f"{k / len(codes):.0%} ({k}/{len(codes)})")
        assert rows[spec["label"]["en"]] == cells, var


def test_02_headline_counts_match_the_data():
    nb = nbformat.read(NOTEBOOKS / "02-outsourcing.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.get("id") == "units")
    text = "".join(o.get("text", "") for o in cell.outputs)
    n_files = len(list((DATA / "interviews").glob("*.yaml")))
    assert f"Municipalities: 18, interviews: {n_files}" in text


def test_01_investment_table_equals_a_recount(codebook, per_municipality):
    values, _ = per_municipality
    columns, rows = _html_rows("01-segments", "investment")
    for var, spec in codebook["variables"].items():
        if not (var.startswith("segment.") and var.endswith(".investment")):
            continue
        order = list(spec["codes"])
        assert columns == [spec["codes"][c]["en"] for c in order]
        combined = Counter(_mode_first(codes, order) for codes in values[var].values())
        n = sum(combined.values())
        assert rows[spec["label"]["en"]] == [f"{combined[c] / n:.0%} ({combined[c]}/{n})" for c in order], var
