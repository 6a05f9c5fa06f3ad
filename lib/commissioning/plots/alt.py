"""The text alternative of every figure, computed from the data it draws, in the figure's language.

A figure function ends with `describe(fig, text)`: the text says what kind of figure it is, what
it shows by what, and its extremes with their numbers, so that a reader who cannot see the image
learns what a reader who can would. `alt_text(fig)` reads it back; a figure the house style made
(`style.ReportFigure`) hands it to the notebook's output, where the report puts it on the
``<img>`` (`commissioning.run.convert`). The numbers come from the cells the figure shows, never
from a cell it leaves out.

Examples
--------
>>> share_text(5, 8, "nl"), interval_text(0.152, 0.278, "nl"), join(["a", "b", "c"], "nl")
('5 van 8 (63%)', '15–28%', 'a, b en c')
"""

from __future__ import annotations

from ..core import percent_half_up, thousands

ALT = {
    "en": {
        "heatmap": "Heatmap of {what} by {rows} and {by} ({groups}).",
        "high_low": " Highest: {hi}; lowest: {lo}.",
        "cell": "{row} in {group}, {count}",
        "hidden": " {m} cells are suppressed (–).",
        "same_numbers": " The same numbers are in the table “{caption}”.",
        "by": {"size_class": "size class", "region": "region", "rank": "place in the top three"},
        "segments": ("Two heatmaps of the {n} segments: on the left the municipality's role when it invests, on the "
                     "right who maintains; each cell is the share of {units} with that answer. Most common role: "
                     "{invest}. Most common maintenance: {maintain}."),
        "bars": ("Stacked bars, one per activity ({n}): the share of {units} per answer ({codes}). Most often "
                 "{first}: {hi}. Most often {last}: {lo}."),
        "intervals": ("Dots with {level} Wilson intervals: the share mixed or outsourced of each activity ({n}), "
                      "from {lo} to {hi}."),
        "interval_item": "{label} ({share}%, interval {interval})",
        "sample": "Bars of the municipalities per size class, one bar per region: {items}.",
        "top3": ("Dots with {level} bootstrap intervals: each of the {n} aspects' share of all {mentions} mentions, "
                 "from {hi} down to {lo}. The top five, in blue: {top}."),
        "fragmentation": ("Per question ({n}), the share of municipalities with several interviews whose respondents "
                          "differ: observed (filled dot) next to chance (open dot). For {k} of the {n} questions "
                          "they differ at least as often as chance would make them."),
        "spread": ("Dots for each of {n} reconstructions: {what}, per row ({m}). Widest spread: {wide}; narrowest: "
                   "{narrow}. A cross marks the value in the loaded data."),
        "range": "{label} (from {lo} to {hi})",
        "units": {"municipality": "municipalities", "interview": "respondents", "mention": "mentions"},
        "of": "of", "and": " and ",
    },
    "nl": {
        "heatmap": "Heatmap van {what} per {rows} en {by} ({groups}).",
        "high_low": " Het hoogst: {hi}; het laagst: {lo}.",
        "cell": "{row} bij {group}, {count}",
        "hidden": " {m} cellen zijn weggelaten (–).",
        "same_numbers": " Dezelfde getallen staan in de tabel ‘{caption}’.",
        "by": {"size_class": "grootteklasse", "region": "regio", "rank": "plaats in de top drie"},
        "segments": ("Twee heatmaps van de {n} segmenten: links de rol van de gemeente bij investeren, rechts wie "
                     "beheert en onderhoudt; elke cel is het aandeel {units} met dat antwoord. Meest gegeven rol: "
                     "{invest}. Meest gegeven beheer: {maintain}."),
        "bars": ("Gestapelde staven, één per activiteit ({n}): het aandeel {units} per antwoord ({codes}). Het "
                 "vaakst {first}: {hi}. Het vaakst {last}: {lo}."),
        "intervals": ("Stippen met {level}-Wilsoninterval: het aandeel deels of geheel uitbesteed van elke "
                      "activiteit ({n}), van {lo} tot {hi}."),
        "interval_item": "{label} ({share}%, interval {interval})",
        "sample": "Staven van het aantal gemeenten per grootteklasse, één staaf per regio: {items}.",
        "top3": ("Stippen met {level}-bootstrapinterval: het aandeel van elk van de {n} aspecten in alle {mentions} "
                 "vermeldingen, van {hi} tot {lo}. De top vijf, in blauw: {top}."),
        "fragmentation": ("Per vraag ({n}) het aandeel gemeenten met meerdere interviews waarvan de respondenten "
                          "verschillen: waargenomen (gevulde stip) naast toeval (open stip). Bij {k} van de {n} "
                          "vragen verschillen ze minstens zo vaak als bij toeval."),
        "spread": ("Stippen voor elk van {n} reconstructies: {what}, per rij ({m}). De grootste spreiding: {wide}; "
                   "de kleinste: {narrow}. Een kruis geeft de waarde in de geladen gegevens."),
        "range": "{label} (van {lo} tot {hi})",
        "units": {"municipality": "gemeenten", "interview": "respondenten", "mention": "vermeldingen"},
        "of": "van", "and": " en ",
    },
}


def share_text(k: int, n: int, lang: str) -> str:
    """'5 of 8 (63%)' ('5 van 8 (63%)'), the share rounded half up as the tables round it.

    Returns
    -------
    str

    Examples
    --------
    >>> share_text(15, 72, "en")
    '15 of 72 (21%)'
    """
    return f"{thousands(k, lang)} {ALT[lang]['of']} {thousands(n, lang)} ({percent_half_up(int(k), int(n))}%)"


def number_text(x: float, lang: str, digits: int = 2) -> str:
    """A number rounded to `digits`, with the decimal mark of `lang`.

    Returns
    -------
    str

    Examples
    --------
    >>> number_text(0.4567, "nl"), number_text(7.0, "en")
    ('0,46', '7')
    """
    text = f"{round(float(x), digits):g}"
    return text.replace(".", ",") if lang == "nl" else text


def interval_text(low: float, high: float, lang: str) -> str:
    """An interval of shares as whole percentages: '15–28%'.

    Returns
    -------
    str

    Examples
    --------
    >>> interval_text(0.0, 0.3, "en")
    '0–30%'
    """
    return f"{round(100 * low):.0f}–{round(100 * high):.0f}%"


def join(items: list, lang: str) -> str:
    """'a, b and c' ('a, b en c').

    Returns
    -------
    str

    Examples
    --------
    >>> join(["a"], "en"), join(["a", "b"], "en"), join(["klein", "groot en zeer groot"], "nl")
    ('a', 'a and b', 'klein; groot en zeer groot')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    if any(ALT[lang]["and"] in i for i in items):  # an item holds "and" itself: semicolons keep the list a list
        return "; ".join(items)
    return ", ".join(items[:-1]) + ALT[lang]["and"] + items[-1]


def describe(fig, text: str, *, public: bool = False):
    """Attach `text` to `fig` as its text alternative; `public` when the figure shows public facts
    only (Table 1), which a published page marks as such for its auditor.

    Returns
    -------
    matplotlib.figure.Figure
        `fig` itself.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> alt_text(describe(Figure(), "Bars of the sample.")), alt_text(Figure())
    ('Bars of the sample.', '')
    >>> describe(Figure(), "Bars of the sample.", public=True).commissioning_public
    True
    """
    fig.commissioning_alt = " ".join(str(text).split())
    fig.commissioning_public = bool(public)
    return fig


def alt_text(fig) -> str:
    """The text alternative attached to `fig` ('' when it has none).

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> fig = cm.plots.sample_bars(cm.sample_composition(cm.load_study()))
    >>> alt_text(fig)[:60]
    'Bars of the municipalities per size class, one bar per regio'
    """
    return getattr(fig, "commissioning_alt", "")


def count_heatmap_text(table, value_label: str, lang: str) -> str:
    """The text alternative of `count_heatmap`: what it shows, its highest and lowest shown cell,
    how many cells are suppressed, and the table with the same numbers.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> t = cm.Report(lang="nl", publish=True).counts("organisation.model", by="size_class", codes=["sector"])
    >>> print(count_heatmap_text(t, "Sectormodel", "nl"))  # doctest: +ELLIPSIS
    Heatmap van sectormodel per vraag en antwoord en grootteklasse (klein; middelgroot; groot en zeer groot). Het hoogst: ...
    """
    a = ALT[lang]
    name = (lambda x: x.lower()) if table.by == "size_class" else (lambda x: x)  # regions are names
    cols = [(i, name(label)) for i, (g, label) in enumerate(table.groups) if g != "all"]
    shown, hidden = [], 0
    for r in table.rows:
        for i, label in cols:
            c = r.cells[i]
            if c.shown and c.n:
                shown.append((c.k / c.n, r.label, label, c))
            elif not c.shown:
                hidden += 1
    text = a["heatmap"].format(what=value_label[:1].lower() + value_label[1:],
                               rows=(table.row_header or "rij").lower(),
                               by=a["by"].get(table.by) or getattr(table, "by_label", "") or str(table.by),
                               n_rows=len(table.rows), groups=join([label for _, label in cols], lang))
    if shown:
        hi = max(shown, key=lambda x: x[0])
        lo = min(shown, key=lambda x: x[0])
        cell = lambda x: a["cell"].format(row=x[1], group=x[2], count=share_text(x[3].k, x[3].n, lang))  # noqa: E731
        text += a["high_low"].format(hi=cell(hi), lo=cell(lo))
    if hidden:
        text += a["hidden"].format(m=hidden)
    if table.caption:
        text += a["same_numbers"].format(caption=table.caption)
    return text


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def segments_text(table, segment_labels: dict, units: str, lang: str) -> str:
    """The text alternative of `segment_grid`: per panel the most common answer and its segment.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> segments = [v for v in study.codebook.variables if v.startswith("segment.")]
    >>> fig = cm.plots.segment_grid(cm.crosstab(study, segments, by=None), study)
    >>> alt_text(fig)  # doctest: +ELLIPSIS
    "Two heatmaps of the 8 segments: on the left ... Most common role: Public space: Commissions investments, 18 of 18 (100%). ..."
    """
    a = ALT[lang]
    tab = table.assign(kind=table["variable"].str.split(".").str[2], segment=table["variable"].str.split(".").str[1])
    best = {}
    for kind in ("investment", "maintenance"):
        sel = tab[(tab["kind"] == kind) & (tab["n_total"] > 0)]
        if not len(sel):
            best[kind] = "–"
            continue
        row = sel.loc[(sel["n"] / sel["n_total"]).idxmax()]
        best[kind] = (f"{segment_labels.get(row['segment'], row['segment'])}: {row['label']}, "
                      f"{share_text(int(row['n']), int(row['n_total']), lang)}")
    return a["segments"].format(n=tab["segment"].nunique(), units=a["units"].get(units, units),
                                invest=best["investment"], maintain=best["maintenance"])


def bars_text(table, labels: dict, units: str, lang: str) -> str:
    """The text alternative of `sourcing_bars`: which activity most often has the first code, and
    which the last.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> fig = cm.plots.sourcing_bars(cm.crosstab(study, ["sourcing.design", "sourcing.execution"], by=None), study)
    >>> alt_text(fig)  # doctest: +ELLIPSIS
    'Stacked bars, one per activity (2): the share of municipalities per answer (in-house, mixed or outsourced). ...'
    """
    a = ALT[lang]
    codes = list(dict.fromkeys(table["code"]))
    code_labels = dict(zip(table["code"], table["label"]))

    def top(code):
        sel = table[(table["code"] == code) & (table["n_total"] > 0)]
        if not len(sel):
            return "–"
        row = sel.loc[(sel["n"] / sel["n_total"]).idxmax()]
        return f"{labels.get(row['variable'], row['variable'])}, {share_text(int(row['n']), int(row['n_total']), lang)}"

    if not codes:
        return ""
    return a["bars"].format(n=table["variable"].nunique(), units=a["units"].get(units, units),
                            codes=_code_phrase([code_labels[c] for c in codes], lang),
                            first=_lower(code_labels[codes[0]]), last=_lower(code_labels[codes[-1]]),
                            hi=top(codes[0]), lo=top(codes[-1]))


def _code_phrase(labels: list, lang: str) -> str:
    """The codes' labels as a list in words: 'in-house, mixed or outsourced'."""
    labels = [_lower(x) for x in labels]
    word = " or " if lang == "en" else " of "
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + word + labels[-1]


def intervals_text(tab, level: float, lang: str) -> str:
    """The text alternative of `share_intervals`: the lowest and the highest share with their intervals.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> fig = cm.plots.share_intervals(cm.activity_shares(study, by=None), study, lang="nl")
    >>> alt_text(fig)  # doctest: +ELLIPSIS
    'Stippen met 95%-Wilsoninterval: het aandeel deels of geheel uitbesteed van elke activiteit (12), van ...'
    """
    a = ALT[lang]
    tab = tab.dropna(subset=["share"])
    if not len(tab):
        return a["intervals"].format(level=f"{level:.0%}", n=0, lo="–", hi="–")

    def item(row):
        return a["interval_item"].format(label=row["variable_label"], share=round(100 * row["share"]),
                                         interval=interval_text(row["ci_low"], row["ci_high"], lang))

    return a["intervals"].format(level=f"{level:.0%}", n=len(tab), lo=item(tab.loc[tab["share"].idxmin()]),
                                 hi=item(tab.loc[tab["share"].idxmax()]))


def sample_text(composition, lang: str) -> str:
    """The text alternative of `sample_bars`: every bar (the public facts of Table 1).

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> print(sample_text(cm.sample_composition(cm.load_study(), lang="nl"), "nl"))  # doctest: +ELLIPSIS
    Staven van het aantal gemeenten per grootteklasse, één staaf per regio: zeer groot: Noord 0, West 2, Zuid 0; ...
    """
    items = []
    for size, part in composition.groupby("size_class", sort=False):
        bars = ", ".join(f"{r} {int(n)}" for r, n in zip(part["region"], part["n_municipalities"]))
        items.append(f"{_lower(str(size))}: {bars}")
    return ALT[lang]["sample"].format(items="; ".join(items))


def top3_text(tab, n_mentions: int, level: float, lang: str) -> str:
    """The text alternative of `plot_top3_intervals`: the highest and lowest share and the top five.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> boot = cm.bootstrap_top3(cm.load_study(), n_resamples=200, seed=1)
    >>> alt_text(cm.plot_top3_intervals(boot))  # doctest: +ELLIPSIS
    "Dots with 95% bootstrap intervals: each of the 10 aspects' share of all 72 mentions, from People and ..."
    """
    a = ALT[lang]
    ordered = tab.sort_values("share", ascending=False, kind="stable")

    def item(row):
        return a["interval_item"].format(label=row["label"], share=row["share_printed"],
                                         interval=interval_text(row["ci_low"], row["ci_high"], lang))

    top = ordered[ordered["rank"] <= 5]["label"].tolist()
    return a["top3"].format(level=f"{level:.0%}", n=len(tab), mentions=thousands(n_mentions, lang),
                            hi=item(ordered.iloc[0]), lo=item(ordered.iloc[-1]), top=join(top, lang))


def fragmentation_text(tab, lang: str) -> str:
    """The text alternative of `plot_fragmentation`: how many questions differ at least as often as chance.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> frag = cm.fragmentation(cm.load_study(), ["agenda.explicitness"], n_permutations=200, seed=1)
    >>> alt_text(cm.plot_fragmentation(frag, seed=1))  # doctest: +ELLIPSIS
    'Per question (1), the share of municipalities with several interviews whose respondents differ: ...'
    """
    shown = tab.dropna(subset=["share_differ", "expected_share"])
    k = int((shown["share_differ"] >= shown["expected_share"] - 1e-12).sum())
    return ALT[lang]["fragmentation"].format(n=len(tab), k=k)


def spread_text(data, what: str, lang: str) -> str:
    """The text alternative of `pattern_spread`: the rows with the widest and the narrowest spread.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"seed": [1, 2, 1, 2], "statistic": ["a", "a", "b", "b"], "value": [1, 4, 2, 2]})
    >>> spread_text(data, "Rank", "en")
    'Dots for each of 2 reconstructions: rank, per row (2). Widest spread: a (from 1 to 4); narrowest: b (from 2 to 2). A cross marks the value in the loaded data.'
    """
    a = ALT[lang]
    values = data.dropna(subset=["value"])
    if not len(values):
        return a["spread"].format(n=0, what=_lower(what), m=0, wide="–", narrow="–")
    span = values.groupby("statistic", sort=False)["value"].agg(["min", "max"])
    width = span["max"] - span["min"]
    item = lambda s: a["range"].format(label=s, lo=number_text(span.loc[s, "min"], lang),  # noqa: E731
                                       hi=number_text(span.loc[s, "max"], lang))
    return a["spread"].format(n=values["seed"].nunique(), what=_lower(what), m=len(span),
                              wide=item(width.idxmax()), narrow=item(width.idxmin()))


def share_heatmap_text(shares, value_label: str, by_label: str, lang: str) -> str:
    """The text alternative of `share_heatmap`: what it shows and its highest and lowest cell.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> fig = cm.plots.share_heatmap(cm.activity_shares(study, by="region"), study, by="region")
    >>> alt_text(fig)  # doctest: +ELLIPSIS
    'Heatmap of share mixed or outsourced by activity and region (North, West and South). Highest: ...'
    """
    a = ALT[lang]
    rows = list(dict.fromkeys(shares["variable_label"]))
    groups = list(dict.fromkeys(shares["by_label"]))
    noun = {"en": "activity", "nl": "activiteit"}[lang]
    text = a["heatmap"].format(what=_lower(value_label), rows=noun, n_rows=len(rows), by=_lower(by_label),
                               groups=join(groups, lang))
    shown = shares[shares["n_total"].fillna(0) > 0]
    if len(shown):
        share = shown["n"] / shown["n_total"]
        cell = lambda r: a["cell"].format(row=r["variable_label"], group=r["by_label"],  # noqa: E731
                                          count=share_text(int(r["n"]), int(r["n_total"]), lang))
        text += a["high_low"].format(hi=cell(shown.loc[share.idxmax()]), lo=cell(shown.loc[share.idxmin()]))
    return text
