"""Rule kinds on a ranked set (a respondent's top three): the mentions of its codes, as the
study prints them."""

from __future__ import annotations

import numpy as np

from .table import Outcome, quantifier_of, status_of


def mention_counts(table, var_id, where=None) -> tuple[np.ndarray, np.ndarray]:
    """(counts, respondents): mentions per code, shape (batch, codes), and respondents with a
    complete or partial ranking, shape (batch,)."""
    values = table.get(var_id)
    mask = table.space(var_id).mask(where)
    k = len(table.var(var_id).codes)
    sel = values[:, mask, :]
    counts = np.stack([(sel == c).sum(axis=(-1, -2)) for c in range(k)], axis=-1)
    respondents = (sel >= 0).any(axis=-1).sum(axis=-1)
    return counts, respondents


def printed_share_ok(k, total, printed) -> np.ndarray:
    """Whether k of `total` mentions print as `printed` percent, rounded half up (exact integer
    arithmetic: floor((200 k + total) / (2 total)), the same as `percent_half_up`)."""
    k, total = np.asarray(k), np.asarray(total)
    return (total > 0) & ((200 * k + total) // np.maximum(2 * total, 1) == int(printed))


def printed_shares_hold(counts, respondents, spec, code_list) -> np.ndarray:
    """Whether mention counts (batch, codes) give the total and the shares as printed."""
    total = counts.sum(axis=-1)
    holds = total == int(spec["total"])
    for code, printed in spec["printed"].items():
        holds = holds & printed_share_ok(counts[..., code_list.index(code)], total, printed)
    return holds


def top_mentions_hold(counts, respondents, spec, code_list) -> np.ndarray:
    expected = [code_list.index(c) for c in spec["expected"]]
    rest = [i for i in range(len(code_list)) if i not in expected]
    low = counts[..., expected].min(axis=-1)
    high = counts[..., rest].max(axis=-1) if rest else np.full(low.shape, -1)
    return low > high


def mentioned_by_hold(counts, respondents, spec, code_list, quantifiers) -> np.ndarray:
    q = quantifier_of(spec, quantifiers)
    return q.holds_counts(counts[..., code_list.index(spec["code"])], respondents)


def measure_printed_shares(table, spec, quantifiers) -> Outcome:
    counts, resp = mention_counts(table, spec["variable"], spec.get("where"))
    code_list = table.var(spec["variable"]).code_list
    holds = printed_shares_hold(counts, resp, spec, code_list)
    return Outcome(status_of(holds, counts.sum(axis=-1) == 0), {"counts": counts, "respondents": resp})


def measure_top_mentions(table, spec, quantifiers) -> Outcome:
    counts, resp = mention_counts(table, spec["variable"], spec.get("where"))
    code_list = table.var(spec["variable"]).code_list
    holds = top_mentions_hold(counts, resp, spec, code_list)
    return Outcome(status_of(holds, resp == 0), {"counts": counts, "respondents": resp})


def measure_mentioned_by(table, spec, quantifiers) -> Outcome:
    counts, resp = mention_counts(table, spec["variable"], spec.get("where"))
    code_list = table.var(spec["variable"]).code_list
    holds = mentioned_by_hold(counts, resp, spec, code_list, quantifiers)
    k = counts[..., code_list.index(spec["code"])]
    return Outcome(status_of(holds, resp == 0), {"k": k, "n": resp, "counts": counts})
