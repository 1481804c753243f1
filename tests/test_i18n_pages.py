"""Every page in both languages, headless: no message of the other language, numbers formatted for the language.

A page that shows a Spanish text in the English dashboard (a label not passed through the
catalogue, or a key looked up in the wrong language) fails here; pages added later are
picked up from `pages/`.
"""

from __future__ import annotations

import re

import pytest

import i18n
from auth.roles import PAGE_IDS
from tests.conftest import ROOT
from tests.signed_in import run_dashboard
from tests.test_roles import _rendered

PAGES = [page_id for page_id in PAGE_IDS if (ROOT / "pages" / f"{page_id}.py").exists()]
# Links that make each page show its figures (My municipality needs a municipality).
LINKS = {"my_municipality": {"municipio": "1301", "pais": "GTM"}}
OTHER = {"es": "en", "en": "es"}
# Catalogue texts long and specific enough that they cannot appear by chance in the other language.
MIN_LENGTH = 14


def _only_in(lang: str) -> set[str]:
    """Texts of `lang` that the other language translates differently (placeholders removed)."""
    mine, theirs = i18n.catalogue(lang), i18n.catalogue(OTHER[lang])
    texts = set()
    for key, text in mine.items():
        if text == theirs.get(key):
            continue
        for fragment in re.split(r"\{[^}]*\}", text):
            fragment = fragment.strip(" .:,;()–-")
            if len(fragment) >= MIN_LENGTH and fragment not in theirs.values():
                texts.add(fragment)
    return texts


def test_the_pages_list_includes_every_built_page():
    assert {"overview", "territorial_map", "my_municipality"} <= set(PAGES)


def test_the_foreign_text_detector_knows_each_language():
    assert {"Personas atendidas directamente", "Panorama regional"} <= _only_in("es")
    assert {"People served directly", "Regional overview"} <= _only_in("en")


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("page_id", PAGES)
def test_page_shows_only_its_language(fresh_caches, page_id, lang):
    app = run_dashboard("liderazgo", query=LINKS.get(page_id, {}), lang=lang, page=f"pages/{page_id}.py")
    assert not app.exception, app.exception
    shown = _rendered(app)
    foreign = sorted(text for text in _only_in(OTHER[lang]) if text in shown)
    assert foreign == [], f"{page_id} in {lang} shows texts of the other language: {foreign[:5]}"
    keys = sorted(key for key in i18n.catalogue(lang) if re.search(rf"(?<![\w.]){re.escape(key)}(?![\w.])", shown)
                  and "." in key and key.count(".") >= 1 and not key.startswith(("country.", "age_group.")))
    assert keys == [], f"{page_id} in {lang} shows raw message keys: {keys[:5]}"


@pytest.mark.parametrize("lang, people_served", [("es", "1.470"), ("en", "1,470")])
def test_overview_numbers_follow_the_language(fresh_caches, lang, people_served):
    app = run_dashboard("liderazgo", lang=lang)
    assert people_served in [metric.value for metric in app.metric]
