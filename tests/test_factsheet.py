"""The one-page PDF factsheet: text read back with pypdf, one page, rendered with pdftoppm."""

from __future__ import annotations

import io
import shutil
import subprocess
import time

import pytest
from pypdf import PdfReader

import i18n
from auth.roles import Role, Scope
from tests.browser import require_chromium
from tests.conftest import ROOT
from tests.reference_figures import published_text
from tests.test_my_municipality import expected

LEADERSHIP = Scope("liderazgo", Role.LEADERSHIP)
OFFICIAL = Scope("municipal", Role.MUNICIPAL_OFFICIAL, (("GTM", "1306"),))


def _factsheet(municipality, scope, lang):
    from exports.factsheet import build_factsheet
    from store.municipal import municipal_profile

    return build_factsheet(municipal_profile(municipality, scope=scope), lang)


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("lang, words", [
    ("es", ("Huehuetenango", "personas recibieron atención directa", "consiguieron empleo", "AMIDEGA",
            "Política Municipal de Migración y Retorno de Huehuetenango")),
    ("en", ("Huehuetenango", "people were served directly", "found a job", "AMIDEGA")),
])
def test_factsheet_has_the_municipality_and_its_figures_on_one_page(fresh_caches, tmp_path, lang, words):
    require_chromium()
    pdf = _factsheet(("GTM", "1301"), LEADERSHIP, lang)
    pages, text = _text(pdf)
    assert pages == 1
    figures = expected("GTM", "municipality_code", "1301")
    department = expected("GTM", "department_code", "13")
    for word in (*words, " ".join(i18n.hidden_note(lang).split())):  # how each kind of hidden figure reads
        assert word in " ".join(text.split()), word
    assert f"{figures['people_served']} " in text and f"{department['people_served']}" in text
    assert f"{figures['miska_employed']} " in text
    if shutil.which("pdftoppm"):
        (tmp_path / "sheet.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(tmp_path / "sheet.pdf"), str(tmp_path / "sheet")],
                       check=True)
        target = ROOT / "artifacts" / f"factsheet_1301_{lang}.png"
        target.parent.mkdir(exist_ok=True)
        shutil.copy(tmp_path / "sheet-1.png", target)


def test_official_factsheet_protects_san_pedro_necta(fresh_caches):
    require_chromium()
    pdf = _factsheet(("GTM", "1306"), OFFICIAL, "es")
    pages, text = _text(pdf)
    flat = " ".join(text.split())
    assert pages == 1
    assert "San Pedro Necta" in flat and "Huehuetenango" in flat
    # Each figure as the publication family decided: its number, or its kind's reading ('menos de 5' ...).
    period = ("2023-01-01", "2024-12-31")
    served, participants, employed = (published_text(i, *period, ("GTM", "municipality", "1306"))
                                      for i in ("people_served", "miska_participants", "miska_employed"))
    assert served not in i18n.hidden_marks() and participants not in i18n.hidden_marks()  # the totals stay published
    assert f"{served} personas" in flat and f"{participants} personas participaron" in flat
    small = employed == i18n.hidden_mark(i18n.SMALL, "es")
    assert (f"{employed} personas consiguieron empleo" if small else "la cifra de quienes consiguieron empleo es un dato"
            if employed in i18n.hidden_marks() else f"{employed} consiguieron empleo") in flat
    assert " ".join(i18n.hidden_note("es").split()) in flat
    assert "Programa (total)" not in flat  # an official's scope holds no wider total
    assert str(expected("GTM", "department_code", "13")["people_served"]) in flat


def test_factsheet_of_a_municipality_without_activity(fresh_caches):
    require_chromium()
    pages, text = _text(_factsheet(("GTM", "1303"), LEADERSHIP, "es"))
    assert pages == 1
    assert "No hay actividad del programa registrada en Malacatancito" in " ".join(text.split())


def test_warm_kaleido_server_makes_the_second_factsheet_fast(fresh_caches):
    require_chromium()
    _factsheet(("BOL", "020804"), LEADERSHIP, "es")
    started = time.perf_counter()
    pdf = _factsheet(("BOL", "020804"), LEADERSHIP, "es")
    assert time.perf_counter() - started < 5
    assert 20_000 < len(pdf) < 1_000_000
