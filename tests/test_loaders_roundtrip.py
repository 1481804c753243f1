"""write_raw_exports then the loaders give the canonical rows back, byte-identical on every run."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from data_loaders.canonical import read_dataset
from data_loaders.field_sessions import read_field_sessions
from data_loaders.kobo import read_kobo_registration
from sample_data.raw_exports import FIELD_FILE, KOBO_FILE, write_raw_exports
from tests.fixtures.loaders.expected import NA, frame

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
# MISKA places chosen for their traps: two San Pedro Sacatepéquez, Ayutla (Tecún Umán), Quetzaltenango.
MISKA_PLACES = [("12", "1202"), ("01", "0109"), ("12", "1217"), ("09", "0901"), ("13", "1301"), ("13", "1315"),
                ("14", "1413"), ("08", "0801")]
COMPONENT_SETS = [("technical_training", "psychosocial_support"), ("digital_skills",), (),
                  ("community_leadership", "entrepreneurship", "technical_training")]
# Sessions in Desaguadero on both sides, Taraco on both sides, and an ambiguous Santa Rosa.
SESSION_PLACES = [("BOL", "020804"), ("PER", "210402"), ("BOL", "020807"), ("PER", "210607"), ("PER", "210504"),
                  ("BOL", "020803")]


def _participants() -> pd.DataFrame:
    rows = [(f"MSK-{i:03d}", "miska_reintegration", "GTM", *MISKA_PLACES[i % len(MISKA_PLACES)],
             ("female", "male", "other")[i % 3], 16 + i, ("mam", "kiche", "qanjobal", "mestizo", "not_stated")[i % 5],
             ("returnee", "at_risk", "host_community")[i % 3], f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", NA)
            for i in range(40)]
    rows.append(("PRV-001", "prevention_network", "BOL", "02", "020804", "female", 15, "aymara", "at_risk",
                 "2023-05-02", "INS-BOL-01"))
    return frame("participants", rows)


def _participations(people: pd.DataFrame) -> pd.DataFrame:
    rows = [(pid, component, "2024-02-01", NA, 10.0, False)
            for i, pid in enumerate(people["participant_id"][:-1])
            for component in COMPONENT_SETS[i % len(COMPONENT_SETS)]]
    rows.append(("PRV-001", "prevention_agent_training", "2023-05-02", "2023-06-30", 24.0, True))
    return frame("participations", rows)


def _sessions() -> pd.DataFrame:
    rows = [(f"S{i:04d}", f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", *SESSION_PLACES[i % len(SESSION_PLACES)],
             f"INS-{SESSION_PLACES[i % len(SESSION_PLACES)][0]}-01",
             ("trafficking_prevention", "gender_violence", "safe_migration", "child_protection", "digital_safety")[i % 5],
             ("students", "parents", "teachers", "community", "authorities")[i % 5], i, 2, 0, i + 1, 1, 3, 1 + i % 4)
            for i in range(24)]
    return frame("awareness_sessions", rows)


@pytest.fixture(scope="module")
def canonical(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("canonical")
    people = _participants()
    people.to_csv(folder / "participants.csv", index=False, date_format="%Y-%m-%d")
    _participations(people).to_csv(folder / "participations.csv", index=False, date_format="%Y-%m-%d")
    _sessions().to_csv(folder / "awareness_sessions.csv", index=False, date_format="%Y-%m-%d")
    return folder


def _miska(people: pd.DataFrame) -> pd.DataFrame:
    return people[people["programme"] == "miska_reintegration"].reset_index(drop=True)


@pytest.mark.parametrize("header_style", ["xml", "xml_no_groups", "labels"])
def test_kobo_export_reads_back_as_the_miska_participants(canonical, tmp_path, header_style):
    paths = write_raw_exports(canonical, tmp_path, header_style=header_style)
    result = read_kobo_registration(paths["kobo"])
    pd.testing.assert_frame_equal(result.frame.drop(columns="components"), _miska(_participants()))
    # Components come back in the form's order, whatever the order of the participations.
    assert result.frame["components"].tolist()[:4] == [
        ("technical_training", "psychosocial_support"), ("digital_skills",), (),
        ("technical_training", "community_leadership", "entrepreneurship"),
    ]
    assert result.frame["components"].tolist() == result.frame["components"].tolist()[:4] * 10


def test_kobo_export_carries_the_noise_the_loader_fixes(canonical, tmp_path):
    result = read_kobo_registration(write_raw_exports(canonical, tmp_path)["kobo"])
    codes = {p.code for p in result.fixes}
    assert {"trimmed_spaces", "municipality_name_matched", "free_text_dropped"} <= codes
    assert any(p.value == "Quezaltenango" or p.value == "Tecún Umán" for p in result.fixes)
    sheet = openpyxl.load_workbook(tmp_path / KOBO_FILE, read_only=True).active
    headers = next(sheet.iter_rows(values_only=True))
    assert {"_uuid", "_submission_time", "_id", "_index", "_validation_status", "start", "end",
            "datos_personales/sexo", "inscripcion/componentes/tecnica", "cierre/observaciones"} <= set(headers)


def test_field_csv_reads_back_as_the_sessions(canonical, tmp_path):
    path = write_raw_exports(canonical, tmp_path)["field_sessions"]
    pd.testing.assert_frame_equal(read_field_sessions(path).frame, _sessions())
    first_line = path.read_bytes().split(b"\r\n")[0].decode("latin-1")
    assert first_line.startswith("Código sesión;Fecha;País;Municipio;Código institución;Tema;Público;")
    assert path.read_bytes().split(b"\r\n")[1].split(b";")[1] == b"01/01/2023"


def test_exports_are_byte_identical_across_runs(canonical, tmp_path):
    first = write_raw_exports(canonical, tmp_path / "one")
    second = write_raw_exports(canonical, tmp_path / "two")
    for name in (KOBO_FILE, FIELD_FILE):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert set(first) == set(second) == {"kobo", "field_sessions"}


def test_sample_data_round_trip(tmp_path):
    if not (SAMPLE / "participants.csv").exists():
        pytest.skip("the sample data has not been generated")
    paths = write_raw_exports(SAMPLE, tmp_path)
    people = read_dataset(SAMPLE / "participants.csv", "participants").frame
    kobo = read_kobo_registration(paths["kobo"]).frame
    pd.testing.assert_frame_equal(kobo.drop(columns="components"), _miska(people))
    sessions = read_dataset(SAMPLE / "awareness_sessions.csv", "awareness_sessions").frame
    pd.testing.assert_frame_equal(read_field_sessions(paths["field_sessions"]).frame, sessions)
