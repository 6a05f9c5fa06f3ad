"""The auditor's checks of published cells: each cell's group against the threshold, its
equations in its variable's integer programme, the blocks a release suppresses on one page and
shows on another, and the range of every protected value, with the pages that fix one.

Part of the independent auditor (`commissioning.disclosure.audit`); it solves its own integer
programs (`audit_model`) and shares no code with the disclosure engine.
"""

from __future__ import annotations

import numpy as np

from .audit_facts import Facts, below, group_munis
from .audit_model import Model
from .audit_pages import Cell


def describe(cell: Cell) -> str:
    """How a message names a published cell: its page, what published it, the cell.

    Returns
    -------
    str

    Examples
    --------
    >>> cell = Cell("en/02.html (national)", "sourcing.design", "municipality", "size_class", "small", ("mixed",), 1, 3)
    >>> describe(cell)
    "en/02.html (national): sourcing.design municipality by size_class group 'small' codes mixed"
    """
    origin = f"{cell.origin}: " if cell.origin else ""
    return (f"{cell.page}: {origin}{cell.variable} {cell.unit} by {cell.by} group {cell.group!r} "
            f"codes {' '.join(cell.codes)}")


def cell_munis(cell: Cell, facts: Facts, within: dict):
    """The municipalities of a cell's group within its page's selection (None: no group).

    Returns
    -------
    list of str or None

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts, selection_munis
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> zuid = {"region=Zuid": selection_munis(facts, {"region": ("Zuid",)})}
    >>> cell = Cell("en/02.html", "sourcing.design", "municipality", "size_class", "small", ("mixed",), 0, 1,
    ...             "region=Zuid")
    >>> cell_munis(cell, facts, zuid)
    ['GM0687']
    """
    return group_munis(facts, cell.by, cell.group, within.get(cell.selection, facts.munis))


def block_key(cell: Cell, facts: Facts, within: dict):
    """The block a cell belongs to: (variable, unit, its municipalities, rank or None); None when
    the cell names no variable or group.

    Returns
    -------
    tuple or None

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> cell = Cell("en/04.html", "maturity.top3", "mention", "rank", "1", ("stakeholders",), 3, 24)
    >>> key = block_key(cell, facts, {})
    >>> key[0], key[1], len(key[2]), key[3]
    ('maturity.top3', 'interview', 18, '1')
    """
    spec = facts.codebook["variables"].get(cell.variable)
    munis = cell_munis(cell, facts, within)
    if spec is None or munis is None:
        return None
    unit = "interview" if spec["type"] == "ranked_set" else cell.unit
    return cell.variable, unit, frozenset(munis), cell.group if cell.by == "rank" and cell.group != "all" else None


def check_blocks(cells: list, facts: Facts, within: dict) -> tuple[list[str], dict]:
    """The cells shown on one page of a block that another page (or the same) suppresses.

    Returns
    -------
    tuple
        (problems, {block: the first page that suppresses it}).

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> hidden = Cell("en/02.html (national)", "sourcing.design", "municipality", "region", "Zuid", ("mixed",),
    ...               None, None)
    >>> shown = Cell("en/02.html (region=Zuid)", "sourcing.design", "municipality", "none", "all", ("mixed",), 2, 6,
    ...              "region=Zuid")
    >>> from commissioning.disclosure.audit_facts import selection_munis
    >>> within = {"region=Zuid": selection_munis(facts, {"region": ("Zuid",)})}
    >>> problems, _ = check_blocks([hidden, shown], facts, within)
    >>> print(problems[0])
    en/02.html (region=Zuid): sourcing.design municipality by none group 'all' codes mixed: shown here, but en/02.html (national) suppresses the same block (region group 'Zuid', 6 municipalities, sourcing.design, municipality)
    """
    suppressed, problems, seen = {}, [], set()
    keys = [(cell, block_key(cell, facts, within)) for cell in cells]
    for cell, key in keys:
        if key is not None and cell.k is None and not cell.origin:
            suppressed.setdefault(key, cell)
    for cell, key in keys:
        if key in suppressed and cell.k is not None and (key, cell.page) not in seen:
            seen.add((key, cell.page))
            hidden = suppressed[key]
            problems.append(f"{describe(cell)}: shown here, but {hidden.page} suppresses the same block "
                            f"({hidden.by} group {hidden.group!r}, {len(key[2])} municipalities, {key[0]}, {key[1]})")
    return problems, {key: cell.page for key, cell in suppressed.items()}


def _cell_model(cell: Cell, facts: Facts, within: dict, models: dict, problems: list):
    """(model, group's municipalities) of a shown cell, or None when the cell names no variable or
    group of the selection (a problem) or is suppressed."""
    variables = facts.codebook["variables"]
    if cell.origin.startswith("an unreadable"):
        problems.append(f"{describe(cell)}: a marked number whose data-k and data-n are not whole numbers")
        return None
    if cell.variable not in variables:
        problems.append(f"{describe(cell)}: not a variable of the codebook")
        return None
    munis = cell_munis(cell, facts, within)
    if munis is None:
        problems.append(f"{describe(cell)}: not a group of the selection")
        return None
    if cell.k is None:
        return None
    model = models.get(cell.variable)
    if model is None:
        model = models[cell.variable] = Model(facts, cell.variable, variables[cell.variable])
    return model, munis


def add_cell(cell: Cell, facts: Facts, threshold: int, within: dict, models: dict, problems: list):
    """Check one published cell (its group and its units with a value against the threshold) and
    add its equations, and what a unanimous cell of a large group says, to its variable's model.

    Returns
    -------
    None
        Problems are added to `problems`, equations to `models` (one `Model` per variable).

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> facts, models, problems = read_facts(default_data_dir()), {}, []
    >>> add_cell(Cell("en/02.html (national)", "sourcing.design", "municipality", "size_class", "very_large",
    ...               ("mixed",), 2, 2), facts, 3, {}, models, problems)
    >>> print(problems[0])
    en/02.html (national): sourcing.design municipality by size_class group 'very_large' codes mixed: a shown cell rests on 2 municipalities and 4 interviews, fewer than 3
    >>> len(models["sourcing.design"].keys)  # its count and its units with a value
    2
    """
    found = _cell_model(cell, facts, within, models, problems)
    if found is None:
        return
    model, munis = found
    where_text = describe(cell)
    unit = "interview" if model.ranked else cell.unit
    if unit not in ("municipality", "interview"):
        problems.append(f"{where_text}: unknown unit")
        return
    n_munis, n_itv = len(munis), len(facts.units("interview", munis))
    if n_munis < threshold or (unit == "interview" and n_itv < threshold):
        problems.append(f"{where_text}: a shown cell rests on {n_munis} municipalities and {n_itv} interviews, "
                        f"fewer than {threshold}")
    if not model.ranked and 0 < cell.n < threshold:
        problems.append(f"{where_text}: a shown cell rests on {cell.n} units with a value, fewer than {threshold}")
    bad = [c for c in cell.codes if c not in model.codes]
    if bad or not cell.codes:
        problems.append(f"{where_text}: codes {bad or '(none)'} are not codes of the variable")
        return
    cats = [model.codes.index(c) for c in cell.codes]
    slots = model.members(unit, munis)
    ranks = [int(cell.group) - 1] if cell.by == "rank" and cell.group != "all" else list(range(model.R))
    real = list(range(model.K - 1))
    key = (unit, tuple(sorted(slots)), tuple(ranks))
    model.add((*key, tuple(sorted(cats))), model.row(slots, ranks, cats), cell.k, problems, where_text, cell.page)
    model.add((*key, "n"), model.row(slots, ranks, real), cell.n, problems, where_text, cell.page)
    units = len(slots) if not model.ranked else len(set(slots))
    if n_munis >= threshold and (unit == "municipality" or n_itv >= threshold):
        model.unanimous(slots, ranks, cats, cell.k, cell.n, units, model.ranked and len(ranks) == model.R)


def shown_groups(cells: list, facts: Facts, within: dict, threshold: int) -> list:
    """The groups of shown cells within their pages' selections, and the selections themselves,
    that are below the threshold: protected values too (`protected_groups`' `extra`).

    Returns
    -------
    list of tuple
        [(name, municipalities)].

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> cell = Cell("en/02.html", "sourcing.design", "municipality", "size_class", "large+very_large", ("mixed",),
    ...             1, 2, "region=Zuid")
    >>> shown_groups([cell], facts, {"region=Zuid": ["GM0772", "GM0855", "GM0794"]}, 3)
    [('large+very_large in region=Zuid', ['GM0772', 'GM0855'])]
    """
    out, seen = [], set()
    for selection, munis in within.items():
        if below(facts, munis, threshold):
            out.append((f"the selection {selection}", list(munis)))
            seen.add(frozenset(munis))
    for cell in cells:
        munis = cell_munis(cell, facts, within)
        if munis and below(facts, munis, threshold) and frozenset(munis) not in seen:
            seen.add(frozenset(munis))
            out.append((f"{cell.group} in {cell.selection or 'the national run'}", munis))
    return out


def explain(model: Model, f, value, order: list, budget: list, hints=()):
    """The pages whose cells together fix a count: a smallest set (no page of it can be dropped),
    found by dropping pages in halves and then one by one, the last in `order` first; or one of
    `hints` (sets found for other counts) when it fixes this one too.

    Parameters
    ----------
    model : Model
        The variable's model, whose equations record the pages that publish them.
    f, value
        The count's coefficients and its value; `f` None: the pages whose cells contradict each
        other (no solution).
    order : list of str
        Every page, in the release's order.
    budget : list of int
        ``[questions left]``, shared by every explanation of an audit; each question is one or
        two integer programs.
    hints : list of list of str
        Sets found for other counts, tried first (the most recent first).

    Returns
    -------
    list of str or None
        The pages in `order`; None when the budget ran out.

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
    >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
    >>> groningen = model.row([0], [0], [1])
    >>> model.add(("a",), groningen, 1, [], "en/a.html", "en/a.html")
    >>> model.add(("a",), groningen, 1, [], "nl/a.html", "nl/a.html")
    >>> explain(model, groningen, 1, ["en/a.html", "nl/a.html"], [10])
    ['en/a.html']
    >>> model.add(("b",), groningen, 0, [], "nl/b.html", "nl/b.html")  # Groningen's interview not 'mixed'
    >>> explain(model, None, None, ["en/a.html", "nl/a.html", "nl/b.html"], [10])
    ['en/a.html', 'nl/b.html']
    """
    def fixed(pages) -> bool:
        keep = model.published_by(pages)
        return model.solve(np.zeros(model.n), keep) is None if f is None else not model.varies(f, value, keep)

    published = model.pages()
    pages = [p for p in order if p in published]
    for hint in [h for h in reversed(hints) if set(h) <= published][:4]:
        budget[0] -= 1
        if fixed(set(hint)):
            return [p for p in pages if p in hint]
    keep, chunks = list(pages), [pages[::-1]]
    while chunks:
        chunk = chunks.pop(0)
        if budget[0] <= 0:
            return None
        budget[0] -= 1
        if fixed(set(keep) - set(chunk)):
            keep = [p for p in keep if p not in chunk]  # fixed without them
        elif len(chunk) > 1:
            chunks[:0] = [chunk[:len(chunk) // 2], chunk[len(chunk) // 2:]]
    return keep


def by_pages(pages) -> str:
    """"A", "A and B", "A, B and C": the pages that fix a count, for a message.

    Returns
    -------
    str

    Examples
    --------
    >>> by_pages(["en/a.html (national)", "en/a.html (size_class=large)"])
    'en/a.html (national) and en/a.html (size_class=large)'
    """
    pages = list(pages)
    return pages[0] if len(pages) == 1 else ", ".join(pages[:-1]) + " and " + pages[-1]


def candidates(model: Model, groups: list) -> tuple[list, int]:
    """The protected values of one variable not entailed by a unanimous cell, narrowest seen first.

    Returns
    -------
    tuple
        ([(width seen, kind, name, unit, category, coefficients)], how many protected values
        there are).

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts, protected_groups
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
    >>> _ = model.solve(np.zeros(model.n))
    >>> found, protected = candidates(model, protected_groups(facts, 3))
    >>> protected, found[0][:5]
    (228, (1, 'municipality', 'Groningen', 'municipality', 0))
    """
    cats = range(model.K - 1) if model.ranked else range(model.K)
    found, protected = [], 0
    for kind, name, unit, members in groups:
        if unit not in model.slot or (model.ranked and unit == "municipality"):
            continue
        munis = [m for m in members if m in model.slot["municipality"]] if unit == "municipality" else members
        slots = [model.slot[unit][u] for u in munis if u in model.slot[unit]]
        if not slots:
            continue
        for c in cats:
            protected += 1
            if model.settled(slots, c):
                continue  # entailed by a unanimous cell of a large group
            f = model.row(slots, range(model.R), [c])
            values = model.matrix() @ f
            found.append((int(round(values.max() - values.min())) + 1, kind, name, unit, c, f))
    found.sort(key=lambda t: t[0])
    return found, protected


def _range(model: Model, f, narrowest):
    """(low, high, exact) of a count over the model's solutions: `exact` False when only the
    low end was solved for (its range cannot lower `narrowest`); None when no solution."""
    values = model.matrix() @ f
    value = int(round(values[0]))
    lo = model.solve(f)
    hi = model.solve(-f) if lo is None or narrowest is None or narrowest > 2 or round(f @ lo) == value else None
    if lo is None or (hi is None and narrowest is None):
        return None
    values = model.matrix() @ f
    low = int(round(f @ lo))
    high = int(round(f @ hi)) if hi is not None else int(round(values.max()))
    return low, high, hi is not None


def ranges(model: Model, var_id: str, found: list, narrowest, problems: list):
    """Solve for the range of each candidate (`candidates`) that could be determined or lower the
    narrowest range.

    Returns
    -------
    tuple
        (the narrowest range so far, [(kind, name, unit, category, coefficients, value)] of the
        candidates determined).

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts, protected_groups
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
    >>> _ = model.solve(np.zeros(model.n))
    >>> found, _ = candidates(model, protected_groups(facts, 3))
    >>> ranges(model, "sourcing.design", found, None, [])[0]  # nothing published: every count free
    2
    """
    determined = []
    for _, kind, name, unit, c, f in found:
        values = model.matrix() @ f
        seen = int(round(values.max() - values.min())) + 1
        if seen > 1 and narrowest is not None and seen >= narrowest:
            continue  # two values or more, and it cannot lower the narrowest range
        solved = _range(model, f, narrowest)
        if solved is None:
            problems.append(f"{var_id}: no solution for the range of {model.cats[c]!r} in {kind} {name} ({unit}) "
                            "within the solver's time limit")
            continue
        low, high, exact = solved
        if high - low + 1 <= 1:
            determined.append((kind, name, unit, c, f, low))
        if exact:
            narrowest = high - low + 1 if narrowest is None else min(narrowest, high - low + 1)
    return narrowest, determined


def attack(models: dict, groups: list, seeds: int, problems: list, order: list, budget: int = 3000):
    """Every variable's protected values: a few solutions with random objectives first, then an
    integer program per value that could be determined; a determined one is a problem naming the
    pages whose cells fix it (`explain`).

    Returns
    -------
    tuple
        (protected values checked, narrowest range or None).

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts, protected_groups
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> model = Model(facts, "sourcing.design", facts.codebook["variables"]["sourcing.design"])
    >>> mixed = model.row(model.members("municipality", ["GM0599"]), [0], [1])  # Rotterdam's value 'mixed'
    >>> model.add(("Rotterdam",), mixed, 1, [], "en/x.html (national)", "en/x.html (national)")
    >>> problems = []
    >>> attack({"sourcing.design": model}, protected_groups(facts, 3), 2, problems, ["en/x.html (national)"])
    (228, 1)
    >>> print(problems[0])
    en/x.html (national): sourcing.design: the count of 'in_house' in municipality Rotterdam (municipality) is determined: 0, by the cells of en/x.html (national)
    """
    protected, narrowest, found_by_var = 0, None, {}
    rng = np.random.default_rng(0)
    for var_id, model in models.items():
        if model.solve(np.zeros(model.n)) is None:
            pages = explain(model, None, None, order, [200])
            pages = pages or [p for p in order if p in model.pages()]
            problems.append(f"{pages[-1]}: {var_id}: the published numbers contradict each other (no solution), "
                            f"on {by_pages(pages)}")
            continue
        for _ in range(seeds):
            model.solve(rng.integers(-5, 6, size=model.n).astype(float))
        found, checked = candidates(model, groups)
        protected += checked
        narrowest, found_by_var[var_id] = ranges(model, var_id, found, narrowest, problems)
    problems += _explained(models, found_by_var, order, budget)
    return protected, narrowest


def _explained(models: dict, found_by_var: dict, order: list, budget: int) -> list[str]:
    """A problem per determined value, naming the pages that fix it; the budget is spent round by
    round (every variable's first value, then every second one, ...) so that each variable gets
    its explanations before one variable takes them all."""
    left, hints, causes = [budget], {}, {}
    for depth in range(max((len(v) for v in found_by_var.values()), default=0)):
        for var_id, determined in found_by_var.items():
            if depth < len(determined):
                model, (_, _, _, _, f, value) = models[var_id], determined[depth]
                pages = explain(model, f, value, order, left, hints.setdefault(var_id, []))
                if pages and pages not in hints[var_id]:
                    hints[var_id].append(pages)
                causes[var_id, depth] = pages
    out = []
    for var_id, determined in found_by_var.items():
        model = models[var_id]
        for depth, (kind, name, unit, c, _, value) in enumerate(determined):
            pages = causes[var_id, depth]
            cause = f"the cells of {by_pages(pages)}" if pages else "the public facts alone" if pages == [] else \
                "the cells of several pages together (not narrowed down: the auditor's budget for explanations ran out)"
            lead = pages[-1] if pages else next((p for p in reversed(order) if p in model.pages()), var_id)
            out.append(f"{lead}: {var_id}: the count of {model.cats[c]!r} in {kind} {name} ({unit}) is "
                       f"determined: {value}, by {cause}")
    return out
