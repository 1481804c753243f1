"""The LP audit on every table the pages publish with the sample data.

Page runs are recorded (every linked set of tables and every single breakdown the pages
compute) and each is audited: no suppressed cell may be derivable within the margin, and
no small count may be published.
"""

from __future__ import annotations

import pytest

import settings
from indicators import linked as linked_module
from privacy.audit import audit
from privacy.cells import CellTable
from store import cached
from tests.signed_in import run_dashboard

RUNS = [
    ("liderazgo", {}), ("liderazgo", {"municipio": "1301"}), ("presentador", {}),
    ("municipal", {}), ("datos", {}),
]
PAGE_RUNS = [
    ("liderazgo", "pages/territorial_map.py", {}),
    ("liderazgo", "pages/territorial_map.py", {"pais": "GTM", "departamento": "13"}),
    ("presentador", "pages/territorial_map.py", {"pais": "BOL"}),
    ("liderazgo", "pages/my_municipality.py", {"municipio": "1301"}),
    ("liderazgo", "pages/my_municipality.py", {"municipio": "020804", "pais": "BOL"}),
    ("municipal", "pages/my_municipality.py", {}),
]
SIDEBAR_CHOICES = [None, ("sexes", "female"), ("programmes", "miska_reintegration"), ("countries", "GTM")]


@pytest.fixture
def recorded(fresh_caches, monkeypatch):
    """Every LinkedResult and every suppressed frame computed while the pages run."""
    tables: list[tuple[str, CellTable, frozenset]] = []
    real_linked, real_compute = cached.compute_linked, cached.compute

    def record_linked(con, indicator_id, filters, breakdowns, facts=None):
        result = real_linked(con, indicator_id, filters, breakdowns, facts=facts)
        tables.append((f"{indicator_id} {breakdowns} {filters}", result.table, result.suppressed))
        return result

    def record_compute(con, indicator_id, filters, by=(), facts=None):
        frame = real_compute(con, indicator_id, filters, by, facts=facts)  # the raw counts below: counted directly
        raw = linked_module._counts(con, linked_module.get_indicator(indicator_id), filters, by) \
            if linked_module.get_indicator(indicator_id).kind != "share" else None
        if raw is not None:
            ids = [tuple(row) for row in raw.drop(columns="value").itertuples(index=False, name=None)] or [("total",)]
            table = CellTable(dict(zip(ids, raw["value"].astype(int))))
            tables.append((f"{indicator_id} {by} {filters}", table, frozenset(i for i, s in zip(ids, frame["suppressed"]) if s)))
        return frame

    monkeypatch.setattr(cached, "compute_linked", record_linked)
    monkeypatch.setattr(cached, "compute", record_compute)
    return tables


def _run(username: str, link: dict, choice) -> None:
    app = run_dashboard(username, query=link)
    assert not app.exception, app.exception
    if choice:
        key, value = choice
        app.multiselect(key=f"filters.{key}").select(value).run()
        assert not app.exception, app.exception


def test_every_published_table_passes_the_audit(recorded):
    for username, link in RUNS:
        for choice in SIDEBAR_CHOICES:
            if username == "municipal" and choice == ("countries", "GTM"):
                continue  # the same as no choice for an official of one Guatemalan municipality
            _run(username, link, choice)
    for username, page, link in PAGE_RUNS:
        app = run_dashboard(username, query=link, page=page)
        assert not app.exception, app.exception
    k, margin = settings.suppression_threshold(), int(settings.get("audit_margin"))
    failures = [(name, audit(table, suppressed, k, margin).unsafe) for name, table, suppressed in recorded]
    failures = [(name, unsafe) for name, unsafe in failures if unsafe]
    assert len(recorded) >= 60  # 5 users x 4 filter choices, each page run publishing several tables
    print(f"audited {len(recorded)} published tables, {len(failures)} failures")
    assert failures == []
