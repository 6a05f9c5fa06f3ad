"""A release: every published run over one data folder, protected as a whole.

A publisher who publishes the national report and then one per region or per size group gives a
reader more than one run: a filtered run's totals are cells of the national tables' groups, and
its tables by size group are region x size group cells that the national run never shows. Two
runs decided apart subtract (the national "large and very large" minus a run of the large ones is
very large exactly). So what may be shown is decided once per release, on the whole data folder,
over every cell any run of the release can show:

- one global recoding of the size classes for every run (`recode_groups` on the whole folder);
- one plan of suppressions per variable over the blocks of every selection a run can make (the
  whole folder, each region, each shown size group, and both together) crossed with the groups
  of its tables (size group, region, rank), so that a filtered run shows only cells the release
  lets through (`Planner` with ``release=True``);
- a filtered run is a view of the release (`Release.view`): a filter that would split a
  published group (``size_class="large"`` while large and very large are merged) is refused and
  names the merged group, which may be selected instead (``size_class="large+very_large"``).

The plan depends only on the data, the threshold and the library, so every run of the release, in
any process, gets the same one; it is kept in memory per process and in the suite's cache folder
(`data.cache.cache_dir`) so that a notebook's kernel reads what the runner decided.

Examples
--------
>>> import commissioning as cm
>>> rel = release(cm.load_study())
>>> [code for code, en, nl in rel.groups]
['small', 'medium', 'large+very_large']
>>> zuid = rel.view(region="Zuid")
>>> [code for code, _, _ in zuid.groups("size_class")], zuid.study.n_interviews
(['small', 'medium', 'large+very_large'], 7)
>>> zuid.shown("sourcing.design", "size_class", "small", "municipality")  # Middelburg alone
False
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core import check_threshold
from ..data import cache_dir, for_publication, library_digest
from ..errors import ParameterError
from .plan import PLANS, Planner, plan_key
from .recoding import ALL, ALL_LABEL, RANK_LABEL, THRESHOLD, join_labels, recode_groups, recoded_study

#: the version of a stored plan's layout
PLAN_FORMAT = 1


@dataclass
class Release:
    """What every published run of one data folder may show (see the module's docstring).

    Attributes
    ----------
    study : Study
        The whole data folder, as loaded (not filtered).
    threshold : int
    groups : list of tuple
        The shown size groups, (code, English label, Dutch label), in order.
    size_map : dict
        {original size class: shown group code}.
    merges : list
        The merges made [(merged classes, into classes, (municipalities, interviews) before)].
    recoded : Study
        `study` with respondent fields blanked and its size classes recoded into the shown groups.
    planner : Planner
        Each variable's suppressions over the blocks of every run of the release.

    Examples
    --------
    >>> import commissioning as cm
    >>> rel = release(cm.load_study())
    >>> rel.threshold, rel.size_map["very_large"], rel.merges[0][:2]
    (3, 'large+very_large', (['very_large'], ['large']))
    """

    study: object = field(repr=False)
    threshold: int
    groups: list
    size_map: dict
    merges: list
    recoded: object = field(repr=False)
    planner: object = field(repr=False)

    @property
    def fingerprint(self) -> str:
        """The data folder's fingerprint: what identifies the release."""
        return self.study.fingerprint

    def group_codes(self) -> list:
        """The codes of the shown size groups, which a filtered run of the release may select.

        Returns
        -------
        list of str

        Examples
        --------
        >>> import commissioning as cm
        >>> release(cm.load_study()).group_codes()
        ['small', 'medium', 'large+very_large']
        """
        return [code for code, _, _ in self.groups]

    def check_size_class(self, size_class) -> str | None:
        """The shown group a filter on `size_class` selects, or ParameterError when the filter
        would split a published group (or names no size class).

        Returns
        -------
        str or None
            A code of `group_codes`; None when `size_class` is None.

        Raises
        ------
        ParameterError
            For a size class merged with another for publication (naming the merged group), or a
            code that is neither a size class nor a shown group.

        Examples
        --------
        >>> import commissioning as cm
        >>> rel = release(cm.load_study())
        >>> rel.check_size_class("small"), rel.check_size_class("large+very_large")
        ('small', 'large+very_large')
        >>> rel.check_size_class("large")
        Traceback (most recent call last):
        ...
        commissioning.errors.ParameterError: size_class: 'large' is merged with very_large for publication (a size class of fewer than 3 municipalities or respondents is merged with its neighbour in every run of a release); publish the merged group instead; allowed: small, medium, large+very_large
        """
        if size_class is None:
            return None
        codes = self.group_codes()
        if size_class in codes:
            return size_class
        group = self.size_map.get(size_class)
        if group is not None:
            others = [c for c in group.split("+") if c != size_class]
            raise ParameterError(
                "size_class", size_class,
                problem=f"is merged with {', '.join(others)} for publication (a size class of fewer than "
                        f"{self.threshold} municipalities or respondents is merged with its neighbour in every run "
                        "of a release); publish the merged group instead", allowed=codes)
        raise ParameterError("size_class", size_class, problem="is not a size class of this release", allowed=codes)

    def view(self, *, region=None, size_class=None):
        """The protection of one run of the release: its selection, the study it tabulates, its
        groups and which of its cells are shown (a `Protection`).

        Parameters
        ----------
        region : str, optional
            A region code of the codebook.
        size_class : str, optional
            A shown group (`group_codes`), e.g. "small" or "large+very_large".

        Returns
        -------
        Protection

        Raises
        ------
        ParameterError
            For a region outside the codebook, a size class that would split a published group
            (`check_size_class`), or a selection of no municipality.

        Examples
        --------
        >>> import commissioning as cm
        >>> rel = release(cm.load_study())
        >>> large = rel.view(size_class="large+very_large")
        >>> large.selection, len(large.study.municipalities), [c for c, _, _ in large.groups("region")]
        ({'size_class': 'large+very_large'}, 10, ['Noord', 'West', 'Zuid'])
        >>> large.shown("sourcing.strategy", None, "all", "municipality")  # the national table's column
        True
        """
        group = self.check_size_class(size_class)
        selection = {k: v for k, v in (("region", region), ("size_class", group)) if v is not None}
        original = self.study.filter(**selection) if selection else self.study
        recoded = self.recoded.filter(**selection) if selection else self.recoded
        munis = recoded.municipalities
        cb = self.study.codebook
        regions = [r for r in cb.attributes["region"].code_list if r in set(munis["region"])]
        present = set(munis["size_class"])
        rank_size = max([int(v.size) for v in cb.variables.values() if v.type == "ranked_set"] or [0])
        labels = cb.attributes["region"].codes
        groups = {None: [(ALL, ALL_LABEL["en"], ALL_LABEL["nl"])],
                  "size_class": [g for g in self.groups if g[0] in present],
                  "region": [(r, labels[r]["en"], labels[r]["nl"]) for r in regions],
                  "rank": [(str(r), RANK_LABEL["en"].format(r=r), RANK_LABEL["nl"].format(r=r))
                           for r in range(1, rank_size + 1)]}
        from .protection import Protection, attribute_groups  # the view's class, which builds on this module

        groups.update(attribute_groups(recoded))

        return Protection(True, self.threshold, original, recoded, dict(self.size_map), groups, self.planner,
                          selection=selection, release=self)

    def record(self) -> dict:
        """The release as recorded beside its reports: data fingerprint, threshold, the recoding,
        and the engine's own check over every variable (every variable is planned).

        Returns
        -------
        dict

        Examples
        --------
        >>> import commissioning as cm
        >>> rec = release(cm.load_study()).record()
        >>> rec["threshold"], rec["groups"], rec["checked"]["determined"]
        (3, ['small', 'medium', 'large+very_large'], 0)
        """
        return {"fingerprint": self.fingerprint, "threshold": self.threshold, "groups": self.group_codes(),
                "merges": [{"merged": m, "into": i} for m, i, _ in self.merges],
                "checked": {k: v for k, v in self.planner.checked().items() if k != "seconds"}}


def _plan_file(study, threshold: int) -> Path | None:
    """Where the plan of a release is stored (None when the cache is off or the study has no files)."""
    folder = cache_dir()
    if folder is None or not study.fingerprint:
        return None
    return folder / "releases" / f"{study.fingerprint[:32]}-t{threshold}-{library_digest()[:16]}.json"


def _load_plans(planner: Planner, path: Path | None) -> None:
    """Fill `planner` with the variables' plans stored at `path` (nothing when absent or foreign)."""
    if path is None:
        return
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if stored.get("format") != PLAN_FORMAT or stored.get("fingerprint") != planner.study.fingerprint:
        return
    variables = planner.study.codebook.variables
    for var_id, (keys, log, stats) in stored.get("plans", {}).items():
        if var_id in variables and var_id not in planner.plans:
            planner.plans[var_id] = ({tuple(k) for k in keys}, log, stats)


def save_plans(rel: Release) -> Path | None:
    """Plan every variable of the release and store the plans in the cache folder, written
    atomically, so that every process of a run (a notebook's kernel) reads them.

    Returns
    -------
    pathlib.Path or None
        The file written; None when the cache is off or cannot be written.

    Examples
    --------
    >>> import commissioning as cm
    >>> path = save_plans(release(cm.load_study()))
    >>> path is None or path.suffix == ".json"
    True
    """
    rel.planner.log()  # plans every variable
    path = _plan_file(rel.study, rel.threshold)
    if path is None:
        return None
    plans = {v: [sorted([list(k) for k in keys], key=str), log, stats]
             for v, (keys, log, stats) in rel.planner.plans.items()}
    text = json.dumps({"format": PLAN_FORMAT, "fingerprint": rel.fingerprint, "threshold": rel.threshold,
                       "plans": plans}, sort_keys=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".plan-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        return None
    return path


def release(study, *, threshold: int = THRESHOLD) -> Release:
    """The release of a data folder at `threshold`: one recoding and one plan for every run.

    Parameters
    ----------
    study : Study
        The data folder as loaded; a filtered study stands for the folder it was filtered from.
    threshold : int
        The smallest number of municipalities and of respondents a shown group may hold.

    Returns
    -------
    Release
        Kept per process for a study loaded from files (data fingerprint and threshold), with the
        variables' plans read from the cache folder when a run stored them (`save_plans`).

    Raises
    ------
    ParameterError
        For a threshold that is not a whole number of at least 1.

    Examples
    --------
    >>> import commissioning as cm
    >>> rel = release(cm.load_study().filter(region="Noord"))  # the folder's release, not Noord's
    >>> len(rel.study.municipalities), release(cm.load_study()) is rel
    (18, True)
    """
    threshold = check_threshold(threshold)
    whole = study.whole if getattr(study, "whole", None) is not None else study
    key = plan_key(whole, threshold)
    key = None if key is None else ("release", *key)
    if key is not None and key in PLANS:
        return PLANS[key]
    shown_groups, merges = recode_groups(whole, threshold)
    recoded, size_map = recoded_study(for_publication(whole), shown_groups)
    labels = whole.codebook.attributes["size_class"].codes
    groups = [("+".join(g), *(join_labels([labels[c][lang] for c in g], lang) for lang in ("en", "nl")))
              for g in shown_groups]
    planner = Planner(whole, threshold, size_map, merges, release=True)
    _load_plans(planner, _plan_file(whole, threshold))
    rel = Release(whole, threshold, groups, size_map, merges, recoded, planner)
    if key is not None:
        PLANS[key] = rel
    return rel
