"""The README states figures about the shipped data; they must be the data's."""

import re

from .conftest import REPO


def test_provenance_shares_in_readme_match_the_data(study):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    total = len(study.codings)
    assert f"share of the {total:,} shipped values" in text
    shares = study.codings.basis.value_counts(normalize=True)
    for basis in ("reported", "derived", "imputed"):
        row = re.search(rf"^\| `{basis}` \|.*\| ([0-9.]+)% \|$", text, re.M)
        assert row, basis
        assert float(row.group(1)) == round(100 * shares[basis], 1), basis


def test_readme_example_interview_is_valid(tmp_path):
    """The hand-written example of 'Bring your own codings' loads as it stands."""
    import shutil

    import commissioning as cm

    text = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n# interviews/(GM\d{4}-\d+)\.yaml\n(.*?)```", text, re.S)
    assert example
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    (data / "interviews" / f"{example.group(1)}.yaml").write_text(example.group(2), encoding="utf-8")
    study = cm.load_study(data)
    rows = study.codings[study.codings.interview_id == example.group(1)]
    assert set(rows.basis) == {"observed"} and len(rows) >= 5


def test_scale_figures_in_readme_are_the_benchmarks():
    """The measured figures of the README's Scale section (seconds with decimals, megabytes) are
    figures recorded in benchmarks/RESULTS.md."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^### Scale\n(.*?)(?=^#)", text, re.S | re.M)
    assert section
    results = (REPO / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    figures = re.findall(r"\b(\d[\d,]*\.\d+) s\b", section.group(1)) + re.findall(r"\b(\d[\d,]*) MB\b", section.group(1))
    assert figures
    for figure in figures:
        assert re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d])", results), figure
