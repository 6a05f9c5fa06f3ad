"""The attacks of tests/disclosure/attacks.py on hand-written releases: each recovers what the
pages give away, and finds nothing on the safe counterpart. (The lead's end-to-end tests run them
on real published runs.)"""

import pandas as pd
from scipy.stats import chi2_contingency

from .attacks import enumerate_pvalues, read, subtract
from .fixture_pages import DESIGN, DESIGN_CODES, TENDERBOARD, cells, count, stat, value_table, write

SIZES = ["small", "medium", "large+very_large", "all"]


def chi2_p(table) -> float:
    """A test of association that depends on the table only (a stand-in for the library's
    permutation test with its published seed)."""
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return 1.0
    return float(chi2_contingency(table.values, correction=False)[1])


def pvalue_page(p: float, groups=("small", "medium", "large+very_large"), measure="p", comma=False):
    data = cells("sourcing.design", DESIGN, groups, DESIGN_CODES)
    printed = f"{p:.3f}".replace(".", ",") if comma else f"{p:.3f}"
    return ('<table class="cm-stats" data-stat="table"><thead><tr><th>Activity</th><th>p</th></tr></thead><tbody>'
            f'<tr><th scope="row">Design</th><td>{stat(printed, cells=data, measure=measure)}</td></tr>'
            '</tbody></table>')


def design_table(groups) -> pd.DataFrame:
    """The hidden dataset's table of design by the given size groups (codes x groups)."""
    return pd.DataFrame({g: [count(DESIGN, g, code)[0] for code in DESIGN_CODES] for g in groups},
                        index=list(DESIGN_CODES))


def four_class_table():
    return design_table(["small", "medium", "large", "very_large"])


def test_read_gives_every_count_with_its_municipalities(tmp_path):
    folder = write(tmp_path / "zuid", {"en/02.html": [value_table("sourcing.design", DESIGN, DESIGN_CODES, SIZES,
                                                                  selection="region=Zuid")]}, selection="region=Zuid")
    release = read(folder)
    mixed = [c for c in release.counts if c.group == "large+very_large" and c.codes == ("mixed",)]
    assert [(c.k, c.n, sorted(c.munis), c.page) for c in mixed] == [
        (1, 2, ["GM0772", "GM0855"], "en/02.html (region=Zuid)")]


def test_subtract_a_per_class_run_from_the_national_run(tmp_path):
    national = write(tmp_path / "national", {"en/02.html": [value_table("sourcing.design", DESIGN, DESIGN_CODES, SIZES)]})
    large = write(tmp_path / "large", {"en/02.html": [value_table("sourcing.design", DESIGN, DESIGN_CODES, ["all"],
                                                                  by="none", selection="size_class=large")]},
                  selection="size_class=large")
    found = [r for r in subtract([national, large]) if r["group"] == "Den Haag, Rotterdam"]
    assert [(r["codes"], r["k"], r["n"], r["pages"]) for r in found] == [
        (("in_house",), 0, 2, ["en/02.html (national)", "en/02.html (size_class=large)"]),
        (("mixed",), 2, 2, ["en/02.html (national)", "en/02.html (size_class=large)"]),
        (("outsourced",), 0, 2, ["en/02.html (national)", "en/02.html (size_class=large)"])]
    assert not any(r["entailed"] for r in found)
    merged = write(tmp_path / "merged", {"en/02.html": [value_table(
        "sourcing.design", DESIGN, DESIGN_CODES, ["all"], by="none", selection="size_class=large+very_large")]},
        selection="size_class=large+very_large")
    assert subtract([national, merged]) == []


def test_subtract_the_shown_groups_from_a_total(tmp_path):
    """A table by size that hides very large but shows the total; and a unanimous total, which the
    threat model lets a reader know."""
    hidden = value_table("sourcing.design", DESIGN, DESIGN_CODES, ["small", "medium", "large", "very_large", "all"],
                         hidden=("very_large",))
    unanimous = value_table("structure.tenderboard", {m: "no" for m in TENDERBOARD}, ["no"],
                            ["small", "medium", "large", "very_large", "all"], hidden=("very_large",))
    found = subtract(write(tmp_path / "r", {"en/02.html": [hidden, unanimous]}))
    design = [(r["codes"], r["k"], r["n"]) for r in found if r["variable"] == "sourcing.design"
              and r["group"] == "Den Haag, Rotterdam"]
    assert design == [(("in_house",), 0, 2), (("mixed",), 2, 2), (("outsourced",), 0, 2)]
    board = [r for r in found if r["variable"] == "structure.tenderboard"]
    assert board and all(r["entailed"] for r in board)


def test_enumerate_pvalues_finds_a_p_value_over_the_original_classes(tmp_path):
    """The page shows the merged groups but prints the p-value of the four-class table (the issue's
    06 'Loaded data'): of the splits of large and very large that fit, one gives the printed value."""
    leaked = chi2_p(four_class_table())
    folder = write(tmp_path / "r", {"en/06-robustness.html": [pvalue_page(leaked)],
                                    "nl/06-robustness.html": [pvalue_page(leaked, comma=True)],
                                    "en/02-outsourcing.html": [value_table("sourcing.design", DESIGN, DESIGN_CODES,
                                                                           SIZES)]})
    result, dutch = enumerate_pvalues(folder, chi2_p, names=("02", "06"))
    assert dutch["printed"] == f"{leaked:.3f}".replace(".", ",") and dutch["success"]
    assert result["page"] == "en/06-robustness.html (national)" and result["printed"] == f"{leaked:.3f}"
    assert result["splits"] == 6  # very large's 2 municipalities both have a value: 6 ways over 3 codes
    assert result["matching"] == 1 and result["success"] and not result["explained"]
    assert result["tables"][0]["very_large"].tolist() == [0, 2, 0]


def test_enumerate_pvalues_on_a_p_value_over_the_published_groups(tmp_path):
    merged = chi2_p(design_table(["small", "medium", "large+very_large"]))
    folder = write(tmp_path / "r", {"en/06-robustness.html": [pvalue_page(merged)]})
    [result] = enumerate_pvalues(folder, chi2_p)
    assert result["explained"] and not result["success"]
    # a p-value without data-measure is not taken for one; a page filter leaves others out
    assert enumerate_pvalues(write(tmp_path / "none", {"en/06.html": [pvalue_page(merged, measure="v")]}), chi2_p) == []
    assert enumerate_pvalues(folder, chi2_p, names=("02",)) == []


def test_a_per_class_run_fixes_the_split(tmp_path):
    """With the large class published on its own page, only one split fits: the attack learns
    nothing more from the p-value (subtraction has given very large away already)."""
    leaked = chi2_p(four_class_table())
    national = write(tmp_path / "national", {"en/06.html": [pvalue_page(leaked)]})
    large = write(tmp_path / "large", {"en/02.html": [value_table("sourcing.design", DESIGN, DESIGN_CODES, ["all"],
                                                                  by="none", selection="size_class=large")]},
                  selection="size_class=large")
    [result] = enumerate_pvalues([national, large], chi2_p)
    assert (result["splits"], result["matching"], result["success"]) == (1, 1, False)

