"""Figures of uncertainty: the maturity aspects' bootstrap intervals (notebook 04), fragmentation
against chance (notebook 03) and what moves across reconstructions (notebook 06).

Every function takes the analysis' result first, an optional `ax` to draw on (a new figure of the
house style when left out), and returns the matplotlib Figure.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import pandas as pd
from matplotlib.figure import Figure

from ..analysis import Top3Bootstrap, TOP_N
from ..core import check_lang, percent_half_up, thousands
from ..errors import ParameterError
from . import alt
from .style import PALETTE, caption, canvas, imputed_note, pad


def probability_text(p: float) -> str:
    """A probability as a whole percentage that never shows 0% or 100% unless it is exact."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{percent_half_up(round(p * 10**6), 10**6)}%"


_TOP3_TEXT = {
    "en": {"share": "Share of all mentions, with {level:.0%} bootstrap interval", "top5": "P(top five)",
           "caption": "Blue: the top five. Bootstrap over {n} respondents, {b} resamples, random start value {seed}."},
    "nl": {"share": "Aandeel van alle vermeldingen, met {level:.0%}-bootstrapinterval", "top5": "P(top vijf)",
           "caption": "Blauw: de top vijf. Bootstrap over {n} respondenten, {b} trekkingen, startwaarde van het toeval {seed}."},
}


def plot_top3_intervals(boot: Top3Bootstrap, *, imputed: float | None = None, lang: str = "en",
                        title: str | None = None, ax=None) -> Figure:
    """Dot and whisker: each aspect's share of the mentions with its bootstrap interval.

    Aspects run from the most mentioned (top) down; the right margin gives each aspect's
    probability of being in the top five over the resamples.

    Parameters
    ----------
    boot : Top3Bootstrap
        The output of `bootstrap_top3` (its labels are in the language it was made with).
    imputed : float, optional
        Share of imputed values behind the figure (`imputed_share(study)`), stated in the caption.
    lang : {"en", "nl"}
        Language of the axis texts and caption.
    title : str, optional
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (the figure it belongs to is returned); default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import commissioning as cm
    >>> boot = cm.bootstrap_top3(cm.load_study(), n_resamples=200, seed=1)
    >>> fig = plot_top3_intervals(boot, imputed=0.9)
    >>> fig.axes[0].get_xlabel()
    'Share of all mentions, with 95% bootstrap interval'
    """
    check_lang(lang)
    text = _TOP3_TEXT[lang]
    tab = boot.shares.iloc[::-1].reset_index(drop=True)
    fig, ax = canvas(ax, 10, 0.42 * len(tab) + 2.1, h_pad=0.45)
    y = list(range(len(tab)))
    in_top = tab["rank"] <= TOP_N
    colors = [PALETTE[0] if top else PALETTE[7] for top in in_top]
    ax.hlines(y, tab["ci_low"], tab["ci_high"], colors=colors, linewidth=2.2)
    ax.scatter(tab["share"], y, color=colors, zorder=3, s=36)
    for yi, row in zip(y, tab.itertuples()):
        ax.annotate(f"{row.share_printed}%", (row.share, yi), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=8)
    ax.set_yticks(y, tab["label"])
    upper = max(0.4, float(tab["ci_high"].max()) + 0.05)
    ax.set_xlim(0, upper)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(text["share"].format(level=boot.confidence))
    ax.grid(axis="y", visible=False)
    right = ax.secondary_yaxis("right")
    right.set_yticks(y, [probability_text(p) for p in tab["p_top5"]])
    right.set_ylabel(text["top5"])
    right.tick_params(length=0)
    if title:
        ax.set_title(title, loc="left")
    text_caption = text["caption"].format(n=boot.n_respondents, b=thousands(boot.n_resamples, lang), seed=boot.seed)
    if imputed is not None and imputed == imputed:
        text_caption = f"{text_caption}\n{imputed_note(imputed, lang)}"
    caption(fig, text_caption)
    pad(fig, 0.45)
    n_mentions = int(round(boot.shares["n_mentions"].sum()))
    return alt.describe(fig, alt.top3_text(boot.shares, n_mentions, boot.confidence, lang))


_FRAGMENTATION_TEXT = {
    "en": {"x": "Share of municipalities with several interviews whose respondents differ",
           "observed": "Observed", "chance": "Chance (codes dealt out at random)",
           "caption": "{m} municipalities with several interviews; chance from {b} permutations, random start value {seed}."},
    "nl": {"x": "Aandeel gemeenten met meerdere interviews waarvan de respondenten verschillen",
           "observed": "Waargenomen", "chance": "Toeval (codes willekeurig verdeeld)",
           "caption": "{m} gemeenten met meerdere interviews; toeval uit {b} permutaties, startwaarde van het toeval {seed}."},
}


def plot_fragmentation(frag: pd.DataFrame, *, imputed: float | None = None, lang: str = "en",
                       seed: int | None = None, title: str | None = None, ax=None) -> Figure:
    """Observed share of multi-interview municipalities whose respondents differ, next to chance.

    Parameters
    ----------
    frag : DataFrame
        The output of `fragmentation` (not empty).
    imputed : float, optional
        Share of imputed values behind the figure, stated in the caption.
    lang : {"en", "nl"}
    seed : int, optional
        The seed used, for the caption.
    title : str, optional
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (the figure it belongs to is returned); default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import commissioning as cm
    >>> frag = cm.fragmentation(cm.load_study(), ["agenda.explicitness"], n_permutations=200, seed=1)
    >>> fig = plot_fragmentation(frag, seed=1, lang="nl")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['Toeval (codes willekeurig verdeeld)', 'Waargenomen']
    """
    check_lang(lang)
    if not len(frag):
        raise ParameterError("frag", problem="the table is empty (no municipality with several interviews); nothing to plot")
    text = _FRAGMENTATION_TEXT[lang]
    tab = frag.iloc[::-1].reset_index(drop=True)
    fig, ax = canvas(ax, 10, 0.36 * len(tab) + 2.3, h_pad=0.45)
    y = list(range(len(tab)))
    ax.hlines(y, tab["expected_share"], tab["share_differ"], color="#767676", linewidth=1.5, zorder=1)
    ax.scatter(tab["expected_share"], y, facecolors="white", edgecolors=PALETTE[1], linewidths=1.8, s=40,
               label=text["chance"], zorder=2)
    ax.scatter(tab["share_differ"], y, color=PALETTE[0], s=40, label=text["observed"], zorder=3)
    ax.set_yticks(y, tab["label"])
    ax.set_xlim(-0.03, 1.03)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(text["x"])
    ax.grid(axis="y", visible=False)
    ax.legend(ncols=2, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    right = ax.secondary_yaxis("right")
    right.set_yticks(y, [f"p = {p:.2f}" for p in tab["p_value"]])
    right.tick_params(length=0)
    if title:
        ax.set_title(title, loc="left")
    text_caption = text["caption"].format(m=int(tab["n_municipalities"].max()),
                                          b=thousands(int(tab["n_permutations"].iat[0]), lang),
                                          seed="?" if seed is None else seed)
    if imputed is not None and imputed == imputed:
        text_caption = f"{text_caption}\n{imputed_note(imputed, lang)}"
    caption(fig, text_caption)
    pad(fig, 0.45)
    return alt.describe(fig, alt.fragmentation_text(tab, lang))


# --- what moves across reconstructions (notebook 06) ---------------------------------------------

_SPREAD_TEXT = {
    "en": {"region_difference": "Largest difference between two regions (points)",
           "association_p": "p-value, association with size class",
           "fragmentation_p": "p-value, respondents of one municipality agree more than chance",
           "maturity_rank": "Rank among the ten aspects",
           "draws": "reconstructions", "shipped": "shipped data"},
    "nl": {"region_difference": "Grootste verschil tussen twee regio's (punten)",
           "association_p": "p-waarde, samenhang met grootteklasse",
           "fragmentation_p": "p-waarde, respondenten van één gemeente eensgezinder dan toeval",
           "maturity_rank": "Rang onder de tien aspecten",
           "draws": "reconstructies", "shipped": "meegeleverde gegevens"},
}


def pattern_spread(patterns, shipped=None, *, family: str, lang: str = "en", title: str | None = None,
                   ax=None) -> Figure:
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
    title : str, optional
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (the figure it belongs to is returned); default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> patterns = pd.DataFrame({"seed": [1, 2, 3], "family": "maturity_rank",
    ...                          "statistic": "people", "value": [1, 2, 1]})
    >>> fig = pattern_spread(patterns, family="maturity_rank")
    >>> fig.axes[0].get_xlabel(), [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ('Rank among the ten aspects', ['people'])
    """
    text = _SPREAD_TEXT[check_lang(lang)]
    data = patterns[patterns.family == family]
    labels = list(dict.fromkeys(data.statistic))
    fig, ax = canvas(ax, 9, 0.38 * len(labels) + 1.6)
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
    return alt.describe(fig, alt.spread_text(data, title or text[family], lang))
