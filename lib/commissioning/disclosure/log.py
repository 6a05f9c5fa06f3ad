"""The disclosure log: what was merged or suppressed, by which rule, and an audit's result, in
English and Dutch."""

from __future__ import annotations

import html

from ..core import check_lang, thousands
from .protection import Protection
from .recoding import RULES, THRESHOLD, join_labels
from .system import PROTECTED_KIND


_WORDS = {
    "en": {"merged": "Merged", "suppressed": "Suppressed", "into": "into", "every": "every variable",
           "per_municipality": "every variable coded per municipality", "municipality": "municipality",
           "interview": "respondent", "both": "municipality and respondent", "size_class": "size class {g}",
           "region": "region {g}", "rank": "place {g}", "None": "all together", "all": "the whole selection",
           "none": "–", "attribute": "{name} {g}"},
    "nl": {"merged": "Samengevoegd", "suppressed": "Weggelaten", "into": "met", "every": "elke variabele",
           "per_municipality": "elke variabele die per gemeente is gecodeerd", "municipality": "gemeente",
           "interview": "respondent", "both": "gemeente en respondent", "size_class": "grootteklasse {g}",
           "region": "regio {g}", "rank": "plaats {g}", "None": "alles samen", "all": "de hele selectie",
           "none": "–", "attribute": "{name} {g}"},
}
#: the dimensions of a cross a filtered run of a release shows (`recoding.block_key`)
CROSS_DIMS = {"region_size": ("region", "size_class"), "region_rank": ("region", "rank"),
              "size_rank": ("size_class", "rank"), "region_size_rank": ("region", "size_class", "rank")}
COLUMNS = {"en": ("Action", "What", "Counted per", "Group", "Reason"),
           "nl": ("Maatregel", "Wat", "Geteld per", "Groep", "Reden")}


def entry_cells(entry: dict, lang: str, threshold: int, labels: dict) -> tuple:
    """One entry of the log as the cells of its row. `labels` maps (attribute, code) and
    ("variable", id) to {en, nl}.

    Returns
    -------
    tuple of str
        (action, what, counted per, group, reason) in `lang` (`COLUMNS`), the reason from
        `RULES`; a code without a label is shown as it is, other labels in lower case after the first.

    Examples
    --------
    >>> from commissioning.disclosure.recoding import log_entry
    >>> labels = {("size_class", "large"): {"en": "Large", "nl": "Groot"},
    ...           ("size_class", "very_large"): {"en": "Very large", "nl": "Zeer groot"},
    ...           ("variable", "sourcing.design"): {"en": "Design", "nl": "Ontwerp"}}
    >>> entry_cells(log_entry("merged", "merge_size_class", merged=["very_large"], into=["large"]), "nl", 3, labels)
    ('Samengevoegd', 'zeer groot met groot', 'gemeente en respondent', '–', 'Grootteklasse met minder dan 3 gemeenten of respondenten: samengevoegd met de buurklasse.')
    >>> entry_cells(log_entry("suppressed", "few_values", variable="sourcing.design",
    ...                       key=("municipality", "region", "Noord")), "en", 3, labels)
    ('Suppressed', 'Design', 'municipality', 'region Noord', 'Fewer than 3 municipalities or respondents with an answer.')
    """
    t = _WORDS[lang]
    kinds = [PROTECTED_KIND[k][lang] for k in entry.get("protects") or []]
    protects = join_labels(kinds, lang) if kinds else "-"
    rule = RULES[entry["rule"]][lang].format(t=threshold, protects=protects)
    rule = rule[:1].upper() + rule[1:] + "."

    def label(kind, code, lower=False):
        text = labels.get((kind, code), {}).get(lang, code)
        return text[:1].lower() + text[1:] if lower and (kind, code) in labels else text

    if entry["action"] == "merged":
        merged = join_labels([label("size_class", c) for c in entry["merged"]], lang)
        into = join_labels([label("size_class", c) for c in entry["into"]], lang)
        what = f"{merged[:1].lower() + merged[1:]} {t['into']} {into[:1].lower() + into[1:]}"
        return t["merged"], what, t["both"], t["none"], rule
    if entry["rule"] == "selection_below_threshold":
        return t["suppressed"], t["all"], t["both"], t["none"], rule
    if entry["variable"] is not None:
        what = label("variable", entry["variable"])
    else:
        what = t["per_municipality"] if entry["rule"] == "per_municipality_by_interview" else t["every"]
    group = t["None"]
    if entry["by"] is not None:  # a cross (a filtered run's cells) names its region, size group, rank in turn
        by = str(entry["by"])
        dims = CROSS_DIMS.get(by) or by.split("|")
        values = str(entry["group"]).split("|") if entry["group"] is not None else [""] * len(dims)
        group = " × ".join(
            (t[d] if d in t else t["attribute"].replace("{name}", label("attribute", d, lower=True))).format(
                g=label(d, v, lower=d == "size_class")).strip() for d, v in zip(dims, values))
    return t["suppressed"], what, t[entry["unit"]] if entry["unit"] else t["both"], group, rule


def _entries_table(entries, lang: str, threshold: int, labels: dict, caption: str) -> str:
    """The entries of one report as a table with a caption and scoped headers, escaped."""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in COLUMNS[lang])
    rows = []
    for e in entries:
        cells = entry_cells(e, lang, threshold, labels)
        rows.append(f'<tr><th scope="row">{html.escape(cells[0])}</th>'
                    + "".join(f"<td>{html.escape(c)}</td>" for c in cells[1:]) + "</tr>")
    return (f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


LOG_TEXT = {
    "en": {"lang": "en", "title": "Disclosure log", "nothing": "Nothing was merged or suppressed.",
           "caption": "Merged or suppressed: {title}",
           "engine": "Checked by the publishing engine: {protected} protected values, {entailed} of them fixed by a "
                     "unanimous cell of a large group (allowed); none other determined; the narrowest range found "
                     "holds {narrowest} values.",
           "audit": "Audit of the published pages: {cells} protected values; narrowest range {narrowest} values; {problems}.",
           "no_problems": "no problems", "problems": "{n} problems", "problem": "1 problem"},
    "nl": {"lang": "nl", "title": "Logboek statistische geheimhouding", "nothing": "Niets samengevoegd of weggelaten.",
           "caption": "Samengevoegd of weggelaten: {title}",
           "engine": "De publicatiesoftware controleerde {protected} beschermde waarden. Daarvan liggen er {entailed} "
                     "vast door een cel van een grote groep waarin iedereen hetzelfde antwoordde; dat mag. Geen andere "
                     "waarde ligt vast: het smalste bereik dat is gevonden, telt {narrowest} waarden.",
           "audit": "Controle van de gepubliceerde pagina's: {cells} beschermde waarden, het smalste bereik telt "
                    "{narrowest} waarden; {problems}.",
           "no_problems": "geen problemen", "problems": "{n} problemen", "problem": "1 probleem"},
}


def audit_fields(audit):
    """The fields of an auditor's result, given as an object (`AuditResult`) or a dict.

    Returns
    -------
    tuple
        (protected cells, narrowest range or None, list of problems).

    Examples
    --------
    >>> audit_fields({"protected_cells": 12, "narrowest_range": 2, "problems": ["a problem"]})
    (12, 2, ['a problem'])
    >>> from types import SimpleNamespace
    >>> audit_fields(SimpleNamespace(protected_cells=171, narrowest_range=None, problems=None))
    (171, None, [])
    """
    get = audit.get if isinstance(audit, dict) else lambda k, d=None: getattr(audit, k, d)
    return get("protected_cells", 0), get("narrowest_range", None), list(get("problems", []) or [])


def log_html(entries_by_report: dict, lang: str = "en", *, audit=None, protection=None, titles=None) -> str:
    """The disclosure log as an HTML fragment: per report, what was merged or suppressed, by which rule.

    Parameters
    ----------
    entries_by_report : dict
        {report name: entries}, where entries is a `Protection` (its log and engine result), a list
        of log entries (`Protection.log`), or a dict with `entries` (either of those) and optionally
        `audit`.
    lang : {"en", "nl"}
    audit : object or dict, optional
        An auditor's result for the whole run (with `protected_cells`, `narrowest_range` and
        `problems`), shown as a last line.
    protection : Protection, optional
        Where entries are given as lists: the protection they come from, for the labels of
        variables and groups and the threshold.
    titles : dict, optional
        {report name: its title in `lang`}, shown instead of the name.

    Returns
    -------
    str
        A ``<section class="cm-disclosure-log">``: per report a heading and a table (caption,
        scoped headers, one row per entry, `COLUMNS`); every text is escaped, every count with the
        thousands separator of `lang`.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.disclosure.recoding import log_entry
    >>> p = cm.protection(cm.load_study(), publish=True)
    >>> merged = log_entry("merged", "merge_size_class", merged=["very_large"], into=["large"])
    >>> html = cm.log_html({"02-outsourcing": [merged]}, "en", protection=p,
    ...                    audit={"protected_cells": 12, "narrowest_range": 2, "problems": []})
    >>> html[:len('<section class="cm-disclosure-log"><h2>Disclosure log</h2><h3>02-outsourcing</h3>')]
    '<section class="cm-disclosure-log"><h2>Disclosure log</h2><h3>02-outsourcing</h3>'
    >>> import re
    >>> re.findall(r"<caption>(.*?)</caption>", html), re.findall(r"<tbody>(.*?)</tbody>", html)
    (['Merged or suppressed: 02-outsourcing'], ['<tr><th scope="row">Merged</th><td>very large into large</td><td>municipality and respondent</td><td>–</td><td>Size class with fewer than 3 municipalities or respondents: merged with its neighbour.</td></tr>'])
    >>> re.findall(r'<p class="cm-audit">(.*?)</p>', html)
    ['Audit of the published pages: 12 protected values; narrowest range 2 values; no problems.']
    """
    check_lang(lang)
    text = LOG_TEXT[lang]
    parts = [f'<section class="cm-disclosure-log"><h2>{html.escape(text["title"])}</h2>']
    for report, value in entries_by_report.items():
        report_audit = None
        if isinstance(value, dict) and "entries" in value:
            report_audit = value.get("audit")
            value = value["entries"]
        checked, threshold, labels = {}, THRESHOLD, {}
        source = value if isinstance(value, Protection) else protection
        if source is not None:
            threshold = source.threshold
            cb = source.original.codebook
            labels = {(a, c): v for a in cb.attributes for c, v in cb.attributes[a].codes.items()}
            labels.update({("attribute", a): spec.label for a, spec in cb.attributes.items()})
            shown = source.release.groups if getattr(source, "release", None) is not None else source.groups("size_class")
            labels.update({("size_class", code): {"en": en, "nl": nl} for code, en, nl in shown})
            labels.update({("variable", v.id): v.label for v in cb.variables.values()})
        if isinstance(value, Protection):
            checked = value.checked
            entries = value.log
        else:
            entries = list(value or [])
        title = str((titles or {}).get(report, report))
        parts.append(f"<h3>{html.escape(title)}</h3>")
        if entries:
            parts.append(_entries_table(entries, lang, threshold, labels, text["caption"].format(title=title)))
        else:
            parts.append(f"<p>{html.escape(text['nothing'])}</p>")
        if checked:
            parts.append('<p class="cm-engine">' + html.escape(text["engine"].format(
                protected=thousands(checked.get("protected", 0), lang),
                entailed=thousands(checked.get("entailed", 0), lang), narrowest=checked.get("narrowest") if checked.get("narrowest") is not None else "-")) + "</p>")
        if report_audit is not None:
            parts.append(audit_line(report_audit, text))
    if audit is not None:
        parts.append(audit_line(audit, text))
    parts.append("</section>")
    return "".join(parts)


def audit_line(audit, text) -> str:
    """The log's line on an audit, with its problems as a list, in the language of `text` (a
    value of `LOG_TEXT`).

    Returns
    -------
    str
        ``<p class="cm-audit">`` and, when there are problems, a ``<ul>`` of them; escaped.

    Examples
    --------
    >>> audit_line({"protected_cells": 12, "narrowest_range": 2, "problems": ["a <problem>"]}, LOG_TEXT["en"])
    '<p class="cm-audit">Audit of the published pages: 12 protected values; narrowest range 2 values; 1 problem.</p><ul><li>a &lt;problem&gt;</li></ul>'
    >>> audit_line({"protected_cells": 0}, LOG_TEXT["nl"])
    '<p class="cm-audit">Controle van de gepubliceerde pagina&#x27;s: 0 beschermde waarden, het smalste bereik telt - waarden; geen problemen.</p>'
    """
    cells, narrowest, problems = audit_fields(audit)
    problem_text = (text["no_problems"] if not problems else text["problem"] if len(problems) == 1
                    else text["problems"].format(n=thousands(len(problems), text["lang"])))
    line = text["audit"].format(cells=thousands(cells, text["lang"]), narrowest=narrowest if narrowest is not None else "-",
                                problems=problem_text)
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    return f'<p class="cm-audit">{html.escape(line)}</p>' + (f"<ul>{items}</ul>" if items else "")
