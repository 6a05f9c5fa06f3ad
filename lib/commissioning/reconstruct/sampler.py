"""The constrained reconstruction of the study's interview codings (the names of its parts, in one
place).

The study publishes aggregates, never interview-level codings. `reconstruct` draws a dataset with
the interview counts of Table 1 in which every statement of the study (data/claims.yaml), every
other constraint (data/constraints.yaml) and every coherence rule of the codebook holds, measured
by the one rule layer (`commissioning.rules`) that also gives the claims their verdicts. Every
value is labelled: `reported` (the study states it for every municipality or a named one),
`derived` (it follows from the study's statement about a named group), `external` (a fact from
outside the study, its source named in the constraint) or `imputed` (drawn, seeded, within what
the study publishes, or fixed by a reading of ours).

The parts:

- `commissioning.reconstruct.inputs`: what a draw is made from (`load_inputs`), the statements it
  satisfies, what it gives (`Reconstruction`) and `check` (every statement on a loaded study);
- `commissioning.reconstruct.drawing`: how a draw is made (`reconstruct`);
- `commissioning.reconstruct.writing`: the interview files (`render_interview`, `render_all`,
  `write_interviews`) and the record of what was written (`render_record`, read by
  `commissioning.data.origin`).
"""

from __future__ import annotations

from .drawing import BATCH, DEFAULT_SEED, _determinations, _forces, _Sampler, reconstruct  # noqa: F401
from .inputs import CODER, Inputs, Reconstruction, Statement, check, load_inputs  # noqa: F401
from .writing import HEADER, _scalar, render_all, render_interview, render_record, write_interviews  # noqa: F401

__all__ = ["BATCH", "CODER", "DEFAULT_SEED", "HEADER", "Inputs", "Reconstruction", "Statement", "check",
           "load_inputs", "reconstruct", "render_all", "render_interview", "render_record", "write_interviews",
           # the private steps, kept reachable where they were
           "_Sampler", "_determinations", "_forces", "_scalar"]
