"""The territorial map end to end in Debian's Chromium: it paints, a click opens the unit's panel,
the CSV downloads with the published figures, and nothing is fetched from outside 127.0.0.1."""

from __future__ import annotations

import math
from urllib.parse import urlparse

import pytest

import i18n
from geo import payload
from indicators.map_views import MapView
from tests.browser import copy_screenshot, sign_in, sign_in_if_asked
from tests.test_territorial_map import served_by

pytestmark = pytest.mark.browser

MAP = '[data-testid="stDeckGlJsonChart"]'






def _open(browser, server: str, link: str):
    """Sign in on the start page, then open `link` (a page path with its query) as a shared link."""
    page = browser.new_page(viewport={"width": 1440, "height": 1100}, accept_downloads=True)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    lang = "en" if "lang=en" in link else "es"
    # Before sign-in only the start page shows the form; the sign-in cookie then opens the link.
    page.goto(f"{server}/?lang={lang}")
    sign_in(page, "liderazgo", "demo-liderazgo", lang)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    page.goto(f"{server}/{link}")
    sign_in_if_asked(page, "liderazgo", "demo-liderazgo", lang)
    page.wait_for_selector(f"{MAP} canvas", timeout=90_000)
    page.wait_for_timeout(3000)  # let deck.gl paint
    return page, requests


def _outside(requests: list[str]) -> list[str]:
    return [url for url in requests if urlparse(url).hostname not in ("127.0.0.1", None)
            and not url.startswith(("data:", "blob:"))]


def _colours(path) -> int:
    from PIL import Image

    colours = Image.open(path).convert("RGB").getcolors(maxcolors=1_000_000)
    return 0 if colours is None else len(colours)


def _pixel(box: dict, view: dict, lon: float, lat: float) -> tuple[float, float]:
    """Screen position of (lon, lat) in a deck.gl Web Mercator view (512 px tiles) filling `box`."""
    scale = 512 * 2 ** view["zoom"] / (2 * math.pi)

    def world(lo: float, la: float) -> tuple[float, float]:
        return math.radians(lo) * scale, -math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) * scale

    x, y = world(lon, lat)
    cx, cy = world(view["longitude"], view["latitude"])
    return box["x"] + box["width"] / 2 + (x - cx), box["y"] + box["height"] / 2 + (y - cy)


def test_map_paints_click_opens_panel_and_csv_downloads(server, browser, tmp_path):
    from ui.territorial_map import _view_state

    page, requests = _open(browser, server, "territorial_map?pais=GTM&departamento=13")
    shot = tmp_path / "map.png"
    page.locator(MAP).first.screenshot(path=str(shot))
    assert _colours(shot) > 20  # outlines, classed fills and the '·' markers drawn
    page.screenshot(path=str(tmp_path / "drilled.png"), full_page=True)
    copy_screenshot(tmp_path / "drilled.png", "territorial-map-huehuetenango.png")

    expected = served_by("municipality_code")
    code = "1301"  # Huehuetenango, the department's largest municipality in the sample
    point = payload.centroids("GTM", "municipality").set_index("code").loc[code]
    view = _view_state(MapView("people_served", "GTM", "department", "13"))
    box = page.locator(f"{MAP} canvas").first.bounding_box()
    x, y = _pixel(box, view, float(point["lon"]), float(point["lat"]))
    page.mouse.move(x, y)
    page.wait_for_timeout(800)
    page.mouse.click(x, y)
    page.wait_for_function("() => new URL(location.href).searchParams.get('unidad') === '1301'", timeout=30_000)
    page.wait_for_selector(f'[data-testid="stMetricValue"] >> text="{i18n.format_number(expected[code], "es")}"',
                           timeout=30_000)
    headings = page.locator('[data-testid="stHeading"]').all_inner_texts()
    assert any(h.strip() == "Huehuetenango" for h in headings)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(tmp_path / "selected.png"), full_page=True)
    copy_screenshot(tmp_path / "selected.png", "territorial-map-selected.png")

    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("button", name=i18n.translate("exports.table.csv", "es"), exact=True).click()
    data = (tmp_path / "map.csv")
    download_info.value.save_as(data)
    raw = data.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "País,Departamento,Código,Unidad,Personas atendidas directamente,Posición"
    rows = {line.split(",")[2]: line.split(",") for line in lines[1:]}
    assert rows["1301"][4] == str(expected["1301"])
    for row in rows.values():
        assert row[4] == "·" or int(row[4]) == expected.get(row[2], 0)
    assert _outside(requests) == []
    page.close()


def test_region_map_in_english_paints_offline(server, browser, tmp_path):
    page, requests = _open(browser, server, "territorial_map?lang=en")
    assert page.locator("h1").first.inner_text().strip() == "Territorial map"
    shot = tmp_path / "region.png"
    page.locator(MAP).first.screenshot(path=str(shot))
    assert _colours(shot) > 20
    page.screenshot(path=str(tmp_path / "region-full.png"), full_page=True)
    copy_screenshot(tmp_path / "region-full.png", "territorial-map-region-en.png")
    assert _outside(requests) == []
    page.close()
