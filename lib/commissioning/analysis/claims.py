"""The study's statements as checks with a verdict (data/claims.yaml).

Each claim is written once, as data: an id, the section, a paraphrase in English and Dutch (our
words), and one or more rules (`commissioning.analysis.rules`) with their quantifiers from
data/quantifiers.csv. A claim is *supported* when every rule holds, *not supported* when one
fails, and *insufficient data* when the data cannot decide (a group with too few units, a
selection without the units the statement is about). The same rules are constraints of the
reconstruction, so that every claim holds on every reconstructed dataset by construction; on a
research group's own codings the verdict is what the data shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.checks import check_lang
from ..core.formats import percent_half_up
from ..data.files import default_data_dir
from ..data.files import suite_file as _suite_file
from ..data.quantifiers import load_quantifiers
from ..data.statements import load_claims as _load_claims
from ..errors import ParameterError
from ..rules import (HOLDS, INSUFFICIENT, NO_DATA, NOT_SUPPORTED, STATUS_TEXT, SUPPORTED, UnitTable, differ_table,
                     measure, mention_counts)
from .descriptions import _describe, _Describe
from .units import table_from_study

__all__ = ["INSUFFICIENT", "NOT_SUPPORTED", "SUPPORTED", "Verdict", "claims_table", "evaluate", "evidence",
           "load_claims", "percent_half_up"]

BASIS_TEXT = {
    "en": {"construction": "fixed by construction", "selection": "fixed for the whole sample; measured on this selection",
           "coded": "data as coded"},
    "nl": {"construction": "vast door de constructie", "selection": "vast voor de hele steekproef; gemeten op deze selectie",
           "coded": "gegevens zoals gecodeerd"},
}
VERDICT_TEXT = {"en": {SUPPORTED: "supported", NOT_SUPPORTED: "not supported", INSUFFICIENT: "insufficient data"},
                "nl": {SUPPORTED: "ondersteund", NOT_SUPPORTED: "niet ondersteund", INSUFFICIENT: "onvoldoende gegevens"}}


@dataclass
class Part:
    """One rule of a claim: its verdict, what it measured, what it was held against, the evidence."""

    rule: dict
    verdict: str
    value: str
    threshold: str
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class Verdict:
    """A claim's verdict (`supported`, `not supported` or `insufficient data`), the measured value
    and threshold of each rule joined, and the parts (one per rule) with their evidence."""

    verdict: str
    value: str
    threshold: str
    parts: list = field(default_factory=list)

    @property
    def evidence(self) -> pd.DataFrame:
        """The evidence of every rule, one table (a `part` column numbers the rules)."""
        frames = [p.evidence.assign(part=i) for i, p in enumerate(self.parts, 1) if len(p.evidence)]
        if not frames:
            return pd.DataFrame()
        out = pd.concat(frames, ignore_index=True)
        return out[["part", *[c for c in out.columns if c != "part"]]] if len(self.parts) > 1 else out.drop(columns="part")


def combine(statuses) -> str:
    """A claim's verdict from its rules' verdicts: not supported when one fails, insufficient
    data when one cannot be decided, supported when all hold.

    Parameters
    ----------
    statuses : iterable of str
        The verdicts of a claim's rules (`SUPPORTED`, `NOT_SUPPORTED` or `INSUFFICIENT`).

    Returns
    -------
    str
        `NOT_SUPPORTED` if any rule fails, else `INSUFFICIENT` if any cannot be decided, else
        `SUPPORTED` (also for no rules at all).

    Examples
    --------
    >>> from commissioning.analysis.claims import combine
    >>> combine(["supported", "insufficient data"]), combine(["insufficient data", "not supported"])
    ('insufficient data', 'not supported')
    >>> combine(["supported", "supported"])
    'supported'
    """
    statuses = list(statuses)
    if NOT_SUPPORTED in statuses:
        return NOT_SUPPORTED
    if INSUFFICIENT in statuses:
        return INSUFFICIENT
    return SUPPORTED


# --- reading ----------------------------------------------------------------------------------------

def suite_file(study, name: str) -> Path:
    """`name` from the study's data directory, or the shipped one (see
    `commissioning.data.files.suite_file`).

    Parameters
    ----------
    study : Study
    name : str
        A file of the suite: claims.yaml, quantifiers.csv or constraints.yaml.

    Returns
    -------
    Path
        The file in ``study.data_dir`` when it is there, else the shipped one.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.claims import suite_file
    >>> path = suite_file(cm.load_study(), "quantifiers.csv")
    >>> path.name, path == cm.default_data_dir() / "quantifiers.csv"
    ('quantifiers.csv', True)
    """
    return _suite_file(study.data_dir, name)


def load_claims(path: Path | str | None = None, *, codebook=None, quantifiers=None) -> list[dict]:
    """Read and check claims.yaml (default: the shipped one).

    Returns
    -------
    list of dict
        One mapping per claim (see `commissioning.data.statements.load_claims`).

    Examples
    --------
    >>> import commissioning as cm
    >>> claims = cm.load_claims()
    >>> sorted({c["section"] for c in claims})[:3]
    ['2.1', '3.1', '3.2']
    """
    path = Path(path) if path is not None else default_data_dir() / "claims.yaml"
    return _load_claims(path, codebook=codebook, quantifiers=quantifiers)


# --- evaluating ------------------------------------------------------------------------------------

def _quantifiers(study):
    return load_quantifiers(suite_file(study, "quantifiers.csv"))


def evaluate(study, claim: dict, quantifiers: dict | None = None, *, lang: str = "en",
             table: UnitTable | None = None) -> Verdict:
    """Measure one claim on `study`: its verdict, what each rule measured, and the evidence.

    A claim about the whole sample (``scope: sample``) is *insufficient data* on a filtered study.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> claim = next(c for c in cm.load_claims() if c["id"] == "s21-public-space-everywhere")
    >>> v = evaluate(study, claim)
    >>> v.verdict, v.value
    ('supported', '18 of 18 (100%) coded commissions investments [all units]')
    """
    check_lang(lang)
    quantifiers = quantifiers if quantifiers is not None else _quantifiers(study)
    if claim.get("scope") == "sample" and study.filters:
        t = {"en": "a statement about the whole sample; the data is filtered",
             "nl": "een uitspraak over de hele steekproef; de gegevens zijn gefilterd"}[lang]
        return Verdict(INSUFFICIENT, t, {"en": "unfiltered data", "nl": "ongefilterde gegevens"}[lang])
    table = table if table is not None else table_from_study(study)
    d = _Describe(study, table, lang, quantifiers)
    parts = []
    for spec in claim["rules"]:
        outcome = measure(table, spec, quantifiers)
        value, threshold, ev = _describe(d, spec, outcome)
        parts.append(Part(spec, STATUS_TEXT[outcome.first()], value, threshold, ev))
    verdict = combine(p.verdict for p in parts)
    return Verdict(verdict, "; ".join(p.value for p in parts), "; ".join(p.threshold for p in parts), parts)


def claims_table(study, *, lang: str = "en", claims: list[dict] | None = None) -> pd.DataFrame:
    """Every claim with its verdict on `study`.

    Returns
    -------
    DataFrame with columns `id`, `section`, `chapter`, `claim` (paraphrase in `lang`), `modality`
    (stated, hedged or opinion), `verdict` (supported, not supported, insufficient data), `value`,
    `threshold` (both in `lang`) and `basis`: on a reconstruction (data with imputed values)
    'fixed by construction' (every claim is a constraint of the reconstruction), or on a filtered
    selection 'fixed for the whole sample; measured on this selection'; on other data 'data as
    coded' (in `lang`).

    Examples
    --------
    >>> import commissioning as cm
    >>> t = cm.claims_table(cm.load_study())
    >>> t.set_index("id").loc["s42-printed-shares", "verdict"]
    'supported'
    >>> sorted(set(t.verdict))
    ['insufficient data', 'supported']
    """
    check_lang(lang)
    quantifiers = _quantifiers(study)
    claims = claims if claims is not None else load_claims(suite_file(study, "claims.yaml"),
                                                           codebook=study.codebook, quantifiers=quantifiers)
    reconstructed = bool(study.codings["basis"].isin(["imputed", "derived"]).any())
    key = "coded" if not reconstructed else ("selection" if study.filters else "construction")
    table = table_from_study(study)
    rows = []
    for c in claims:
        v = evaluate(study, c, quantifiers, lang=lang, table=table)
        rows.append((c["id"], c["section"], c["chapter"], c[lang], c.get("modality", "stated"), v.verdict,
                     v.value, v.threshold, BASIS_TEXT[lang][key]))
    return pd.DataFrame(rows, columns=["id", "section", "chapter", "claim", "modality", "verdict", "value",
                                       "threshold", "basis"])


def evidence(study, claim_id: str, claims: list[dict] | None = None, *, lang: str = "en") -> pd.DataFrame:
    """The evidence table behind one claim's verdict.

    Returns
    -------
    DataFrame; its columns depend on the claim's rules (counts by size class for a share, the two
    groups for a comparison, mentions for a ranked set, ...).

    Examples
    --------
    >>> import commissioning as cm
    >>> cm.evidence(cm.load_study(), "s21-public-space-everywhere").tail(1)[["n_with_code", "n_units"]].values.tolist()
    [[18, 18]]
    """
    claims = claims if claims is not None else load_claims(suite_file(study, "claims.yaml"))
    found = [c for c in claims if c["id"] == claim_id]
    if not found:
        raise ParameterError("claim", claim_id, problem="is not a claim of claims.yaml", allowed=[c["id"] for c in claims])
    return evaluate(study, found[0], lang=lang).evidence


def verdicts_of(table: UnitTable, claims: list[dict], quantifiers: dict) -> np.ndarray:
    """Status of every claim (rows) for every batch row of `table` (columns): HOLDS, FAILS or
    NO_DATA, combined over each claim's rules as `combine` does.

    Parameters
    ----------
    table : UnitTable
        Unit values, one batch row per dataset (`commissioning.analysis.units.table_from_study`
        gives one row; the robustness check many).
    claims : list of dict
        As `load_claims` reads them.
    quantifiers : dict
        The quantifiers of quantifiers.csv (`commissioning.data.quantifiers.load_quantifiers`).

    Returns
    -------
    ndarray of int64, shape (len(claims), table.batch)
        1 (HOLDS) where a claim holds, 0 (FAILS) where a rule fails, -1 (NO_DATA) where the data
        cannot decide; it does not know a claim's scope, so a claim about the whole sample is
        measured on a filtered table too (`evaluate` calls it insufficient data).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.claims import suite_file, verdicts_of
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> study = cm.load_study()
    >>> quantifiers = load_quantifiers(suite_file(study, "quantifiers.csv"))
    >>> status = verdicts_of(table_from_study(study), cm.load_claims(), quantifiers)
    >>> status.shape, int((status == 1).sum()), int((status == -1).sum())
    ((64, 1), 63, 1)
    """
    out = []
    for c in claims:
        statuses = np.stack([np.broadcast_to(measure(table, spec, quantifiers).status, (table.batch,))
                             for spec in c["rules"]])
        combined = np.where((statuses == 0).any(axis=0), 0, np.where((statuses == NO_DATA).any(axis=0), NO_DATA, HOLDS))
        out.append(combined)
    return np.stack(out) if out else np.zeros((0, table.batch), dtype=np.int64)


_ = (mention_counts, differ_table)  # re-exported for the notebooks' evidence helpers
