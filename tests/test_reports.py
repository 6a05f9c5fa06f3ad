"""The published reports, in English and Dutch: reproducible byte for byte, and safe to publish.

The first reads the shipped data published once for the session (`published_shipped`, shared with
tests/disclosure/test_audit.py); the second publishes a hostile copy. Each run executes every notebook
in both languages (a few minutes on two cores).
"""

import re
import shutil

import pytest

from commissioning.run.suite import MANIFEST, run_suite

from .conftest import DATA, REPO

REPORTS = REPO / "reports"


def _quiet(line):
    pass


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.xdist_group("published-shipped")
def test_committed_reports_equal_a_fresh_run(published_shipped):
    # `make reports` on a fresh clone: the release of the shipped data has no other runs yet
    # (`published_shipped` publishes into a register of its own; the session's holds other tests' runs)
    committed = _tree(REPORTS)
    assert "index.html" in committed and MANIFEST in committed, "reports/ is incomplete: run `make reports`"
    out, _ = published_shipped
    fresh = _tree(out)
    notebooks = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert sorted(fresh) == sorted([MANIFEST, "index.html", "disclosure.html", "release.json",
                                    *(f"{lang}/{n}.html" for lang in ("en", "nl") for n in notebooks)])
    assert sorted(fresh) == sorted(committed)
    differing = [name for name in fresh if fresh[name] != committed[name]]
    assert differing == [], f"reports/ differs from a fresh `make reports` in {differing}"


SECRETS = ("Coder-Secret-42", "Role-Secret-42", "Note-Secret-42")


def _hostile_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)

    def sub(path, old, new):
        text = path.read_text(encoding="utf-8")
        assert old in text, (path.name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    sub(data / "codebook.yaml", "Zuid: {en: South, nl: Zuid}", 'Zuid: {en: "South <script>alert(1)</script>", nl: Zuid}')
    sub(data / "codebook.yaml", "in_house: {en: In-house, nl: Zelf}", 'in_house: {en: "<b>In-house</b>", nl: Zelf}')
    sub(data / "codebook.yaml", "label: {en: Design, nl: Ontwerp}", 'label: {en: "Design <img src=x onerror=alert(2)>", nl: Ontwerp}')
    sub(data / "municipalities.csv", "GM0687,Middelburg,", "GM0687,Middelburg <script>alert(3)</script>,")
    sub(data / "claims.yaml", "en: Every municipality invests in public space.",
        "en: Every municipality <script>alert(4)</script> invests in public space.")
    for path in (data / "interviews").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("coder: reconstruction", f"coder: {SECRETS[0]}")
        text = text.replace("respondent_role: not published", f"respondent_role: {SECRETS[1]}\nnotes: {SECRETS[2]}")
        path.write_text(text, encoding="utf-8")
    return data


def test_published_reports_escape_data_and_hide_respondents(tmp_path):
    data = _hostile_copy(tmp_path)
    out = tmp_path / "reports"
    run_suite(data_dir=data, out_dir=out, parameters={"publish": True}, progress=_quiet)
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    assert len(pages) == 2 + 2 * len(list((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")))  # index, log, reports
    assert "no problems" in pages["disclosure.html"]  # the independent audit of the pages found nothing
    everything = "\n".join(pages.values())
    assert re.search(r"<script", everything, re.I) is None
    assert "<img src=x" not in everything and "<b>In-house</b>" not in everything
    # the hostile strings were shown, escaped (so the check above is not vacuous)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in everything
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in everything
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in everything
    for secret in SECRETS:
        assert secret not in everything, secret
    assert re.search(r"GM\d{4}-\d+", everything) is None  # no interview id
    assert str(data) not in everything and str(tmp_path) not in everything  # no path of this machine
    assert 'class="cm-suppressed"' in everything  # small groups were suppressed, visibly
    dutch = "\n".join(text for name, text in pages.items() if name.startswith("nl/"))
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in dutch  # the Dutch reports show data too, escaped


# That a Dutch page is in Dutch (at most 1% English function words, no code, no English terms) is
# checked in tests/test_accessibility.py, on the committed pages or on a fresh run's.
