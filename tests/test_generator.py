"""The synthetic sample-data generator: determinism, schemas, committed files, figures, geography."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from data_loaders.schemas import ATTENDANCE_COLUMNS, DATASETS
from geo.units import territorial_units
from sample_data.generate import generate, main, write_csv

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
MUNICIPAL_LAYERS = {"BOL": "bol_adm3_lapaz.geojson", "PER": "per_adm3_puno.geojson"}


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate(1, 2024)


@pytest.fixture(scope="module")
def frames_x3() -> dict[str, pd.DataFrame]:
    return generate(3, 2024)


def figures(f: dict[str, pd.DataFrame]) -> dict[str, int]:
    """The six headline indicators, by their written definitions, with plain pandas."""
    people, parts, outcomes = f["participants"], f["participations"], f["outcomes"]
    programme = people.set_index("participant_id")["programme"]
    end = parts["end_date"].fillna(parts["start_date"])
    served = pd.Index(parts.loc[(parts["start_date"] <= END) & (end >= START), "participant_id"].unique())
    miska = served[programme.loc[served].to_numpy() == "miska_reintegration"]
    dated = outcomes[outcomes["date"].between(START, END) & outcomes["participant_id"].isin(miska)]
    trained = parts[(parts["component"] == "prevention_agent_training") & parts["completed"]
                    & parts["end_date"].between(START, END)]["participant_id"].unique()
    sessions = f["awareness_sessions"]
    return {
        "served": len(served),
        "miska": len(miska),
        "employed": dated.loc[dated["outcome"] == "employment", "participant_id"].nunique(),
        "enterprises": dated.loc[dated["outcome"].str.startswith("enterprise_"), "participant_id"].nunique(),
        "agents": int((programme.loc[trained] == "prevention_network").sum()),
        "sensitized": int(sessions.loc[sessions["date"].between(START, END), list(ATTENDANCE_COLUMNS)].sum().sum()),
        "regional": int((programme.loc[served] == "regional_support").sum()),
        "sessions": int(sessions["date"].between(START, END).sum()),
    }


def test_same_seed_gives_equal_frames(frames):
    again = generate(1, 2024)
    for name in DATASETS:
        pd.testing.assert_frame_equal(frames[name], again[name])


def test_other_seed_gives_other_frames(frames):
    other = generate(1, 7)
    for name in ("participants", "participations", "awareness_sessions", "network_institutions"):
        assert not frames[name].equals(other[name]), name
    assert figures(other)["served"] == figures(frames)["served"]  # counts are allocated, not drawn


@pytest.mark.parametrize("name", list(DATASETS))
def test_frames_pass_their_schema(frames, name):
    DATASETS[name].validate(frames[name], lazy=True)
    assert list(frames[name].columns) == list(DATASETS[name].columns)


def test_committed_csvs_are_the_generator_output(frames, tmp_path):
    write_csv(frames, tmp_path)
    for name in DATASETS:
        committed = SAMPLE / f"{name}.csv"
        assert committed.read_bytes() == (tmp_path / f"{name}.csv").read_bytes(), (
            f"{committed} differs from generate(1, 2024): run python -m sample_data.generate")


def test_csv_form_keeps_codes_dates_and_booleans():
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str, keep_default_na=False)
    assert people["municipality_code"].str.startswith("0").any()  # e.g. Bolivian 020804
    assert people["enrolment_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert (people["institution_id"] == "").sum() > 0
    parts = pd.read_csv(SAMPLE / "participations.csv", dtype=str, keep_default_na=False)
    assert set(parts["completed"]) == {"true", "false"}
    assert (parts["end_date"] == "").any()


def test_cli_writes_every_dataset(tmp_path):
    assert main(["--scale", "1", "--seed", "5", "--out", str(tmp_path), "--no-raw"]) == 0
    assert sorted(p.stem for p in tmp_path.glob("*.csv")) == sorted(DATASETS)


def test_headline_figures_at_scale_1(frames):
    got = figures(frames)
    assert 134 <= got["miska"] <= 138
    assert 44 <= got["employed"] <= 48
    assert 30 <= got["enterprises"] <= 40
    assert 520 <= got["agents"] <= 545
    assert 1500 <= got["sensitized"] <= 1600
    assert 90 <= got["sessions"] <= 100
    assert 780 <= got["regional"] <= 800
    assert 1450 <= got["served"] <= 1480


def test_some_activity_lies_outside_the_period(frames):
    people, outcomes = frames["participants"], frames["outcomes"]
    miska = people[people["programme"] == "miska_reintegration"]
    assert 130 <= len(miska) <= 150
    assert (miska["enrolment_date"].dt.year == 2022).sum() > 0 and (miska["enrolment_date"].dt.year == 2025).sum() > 0
    assert (outcomes["date"].dt.year == 2025).sum() > 0
    assert (frames["awareness_sessions"]["date"] > END).sum() > 0
    assert len(people[people["programme"] == "prevention_network"]) == pytest.approx(560, abs=10)


def test_scale_3_triples_the_counts(frames, frames_x3):
    one, three = figures(frames), figures(frames_x3)
    for key, value in one.items():
        assert three[key] == pytest.approx(3 * value, rel=0.02), key
    for name in ("participants", "participations", "outcomes", "awareness_sessions"):
        assert len(frames_x3[name]) == pytest.approx(3 * len(frames[name]), rel=0.05), name
    assert len(frames_x3["network_institutions"]) == len(frames["network_institutions"])


def test_shares_of_women_and_young_people(frames):
    people = frames["participants"]
    miska = people[people["programme"] == "miska_reintegration"]
    agents = people[people["programme"] == "prevention_network"]
    assert 0.6 <= (miska["sex"] == "female").mean() <= 0.7
    assert 0.65 <= miska["age"].between(15, 29).mean() <= 0.75
    assert 0.75 <= agents["age"].between(15, 24).mean() <= 0.85
    assert 0.54 <= (agents["sex"] == "female").mean() <= 0.62
    assert (agents["ethnicity"] == "aymara").mean() > 0.7
    assert (miska["migration_profile"] == "returnee").mean() > 0.7


def test_ids_are_pseudonymous_and_unique(frames):
    ids = frames["participants"]["participant_id"]
    assert ids.is_unique and ids.str.fullmatch(r"P[0-9A-F]{8}").all()
    known = set(ids)
    for name in ("participations", "outcomes", "reintegration_surveys"):
        assert set(frames[name]["participant_id"]) <= known, name


def test_codes_exist_in_the_catalogue(frames):
    units = territorial_units()
    municipalities = units[units["level"] == "municipality"]
    triples = set(zip(municipalities["country"], municipalities["department_code"], municipalities["code"]))
    people = frames["participants"]
    assert set(zip(people["country"], people["department_code"], people["municipality_code"])) <= triples
    pairs = {(c, m) for c, _, m in triples}
    for name in ("awareness_sessions", "network_institutions", "municipal_policies", "base_organisations"):
        assert set(zip(frames[name]["country"], frames[name]["municipality_code"])) <= pairs, name
    regional = people[people["programme"] == "regional_support"]
    assert set(regional["country"]) == {"GTM", "BOL", "COL"}


def test_institutions_lie_inside_their_municipality(frames):
    inst = frames["network_institutions"]
    for country, file_name in MUNICIPAL_LAYERS.items():
        layer = gpd.read_file(SAMPLE / "geo" / file_name).set_index("code")
        rows = inst[inst["country"] == country]
        shapes = layer.geometry.loc[rows["municipality_code"]].to_numpy()
        assert shapely.contains_xy(shapes, rows["lon"].to_numpy(), rows["lat"].to_numpy()).all(), country
    assert inst["country"].value_counts().to_dict() == {"BOL": 20, "PER": 20}
    assert inst["type"].value_counts().index[0] == "school"


def test_agents_belong_to_an_institution_of_their_municipality(frames):
    people = frames["participants"]
    agents = people[people["programme"] == "prevention_network"]
    inst = frames["network_institutions"].set_index("institution_id")
    assert (inst.loc[agents["institution_id"], "municipality_code"].to_numpy() == agents["municipality_code"]).all()
    assert people.loc[people["programme"] != "prevention_network", "institution_id"].isna().all()
    top_two = agents["municipality_code"].value_counts().index[:2]
    desaguadero = inst.loc[inst["name"].str.contains("Desaguadero"), "municipality_code"].unique()
    assert set(top_two) == set(desaguadero)


def test_ties_are_a_simple_binational_graph(frames):
    tie, inst = frames["network_ties"], frames["network_institutions"].set_index("institution_id")
    assert 80 <= len(tie) <= 100
    assert (tie["source_id"] < tie["target_id"]).all()  # undirected, no self-loops
    assert not tie.duplicated(["source_id", "target_id"]).any()
    cross = inst.loc[tie["source_id"], "country"].to_numpy() != inst.loc[tie["target_id"], "country"].to_numpy()
    assert 0.15 <= cross.mean() <= 0.25
    joined = np.maximum(inst.loc[tie["source_id"], "joined_date"].to_numpy(),
                        inst.loc[tie["target_id"], "joined_date"].to_numpy())
    assert (tie["since_date"].to_numpy() > joined).all()


def test_dates_are_in_order(frames):
    people = frames["participants"].set_index("participant_id")
    parts = frames["participations"]
    assert (parts["end_date"].isna() | (parts["end_date"] > parts["start_date"])).all()
    assert (parts["start_date"] >= people.loc[parts["participant_id"], "enrolment_date"].to_numpy()).all()
    outcomes = frames["outcomes"]
    assert (outcomes["date"] > people.loc[outcomes["participant_id"], "enrolment_date"].to_numpy()).all()
    sessions = frames["awareness_sessions"].merge(frames["network_institutions"], on="institution_id")
    assert (sessions["date"] >= sessions["joined_date"]).all()
    assert sessions["facilitating_agents"].between(1, 4).all()


def test_surveys_improve_most_in_psychosocial(frames):
    surveys = frames["reintegration_surveys"]
    wide = surveys.pivot(index="participant_id", columns="round", values="date").dropna()
    months = (wide["follow_up"] - wide["baseline"]).dt.days / 30.44
    assert months.between(5.9, 10.1).all()
    means = surveys.groupby("round")[["economic", "social", "psychosocial"]].mean()
    gain = means.loc["follow_up"] - means.loc["baseline"]
    assert (gain > 0).all() and gain["psychosocial"] > gain["economic"]
    miska = frames["participants"]["programme"] == "miska_reintegration"
    assert (surveys["round"] == "baseline").sum() == miska.sum()


def test_policies_and_organisations(frames):
    policies = frames["municipal_policies"]
    assert 8 <= policies["policy_name"].nunique() <= 11
    assert set(policies["country"]) == {"GTM", "BOL", "PER"}
    for _, history in policies.groupby("policy_name"):
        assert list(history["status"]) == ["in_design", "approved", "in_implementation"][: len(history)]
        assert history["status_date"].is_monotonic_increasing
    orgs = frames["base_organisations"]
    assert "AMIDEGA" in set(orgs["name"])
    assert orgs["members"].between(12, 150).all()
    assert (orgs["capacity_follow_up"] > orgs["capacity_baseline"]).mean() > 0.5
