"""Download widgets on the overview, territorial map and My municipality pages (AppTest).

The files are taken from the buttons themselves: every deferred download registered with
Streamlit's media file manager is recorded by file id, and a button's `deferred_file_id`
says which one it would send. Each table file must carry the cells its page shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import i18n
from tests.reference_figures import published_text
from indicators.map_views import MapView
from tests.browser import require_chromium
from tests.conftest import SAMPLE
from tests.signed_in import run_dashboard
from tests.test_territorial_map import _open as open_map
from tests.test_territorial_map import served_by
from tests.tables import shown as shown_cells

EMPTY = "<empty>"  # an empty cell (no figure at all), as the tables below compare them
MARKS = i18n.hidden_marks()  # how a hidden figure reads, on the page and in its files ("menos de 5" …)
OVERVIEW_CHARTS = ("country_profile", "pyramid", "trend", "map")
MUNICIPAL_CHARTS = ("pyramid", "profile_mix", "locator")
MUNICIPAL_TABLES = ("comparison", "sex_age", "components", "policies", "organisations")


@pytest.fixture
def files(monkeypatch) -> dict:
    """file id -> the callable that makes the file, for every deferred download of the runs."""
    made: dict = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


def _button(app: AppTest, key: str):
    matches = [b.proto for b in app.get("download_button") if b.proto.id.endswith(f"-{key}")]
    assert len(matches) == 1, (key, [b.proto.id for b in app.get("download_button")])
    return matches[0]


def _file(app: AppTest, files: dict, key: str) -> bytes:
    return files[_button(app, key).deferred_file_id]()


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _xlsx(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _text(value: object, lang: str, kind: str = "count") -> str:
    """An exported cell as the page writes it: counts and shares formatted, dates in the medium style, the
    reading of a hidden figure kept, an empty cell empty."""
    if value is None or value == "":
        return EMPTY
    if value in MARKS:
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return i18n.format_date(value, lang, "medium")
    if kind == "share":
        return i18n.format_share(float(value), lang)
    if kind == "date":
        return i18n.format_date(dt.date.fromisoformat(value), lang, "medium")
    if kind == "count":
        try:
            return i18n.format_number(int(value), lang)
        except ValueError:
            return str(value)
    return str(value)


def _page_rows(frame: pd.DataFrame, with_index: bool) -> list[list[str]]:
    frame = frame.reset_index() if with_index else frame
    return [[EMPTY if pd.isna(v) else str(v).strip() for v in row] for row in frame.itertuples(index=False)]


def _page_header(frame: pd.DataFrame, with_index: bool) -> list[str]:
    return ([frame.index.name] if with_index else []) + [str(c) for c in frame.columns]


def _same_table(page: pd.DataFrame, rows: list[list[object]], lang: str, with_index: bool = False,
                kinds: dict[int, str] | None = None) -> None:
    """The file's header and cells equal the page's table: each cell as written, or a number or date as the
    page formats it ('1.301' on the page for 1301 in the file); an empty cell where the page's is empty."""
    kinds = kinds or {}
    assert [str(c) for c in rows[0]] == _page_header(page, with_index)
    shown = _page_rows(page, with_index)
    assert len(rows) - 1 == len(shown)
    mismatches = [(cell, seen) for row, page_row in zip(rows[1:], shown) for i, (cell, seen) in
                  enumerate(zip(row, page_row, strict=True))
                  if seen not in (str(cell).strip(), _text(cell, lang, kinds.get(i, "count")))]
    assert mismatches == []


def _check_table(app: AppTest, files: dict, key: str, page: pd.DataFrame, lang: str, with_index: bool = False,
                 kinds: dict[int, str] | None = None) -> tuple[list[list[str]], list[list[object]]]:
    rows_csv = _csv(_file(app, files, f"{key}.csv"))
    rows_xlsx = _xlsx(_file(app, files, f"{key}.xlsx"))
    _same_table(page, rows_csv, lang, with_index, kinds)
    _same_table(page, rows_xlsx, lang, with_index, kinds)
    return rows_csv, rows_xlsx


# --- overview ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["es", "en"])
def test_overview_buttons_and_the_table_files_equal_the_page(fresh_caches, files, lang):
    app = run_dashboard("liderazgo", lang=lang)
    assert not app.exception
    for chart in OVERVIEW_CHARTS:
        assert _button(app, f"overview.export.{chart}.png").label == i18n.translate("exports.chart.png", lang)
        assert _button(app, f"overview.export.{chart}.svg").label == i18n.translate("exports.chart.svg", lang)
    table = shown_cells(app.dataframe[0])
    key = "overview.export.country_profile_table"
    rows_csv, rows_xlsx = _check_table(app, files, key, table, lang, with_index=True)
    assert MARKS & {c for row in rows_csv for c in row} or not table.isin(MARKS).any().any()
    # Guatemala's returnees, counted from the sample files with pandas
    expected = served_by("migration_profile")["returnee"]
    shown = published_text("people_served", "2023-01-01", "2024-12-31", ("GTM",), (("migration_profile", "returnee"),),
                           lang)
    assert shown in (i18n.format_number(expected, lang), *MARKS)  # the oracle's count, unless the family hides it
    country = i18n.translate("country.GTM", lang)
    assert rows_csv[[r[0] for r in rows_csv].index(country)][1] == (str(expected) if shown not in MARKS else shown)
    assert rows_xlsx[[r[0] for r in rows_xlsx].index(country)][1] == (expected if shown not in MARKS else shown)
    notes = dict(row[:2] for row in load_workbook(io.BytesIO(_file(app, files, f"{key}.xlsx"))).worksheets[1]
                 .iter_rows(values_only=True) if row[0])
    assert notes[i18n.translate("indicator.people_served.label", lang)] == \
        i18n.translate("indicator.people_served.definition", lang)
    assert notes[i18n.translate("exports.notes.table", lang)] == i18n.translate("overview.by_country_profile", lang)


def test_overview_hxl_row_only_with_the_box(fresh_caches, files):
    app = run_dashboard("liderazgo", lang="en")
    key = "overview.export.country_profile_table"
    assert not _csv(_file(app, files, f"{key}.csv"))[1][0].startswith("#")
    app.checkbox(key=f"{key}.hxl").check().run()
    assert not app.exception
    for rows in (_csv(_file(app, files, f"{key}.csv")), _xlsx(_file(app, files, f"{key}.xlsx"))):
        assert rows[1][0] == "#country+name"
        assert all(tag.startswith("#reached+ind+") for tag in rows[1][1:])  # one tag per profile column
        _same_table(shown_cells(app.dataframe[0]), [rows[0]] + rows[2:], "en", with_index=True)


def test_overview_chart_png_is_slide_sized(fresh_caches, files):
    require_chromium()
    app = run_dashboard("liderazgo")
    image = Image.open(io.BytesIO(_file(app, files, "overview.export.trend.png")))
    assert image.size[0] >= 1920


# --- territorial map ------------------------------------------------------------------------------

def test_territorial_map_table_files_equal_the_page_and_are_logged(fresh_caches, files):
    from auth.audit_log import read_events

    app = open_map(MapView("people_served", "GTM"))
    for kind in ("png", "svg"):
        assert _button(app, f"tmap.export.map.{kind}")
    table = shown_cells(app.dataframe[-1])
    page = table.assign(**{"País": ["GTM" if c == "Guatemala" else c for c in table["País"]]})
    rows_csv, _ = _check_table(app, files, "tmap.export.table", page, "es")
    expected = served_by("department_code")
    for row in rows_csv[1:]:
        assert row[4] in MARKS or int(row[4]) == expected.get(row[2], 0)
    events = [e["details"] for e in read_events() if e["event"] == "export"][-2:]
    assert [(e["kind"], e["item"]) for e in events] == [("csv", "people_served_GTM_department"),
                                                        ("xlsx", "people_served_GTM_department")]


def test_territorial_map_share_table_in_english_with_hxl(fresh_caches, files):
    app = open_map(MapView("women_share", "GTM", "department", "13"))
    app.session_state["language"] = "en"
    app.run()
    assert not app.exception
    table = shown_cells(app.dataframe[-1])
    assert list(table.columns) == ["Country", "Department", "Code", "Unit", i18n.translate("indicator.women_share.label", "en"),
                                   i18n.translate("indicator.women_share.numerator", "en"),
                                   i18n.translate("indicator.women_share.denominator", "en"), "Rank"]
    page = table.assign(Country=["GTM" if c == "Guatemala" else c for c in table["Country"]])
    _check_table(app, files, "tmap.export.table", page, "en", kinds={4: "share"})
    # A share's parts read as their own cells are published (women served, people served in the unit).
    parts = {i18n.translate("indicator.women_share.numerator", "en"): (("sex", "female"),),
             i18n.translate("indicator.women_share.denominator", "en"): ()}
    for code, *shown in zip(table["Code"], *(table[column] for column in parts)):
        assert shown == [published_text("people_served", "2023-01-01", "2024-12-31", ("GTM", "municipality", code),
                                        population, lang="en") for population in parts.values()]
    assert any(v in MARKS for v in table[list(parts)[0]])
    app.checkbox(key="tmap.export.table.hxl").check().run()
    rows = _csv(_file(app, files, "tmap.export.table.csv"))
    assert rows[1] == ["#country+code", "#adm1+name", "#adm2+code", "#adm2+name", "#indicator+pct+f",
                       "#indicator+num+numerator", "#indicator+num+denominator", "#indicator+rank"]


# --- my municipality ------------------------------------------------------------------------------

def _municipal_page(username: str = "liderazgo", lang: str | None = None, **params: str) -> AppTest:
    app = run_dashboard(username, query=params, lang=lang, page="pages/my_municipality.py")
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize("lang", ["es", "en"])
def test_my_municipality_buttons_and_tables(fresh_caches, files, lang):
    app = _municipal_page(lang=lang, municipio="1301", pais="GTM")
    withheld = i18n.translate("publication.withheld", lang) in [c.value for c in app.caption]
    for chart in (c for c in MUNICIPAL_CHARTS if not (c == "pyramid" and withheld)):  # a withheld pyramid is not drawn
        for kind in ("png", "svg"):
            assert _button(app, f"my_municipality.export.{chart}.{kind}")
    pages = dict(zip(MUNICIPAL_TABLES, (shown_cells(frame) for frame in app.dataframe)))
    assert set(pages) == set(MUNICIPAL_TABLES)
    for table in MUNICIPAL_TABLES:
        kinds = {2: "date"} if table == "policies" else None
        _check_table(app, files, f"my_municipality.export.{table}", pages[table], lang, kinds=kinds)
    organisations = _csv(_file(app, files, "my_municipality.export.organisations.csv"))
    sample = pd.read_csv(SAMPLE / "base_organisations.csv", dtype={"municipality_code": str})
    here = sample[(sample["country"] == "GTM") & (sample["municipality_code"] == "1301")]
    assert sorted(organisations[1:]) == sorted([name, str(members)] for name, members in
                                               zip(here["name"], here["members"]))


def test_a_municipal_official_exports_only_their_municipality(fresh_caches, files):
    require_chromium()
    from geo.units import territorial_units

    app = _municipal_page("municipal")
    buttons = app.get("download_button")
    assert buttons
    own, department = "San Pedro Necta", "Huehuetenango"
    units = territorial_units()
    others = {name for name in units[units["level"] == "municipality"]["name"]
              if name not in own and name != department}
    texts = []
    for button in buttons:
        data = files[button.proto.deferred_file_id]()
        if button.proto.id.endswith(".xlsx"):
            book = load_workbook(io.BytesIO(data))
            texts.append(" ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                                  for c in row if c is not None))
        elif button.proto.id.endswith((".csv", ".svg")):
            texts.append(data.decode("utf-8-sig"))
    joined = "\n".join(texts)
    assert own in joined
    assert [name for name in others if name in joined] == []
    assert i18n.translate("municipality.level.programme", "es") not in joined  # no programme-wide column


def test_country_profile_table_tags_each_profile_column():
    """The tags the overview table carries once `ui.exports.table_downloads` passes `hxl_tags` on."""
    from exports.page_tables import country_profile
    from exports.tables import csv_bytes

    by_profile = pd.DataFrame({"country": ["GTM", "GTM", "BOL"], "migration_profile": ["returnee", "settled", "settled"],
                               "value": pd.array([185, None, 81], dtype="Int64"),
                               "hidden": [None, i18n.PROTECTING, None]})
    table = country_profile(by_profile, ["GTM", "BOL"], ["returnee", "settled"], "en", "Country")
    rows = _csv(csv_bytes(table.frame, "en", headers=table.headers, hxl=True, hxl_tags=table.hxl_tags))
    assert rows == [["Country", "Returnee", "Settled"], ["#country+name", "#reached+ind+returnee", "#reached+ind+settled"],
                    ["Guatemala", "185", "hidden"], ["Bolivia", "not published", "81"]]  # a missing cell says nothing
