"""What the notebooks compute from a loaded study: per-unit values (the one source of them),
crosstabs, statistics for small samples, maturity and organisation, intercoder agreement, the rule
layer that measures the study's statements, the claims' verdicts, and robustness over
reconstructions."""

from ..core import door

__all__, __getattr__, __dir__ = door(__name__, {
    "agreement": ["agreement_table", "cohens_kappa", "krippendorff_alpha", "percent_agreement"],
    "association": ["association_test", "association_tests", "contingency", "MIN_UNITS", "TEST_NAMES"],
    "claims": [
        "claims_table", "evaluate", "evidence", "load_claims", "NOT_APPLICABLE", "origin_line", "study_claims",
        "suite_file", "UNIT_TEXT", "VERDICT_TEXT", "verdicts_of",
    ],
    "configurations": ["configurations", "parse_set", "term_frequencies"],
    "effect_size": ["cramers_v", "cramers_v_corrected"],
    "intervals": ["add_wilson", "wilson_interval"],
    "maturity": [
        "aspects_table", "BOOTSTRAP_MIN_RESPONDENTS", "bootstrap_top3", "imputed_share", "respondents_top3",
        "top3_headline", "top3_mentions", "top3_table", "Top3Bootstrap", "TOP_N",
    ],
    "multiple_testing": ["adjust_pvalues"],
    "organisation": [
        "display_table", "fragmentation", "fragmentation_by_theme", "shares_by_size_class", "structure_variables",
        "structures_by_size_class",
    ],
    "passages": ["format_passages", "passages", "passages_by_size_class", "passages_summary"],
    "provenance": ["imputed_count", "share_text", "value_provenance"],
    "resampling": ["bootstrap_counts", "differ_counts", "group_positions"],
    "size_claim": ["hardly_threshold", "LARGER", "size_difference", "size_difference_summary", "SMALLER"],
    "tabulate": [
        "activity_shares", "activity_variables", "crosstab", "imputed_share_of", "sample_composition",
        "sample_table", "wide_shares",
    ],
    "units": ["aggregate", "disagreement", "table_from_study", "unit_values"],
})
