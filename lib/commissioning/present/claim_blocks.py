"""The claims of a report: every claim's verdict, and the evidence below it as the report shows it.

`_Claims` holds the methods of `Report` (see `present.report`) that show the study's statements
checked against the data: `claims` (the table of verdicts) and `claims_html` (a block per claim,
grouped by chapter). In a published report the evidence is relabelled and merged the way the
report's tables are, and a claim that rests on a group below the threshold withholds its value
and evidence.

Examples
--------
>>> import commissioning as cm
>>> page = cm.Report(lang="nl").claims_html()
>>> page.text.count("<details"), page.text.startswith("<h3>Conclusies (paragraaf 5.1)</h3>")
(64, True)
"""

from __future__ import annotations

import html

import pandas as pd

from ..analysis.claims import VERDICT_TEXT, claims_table, evaluate, load_claims, suite_file
from .notices import Html
from .tables import ALL
from .texts import CHAPTERS, TEXT, VERDICT_STYLE

_COUNT_COLUMNS = ("n_units", "n_municipalities", "first_n", "second_n", "n_values", "respondents")
_PERCENT_COLUMNS = ("share", "share_differing", "mean_share_differing", "difference")


def _percents(ev):
    """`ev` with its share columns as whole percentages ('' where there is no share)."""
    for col in ev.columns:
        if col in _PERCENT_COLUMNS:
            ev[col] = [("" if x != x else f"{100 * x:.0f}%") for x in pd.to_numeric(ev[col], errors="coerce")]
    return ev


class _Claims:
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
        {'supported': 63, 'insufficient data': 1}
        """
        return claims_table(self.study, lang=self.lang)

    def _evidence(self, part, *, publish: bool):
        """(evidence as shown, whether it rests on a group below the threshold)."""
        ev = part.evidence.copy()
        if not len(ev):
            return ev, False
        if "municipality" in ev.columns:
            ev = ev.drop(columns=[c for c in ("municipality",) if c in ev.columns])
            if publish:
                return ev.iloc[:0], True
        ev = self._evidence_labels(ev)
        if "size_class" in ev.columns:
            ev = self._evidence_size_classes(ev, publish=publish)
        small = publish and self._suppressed_in(part.evidence)
        for col in _COUNT_COLUMNS:
            if col in ev.columns:
                small |= any(0 < int(v) < self.threshold for v in ev[col] if v == v)
        return self.frame(_percents(ev)), small

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

    def _suppressed_in(self, evidence) -> bool:
        """Whether evidence by group shows a block the disclosure control suppresses."""
        if "variable" not in evidence.columns:
            return False
        for by in ("size_class", "region"):
            if by not in evidence.columns:
                continue
            for v, g in zip(evidence["variable"], evidence[by]):
                if v not in self.study.codebook.variables or g != g or g in (None, ALL):
                    continue
                group = self.protection.size_map.get(g, g) if by == "size_class" else g
                if not self.protection.shown(v, by, group, "natural"):
                    return True
        return False

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
        (64, '<h3>Conclusions (section 5.1)</h3>')
        """
        claims = load_claims(suite_file(self.study, "claims.yaml"), codebook=self.study.codebook)
        out, chapter = [], None
        for c in claims:
            if c["chapter"] != chapter:
                chapter = c["chapter"]
                title = CHAPTERS.get(chapter, (chapter, chapter))[self.lang == "nl"]
                out.append(f"<h3>{html.escape(title)}</h3>")
            out.append(self._claim_block(c))
        return Html("\n".join(out))

    def _withheld(self, claim, evidence) -> str | None:
        """Why a published report withholds a claim's value and evidence (None when it shows them)."""
        if not self.publish:
            return None
        reason = self.protection.withheld(claim)
        if reason:
            return reason[self.lang] if isinstance(reason, dict) else str(reason)
        if any(small for _, small in evidence):
            return TEXT[self.lang]["small_group"].format(t=self.threshold)
        return None

    def _claim_block(self, c) -> str:
        """One claim as a `<details>` block: verdict and statement on top, value and evidence below."""
        t = TEXT[self.lang]
        v = evaluate(self.study, c, lang=self.lang)
        verdict = VERDICT_TEXT[self.lang][v.verdict]
        style = VERDICT_STYLE[v.verdict]
        evidence = [self._evidence(p, publish=self.publish) for p in v.parts]
        withheld = self._withheld(c, evidence)
        modality = t["modality"].get(c.get("modality", "stated"), "")
        head = (f'<summary><span class="cm-verdict" style="{style};padding:0 0.4em;border-radius:3px">'
                f"{html.escape(verdict)}</span> <span class=\"cm-claim-text\">{html.escape(c[self.lang])}</span> "
                f'<small class="meta">({html.escape(c["id"])}, {html.escape(str(c["section"]))}'
                f'{"; " + html.escape(modality) if modality else ""})</small></summary>')
        if withheld:
            body = f'<p class="cm-withheld">{html.escape(t["withheld"].format(reason=withheld))}</p>'
        else:
            body = "".join(
                f"<p>{html.escape(t['measured'])}: {html.escape(p.value)}; {html.escape(t['held_against'])}: "
                f"{html.escape(p.threshold)}.</p>"
                + (ev.to_html(index=False, border=0, escape=True) if len(ev) else "")
                for p, (ev, _) in zip(v.parts, evidence))
        return f'<details class="cm-claim-block cm-claim">{head}{body}</details>'
