"""Tests of the renderer (commissioning.run: convert, language, page, index): language cells, notices, pages in English and Dutch, the index."""

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from commissioning import NotebookError
from commissioning.run import convert, language
from commissioning.run import index as run_index
from commissioning.run import page as run_page
from commissioning.run.convert import Page
from commissioning.run.index import IndexEntry
from commissioning.run.page import TEXT

from ..conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _cell(source, *tags, kind="markdown"):
    cell = new_markdown_cell(source) if kind == "markdown" else new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_language_cell_of_the_notebooks_has_its_counterpart(path):
    language.check_language_cells(nbformat.read(str(path), as_version=4), name=f"notebooks/{path.name}")


@pytest.mark.parametrize("tags", [
    ["lang-en", "lang-nl"],
    ["lang-en", "lang-en", "lang-nl", "lang-nl"],
    ["lang-en", "lang-nl", None, "lang-en", "lang-nl"],
    [None],
])
def test_pairs_that_follow_the_rule(tags):
    cells = [_cell(f"text {i}", *([t] if t else [])) for i, t in enumerate(tags)]
    assert language.check_language_cells(new_notebook(cells=cells)) == sum(t == "lang-nl" for t in tags)


@pytest.mark.parametrize("cells, message", [
    ([_cell("# Title", "lang-en"), _cell("Body")],
     "00-x.ipynb, cell 1 (first line: # Title): is tagged lang-en but not followed by its counterpart tagged lang-nl; "
     "allowed: every run of cells tagged lang-en immediately followed by as many cells tagged lang-nl, of the same "
     "cell types"),
    ([_cell("Intro"), _cell("Alleen Nederlands", "lang-nl")],
     "00-x.ipynb, cell 2 (first line: Alleen Nederlands): is tagged lang-nl but does not follow its counterpart "
     "tagged lang-en"),
    ([_cell("Both", "lang-en", "lang-nl")], "00-x.ipynb, cell 1 (first line: Both): is tagged both lang-en and lang-nl"),
    ([_cell("One", "lang-en"), _cell("Een", "lang-nl"), _cell("Twee", "lang-nl")],
     "00-x.ipynb, cell 1 (first line: One): starts a run of 1 cell(s) tagged lang-en followed by 2 tagged lang-nl"),
    ([_cell("Text", "lang-en"), _cell("print(1)", "lang-nl", kind="code")],
     "00-x.ipynb, cell 2 (first line: print(1)): is a code cell tagged lang-nl, the counterpart of markdown cell 1"),
    ([_cell("Texte", "lang-fr")],
     "00-x.ipynb, cell 1 (first line: Texte): has an unknown language tag (got 'lang-fr'); allowed: lang-en, lang-nl"),
])
def test_language_cells_that_break_the_rule_are_named(cells, message):
    with pytest.raises(NotebookError) as info:
        language.check_language_cells(new_notebook(cells=cells), name="00-x.ipynb")
    assert message in str(info.value)
    assert info.value.exit_code == 2


def _executed(*cells):
    nb = new_notebook(cells=list(cells))
    return nb


def _notice(html_text):
    out = new_output("display_data", data={"text/html": html_text, "text/plain": "<notice>"},
                     metadata={"commissioning": {"notice": True}})
    return out


def test_a_report_keeps_its_own_language_and_untagged_cells():
    code = _cell("x", kind="code")
    code.outputs = [new_output("stream", name="stdout", text="shown in both\n")]
    nb = _executed(_cell("# Title", "lang-en"), _cell("# Titel", "lang-nl"), code,
                   _cell("English only", "lang-en"), _cell("Alleen Nederlands", "lang-nl"), _cell("Untagged"))
    en, nl = convert.render(nb, "en", fallback_title="x"), convert.render(nb, "nl", fallback_title="x")
    assert en.title == "Title" and nl.title == "Titel"
    assert "English only" in en.body and "Alleen Nederlands" not in en.body
    assert "Alleen Nederlands" in nl.body and "English only" not in nl.body and "Titel" in nl.body
    for page in (en, nl):
        assert "shown in both" in page.body and "Untagged" in page.body


def test_a_notice_moves_to_the_top_of_the_page():
    code = _cell("x", kind="code")
    code.outputs = [new_output("stream", name="stdout", text="before\n"),
                    _notice("<p><strong>Reconstructed data.</strong> Read with care.</p>"),
                    new_output("stream", name="stdout", text="after\n")]
    only_notice = _cell("y", kind="code")
    only_notice.outputs = [_notice("<p>Second notice <script>alert(1)</script></p>")]
    nb = _executed(_cell("# Title"), code, only_notice, _cell("Text"))
    page = convert.render(nb, "en", fallback_title="x")
    assert page.notices == ("<p><strong>Reconstructed data.</strong> Read with care.</p>", "<p>Second notice </p>")
    assert "Reconstructed data" not in page.body and "Second notice" not in page.body
    assert "before" in page.body and "after" in page.body
    html_page = run_page.report_page(page, lang="en", parameters=[["data_dir", None]], fingerprint="f", version="1")
    body = html_page.split("<body>\n", 1)[1]
    assert body.startswith('<main>\n<aside class="notice" role="note">\n<p><strong>Reconstructed data.</strong>')
    assert body.index("</aside>") < body.index("Title")
    assert "<script" not in html_page


def test_a_page_without_notice_has_no_aside():
    page = convert.render(_executed(_cell("# Title")), "en", fallback_title="x")
    assert page.notices == ()
    assert "<aside" not in run_page.report_page(page, lang="en", parameters=[], fingerprint="f", version="1")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_page_declares_its_language_and_its_chrome_is_in_that_language(lang):
    page = Page(title="T", body="<p>body</p>")
    text = run_page.report_page(page, lang=lang, parameters=[["data_dir", None], ["lang", f"'{lang}'"]],
                              fingerprint="abc", version="9")
    assert text.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')
    footer = re.search(r"<footer.*</footer>", text, re.S).group(0)
    other = "nl" if lang == "en" else "en"
    for key, value in TEXT[other].items():
        if value != TEXT[lang][key] and "{" not in value:
            assert value not in footer, (key, value)
    assert TEXT[lang]["all_reports"] in footer and TEXT[lang]["data_dir_shipped"] in footer
    assert 'href="../index.html"' in footer


def test_the_text_tables_have_the_same_keys():
    assert set(TEXT["en"]) == set(TEXT["nl"])


def _entry(name, lang, title, **kw):
    return IndexEntry(name=name, lang=lang, title=title, parameters=kw.pop("parameters", (("lang", f"'{lang}'"),)),
                      fingerprint=kw.pop("fingerprint", "fp"), notices=kw.pop("notices", ()))


def test_the_index_has_a_row_per_notebook_and_a_column_per_language():
    entries = [_entry("00-a", "en", "Who"), _entry("00-a", "nl", "Wie"), _entry("01-b", "en", "Only English",
               parameters=(("lang", "'en'"), ("region", "'Zuid'")))]
    page = run_index.index_page(entries, fingerprint="fp", version="1", data_dir_name=None)
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')  # Dutch first, English marked
    assert '<h1>Opdrachtgeverschap: rapporten / <span lang="en">Commissioning: reports</span></h1>' in page
    assert '<th scope="col">Nederlands</th><th scope="col" lang="en">English</th>' in page
    assert ('<th scope="row">00</th><td><a href="nl/00-a.html" hreflang="nl">Wie</a></td>'
            '<td lang="en"><a href="en/00-a.html" hreflang="en">Who</a></td>') in page
    row = re.search(r'<tr><th scope="row">01</th>.*?</tr>', page).group(0)
    assert "<td>niet gemaakt</td>" in row and '<span lang="en">region South</span>' in row
    assert "de meegeleverde gegevens" in page and "the shipped data" in page
    assert "<caption>Alle rapporten" in page and "<aside" not in page
    assert '<section id="toegankelijkheid" class="cm-meta">' in page and "Known limits" in page


def test_the_index_says_the_settings_in_words_per_language():
    entries = [_entry("00-a", "en", "Who", parameters=(("region", "'Zuid'"), ("publish", "True"), ("threshold", "4"))),
               _entry("00-a", "nl", "Wie", parameters=(("region", "'West'"),), fingerprint="other"),
               _entry("01-b", "nl", "Wat", parameters=(("region", "'West'"), ("n_seeds", "30"), ("seed", "2018")))]
    page = run_index.index_page(entries, fingerprint="fp", version="1", data_dir_name="mine")
    # what every report of a language shares is said once, above the table; a row says the rest
    assert "<p>Instellingen van alle rapporten: regio West.</p>" in page
    assert '<p lang="en">Settings of every report: region South, published (threshold 4).</p>' in page
    assert "<td>30 reconstructies, startwaarde van het toeval 2018</td>" in page  # a seed is no count: no 2.018
    assert ('<span lang="nl">nl: <code>other</code></span><br><span lang="en">en: <code>fp</code></span>') in page
    assert "the folder &#x27;mine&#x27;" in page and "de map &#x27;mine&#x27;" in page
    assert "= None" not in page and "&#x27;Zuid&#x27;" not in page  # words, not Python


def test_the_index_shows_the_notices_of_its_reports_in_both_languages():
    entries = [_entry("00-a", "en", "Who", notices=("<p>Reconstructed</p>",)),
               _entry("01-b", "en", "What", notices=("<p>Reconstructed</p>",)),
               _entry("00-a", "nl", "Wie", notices=("<p>Gereconstrueerd</p>",))]
    page = run_index.index_page(entries, fingerprint="fp", version="1", data_dir_name=None)
    body = page.split("<body>\n", 1)[1]
    assert body.startswith('<main>\n<aside class="notice" role="note">\n<div lang="nl">\n<p>Gereconstrueerd</p>\n'
                           '</div>\n<div lang="en">\n<p>Reconstructed</p>\n</div>\n</aside>\n<h1>')


def test_index_escapes_every_string():
    entries = [IndexEntry(name="00-x", lang="en", title="<b>A & B</b>", parameters=(("region", "'<i>'"),),
                          fingerprint="<f>")]
    page = run_index.index_page(entries, fingerprint="<f>", version="1<2", data_dir_name="<d>")
    assert "<b>" not in page and "<i>" not in page and "<f>" not in page and "<d>" not in page
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in page


def _figure():
    cell = _cell("plot()", kind="code")
    cell.outputs = [new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})]
    return cell


def test_a_figure_gets_its_caption_or_the_text_that_announces_it_as_alt_text():
    announced = convert.clean_for_html(_executed(
        _cell("## Plot it\n\nBars per *size class*, one colour per region."), _figure(), _cell("## Next")))[0]
    assert announced.cells[1].metadata["alt"] == "Bars per size class, one colour per region."
    captioned = convert.clean_for_html(_executed(
        _cell("## Plot it\n\nAnnounced."), _figure(), _cell("Caption: each dot is a unit.")))[0]
    assert captioned.cells[1].metadata["alt"] == "Caption: each dot is a unit."
    page = convert.render(_executed(_cell("# T"), _cell("Announced figure."), _figure()), "en", fallback_title="x")
    assert '<img alt="Announced figure."' in page.body


def test_the_disclosure_page_is_bilingual_and_linked_from_a_published_index():
    page = run_index.disclosure_page({"en": "<section>EN log</section>", "nl": "<section>NL log</section>"},
                                  threshold=4, fingerprint="fp<1>", version="0.1", data_dir_name="pilot",
                                  selection={"region": "Zuid"})
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert "Logboek statistische geheimhouding / <span lang=\"en\">Disclosure log</span>" in page
    assert "threshold 4" in page and "drempel 4" in page and "fp&lt;1&gt;" in page
    assert page.index("NL log") < page.index("EN log") and '<div id="log-en" lang="en">' in page
    assert "Dit logboek gaat over de map &#x27;pilot&#x27; (regio Zuid)" in page
    assert "This log is about the folder &#x27;pilot&#x27; (region South)" in page
    entries = [IndexEntry("00-a", "en", "A", (("publish", "True"),), "fp")]
    linked = run_index.index_page(entries, fingerprint="fp", version="0.1", data_dir_name=None, disclosure_log=True)
    assert f'href="{run_index.DISCLOSURE_PAGE}"' in linked
    assert run_index.DISCLOSURE_PAGE not in run_index.index_page(entries, fingerprint="fp", version="0.1",
                                                           data_dir_name=None)


def _figure_with_alt(*alts):
    cell = _cell("plot()", kind="code")
    cell.outputs = [new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": alt},
                               metadata={"image/png": {"alt": alt}}) for alt in alts]
    return cell


def test_each_figure_keeps_the_alt_text_it_brought():
    nb = _executed(_cell("# T"), _cell("Two figures, announced."), _figure_with_alt("Bars: 5 of 8.", "Dots: 3 of 4."))
    page = convert.render(nb, "en", fallback_title="x")
    assert re.findall(r'<img alt="([^"]*)"', page.body) == ["Bars: 5 of 8.", "Dots: 3 of 4."]


def test_a_pandas_table_gets_one_header_row_scope_and_the_heading_as_caption():
    import pandas as pd

    from commissioning.present.report import show_in_full

    show_in_full()
    df = pd.DataFrame({"Inwoners": ["519.988"], "Interviews": [3]},
                      index=pd.MultiIndex.from_tuples([("Zeer groot", "West")], names=["Grootteklasse", "Regio"]))
    cell = _cell("table", kind="code")
    cell.outputs = [new_output("execute_result", data={"text/html": df._repr_html_(), "text/plain": "df"},
                               execution_count=1)]
    page = convert.render(_executed(_cell("# T"), _cell("## Tabel 1: de gemeenten"), cell), "nl", fallback_title="x")
    body = page.body
    assert "<style" not in body and 'border="1"' not in body
    assert "<caption>Tabel 1: de gemeenten</caption>" in body
    head = re.search(r"<thead>.*?</thead>", body, re.S).group(0)
    assert head.count("<tr") == 1
    assert re.findall(r'<th scope="col">([^<]*)</th>', head) == ["Grootteklasse", "Regio", "Inwoners", "Interviews"]
    assert '<th scope="row">Zeer groot</th>' in body and '<th scope="row">West</th>' in body


def test_a_phrase_the_dutch_page_keeps_in_english_is_marked():
    nb = _executed(_cell("# Aspecten van het Maturity Model", "lang-nl"))
    nb.cells.insert(0, _cell("# Aspects of the maturity model", "lang-en"))
    page = convert.render(nb, "nl", fallback_title="x")
    assert '<span lang="en">Maturity Model</span>' in page.body
    assert "<span lang" not in convert.render(nb, "en", fallback_title="x").body
