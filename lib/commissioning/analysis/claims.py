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
from ..errors import ParameterError
from ..data.quantifiers import load_quantifiers
from ..rules import (HOLDS, INSUFFICIENT, NO_DATA, NOT_SUPPORTED, STATUS_TEXT, SUPPORTED, UnitTable, differ_table, measure, mention_counts, rule_variables)
from ..core.formats import percent_half_up
from .units import table_from_study
from ..data.statements import load_claims as _load_claims

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
_T = {
    "en": {"of": "of", "and": "and", "all": "all units", "municipalities": "municipalities", "interviews": "interviews",
           "other_than": "municipalities other than {names}", "coded": "coded", "any": "yes on any of",
           "pooled": "of all values", "vs": "against", "difference": "difference", "at_most": "at most",
           "rho": "Spearman's rho", "at_least": "at least", "named": "named", "others": "others",
           "mentions": "mentions", "respondents": "respondents", "named_by": "named by",
           "top": "most mentioned", "more_than_others": "each named more often than any other aspect",
           "printed": "as printed", "differ": "interviews of one municipality differ",
           "chance": "of what chance gives", "mean_differ": "mean share of variables differing",
           "larger_than": "first group larger than second", "interview_counts": "interviews per municipality as in Table 1",
           "coherent": "no unit breaks the rule", "violations": "units break the rule",
           "most_common": "most common code", "each": "each", "above": "each above each of",
           "min_units": "at least {n} units in each group"},
    "nl": {"of": "van", "and": "en", "all": "alle eenheden", "municipalities": "gemeenten", "interviews": "interviews",
           "other_than": "andere gemeenten dan {names}", "coded": "gecodeerd als", "any": "ja op ten minste een van",
           "pooled": "van alle waarden", "vs": "tegen", "difference": "verschil", "at_most": "ten hoogste",
           "rho": "Spearmans rho", "at_least": "ten minste", "named": "genoemd", "others": "overige",
           "mentions": "vermeldingen", "respondents": "respondenten", "named_by": "genoemd door",
           "top": "meest genoemd", "more_than_others": "elk vaker genoemd dan enig ander aspect",
           "printed": "zoals gedrukt", "differ": "interviews van één gemeente verschillen",
           "chance": "van wat toeval geeft", "mean_differ": "gemiddeld aandeel verschillende variabelen",
           "larger_than": "eerste groep groter dan tweede", "interview_counts": "interviews per gemeente als in tabel 1",
           "coherent": "geen eenheid overtreedt de regel", "violations": "eenheden overtreden de regel",
           "most_common": "meest voorkomende code", "each": "elk", "above": "elk boven elk van",
           "min_units": "ten minste {n} eenheden per groep"},
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
    data when one cannot be decided, supported when all hold."""
    statuses = list(statuses)
    if NOT_SUPPORTED in statuses:
        return NOT_SUPPORTED
    if INSUFFICIENT in statuses:
        return INSUFFICIENT
    return SUPPORTED


# --- reading ----------------------------------------------------------------------------------------

def suite_file(study, name: str) -> Path:
    """`name` from the study's data directory, or the shipped one (see `_files.suite_file`)."""
    from ..data.files import suite_file as _suite_file

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
    from ..data.files import default_data_dir

    path = Path(path) if path is not None else default_data_dir() / "claims.yaml"
    return _load_claims(path, codebook=codebook, quantifiers=quantifiers)


# --- describing what a rule measured ----------------------------------------------------------------

class _Describe:
    """Texts and evidence for row 0 of an outcome, in one language."""

    def __init__(self, study, table: UnitTable, lang: str, quantifiers: dict):
        self.study, self.table, self.lang, self.q = study, table, lang, quantifiers
        self.t = _T[lang]
        self.names = dict(zip(study.municipalities["cbs_code"], study.municipalities["study_name"]))

    def pct(self, k, n) -> str:
        return f"{int(k)} {self.t['of']} {int(n)} ({percent_half_up(int(k), int(n))}%)" if n else f"0 {self.t['of']} 0"

    def codes(self, var, codes) -> str:
        var = self.study.codebook.variables[var]
        lower = lambda t: t[:1].lower() + t[1:] if t[1:2].islower() else t  # noqa: E731
        return ", ".join(lower(var.code_label(c, self.lang)) for c in codes)

    def label(self, var) -> str:
        return self.study.codebook.label(var, self.lang)

    def group(self, where) -> str:
        if not where:
            return self.t["all"]
        cb, parts = self.study.codebook, []
        for key, allowed in where.items():
            allowed = [allowed] if isinstance(allowed, str) else list(allowed)
            if key in ("size_class", "region"):
                labels = [cb.code_label(key, c, self.lang).lower() for c in allowed]
                parts.append(f" {self.t['and']} ".join(labels) + " " + self.t["municipalities"] if key == "size_class"
                             else f" {self.t['and']} ".join(cb.code_label(key, c, self.lang) for c in allowed))
            elif key == "municipality":
                parts.append(f" {self.t['and']} ".join(self.names.get(c, c) for c in allowed))
            else:
                parts.append(self.t["other_than"].format(
                    names=f" {self.t['and']} ".join(self.names.get(c, c) for c in allowed)))
        return "; ".join(parts)

    def quant(self, name) -> str:
        q = self.q[name]
        return f"{q.word(self.lang)} {q.range_text}"

    def by_size(self, var, codes, where) -> pd.DataFrame:
        """Units with `codes` by size class (largest first) within the selection, and in total."""
        space = self.table.space(var)
        mask = space.mask(where)
        present = self.table.present(var)[0] & mask
        hit = self.table.hits(var, codes)[0] & present
        sizes = [c for c in self.study.codebook.attributes["size_class"].code_list[::-1] if (space.size_class[present] == c).any()]
        rows = [(var, s, int(hit[space.size_class == s].sum()), int(present[space.size_class == s].sum())) for s in sizes]
        rows.append((var, "all", int(hit.sum()), int(present.sum())))
        out = pd.DataFrame(rows, columns=["variable", "size_class", "n_with_code", "n_units"])
        out["share"] = out.n_with_code / out.n_units.where(out.n_units > 0)
        return out


def _describe(d: _Describe, spec: dict, outcome) -> tuple[str, str, pd.DataFrame]:
    kind, t, data = spec["rule"], d.t, outcome.data
    if kind == "share":
        variables = rule_variables(spec)
        k, n = data["k"][0], data["n"][0]
        texts = [f"{d.pct(k[i], n[i])} {t['coded']} {d.codes(v, spec['codes'])}"
                 + (f" ({d.label(v)})" if len(variables) > 1 else "") for i, v in enumerate(variables)]
        value = "; ".join(texts) + f" [{d.group(spec.get('where'))}]"
        threshold = (f"{t['each']}: " if len(variables) > 1 else "") + d.quant(spec["quantifier"])
        ev = pd.concat([d.by_size(v, spec["codes"], spec.get("where")) for v in variables], ignore_index=True)
        return value, threshold, ev
    if kind == "any_of":
        k, n = int(data["k"][0]), int(data["n"][0])
        variables = spec["variables"]
        value = f"{d.pct(k, n)} {t['any']} {', '.join(d.label(v) for v in variables)} [{d.group(spec.get('where'))}]"
        ev = pd.concat([d.by_size(v, spec.get("codes", ["yes"]), spec.get("where")) for v in variables], ignore_index=True)
        return value, d.quant(spec["quantifier"]), ev
    if kind == "compare":
        (k1, k2), (n1, n2) = data["k"][0], data["n"][0]
        value = (f"{d.group(spec['greater'])}: {d.pct(k1, n1)} {t['vs']} {d.group(spec['than'])}: {d.pct(k2, n2)} "
                 f"{t['coded']} {d.codes(spec['variable'], spec['codes'])}")
        ev = pd.DataFrame({"group": [d.group(spec["greater"]), d.group(spec["than"])],
                           "n_with_code": [int(k1), int(k2)], "n_units": [int(n1), int(n2)]})
        ev["share"] = ev.n_with_code / ev.n_units.where(ev.n_units > 0)
        threshold = f"{t['larger_than']} ({t['min_units'].format(n=spec.get('min_units', 3))})"
        return value, threshold, ev
    if kind == "pooled":
        k, n = int(data["k"][0]), int(data["n"][0])
        value = f"{d.pct(k, n)} {t['pooled']} {t['coded']} {d.codes(spec['variables'][0], spec['codes'])} [{d.group(spec.get('where'))}]"
        ev = pd.concat([d.by_size(v, spec["codes"], spec.get("where")).tail(1) for v in spec["variables"]],
                       ignore_index=True).drop(columns="size_class")
        return value, d.quant(spec["quantifier"]), ev
    if kind == "difference":
        q = d.q[spec["quantifier"]]
        diff = np.atleast_1d(data["diff"][0])
        if spec.get("per_variable"):
            worst = int(np.nanargmax(diff))
            value = (f"{t['difference']} {t['at_most']} {100 * diff[worst]:.0f} pp "
                     f"({d.label(spec['variables'][worst])})")
            rows = [(v, int(data["k1"][0][i]), int(data["n1"][0][i]), int(data["k2"][0][i]), int(data["n2"][0][i]),
                     float(diff[i])) for i, v in enumerate(spec["variables"])]
        else:
            k1, n1, k2, n2 = (int(data[x][0]) for x in ("k1", "n1", "k2", "n2"))
            value = f"{d.pct(k1, n1)} {t['vs']} {d.pct(k2, n2)}: {t['difference']} {100 * diff[0]:.1f} pp"
            rows = [("pooled", k1, n1, k2, n2, float(diff[0]))]
        ev = pd.DataFrame(rows, columns=["variable", "first_k", "first_n", "second_k", "second_n", "difference"])
        threshold = f"{q.word(d.lang)}: {t['difference']} {q.range_text}"
        return value, threshold, ev
    if kind == "ranking":
        shares = {v: float(np.atleast_1d(s)[0]) for v, s in data["shares"].items()}
        rows = [(v, "above" if v in spec["above"] else "below", s) for v, s in shares.items()]
        ev = pd.DataFrame(rows, columns=["variable", "role", "share"])
        low = min(shares[v] for v in spec["above"])
        high = max(shares[v] for v in spec["below"])
        value = f"{100 * low:.0f}% > {100 * high:.0f}%" if low > high else f"{100 * low:.0f}% <= {100 * high:.0f}%"
        threshold = f"{t['above']} {', '.join(d.label(v) for v in spec['below'])}"
        return value, threshold, ev
    if kind == "trend":
        rho = float(data["rho"][0])
        value = f"{t['rho']} = {rho:.2f} (n = {data['n']})" if rho == rho else f"{t['rho']}: -"
        var = spec["variable"]
        space, values = d.table.space(var), d.table.get(var)[0]
        present = values >= 0
        codes = d.study.codebook.variables[var].code_list
        ev = pd.crosstab(pd.Categorical(space.size_class[present], categories=d.study.codebook.attributes["size_class"].code_list),
                         pd.Categorical(np.array(codes, dtype=object)[values[present]], categories=codes),
                         dropna=False).rename_axis(index="size_class", columns=None).reset_index()
        return value, f"{t['rho']} >= {spec['min_rho']}", ev
    if kind == "only_named":
        value = (f"{t['named']}: {d.pct(data['k_named'][0], data['n_named'][0])}; {t['others']}: "
                 f"{d.pct(data['k_others'][0], data['n_others'][0])} {t['coded']} {d.codes(spec['variable'], spec['codes'])}")
        ev = pd.DataFrame({"group": [t["named"], t["others"]],
                           "n_with_code": [int(data["k_named"][0]), int(data["k_others"][0])],
                           "n_units": [int(data["n_named"][0]), int(data["n_others"][0])]})
        threshold = f"{', '.join(d.names.get(m, m) for m in spec['municipalities'])}: 100%; {t['others']}: 0%"
        return value, threshold, ev
    if kind == "varied":
        counts = data["counts"][0]
        var = spec["variable"]
        codes = d.study.codebook.variables[var].code_list
        top = int(np.argmax(counts))
        value = f"{t['most_common']}: {d.codes(var, [codes[top]])}, {d.pct(counts[top], counts.sum())} [{d.group(spec.get('where'))}]"
        ev = pd.DataFrame({"code": codes, "n_units": counts.astype(int)})
        return value, f"{t['most_common']}: " + d.quant(spec["quantifier"]), ev
    if kind in ("printed_shares", "top_mentions", "mentioned_by"):
        var = spec["variable"]
        codes = d.study.codebook.variables[var].code_list
        counts = data["counts"][0]
        total = int(counts.sum())
        ev = pd.DataFrame({"aspect": codes, "n_mentions": counts.astype(int),
                           "share_printed": [percent_half_up(int(c), total) if total else 0 for c in counts]})
        if kind == "printed_shares":
            shown = [f"{percent_half_up(int(counts[codes.index(c)]), total) if total else 0}%" for c in spec["printed"]]
            value = f"{total} {t['mentions']}; " + ", ".join(shown)
            threshold = f"{spec['total']} {t['mentions']}; " + ", ".join(f"{p}%" for p in spec["printed"].values())
            ev = ev[ev.aspect.isin(list(spec["printed"]))].assign(printed=list(spec["printed"].values()))
            return value, threshold, ev.reset_index(drop=True)
        if kind == "top_mentions":
            order = np.argsort(-counts, kind="stable")[: len(spec["expected"])]
            value = f"{t['top']}: " + ", ".join(d.codes(var, [codes[i]]) for i in order)
            return value, t["more_than_others"] + ": " + d.codes(var, spec["expected"]), \
                ev.sort_values("n_mentions", ascending=False, kind="stable").reset_index(drop=True)
        k, n = int(data["k"][0]), int(data["n"][0])
        value = f"{d.codes(var, [spec['code']])}: {t['named_by']} {d.pct(k, n)} {t['respondents']}"
        return value, d.quant(spec["quantifier"]), ev[ev.aspect == spec["code"]].assign(respondents=n).reset_index(drop=True)
    if kind == "differ_vs_chance":
        obs, exp, ratio = (float(data[x][0]) for x in ("observed", "expected", "ratio"))
        value = (f"{100 * obs:.0f}% {t['differ']} ({int(data['n_pairs'][0])} municipality x variable), "
                 f"{100 * ratio:.0f}% {t['chance']} ({100 * exp:.0f}%)" if data["n_pairs"][0] else "-")
        munis = data["municipalities"]
        per = data["per_municipality"][0]
        with np.errstate(invalid="ignore"):
            shares = np.nanmean(per, axis=-1) if len(munis) else np.zeros(0)
        space = d.table.spaces["municipality"]
        sizes = {m: s for m, s in zip(space.ids, space.size_class)}
        sel = set(d.table.spaces["interview"].municipality[d.table.spaces["interview"].mask(spec.get("where"))])
        ev = pd.DataFrame({"municipality": munis, "size_class": [sizes.get(m) for m in munis],
                           "share_differing": shares})
        ev = ev[ev.municipality.isin(sel)].reset_index(drop=True)
        return value, f"{t['at_least']} {100 * float(spec['min_ratio']):.0f}% {t['chance']}", ev
    if kind == "fragmentation_compare":
        means = data["means"][0]
        c1, c2 = data["counts"]
        fmt = lambda x: "-" if x != x else f"{100 * x:.0f}%"  # noqa: E731
        value = (f"{d.group(spec['greater'])}: {fmt(means[0])} ({c1} {t['municipalities']}) {t['vs']} "
                 f"{d.group(spec['than'])}: {fmt(means[1])} ({c2} {t['municipalities']})")
        ev = pd.DataFrame({"group": [d.group(spec["greater"]), d.group(spec["than"])], "n_municipalities": [c1, c2],
                           "mean_share_differing": means})
        return value, f"{t['mean_differ']}: {t['larger_than']} ({t['min_units'].format(n=spec.get('min_units', 3))})", ev
    if kind == "interview_counts":
        diff = data["differing"]
        value = t["interview_counts"] if not diff else "; ".join(f"{d.names.get(m, m)}: {a} != {b}" for m, (a, b) in diff.items())
        return value, t["interview_counts"], pd.DataFrame()
    if kind == "implies":
        n = int(data["violations"][0])
        return (t["coherent"] if not n else f"{n} {t['violations']}"), t["coherent"], pd.DataFrame()
    raise ParameterError("rule", kind, problem="has no description")  # pragma: no cover


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
    NO_DATA, combined over each claim's rules as `combine` does."""
    out = []
    for c in claims:
        statuses = np.stack([np.broadcast_to(measure(table, spec, quantifiers).status, (table.batch,))
                             for spec in c["rules"]])
        combined = np.where((statuses == 0).any(axis=0), 0, np.where((statuses == NO_DATA).any(axis=0), NO_DATA, HOLDS))
        out.append(combined)
    return np.stack(out) if out else np.zeros((0, table.batch), dtype=np.int64)


_ = (mention_counts, differ_table)  # re-exported for the notebooks' evidence helpers
