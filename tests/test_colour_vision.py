"""Categorical chart palettes stay apart for protanopes and deuteranopes (Machado 2009), and text colours
reach WCAG AA contrast on white."""

from __future__ import annotations

import pytest

from charts import municipality, network, overview, reintegration, style
from charts.colour_vision import confusable_pairs, contrast_ratio, simulate

PALETTES = {
    "profile": overview.PROFILE_COLOURS, "sex": style.SEX_COLOURS, "institution_type": network.TYPE_COLOURS,
    "country": network.COUNTRY_COLOURS, "tie": network.TIE_COLOURS, "stage": reintegration.STAGE_COLOURS,
    "rate": reintegration.RATE_COLOURS, "status": reintegration.STATUS_COLOURS, "round": reintegration.ROUND_COLOURS,
    "level": dict(enumerate(municipality.LEVEL_COLOURS)),
}


def test_simulation_matches_machado_for_pure_colours():
    # Red loses most of its lightness to a protanope, keeps more of it to a deuteranope; grey is unchanged.
    assert simulate("#FF0000", "protanopia")[0] < 0.5 < simulate("#FF0000", "deuteranopia")[0]
    assert all(abs(channel - 0.5) < 0.01 for channel in simulate("#808080", "deuteranopia"))
    # Red and green, the classic confusion, fall together for both.
    assert confusable_pairs({"red": "#D62728", "green": "#2CA02C"}, minimum=25)


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("name", PALETTES)
def test_categorical_palette_is_told_apart_by_colour_blind_readers(name):
    assert confusable_pairs(PALETTES[name]) == []


@pytest.mark.parametrize("colour", [style.TEXT, style.MUTED, style.CAPTION_COLOUR, style.PRIMARY])
def test_text_colours_reach_aa_contrast_on_white(colour):
    assert contrast_ratio(colour) >= 4.5
