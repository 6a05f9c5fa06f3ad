"""Statistics for small samples: intervals, effect sizes, exact and permutation tests, corrections.

The code lives in modules of its own; this one keeps every name importable from
`commissioning.analysis.stats`, where it was:

- `intervals`: Wilson score intervals (`wilson_interval`, `add_wilson`);
- `effect_size`: Cramér's V, plain and bias-corrected;
- `association`: Fisher's exact test and the permutation chi-square (`association_test`,
  `association_tests`, `contingency`);
- `resampling`: the batched kernels (the permutation test's, `bootstrap_counts`,
  `differ_counts`, `group_positions`) and their batch size `CHUNK_ELEMENTS`;
- `multiple_testing`: `adjust_pvalues` (Holm, Benjamini-Hochberg);
- `size_claim`: the study's statement that size hardly matters (`size_difference`,
  `size_difference_summary`, `hardly_threshold`).

A name is read where it lives: to change the batch size, set `resampling.CHUNK_ELEMENTS`.
"""

from __future__ import annotations

from .association import (DEFAULT_RESAMPLES, DEFAULT_SEED, MIN_UNITS, TEST_COLUMNS,  # noqa: F401
                          _association_rows, _is_study, _test_table, association_test, association_tests,
                          contingency)
from .effect_size import _as_table, _chi2, _trim, cramers_v, cramers_v_corrected  # noqa: F401
from .intervals import add_wilson, wilson_interval  # noqa: F401
from .multiple_testing import ADJUST_METHODS, adjust_pvalues  # noqa: F401
from .resampling import (CHUNK_ELEMENTS, _labels, _permutation_p, _smallest_int, bootstrap_counts,  # noqa: F401
                         differ_counts, group_positions)
from .size_claim import (_TEXT, DIFFERENCE_COLUMNS, LARGER, SMALLER, hardly_threshold,  # noqa: F401
                         size_difference, size_difference_summary)

__all__ = ["ADJUST_METHODS", "CHUNK_ELEMENTS", "DEFAULT_RESAMPLES", "DEFAULT_SEED", "DIFFERENCE_COLUMNS", "LARGER",
           "MIN_UNITS", "SMALLER", "TEST_COLUMNS", "add_wilson", "adjust_pvalues", "association_test",
           "association_tests", "bootstrap_counts", "contingency", "cramers_v", "cramers_v_corrected",
           "differ_counts", "group_positions", "hardly_threshold", "size_difference", "size_difference_summary",
           "wilson_interval",
           # private names it had (tests reach some of them as stats.<name>)
           "_TEXT", "_as_table", "_association_rows", "_chi2", "_is_study", "_labels", "_permutation_p",
           "_smallest_int", "_test_table", "_trim"]
