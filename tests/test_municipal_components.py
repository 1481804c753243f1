"""A municipality's people per component, protected against its people served and against its department's
count published on the Reintegration page (`indicators.municipal.department_columns`)."""

from __future__ import annotations

import pandas as pd

import i18n
from indicators.municipal import Figure, department_columns, protect_components
from privacy.audit import audit
from privacy.cells import CellTable
from tests.conftest import SAMPLE

K, MARGIN = 5, 2


def _column(counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"country": "GTM", "department_code": "13", "municipality_code": list(counts),
                         "component": "digital_skills", "value": list(counts.values())})


def test_a_department_count_beside_its_municipalities_hides_one_more():
    """Department 30 = 12 + 14 + 4: the 4 is small and hidden by the per-municipality rule, but the department's
    count minus the two others would give it away, so one of them is hidden too."""
    counts = {"A": 12, "B": 14, "C": 4}
    bases = {("GTM", "A"): 40, ("GTM", "B"): 40, ("GTM", "C"): 40}
    extra = department_columns(_column(counts), {("GTM", "13", "digital_skills"): (30, True)}, bases, K, MARGIN)
    hidden = {code for (_, code, _), kind in extra.items()}
    assert "C" in hidden and len(hidden & {"A", "B"}) == 1
    assert extra[("GTM", "C", "digital_skills")] == i18n.SMALL
    # What is left shown, with the department's count, passes the audit.
    values = {("department",): 30, **{(c,): v for c, v in counts.items()}}
    table = CellTable(values, [(("department",), tuple((c,) for c in counts))])
    assert audit(table, {(c,) for c in hidden}, K, MARGIN).unsafe == []


def test_without_a_published_department_count_nothing_more_is_hidden():
    counts = {"A": 12, "B": 14, "C": 4}
    bases = {("GTM", c): 40 for c in counts}
    assert department_columns(_column(counts), {}, bases, K, MARGIN) == {}


def test_counts_that_do_not_add_up_to_the_department_are_withheld():
    """Other programmes' people take the component too: the department's count cannot be tied to them."""
    counts = {"A": 12, "B": 14}
    bases = {("GTM", c): 40 for c in counts}
    extra = department_columns(_column(counts), {("GTM", "13", "digital_skills"): (20, True)}, bases, K, MARGIN)
    assert set(extra.values()) == {i18n.WITHHELD} and len(extra) == 2


def test_in_a_small_municipality_all_but_a_few_is_withheld_not_hidden():
    """8 people served, 5 took it: "hidden" (at least 5) would leave 1 to 3 who did not, narrower than the margin."""
    counts = pd.DataFrame({"component": ["digital_skills"], "value": [5]})
    shown = protect_components(counts, Figure(8), K)
    assert shown["hidden"].tolist() == [i18n.WITHHELD]
    assert protect_components(counts.assign(value=[9]), Figure(12), K)["hidden"].tolist() == [i18n.PROTECTING]


def test_what_my_municipality_shows_of_a_department_keeps_its_small_counts_protected(fresh_caches):
    """Every municipality's page of each MISKA department, with the department's count the Reintegration page
    publishes: no small count can be narrowed to the margin (people served and what the pages withhold
    known to the attacker as the pages show them)."""
    import math

    import settings
    from data_loaders.schemas import MISKA_COMPONENTS
    from indicators.filters import Filters, default_period
    from indicators.municipal import figure_of
    from privacy.audit import cell_bounds
    from privacy.rules import is_protected, is_small
    from publication.miska import stage_cell
    from publication.protection import PUBLISHED
    from store import cached, municipal
    from auth.roles import Role, Scope

    k, margin = settings.suppression_threshold(), int(settings.get("audit_margin"))
    scope = Scope("liderazgo", Role.LEADERSHIP)
    start, end = default_period()
    people = cached.published_of(cached.current_data_version())("people")
    with cached.cursor() as con:
        units = con.execute("SELECT DISTINCT department_code, municipality_code FROM participants "
                            "WHERE programme = 'miska_reintegration' AND municipality_code IS NOT NULL").fetchall()
    checked = 0
    for department in sorted({d for d, _ in units}):
        codes = sorted(m for d, m in units if d == department)
        shown = {}
        for code in codes:
            filters = Filters(municipalities=(("GTM", code),))
            base = figure_of(cached.indicator("people_served", filters, scope=scope))
            frame = municipal.components(filters, base, scope=scope)
            shown[code] = (base, frame.set_index("component"))
        for component in MISKA_COMPONENTS:
            cell = stage_cell(component, (start, end), ("GTM", "department", department))
            value = people.family.values.get(cell, 0)
            if not value or people.fate(cell, value) != PUBLISHED:
                continue
            values, hidden, priors, parts = {("department",): value}, set(), {}, []
            for code in codes:
                row = shown[code][1].loc[component]
                true = _true_count(code, component, start, end)
                values[(code,)] = true
                parts.append((code,))
                if row["suppressed"]:
                    hidden.add((code,))
                    if row["hidden"] == i18n.WITHHELD:
                        priors[(code,)] = (0, math.inf)
                else:
                    assert int(row["value"]) == true
            values[("unknown",)] = value - sum(values[p] for p in parts)
            if values[("unknown",)] < 0:
                assert all(shown[c][1].loc[component, "suppressed"] or not shown[c][1].loc[component, "value"]
                           for c in codes)
                continue
            hidden.add(("unknown",))
            priors[("unknown",)] = (0, math.inf)
            table = CellTable(values, [(("department",), (*parts, ("unknown",)))])
            targets = [c for c in hidden if c != ("unknown",) and is_small(values[c], k)]
            bounds = cell_bounds(table, hidden, k, targets=targets, priors=priors)
            assert [c for c in targets if not is_protected(bounds[c], margin)] == [], (department, component)
            checked += 1
    assert checked >= 10


def _true_count(code: str, component: str, start, end) -> int:
    """People of a municipality with a participation in the component overlapping the period (the oracle)."""
    parts = pd.read_csv(SAMPLE / "participations.csv", parse_dates=["start_date", "end_date"])
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str)
    here = set(people.loc[(people["country"] == "GTM") & (people["municipality_code"] == code), "participant_id"])
    ends = parts["end_date"].fillna(parts["start_date"])
    taken = parts[(parts["component"] == component) & (parts["start_date"] <= pd.Timestamp(end))
                  & (ends >= pd.Timestamp(start)) & parts["participant_id"].isin(here)]
    return taken["participant_id"].nunique()
