"""Every figure of the suite, in one house style: a colour-blind-safe palette, labels from the
codebook in English or Dutch, a caption that states what is imputed or hidden.

Each figure function takes tidy data first, an optional `ax=` to draw on, and returns the
matplotlib Figure (made directly, never through pyplot's current figure). Figures render as PNG,
with the same bytes for the same input. This is the only part of the library that imports
matplotlib or seaborn.

`style` holds the palette, the canvas and the captions; `shares` the heatmaps, bars and intervals
of shares and counts; `uncertainty` the bootstrap, permutation and reconstruction spreads.
"""

from ..core import door

__all__, __getattr__, __dir__ = door(__name__, {
    "shares": ["count_heatmap", "sample_bars", "segment_grid", "share_heatmap", "share_intervals", "sourcing_bars"],
    "style": ["code_colors", "FIG_DPI", "imputed_note", "PALETTE", "SEQUENTIAL", "set_style"],
    "uncertainty": ["pattern_spread", "plot_fragmentation", "plot_top3_intervals"],
})
