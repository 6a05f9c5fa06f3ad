"""The claims of a report: every claim's verdict, and the evidence below it as the report shows it.

`ClaimsMixin` holds the methods of `Report` (see `present.report`) that show the study's statements
checked against the data: `claims` (the table of verdicts) and `claims_html` (a block per claim,
grouped by chapter). In a published report the evidence is relabelled and merged the way the
report's tables are, and a claim that rests on a group below the threshold withholds its value
and evidence.

Examples
--------
>>> import commissioning as cm
>>> page = cm.Report(lang="nl").claims_html()
>>> page.text.count("<details"), page.text.startswith("<h3>Conclusies (paragraaf 5.1)</h3>")
(67, True)
"""

from __future__ import annotations

import html

import pandas as pd

from ..analysis import claims_table, evaluate, study_claims, UNIT_TEXT, VERDICT_TEXT
from ..rules import coded_variables, KINDS
from .claim_cells import evidence_cells, rule_cells
from .frames import mark
from .notices import Html
from .sentence import stat_attributes
from .tables import ALL
from .texts import CHAPTERS, TEXT, VERDICT_STYLE

_PERCENT_COLUMNS = ("share", "share_differing", "mean_share_differing", "difference")


def _percents(ev):
    """`ev` with its share columns as whole percentages ('' where there is no share)."""
    for col in ev.columns:
        if col in _PERCENT_COLUMNS:
            ev[col] = [("" if x != x else f"{100 * x:.0f}%") for x in pd.to_numeric(ev[col], errors="coerce")]
    return ev


class ClaimsMixin:
    """The methods of `Report` that show the claims (they read its `lang`, `study`, `publish`,
    `threshold` and `protection`, and its `frame`)."""

    def claims(self):
        """Every claim's verdict on the selection, in the report's language (`cm.claims_table`).

        Returns
        -------
        DataFrame
            One row per claim: `id`, `section`, `chapter`, `claim`, `modality`, `verdict`,
            `value`, `threshold`, `basis`.

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().claims()["verdict"].value_counts().to_dict()
        {'supported': 66, 'insufficient data': 1}
        >>> cm.Report(publish=True).claims()["verdict"].value_counts().to_dict()["withheld"]
        5

        In a published report a claim about a group below the threshold, about single named
        municipalities, or resting on a cell the report does not show reads "withheld" (neither
        verdict nor value: a verdict on a hidden group is a statement about it).
        """
        table = claims_table(self.original, lang=self.lang)
        if self.publish:
            claims = {c["id"]: c for c in study_claims(self.original)}
            hidden = [self._claim_state(claims[i])[2] == "all" for i in table["id"]]
            table.loc[hidden, ["verdict", "value", "threshold"]] = ["withheld", "", ""]
        return table

    def _claim_state(self, c):
        """(evaluation, [(evidence as shown, cells it rests on)], what is withheld: None, "all" (verdict,
        value and evidence) or "evidence" (value and evidence), and why)."""
        v = evaluate(self.original, c, lang=self.lang)
        parts = []
        for p in v.parts:
            cells = rule_cells(self, p.rule, unit=c.get("unit")) if self.publish else []
            ev = self._evidence(p)
            more = evidence_cells(self, p.rule, cells) if cells else []
            if self.publish and not all(self._cell_shown(cell) for cell in more):
                ev, more = ev.iloc[:0], []  # its breakdown by size group shows a cell the tables do not
            parts.append((ev, cells, (cells or []) + more))
        if not self.publish:
            return v, [(ev, shown) for ev, _, shown in parts], None, None
        t = TEXT[self.lang]
        reason = self.protection.withheld(c)
        if reason:
            return v, [(ev, shown) for ev, _, shown in parts], "all", reason[self.lang]
        if any(coded_variables(spec) for spec in c["rules"]):  # groups made by another variable's codes
            return v, [(ev, shown) for ev, _, shown in parts], "evidence", t["coded_group"]
        merged = any("+" in code for code, _, _ in self.protection.groups("size_class"))
        scope = None
        cells_of = [cells for _, cells, _ in parts]
        parts = [(ev, shown) for ev, _, shown in parts]
        for p, cells in zip(v.parts, cells_of):
            kind = p.rule.get("rule")
            if KINDS[kind].by_size_class and merged:  # every size class on its own, which publishing merges
                return v, parts, "all", t["trend_withheld"]
            if cells is None and KINDS[kind].evidence not in ("joint", "within"):
                return v, parts, "all", t["unshown_withheld"]
            if cells is not None and not all(self._cell_shown(cell) for cell in cells):
                return v, parts, "all", t["small_group"].format(t=self.threshold)
            if cells is None or "municipality" in p.evidence.columns:
                scope = "evidence"
        return v, parts, scope, (t["within_withheld"].format(t=self.threshold) if scope else None)

    def _cell_shown(self, cell) -> bool:
        """Whether a cell a claim rests on is one the report's tables may show (every group of a
        union of shown groups), at least `threshold` units with a value or none."""
        if cell.unit == "mention":
            return self.protection.shown(cell.variable, None, ALL, "interview")
        groups = [cell.group]
        if cell.by == "size_class":  # a union of shown groups ("small+medium"): each of them
            classes = set(cell.group.split("+"))
            groups = [code for code, _, _ in self.protection.groups("size_class") if set(code.split("+")) <= classes]
        by = None if cell.by == "none" else cell.by
        if not all(self.protection.shown(cell.variable, by, g, cell.unit) for g in groups):
            return False
        return not 0 < cell.n < self.threshold

    def _evidence(self, part):
        """The evidence as the report shows it (relabelled; in a published report by shown group)."""
        ev = part.evidence.copy()
        if not len(ev):
            return ev
        ev = ev.drop(columns=[c for c in ("municipality",) if c in ev.columns])
        ev = self._evidence_labels(ev)
        if "size_class" in ev.columns:
            ev = self._evidence_size_classes(ev, publish=self.publish)
        return self.frame(_percents(ev))

    def _evidence_labels(self, ev):
        """`ev` with its variables and maturity aspects named in the report's language."""
        cb = self.study.codebook
        if "variable" in ev.columns:
            ev["variable"] = [cb.label(v, self.lang) if v in cb.variables else v for v in ev["variable"]]
        if "aspect" in ev.columns:
            var = cb.variables["maturity.top3"]
            ev["aspect"] = [var.code_label(a, self.lang) if a in var.codes else a for a in ev["aspect"]]
        return ev

    def _evidence_size_classes(self, ev, *, publish: bool):
        """`ev` by size class as the report shows the size classes: in a published report merged
        the way its tables merge them (counts summed), each named in the report's language."""
        size_map = getattr(self.protection, "size_map", None) if publish else None
        groups = {g: (en, nl) for g, en, nl in self.protection.groups("size_class")} if publish else {}
        attr = self.study.codebook.attributes["size_class"]

        def label(code):
            if code in ("all", None) or code != code:
                return {"en": "All", "nl": "Alle"}[self.lang]
            if code in groups:
                return groups[code][self.lang == "nl"]
            return attr.codes[code][self.lang] if code in attr.codes else str(code)

        if size_map:
            ev["size_class"] = [size_map.get(c, c) if c == c else c for c in ev["size_class"]]
            keys = [c for c in ev.columns if c not in ("n_with_code", "n_units", "share")
                    and not pd.api.types.is_numeric_dtype(ev[c])]
            numeric = [c for c in ("n_with_code", "n_units") if c in ev.columns]
            if numeric:
                ev = ev.groupby(keys, sort=False, dropna=False)[numeric].sum().reset_index()
                if {"n_with_code", "n_units"} <= set(ev.columns):
                    ev["share"] = ev.n_with_code / ev.n_units.where(ev.n_units > 0)
            elif "code" not in ev.columns:  # a crosstab by size class (a trend): sum its count columns
                ev = ev.groupby("size_class", sort=False).sum(numeric_only=True).reset_index()
        ev["size_class"] = [label(c) for c in ev["size_class"]]
        return ev

    def claims_html(self) -> Html:
        """Every claim, grouped by chapter: its full paraphrase, its verdict in words and colour, the
        measured value and what it was held against, and the evidence below it (an HTML
        `<details>`, which opens without script). In a published report a claim about a group
        below the threshold keeps its verdict and withholds its value and evidence, saying why.

        Returns
        -------
        Html
            An ``<h3>`` per chapter followed by a ``<details>`` block per claim.

        Examples
        --------
        >>> import commissioning as cm
        >>> page = cm.Report().claims_html()
        >>> page.text.count("<details"), page.text.splitlines()[0]
        (67, '<h3>Conclusions (section 5.1)</h3>')
        """
        claims = study_claims(self.original)
        out, chapter = [], None
        for c in claims:
            if c["chapter"] != chapter:
                chapter = c["chapter"]
                title = CHAPTERS.get(chapter, (chapter, chapter))[self.lang == "nl"]
                out.append(f"<h3>{html.escape(title)}</h3>")
            out.append(self._claim_block(c))
        return Html("\n".join(out))

    def _claim_block(self, c) -> str:
        """One claim as a `<details>` block: verdict and statement on top, value and evidence below;
        in a published report what rests on a hidden group withheld, saying why."""
        t = TEXT[self.lang]
        v, parts, scope, reason = self._claim_state(c)
        verdict = VERDICT_TEXT[self.lang][v.verdict] if scope != "all" else t["verdict_withheld"]
        style = VERDICT_STYLE[v.verdict if scope != "all" else "insufficient data"]
        modality = t["modality"].get(c.get("modality", "stated"), "")
        unit = t["per_unit"].format(unit=UNIT_TEXT[self.lang][c["unit"]]) if c.get("unit") else ""
        modality = "; ".join(x for x in (unit, modality) if x)
        unit = t["per_unit"].format(unit=UNIT_TEXT[self.lang][c["unit"]]) if c.get("unit") else ""
        meta = "; ".join(x for x in (unit, modality) if x)
        head = (f'<summary><span class="cm-verdict" style="{style};padding:0 0.4em;border-radius:3px">'
                f"{html.escape(verdict)}</span> <span class=\"cm-claim-text\">{html.escape(c[self.lang])}</span> "
                f'<small class="meta cm-ref">({html.escape(c["id"])}, {html.escape(str(c["section"]))}'
                f'{"; " + html.escape(modality) if modality else ""})</small></summary>')
        withheld = " cm-withheld" if scope == "all" else ""
        if scope:
            body = f'<p class="cm-withheld">{html.escape(t["withheld"].format(reason=reason))}</p>'
        else:  # what it rests on: the cells its rules read, which the report's tables show
            body = "".join(
                f"<p><span class=\"cm-stat\" {stat_attributes('table', cells or ())}>"
                f"{html.escape(t['measured'])}: {html.escape(p.value)}; {html.escape(t['held_against'])}: "
                f"{html.escape(p.threshold)}.</span></p>"
                + (mark(ev, "stats", [stat_attributes("table", cells or ())] * len(ev), index=False)._repr_html_()
                   if len(ev) else "")
                for p, (ev, cells) in zip(v.parts, parts))
        return f'<details class="cm-claim-block cm-claim{withheld}">{head}{body}</details>'
