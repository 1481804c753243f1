"""The load script's light websocket client still drives the real server (benchmarks/client.py, load.py).

One session against `streamlit run dashboard.py` started by the load script's own Server class:
it signs in through the real form as liderazgo, gets the overview, changes the sex filter and
the period, and each rerun must finish without errors and show the figure recomputed here with
pandas from sample_data. No browser is needed; the server takes a few seconds to start.
"""

from __future__ import annotations

import asyncio

import pandas as pd
import pytest

import i18n
from benchmarks.client import StreamlitSession
from benchmarks.load import REINTEGRATION, TERRITORIAL_MAP, Server, SessionLog, free_port, sign_in
from tests.conftest import SAMPLE
from tests.reference_figures import published_text

SERVED = i18n.translate("indicator.people_served.label", "es")


def people_served(start: str, end: str, sex: str | None = None) -> int:
    """Distinct participants with a participation overlapping the period (optionally of one sex)."""
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str)
    parts = pd.read_csv(SAMPLE / "participations.csv", dtype=str, keep_default_na=False)
    begin, finish = pd.to_datetime(parts["start_date"]), pd.to_datetime(parts["end_date"].replace("", None))
    finish = finish.fillna(begin)
    active = set(parts[(begin <= pd.Timestamp(end)) & (finish >= pd.Timestamp(start))]["participant_id"])
    if sex:
        active &= set(people[people["sex"] == sex]["participant_id"])
    return len(active)


@pytest.fixture(scope="module")
def load_server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("load-server"), free_port())
    server.start()
    yield server
    server.stop()


def test_one_session_signs_in_filters_and_changes_page(load_server):
    async def scenario():
        async with StreamlitSession(load_server.url, timeout=120) as tab:
            log = SessionLog(0)
            assert await sign_in(tab, log, clock=lambda: 0.0)
            form, signed_in = log.reruns[0], log.reruns[-1]
            overview = tab.last_result
            sex = tab.widget(key="filters.sexes")
            women = await tab.rerun({sex.id: [i18n.translate("sex.female", "es")]})
            period = tab.widget(key="filters.period")
            year = await tab.rerun({period.id: ["2024", "2024"]})
            tmap = await tab.rerun(page=TERRITORIAL_MAP)
            return form, signed_in, overview, women, year, tmap, tab.pages

    form, signed_in, overview, women, year, tmap, pages = asyncio.run(scenario())
    assert form.step == "open" and form.status == "finished"
    assert signed_in.status == "finished" and not signed_in.problems
    assert {TERRITORIAL_MAP, REINTEGRATION} <= set(pages)
    assert i18n.translate("overview.title", "es") in overview.headings
    assert overview.metrics[SERVED] == i18n.format_number(people_served("2023-01-01", "2024-12-31"), "es")
    for result in (women, year, tmap):
        assert result.ok, result.problems
        assert not result.error_alerts
    assert women.metrics[SERVED] == i18n.format_number(people_served("2023-01-01", "2024-12-31", "female"), "es")
    # The sex filter is kept (the client resends it) while the period changes.
    # shown as the publication family decides for women served in 2024 in the region (the oracle counts it)
    women_2024 = published_text("people_served", "2024-01-01", "2024-12-31", (), (("sex", "female"),))
    assert women_2024 in (i18n.format_number(people_served("2024-01-01", "2024-12-31", "female"), "es"),
                          *(i18n.hidden_mark(kind, "es") for kind in i18n.HIDDEN_KINDS))
    assert year.metrics[SERVED] == women_2024
    assert i18n.translate("tmap.title", "es") in tmap.headings
