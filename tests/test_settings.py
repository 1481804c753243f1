"""Settings are declared once, documented in the README, and validated."""

import pytest

import settings
from tests.conftest import ROOT


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [s.name for s in settings.SETTINGS if f"`CONEXION_{s.name.upper()}`" not in readme] == []


def test_environment_overrides_the_default(monkeypatch):
    monkeypatch.setenv("CONEXION_SUPPRESSION_THRESHOLD", "7")
    assert settings.suppression_threshold() == 7


def test_threshold_never_below_three(monkeypatch):
    monkeypatch.setenv("CONEXION_SUPPRESSION_THRESHOLD", "2")
    with pytest.raises(ValueError, match="below the minimum of 3"):
        settings.suppression_threshold()


def test_reintegration_weights_must_sum_to_one(monkeypatch):
    assert settings.reintegration_weights() == {"economic": 0.4, "social": 0.3, "psychosocial": 0.3}
    monkeypatch.setenv("CONEXION_REINTEGRATION_WEIGHTS", "economic=0.5,social=0.3,psychosocial=0.3")
    with pytest.raises(ValueError, match="summing to 1"):
        settings.reintegration_weights()


def test_unknown_setting_is_an_error():
    with pytest.raises(KeyError, match="declare it in settings.SETTINGS"):
        settings.get("no_such_setting")
