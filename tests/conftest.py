"""Shared fixtures: a store built once per test session in a temporary data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """A data folder of its own for the whole test session (the store is built there on first use)."""
    folder = tmp_path_factory.mktemp("conexion-data")
    os.environ["CONEXION_DATA_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def sample_store_file(tmp_path_factory) -> Path:
    """A store built from the sample data once per session (closed: copy it, never open it for writing)."""
    from data_loaders.canonical import read_dataset
    from store.database import STORE_FILE, build_store

    path = tmp_path_factory.mktemp("sample-store") / STORE_FILE
    build_store(path, SAMPLE, lambda file, dataset: read_dataset(file, dataset).frame)
    return path


@pytest.fixture(scope="session", autouse=True)
def fates_cache(tmp_path_factory, sample_store_file) -> Path:
    """A cache of publication fates of its own for the session, filled once for the sample data.

    Deciding the fates of the sample data's families takes most of a minute; every app,
    server and store of the sample data in this session then reads them (publication.sources).
    """
    import shutil

    from publication.sources import PROTECTED_FAMILIES, published_family
    from store.database import open_store
    import settings

    folder = tmp_path_factory.mktemp("conexion-cache")
    os.environ["CONEXION_CACHE_DIR"] = str(folder)
    path = tmp_path_factory.mktemp("fates-store") / sample_store_file.name
    shutil.copyfile(sample_store_file, path)
    connection = open_store(path)
    for family_id in PROTECTED_FAMILIES:
        published_family(connection, family_id, settings.suppression_threshold(), int(settings.get("audit_margin")),
                         folder)
    connection.close()
    return folder


@pytest.fixture(scope="session")
def demo_credentials(tmp_path_factory) -> Path:
    """Demo accounts in a temporary credentials file (never the user's ~/.config)."""
    from tests.apps.auth_support import demo_text, write_yaml

    path = tmp_path_factory.mktemp("credentials") / "credentials.yaml"
    write_yaml(path, demo_text())
    os.environ["CONEXION_CREDENTIALS_FILE"] = str(path)
    os.environ["CONEXION_MODE"] = "development"
    return path


@pytest.fixture(scope="module")
def sample_con(tmp_path_factory, sample_store_file):
    """A connection to a store of the bundled sample data of its own, for one test module."""
    import shutil

    from store.database import open_store

    path = tmp_path_factory.mktemp("store") / sample_store_file.name
    shutil.copyfile(sample_store_file, path)
    connection = open_store(path)
    yield connection
    connection.close()


@pytest.fixture
def fresh_caches(data_dir, demo_credentials):
    """Streamlit caches survive between AppTest runs in one process: clear them around each test."""
    import streamlit as st

    from ui import memo

    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()


# End-to-end fixtures: one real server and one Chromium per test module (tests/browser.py).

@pytest.fixture(scope="module")
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server") / "streamlit.log"


@pytest.fixture(scope="module")
def server_data_dir(tmp_path_factory, sample_store_file) -> Path:
    """The server's own data folder: DuckDB lets one process write a store file, and this test
    process may hold the shared one open, so the server gets a copy of the session's sample store
    (built once; the first page then waits for nothing the session has already done)."""
    import shutil

    folder = tmp_path_factory.mktemp("server-data")
    shutil.copyfile(sample_store_file, folder / sample_store_file.name)
    return folder


@pytest.fixture(scope="module")
def server(server_data_dir, demo_credentials, server_log):
    """The dashboard served by `streamlit run` on 127.0.0.1, with the demo accounts."""
    from tests.browser import require_chromium, streamlit_server

    require_chromium()
    with streamlit_server(server_data_dir, server_log, demo_credentials) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium, require_chromium

    require_chromium()
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
