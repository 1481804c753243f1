"""Write the sample data again as the programme receives it: a Kobo export and a field CSV.

`write_raw_exports(canonical_dir, raw_dir)` turns the canonical sample CSVs into
`miska_registro_kobo.xlsx` (the MISKA registration form exported from KoboToolbox, with the
spelling noise of real forms) and `sesiones_sensibilizacion_campo.csv` (a field team's
Latin-1, `;`, dd/mm/yyyy spreadsheet). Reading them back with the loaders gives the
canonical rows again. Output is seeded and byte-identical across runs.
Run: python -m sample_data.raw_exports [canonical_dir] [raw_dir]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
import unicodedata
import uuid
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.xml.functions import tostring

import settings
from data_loaders import catalogue
from data_loaders import field_sessions as field
from data_loaders import kobo_form as form
from data_loaders.canonical import read_dataset
from data_loaders.errors import Problem
from data_loaders.municipality_names import (DEPARTMENT_ALIASES, MUNICIPALITY_ALIASES, match_department,
                                             match_municipality)
from data_loaders.vocabulary import spanish_label

SEED = 20240601
KOBO_FILE = "miska_registro_kobo.xlsx"
FIELD_FILE = "sesiones_sensibilizacion_campo.csv"
KOBO_SHEET = "Registro MISKA"
HEADER_STYLES = ("xml", "xml_no_groups", "labels")
FIXED_TIME = dt.datetime(2025, 7, 1, 12, 0, 0)  # workbook properties and zip entry times
ZIP_TIME = (2025, 7, 1, 12, 0, 0)
FORM_VERSION = "vQm7xZ2bN8kR4tW9pL3sYd"
FIRST_KOBO_ID = 318_204_511
# Neutral facilitator notes: the loader must drop this free text (never names or personal facts).
NOTES = ("Participa los sábados", "Prefiere sesiones por la tarde", "Solicita materiales en su idioma",
         "Se inscribió en la feria municipal", "", "", "")
META_AFTER = ("_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
              "_submitted_by", "__version__", "_tags", "_index")


# --- Spelling noise of names typed in forms --------------------------------------------------

def _strip_marks(text: str) -> str:
    """'Sacatepéquez' -> 'Sacatepequez'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _variant(name: str, aliases: list[str], rng: random.Random) -> str:
    """The name as someone might type it: as official, upper case without accents, an alias, …"""
    draw = rng.random()
    if aliases and draw < 0.35:
        return rng.choice(aliases)
    if draw < 0.55:
        return name
    if draw < 0.7:
        return _strip_marks(name).upper()
    if draw < 0.8:
        return name.lower()
    if draw < 0.9:
        return name + " "
    return name.replace(" ", "  ", 1) if " " in name else " " + name


def _aliases(table: dict[str, dict[str, str]], country: str, code: str) -> list[str]:
    return [alias for alias, target in table.get(country, {}).items() if target == code]


def place_names(country: str, department_code: str | None, municipality_code: str,
                rng: random.Random) -> tuple[str | None, str]:
    """(department text, municipality text) that the name matcher resolves back to the codes.

    Falls back to the official name, then to the code, when a variant would not resolve.
    """
    unit = catalogue.municipality(country, municipality_code)
    department = None
    if department_code is not None:
        official = catalogue.department(country, department_code).name
        department = _variant(official, _aliases(DEPARTMENT_ALIASES, country, department_code), rng)
        found = match_department(department, country)
        department = department if not isinstance(found, Problem) and found.code == department_code else official
    for text in (_variant(unit.name, _aliases(MUNICIPALITY_ALIASES, country, unit.code), rng), unit.name):
        found = match_municipality(text, country, department)
        if not isinstance(found, Problem) and found.code == municipality_code:
            return department, text
    return department, municipality_code


# --- KoboToolbox export ----------------------------------------------------------------------

def _components_by_participant(canonical_dir: Path) -> dict[str, set[str]]:
    parts = read_dataset(canonical_dir / "participations.csv", "participations").frame
    miska = parts[parts["component"].isin([c.canonical for c in form.CHOICES[form.SELECT_MULTIPLE]])]
    return {pid: set(group) for pid, group in miska.groupby("participant_id")["component"]}


def _question_header(q: form.Question, style: str) -> str:
    if style == "labels":
        return q.label
    return form.xml_header(q, with_group=style == "xml")


def _flag_header(choice: form.Choice, style: str) -> str:
    q = form.question(form.SELECT_MULTIPLE)
    if style == "labels":
        return f"{q.label}/{choice.label}"
    return f"{_question_header(q, style)}/{choice.name}"


def kobo_headers(style: str) -> list[str]:
    """Column headers of the export in Kobo's order."""
    headers = ["start", "end"]
    for q in form.QUESTIONS:
        headers.append(_question_header(q, style))
        if q.name == form.SELECT_MULTIPLE:
            headers += [_flag_header(c, style) for c in form.CHOICES[form.SELECT_MULTIPLE]]
    return headers + ["meta/instanceID" if style != "labels" else "instanceID", *META_AFTER]


def _choice_text(list_name: str, canonical: str, style: str) -> str:
    choice = form.choice_for(list_name, canonical)
    return choice.label if style == "labels" else choice.name


def _kobo_row(person: pd.Series, index: int, components: set[str], style: str, rng: random.Random) -> list:
    department, municipality = place_names("GTM", person["department_code"], person["municipality_code"], rng)
    enrolled = person["enrolment_date"].date()
    submitted = dt.datetime.combine(enrolled, dt.time(9)) + dt.timedelta(seconds=rng.randrange(8 * 3600))
    started = submitted - dt.timedelta(minutes=rng.randrange(8, 40))
    chosen = [c for c in form.CHOICES[form.SELECT_MULTIPLE] if c.canonical in components]
    chosen_text = " ".join(c.label if style == "labels" else c.name for c in chosen)
    flags = [1 if c in chosen else 0 for c in form.CHOICES[form.SELECT_MULTIPLE]]
    row_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    pid = person["participant_id"] + (" " if rng.random() < 0.05 else "")
    return [
        started.isoformat(timespec="milliseconds") + "-06:00", submitted.isoformat(timespec="milliseconds") + "-06:00",
        pid, _choice_text("sexo", person["sex"], style), int(person["age"]),
        _choice_text("pueblo", person["ethnicity"], style), _choice_text("perfil", person["migration_profile"], style),
        department, municipality, enrolled, chosen_text, *flags, rng.choice(NOTES),
        f"uuid:{row_uuid}", FIRST_KOBO_ID + index, row_uuid, submitted.isoformat(timespec="seconds"),
        "validation_status_approved" if rng.random() < 0.7 else "", "", "submitted_via_web", "",
        FORM_VERSION, "", index + 1,
    ]


def _deterministic_xlsx(workbook: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed document properties and zip entry times, so runs are byte-identical."""
    workbook.properties.creator = "KoboToolbox"
    workbook.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    workbook.properties.modified = FIXED_TIME  # save() stamps the current time; put ours back
    core = tostring(workbook.properties.to_tree())
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = core if item.filename == "docProps/core.xml" else source.read(item.filename)
            entry = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)


def write_kobo_export(canonical_dir: Path, path: Path, header_style: str = "xml", seed: int = SEED) -> Path:
    """The MISKA participants as a KoboToolbox XLSX export of the registration form."""
    if header_style not in HEADER_STYLES:
        raise ValueError(f"header_style must be one of {HEADER_STYLES}, not {header_style!r}")
    people = read_dataset(canonical_dir / "participants.csv", "participants").frame
    people = people[people["programme"] == form.PROGRAMME]
    components = _components_by_participant(canonical_dir)
    rng = random.Random(seed)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = KOBO_SHEET
    sheet.append(kobo_headers(header_style))
    for index, (_, person) in enumerate(people.iterrows()):
        sheet.append(_kobo_row(person, index, components.get(person["participant_id"], set()), header_style, rng))
    _deterministic_xlsx(workbook, path)
    return path


# --- Field team's CSV ------------------------------------------------------------------------

def _field_row(session: pd.Series, rng: random.Random) -> list:
    _, municipality = place_names(session["country"], None, session["municipality_code"], rng)
    values = {
        "session_id": session["session_id"],
        "date": session["date"].strftime(field.DATE_FORMAT),
        "country": spanish_label("country", session["country"]),
        "municipality_name": municipality,
        "institution_id": session["institution_id"],
        "topic": spanish_label("topic", session["topic"]),
        "audience": spanish_label("audience", session["audience"]),
    }
    return [values[c] if c in values else int(session[c]) for c in field.FIELD_COLUMNS]


def write_field_sessions(canonical_dir: Path, path: Path, seed: int = SEED) -> Path:
    """The awareness sessions as a field team's CSV (Latin-1, `;`, dd/mm/yyyy, Spanish words)."""
    sessions = read_dataset(canonical_dir / "awareness_sessions.csv", "awareness_sessions").frame
    rng = random.Random(seed + 1)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=field.SEPARATOR, lineterminator=field.LINE_TERMINATOR)
    writer.writerow([field.field_header(c) for c in field.FIELD_COLUMNS])
    for _, session in sessions.iterrows():
        writer.writerow(_field_row(session, rng))
    path.write_bytes(text.getvalue().encode(field.ENCODING))
    return path


def write_raw_exports(canonical_dir: Path, raw_dir: Path, header_style: str = "xml") -> dict[str, Path]:
    """Write the Kobo export and the field CSV from the canonical CSVs; returns their paths."""
    raw_dir = Path(raw_dir)
    raw_dir.mkdir(parents=True, exist_ok=True)
    return {
        "kobo": write_kobo_export(Path(canonical_dir), raw_dir / KOBO_FILE, header_style),
        "field_sessions": write_field_sessions(Path(canonical_dir), raw_dir / FIELD_FILE),
    }


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else settings.sample_dir()
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else source / "raw"
    for written in write_raw_exports(source, target).values():
        print(f"Wrote {written}")
