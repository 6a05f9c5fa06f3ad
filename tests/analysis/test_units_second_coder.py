"""A second coder's files change no result: one coder per interview (the first alphabetically) is
what every claim, table, figure and fragmentation figure reads, through the one source of per-unit
values. Only the intercoder agreement section, which is about the second coding, may change."""

import re
import shutil

import pandas as pd
import pytest
import yaml

import commissioning as cm

from ..conftest import DATA

# variables a second coder recodes: coded per interview, and in no coherence rule of the codebook
RECODED = ("sourcing.design", "sourcing.strategy", "portfolio.overview", "agenda.explicitness",
           "agenda.more_attention", "capacity.flexible_external")


def _shift(var, code):
    codes = var.code_list
    return codes[(codes.index(code) + 1) % len(codes)]


@pytest.fixture(scope="module")
def two_coders(tmp_path_factory):
    """The shipped data, and a copy with a second coder ('zz', after 'reconstruction') whose codes
    differ on every interview."""
    root = tmp_path_factory.mktemp("coders")
    one, two = root / "one" / "data", root / "two" / "data"  # the same folder name: reports show it
    shutil.copytree(DATA, one)
    shutil.copytree(DATA, two)
    cb = cm.load_study(one).codebook
    for path in sorted((two / "interviews").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        values = {k: (v["code"] if isinstance(v, dict) else v) for k, v in data["values"].items()}
        for var in RECODED:
            values[var] = _shift(cb.variables[var], values[var])
        top = values["maturity.top3"]
        values["maturity.top3"] = [top[1], top[2], top[0]]  # the same aspects in another order
        doc = {"interview_id": data["interview_id"], "municipality": data["municipality"],
               "respondent_role": "adviser", "coder": "zz", "basis": "observed", "values": values}
        (path.parent / f"{path.stem}.zz.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
                                                          encoding="utf-8")
    return one, two


def test_the_second_coder_is_loaded_and_differs(two_coders):
    one, two = (cm.load_study(d) for d in two_coders)
    assert len(two.codings) == 2 * len(one.codings)
    assert two.n_interviews == one.n_interviews == 24
    assert len(cm.agreement_table(two)) > 0 and len(cm.agreement_table(one)) == 0


def test_claims_are_unchanged(two_coders):
    one, two = (cm.load_study(d) for d in two_coders)
    for lang in ("en", "nl"):
        pd.testing.assert_frame_equal(cm.claims_table(one, lang=lang), cm.claims_table(two, lang=lang))
    for claim_id in ("c51-fragmented-answers", "s42-printed-shares", "s21-size-hardly-differs"):
        pd.testing.assert_frame_equal(cm.evidence(one, claim_id), cm.evidence(two, claim_id))


def test_fragmentation_and_unit_values_are_unchanged(two_coders):
    one, two = (cm.load_study(d) for d in two_coders)
    pd.testing.assert_frame_equal(cm.fragmentation(one, n_permutations=200), cm.fragmentation(two, n_permutations=200))
    for unit in ("interview", "municipality", "natural"):
        a = cm.unit_values(one, unit=unit) if unit != "municipality" else cm.unit_values(one, unit=unit)
        b = cm.unit_values(two, unit=unit)
        pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(cm.top3_mentions(one, by="size_class"), cm.top3_mentions(two, by="size_class"))
    assert cm.imputed_share(one) == cm.imputed_share(two)


def _pages(folder):
    """Every report page's text, without the footer (data fingerprint) and without the agreement
    section, keyed by its path in the report folder."""
    out = {}
    for path in sorted(folder.rglob("*.html")):
        if path.name == "index.html":
            continue
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"<footer.*?</footer>", "", text, flags=re.S)
        text = re.sub(r'<h2 id="[^"]*(?:agreement|overeenstemming)[^"]*".*?(?=<h2 |</body>)', "", text,
                      flags=re.S | re.I)
        text = re.sub(r"fingerprint <code>[0-9a-f]+</code>", "", text)
        text = re.sub(r'<meta name="cm-fingerprint" content="[0-9a-f]*">', "", text)  # the data's, for the auditor
        out[str(path.relative_to(folder))] = text
    return out


def test_every_report_is_unchanged(two_coders, tmp_path):
    """Every notebook run on both folders: each page is the same apart from the agreement section."""
    from commissioning.run.suite import run_suite

    pages = []
    for i, data in enumerate(two_coders):
        out = tmp_path / f"r{i}"
        run_suite(data_dir=data, out_dir=out, force=True, progress=lambda line: None)
        pages.append(_pages(out))
    assert sorted(pages[0]) == sorted(pages[1]) and pages[0]
    differing = [name for name in pages[0] if pages[0][name] != pages[1][name]]
    assert differing == []
