"""The published pages as a reader who depends on them would check them: WCAG 2.1 AA in a real
browser (axe-core), and by hand what axe cannot see (captions, scoped headers, one named header
row, alt texts computed and distinct and in the page's language, a main landmark), and Dutch pages
that hold no code, no English statistics terms and almost no English words, with the thousands
separators of their language.

The pages are those of reports/ (the committed ones, which tests/test_reports.py holds equal to a
fresh `commissioning run --publish`), or of the folder named by COMMISSIONING_REPORTS, e.g. a fresh
run: ``COMMISSIONING_REPORTS=/tmp/r .venv/bin/python -m pytest tests/test_accessibility.py``.

axe-core comes from the pinned PyPI package axe-playwright-python, which bundles axe.min.js: it
installs with pip from requirements.lock like every other dependency, so CI needs no Node.js and
no second lock file; the test injects the script itself and runs it with the tags below.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from commissioning.run.statement import AXE_VERSION

REPO = Path(__file__).resolve().parents[1]
REPORTS = Path(os.environ.get("COMMISSIONING_REPORTS") or REPO / "reports").resolve()
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

PAGES = sorted(REPORTS.rglob("*.html"))
DUTCH_PAGES = [p for p in PAGES if p.parent.name == "nl" or p.parent == REPORTS]  # the index and log lead in Dutch
REPORT_PAGES = [p for p in PAGES if p.parent.name in ("en", "nl")]


def _id(path: Path) -> str:
    return path.relative_to(REPORTS).as_posix()


def _tree(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def test_there_are_pages_to_check():
    assert (REPORTS / "index.html") in PAGES and (REPORTS / "disclosure.html") in PAGES, "run `make reports`"
    assert {p.parent.name for p in REPORT_PAGES} == {"en", "nl"}


# --- axe-core in Chromium ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def axe_page():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs Debian's chromium package (.ci/run installs it)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(offline=True)
        yield context.new_page(), axe.Axe()
        browser.close()


def test_the_axe_core_release_is_the_one_the_statement_names():
    from axe_playwright_python.base import AXE_SCRIPT

    assert re.match(r"/\*! axe v(\S+)", AXE_SCRIPT).group(1) == AXE_VERSION


@pytest.mark.parametrize("path", PAGES, ids=_id)
def test_axe_finds_no_violation(axe_page, path):
    page, axe = axe_page
    page.goto(path.as_uri(), wait_until="load")
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    assert page.evaluate("axe.version") == AXE_VERSION
    found = [f"{v['id']} ({v['impact']}): {n['target']} {n['html'][:120]}"
             for v in result.response["violations"] for n in v["nodes"]]
    assert found == []


# --- what axe cannot see ------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES, ids=_id)
def test_every_table_has_a_caption_and_one_row_of_scoped_named_headers(path):
    tables = _tree(path).xpath("//table")
    for table in tables:
        caption = table.xpath("./caption")
        assert caption and " ".join(caption[0].text_content().split()), lxml_html.tostring(table)[:200]
        assert len(table.xpath("./thead/tr")) == 1, caption[0].text_content()
        for th in table.xpath(".//th"):
            assert th.get("scope") in ("col", "row"), (caption[0].text_content(), lxml_html.tostring(th))
            assert th.text_content().strip(), (caption[0].text_content(), "an empty header cell")
        assert not table.xpath(".//th[@colspan or @rowspan]|.//td[@colspan or @rowspan]")


@pytest.mark.parametrize("path", PAGES, ids=_id)
def test_a_page_has_one_main_landmark_and_declares_its_language(path):
    tree = _tree(path)
    assert len(tree.xpath("//main")) == 1
    assert tree.get("lang") == ("en" if path.parent.name == "en" else "nl")
    assert not tree.xpath("//body/*[not(self::main or self::footer)]")  # every block in a landmark


# Words that say a text is English, or Dutch; none is a word of the other language.
ENGLISH = frozenset("the and to with for on that by are this it from be or at an which not were has have its their "
                    "these those they there when where what who how than then so if but all each more most only also "
                    "into been would can could".split())
DUTCH = frozenset("de het een en van voor met bij zijn wordt niet aandeel gemeenten".split())


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ']+", text)]


@pytest.mark.parametrize("path", REPORT_PAGES, ids=_id)
def test_every_figure_has_its_own_alt_text_in_the_pages_language(path):
    lang = path.parent.name
    alts = [img.get("alt") or "" for img in _tree(path).xpath("//img")]
    assert all(len(a) > 40 for a in alts), alts
    assert len(set(alts)) == len(alts), "two figures of the page share an alt text"
    for alt in alts:
        words = _words(alt)
        other = ENGLISH if lang == "nl" else DUTCH
        assert sum(w in other for w in words) <= 0.02 * len(words), alt
        assert re.search(r"\d", alt), alt  # computed from the data: it names numbers


def test_a_report_with_figures_is_checked():
    assert sum(len(_tree(p).xpath("//img")) for p in REPORT_PAGES if p.parent.name == "nl") >= 10


def _dutch_text(path: Path) -> str:
    """The page's text as a Dutch reader reads it: without code and what is marked as English."""
    tree = _tree(path)
    for node in tree.xpath("//style|//script|//code|//body//*[@lang='en']|//*[contains(@class, 'cm-claim-id')]"):
        node.drop_tree()
    return " ".join(tree.text_content().split())


# Leftovers that have no place in a Dutch page: code, parameters, files, English terms of the trade.
LEFTOVERS = {
    "code": r"\b[a-z_]+ = \S|\bcm\.\w+|\b(?:None|True|False)\b|'(?:nl|en)'|\b(?:sourcing|segment|structure|agenda|"
            r"organisation|maturity|policy|network|capacity|contracts|portfolio|procurement)\.\w+",
    "files": r"\b[\w/-]+\.(?:yaml|csv|py|ipynb)\b|\bREADME\b|\bpassages/",
    "notebook": r"\bnotebooks?\b",
    "seed": r"\bseeds?\b",
    "statistics": r"(?i)\b(?:chi-square|permutation test|resamples?|odds ratio|p-value|pooled|confidence interval|"
                  r"tested|withheld|suppressed|reported|imputed|derived|observed|units?)\b",
    "units": r"\beenhed(?:en)?\b",
    "zero": r"\b0 van\b",
}


@pytest.mark.parametrize("path", DUTCH_PAGES, ids=_id)
def test_a_dutch_page_holds_no_code_and_no_english_terms(path):
    text = _dutch_text(path)
    found = {kind: sorted(set(m.group(0) for m in re.finditer(pattern, text)))
             for kind, pattern in LEFTOVERS.items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_leftover_check_finds_what_the_dutch_pages_held_before():
    before = ["Dit notebook geeft tabel 1", "9.999 trekkingen met een vaste seed", 'met unit = "municipality" telt',
              "de regel van cm.aggregate", "staat één keer in data/claims.yaml", "region = None, lang = 'nl', publish",
              "(permutation chi-square) bij", "analyse-eenheid: gemeente (18 eenheden)", "bij 0 van 11 activiteiten",
              "zie de rondgang in de README", "in de reconstructie zijn ze reported", "Weggelaten: Ontwerp (sourcing.design)"]
    for text in before:
        assert any(re.search(pattern, text) for pattern in LEFTOVERS.values()), text
    assert not any(re.search(pattern, "24 x 3 = 72 vermeldingen, p < 0,05; geen van de 18") for pattern in LEFTOVERS.values())


@pytest.mark.parametrize("path", DUTCH_PAGES, ids=_id)
def test_a_dutch_page_has_at_most_one_percent_english_function_words(path):
    """Code, claim ids and what is marked `lang="en"` aside (the English half of the index)."""
    words = _words(_dutch_text(path))
    english = [w for w in words if w in ENGLISH]
    assert len(words) > 100 and len(english) <= 0.01 * len(words), sorted(set(english))


def test_the_english_function_word_check_finds_english():
    words = _words(_dutch_text(REPORTS / "en" / "02-outsourcing.html"))
    assert sum(w in ENGLISH for w in words) > 0.05 * len(words)


def _numbers(text: str) -> list[str]:
    """Whole numbers of 4 digits or more written without a separator, years (1900-2099) aside."""
    found = re.findall(r"(?<![\d.,])\d{4,}(?![\d.,]?\d)", text)
    return [n for n in found if not (len(n) == 4 and n[:2] in ("19", "20"))]


@pytest.mark.parametrize("path", PAGES, ids=_id)
def test_numbers_have_the_thousands_separator_of_the_pages_language(path):
    tree = _tree(path)
    for node in tree.xpath("//style|//code"):
        node.drop_tree()
    assert _numbers(" ".join(tree.text_content().split())) == []


def test_populations_and_the_logs_counts_are_written_as_each_language_writes_them():
    nl = (REPORTS / "nl" / "00-sample.html").read_text(encoding="utf-8")
    en = (REPORTS / "en" / "00-sample.html").read_text(encoding="utf-8")
    assert "519.988" in nl and "519,988" in en and "519988" not in nl + en  # Den Haag, 1 January 2016
    log = lxml_html.fromstring((REPORTS / "disclosure.html").read_bytes())
    dutch = " ".join(log.xpath("//div[@id='log-nl']")[0].text_content().split())
    english = " ".join(log.xpath("//div[@id='log-en']")[0].text_content().split())
    assert re.search(r"\b\d{1,3}\.\d{3} beschermde waarden", dutch), dutch[-400:]
    assert re.search(r"\b\d{1,3},\d{3} protected values", english), english[-400:]
    assert _numbers("11113 waarden, in 2016") == ["11113"]  # the check above is not vacuous


def test_the_index_carries_an_accessibility_statement():
    tree = _tree(REPORTS / "index.html")
    section = tree.xpath("//section[@id='toegankelijkheid']")
    assert section, "no accessibility statement"
    text = " ".join(section[0].text_content().split())
    for words in ("Toegankelijkheidsverklaring", "Wat is getest", "Hoe", "Bekende beperkingen", "WCAG 2.1",
                  f"axe-core {AXE_VERSION}", "Accessibility statement", "Known limits"):
        assert words in text, words
