"""commissioning: re-analysis of how Dutch municipalities organise their commissioning role.

A flat public API::

    import commissioning as cm
    study = cm.load_study()
    cm.crosstab(study, "sourcing.design", by="size_class")

Names are imported from their modules on first use, so that the command line starts fast.

The package has parts, each a folder, in layers: `core` (formats, checks, the memo), `qca` (Qualitative
Comparative Analysis, with nothing of the study in it), `rules`
(one `RuleKind` per kind of statement of the study), `data` (reading and validating a data folder),
`reconstruct` (drawing the reconstruction), `analysis` (what the notebooks compute, the
robustness runs over reconstructions included), `plots` (every figure), `disclosure` (publishing safely and auditing it), `exchange`
(REFI-QDA), `present` (reports, tables, computed sentences) and `run` (executing and rendering
the suite), with `cli` on top. A part imports only from the parts listed before it
(tests/test_architecture.py checks this).
"""

from __future__ import annotations

import importlib

from .errors import CommissioningError, DataError, DisclosureError, NotebookError, ParameterError, Problem  # noqa: F401

__version__ = "0.1.0"

# the flat API, assembled from the parts' doors: {part: [names on its door]}
_EXPORTS = {
    "analysis": [
        "activity_shares", "activity_variables", "add_wilson", "adjust_pvalues", "aggregate", "agreement_table",
        "aspects_table", "association_test", "association_tests", "bootstrap_counts",
        "BOOTSTRAP_MIN_RESPONDENTS", "bootstrap_top3", "claims_table", "cohens_kappa", "contingency",
        "cramers_v", "cramers_v_corrected", "crosstab", "differ_counts", "disagreement", "display_table",
        "evaluate", "evidence", "format_passages", "fragmentation", "group_positions", "hardly_threshold",
        "imputed_share", "imputed_share_of", "krippendorff_alpha", "load_claims", "passages",
        "passages_by_size_class", "passages_summary", "percent_agreement", "respondents_top3",
        "sample_composition", "sample_table", "shares_by_size_class", "size_difference",
        "size_difference_summary", "structure_variables", "structures_by_size_class", "top3_headline",
        "top3_mentions", "top3_table", "Top3Bootstrap", "unit_values", "wide_shares", "wilson_interval",
    ],
    "core": [
        "percent_half_up",
    ],
    "data": [
        "Codebook", "default_data_dir", "for_publication", "load_codebook", "load_study", "pseudonyms", "Study",
        "validate_passages", "Variable",
    ],
    "disclosure": [
        "log_html", "MIN_MUNICIPALITIES", "Protection", "protection",
    ],
    "exchange": [
        "export_qdc", "import_qdpx", "ImportReport", "text_selections",
    ],
    "plots": [
        "plot_fragmentation", "plot_top3_intervals",
    ],
    "present": [
        "Report",
    ],
}
_WHERE = {name: part for part, names in _EXPORTS.items() for name in names}

# modules that notebooks and users reach as attributes of the package (`from commissioning import
# plots, sentences`), by the names they had before the package had parts
_MODULES = {
    "plots": "plots",
    "qca": "qca",
    "robustness": "analysis.robustness",
    "sentences": "present",
    "suite": "run.suite",
}

__all__ = sorted(["CommissioningError", "DataError", "DisclosureError", "NotebookError", "ParameterError", "Problem", "__version__", *_WHERE])


def __getattr__(name: str):
    if name in _MODULES:
        value = importlib.import_module(f".{_MODULES[name]}", __name__)
        globals()[name] = value
        return value
    part = _WHERE.get(name)
    if part is None:
        raise AttributeError(f"module 'commissioning' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{part}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
