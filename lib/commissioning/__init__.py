"""commissioning: re-analysis of how Dutch municipalities organise their commissioning role.

A flat public API::

    import commissioning as cm
    study = cm.load_study()
    cm.crosstab(study, "sourcing.design", by="size_class")

Names are imported from their modules on first use, so that the command line starts fast.

The package has parts, each a folder, in layers: `core` (formats, checks, the memo), `qca` (Qualitative
Comparative Analysis, with nothing of the study in it), `rules`
(one function per kind of statement of the study), `data` (reading and validating a data folder),
`analysis` (what the notebooks compute), `reconstruct` (the reconstruction and its robustness
runs), `plots` (every figure), `disclosure` (publishing safely and auditing it), `exchange`
(REFI-QDA), `present` (reports, tables, computed sentences) and `run` (executing and rendering
the suite), with `cli` on top. A part imports only from the parts listed before it
(tests/test_architecture.py checks this).
"""

from __future__ import annotations

import importlib

from .errors import CommissioningError, DataError, DisclosureError, NotebookError, ParameterError, Problem  # noqa: F401

__version__ = "0.1.0"

_EXPORTS = {
    "analysis.agreement": ["agreement_table", "cohens_kappa", "krippendorff_alpha", "percent_agreement"],
    "analysis.claims": ["claims_table", "evaluate", "evidence", "load_claims"],
    "data.codebook": ["Codebook", "Variable", "load_codebook"],
    "analysis.passages": ["format_passages", "passages", "passages_by_size_class", "passages_summary"],
    "data.passages": ["validate_passages"],
    "data.publication": ["for_publication", "pseudonyms"],
    "disclosure.log": ["log_html"],
    "disclosure.protection": ["Protection", "protection"],
    "disclosure.recoding": ["MIN_MUNICIPALITIES"],
    "analysis.maturity": ["BOOTSTRAP_MIN_RESPONDENTS", "Top3Bootstrap", "aspects_table", "bootstrap_top3", "imputed_share",
                 "respondents_top3", "top3_headline", "top3_mentions",
                 "top3_table"],
    "analysis.organisation": ["display_table", "fragmentation", "shares_by_size_class",
                     "structure_variables", "structures_by_size_class"],
    "exchange.importer": ["ImportReport", "import_qdpx"],
    "exchange.qdc": ["export_qdc"],
    "exchange.project": ["text_selections"],
    "analysis.intervals": ["add_wilson", "wilson_interval"],
    "analysis.effect_size": ["cramers_v", "cramers_v_corrected"],
    "analysis.association": ["association_test", "association_tests", "contingency"],
    "analysis.resampling": ["bootstrap_counts", "differ_counts", "group_positions"],
    "analysis.multiple_testing": ["adjust_pvalues"],
    "analysis.size_claim": ["hardly_threshold", "size_difference", "size_difference_summary"],
    "data.study": ["Study", "default_data_dir", "load_study"],
    "analysis.tabulate": ["activity_shares", "activity_variables", "crosstab", "imputed_share_of", "sample_composition",
                 "sample_table", "wide_shares"],
    "plots": ["plot_fragmentation", "plot_top3_intervals"],
    "present.report": ["Report"],
    "core.formats": ["percent_half_up"],
    "analysis.units": ["aggregate", "disagreement", "unit_values"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

# modules that notebooks and users reach as attributes of the package (`from commissioning import
# plots, sentences`), by the names they had before the package had parts
_MODULES = {
    "plots": "plots",
    "qca": "qca",
    "robustness": "reconstruct.robustness",
    "sentences": "present.sentences",
    "suite": "run.suite",
}

__all__ = sorted(["CommissioningError", "DataError", "DisclosureError", "NotebookError", "ParameterError", "Problem", "__version__", *_WHERE])


def __getattr__(name: str):
    if name in _MODULES:
        value = importlib.import_module(f".{_MODULES[name]}", __name__)
        globals()[name] = value
        return value
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'commissioning' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
