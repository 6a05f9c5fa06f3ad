"""The variable model: every coded variable, its codes and labels in English and Dutch."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .reader import load_yaml, read_file
from ..core import check_lang, LANGS
from ..errors import DataError, ParameterError, Problem

TYPES = ("nominal", "ordinal", "boolean", "ranked_set")


@dataclass(frozen=True)
class Variable:
    """One coded variable (or municipality attribute) of the codebook.

    Examples
    --------
    >>> import commissioning as cm
    >>> var = cm.load_study().codebook.variables["sourcing.design"]
    >>> var.type, var.section, var.code_list
    ('ordinal', '2.1', ['in_house', 'mixed', 'outsourced'])
    >>> var.text("nl"), var.code_label("outsourced", "nl")
    ('Ontwerp', 'Uitbesteed')
    """

    id: str
    type: str
    section: str
    label: dict
    codes: dict  # code -> {"en": ..., "nl": ..., possibly more}
    theme: str = ""
    question: dict = field(default_factory=dict)
    per_interview: bool = True
    required: bool = False
    size: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def code_list(self) -> list[str]:
        """Codes in codebook order (low to high for ordinal variables)."""
        return list(self.codes)

    def code_label(self, code: str, lang: str = "en") -> str:
        """Label of `code` in `lang`.

        Returns
        -------
        str
            The code's label; KeyError for a code or language it lacks.

        Examples
        --------
        >>> import commissioning as cm
        >>> var = cm.load_study().codebook.variables["capacity.flexible_external"]
        >>> var.code_label("yes"), var.code_label("no", "nl")
        ('Yes', 'Nee')
        """
        return self.codes[code][lang]

    def text(self, lang: str = "en") -> str:
        """Label of the variable in `lang`.

        Returns
        -------
        str
            The variable's label; KeyError for a language it lacks.

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.load_study().codebook.variables["sourcing.execution"].text()
        'Execution'
        """
        return self.label[lang]


@dataclass(frozen=True)
class Codebook:
    """Municipality attributes (`attributes`) and coded interview variables (`variables`).

    Examples
    --------
    >>> import commissioning as cm
    >>> codebook = cm.load_study().codebook
    >>> list(codebook.attributes), codebook.label("sourcing.design"), codebook.size_class_of(50000)
    (['region', 'size_class'], 'Design', 'medium')
    >>> codebook.check_code("sourcing.design", "maybe")
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: sourcing.design: 'maybe' is not allowed; allowed: in_house, mixed, outsourced
    """

    attributes: dict
    variables: dict
    path: str = "codebook.yaml"
    coherence: tuple = ()  # cross-variable rules ({rule: implies, if, then, reason}), `*` expanded
    themes: dict = field(default_factory=dict)  # theme id -> {en, nl}: the names of the themes

    def theme_label(self, theme: str, lang: str = "en") -> str:
        """The name of a theme in `lang`: from the codebook's `themes`, else the id in words.

        Returns
        -------
        str

        Examples
        --------
        >>> import commissioning as cm
        >>> cb = cm.load_study().codebook
        >>> cb.theme_label("activities", "nl"), Codebook({}, {}).theme_label("own_theme")
        ('Activiteiten', 'Own theme')
        """
        label = (self.themes.get(theme) or {}).get(lang)
        return label or theme.replace("_", " ").capitalize()

    def variable(self, var_id: str) -> Variable:
        """The variable or attribute `var_id`; raises ParameterError listing what exists.

        Returns
        -------
        Variable
            The coded variable, or else the municipality attribute, of that id.

        Examples
        --------
        >>> import commissioning as cm
        >>> codebook = cm.load_study().codebook
        >>> codebook.variable("agenda.carrier").code_list, codebook.variable("region").type
        (['connection', 'civil_service'], 'nominal')
        """
        if var_id in self.variables:
            return self.variables[var_id]
        if var_id in self.attributes:
            return self.attributes[var_id]
        raise ParameterError("variable", var_id, problem="is not a variable of the codebook",
                                 allowed=[*self.attributes, *self.variables])

    def check_code(self, var_id: str, value: str, *, name: str | None = None) -> str:
        """Return `value` if it is a code of `var_id`, else raise ParameterError naming it.

        Returns
        -------
        str
            `value` unchanged; the error names `name` (default `var_id`) and the allowed codes.

        Examples
        --------
        >>> import commissioning as cm
        >>> codebook = cm.load_study().codebook
        >>> codebook.check_code("agenda.carrier", "connection")
        'connection'
        >>> codebook.check_code("agenda.carrier", "nobody", name="carrier")
        Traceback (most recent call last):
        ...
        commissioning.errors.ParameterError: carrier: 'nobody' is not allowed; allowed: connection, civil_service
        """
        var = self.variable(var_id)
        if value not in var.codes:
            raise ParameterError(name or var_id, value, allowed=var.codes)
        return value

    def theme(self, theme: str) -> list[Variable]:
        """The variables of one theme, in codebook order.

        Returns
        -------
        list of Variable
            Non-empty; an unknown theme raises ParameterError listing the themes.

        Examples
        --------
        >>> import commissioning as cm
        >>> [v.id for v in cm.load_study().codebook.theme("networks")]
        ['network.partner_discussion']
        """
        found = [v for v in self.variables.values() if v.theme == theme]
        if not found:
            themes = sorted({v.theme for v in self.variables.values()})
            raise ParameterError("theme", theme, problem="is not a theme of the codebook", allowed=themes)
        return found

    def label(self, var_id: str, lang: str = "en") -> str:
        """Label of a variable in `lang`.

        Returns
        -------
        str
            The label; ParameterError for an unknown language or variable.

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.load_study().codebook.label("sourcing.design", "nl")
        'Ontwerp'
        """
        check_lang(lang)
        return self.variable(var_id).label[lang]

    def code_label(self, var_id: str, code: str, lang: str = "en") -> str:
        """Label of a code of a variable in `lang`.

        Returns
        -------
        str
            The code's label; ParameterError for an unknown language or variable.

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.load_study().codebook.code_label("sourcing.design", "mixed")
        'Mixed'
        """
        check_lang(lang)
        return self.variable(var_id).codes[code][lang]

    def size_class_of(self, population: int) -> str:
        """The size class whose population range contains `population`.

        Returns
        -------
        str or None
            The class with the highest lower bound at or below `population` (None below all).

        Examples
        --------
        >>> import commissioning as cm
        >>> codebook = cm.load_study().codebook
        >>> codebook.size_class_of(12000), codebook.size_class_of(100000), codebook.size_class_of(400000)
        ('small', 'large', 'very_large')
        """
        thresholds = self.attributes["size_class"].extra["thresholds"]
        found = None
        for code, lower in sorted(thresholds.items(), key=lambda kv: kv[1]):
            if population >= lower:
                found = code
        return found


_KNOWN_KEYS = {"theme", "type", "section", "label", "question", "per_interview", "required", "codes", "size"}


def _parse_variable(var_id, spec, display, lines, path, problems) -> Variable | None:
    where = f"line {lines.get(path, '?')}, key {var_id!r}"
    if not isinstance(spec, dict):
        problems.append(Problem(display, where, "must be a mapping", value=spec))
        return None
    bad = len(problems)
    vtype = spec.get("type")
    if vtype not in TYPES:
        problems.append(Problem(display, where + " type", "has an unknown type", value=vtype, allowed=", ".join(TYPES)))
    for key in ("section", "label", "codes"):
        if key not in spec:
            problems.append(Problem(display, where, f"lacks {key!r}", allowed="every variable has section, label and codes"))
    label = spec.get("label") or {}
    if not isinstance(label, dict) or any(not isinstance(label.get(lang), str) for lang in LANGS):
        problems.append(Problem(display, where + " label", "needs a text in each language", value=label, allowed="en, nl"))
    codes = spec.get("codes") or {}
    if not isinstance(codes, dict) or not codes:
        problems.append(Problem(display, where + " codes", "must be a non-empty mapping of code to labels", value=codes))
        codes = {}
    for code, clab in codes.items():
        if not isinstance(code, str):
            problems.append(Problem(display, where + f" code {code!r}", "codes must be text (quote yes/no/true/false)", value=code))
        elif not isinstance(clab, dict) or any(not isinstance(clab.get(lang), str) for lang in LANGS):
            problems.append(Problem(display, where + f" code {code!r}", "needs a label in each language", value=clab, allowed="en, nl"))
    if vtype == "boolean" and set(codes) != {"yes", "no"}:
        problems.append(Problem(display, where + " codes", "a boolean variable has the codes 'yes' and 'no'", value=list(codes)))
    if vtype == "ranked_set" and not isinstance(spec.get("size"), int):
        problems.append(Problem(display, where + " size", "a ranked_set needs an integer size", value=spec.get("size")))
    if len(problems) > bad:
        return None
    return Variable(
        id=var_id, type=vtype, section=str(spec["section"]), label=dict(label), codes=dict(codes),
        theme=spec.get("theme", ""), question=dict(spec.get("question") or {}),
        per_interview=bool(spec.get("per_interview", True)), required=bool(spec.get("required", False)),
        size=spec.get("size"), extra={k: v for k, v in spec.items() if k not in _KNOWN_KEYS},
    )


def load_codebook(path: Path | str, display: str | None = None) -> Codebook:
    """Read and check codebook.yaml; raise DataError listing every problem.

    Returns
    -------
    Codebook
        With `coherence`: the cross-variable rules of the file's `coherence` list, a `*` in a
        variable id expanded to every variable it matches (``segment.*.investment``).

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> cb = load_codebook(default_data_dir() / "codebook.yaml")
    >>> len(cb.attributes), cb.variables["sourcing.design"].type
    (2, 'ordinal')
    """
    path = Path(path)
    display = display or path.name
    return codebook_from_text(read_file(path, display, missing="a codebook.yaml in the data directory"), display)


def codebook_from_text(text: str, display: str = "codebook.yaml") -> Codebook:
    """Check the text of a codebook.yaml as `load_codebook` checks the file (for a codebook about
    to be written, say); raise DataError listing every problem.

    Returns
    -------
    Codebook

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> text = (default_data_dir() / "codebook.yaml").read_text(encoding="utf-8")
    >>> codebook_from_text(text).variables["sourcing.design"].code_list
    ['in_house', 'mixed', 'outsourced']
    >>> codebook_from_text("attributes: {}\\nvariables: {}\\n")
    Traceback (most recent call last):
    ...
    commissioning.errors.DataError: 2 problems in the data:
      codebook.yaml, attributes: lacks the attribute 'region'
      codebook.yaml, attributes: lacks the attribute 'size_class'
    """
    data, lines, problems = load_yaml(text, display, aliases="bounded")
    if problems:
        raise DataError(problems)
    problems = []
    if not isinstance(data, dict) or "variables" not in data or "attributes" not in data:
        raise DataError([Problem(display, "", "must be a mapping with 'attributes' and 'variables'")])
    known = ("schema_version", "languages", "anchors", "themes", "attributes", "variables", "coherence")
    unknown = sorted(set(data) - set(known))
    for key in unknown:
        problems.append(Problem(display, f"line {lines.get((key,), '?')}, key {key!r}", "is not a known key",
                                allowed=", ".join(known)))
    themes = data.get("themes") or {}
    if not isinstance(themes, dict) or not all(
            isinstance(v, dict) and all(isinstance(v.get(lang, ""), str) for lang in ("en", "nl"))
            for v in themes.values()):
        problems.append(Problem(display, f"line {lines.get(('themes',), '?')}, key 'themes'",
                                "must map each theme to its names", allowed="{theme: {en: name, nl: naam}}"))
        themes = {}
    out = {}
    for section in ("attributes", "variables"):
        out[section] = {}
        for var_id, spec in (data[section] or {}).items():
            var = _parse_variable(var_id, spec, display, lines, (section, var_id), problems)
            if var is not None:
                out[section][var_id] = var
    for needed in ("region", "size_class"):
        if needed not in out["attributes"] and not any(p.where.endswith(repr(needed)) for p in problems):
            problems.append(Problem(display, "attributes", f"lacks the attribute {needed!r}"))
    sc = out["attributes"].get("size_class")
    if sc is not None:
        thr = sc.extra.get("thresholds")
        if not isinstance(thr, dict) or set(thr) != set(sc.codes) or not all(isinstance(v, int) for v in thr.values()):
            problems.append(Problem(display, f"line {lines.get(('attributes', 'size_class'), '?')}, key 'size_class' thresholds",
                                    "needs an integer lower bound per size class", value=thr, allowed=", ".join(sc.codes)))
    if problems:
        raise DataError(problems)
    from .statements import expand_coherence

    coherence = expand_coherence(data.get("coherence") or [], out["variables"], display)
    return Codebook(attributes=out["attributes"], variables=out["variables"], path=display,
                    coherence=tuple(coherence), themes={str(k): dict(v) for k, v in themes.items()})
