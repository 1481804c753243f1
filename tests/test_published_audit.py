"""An attack on the union of everything the pages publish with the sample data.

The pages are run as every demo role over a broad sample of the filter values the interface
offers, and every figure they publish is recorded:

- figures of people (people served, MISKA, the Reintegration page's stages, agents trained,
  and the shares built on them) and the attendances at awareness sessions come from the publication
  families: each row is keyed by its cell identity, and the attacker solves every additive relation of
  each family over everything published at once (the linear programme of `privacy.audit`); no small
  figure may be narrowed to the margin, and no identity may be shown with two values or both shown
  and hidden;
- the tables still protected per linked set (the reintegration scores, a municipality's components)
  are audited as before.
"""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest

import settings
from indicators.compute import true_counts
from indicators.registry import get_indicator
from privacy.audit import audit, cell_bounds
from privacy.cells import CellTable
from privacy.rules import is_protected, is_small
from indicators.reintegration import DEPARTMENTS
from publication import published as published_module
from publication import reintegration as reintegration_module
from publication.protection import PROTECTING, SMALL
from store import cached
from tests.signed_in import run_dashboard

ROLES = ("liderazgo", "presentador", "municipal", "datos")
# Every single value of each sidebar filter (and the period ranges), for every role.
SINGLE_CHOICES = [None, ("sexes", "female"), ("sexes", "male"), ("programmes", "miska_reintegration"),
                  ("programmes", "prevention_network"), ("countries", "GTM"), ("countries", "BOL"),
                  ("countries", "PER"), ("age_groups.un_youth", "15_24"), ("period", (2023, 2023)),
                  ("period", (2022, 2025))]
PAIRS = list(itertools.combinations([("sexes", "female"), ("countries", "GTM"), ("programmes", "miska_reintegration"),
                                     ("period", (2024, 2024)), ("age_groups.un_youth", "25_34")], 2))
PAGE_RUNS = [
    ("liderazgo", "pages/territorial_map.py", {}),
    ("liderazgo", "pages/territorial_map.py", {"pais": "GTM", "departamento": "13"}),
    ("presentador", "pages/territorial_map.py", {"pais": "BOL"}),
    ("liderazgo", "pages/territorial_map.py", {"pais": "PER"}),
    ("liderazgo", "pages/my_municipality.py", {"municipio": "1301"}),
    ("liderazgo", "pages/my_municipality.py", {"municipio": "1306"}),
    ("liderazgo", "pages/my_municipality.py", {"municipio": "020804", "pais": "BOL"}),
    ("municipal", "pages/my_municipality.py", {}),
    ("liderazgo", "pages/reintegration.py", {}),
    ("presentador", "pages/forum_deck.py", {}),
    ("liderazgo", "pages/methods.py", {}),
]


class Recorder:
    """What the pages publish: family cells by identity, and the other linked sets."""

    def __init__(self) -> None:
        self.shown: dict[tuple, set] = {}  # cell -> {published value or "hidden"}
        self.families: dict[str, object] = {}  # protected family id -> its PublishedFamily
        self.family_of: dict[tuple, str] = {}  # cell -> its protected family id
        self.tables: list[tuple[str, CellTable, frozenset]] = []

    def cell(self, published, cell, value, hidden: bool) -> None:
        self.families[published.family.indicator] = published
        self.family_of[cell] = published.family.indicator
        self.shown.setdefault(cell, set()).add("hidden" if hidden else int(value))

    def frame(self, published, indicator_id, filters, by, counts, result) -> None:
        frame, _ = result
        request = published_module.request_of(get_indicator(indicator_id), filters, by)
        for row, (value, hidden) in zip(counts.to_dict("records"), zip(frame["value"], frame["suppressed"])):
            cell = None if request is None else published_module.cell_of(request, by, row)
            if cell is not None:
                self.cell(published, cell, value, hidden)


@pytest.fixture
def recorder(fresh_caches, monkeypatch) -> Recorder:
    record = Recorder()
    real_frame = published_module.publish_frame
    real_linked, real_compute = cached.compute_linked, cached.compute

    def publish_frame(published, indicator_id, filters, by, counts):
        result = real_frame(published, indicator_id, filters, by, counts)
        record.frame(published, indicator_id, filters, by, counts, result)
        return result

    def record_linked(con, indicator_id, filters, breakdowns, facts=None):
        result = real_linked(con, indicator_id, filters, breakdowns, facts=facts)
        record.tables.append((f"{indicator_id} {breakdowns} {filters}", result.table, result.suppressed))
        return result

    def record_compute(con, indicator_id, filters, by=(), facts=None):
        frame = real_compute(con, indicator_id, filters, by, facts=facts)
        if get_indicator(indicator_id).kind != "share":
            raw = true_counts(con, get_indicator(indicator_id), filters, by)
            ids = [tuple(row) for row in raw.drop(columns="value").itertuples(index=False, name=None)] or [("total",)]
            table = CellTable(dict(zip(ids, raw["value"].astype(int))))
            record.tables.append((f"{indicator_id} {by} {filters}", table,
                                  frozenset(i for i, s in zip(ids, frame["suppressed"]) if s)))
        return frame

    real_read = reintegration_module._Reader.read

    def read(reader, cell):  # every count of the Reintegration page
        value, kind = real_read(reader, cell)
        if cell is not None and kind != published_module.NOT_OFFERED:
            record.cell(reader.published, cell, value, kind is not None)
        return value, kind

    monkeypatch.setattr(published_module, "publish_frame", publish_frame)
    monkeypatch.setattr(reintegration_module._Reader, "read", read)
    monkeypatch.setattr(cached, "compute_linked", record_linked)
    monkeypatch.setattr(cached, "compute", record_compute)
    return record


def _choose(app, choice) -> None:
    key, value = choice
    if key == "period":
        app.select_slider(key="filters.period").set_range(*value).run()
    else:
        app.multiselect(key=f"filters.{key}").select(value).run()
    assert not app.exception, (choice, app.exception)


def _union_attack(record: Recorder, k: int, margin: int) -> tuple[list, int, int]:
    """(exposed small figures, hidden cells, identities) over everything recorded, per family."""
    exposed, hidden_count = [], 0
    for published in record.families.values():
        family, fates = published.family, published.protection.fates
        shown = {c: v for c, v in record.shown.items() if record.family_of[c] == family.indicator}
        published_cells = {c for c, v in shown.items() if v != {"hidden"}}
        hidden = set(family.values) - published_cells
        hidden_count += len(hidden)
        # What the attacker knows of a hidden figure: its class when a page marks it, nothing otherwise.
        priors = {c: (0, math.inf) for c in hidden if fates.get(c) not in (SMALL, PROTECTING) or c not in shown}
        targets = [c for c in hidden if is_small(family.values[c], k)]
        bounds = cell_bounds(CellTable(family.values, family.relations), hidden, k, targets=targets, priors=priors)
        exposed += [c for c in targets if not is_protected(bounds[c], margin)]
    return exposed, hidden_count, len(record.shown)


def test_nothing_hidden_can_be_recovered_from_everything_the_pages_publish_together(recorder):
    runs = 0
    for username in ROLES:
        for choice in SINGLE_CHOICES:
            if username == "municipal" and choice and choice[0] == "countries":
                continue  # an official of one Guatemalan municipality is offered Guatemala only
            app = run_dashboard(username, page="pages/overview.py")
            assert not app.exception, app.exception
            if choice:
                _choose(app, choice)
            runs += 1
    for first, second in PAIRS:
        app = run_dashboard("liderazgo")
        _choose(app, first)
        _choose(app, second)
        runs += 1
    for username, page, link in PAGE_RUNS:
        app = run_dashboard(username, query=link, page=page)
        assert not app.exception, (page, link, app.exception)
        runs += 1
    for department, municipality in [(d, None) for d in DEPARTMENTS] + [("13", "1306"), ("12", "1201")]:
        app = run_dashboard("liderazgo", page="pages/reintegration.py")
        app.multiselect(key="reintegration.departments").select(department).run()
        if municipality:
            app.multiselect(key="reintegration.municipalities").select(municipality).run()
        assert not app.exception, (department, municipality, app.exception)
        runs += 1
    for side, period in itertools.product((None, "BOL", "PER"), (None, (2024, 2024), (2022, 2025))):
        app = run_dashboard("presentador", page="pages/prevention_network.py")
        if side:
            app.radio(key="network.side").set_value(side).run()
        if period:
            app.select_slider(key="network.period").set_range(*period).run()
        assert not app.exception, (side, period, app.exception)
        runs += 1
    k, margin = settings.suppression_threshold(), int(settings.get("audit_margin"))

    two_faces = {c: v for c, v in recorder.shown.items() if len(v) > 1}
    assert two_faces == {}  # one identity, one published value or one hidden mark, everywhere
    for cell, values in recorder.shown.items():
        published = recorder.families[recorder.family_of[cell]]
        if values != {"hidden"}:
            assert values == {published.family.values.get(cell, 0)}, cell  # shown as counted
            assert not is_small(published.family.values.get(cell, 0), k), cell

    exposed, hidden, identities = _union_attack(recorder, k, margin)
    print(f"union attack: {runs} page runs, {sum(len(v) for v in recorder.shown.values())} distinct shown values, "
          f"{identities} cell identities, {hidden} hidden cells, {len(exposed)} exposed")
    assert set(recorder.families) == {"people", "agents_trained", "people_sensitized"}
    assert any(("institution" in dict(c[3])) for c in recorder.shown)  # the network page's reach was asked for
    assert any(c[0].startswith("miska:") for c in recorder.shown)  # the Reintegration stages were asked for
    assert identities > 1000
    assert exposed == []

    failures = [(name, audit(table, suppressed, k, margin).unsafe) for name, table, suppressed in recorder.tables
                if table is not None]
    assert [(name, unsafe) for name, unsafe in failures if unsafe] == []


def test_the_municipal_official_sees_the_total_of_their_municipality(fresh_caches):
    """San Pedro Necta (GTM 1306): 8 people served, all in MISKA, shown as such to its official."""
    from i18n import translate

    app = run_dashboard("municipal", page="pages/my_municipality.py")
    assert not app.exception, app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics[translate("indicator.people_served.label", "es")] == "8"
    assert metrics[translate("indicator.miska_participants.label", "es")] == "8"


def test_a_request_the_family_does_not_hold_is_withheld_as_a_whole(sample_con, fates_cache):
    from indicators.filters import Filters
    from publication.sources import published_family

    served = published_family(sample_con, "people_served", 5, 2, fates_cache)
    two_countries = Filters(countries=("GTM", "BOL"))
    frame, withheld = published_module.people(sample_con, served, "people_served", two_countries, ("sex",))
    assert withheld and frame["value"].isna().all() and frame["suppressed"].all()
    one_year_in_a_municipality = Filters(start=pd.Timestamp("2024-01-01").date(), end=pd.Timestamp("2024-12-31").date(),
                                         municipalities=(("GTM", "1301"),))
    frame, _ = published_module.people(sample_con, served, "people_served", one_year_in_a_municipality, ())
    assert frame["value"].isna().all()
    # A single year with a breakdown a country offers for the reporting period only (docs/privacy.md).
    one_year_in_a_country = Filters(start=pd.Timestamp("2024-01-01").date(), end=pd.Timestamp("2024-12-31").date(),
                                    countries=("BOL",))
    frame, withheld = published_module.people(sample_con, served, "people_served", one_year_in_a_country, ("sex",))
    assert withheld and frame["value"].isna().all()
    assert (frame["hidden"] == published_module.NOT_OFFERED).all()  # the page says what is offered instead
    # The same questions asked the way the family holds them are answered.
    frame, withheld = published_module.people(sample_con, served, "people_served", Filters(countries=("BOL",)), ("sex",))
    assert not withheld and frame["value"].notna().all()
    frame, withheld = published_module.people(sample_con, served, "people_served", one_year_in_a_country,
                                              ("programme",))
    assert not withheld and frame["value"].notna().any()
