"""Catalogues: same keys and placeholders in both languages; numbers and dates as each language writes them."""

import datetime as dt
import string

import pytest

import i18n


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogues_have_the_same_keys():
    assert set(i18n.catalogue("es")) == set(i18n.catalogue("en"))


def test_catalogues_have_the_same_placeholders():
    es, en = i18n.catalogue("es"), i18n.catalogue("en")
    mismatched = [key for key in es if _placeholders(es[key]) != _placeholders(en[key])]
    assert mismatched == []


def test_no_empty_message():
    assert [k for lang in i18n.LANGUAGES for k, v in i18n.catalogue(lang).items() if not v.strip()] == []


@pytest.mark.parametrize("lang, value, expected", [
    ("es", 1474, "1.474"), ("en", 1474, "1,474"), ("es", 0, "0"), ("en", 1234567, "1,234,567"),
    ("es", None, "–"), ("en", float("nan"), "–"),
])
def test_format_number(lang, value, expected):
    assert i18n.format_number(value, lang) == expected


@pytest.mark.parametrize("lang, value, expected", [("es", 0.653, "65,3 %"), ("en", 0.653, "65.3%")])
def test_format_share(lang, value, expected):
    assert i18n.format_share(value, lang).replace("\xa0", " ") == expected


@pytest.mark.parametrize("lang, expected_long, expected_quarter", [
    ("es", "5 de marzo de 2024", "T1 2024"), ("en", "March 5, 2024", "Q1 2024"),
])
def test_dates(lang, expected_long, expected_quarter):
    day = dt.date(2024, 3, 5)
    assert i18n.format_date(day, lang) == expected_long
    assert i18n.format_quarter(dt.date(2024, 1, 1), lang) == expected_quarter


@pytest.mark.parametrize("raw, expected", [("en", "en"), ("EN-us", "en"), ("fr", "es"), (None, "es"), ("", "es")])
def test_normalise_language(raw, expected):
    assert i18n.normalise_language(raw) == expected


def test_missing_key_is_an_error():
    with pytest.raises(i18n.MissingMessageError):
        i18n.translate("no.such.key", "es")


@pytest.mark.parametrize("kind, lang, mark", [
    ("small", "es", "menos de 5"), ("small", "en", "fewer than 5"),
    ("protecting", "es", "oculta"), ("protecting", "en", "hidden"),
    ("withheld", "es", "no publicada"), ("withheld", "en", "not published"),
    (None, "es", "no publicada"), (None, "en", "not published"),  # an unknown kind says nothing of the figure
])
def test_a_hidden_figure_reads_as_its_kind(kind, lang, mark):
    import pandas as pd

    assert i18n.hidden_mark(kind, lang) == mark
    assert i18n.format_count(pd.NA, lang, kind) == i18n.format_count(None, lang, kind) == mark
    assert mark in i18n.hidden_marks()


@pytest.mark.parametrize("lang, expected", [
    ("es", ["Menos de 5 personas", "Cifra ocultada", "No se publica aquí, ni siquiera como «menos de 5»"]),
    ("en", ["Fewer than 5 people", "Hidden so that", "Not published here, not even as “fewer than 5”"]),
])
def test_each_kind_says_why_in_one_sentence(lang, expected):
    reasons = [i18n.hidden_reason(kind, lang) for kind in i18n.HIDDEN_KINDS]
    assert [r[:len(e)] for r, e in zip(reasons, expected)] == expected
    assert all(r.count(". ") == 0 and r.endswith(".") for r in reasons)
    legend = i18n.hidden_legend(["withheld", "small", "small"], lang).split("\n")
    assert legend == [i18n.translate("privacy.hidden.legend", lang, mark=i18n.hidden_mark(k, lang),
                                     reason=i18n.hidden_reason(k, lang)) for k in ("small", "withheld")]
    assert all(i18n.hidden_mark(k, lang) in i18n.hidden_note(lang) for k in i18n.HIDDEN_KINDS)


def test_the_small_mark_follows_the_threshold(monkeypatch):
    monkeypatch.setenv("CONEXION_SUPPRESSION_THRESHOLD", "3")
    assert i18n.hidden_mark("small", "es") == "menos de 3"
    assert "1 to 2 people" in i18n.hidden_note("en")


def test_published_counts_read_as_numbers():
    assert i18n.format_count(1470, "es") == "1.470"
    assert i18n.format_count(0, "en") == "0"


def test_a_log_moment_is_written_in_the_language():
    moment = dt.datetime(2026, 12, 5, 13, 44)
    assert i18n.format_timestamp(moment, "es") == "5 dic 2026 13:44"
    assert i18n.format_timestamp(moment, "en") == "Dec 5, 2026 13:44"
    assert i18n.format_timestamp(None, "en") == "–"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_streamlit_skip_link_is_redrawn_in_the_language(lang):
    from ui.layout import chrome_text_style

    style = chrome_text_style(lang)
    assert f'content:"{i18n.translate("a11y.skip_to_content", lang)}"' in style and "stSkipToContent" in style
