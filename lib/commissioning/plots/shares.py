"""Figures of shares and counts: heatmaps by group, stacked bars, Wilson intervals, the segment grid,
the sample's composition (notebooks 00 to 03 and every `CountTable` by group).

Every function takes tidy data first, an optional `ax` to draw on (a new figure of the house style
when left out), and returns the matplotlib Figure; labels come from the codebook in `lang`.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..analysis import add_wilson
from ..core import check_lang
from ..errors import ParameterError
from . import alt
from .style import PALETTE, SEQUENTIAL, add_caption, imputed_share, new_figure, annotate, canvas, caption, code_colors, text_color

_TEXT = {
    "en": {"share_om": "Share mixed or outsourced", "share": "Share of municipalities", "activity": "Activity",
           "segment": "Segment", "overall": "All", "investment": "Role when investing",
           "maintenance": "Who maintains", "units": "municipalities", "code": "Code"},
    "nl": {"share_om": "Aandeel deels of geheel uitbesteed", "share": "Aandeel gemeenten", "activity": "Activiteit",
           "segment": "Segment", "overall": "Alle", "investment": "Rol bij investeren",
           "maintenance": "Wie beheert", "units": "gemeenten", "code": "Code"},
}


def _text(lang: str) -> dict:
    return _TEXT[check_lang(lang)]


def share_heatmap(shares, study, *, by: str = "size_class", lang: str = "en", title: str | None = None,
                  value_label: str | None = None, note: str = "", ax=None) -> Figure:
    """Heatmap of a share per activity (rows) and group (columns), annotated with share and k/n.

    Parameters
    ----------
    shares : DataFrame
        The output of `commissioning.activity_shares` with the same `by`.
    study : Study
        For the axis labels from the codebook.
    by : {"size_class", "region"}
    lang : {"en", "nl"}
    title : str, optional
    value_label : str, optional
        What the share counts (colour bar label); default "Share mixed or outsourced".
    note : str
        An extra caption sentence, e.g. `Report.protection_note()` when groups
        are hidden for publication (their cells are blank).
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (the figure it belongs to is returned); default a new figure.

    Returns
    -------
    matplotlib.figure.Figure, with a caption stating the share of imputed values behind it.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> fig = share_heatmap(cm.activity_shares(study, by="region"), study, by="region")
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['North', 'West', 'South']
    """
    t = _text(lang)
    value_label = value_label or t["share_om"]
    rows = list(dict.fromkeys(shares["variable_label"]))
    cols = list(dict.fromkeys(shares["by_label"]))
    grid = shares.pivot(index="variable_label", columns="by_label", values="share").loc[rows, cols]
    k = shares.pivot(index="variable_label", columns="by_label", values="n").loc[rows, cols]
    n = shares.pivot(index="variable_label", columns="by_label", values="n_total").loc[rows, cols]
    annot = np.array([[f"{s:.0%}\n{int(a)}/{int(b)}" if b == b and b else "–" for s, a, b in zip(rs, ra, rb)]
                      for rs, ra, rb in zip(grid.to_numpy(), k.to_numpy(), n.to_numpy())])
    fig, ax = canvas(ax, 1.6 + 1.25 * len(cols) + 2.2, 0.55 * len(rows) + 1.6)
    sns.heatmap(grid.astype(float), ax=ax, vmin=0, vmax=1, cmap=SEQUENTIAL, annot=False, linewidths=0.5,
                linecolor="white", cbar_kws={"label": value_label, "format": mticker.PercentFormatter(1.0)})
    annotate(ax, grid.astype(float).to_numpy(), annot)
    ax.set_xlabel(study.label(by, lang=lang))
    ax.set_ylabel("")
    ax.tick_params(axis="both", length=0)
    ax.set_title(title or f"{value_label}: {study.label(by, lang=lang).lower()}", loc="left")
    ax.grid(False)
    add_caption(fig, imputed_share(shares), lang, note)
    return alt.describe(fig, alt.share_heatmap_text(shares, value_label, study.label(by, lang=lang), lang))


def sourcing_bars(table, study, *, lang: str = "en", title: str | None = None, unit: str = "municipality",
                  ax=None) -> Figure:
    """Stacked horizontal bars: share of units in-house, mixed and outsourced per activity.

    Parameters
    ----------
    table : DataFrame
        The output of `commissioning.crosstab(study, activities, by=None)`.
    study : Study
    lang : {"en", "nl"}
    title : str, optional
    unit : {"municipality", "interview"}
        What the table counts (the caption and the text alternative name it).
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (the figure it belongs to is returned); default a new figure.

    Returns
    -------
    matplotlib.figure.Figure, with a caption stating the share of imputed values behind it.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> fig = sourcing_bars(cm.crosstab(study, cm.activity_variables(study), by=None), study)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['In-house', 'Mixed', 'Outsourced']
    """
    t = _text(lang)
    variables = list(dict.fromkeys(table["variable"]))
    codes = list(dict.fromkeys(table["code"]))
    colors = code_colors(codes)
    fig, ax = canvas(ax, 9, 0.45 * len(variables) + 2.0)
    labels = [study.label(v, lang=lang) for v in variables][::-1]
    left = [0.0] * len(variables)
    for code in codes:
        sel = table[table["code"] == code].set_index("variable").loc[variables[::-1]]
        widths = sel["share"].fillna(0).to_numpy()
        ax.barh(labels, widths, left=left, color=colors[code], label=sel["label"].iat[0], edgecolor="white")
        for y, (x0, w, n) in enumerate(zip(left, widths, sel["n"])):
            if w >= 0.08:
                ax.text(x0 + w / 2, y, str(int(n)), ha="center", va="center", fontsize=8,
                        color=text_color(colors[code]))
        left = [a + b for a, b in zip(left, widths)]
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_xlabel(t["share"] + " (" + t["units"] + f", n = {int(table['n_total'].max())})")
    ax.grid(axis="y", visible=False)
    ax.legend(ncols=len(codes), loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    ax.set_title(title or "", loc="left")
    units = alt.ALT[lang]["units"][unit]
    add_caption(fig, imputed_share(table), lang, f"Numbers in the bars: {units}." if lang == "en" else f"Getallen in de balken: {units}.")
    labels = {v: study.label(v, lang=lang) for v in variables}
    return alt.describe(fig, alt.bars_text(table, labels, unit, lang))


def share_intervals(shares, study, *, lang: str = "en", title: str | None = None, level: float = 0.95,
                    ax=None) -> Figure:
    """Dot and Wilson interval of the share mixed or outsourced per activity (overall).

    Parameters
    ----------
    shares : DataFrame
        The output of `commissioning.activity_shares(study, by=None)`.
    study : Study
    lang : {"en", "nl"}
    title : str, optional
    level : float
        Confidence level of the Wilson intervals.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (the figure it belongs to is returned); default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> fig = share_intervals(cm.activity_shares(study, by=None), study, level=0.9)
    >>> fig.axes[0].get_xlabel()
    'Share mixed or outsourced (90% Wilson)'
    """
    t = _text(lang)
    tab = add_wilson(shares, level=level).iloc[::-1]
    fig, ax = canvas(ax, 8, 0.4 * len(tab) + 1.8)
    y = range(len(tab))
    ax.hlines(list(y), tab["ci_low"], tab["ci_high"], color=PALETTE[0], linewidth=2)
    ax.plot(tab["share"], list(y), "o", color=PALETTE[0])
    ax.set_yticks(list(y), tab["variable_label"])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_xlabel(f"{t['share_om']} ({level:.0%} Wilson)")
    ax.grid(axis="y", visible=False)
    ax.set_title(title or "", loc="left")
    add_caption(fig, imputed_share(shares), lang)
    return alt.describe(fig, alt.intervals_text(tab, level, lang))


def segment_grid(table, study, *, lang: str = "en", title: str | None = None, ax=None) -> Figure:
    """Two heatmaps, segment x code: the role when investing and who maintains (shares of units).

    Parameters
    ----------
    table : DataFrame
        The output of `commissioning.crosstab(study, segment_variables, by=None)` covering
        `segment.<s>.investment` and `segment.<s>.maintenance`.
    study : Study
    lang : {"en", "nl"}
    title : str, optional
    ax : pair of matplotlib.axes.Axes, optional
        Draw the two heatmaps on these axes (their figure is returned); default a new figure.

    Returns
    -------
    matplotlib.figure.Figure, with a caption stating the share of imputed values behind it.

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> segments = [v for v in study.codebook.variables if v.startswith("segment.")]
    >>> fig = segment_grid(cm.crosstab(study, segments, by=None), study, lang="nl")
    >>> [ax.get_title(loc="left") for ax in fig.axes[:2]]
    ['Rol bij investeren', 'Wie beheert']
    """
    t = _text(lang)
    tab = table.assign(segment=table["variable"].str.split(".").str[1],
                       kind=table["variable"].str.split(".").str[2])
    segments = list(dict.fromkeys(tab["segment"]))
    seg_labels = {}
    for s in segments:
        v = f"segment.{s}.investment"
        label = study.label(v, lang=lang) if v in study.codebook.variables else s
        short = label.split(": ", 1)[-1]
        seg_labels[s] = short[:1].upper() + short[1:]
    if ax is None:
        fig = new_figure(13, 0.5 * len(segments) + 2.6)
        axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [4, 5]}, sharey=True)
    else:
        axes = list(ax)
        if len(axes) != 2:
            raise ParameterError("ax", f"{len(axes)} axes", allowed="two axes (investment, maintenance)")
        fig = axes[0].figure
    for ax, kind in zip(axes, ("investment", "maintenance")):
        sel = tab[tab["kind"] == kind]
        codes = list(dict.fromkeys(sel["code"]))
        code_labels = dict(zip(sel["code"], sel["label"]))
        grid = sel.pivot(index="segment", columns="code", values="share").loc[segments, codes].astype(float)
        counts = sel.pivot(index="segment", columns="code", values="n").loc[segments, codes]
        annot = np.array([[f"{int(c)}" if c else "" for c in row] for row in counts.to_numpy()])
        sns.heatmap(grid, ax=ax, vmin=0, vmax=1, cmap=SEQUENTIAL, annot=False, cbar=kind == "maintenance",
                    linewidths=0.5, linecolor="white",
                    cbar_kws={"label": t["share"], "format": mticker.PercentFormatter(1.0)})
        annotate(ax, grid.to_numpy(), annot, fontsize=9)
        ax.set_xticklabels([code_labels[c] for c in codes], rotation=30, ha="right")
        ax.set_yticklabels([seg_labels[s] for s in segments], rotation=0)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(axis="both", length=0)
        ax.set_title(t[kind], loc="left")
        ax.grid(False)
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    add_caption(fig, imputed_share(table), lang,
             "Numbers in the cells: municipalities." if lang == "en" else "Getallen in de cellen: gemeenten.")
    return alt.describe(fig, alt.segments_text(table, seg_labels, "municipality", lang))


# --- tables of counts by group (present.CountTable) -----------------------------------------------

def count_heatmap(table, *, value_label: str | None = None, title: str | None = None, lang: str | None = None,
                  ax=None) -> Figure:
    """Heatmap of a `present.CountTable` by group: one row per table row, one column per group
    (the whole selection left out), each cell the share and k/n; a suppressed cell is blank.

    Parameters
    ----------
    table : CountTable
        A table by group (`by` not None), e.g. `Report.counts(..., by="size_class")`.
    value_label : str, optional
        What the share counts (colour bar label).
    title : str, optional
    lang : {"en", "nl"}, optional
        Default: the table's language.

    ax : matplotlib.axes.Axes, optional
        Draw on this axes (the figure it belongs to is returned); default a new figure.
    Returns
    -------
    matplotlib.figure.Figure, captioned with the table's notes (imputed values, disclosure).

    Examples
    --------
    >>> import commissioning as cm
    >>> t = cm.Report().counts("organisation.model", by="size_class")
    >>> count_heatmap(t).axes[0].get_title(loc="left")
    ''
    """
    lang = lang or table.lang
    t = _text(lang)
    cols = [(i, g, label) for i, (g, label) in enumerate(table.groups) if g != "all"]
    share = np.array([[c.k / c.n if c.shown and c.n else np.nan for c in (r.cells[i] for i, _, _ in cols)]
                      for r in table.rows], dtype=float)
    annot = np.array([[f"{c.k / c.n:.0%}\n{c.k}/{c.n}" if c.shown and c.n else "–"
                       for c in (r.cells[i] for i, _, _ in cols)] for r in table.rows])
    fig, ax = canvas(ax, 1.6 + 1.25 * len(cols) + 3.2, 0.55 * len(table.rows) + 1.6)
    sns.heatmap(share, ax=ax, vmin=0, vmax=1, cmap=SEQUENTIAL, annot=False, linewidths=0.5, linecolor="white",
                cbar_kws={"label": value_label or t["share"], "format": mticker.PercentFormatter(1.0)})
    annotate(ax, share, annot)
    ax.set_xticklabels([label for _, _, label in cols], rotation=0)
    ax.set_yticklabels([r.label for r in table.rows], rotation=0)
    ax.tick_params(axis="both", length=0)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    if title:
        ax.set_title(title, loc="left")
    caption(fig, "  ".join(n for n in table.notes if n))
    return alt.describe(fig, alt.count_heatmap_text(table, value_label or t["share"], lang))


def sample_bars(composition, *, lang: str = "en", ax=None) -> Figure:
    """Municipalities per size class, one bar per region (`cm.sample_composition`'s table).

    Parameters
    ----------
    composition : DataFrame
        The output of `commissioning.sample_composition`.
    lang : {"en", "nl"}
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (the figure it belongs to is returned); default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import commissioning as cm
    >>> fig = sample_bars(cm.sample_composition(cm.load_study()))
    >>> fig.axes[0].get_ylabel()
    'Municipalities'
    """
    text = {"en": ("Municipalities", "Size class", "Region"), "nl": ("Gemeenten", "Grootteklasse", "Regio")}[lang]
    fig, ax = canvas(ax, 7, 4)
    sns.barplot(data=composition, x="size_class", y="n_municipalities", hue="region",
                palette=PALETTE[:composition["region"].nunique()], ax=ax)
    ax.set_xlabel(text[1])
    ax.set_ylabel(text[0])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(title=text[2], frameon=False)
    return alt.describe(fig, alt.sample_text(composition, lang), public=True)
