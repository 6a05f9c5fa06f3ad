"""What the notebooks compute from a loaded study: per-unit values (the one source of them),
crosstabs, statistics for small samples, maturity and organisation, intercoder agreement, the rule
layer that measures the study's statements, the claims' verdicts, and robustness over
reconstructions."""
