"""The accessibility statement ("toegankelijkheidsverklaring") on the index: what was tested, how,
and what is known not to work, in Dutch and in English.

The pages are meant to be published by Dutch public bodies, who must meet WCAG 2.1 level AA (the
standard EN 301 549 points to). The statement says what the suite checks itself; the formal
statement in the government's model, with its compliance status, is the publishing body's to make.

Examples
--------
>>> AXE_VERSION
'4.12.1'
>>> "WCAG 2.1" in STATEMENT["nl"]["intro"]
True
"""

from __future__ import annotations

import html

# The axe-core release the tests run (bundled by the pinned axe-playwright-python; a test checks it).
AXE_VERSION = "4.12.1"

STATEMENT = {
    "nl": {
        "title": "Toegankelijkheidsverklaring",
        "intro": ("Deze rapporten zijn gemaakt om te voldoen aan de WCAG 2.1 op niveau AA, de norm voor de "
                  "toegankelijkheid van websites van de overheid (via EN 301 549)."),
        "tested_head": "Wat is getest",
        "tested": [
            "Elke pagina: de rapporten in het Nederlands en in het Engels, deze index en het logboek statistische "
            "geheimhouding.",
            "Met axe-core {axe} in de browser Chromium, met alle regels voor WCAG 2.0 en 2.1 op niveau A en AA en "
            "de aanbevolen werkwijzen van axe. Uitkomst: geen enkele overtreding.",
            "Daarnaast eigen tests. Elke tabel heeft een bijschrift en kopcellen met hun bereik. Elke figuur heeft "
            "een tekstalternatief dat uit de gegevens wordt berekend, in de taal van de pagina, en geen twee zijn "
            "op een pagina gelijk. De kleuren van de figuren hebben een contrast van minstens 3:1 met wit, tekst "
            "op een kleur minstens 4,5:1. Woorden in een andere taal zijn als zodanig gemarkeerd. De Nederlandse "
            "pagina's bevatten geen programmacode en bijna geen Engelse woorden.",
        ],
        "how_head": "Hoe",
        "how": ("De tests draaien automatisch bij elke wijziging van de software. Daarnaast zijn "
                "schermafbeeldingen van de pagina's met het oog bekeken."),
        "limits_head": "Bekende beperkingen",
        "limits": [
            "Een figuur is een afbeelding. Het tekstalternatief zegt wat de figuur laat zien en noemt de "
            "uitschieters. De meeste getallen van een figuur staan ook in een tabel op dezelfde pagina, niet alle.",
            "Er is niet getest met schermlezers of vergrotingssoftware, en niet met mensen met een beperking. "
            "Er is geen handmatige audit door een deskundige gedaan.",
            "Brede tabellen passen niet op een smal scherm; ze schuiven dan horizontaal.",
            "De formele toegankelijkheidsverklaring volgens het model van de overheid, met de status van "
            "naleving, stelt de organisatie op die de rapporten publiceert.",
        ],
    },
    "en": {
        "title": "Accessibility statement",
        "intro": ("These reports are made to meet WCAG 2.1 at level AA, the accessibility standard for Dutch "
                  "government websites (through EN 301 549)."),
        "tested_head": "What was tested",
        "tested": [
            "Every page: the reports in Dutch and in English, this index and the disclosure log.",
            "With axe-core {axe} in the Chromium browser, with every rule for WCAG 2.0 and 2.1 at levels A and AA "
            "and axe's best practices. Result: no violation at all.",
            "Besides, tests of our own. Every table has a caption and header cells with their scope. Every "
            "figure has a text alternative computed from its data, in the page's language, and no two on a page "
            "are the same. The figures' colours have a contrast of at least 3:1 with white, text on a colour at "
            "least 4.5:1. Words in another language are marked as such. The Dutch pages hold no program code and "
            "hardly any English words.",
        ],
        "how_head": "How",
        "how": ("The tests run automatically with every change of the software. Besides, screenshots of the "
                "pages were looked at."),
        "limits_head": "Known limits",
        "limits": [
            "A figure is an image. Its text alternative says what the figure shows and names the extremes. Most of "
            "a figure's numbers are in a table on the same page too, not all of them.",
            "Nothing was tested with screen readers or magnifiers, nor with people with disabilities. No expert "
            "audited the pages by hand.",
            "Wide tables do not fit a narrow screen; they scroll sideways there.",
            "The formal accessibility statement in the government's model, with the status of compliance, is "
            "drawn up by the body that publishes the reports.",
        ],
    },
}


def statement_html() -> str:
    """The index's accessibility statement (`id="toegankelijkheid"`): Dutch first, then English
    marked `lang="en"`.

    Returns
    -------
    str
        An HTML section, every text escaped.

    Examples
    --------
    >>> section = statement_html()
    >>> print(section.splitlines()[1])
    <h2>Toegankelijkheidsverklaring / <span lang="en">Accessibility statement</span></h2>
    >>> "axe-core 4.12.1" in section, section.count("<h3>")
    (True, 6)
    """
    nl, en = STATEMENT["nl"], STATEMENT["en"]
    parts = ['<section id="toegankelijkheid" class="cm-meta">',
             f'<h2>{html.escape(nl["title"])} / <span lang="en">{html.escape(en["title"])}</span></h2>']
    for lang in ("nl", "en"):
        t = STATEMENT[lang]
        tested = "".join(f"<li>{html.escape(item.format(axe=AXE_VERSION))}</li>" for item in t["tested"])
        limits = "".join(f"<li>{html.escape(item)}</li>" for item in t["limits"])
        parts.append(("<div>" if lang == "nl" else '<div lang="en">')
                     + f"\n<p>{html.escape(t['intro'])}</p>\n"
                     f"<h3>{html.escape(t['tested_head'])}</h3>\n<ul>{tested}</ul>\n"
                     f"<h3>{html.escape(t['how_head'])}</h3>\n<p>{html.escape(t['how'])}</p>\n"
                     f"<h3>{html.escape(t['limits_head'])}</h3>\n<ul>{limits}</ul>\n</div>")
    parts.append("</section>")
    return "\n".join(parts)
