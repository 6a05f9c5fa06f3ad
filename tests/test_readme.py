"""The README states figures about the shipped data; they must be the data's."""

import re

from .conftest import REPO


def test_provenance_shares_in_readme_match_the_data(study):
    """The README's provenance table gives the one count of the notices and the index
    (commissioning.analysis.provenance), with its denominator."""
    from commissioning.analysis.provenance import share_text, value_provenance

    text = (REPO / "README.md").read_text(encoding="utf-8")
    counts = value_provenance(study)
    total = counts["n_values"]
    assert f"share of the {total:,} values |" in text
    assert f"The shares below are of the {total:,} values behind the analyses" in text
    for basis in ("reported", "derived", "external", "imputed"):
        row = re.search(rf"^\| `{basis}` \|.*\| ([0-9.]+%) \|$", text, re.M)
        assert row, basis
        assert row.group(1) == share_text(counts["basis"][basis], total), basis
    assert counts["basis"]["observed"] == counts["basis"]["edited"] == 0


def test_readme_counts_of_claims_and_reconstructions_are_the_suites():
    """'N claims' is the number of claims in claims.yaml; every 'N reconstructions' is the number
    06-robustness draws by default (its parameter and robustness.DEFAULT_SEEDS)."""
    import json

    import commissioning as cm
    from commissioning.analysis.robustness import DEFAULT_SEEDS

    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"\((\d+) claims\)", text) == [str(len(cm.load_claims()))]
    cells = json.loads((REPO / "notebooks" / "06-robustness.ipynb").read_text(encoding="utf-8"))["cells"]
    params = next("".join(c["source"]) for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
    n_seeds = int(re.search(r"^n_seeds = (\d+)", params, re.M).group(1))
    counts = re.findall(r"\b(\d+) reconstructions\b", text)
    assert counts and set(counts) == {str(n_seeds)} == {str(DEFAULT_SEEDS)}


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
