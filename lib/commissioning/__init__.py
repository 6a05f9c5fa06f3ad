"""commissioning: re-analysis of how Dutch municipalities organise their commissioning role.

A flat public API::

    import commissioning as cm
    study = cm.load_study()
"""

from .aggregate import aggregate, disagreement
from .agreement import agreement_table, cohens_kappa, krippendorff_alpha, percent_agreement
from .codebook import Codebook, Variable, load_codebook
from .errors import CommissioningError, DataError, ParameterError, Problem
from .study import Study, default_data_dir, load_study
from .maturity import (
    BOOTSTRAP_MIN_RESPONDENTS, Top3Bootstrap, aspects_table, bootstrap_top3, imputed_share, percent_half_up,
    plot_top3_intervals, respondents_top3, top3_headline, top3_mentions, top3_table,
)
from .refiqda import ImportReport, export_qdc, import_qdpx
from .organisation import (
    display_table, fragmentation, plot_fragmentation, shares_by_size_class, structure_variables,
    structures_by_size_class,
)
from .stats import (
    add_wilson, adjust_pvalues, association_test, association_tests, contingency, cramers_v,
    hardly_threshold, size_difference, size_difference_summary, wilson_interval,
)
from .tabulate import (
    activity_shares, activity_variables, crosstab, imputed_share_of, sample_composition, sample_table,
    unit_values, wide_shares,
)

__version__ = "0.1.0"

__all__ = [
    "aggregate", "disagreement",
    "Codebook", "CommissioningError", "DataError", "ParameterError", "Problem", "Study", "Variable",
    "default_data_dir", "load_codebook", "load_study", "sample_composition", "sample_table",
    "add_wilson", "adjust_pvalues", "association_test", "association_tests", "contingency", "cramers_v",
    "hardly_threshold", "size_difference", "size_difference_summary", "wilson_interval",
    "activity_shares", "activity_variables", "crosstab", "imputed_share_of", "unit_values", "wide_shares",
    "BOOTSTRAP_MIN_RESPONDENTS", "Top3Bootstrap", "aspects_table", "bootstrap_top3", "imputed_share",
    "percent_half_up", "respondents_top3", "top3_headline", "top3_mentions", "top3_table",
    "display_table", "fragmentation", "shares_by_size_class", "structure_variables", "structures_by_size_class",
    "plot_fragmentation", "plot_top3_intervals",
    "agreement_table", "cohens_kappa", "krippendorff_alpha", "percent_agreement",
    "ImportReport", "export_qdc", "import_qdpx",
    "__version__",
]
