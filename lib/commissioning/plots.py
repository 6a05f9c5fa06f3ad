"""Figures in one house style: a colour-blind-safe palette, labels from the codebook.

Every figure function takes tidy data first, returns the matplotlib Figure, and labels axes,
legends and titles in the chosen `lang` from the codebook. Figures render as PNG (deterministic
bytes for the same input).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

# Okabe & Ito's colour-blind-safe palette (as in seaborn's "colorblind").
PALETTE = sns.color_palette("colorblind")
SEQUENTIAL = "crest"  # for heatmaps of shares: light = low, dark = high
FIG_DPI = 100


def set_style() -> None:
    """Apply the house style to matplotlib and seaborn (idempotent)."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    plt.rcParams.update({
        "figure.dpi": FIG_DPI,
        "savefig.dpi": FIG_DPI,
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "svg.hashsalt": "commissioning",
    })


def code_colors(codes: list[str]) -> dict[str, tuple]:
    """A fixed colour per code, in codebook order, so a code keeps its colour across figures."""
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(codes)}


def imputed_note(share: float, lang: str = "en", *, what: str = "figure") -> str:
    """The caption line that states the share of imputed values behind a figure or table.

    `what` is "figure" or "table" (the word used in the line).
    """
    if lang == "nl":
        return f"Aandeel geïmputeerde waarden in deze {'tabel' if what == 'table' else 'figuur'}: {share:.0%}"
    return f"Share of imputed values behind this {'table' if what == 'table' else 'figure'}: {share:.0%}"


# --- outsourcing and segments (notebooks 01 and 02) ------------------------------------------------

import matplotlib.ticker as mticker  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

_TEXT = {
    "en": {"share_om": "Share mixed or outsourced", "share": "Share of units", "activity": "Activity",
           "segment": "Segment", "overall": "All", "investment": "Role when investing",
           "maintenance": "Who maintains", "units": "units", "code": "Code"},
    "nl": {"share_om": "Aandeel deels of geheel uitbesteed", "share": "Aandeel eenheden", "activity": "Activiteit",
           "segment": "Segment", "overall": "Alle", "investment": "Rol bij investeren",
           "maintenance": "Wie beheert", "units": "eenheden", "code": "Code"},
}


def _text(lang: str) -> dict:
    from .core.checks import check_lang

    return _TEXT[check_lang(lang)]


def _caption(fig, share: float, lang: str, extra: str = "") -> None:
    text = imputed_note(share, lang) if share == share else ""  # NaN: nothing behind the figure
    if extra:
        text = f"{extra}  {text}".strip()
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=9, color="#444444")


def _new_figure(width: float, height: float) -> Figure:
    set_style()
    fig = Figure(figsize=(width, height), dpi=FIG_DPI, layout="constrained")
    fig.get_layout_engine().set(h_pad=0.25)
    return fig


def _imputed(table) -> float:
    """Imputed share behind a table; cells hidden for publication (NaN counts) are left out."""
    n = table["n_total"] if "variable_label" in table.columns else table["n"]
    n = n.fillna(0).to_numpy(dtype=float)
    if n.sum() == 0:
        return float("nan")
    return float((n * table["imputed_share"].fillna(0).to_numpy(dtype=float)).sum() / n.sum())


def share_heatmap(shares, study, *, by: str = "size_class", lang: str = "en", title: str | None = None,
                  value_label: str | None = None, note: str = "") -> Figure:
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

    Returns
    -------
    matplotlib.figure.Figure, with a caption stating the share of imputed values behind it.
    """
    import numpy as np

    t = _text(lang)
    value_label = value_label or t["share_om"]
    rows = list(dict.fromkeys(shares["variable_label"]))
    cols = list(dict.fromkeys(shares["by_label"]))
    grid = shares.pivot(index="variable_label", columns="by_label", values="share").loc[rows, cols]
    k = shares.pivot(index="variable_label", columns="by_label", values="n").loc[rows, cols]
    n = shares.pivot(index="variable_label", columns="by_label", values="n_total").loc[rows, cols]
    annot = np.array([[f"{s:.0%}\n{int(a)}/{int(b)}" if b == b and b else "–" for s, a, b in zip(rs, ra, rb)]
                      for rs, ra, rb in zip(grid.to_numpy(), k.to_numpy(), n.to_numpy())])
    fig = _new_figure(1.6 + 1.25 * len(cols) + 2.2, 0.55 * len(rows) + 1.6)
    ax = fig.subplots()
    sns.heatmap(grid.astype(float), ax=ax, vmin=0, vmax=1, cmap=SEQUENTIAL, annot=annot, fmt="",
                annot_kws={"fontsize": 8}, linewidths=0.5, linecolor="white",
                cbar_kws={"label": value_label, "format": mticker.PercentFormatter(1.0)})
    ax.set_xlabel(study.label(by, lang=lang))
    ax.set_ylabel("")
    ax.tick_params(axis="both", length=0)
    ax.set_title(title or f"{value_label}: {study.label(by, lang=lang).lower()}", loc="left")
    ax.grid(False)
    _caption(fig, _imputed(shares), lang, note)
    return fig


def sourcing_bars(table, study, *, lang: str = "en", title: str | None = None) -> Figure:
    """Stacked horizontal bars: share of units in-house, mixed and outsourced per activity.

    Parameters
    ----------
    table : DataFrame
        The output of `commissioning.crosstab(study, activities, by=None)`.
    study : Study
    lang : {"en", "nl"}
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure, with a caption stating the share of imputed values behind it.
    """
    t = _text(lang)
    variables = list(dict.fromkeys(table["variable"]))
    codes = list(dict.fromkeys(table["code"]))
    colors = code_colors(codes)
    fig = _new_figure(9, 0.45 * len(variables) + 2.0)
    ax = fig.subplots()
    labels = [study.label(v, lang=lang) for v in variables][::-1]
    left = [0.0] * len(variables)
    for code in codes:
        sel = table[table["code"] == code].set_index("variable").loc[variables[::-1]]
        widths = sel["share"].fillna(0).to_numpy()
        ax.barh(labels, widths, left=left, color=colors[code], label=sel["label"].iat[0], edgecolor="white")
        for y, (x0, w, n) in enumerate(zip(left, widths, sel["n"])):
            if w >= 0.08:
                r, g, b = colors[code][:3]
                ax.text(x0 + w / 2, y, str(int(n)), ha="center", va="center", fontsize=8,
                        color="black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white")
        left = [a + b for a, b in zip(left, widths)]
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_xlabel(t["share"] + " (" + t["units"] + f", n = {int(table['n_total'].max())})")
    ax.grid(axis="y", visible=False)
    ax.legend(ncols=len(codes), loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    ax.set_title(title or "", loc="left")
    _caption(fig, _imputed(table), lang, "Numbers in the bars: units." if lang == "en" else "Getallen in de balken: eenheden.")
    return fig


def share_intervals(shares, study, *, lang: str = "en", title: str | None = None, level: float = 0.95) -> Figure:
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

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .analysis.stats import add_wilson

    t = _text(lang)
    tab = add_wilson(shares, level=level).iloc[::-1]
    fig = _new_figure(8, 0.4 * len(tab) + 1.8)
    ax = fig.subplots()
    y = range(len(tab))
    ax.hlines(list(y), tab["ci_low"], tab["ci_high"], color=PALETTE[0], linewidth=2)
    ax.plot(tab["share"], list(y), "o", color=PALETTE[0])
    ax.set_yticks(list(y), tab["variable_label"])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_xlabel(f"{t['share_om']} ({level:.0%} Wilson)")
    ax.grid(axis="y", visible=False)
    ax.set_title(title or "", loc="left")
    _caption(fig, _imputed(shares), lang)
    return fig


def segment_grid(table, study, *, lang: str = "en", title: str | None = None) -> Figure:
    """Two heatmaps, segment x code: the role when investing and who maintains (shares of units).

    Parameters
    ----------
    table : DataFrame
        The output of `commissioning.crosstab(study, segment_variables, by=None)` covering
        `segment.<s>.investment` and `segment.<s>.maintenance`.
    study : Study
    lang : {"en", "nl"}
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure, with a caption stating the share of imputed values behind it.
    """
    import numpy as np

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
    fig = _new_figure(13, 0.5 * len(segments) + 2.6)
    axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [4, 5]}, sharey=True)
    for ax, kind in zip(axes, ("investment", "maintenance")):
        sel = tab[tab["kind"] == kind]
        codes = list(dict.fromkeys(sel["code"]))
        code_labels = dict(zip(sel["code"], sel["label"]))
        grid = sel.pivot(index="segment", columns="code", values="share").loc[segments, codes].astype(float)
        counts = sel.pivot(index="segment", columns="code", values="n").loc[segments, codes]
        annot = np.array([[f"{int(c)}" if c else "" for c in row] for row in counts.to_numpy()])
        sns.heatmap(grid, ax=ax, vmin=0, vmax=1, cmap=SEQUENTIAL, annot=annot, fmt="", cbar=kind == "maintenance",
                    annot_kws={"fontsize": 9}, linewidths=0.5, linecolor="white",
                    cbar_kws={"label": t["share"], "format": mticker.PercentFormatter(1.0)})
        ax.set_xticklabels([code_labels[c] for c in codes], rotation=30, ha="right")
        ax.set_yticklabels([seg_labels[s] for s in segments], rotation=0)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(axis="both", length=0)
        ax.set_title(t[kind], loc="left")
        ax.grid(False)
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    _caption(fig, _imputed(table), lang,
             "Numbers in the cells: units." if lang == "en" else "Getallen in de cellen: eenheden.")
    return fig


# --- what moves across reconstructions (notebook 06) ---------------------------------------------

_SPREAD_TEXT = {
    "en": {"size_difference": "Larger minus smaller, share (partly) outsourced (points)",
           "region_difference": "Largest difference between two regions (points)",
           "association_p": "p-value, association with size class",
           "fragmentation_p": "p-value, respondents of one municipality agree more than chance",
           "maturity_rank": "Rank among the ten aspects",
           "draws": "reconstructions", "shipped": "shipped data"},
    "nl": {"size_difference": "Groter min kleiner, aandeel (deels) uitbesteed (punten)",
           "region_difference": "Grootste verschil tussen twee regio's (punten)",
           "association_p": "p-waarde, samenhang met grootteklasse",
           "fragmentation_p": "p-waarde, respondenten van één gemeente eensgezinder dan toeval",
           "maturity_rank": "Rang onder de tien aspecten",
           "draws": "reconstructies", "shipped": "meegeleverde gegevens"},
}


def pattern_spread(patterns, shipped=None, *, family: str, lang: str = "en", title: str | None = None) -> Figure:
    """One row per statistic of a family: its value in every reconstruction (dots) and on the
    loaded data (a cross), so that the spread shows what a single draw cannot tell.

    Parameters
    ----------
    patterns : DataFrame
        `robustness.run_seeds`'s patterns (`seed`, `family`, `statistic`, `value`).
    shipped : DataFrame, optional
        `robustness.unstated_patterns` of the loaded data.
    family : str
        One of `robustness.FAMILIES`.
    lang : {"en", "nl"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .core.checks import check_lang

    text = _SPREAD_TEXT[check_lang(lang)]
    data = patterns[patterns.family == family]
    labels = list(dict.fromkeys(data.statistic))
    fig = _new_figure(9, 0.38 * len(labels) + 1.6)
    ax = fig.subplots()
    pos = {s: i for i, s in enumerate(labels)}
    jitter = (data.seed.to_numpy() % 7 - 3) * 0.05
    ax.scatter(data.value, [pos[s] for s in data.statistic] + jitter, s=12, alpha=0.5, color=PALETTE[0],
               label=text["draws"])
    if shipped is not None:
        sh = shipped[shipped.family == family]
        ax.scatter(sh.value, [pos[s] for s in sh.statistic], marker="x", s=50, color=PALETTE[3], label=text["shipped"])
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel(text[family])
    ax.legend(ncols=2, loc="lower left", bbox_to_anchor=(0, 1.0))
    if title:
        ax.set_title(title, loc="left")
    return fig


# --- tables of counts by group (present.CountTable) -----------------------------------------------

def count_heatmap(table, *, value_label: str | None = None, title: str | None = None, lang: str | None = None) -> Figure:
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
    import numpy as np

    lang = lang or table.lang
    t = _text(lang)
    cols = [(i, g, label) for i, (g, label) in enumerate(table.groups) if g != "all"]
    share = np.array([[c.k / c.n if c.shown and c.n else np.nan for c in (r.cells[i] for i, _, _ in cols)]
                      for r in table.rows], dtype=float)
    annot = np.array([[f"{c.k / c.n:.0%}\n{c.k}/{c.n}" if c.shown and c.n else "–"
                       for c in (r.cells[i] for i, _, _ in cols)] for r in table.rows])
    fig = _new_figure(1.6 + 1.25 * len(cols) + 3.2, 0.55 * len(table.rows) + 1.6)
    ax = fig.subplots()
    sns.heatmap(share, ax=ax, vmin=0, vmax=1, cmap=SEQUENTIAL, annot=annot, fmt="", annot_kws={"fontsize": 8},
                linewidths=0.5, linecolor="white",
                cbar_kws={"label": value_label or t["share"], "format": mticker.PercentFormatter(1.0)})
    ax.set_xticklabels([label for _, _, label in cols], rotation=0)
    ax.set_yticklabels([r.label for r in table.rows], rotation=0)
    ax.tick_params(axis="both", length=0)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    if title:
        ax.set_title(title, loc="left")
    fig.text(0.01, 0.005, "  ".join(n for n in table.notes if n), ha="left", va="bottom", fontsize=9,
             color="#444444")
    return fig


def sample_bars(composition, *, lang: str = "en") -> Figure:
    """Municipalities per size class, one bar per region (`cm.sample_composition`'s table).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.ticker import MaxNLocator

    text = {"en": ("Municipalities", "Size class", "Region"), "nl": ("Gemeenten", "Grootteklasse", "Regio")}[lang]
    fig = _new_figure(7, 4)
    ax = fig.subplots()
    sns.barplot(data=composition, x="size_class", y="n_municipalities", hue="region",
                palette=PALETTE[:composition["region"].nunique()], ax=ax)
    ax.set_xlabel(text[1])
    ax.set_ylabel(text[0])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(title=text[2], frameon=False)
    return fig
