"""What each rule of a claim measured, in words, and the evidence behind it.

`describe_outcome` turns a rule's outcome (`commissioning.rules.measure`) into the measured value and
the threshold as text, in English or Dutch, and an evidence table; one describer per kind of
rule, which its kind holds (`RuleKind.describe`). `commissioning.analysis.claims` joins them into a claim's verdict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import percent_half_up
from ..errors import ParameterError
from .aggregate import at_unit
from .kind import rule_variables
from .selection import selection_mask
from .table import MIN_EFFECT, UnitTable

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
           "min_units": "at least {n} units in each group", "all_of": "all {units}",
           "units": {"municipality": "municipalities", "interview": "interviews"},
           "by_at_least": "first group's share larger by at least {x}", "coded_as": "{codes} ({label})",
           "of_variables": "{q} of the variables", "within": "within", "largest": "largest", "together": "pooled",
           "rho_value": "Spearman's rho = {rho} (n = {n})", "role_above": "above", "role_below": "below"},
    "nl": {"of": "van", "and": "en", "all": "de hele selectie", "municipalities": "gemeenten", "interviews": "interviews",
           "other_than": "andere gemeenten dan {names}", "coded": "gecodeerd als", "any": "ja op ten minste een van",
           "pooled": "van alle waarden", "vs": "tegen", "difference": "verschil", "at_most": "ten hoogste",
           "rho": "Spearmans rho", "at_least": "ten minste", "named": "genoemd", "others": "overige",
           "mentions": "vermeldingen", "respondents": "respondenten", "named_by": "genoemd door",
           "top": "meest genoemd", "more_than_others": "elk vaker genoemd dan enig ander aspect",
           "printed": "zoals gedrukt", "differ": "interviews van één gemeente verschillen",
           "chance": "van wat toeval geeft", "mean_differ": "gemiddeld aandeel verschillende variabelen",
           "larger_than": "eerste groep groter dan tweede", "interview_counts": "interviews per gemeente als in tabel 1",
           "coherent": "geen gemeente of respondent overtreedt de regel",
           "violations": "gemeenten of respondenten overtreden de regel",
           "most_common": "meest gegeven antwoord", "each": "elk", "above": "elk boven elk van",
           "min_units": "ten minste {n} gemeenten of respondenten per groep", "all_of": "alle {units}",
           "units": {"municipality": "gemeenten", "interview": "interviews"},
           "by_at_least": "aandeel van de eerste groep ten minste {x} groter", "coded_as": "{codes} ({label})",
           "of_variables": "{q} van de variabelen", "within": "binnen", "largest": "grootste", "together": "samen",
           "rho_value": "Spearmans rho is {rho}, over {n} respondenten", "role_above": "boven", "role_below": "onder"},
}



class Describer:
    """Texts and evidence for row 0 of an outcome, in one language."""

    def __init__(self, study, table: UnitTable, lang: str, quantifiers: dict, spec: dict | None = None):
        self.study, self.lang, self.q = study, lang, quantifiers
        self.table = at_unit(table, (spec or {}).get("unit"))  # the table at the unit the rule is measured at
        variables = rule_variables(spec or {})
        self.unit = (spec or {}).get("unit") or (self.table.space_of[variables[0]] if variables else "municipality")
        self.t = _T[lang]
        self.names = dict(zip(study.municipalities["cbs_code"], study.municipalities["study_name"]))

    def points(self, share: float) -> str:
        """A difference of shares in percentage points: '15 pp'."""
        return f"{100 * share:.0f} pp"

    def pct(self, k, n) -> str:
        """'k of n (p%)' in the language ('geen van de n' for none in Dutch)."""
        if n and not k and self.lang == "nl":
            return f"geen van de {int(n)}"
        return f"{int(k)} {self.t['of']} {int(n)} ({percent_half_up(int(k), int(n))}%)" if n else f"0 {self.t['of']} 0"

    def decimal(self, x) -> str:
        """A number with at most two decimals, with a decimal comma in Dutch."""
        text = f"{float(x):.2f}".rstrip("0").rstrip(".") if float(x) != int(x) else f"{int(x)}"
        return text.replace(".", ",") if self.lang == "nl" else text

    def codes(self, var, codes) -> str:
        """The labels of `codes` of `var`, lower-cased where a label is a word, joined by commas."""
        var = self.study.codebook.variables[var]
        lower = lambda t: t[:1].lower() + t[1:] if t[1:2].islower() else t  # noqa: E731
        return ", ".join(lower(var.code_label(c, self.lang)) for c in codes)

    def label(self, var) -> str:
        """The label of variable `var` in the language."""
        return self.study.codebook.label(var, self.lang)

    def group(self, where) -> str:
        """The units a selection `where` takes, in words ('all municipalities' when it takes all)."""
        if not where:
            return self.t["all_of"].format(units=self.t["units"][self.unit])
        cb, parts = self.study.codebook, []
        for key, allowed in where.items():
            if key == "coded":
                parts.append(self.t["coded_as"].format(codes=self.codes(allowed["variable"], allowed["codes"]),
                                                       label=self.label(allowed["variable"])))
                continue
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
        """A quantifier's word and range ('most (more than 50%)')."""
        q = self.q[name]
        return f"{q.word(self.lang)} {q.range_text}"

    def by_size(self, var, codes, where) -> pd.DataFrame:
        """Units with `codes` by size class (largest first) within the selection, and in total."""
        space = self.table.space(var)
        mask = np.atleast_2d(selection_mask(self.table, var, where))[0]
        present = self.table.present(var)[0] & mask
        hit = self.table.hits(var, codes)[0] & present
        sizes = [c for c in self.study.codebook.attributes["size_class"].code_list[::-1] if (space.size_class[present] == c).any()]
        rows = [(var, s, int(hit[space.size_class == s].sum()), int(present[space.size_class == s].sum())) for s in sizes]
        rows.append((var, "all", int(hit.sum()), int(present.sum())))
        out = pd.DataFrame(rows, columns=["variable", "size_class", "n_with_code", "n_units"])
        out["share"] = out.n_with_code / out.n_units.where(out.n_units > 0)
        return out



# Each describer takes the describing context, the rule and the rule's outcome data (row 0 is
# described) and returns the measured value, the threshold (both texts) and the evidence table.

def describe_share(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `share` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    variables = rule_variables(spec)
    k, n = data["k"][0], data["n"][0]
    texts = [f"{d.pct(k[i], n[i])} {t['coded']} {d.codes(v, spec['codes'])}"
             + (f" ({d.label(v)})" if len(variables) > 1 else "") for i, v in enumerate(variables)]
    value = "; ".join(texts) + f" [{d.group(spec.get('where'))}]"
    threshold = (f"{t['each']}: " if len(variables) > 1 else "") + d.quant(spec["quantifier"])
    ev = pd.concat([d.by_size(v, spec["codes"], spec.get("where")) for v in variables], ignore_index=True)
    return value, threshold, ev


def describe_any_of(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `any_of` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    k, n = int(data["k"][0]), int(data["n"][0])
    variables = spec["variables"]
    value = f"{d.pct(k, n)} {t['any']} {', '.join(d.label(v) for v in variables)} [{d.group(spec.get('where'))}]"
    ev = pd.concat([d.by_size(v, spec.get("codes", ["yes"]), spec.get("where")) for v in variables], ignore_index=True)
    return value, d.quant(spec["quantifier"]), ev


def describe_compare(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `compare` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    (k1, k2), (n1, n2) = data["k"][0], data["n"][0]
    value = (f"{d.group(spec['greater'])}: {d.pct(k1, n1)} {t['vs']} {d.group(spec['than'])}: {d.pct(k2, n2)} "
             f"{t['coded']} {d.codes(spec['variable'], spec['codes'])}")
    ev = pd.DataFrame({"group": [d.group(spec["greater"]), d.group(spec["than"])],
                       "n_with_code": [int(k1), int(k2)], "n_units": [int(n1), int(n2)]})
    ev["share"] = ev.n_with_code / ev.n_units.where(ev.n_units > 0)
    threshold = (f"{t['by_at_least'].format(x=d.points(d.q[MIN_EFFECT].lower))} "
                 f"({t['min_units'].format(n=spec.get('min_units', 3))})")
    return value, threshold, ev


def describe_pooled(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `pooled` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    k, n = int(data["k"][0]), int(data["n"][0])
    value = f"{d.pct(k, n)} {t['pooled']} {t['coded']} {d.codes(spec['variables'][0], spec['codes'])} [{d.group(spec.get('where'))}]"
    ev = pd.concat([d.by_size(v, spec["codes"], spec.get("where")).tail(1) for v in spec["variables"]],
                   ignore_index=True).drop(columns="size_class")
    return value, d.quant(spec["quantifier"]), ev


def describe_difference(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `difference` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    q = d.q[spec["quantifier"]]
    diff = np.atleast_1d(data["diff"][0])
    if spec.get("per_variable"):
        worst = int(np.nanargmax(np.abs(diff)))
        value = f"{t['difference']} {t['at_most']} {100 * abs(diff[worst]):.0f} pp ({d.label(spec['variables'][worst])})"
        if spec.get("of_variables"):
            ok = int(q.holds_values(diff).sum())
            value = (f"{ok} {t['of']} {len(diff)} {t['within']} {q.range_text}; {t['largest']} "
                     f"{100 * abs(diff[worst]):.0f} pp ({d.label(spec['variables'][worst])})")
        rows = [(v, int(data["k1"][0][i]), int(data["n1"][0][i]), int(data["k2"][0][i]), int(data["n2"][0][i]),
                 float(diff[i])) for i, v in enumerate(spec["variables"])]
    else:
        k1, n1, k2, n2 = (int(data[x][0]) for x in ("k1", "n1", "k2", "n2"))
        value = f"{d.pct(k1, n1)} {t['vs']} {d.pct(k2, n2)}: {t['difference']} {100 * diff[0]:.1f} pp"
        rows = [(t["together"], k1, n1, k2, n2, float(diff[0]))]
    ev = pd.DataFrame(rows, columns=["variable", "first_k", "first_n", "second_k", "second_n", "difference"])
    threshold = f"{q.word(d.lang)}: {t['difference']} {q.range_text}"
    if spec.get("of_variables"):
        threshold += "; " + t["of_variables"].format(q=d.quant(spec["of_variables"]))
    return value, threshold, ev


def describe_ranking(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `ranking` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    shares = {v: float(np.atleast_1d(s)[0]) for v, s in data["shares"].items()}
    rows = [(v, t["role_above"] if v in spec["above"] else t["role_below"], s) for v, s in shares.items()]
    ev = pd.DataFrame(rows, columns=["variable", "role", "share"])
    low = min(shares[v] for v in spec["above"])
    high = max(shares[v] for v in spec["below"])
    value = f"{100 * low:.0f}% > {100 * high:.0f}%" if low > high else f"{100 * low:.0f}% <= {100 * high:.0f}%"
    threshold = f"{t['above']} {', '.join(d.label(v) for v in spec['below'])}"
    return value, threshold, ev


def describe_trend(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `trend` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    rho = float(data["rho"][0])
    value = (t["rho_value"].format(rho=d.decimal(rho), n=data["n"]) if rho == rho else f"{t['rho']}: -")
    var = spec["variable"]
    space, values = d.table.space(var), d.table.get(var)[0]
    present = values >= 0
    codes = d.study.codebook.variables[var].code_list
    ev = pd.crosstab(pd.Categorical(space.size_class[present], categories=d.study.codebook.attributes["size_class"].code_list),
                     pd.Categorical(np.array(codes, dtype=object)[values[present]], categories=codes),
                     dropna=False).rename_axis(index="size_class", columns=None).reset_index()
    return value, f"{t['rho']} {d.q[spec['quantifier']].range_text}", ev


def describe_only_named(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `only_named` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    value = (f"{t['named']}: {d.pct(data['k_named'][0], data['n_named'][0])}; {t['others']}: "
             f"{d.pct(data['k_others'][0], data['n_others'][0])} {t['coded']} {d.codes(spec['variable'], spec['codes'])}")
    ev = pd.DataFrame({"group": [t["named"], t["others"]],
                       "n_with_code": [int(data["k_named"][0]), int(data["k_others"][0])],
                       "n_units": [int(data["n_named"][0]), int(data["n_others"][0])]})
    threshold = f"{', '.join(d.names.get(m, m) for m in spec['municipalities'])}: 100%; {t['others']}: 0%"
    return value, threshold, ev


def describe_varied(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `varied` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    counts = data["counts"][0]
    var = spec["variable"]
    codes = d.study.codebook.variables[var].code_list
    top = int(np.argmax(counts))
    value = f"{t['most_common']}: {d.codes(var, [codes[top]])}, {d.pct(counts[top], counts.sum())} [{d.group(spec.get('where'))}]"
    ev = pd.DataFrame({"code": codes, "n_units": counts.astype(int)})
    return value, f"{t['most_common']}: " + d.quant(spec["quantifier"]), ev


def _mentions(d: Describer, spec: dict, data) -> tuple[str, list, np.ndarray, int, pd.DataFrame]:
    """The aspect variable of a mentions rule, its codes, the mentions per code, their total and
    the evidence table (mentions and printed share per aspect)."""
    var = spec["variable"]
    codes = d.study.codebook.variables[var].code_list
    counts = data["counts"][0]
    total = int(counts.sum())
    ev = pd.DataFrame({"aspect": codes, "n_mentions": counts.astype(int),
                       "share_printed": [percent_half_up(int(c), total) if total else 0 for c in counts]})
    return var, codes, counts, total, ev


def describe_printed_shares(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `printed_shares` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    _, codes, counts, total, ev = _mentions(d, spec, data)
    shown = [f"{percent_half_up(int(counts[codes.index(c)]), total) if total else 0}%" for c in spec["printed"]]
    value = f"{total} {t['mentions']}; " + ", ".join(shown)
    threshold = f"{spec['total']} {t['mentions']}; " + ", ".join(f"{p}%" for p in spec["printed"].values())
    ev = ev[ev.aspect.isin(list(spec["printed"]))]
    ev = ev.assign(printed=ev.aspect.map(spec["printed"]))  # each printed share beside its own aspect
    return value, threshold, ev.reset_index(drop=True)


def describe_top_mentions(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `top_mentions` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    var, codes, counts, _, ev = _mentions(d, spec, data)
    order = np.argsort(-counts, kind="stable")[: len(spec["expected"])]
    value = f"{t['top']}: " + ", ".join(d.codes(var, [codes[i]]) for i in order)
    return value, t["more_than_others"] + ": " + d.codes(var, spec["expected"]), \
        ev.sort_values("n_mentions", ascending=False, kind="stable").reset_index(drop=True)


def describe_mentioned_by(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `mentioned_by` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    var, _, _, _, ev = _mentions(d, spec, data)
    k, n = int(data["k"][0]), int(data["n"][0])
    value = f"{d.codes(var, [spec['code']])}: {t['named_by']} {d.pct(k, n)} {t['respondents']}"
    return value, d.quant(spec["quantifier"]), ev[ev.aspect == spec["code"]].assign(respondents=n).reset_index(drop=True)


def describe_differ_vs_chance(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `differ_vs_chance` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
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
    q = d.q[spec["quantifier"]]
    return value, f"{q.word(d.lang)}: {t['at_least']} {100 * q.lower:.0f}% {t['chance']}", ev


def describe_fragmentation_compare(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `fragmentation_compare` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    means = data["means"][0]
    c1, c2 = data["counts"]
    fmt = lambda x: "-" if x != x else f"{100 * x:.0f}%"  # noqa: E731
    value = (f"{d.group(spec['greater'])}: {fmt(means[0])} ({c1} {t['municipalities']}) {t['vs']} "
             f"{d.group(spec['than'])}: {fmt(means[1])} ({c2} {t['municipalities']})")
    ev = pd.DataFrame({"group": [d.group(spec["greater"]), d.group(spec["than"])], "n_municipalities": [c1, c2],
                       "mean_share_differing": means})
    return value, (f"{t['mean_differ']}: {t['by_at_least'].format(x=d.points(d.q[MIN_EFFECT].lower))} "
                   f"({t['min_units'].format(n=spec.get('min_units', 3))})"), ev


def describe_interview_counts(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `interview_counts` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    diff = data["differing"]
    value = t["interview_counts"] if not diff else "; ".join(f"{d.names.get(m, m)}: {a} != {b}" for m, (a, b) in diff.items())
    return value, t["interview_counts"], pd.DataFrame()


def describe_implies(d: Describer, spec: dict, data) -> tuple[str, str, pd.DataFrame]:
    """What a `implies` rule measured, its threshold and its evidence (row 0 of `data`)."""
    t = d.t
    n = int(data["violations"][0])
    return (t["coherent"] if not n else f"{n} {t['violations']}"), t["coherent"], pd.DataFrame()


def describe_outcome(study, table: UnitTable, lang: str, quantifiers: dict, spec: dict,
                     outcome) -> tuple[str, str, pd.DataFrame]:
    """What one rule measured (row 0 of its outcome), its threshold and its evidence, in `lang`,
    by the describer its kind holds (`RuleKind.describe`).

    Returns
    -------
    tuple of (value text, threshold text, evidence DataFrame)

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> from commissioning.rules import measure
    >>> s = cm.load_study()
    >>> table, q = table_from_study(s), load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "share", "variable": "portfolio.overview", "codes": ["full"], "quantifier": "none"}
    >>> value, threshold, _ = describe_outcome(s, table, "nl", q, spec, measure(table, spec, q))
    >>> print(value, "|", threshold)
    geen van de 24 gecodeerd als de hele gemeente [alle interviews] | geen [0%, 0%]
    """
    from .kinds import KINDS  # the kinds hold their describers: imported when a rule is described

    kind = spec["rule"]
    if kind not in KINDS:
        raise ParameterError("rule", kind, problem="is not a rule kind", allowed=KINDS)
    return KINDS[kind].describe(Describer(study, table, lang, quantifiers, spec), spec, outcome.data)
