"""docs/claims-coverage.md keeps up with data/claims.yaml: every claim has a row, every row names a
claim that exists, and the counts at the end are the rows' own, 'no variable yet' apart from 'not
codable'."""

import re

import commissioning as cm

from .conftest import REPO

NOT_CODABLE = ("Explanation", "Other organisations", "Outside the sample", "No object")


def rows():
    text = (REPO / "docs" / "claims-coverage.md").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\| (\d+) \| .* \| (.*?) \| (.*) \|$", line)
        if m:
            out[int(m.group(1))] = (m.group(2), m.group(3))
    return text, out


def test_every_claim_has_a_row_and_every_row_a_claim():
    text, table = rows()
    ids = {c["id"] for c in cm.load_claims()}
    named = {i for claim, _ in table.values() for i in re.findall(r"`([a-z0-9-]+)`", claim)}
    assert named == ids


def test_the_counts_are_the_rows():
    text, table = rows()
    covered = [n for n, (claim, _) in table.items() if claim != "—"]
    yet = [n for n, (claim, note) in table.items() if claim == "—" and note.startswith("**No variable yet.**")]
    not_codable = [n for n, (claim, note) in table.items()
                   if claim == "—" and any(note.startswith(f"**{r}.**") for r in NOT_CODABLE)]
    assert len(table) == len(covered) + len(yet) + len(not_codable)
    assert f"| covered by a claim | {len(covered)} |" in text
    assert f"| no variable yet (a coding could check it; the codebook lacks the variable) | {len(yet)} |" in text
    assert f"| not codable | {len(not_codable)} |" in text
    # every 'no variable yet' row names the variable that would make it checkable
    assert all("Checkable" in table[n][1] for n in yet)
    section = [line for line in text.split("### No variable yet")[1].splitlines() if re.match(r"^\| \d", line)]
    listed = {int(r) for line in section for r in re.findall(r"\d+", line.split("|")[1])}
    assert listed == set(yet)
