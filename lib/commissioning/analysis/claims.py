"""The study's statements as checks with a verdict (data/claims.yaml).

Each claim is written once, as data: an id, the section, the unit it is measured at, a paraphrase
in English and Dutch (our words), and one or more rules (`commissioning.rules`) with their
quantifiers from data/quantifiers.csv. A claim is *supported* when every rule holds, *not
supported* when one fails, and *insufficient data* when the data cannot decide (a group with too
few units, a selection without the units the statement is about). The same rules are constraints
of the reconstruction, so that every claim holds on every reconstructed dataset by construction;
whether loaded data is that reconstruction is decided from the data (`commissioning.data.origin`),
and a claim's basis says so only where it reads no edited value. On a research group's own codings
the verdict is what the data shows.

A data folder with a claims.yaml of its own is checked against it (a rule naming a variable its
codebook lacks is an error in that file). A folder without one is checked against the study's
claims; a claim whose variables, codes or themes its codebook lacks is *not applicable*, saying
which ("not applicable: variable sourcing.design is not in this codebook"), and never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import check_lang, percent_half_up
from ..data import (
    default_data_dir, load_claims as _load_claims, load_quantifiers, origin as data_origin,
    suite_file as _suite_file,
)
from ..errors import ParameterError
from ..rules import (
    describe_outcome, differ_table, HOLDS, INSUFFICIENT, KINDS, measure, measured_variables,
    mention_counts, NO_DATA, NOT_SUPPORTED, rule_variables, STATUS_TEXT, SUPPORTED, UnitTable,
)
from .units import table_from_study

__all__ = ["INSUFFICIENT", "NOT_APPLICABLE", "NOT_SUPPORTED", "SUPPORTED", "Verdict", "claim_basis", "claims_table",
           "evaluate", "evidence", "load_claims", "not_applicable", "origin_line", "percent_half_up", "study_claims"]

NOT_APPLICABLE = "not applicable"  # a claim whose variables, codes or themes the codebook lacks

BASIS_TEXT = {
    "en": {"construction": "fixed by construction", "selection": "fixed for the whole sample; measured on this selection",
           "coded": "data as coded", "edited": "measured on edited values",
           "measured": "measured on this data, not a constraint it was drawn under"},
    "nl": {"construction": "vast door de constructie", "selection": "vast voor de hele steekproef; gemeten op deze selectie",
           "coded": "gegevens zoals gecodeerd", "edited": "gemeten op bewerkte waarden",
           "measured": "gemeten op deze gegevens, geen voorwaarde waaronder ze zijn getrokken"},
}
VERDICT_TEXT = {"en": {SUPPORTED: "supported", NOT_SUPPORTED: "not supported", INSUFFICIENT: "insufficient data",
                       NOT_APPLICABLE: "not applicable"},
                "nl": {SUPPORTED: "ondersteund", NOT_SUPPORTED: "niet ondersteund", INSUFFICIENT: "onvoldoende gegevens",
                       NOT_APPLICABLE: "niet van toepassing"}}
_LACKS = {
    "en": {"variable": "variable {} is not in this codebook", "variables": "variables {} are not in this codebook",
           "theme": "no variable of theme {} is in this codebook", "code": "{} has no code {} in this codebook"},
    "nl": {"variable": "variabele {} staat niet in dit codeboek", "variables": "variabelen {} staan niet in dit codeboek",
           "theme": "geen variabele van thema {} staat in dit codeboek", "code": "{} heeft geen code {} in dit codeboek"},
}


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
    """A claim's verdict (`supported`, `not supported`, `insufficient data` or `not applicable`),
    the measured value and threshold of each rule joined, and the parts (one per rule) with their
    evidence."""

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


def study_claims(study, quantifiers: dict | None = None) -> list[dict]:
    """The claims to check on `study`: its data folder's own claims.yaml, checked against its
    codebook, or else the study's claims as shipped, unchecked (`evaluate` calls a claim whose
    variables the codebook lacks not applicable).

    Parameters
    ----------
    study : Study
    quantifiers : dict, optional
        The quantifiers to check an own claims.yaml's rules with (default: the study's
        quantifiers.csv, or the shipped one).

    Returns
    -------
    list of dict
        As `load_claims` reads them.

    Examples
    --------
    >>> import commissioning as cm
    >>> len(study_claims(cm.load_study()))
    67
    """
    own = Path(study.data_dir) / "claims.yaml"
    if own.is_file():
        quantifiers = quantifiers if quantifiers is not None else _quantifiers(study)
        return load_claims(own, codebook=study.codebook, quantifiers=quantifiers)
    return load_claims(default_data_dir() / "claims.yaml")


def not_applicable(claim: dict, codebook, lang: str = "en") -> str | None:
    """Why `claim` cannot be checked on data coded with `codebook`, or None when it can: the
    variables, themes or codes its rules name that the codebook lacks.

    Parameters
    ----------
    claim : dict
        One claim, as `load_claims` reads it.
    codebook : Codebook
    lang : {"en", "nl"}

    Returns
    -------
    str or None
        E.g. ``"variable sourcing.design is not in this codebook"``; the first rule that cannot be
        checked decides.

    Examples
    --------
    >>> import commissioning as cm
    >>> codebook = cm.load_study().codebook
    >>> claim = {"rules": [{"rule": "share", "variable": "sourcing.colour", "codes": ["red"], "quantifier": "most"}]}
    >>> not_applicable(claim, codebook), not_applicable(claim, codebook, "nl")
    ('variable sourcing.colour is not in this codebook', 'variabele sourcing.colour staat niet in dit codeboek')
    >>> claim["rules"][0].update(variable="sourcing.design", codes=["in_house", "partly"])
    >>> not_applicable(claim, codebook)
    'sourcing.design has no code partly in this codebook'
    >>> not_applicable(cm.load_claims()[0], codebook) is None
    True
    """
    text = _LACKS[lang]
    for spec in claim["rules"]:
        variables = rule_variables(spec, codebook)
        missing = [v for v in variables if v not in codebook.variables]
        if missing:
            return text["variable" if len(missing) == 1 else "variables"].format(", ".join(missing))
        if not variables and spec.get("themes"):
            return text["theme"].format(", ".join(spec["themes"]))
        for var, codes in _rule_codes(spec, measured_variables(spec, codebook)):
            unknown = [str(c) for c in codes if c not in codebook.variables[var].codes]
            if unknown:
                return text["code"].format(var, ", ".join(unknown))
    return None


def _rule_codes(spec: dict, variables: list[str]) -> list[tuple[str, list]]:
    """(variable, codes) of every code a rule names, as `commissioning.rules.check_spec` reads them."""
    pairs = [(v, spec["codes"]) for v in variables] if "codes" in spec else []
    pairs += KINDS[spec["rule"]].codes_named(spec)
    selections = [spec.get(k) for k in ("where", "greater", "than")] + list(spec.get("groups") or [])
    for where in selections:  # a group made by another variable's codes
        coded = (where or {}).get("coded") if isinstance(where, dict) else None
        if isinstance(coded, dict) and "variable" in coded:
            pairs.append((coded["variable"], coded.get("codes") or []))
    return [(v, [codes] if isinstance(codes, str) else list(codes)) for v, codes in pairs]


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

    A claim about the whole sample (``scope: sample``) is *insufficient data* on a filtered study;
    a claim whose variables, codes or themes the study's codebook lacks is *not applicable*
    (`not_applicable` says why), with no parts.

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
    ('supported', '18 of 18 (100%) coded commissions investments [all municipalities]')
    """
    check_lang(lang)
    lacks = not_applicable(claim, study.codebook, lang)
    if lacks is not None:
        return Verdict(NOT_APPLICABLE, f"{VERDICT_TEXT[lang][NOT_APPLICABLE]}: {lacks}", "")
    quantifiers = quantifiers if quantifiers is not None else _quantifiers(study)
    if claim.get("scope") == "sample" and study.filters:
        t = {"en": "a statement about the whole sample; the data is filtered",
             "nl": "een uitspraak over de hele steekproef; de gegevens zijn gefilterd"}[lang]
        return Verdict(INSUFFICIENT, t, {"en": "unfiltered data", "nl": "ongefilterde gegevens"}[lang])
    table = table if table is not None else table_from_study(study)
    parts = []
    for spec in claim["rules"]:
        outcome = measure(table, spec, quantifiers)
        value, threshold, ev = describe_outcome(study, table, lang, quantifiers, spec, outcome)
        parts.append(Part(spec, STATUS_TEXT[outcome.first()], value, threshold, ev))
    verdict = combine(p.verdict for p in parts)
    return Verdict(verdict, "; ".join(p.value for p in parts), "; ".join(p.threshold for p in parts), parts)


UNIT_TEXT = {"en": {"interview": "interview", "municipality": "municipality"},
             "nl": {"interview": "interview", "municipality": "gemeente"}}
ORIGIN_TEXT = {
    "en": {"reconstruction": "Data: the reconstruction of seed {seed}, as `commissioning reconstruct` wrote it.",
           "edited": "Data: an edited reconstruction: {n} values differ from what the reconstruction of seed {seed} "
                     "wrote{inputs}.",
           "coded": "Data: codings that are not a reconstruction.",
           "inputs": "; it was drawn from other claims, constraints or quantifiers than these"},
    "nl": {"reconstruction": "Gegevens: de reconstructie met seed {seed}, zoals `commissioning reconstruct` die schreef.",
           "edited": "Gegevens: een bewerkte reconstructie: {n} waarden wijken af van wat de reconstructie met seed "
                     "{seed} schreef{inputs}.",
           "coded": "Gegevens: coderingen die geen reconstructie zijn.",
           "inputs": "; ze is getrokken uit andere uitspraken, voorwaarden of kwantoren dan deze"},
}


def origin_line(study, lang: str = "en") -> str:
    """One sentence on what the data is (`commissioning.data.origin`), as `commissioning claims`
    prints it above the verdicts.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> origin_line(cm.load_study())
    'Data: the reconstruction of seed 2018, as `commissioning reconstruct` wrote it.'
    """
    check_lang(lang)
    found = data_origin(study)
    t = ORIGIN_TEXT[lang]
    kind = found.kind
    if kind == "reconstruction" and not found.inputs_match:
        kind = "edited"
    return t[kind].format(seed=found.seed, n=len(found.changed), inputs="" if found.inputs_match else t["inputs"])


def claim_basis(study, claim: dict, verdict: str, origin=None) -> str:
    """What a claim's verdict rests on, as a key of `BASIS_TEXT`, from what the data is
    (`commissioning.data.origin`), never from the values' labels.

    ``construction`` when every value the claim reads is the reconstruction's, drawn from the
    present inputs (``selection`` on a filtered study); ``edited`` when the data is a reconstruction
    but the claim reads values edited since, or interviews were added or removed; ``measured`` when
    the values are the reconstruction's but it was drawn from other inputs (claims, quantifiers,
    constraints, codebook or municipalities changed since), and for a claim that is not supported;
    ``coded`` on other data. A claim that is not supported is never said to hold by construction.

    Parameters
    ----------
    study : Study
    claim : dict
    verdict : str
        The claim's verdict on `study`.
    origin : Origin, optional
        `commissioning.data.origin.origin(study)` when already known.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> claim = next(c for c in cm.load_claims() if c["id"] == "s21-public-space-everywhere")
    >>> claim_basis(cm.load_study(), claim, "supported"), claim_basis(cm.load_study(), claim, "not supported")
    ('construction', 'measured')
    """
    origin = origin if origin is not None else data_origin(study)
    if origin.kind == "coded":
        return "coded"
    variables = {v for spec in claim["rules"] for v in rule_variables(spec, study.codebook)}
    if not origin.complete or variables & origin.changed_variables:
        return "edited"
    if verdict == NOT_SUPPORTED or not origin.by_construction(variables):
        return "measured"
    return "selection" if study.filters else "construction"


def claims_table(study, *, lang: str = "en", claims: list[dict] | None = None) -> pd.DataFrame:
    """Every claim with its verdict on `study`.

    Returns
    -------
    DataFrame with columns `id`, `section`, `chapter`, `unit` (the unit the claim is measured at),
    `claim` (paraphrase in `lang`), `modality` (stated, hedged or opinion), `verdict` (supported,
    not supported, insufficient data, or not applicable: a claim of the study whose
    variables the codebook lacks), `value`, `threshold` (both in `lang`) and `basis` (in
    `lang`, see `claim_basis`): on the reconstruction 'fixed by construction' (every claim is a
    constraint of it), or on a filtered selection 'fixed for the whole sample; measured on this
    selection'; on an edited reconstruction, for a claim that reads edited values, 'measured on
    edited values'; on other data 'data as coded'.

    Examples
    --------
    >>> import commissioning as cm
    >>> t = cm.claims_table(cm.load_study())
    >>> t.set_index("id").loc["s42-printed-shares", ["verdict", "unit"]].tolist()
    ['supported', 'interview']
    >>> sorted(set(t.verdict)), sorted(set(t.basis))
    (['insufficient data', 'supported'], ['fixed by construction'])
    """
    check_lang(lang)
    quantifiers = _quantifiers(study)
    claims = claims if claims is not None else study_claims(study, quantifiers)
    table = table_from_study(study)
    found = data_origin(study)
    rows = []
    for c in claims:
        v = evaluate(study, c, quantifiers, lang=lang, table=table)
        basis = BASIS_TEXT[lang][claim_basis(study, c, v.verdict, found)]
        rows.append((c["id"], c["section"], c["chapter"], c["unit"], c[lang], c.get("modality", "stated"), v.verdict,
                     v.value, v.threshold, basis))
    return pd.DataFrame(rows, columns=["id", "section", "chapter", "unit", "claim", "modality", "verdict", "value",
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
    claims = claims if claims is not None else study_claims(study)
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
    ((67, 1), 66, 1)
    """
    out = []
    for c in claims:
        statuses = np.stack([np.broadcast_to(measure(table, spec, quantifiers).status, (table.batch,))
                             for spec in c["rules"]])
        combined = np.where((statuses == 0).any(axis=0), 0, np.where((statuses == NO_DATA).any(axis=0), NO_DATA, HOLDS))
        out.append(combined)
    return np.stack(out) if out else np.zeros((0, table.batch), dtype=np.int64)


_ = (mention_counts, differ_table)  # re-exported for the notebooks' evidence helpers
