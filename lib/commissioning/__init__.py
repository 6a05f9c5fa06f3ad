"""commissioning: re-analysis of how Dutch municipalities organise their commissioning role.

A flat public API::

    import commissioning as cm
    study = cm.load_study()
"""

from .aggregate import aggregate, disagreement
from .codebook import Codebook, Variable, load_codebook
from .errors import CommissioningError, DataError, ParameterError, Problem
from .study import Study, default_data_dir, load_study
from .maturity import (
    BOOTSTRAP_MIN_RESPONDENTS, Top3Bootstrap, aspects_table, bootstrap_top3, imputed_share, percent_half_up,
    respondents_top3, top3_headline, top3_mentions, top3_table,
)
from .organisation import (
    display_table, fragmentation, shares_by_size_class, structure_variables, structures_by_size_class,
)
from .tabulate import sample_composition, sample_table

__version__ = "0.1.0"

__all__ = [
    "aggregate", "disagreement",
    "Codebook", "CommissioningError", "DataError", "ParameterError", "Problem", "Study", "Variable",
    "default_data_dir", "load_codebook", "load_study", "sample_composition", "sample_table",
    "BOOTSTRAP_MIN_RESPONDENTS", "Top3Bootstrap", "aspects_table", "bootstrap_top3", "imputed_share",
    "percent_half_up", "respondents_top3", "top3_headline", "top3_mentions", "top3_table",
    "display_table", "fragmentation", "shares_by_size_class", "structure_variables", "structures_by_size_class",
    "__version__",
]
