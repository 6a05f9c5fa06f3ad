"""Crisp- and fuzzy-set Qualitative Comparative Analysis, with the vocabulary, notation and results
of R's QCA package (Dusa; version 3.23), so that results compare line by line.

    import commissioning.qca as qca          # or: import commissioning as cm; cm.qca
    tt = qca.truth_table(frame, "SURV", ["DEV", "URB", "LIT", "IND", "STB"], incl_cut=0.8)
    qca.minimize(tt).solutions                       # conservative (complex)
    qca.minimize(tt, include="?").solutions          # parsimonious
    qca.minimize(tt, include="?", dir_exp=["DEV", "URB", "LIT", "IND", "STB"])  # intermediate
    qca.necessity(frame, "SURV")

The truth table has R's columns (OUT, n, incl, PRI, cases) and row numbers; a solution is a sum in
R's notation (``DEV*~URB*LIT*STB + DEV*LIT*IND*STB``), every minimal model is returned (R's M1,
M2, ..., in R's order), and the fit of terms and models has R's names (inclS, PRI, covS, covU).
Minimisation is exact: every prime implicant is found (Quine-McCluskey for the conservative and
intermediate solutions, an exhaustive consistency-cubes search for the parsimonious one), and the
models are every cover by the least number of prime implicants (an integer program for that
number, then an exhaustive branch and bound), which is R's definition with its defaults
(``all.sol = FALSE``, ``row.dom = FALSE``). A solution with more minimal models than
`max_models` (1,000) is an error that says so, not a partial list. Not offered: multi-value and
temporal QCA, and R's ``row.dom``, ``all.sol``, ``pi.cons``, ``sol.cons`` and conjunctural
directional expectations.

Results equal R's (tests/qca/test_qca_reference.py) but for one deliberate difference: with
two inclusion cut-offs and a configuration below ``n_cut``, R 3.23's ``truthTable`` marks the
contradictions on the wrong rows (a logical index shorter than its rows, recycled); here every row
gets the OUT value R's rule gives it.

Why not pyqca (0.2.0 on PyPI, read before deciding): by default (its "qmc" backend) it completes
the essential prime implicants with a greedy cover, so a solution need not be minimal; its exact
cover (a branch and bound) returns one model, breaking ties by the number of literals, where R
returns every model with the least number of terms; its intermediate solution minimises with the
remainders whose every value agrees with the expectations, not with R's easy counterfactuals
(the parsimonious model's simplifying assumptions that a reduced conservative term covers); and
it calls itself alpha ("experimental / under active development"). None of this matches R line
by line, so the suite computes QCA itself, tested against the R package's own output.
"""

from ..core import door

__all__, __getattr__, __dir__ = door(__name__, {
    "calibrate": ["calibrate_crisp", "calibrate_fuzzy", "calibrate_ordinal"],
    "fit": ["necessity"],
    "minimize": ["IntermediateModels", "Minimization", "minimize"],
    "truthtable": ["truth_table"],
})
