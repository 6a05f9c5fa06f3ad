"""The published reports of both languages in headless Chromium, offline: no failed or external
request, no console error, every figure drawn with a non-zero size, the page's declared language,
every link of the index and of each report's footer resolving. (axe-core's accessibility checks
of the same pages: tests/test_accessibility.py.)"""

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REPORTS = Path(os.environ.get("COMMISSIONING_REPORTS") or REPO / "reports").resolve()  # see test_accessibility
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium package (.ci/run installs it)")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")


LANGS = ("en", "nl")


def pages():
    found = sorted(REPORTS.rglob("*.html"))
    assert (REPORTS / "index.html") in found, "reports/ holds no index.html: run `make reports`"
    return found


def _language(path: Path) -> str:
    """The language a page must declare: its folder's, Dutch for the index and the disclosure log
    (bilingual, Dutch first)."""
    return path.parent.name if path.parent.name in LANGS else "nl"


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.mark.parametrize("path", pages(), ids=lambda p: p.relative_to(REPORTS).as_posix())
def test_report_renders_offline(browser, path):
    context = browser.new_context(offline=True)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"console {m.type}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on("request", lambda r: r.url.startswith(("file:", "data:")) or problems.append(f"external request: {r.url}"))
    page.goto(path.as_uri(), wait_until="load")
    figures = page.evaluate(
        """() => Array.from(document.images).map(img => {
               const r = img.getBoundingClientRect();
               return {src: img.src.slice(0, 30), complete: img.complete, natural: img.naturalWidth,
                       width: r.width, height: r.height};
           })""")
    assert problems == []
    for fig in figures:
        assert fig["complete"] and fig["natural"] > 0 and fig["width"] > 0 and fig["height"] > 0, fig
        assert fig["src"].startswith("data:image/"), fig
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.documentElement.lang") == _language(path)
    for href in page.evaluate("Array.from(document.querySelectorAll('footer a')).map(a => a.href)"):
        assert Path(href.removeprefix("file://")).is_file(), href
    context.close()


def test_index_links_every_report(browser):
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto((REPORTS / "index.html").as_uri())
    links = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    anchors = {link for link in links if link.startswith("#")}
    for anchor in anchors:  # in-page links (the notices' "About the data") point at an element of the index
        assert page.evaluate(f"document.getElementById({anchor[1:]!r}) !== null"), anchor
    reports = {p.relative_to(REPORTS).as_posix() for p in pages()} - {"index.html"}
    assert set(links) - anchors == reports
    notebooks = {p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")}
    in_languages = {f"{lang}/{name}.html" for lang in LANGS for name in notebooks}
    assert set(links) - anchors - in_languages <= {"disclosure.html"}
    hreflang = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => [a.getAttribute('href'), "
                             "a.hreflang, a.closest('[lang]').lang])")
    for href, declared, within in hreflang:
        if href in in_languages:
            assert declared == within == href.split("/")[0], (href, declared, within)
    context.close()


def test_reports_have_figures():
    # a guard that the checks above are not vacuous: the reports do carry embedded figures
    for lang in LANGS:
        assert sum(p.read_text(encoding="utf-8").count("<img") for p in pages() if p.parent.name == lang) >= 5
