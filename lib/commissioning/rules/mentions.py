"""Rule kinds on a ranked set (a respondent's top three): the mentions of its codes, as the
study prints them."""

from __future__ import annotations

import numpy as np

from .table import Outcome, quantifier_of, status_of


def mention_counts(table, var_id, where=None, *, rank: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(counts, respondents): mentions per code, shape (batch, codes), and respondents with a
    complete or partial ranking, shape (batch,).

    How often each aspect is named among a respondent's top three, and by how many respondents: the
    numbers behind section 4.2's shares of the 72 aspects named (24 respondents times three).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable.
    var_id : str
        A ranked set (`maturity.top3`).
    where : dict, optional
        A selection of units.
    rank : int, optional
        Count only the mentions at this position (1 = named first); respondents are then those
        with a code at that position.

    Returns
    -------
    tuple of numpy.ndarray
        `counts` (batch, codes) in the order of the variable's codes, and `respondents` (batch,).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> table = table_from_study(cm.load_study())
    >>> counts, respondents = mention_counts(table, "maturity.top3")
    >>> counts.tolist(), respondents.tolist()
    ([[0, 11, 15, 7, 8, 9, 7, 10, 3, 2]], [24])
    >>> table.var("maturity.top3").code_list[2]
    'people_competences'
    >>> [int(c) for c in mention_counts(table, "maturity.top3", rank=1)[0][0]]
    [0, 3, 4, 0, 4, 3, 5, 3, 1, 1]
    """
    values = table.get(var_id)
    mask = table.space(var_id).mask(where)
    k = len(table.var(var_id).codes)
    sel = values[:, mask, :] if rank is None else values[:, mask, rank - 1:rank]
    counts = np.stack([(sel == c).sum(axis=(-1, -2)) for c in range(k)], axis=-1)
    respondents = (sel >= 0).any(axis=-1).sum(axis=-1)
    return counts, respondents


def unit_mentions(table, var_id) -> np.ndarray:
    """Per unit, how often it names each code of a ranked set: shape (batch, units, codes), in the
    order of the table's units and the variable's codes (a respondent's row sums to the number of
    aspects it named).

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> per = unit_mentions(table_from_study(cm.load_study()), "maturity.top3")
    >>> per.shape, sorted({int(n) for n in per[0].sum(axis=-1)})
    ((1, 24, 10), [3])
    """
    values = table.get(var_id)
    k = len(table.var(var_id).codes)
    return np.stack([(values == c).sum(axis=-1) for c in range(k)], axis=-1).astype(np.int64)


def printed_share_ok(k, total, printed) -> np.ndarray:
    """Whether k of `total` mentions print as `printed` percent, rounded half up (exact integer
    arithmetic: floor((200 k + total) / (2 total)), the same as `percent_half_up`).

    Parameters
    ----------
    k, total : int or array of int
        Mentions of one code, and of all codes (broadcast).
    printed : int
        The percentage the study prints.

    Returns
    -------
    numpy.ndarray of bool
        Where k of `total` prints as `printed` (never where `total` is 0).

    Examples
    --------
    >>> printed_share_ok([14, 15, 16], 72, 21).tolist()  # 19.4%, 20.8%, 22.2% of 72
    [False, True, False]
    """
    k, total = np.asarray(k), np.asarray(total)
    return (total > 0) & ((200 * k + total) // np.maximum(2 * total, 1) == int(printed))


def printed_shares_hold(counts, respondents, spec, code_list) -> np.ndarray:
    """Whether mention counts (batch, codes) give the total and the shares as printed.

    Parameters
    ----------
    counts : numpy.ndarray
        Mentions per code, (batch, codes), as `mention_counts` gives them.
    respondents : numpy.ndarray
        Respondents per batch row (not used: the shares are of all mentions).
    spec : dict
        ``{total, printed: {code: percent}}``.
    code_list : list of str
        The variable's codes, in the order of `counts`.

    Returns
    -------
    numpy.ndarray of bool, shape (batch,)

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> table = table_from_study(cm.load_study())
    >>> counts, respondents = mention_counts(table, "maturity.top3")
    >>> code_list = table.var("maturity.top3").code_list
    >>> spec = {"total": 72, "printed": {"people_competences": 21, "culture_leadership": 15}}
    >>> printed_shares_hold(counts, respondents, spec, code_list).tolist()
    [True]
    >>> printed_shares_hold(counts, respondents, {**spec, "total": 71}, code_list).tolist()
    [False]
    """
    total = counts.sum(axis=-1)
    holds = total == int(spec["total"])
    for code, printed in spec["printed"].items():
        holds = holds & printed_share_ok(counts[..., code_list.index(code)], total, printed)
    return holds


def top_mentions_hold(counts, respondents, spec, code_list) -> np.ndarray:
    """Whether each code of `expected` is mentioned more often than every other code.

    Parameters
    ----------
    counts : numpy.ndarray
        Mentions per code, (batch, codes), as `mention_counts` gives them.
    respondents : numpy.ndarray
        Respondents per batch row (not used).
    spec : dict
        ``{expected: [code, ...]}``.
    code_list : list of str
        The variable's codes, in the order of `counts`.

    Returns
    -------
    numpy.ndarray of bool, shape (batch,)

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> table = table_from_study(cm.load_study())
    >>> counts, respondents = mention_counts(table, "maturity.top3")
    >>> code_list = table.var("maturity.top3").code_list
    >>> top_mentions_hold(counts, respondents, {"expected": ["people_competences", "culture_leadership"]},
    ...                   code_list).tolist()
    [True]
    >>> top_mentions_hold(counts, respondents, {"expected": ["people_competences", "stakeholders"]},
    ...                   code_list).tolist()
    [False]
    """
    expected = [code_list.index(c) for c in spec["expected"]]
    rest = [i for i in range(len(code_list)) if i not in expected]
    low = counts[..., expected].min(axis=-1)
    high = counts[..., rest].max(axis=-1) if rest else np.full(low.shape, -1)
    return low > high


def mentioned_by_hold(counts, respondents, spec, code_list, quantifiers) -> np.ndarray:
    """Whether the respondents who mention `code` are a share in the quantifier's range.

    Parameters
    ----------
    counts : numpy.ndarray
        Mentions per code, (batch, codes), as `mention_counts` gives them: the mentions of `code`
        count the respondents who name it.
    respondents : numpy.ndarray
        Respondents per batch row.
    spec : dict
        ``{code, quantifier}``.
    code_list : list of str
        The variable's codes, in the order of `counts`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    numpy.ndarray of bool, shape (batch,)

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> table = table_from_study(cm.load_study())
    >>> counts, respondents = mention_counts(table, "maturity.top3")
    >>> code_list = table.var("maturity.top3").code_list
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"code": "people_competences", "quantifier": "often"}
    >>> mentioned_by_hold(counts, respondents, spec, code_list, quantifiers).tolist()
    [True]
    """
    q = quantifier_of(spec, quantifiers)
    return q.holds_counts(counts[..., code_list.index(spec["code"])], respondents)


def measure_printed_shares(table, spec, quantifiers) -> Outcome:
    """Whether the mentions of a ranked set give the total and the percentages the study prints, as in
    'of the 72 aspects named, people and competences take 21%, culture and leadership 15%, ...'
    (s42-printed-shares).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: printed_shares, variable, total, printed: {code: percent}}``, optionally `where`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row (NO_DATA without mentions); `data`: `counts` (mentions per code) and
        `respondents`.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "printed_shares", "variable": "maturity.top3", "total": 72,
    ...         "printed": {"people_competences": 21, "culture_leadership": 15, "market_interaction": 14}}
    >>> measure_printed_shares(table, spec, quantifiers).status.tolist()
    [1]
    >>> wrong = {**spec, "printed": {"people_competences": 20}}
    >>> measure_printed_shares(table, wrong, quantifiers).status.tolist()
    [0]
    """
    counts, resp = mention_counts(table, spec["variable"], spec.get("where"))
    code_list = table.var(spec["variable"]).code_list
    holds = printed_shares_hold(counts, resp, spec, code_list)
    return Outcome(status_of(holds, counts.sum(axis=-1) == 0), {"counts": counts, "respondents": resp})


def measure_top_mentions(table, spec, quantifiers) -> Outcome:
    """Whether the `expected` codes of a ranked set are the most mentioned ones, as in 'the
    municipalities think they must work on people and competences, culture and leadership, the
    market, their societal role and stakeholders' (c51-top-five-themes).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: top_mentions, variable, expected}``, optionally `where`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row (NO_DATA without respondents); `data`: `counts` (mentions per code)
        and `respondents`.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "top_mentions", "variable": "maturity.top3",
    ...         "expected": ["people_competences", "culture_leadership", "market_interaction"]}
    >>> out = measure_top_mentions(table, spec, quantifiers)
    >>> out.status.tolist(), out.data["respondents"].tolist()
    ([1], [24])
    """
    counts, resp = mention_counts(table, spec["variable"], spec.get("where"))
    code_list = table.var(spec["variable"]).code_list
    holds = top_mentions_hold(counts, resp, spec, code_list)
    return Outcome(status_of(holds, resp == 0), {"counts": counts, "respondents": resp})


def measure_mentioned_by(table, spec, quantifiers) -> Outcome:
    """The share of respondents who name `code` among their top three, against a quantifier, as in 'a
    large part of the respondents names people and competences as very important'
    (s42-people-large-part).

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        ``{rule: mentioned_by, variable, code, quantifier}``, optionally `where`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row (NO_DATA without respondents); `data`: `k` (respondents naming
        `code`), `n` (respondents) and `counts` (mentions per code).

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "mentioned_by", "variable": "maturity.top3", "code": "people_competences",
    ...         "quantifier": "often"}
    >>> out = measure_mentioned_by(table, spec, quantifiers)
    >>> out.status.tolist(), out.data["k"].tolist(), out.data["n"].tolist()
    ([1], [15], [24])
    """
    counts, resp = mention_counts(table, spec["variable"], spec.get("where"))
    code_list = table.var(spec["variable"]).code_list
    holds = mentioned_by_hold(counts, resp, spec, code_list, quantifiers)
    k = counts[..., code_list.index(spec["code"])]
    return Outcome(status_of(holds, resp == 0), {"k": k, "n": resp, "counts": counts})
