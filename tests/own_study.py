"""A research group's own study, written for tests: its own codebook (four variables of its own,
none of the study's, in two themes, with a further attribute `province`), the study's
municipalities, and two interviews per municipality coded by a rule a test can recount."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"

CODEBOOK_HEAD = """schema_version: 1
languages: [en, nl]
themes:
  staffing: {en: Staffing, nl: Personeel}
  steering: {en: Steering, nl: Sturing}
attributes:
"""

VARIABLES = """variables:
  staffing.shortage:
    theme: staffing
    type: ordinal
    section: 'Q1'
    label: {en: Shortage of commissioning staff, nl: Tekort aan personeel voor opdrachtgeverschap}
    question: {en: Does the respondent report a shortage of staff?, nl: Meldt de respondent een tekort aan personeel?}
    per_interview: true
    codes:
      none: {en: No shortage, nl: Geen tekort}
      some: {en: Some shortage, nl: Enig tekort}
      severe: {en: Severe shortage, nl: Ernstig tekort}
  staffing.hires_experts:
    theme: staffing
    type: boolean
    section: 'Q2'
    label: {en: Hires outside experts, nl: Huurt externe deskundigen in}
    question: {en: Does the municipality hire outside experts?, nl: Huurt de gemeente externe deskundigen in?}
    per_interview: false
    codes:
      'yes': {en: 'Yes', nl: Ja}
      'no': {en: 'No', nl: Nee}
  steering.council_role:
    theme: steering
    type: nominal
    section: 'Q3'
    label: {en: Role of the council, nl: Rol van de raad}
    question: {en: What role does the council play?, nl: Welke rol speelt de raad?}
    per_interview: true
    codes:
      frames: {en: Sets frameworks, nl: Stelt kaders}
      follows: {en: Follows the executive, nl: Volgt het college}
      absent: {en: Hardly involved, nl: Nauwelijks betrokken}
  steering.digital_tools:
    theme: steering
    type: boolean
    section: 'Q4'
    label: {en: Uses digital tools, nl: Gebruikt digitale hulpmiddelen}
    question: {en: Does the respondent use digital tools to steer?, nl: Gebruikt de respondent digitale hulpmiddelen?}
    per_interview: true
    codes:
      'yes': {en: 'Yes', nl: Ja}
      'no': {en: 'No', nl: Nee}
"""


def _attributes_block() -> str:
    """The shipped codebook's attributes (region, size class) and a province attribute."""
    text = (DATA / "codebook.yaml").read_text(encoding="utf-8")
    start = text.index("attributes:\n") + len("attributes:\n")
    end = text.index("\nvariables:")
    provinces = sorted({r["province"] for r in csv.DictReader((DATA / "municipalities.csv").open(encoding="utf-8"))})
    codes = "".join(f"      {p}: {{en: {p}, nl: {p}}}\n" for p in provinces)
    province = ("  province:\n    type: nominal\n    section: 'Table 1'\n    label: {en: Province, nl: Provincie}\n"
                "    question: {en: The province of the municipality., nl: De provincie van de gemeente.}\n"
                f"    codes:\n{codes}")
    return province + text[start:end].rstrip() + "\n"


def value(i: int, muni: int, variable: str) -> str:
    """The code of interview i (0, 1) of the municipality at position `muni`: a fixed rule."""
    if variable == "staffing.shortage":
        return ("none", "some", "severe")[(muni + i) % 3]
    if variable == "staffing.hires_experts":
        return "yes" if muni % 4 else "no"
    if variable == "steering.council_role":
        return ("frames", "follows", "absent")[(2 * muni + i) % 3]
    return "yes" if (muni + 2 * i) % 5 else "no"


def write_own_study(folder: Path) -> Path:
    """Write the own study into `folder` (created); return it."""
    folder = Path(folder)
    (folder / "interviews").mkdir(parents=True)
    (folder / "codebook.yaml").write_text(CODEBOOK_HEAD + _attributes_block() + VARIABLES, encoding="utf-8")
    shutil.copy(DATA / "municipalities.csv", folder / "municipalities.csv")
    rows = list(csv.DictReader((DATA / "municipalities.csv").open(encoding="utf-8")))
    for m, row in enumerate(rows):
        for i in range(2):
            iid = f"{row['cbs_code']}-{i + 1}"
            lines = [f"interview_id: {iid}", f"municipality: {row['cbs_code']}", "respondent_role: official",
                     "coder: ab", "basis: observed", "values:"]
            for variable in ("staffing.shortage", "staffing.hires_experts", "steering.council_role",
                             "steering.digital_tools"):
                lines.append(f"  {variable}: '{value(i, m, variable)}'")
            (folder / "interviews" / f"{iid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


if __name__ == "__main__":  # pragma: no cover
    import sys

    write_own_study(Path(sys.argv[1]))
