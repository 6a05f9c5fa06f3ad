"""The disclosure log: what was merged or suppressed, by which rule, and an audit's result, in
English and Dutch."""

from __future__ import annotations

import html

from ..core.checks import check_lang
from .protection import Protection
from .recoding import RULES, THRESHOLD, join_labels
from .system import PROTECTED_KIND


def entry_text(entry: dict, lang: str, threshold: int, labels: dict) -> str:
    """One sentence of the log. `labels` maps (attribute, code) and ("variable", id) to {en, nl}.

    Returns
    -------
    str
        What was done, to what, and by which rule (`RULES`), in `lang`; a code without a label
        is shown as it is.

    Examples
    --------
    >>> from commissioning.disclosure.recoding import log_entry
    >>> labels = {("size_class", "large"): {"en": "Large", "nl": "Groot"},
    ...           ("size_class", "very_large"): {"en": "Very large", "nl": "Zeer groot"}}
    >>> entry_text(log_entry("merged", "merge_size_class", merged=["very_large"], into=["large"]), "nl", 3, labels)
    'Samengevoegd: Zeer groot tot Groot (regel: grootteklasse met minder dan 3 gemeenten of respondenten: samengevoegd met de buurklasse).'
    >>> entry_text(log_entry("suppressed", "few_values", variable="sourcing.design",
    ...                      key=("municipality", "region", "Noord")), "en", 3, {})
    'Suppressed: sourcing.design, per municipality, by region, Noord (rule: fewer than 3 units with a value).'
    """
    t = {"en": {"merged": "Merged", "suppressed": "Suppressed", "into": "into", "every": "every variable",
                "per_municipality": "every variable coded per municipality", "municipality": "per municipality",
                "interview": "per interview", "both": "per municipality and per interview",
                "size_class": "by size class", "region": "by region", "rank": "by rank", "None": "overall",
                "all": "the whole selection", "rule": "rule"},
         "nl": {"merged": "Samengevoegd", "suppressed": "Weggelaten", "into": "tot", "every": "elke variabele",
                "per_municipality": "elke variabele die per gemeente is gecodeerd", "municipality": "per gemeente",
                "interview": "per interview", "both": "per gemeente en per interview",
                "size_class": "naar grootteklasse", "region": "naar regio", "rank": "naar plaats", "None": "totaal",
                "all": "de hele selectie", "rule": "regel"}}[lang]
    kinds = [PROTECTED_KIND[k][lang] for k in entry.get("protects") or []]
    protects = join_labels(kinds, lang) if kinds else "-"
    rule = RULES[entry["rule"]][lang].format(t=threshold, protects=protects)

    def label(kind, code):
        return labels.get((kind, code), {}).get(lang, code)

    if entry["action"] == "merged":
        merged = join_labels([label("size_class", c) for c in entry["merged"]], lang)
        into = join_labels([label("size_class", c) for c in entry["into"]], lang)
        what = f"{t['merged']}: {merged} {t['into']} {into}"
    elif entry["rule"] == "selection_below_threshold":
        what = f"{t['suppressed']}: {t['all']}"
    else:
        if entry["variable"] is not None:
            variable = f"{label('variable', entry['variable'])} ({entry['variable']})" \
                if ("variable", entry["variable"]) in labels else entry["variable"]
        else:
            variable = t["per_municipality"] if entry["rule"] == "per_municipality_by_interview" else t["every"]
        where = [variable, t[entry["unit"]] if entry["unit"] else t["both"]]
        if entry["by"] is not None:
            where.append(t[str(entry["by"])])
            if entry["group"] is not None:
                where.append(label(entry["by"], entry["group"]))
        what = f"{t['suppressed']}: " + ", ".join(where)
    return f"{what} ({t['rule']}: {rule})."


LOG_TEXT = {
    "en": {"title": "Disclosure log", "nothing": "Nothing was merged or suppressed.",
           "engine": "Checked by the publishing engine: {protected} protected values, {entailed} of them fixed by a "
                     "unanimous cell of a large group (allowed); none other determined; the narrowest range found "
                     "holds {narrowest} values.",
           "audit": "Audit of the published pages: {cells} protected values; narrowest range {narrowest} values; {problems}.",
           "no_problems": "no problems", "problems": "{n} problems"},
    "nl": {"title": "Logboek statistische geheimhouding", "nothing": "Niets samengevoegd of weggelaten.",
           "engine": "Gecontroleerd door de publicatiemotor: {protected} beschermde waarden, waarvan {entailed} vastgelegd "
                     "door een eenstemmige cel van een grote groep (toegestaan); geen andere vastgelegd; het smalste "
                     "gevonden bereik telt {narrowest} waarden.",
           "audit": "Controle van de gepubliceerde pagina's: {cells} beschermde waarden; smalste bereik {narrowest} "
                    "waarden; {problems}.",
           "no_problems": "geen problemen", "problems": "{n} problemen"},
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


def log_html(entries_by_report: dict, lang: str = "en", *, audit=None, protection=None) -> str:
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

    Returns
    -------
    str
        A ``<section class="cm-disclosure-log">``; every text is escaped.

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
    >>> re.findall(r"<li>(.*?)</li>", html)
    ['Merged: Very large into Large (rule: size class with fewer than 3 municipalities or respondents: merged with its neighbour).']
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
            labels = {(a, c): v for a in ("size_class", "region") for c, v in cb.attributes[a].codes.items()}
            labels.update({("size_class", code): {"en": en, "nl": nl} for code, en, nl in source._groups["size_class"]})
            labels.update({("variable", v.id): v.label for v in cb.variables.values()})
        if isinstance(value, Protection):
            checked = value.checked
            entries = value.log
        else:
            entries = list(value or [])
        parts.append(f"<h3>{html.escape(str(report))}</h3>")
        if entries:
            parts.append("<ul>" + "".join(f"<li>{html.escape(entry_text(e, lang, threshold, labels))}</li>"
                                          for e in entries) + "</ul>")
        else:
            parts.append(f"<p>{html.escape(text['nothing'])}</p>")
        if checked:
            parts.append('<p class="cm-engine">' + html.escape(text["engine"].format(
                protected=checked.get("protected", 0), entailed=checked.get("entailed", 0),
                narrowest=checked.get("narrowest") if checked.get("narrowest") is not None else "-")) + "</p>")
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
    '<p class="cm-audit">Audit of the published pages: 12 protected values; narrowest range 2 values; 1 problems.</p><ul><li>a &lt;problem&gt;</li></ul>'
    >>> audit_line({"protected_cells": 0}, LOG_TEXT["nl"])
    '<p class="cm-audit">Controle van de gepubliceerde pagina&#x27;s: 0 beschermde waarden; smalste bereik - waarden; geen problemen.</p>'
    """
    cells, narrowest, problems = audit_fields(audit)
    problem_text = text["no_problems"] if not problems else text["problems"].format(n=len(problems))
    line = text["audit"].format(cells=cells, narrowest=narrowest if narrowest is not None else "-",
                                problems=problem_text)
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    return f'<p class="cm-audit">{html.escape(line)}</p>' + (f"<ul>{items}</ul>" if items else "")
