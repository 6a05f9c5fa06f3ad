"""A study made ready for publication: respondent roles, file names and notes blanked, coders
pseudonymised. The disclosure control (`commissioning.disclosure`) works on such a study."""

from __future__ import annotations

from dataclasses import replace

HIDDEN_FIELDS = ("respondent_role", "coder", "file", "notes")


def for_publication(study):
    """The study with respondent roles, file names and notes blanked and coders pseudonymised.

    Coders become "coder 1", "coder 2", ... in alphabetical order of their names, so analyses
    that take the first coder of an interview give the same result as before.

    Returns
    -------
    Study
        A copy; the argument is not changed.

    Examples
    --------
    >>> import commissioning as cm
    >>> s = cm.for_publication(cm.load_study())
    >>> set(s.interviews.respondent_role), set(s.interviews.coder)
    ({''}, {'coder 1'})
    """
    pseudonym = pseudonyms(study)
    interviews = study.interviews.copy()
    for col in HIDDEN_FIELDS:
        if col == "coder":
            interviews[col] = interviews[col].map(pseudonym)
        elif col in interviews:
            interviews[col] = ""
    codings = study.codings.copy()
    codings["coder"] = codings["coder"].map(pseudonym)
    return replace(study, interviews=interviews, codings=codings)


def pseudonyms(study) -> dict[str, str]:
    """The pseudonym `for_publication` gives each coder of `study`: "coder 1", "coder 2", ... in
    alphabetical order of their names.

    Returns
    -------
    dict
        {coder name: pseudonym}.

    Examples
    --------
    >>> import commissioning as cm
    >>> pseudonyms(cm.load_study())
    {'reconstruction': 'coder 1'}
    """
    names = sorted(set(study.interviews.coder) | set(study.codings.coder))
    return {name: f"coder {i}" for i, name in enumerate(names, 1)}
