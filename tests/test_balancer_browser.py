"""Two dashboard processes behind HAProxy (deploy/balanced.py), used in real Chromium through the balancer.

One browser context signs in as `datos` and imports a file on the Data page (its upload goes
through HAProxy, so the affinity cookie must bring it to the process that holds the session);
a second context, pinned by that cookie to the other process, changes a filter, sees the import
in the history, and downloads an export.
"""

from __future__ import annotations

import shutil

import pytest

from deploy.balanced import AFFINITY_COOKIE, Worker, balanced, free_ports, haproxy_config
from i18n import translate
from store.database import STORE_FILE

pytestmark = pytest.mark.browser


def test_the_haproxy_config_pins_each_browser_to_one_healthy_worker():
    config = haproxy_config("*:8501", [Worker("w1", 9001), Worker("w2", 9002)])
    assert "    bind *:8501\n" in config
    assert f"    cookie {AFFINITY_COOKIE} insert indirect nocache httponly\n" in config
    assert "    http-check send meth GET uri /_stcore/health\n" in config
    assert "    server w1 127.0.0.1:9001 cookie w1 check inter 2s fall 3 rise 2\n" in config
    assert "    server w2 127.0.0.1:9002 cookie w2 check inter 2s fall 3 rise 2\n" in config
    assert "    timeout tunnel 8h\n" in config  # an open page's websocket is not cut


@pytest.fixture(scope="module")
def balancer(tmp_path_factory, sample_store_file, demo_credentials):
    from tests.browser import require_chromium

    require_chromium()
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is not installed: ./test.sh installs Debian's haproxy")
    data = tmp_path_factory.mktemp("balanced-data")
    shutil.copyfile(sample_store_file, data / STORE_FILE)
    logs = tmp_path_factory.mktemp("balanced-logs")
    env = {"CONEXION_DATA_DIR": str(data), "CONEXION_MODE": "development",
           "CONEXION_CREDENTIALS_FILE": str(demo_credentials)}
    with balanced(2, free_ports(1)[0], "127.0.0.1", ("--server.fileWatcherType", "none"), logs, env) as running:
        yield running


def worker_of(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == AFFINITY_COOKIE)


def test_through_the_balancer_an_import_in_one_process_is_seen_in_the_other(balancer, browser, tmp_path):
    from tests.browser import sign_in, sign_in_if_asked
    from tests.test_data_page import choose
    from tests.test_imports_workflow import changes_file, field_sessions

    importer = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    page = importer.new_page()
    page.goto(f"{balancer.url}/data?lang=es")
    sign_in(page, "datos", "demo-datos", "es")
    page.get_by_role("heading", name="Datos").first.wait_for(timeout=90_000)
    first = worker_of(importer)
    other = next(w.name for w in balancer.workers if w.name != first)

    # a second person, on the other process (the cookie HAProxy would have set for it)
    viewer = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    viewer.add_cookies([{"name": AFFINITY_COOKIE, "value": other, "url": balancer.url}])
    view = viewer.new_page()
    view.goto(f"{balancer.url}/?lang=es")
    sign_in(view, "datos", "demo-datos", "es")
    view.locator('[data-testid="stMetricValue"]').nth(5).wait_for(timeout=90_000)  # the six headline figures
    before_import = view.locator('[data-testid="stMetricValue"]').all_inner_texts()
    everyone = before_import[0]
    # a filter change: only women; the headline figure changes
    sexes = view.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=view.get_by_text(translate("filters.sex", "es"), exact=True))
    sexes.click()
    view.get_by_role("option", name=translate("sex.female", "es"), exact=True).click()
    view.keyboard.press("Escape")
    view.wait_for_function("([old]) => { const m = document.querySelector('[data-testid=\"stMetricValue\"]');"
                           " return m && m.innerText !== old; }", arg=[everyone], timeout=60_000)

    # the upload (a PUT to /_stcore/upload_file), its validation and the import, all through HAProxy
    file = changes_file(tmp_path)
    choose(page, "Sesiones de sensibilización")
    page.locator('input[type="file"]').set_input_files(str(file))
    rows = len(field_sessions()) + 2
    page.get_by_text(translate("data.valid", "es", rows=rows)).wait_for(timeout=90_000)
    page.get_by_role("button", name=f"Importar {rows} filas de «{file.name}»").click()
    page.get_by_text(f"Importado «{file.name}»: 2 filas nuevas, 3 actualizadas", exact=False).wait_for(
        timeout=90_000)

    # the other process sees the import at its next page: new data version, new figures (more people sensitized)
    view.goto(f"{balancer.url}/?lang=es")
    sign_in_if_asked(view, "datos", "demo-datos", "es")
    view.wait_for_function(
        "([old]) => { const m = [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
        ".map(e => e.innerText); return m.length === old.length && m.join('|') !== old.join('|'); }",
        arg=[before_import], timeout=90_000)
    assert (worker_of(importer), worker_of(viewer)) == (first, other)  # each stayed on its process

    # an export downloaded from the other process's session
    view.get_by_text(translate("overview.table", "es"), exact=True).click()  # the table's expander
    with view.expect_download(timeout=60_000) as download_info:
        view.get_by_role("button", name=translate("exports.table.csv", "es"), exact=True).first.click()
    saved = tmp_path / "export.csv"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(saved.read_text(encoding="utf-8-sig").splitlines()) > 1
    importer.close()
    viewer.close()
