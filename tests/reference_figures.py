"""The headline figures recomputed with plain pandas from the canonical CSV files.

An independent oracle for the page and browser tests: it shares no code with `indicators`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"

START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")


def _read(folder: Path, name: str, dates: list[str]) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False).assign(
        **{d: lambda f, d=d: pd.to_datetime(f[d].replace("", None)) for d in dates})


def headline_figures(folder: Path) -> dict[str, int]:
    people = _read(folder, "participants", ["enrolment_date"])
    parts = _read(folder, "participations", ["start_date", "end_date"])
    outcomes = _read(folder, "outcomes", ["date"])
    sessions = _read(folder, "awareness_sessions", ["date"])
    programme = people.set_index("participant_id")["programme"]

    end = parts["end_date"].fillna(parts["start_date"])
    active = parts[(parts["start_date"] <= END) & (end >= START)]["participant_id"].unique()
    in_period = outcomes[outcomes["date"].between(START, END)]
    employed = in_period[in_period["outcome"] == "employment"]["participant_id"].unique()
    enterprises = in_period[in_period["outcome"].str.startswith("enterprise")]["participant_id"].unique()
    trained = parts[(parts["component"] == "prevention_agent_training") & (parts["completed"] == "true")
                    & parts["end_date"].between(START, END)]["participant_id"].unique()
    attendance = [c for c in sessions.columns if c.startswith(("female_", "male_"))]
    sessions_in_period = sessions[sessions["date"].between(START, END)]

    def miska(ids):
        return int((programme.loc[ids] == "miska_reintegration").sum())

    return {
        "people_served": len(active),
        "miska_participants": miska(active),
        "miska_employed": miska(employed),
        "miska_enterprises": miska(enterprises),
        "agents_trained": int((programme.loc[trained] == "prevention_network").sum()),
        "people_sensitized": int(sessions_in_period[attendance].astype(int).to_numpy().sum()),
    }


@lru_cache(maxsize=None)
def _sample_families() -> dict:
    """The sample data's publication families with their fates (from the session's fates cache)."""
    import tempfile

    import settings
    from data_loaders.canonical import read_dataset
    from publication.sources import FAMILY_INDICATORS, PROTECTED_FAMILIES, protected_family_id, published_family
    from store.database import build_store, open_store

    path = Path(tempfile.mkdtemp()) / "conexion.duckdb"
    build_store(path, SAMPLE, lambda file, dataset: read_dataset(file, dataset).frame)
    connection = open_store(path)
    protected = {f: published_family(connection, f, settings.suppression_threshold(), int(settings.get("audit_margin")),
                                     settings.cache_dir()) for f in PROTECTED_FAMILIES}
    connection.close()
    return {i: protected[protected_family_id(i)] for i in (*FAMILY_INDICATORS, *PROTECTED_FAMILIES)}


def _cell(indicator: str, start: str, end: str, territory: tuple, population: tuple) -> tuple:
    """(family id, cell identity) of one figure (`publication.family`)."""
    import datetime as dt

    from publication.published import family_of

    family_id, prefix = family_of(indicator)
    return family_id, (family_id, (dt.date.fromisoformat(start), dt.date.fromisoformat(end)), territory,
                       (*prefix, *population))


def published_fate(indicator: str, start: str, end: str, territory: tuple = (), population: tuple = ()) -> str:
    """The fate the sample data's publication family gives one cell (`publication.protection`: published, small …);
    a cell the family does not offer (a single year with a breakdown offered for the reporting period only) is
    withheld."""
    from publication.family import offered
    from publication.protection import PUBLISHED, WITHHELD

    family_id, cell = _cell(indicator, start, end, territory, population)
    published = _sample_families()[family_id]
    if not offered(cell, published.family.periods):
        return WITHHELD
    return published.protection.fates.get(cell, PUBLISHED)


def published_text(indicator: str, start: str, end: str, territory: tuple = (), population: tuple = (),
                   lang: str = "es") -> str:
    """How a page shows one cell of the sample data: its count if the family publishes it, else the reading of
    its kind of hidden ('menos de 5', 'oculta', 'no publicada')."""
    import i18n
    from publication.protection import PUBLISHED
    from publication.published import hidden_of

    fate = published_fate(indicator, start, end, territory, population)
    if fate != PUBLISHED:
        return i18n.hidden_mark(hidden_of(fate), lang)
    family_id, cell = _cell(indicator, start, end, territory, population)
    return i18n.format_number(_sample_families()[family_id].family.values.get(cell, 0), lang)
