"""The numbers printed in the committed notebooks 01-segments and 02-outsourcing equal an
independent recount from the data files (yaml.safe_load + collections.Counter, no library code).

The notebooks are committed with the outputs of their default run (unit = municipality, no filter,
lang = en), so their tables can be read back and compared.
"""

import csv
import math
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path

import nbformat
import pytest
import yaml
from lxml import html as lxml_html

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


def _count_tables(nb_name: str) -> list[dict]:
    """Every count table (``table.cm-counts``) the notebook printed: its unit, its grouping, its
    groups and {(variable, codes): [cell texts]}. A row names its codes (``tr data-codes``), or,
    in a grid of one group, each cell names its own (``td data-codes``)."""
    nb = nbformat.read(NOTEBOOKS / f"{nb_name}.ipynb", as_version=4)
    tables = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/html", "")
            if "cm-counts" not in text:
                continue
            for table in lxml_html.fromstring(text).xpath("//table[contains(concat(' ', @class, ' '), ' cm-counts ')]"):
                groups = list(dict.fromkeys(th.get("data-group") for th in table.xpath(".//th[@data-group]")))
                rows = defaultdict(list)
                for tr in table.xpath(".//tr[@data-variable]"):
                    for td in tr.xpath("./td"):
                        codes = tr.get("data-codes") or td.get("data-codes")
                        rows[(tr.get("data-variable"), codes)].append(td.text_content().strip())
                tables.append({"unit": table.get("data-unit"), "by": table.get("data-by"), "groups": groups,
                               "rows": dict(rows)})
    return tables


def _table(nb_name: str, by: str, variables: list[str], codes: str) -> dict:
    """The first count table grouped by ``by`` that has a row for each variable with ``codes``."""
    for t in _count_tables(nb_name):
        if t["by"] == by and all((v, codes) in t["rows"] for v in variables):
            return t
    raise AssertionError(f"{nb_name} shows no table by {by} of {codes} for {variables}")


def _cell(k: int, n: int) -> str:
    """k/n with its percentage rounded half up, as the study prints them (1/8 is 13%)."""
    return f"{k}/{n} ({math.floor(Fraction(100 * k, n) + Fraction(1, 2))}%)"


def _lower_median(codes):
    ranked = sorted(codes, key=SOURCING.index)
    return ranked[(len(ranked) - 1) // 2]


def _mode_first(codes, order):
    counts = Counter(codes)
    top = max(counts.values())
    return min((c for c in counts if counts[c] == top), key=order.index)


def test_02_overall_table_equals_a_recount(codebook, per_municipality):
    values, _ = per_municipality
    activities = [v for v, spec in codebook["variables"].items() if v.startswith("sourcing.")]
    assert len(activities) == 12
    for code in SOURCING:
        table = _table("02-outsourcing", "none", activities, code)
        assert table["unit"] == "municipality" and table["groups"] == ["all"]
        for var in activities:
            combined = Counter(_lower_median(codes) for codes in values[var].values())
            n = sum(combined.values())
            assert table["rows"][(var, code)] == [_cell(combined[code], n)], (var, code)


def test_02_size_class_table_equals_a_recount(codebook, per_municipality):
    values, size = per_municipality
    classes = ["small", "medium", "large", "very_large"]
    activities = [v for v in codebook["variables"] if v.startswith("sourcing.")]
    table = _table("02-outsourcing", "size_class", activities, "mixed outsourced")
    assert table["groups"] == classes + ["all"]
    for var in activities:
        cells = []
        for cls in classes + [None]:
            codes = [_lower_median(c) for m, c in values[var].items() if cls is None or size[m] == cls]
            k = sum(code in ("mixed", "outsourced") for code in codes)
            cells.append(_cell(k, len(codes)))
        assert table["rows"][(var, "mixed outsourced")] == cells, var


def test_02_headline_counts_match_the_data():
    nb = nbformat.read(NOTEBOOKS / "02-outsourcing.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    n_files = len(list((DATA / "interviews").glob("*.yaml")))
    assert f"Municipalities: 18, interviews: {n_files}" in text


def test_01_investment_table_equals_a_recount(codebook, per_municipality):
    values, _ = per_municipality
    investment = [v for v in codebook["variables"] if v.startswith("segment.") and v.endswith(".investment")]
    for var in investment:
        order = list(codebook["variables"][var]["codes"])
        combined = Counter(_mode_first(codes, order) for codes in values[var].values())
        n = sum(combined.values())
        for code in order:
            table = _table("01-segments", "none", [var], code)
            assert table["rows"][(var, code)] == [_cell(combined[code], n)], (var, code)
