"""commissioning: re-analysis of how Dutch municipalities organise their commissioning role.

A flat public API::

    import commissioning as cm
    study = cm.load_study()
    cm.crosstab(study, "sourcing.design", by="size_class")

Names are imported from their modules on first use, so that the command line starts fast.
"""

from __future__ import annotations

import importlib

from .errors import CommissioningError, DataError, NotebookError, ParameterError, Problem

__version__ = "0.1.0"

_EXPORTS = {
    "agreement": ["agreement_table", "cohens_kappa", "krippendorff_alpha", "percent_agreement"],
    "claims": ["claims_table", "evaluate", "evidence", "load_claims"],
    "codebook": ["Codebook", "Variable", "load_codebook"],
    "coded_passages": ["format_passages", "passages", "passages_by_size_class", "passages_summary",
                       "validate_passages"],
    "disclosure": ["MIN_MUNICIPALITIES", "Protection", "for_publication", "log_html", "protection", "pseudonyms"],
    "maturity": ["BOOTSTRAP_MIN_RESPONDENTS", "Top3Bootstrap", "aspects_table", "bootstrap_top3", "imputed_share",
                 "plot_top3_intervals", "respondents_top3", "top3_headline", "top3_mentions",
                 "top3_table"],
    "organisation": ["display_table", "fragmentation", "plot_fragmentation", "shares_by_size_class",
                     "structure_variables", "structures_by_size_class"],
    "refiqda": ["ImportReport", "export_qdc", "import_qdpx", "text_selections"],
    "stats": ["add_wilson", "adjust_pvalues", "association_test", "association_tests", "bootstrap_counts",
              "contingency", "cramers_v", "cramers_v_corrected", "differ_counts", "group_positions", "hardly_threshold", "size_difference",
              "size_difference_summary", "wilson_interval"],
    "study": ["Study", "default_data_dir", "load_study"],
    "tabulate": ["activity_shares", "activity_variables", "crosstab", "imputed_share_of", "sample_composition",
                 "sample_table", "wide_shares"],
    "report": ["Report"],
    "rules": ["percent_half_up"],
    "units": ["aggregate", "disagreement", "unit_values"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(["CommissioningError", "DataError", "NotebookError", "ParameterError", "Problem", "__version__", *_WHERE])


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'commissioning' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
