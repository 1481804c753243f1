"""A tiny hand-made store whose indicator values are computed by hand in the tests."""

from __future__ import annotations

import duckdb
import pandas as pd

from store.database import create_schema, import_frame

D = pd.Timestamp


def _participants() -> pd.DataFrame:
    rows = [
        # id, programme, country, dept, muni, sex, age, ethnicity, profile, enrolment, institution
        ("A", "miska_reintegration", "GTM", "13", "1301", "female", 20, "mam", "returnee", "2023-02-01", None),
        ("B", "miska_reintegration", "GTM", "13", "1301", "male", 30, "mam", "returnee", "2022-11-01", None),
        ("C", "regional_support", "COL", "54", "54001", "female", 17, "mestizo", "in_transit", "2024-03-01", None),
        ("D", "prevention_network", "BOL", "02", "020804", "female", 16, "aymara", "at_risk", "2023-03-01", "I1"),
        ("E", "miska_reintegration", "GTM", "12", "1201", "female", 22, "mam", "returnee", "2025-02-01", None),
        ("F", "regional_support", "GTM", "01", "0101", "female", 40, "mestizo", "settled", "2022-01-01", None),
        ("G", "prevention_network", "PER", "21", "210402", "male", 15, "aymara", "at_risk", "2023-03-01", "I2"),
    ]
    frame = pd.DataFrame(rows, columns=[
        "participant_id", "programme", "country", "department_code", "municipality_code", "sex", "age",
        "ethnicity", "migration_profile", "enrolment_date", "institution_id"])
    return frame.assign(enrolment_date=pd.to_datetime(frame["enrolment_date"]))


def _participations() -> pd.DataFrame:
    rows = [
        ("A", "technical_training", "2023-02-01", "2023-05-01", 40, True),
        ("A", "digital_skills", "2023-06-01", "2023-07-01", 20, True),
        ("B", "technical_training", "2022-11-01", "2023-01-15", 30, False),
        ("C", "life_skills", "2024-03-01", "2024-04-01", 12, True),
        ("D", "prevention_agent_training", "2023-03-01", "2023-04-15", 24, True),
        ("E", "technical_training", "2025-02-01", "2025-04-01", 40, True),
        ("F", "life_skills", "2022-01-01", "2022-02-01", 10, True),
        ("F", "employability", "2024-10-01", None, 6, False),
        ("G", "prevention_agent_training", "2023-03-01", "2023-04-15", 24, False),
    ]
    frame = pd.DataFrame(rows, columns=["participant_id", "component", "start_date", "end_date", "hours", "completed"])
    return frame.assign(start_date=pd.to_datetime(frame["start_date"]), end_date=pd.to_datetime(frame["end_date"]))


def _outcomes() -> pd.DataFrame:
    rows = [
        ("A", "employment", "2023-08-01", "services"),
        ("B", "enterprise_started", "2023-09-01", "commerce"),
        ("B", "enterprise_consolidated", "2024-05-01", "commerce"),
        ("E", "employment", "2025-05-01", "agriculture"),
    ]
    frame = pd.DataFrame(rows, columns=["participant_id", "outcome", "date", "sector"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


def _sessions() -> pd.DataFrame:
    rows = [
        ("S1", "2023-05-10", "BOL", "020804", "I1", "trafficking_prevention", "students", 10, 0, 1, 8, 0, 2, 2),
        ("S2", "2024-02-01", "PER", "210402", "I2", "safe_migration", "parents", 3, 4, 6, 0, 5, 7, 1),
        ("S3", "2025-01-15", "PER", "210402", "I2", "safe_migration", "parents", 50, 0, 0, 0, 0, 0, 1),
    ]
    frame = pd.DataFrame(rows, columns=[
        "session_id", "date", "country", "municipality_code", "institution_id", "topic", "audience",
        "female_0_17", "female_18_29", "female_30_plus", "male_0_17", "male_18_29", "male_30_plus",
        "facilitating_agents"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


def tiny_store() -> duckdb.DuckDBPyConnection:
    """An in-memory store with the rows above."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    for dataset, frame in {
        "participants": _participants(), "participations": _participations(),
        "outcomes": _outcomes(), "awareness_sessions": _sessions(),
    }.items():
        import_frame(con, dataset, frame, file_name=f"{dataset}.csv", checksum="test", imported_by="test")
    return con
