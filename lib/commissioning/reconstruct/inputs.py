"""What a reconstruction is drawn from (`Inputs`, read by `load_inputs`), the statements it must
satisfy (`Statement`) and what a draw gives (`Reconstruction`). Measuring a loaded study against
them is an analysis (`commissioning.analysis.robustness.check_statements`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..data import (
    Codebook, default_data_dir, load_claims, load_codebook, load_constraints, load_quantifiers, read_municipalities,
    suite_file,
)
from ..errors import DataError
from ..rules import UnitTable

CODER = "reconstruction"


@dataclass(frozen=True)
class Statement:
    """One rule with where it comes from: the claim, constraint or coherence rule's id, its
    section, and the basis of values it determines (reported or derived; None: imputed).

    Examples
    --------
    >>> st = load_inputs().statements[0]
    >>> st.id, st.section, st.basis, st.spec["rule"]
    ('c51-no-total-overview', '5.1', 'reported', 'share')
    """

    id: str
    section: str
    basis: str | None
    spec: dict


@dataclass(frozen=True)
class Inputs:
    """What a reconstruction is drawn from (loaded once, reused across seeds).

    Examples
    --------
    >>> inputs = load_inputs()
    >>> sorted({st.section for st in inputs.statements})[-1]
    'codebook'
    """

    codebook: Codebook
    municipalities: object  # DataFrame: cbs_code, region, size_class, ...
    constraints: list
    claims: list
    quantifiers: dict

    @property
    def statements(self) -> list[Statement]:
        """Every rule of the claims, then of the constraints, then the codebook's coherence rules."""
        out = []
        for entry in [*self.claims, *self.constraints]:
            for spec in entry["rules"]:
                out.append(Statement(entry["id"], str(entry["section"]), entry.get("basis"), spec))
        for spec in self.codebook.coherence:
            out.append(Statement(spec["id"], "codebook", "derived", spec))
        return out


@dataclass
class Reconstruction:
    """One draw: the per-unit values (`table`) and their provenance per variable and unit:
    (basis, section, statement ids).

    Examples
    --------
    >>> from commissioning.reconstruct.drawing import reconstruct
    >>> rec = reconstruct(1)
    >>> rec.seed, rec.interviews[0]
    (1, ('GM0014-1', 'GM0014'))
    """

    table: UnitTable
    provenance: dict
    seed: int

    @property
    def interviews(self) -> list[tuple[str, str]]:
        """(interview id, cbs code) of every interview, in the order of the interview space."""
        space = self.table.spaces["interview"]
        return list(zip(space.ids, space.municipality))


def load_inputs(data_dir: Path | str | None = None) -> Inputs:
    """Read codebook, municipalities, claims, constraints and quantifiers of a data directory
    (claims, constraints and quantifiers fall back to the shipped ones, see `commissioning.data.files.suite_file`).

    Returns
    -------
    Inputs
        The codebook, the municipalities, the claims and constraints (as read and checked by
        `commissioning.data.statements`) and the quantifiers.

    Examples
    --------
    >>> inputs = load_inputs()
    >>> len(inputs.municipalities), len(inputs.claims) > 40
    (18, True)
    """
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    codebook = load_codebook(data_dir / "codebook.yaml")
    munis, problems = read_municipalities(data_dir / "municipalities.csv", codebook)
    if munis is None:
        raise DataError(problems)
    quantifiers = load_quantifiers(suite_file(data_dir, "quantifiers.csv"))
    return Inputs(codebook, munis,
                  load_constraints(suite_file(data_dir, "constraints.yaml"), codebook=codebook, quantifiers=quantifiers),
                  load_claims(suite_file(data_dir, "claims.yaml"), codebook=codebook, quantifiers=quantifiers),
                  quantifiers)
