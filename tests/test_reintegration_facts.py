"""The MISKA person facts give the Reintegration page the same survey rows as the direct query of
indicators.reintegration, under every filter they answer; its counts come from the same facts through the
publication family (tests/test_reintegration.py checks them against pandas)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from indicators import reintegration_facts as miska_facts
from indicators.filters import Filters
from store.reintegration import survey_means

D = dt.date
WEIGHTS = {"economic": 0.4, "social": 0.3, "psychosocial": 0.3}
PERIODS = [(D(2023, 1, 1), D(2024, 12, 31)), (D(2024, 1, 1), D(2024, 12, 31)), (D(2022, 1, 1), D(2025, 12, 31)),
           (D(2023, 4, 1), D(2023, 9, 30)), (D(2025, 1, 1), D(2025, 6, 30)), (D(2019, 1, 1), D(2020, 12, 31))]
FILTERS = [{}, {"sexes": ("female",)}, {"age_groups": ("15_24", "25_34")},
           {"bracket_set": "gt_youth", "age_groups": ("13_29",)}, {"departments": (("GTM", "13"),)},
           {"municipalities": (("GTM", "1301"), ("GTM", "1201"))}, {"ethnicities": ("mam", "kiche")},
           {"sexes": ("male",), "ethnicities": ("mestizo",)}]


@pytest.fixture(scope="module")
def con(sample_con):
    return sample_con


@pytest.fixture(scope="module")
def facts(con):
    return miska_facts.build(con)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["group_by", "group"]).reset_index(drop=True)


def test_one_row_per_miska_participant_with_a_participation_or_an_outcome(con, facts):
    people = con.execute("SELECT count(*) FROM participants p WHERE programme = 'miska_reintegration' AND ("
                         "EXISTS (SELECT 1 FROM participations a WHERE a.participant_id = p.participant_id) OR "
                         "EXISTS (SELECT 1 FROM outcomes o WHERE o.participant_id = p.participant_id))").fetchone()[0]
    assert facts.table.num_rows == people > 100


def test_an_outcome_without_participation_counts_as_the_registry_counts_it(tmp_path):
    """A MISKA participant with a job and no participation record: the registry counts the job, and so does the
    people family, as an employed person outside the period's participants (no relation is left untrue)."""
    from data_loaders.canonical import read_dataset
    from publication.sources import protected_family
    from store.database import build_store, open_store
    from tests.conftest import SAMPLE

    path = tmp_path / "conexion.duckdb"
    build_store(path, SAMPLE, lambda file, dataset: read_dataset(file, dataset).frame)
    store = open_store(path, read_only=False)  # this test writes a row the app never would
    store.execute("INSERT INTO participants SELECT 'PNOPART', programme, country, department_code, municipality_code, "
                  "sex, age, ethnicity, migration_profile, enrolment_date, institution_id FROM participants "
                  "WHERE programme = 'miska_reintegration' LIMIT 1")
    store.execute("INSERT INTO outcomes SELECT 'PNOPART', outcome, date, sector FROM outcomes "
                  "WHERE outcome = 'employment' AND year(date) = 2024 LIMIT 1")
    family = protected_family(store, "people")
    period = (D(2023, 1, 1), D(2024, 12, 31))
    assert family.values[("miska_employed", period, ("GTM",), ())] == 47
    assert family.values[("miska:employed-not-enrolled", period, ("GTM",), ())] == 1
    assert family.values[("people_served", period, ("GTM",), (("programme", "miska_reintegration"),))] == 136


@pytest.mark.parametrize("start, end", PERIODS)
def test_survey_rows_equal_the_direct_query(con, facts, start, end):
    surveyed = 0
    for extra in FILTERS:
        filters = Filters(start=start, end=end, **extra)
        assert miska_facts.answers(filters)
        direct = survey_means(con, filters, WEIGHTS, None)
        fast = survey_means(con, filters, WEIGHTS, facts)
        assert_frame_equal(_sorted(fast), _sorted(direct), check_dtype=False, rtol=1e-9)
        surveyed += int(direct.loc[direct["group_by"] == "total", "surveyed"].sum())
    if (start, end) == PERIODS[0]:
        assert surveyed > 0  # the comparison covered real people


@pytest.mark.parametrize("filters", [
    Filters(start=D(2023, 2, 1), end=D(2024, 12, 31)),  # not whole quarters
    Filters(start=D(2023, 1, 1), end=D(2024, 12, 31), components=("digital_skills",)),
])
def test_what_the_facts_cannot_answer_is_queried_directly(con, facts, filters):
    assert not miska_facts.answers(filters)
    assert_frame_equal(_sorted(survey_means(con, filters, WEIGHTS, facts)),
                       _sorted(survey_means(con, filters, WEIGHTS, None)))


def test_stages_that_disagree_with_the_registry_are_left_out_and_nothing_else_is_lost(con, monkeypatch, caplog):
    """A store where the stages cannot be tied to the registry still publishes every other people figure; the
    Reintegration page then reads its stages as not offered."""
    import i18n
    from publication import miska
    from publication.sources import protected_family
    from publication.published import PublishedFamily
    from publication.protection import Protection
    from publication.reintegration import figures as reintegration_figures

    def disagree(*args, **kwargs):
        raise ValueError("miska_employed: the MISKA facts and the registry disagree on 1 cells")

    monkeypatch.setattr(miska, "stage_families", disagree)
    family = protected_family(con, "people")
    assert "left out" in caplog.text
    assert not any(cell[0].startswith("miska:") for cell in family.values)
    assert family.values[("people_served", (D(2023, 1, 1), D(2024, 12, 31)), (), ())] == 1470
    published = PublishedFamily(family, Protection({}, 0, frozenset()))
    shown = reintegration_figures(published, Filters(), survey_means(con, Filters(), WEIGHTS, None), 5, WEIGHTS)
    funnel = shown.funnel.set_index("stage")
    assert funnel.loc["technical_training", "hidden"] == i18n.NOT_OFFERED
    assert funnel.loc["enrolled", "value"] == 136  # people served of MISKA: the registry's own figure
