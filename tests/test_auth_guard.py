"""The production guard: exact lists of reasons to refuse, and the start-up check in each mode."""

from __future__ import annotations

import pytest
import yaml

from auth.errors import AuthConfigError, UnsafeConfigurationError
from auth.guard import assert_safe_to_start, production_problems
from tests.apps.auth_support import STRONG_KEY, account, demo_text, production_config, write_yaml
from tests.conftest import ROOT

KNOWN = {("GTM", "1306"), ("GTM", "1301")}


@pytest.fixture
def demo() -> dict:
    return yaml.safe_load(demo_text())


def test_a_proper_production_configuration_has_no_problem():
    assert production_problems(production_config(), "production", known_municipalities=KNOWN) == []


def test_demo_accounts_are_fine_in_development(demo):
    assert production_problems(demo, "development") == []


def test_demo_accounts_are_refused_in_production(demo):
    assert production_problems(demo, "production", "en") == [
        "The account “liderazgo” is a demo account (demo: true); delete it.",
        "The account “municipal” is a demo account (demo: true); delete it.",
        "The account “presentador” is a demo account (demo: true); delete it.",
        "The account “datos” is a demo account (demo: true); delete it.",
        "The cookie key is a well-known default key; set a random key of your own.",
    ]


def test_demo_passwords_are_refused_even_without_the_demo_flag(demo):
    for entry in demo["credentials"]["usernames"].values():
        entry.pop("demo")
    demo["cookie"]["key"] = STRONG_KEY
    demo["credentials"]["usernames"]["datos"]["password"] = account("data_manager")["password"]
    assert production_problems(demo, "production", "es") == [
        "La cuenta «liderazgo» todavía tiene la contraseña de demostración publicada.",
        "La cuenta «municipal» todavía tiene la contraseña de demostración publicada.",
        "La cuenta «presentador» todavía tiene la contraseña de demostración publicada.",
    ]


def test_every_account_problem_is_listed_in_any_mode():
    config = production_config()
    config["credentials"]["usernames"].update({
        "eva": {**account("presenter"), "password": "hunter2"},
        "flor": account("leadership", password=None),
        "gus": {"name": "Gus", "password": account("presenter")["password"]},
        "hugo": account("mayor"),
        "ines": account("municipal_official"),
        "juan": account("municipal_official", municipalities=["GTM-1306", "GTM:9999"]),
        "kim": account("presenter", municipalities=["GTM:1306"]),
    })
    expected = [
        "The password of “eva” is in plain text; store only its bcrypt hash (python -m auth.hash_password).",
        "The account “flor” has no password.",
        "The account “gus” has no role.",
        "The account “hugo” has an unknown role “mayor”; valid roles: leadership, municipal_official, presenter, "
        "data_manager.",
        "The account “ines” is a municipal official's but has no municipalities.",
        "The account “juan”: “GTM-1306” is not a municipality; write COUNTRY:CODE, for example GTM:1306.",
        "The account “juan”: the municipality GTM:9999 is not among the known territorial units.",
        "The account “kim” has the role presenter, which sees the whole programme, and also municipalities; "
        "remove them or change the role to municipal_official.",
        "The account “kim”: the municipality GTM:1306 is not among the known territorial units.",
    ]
    known = {("GTM", "1301")}  # berta's other municipality, GTM:1306, counts as unknown here
    config["credentials"]["usernames"]["berta"]["municipalities"] = ["GTM:1301"]
    for mode in ("development", "production"):
        assert production_problems(config, mode, "en", known_municipalities=known) == expected


def test_cookie_problems():
    config = production_config()
    config["cookie"] = {"name": "c", "key": "short-but-random-7Qx", "expiry_days": 1}
    assert production_problems(config, "production", "en") == [
        "The cookie key has 20 characters; use at least 32 random characters."]
    config["cookie"] = {"key": "some_signature_key"}
    assert production_problems(config, "production", "es") == [
        "Falta «name» en la sección cookie.",
        "Falta «expiry_days» en la sección cookie.",
        "La clave de la cookie es una clave por defecto conocida; ponga una clave aleatoria propia.",
    ]
    config["cookie"] = {"name": "c", "key": "please-CHANGE_ME-now-0123456789abcdef", "expiry_days": 1}
    assert production_problems(config, "production", "en") == [
        "The cookie key is a well-known default key; set a random key of your own."]


def test_no_accounts_and_unknown_mode():
    config = {"credentials": {"usernames": {}}, "cookie": production_config()["cookie"]}
    assert production_problems(config, "prod", "en") == [
        "Unknown mode “prod”: use development or production.",
        "There is no account: nobody could sign in.",
    ]


def test_a_credentials_file_inside_the_project_is_refused():
    inside = ROOT / "credentials.yaml"
    assert production_problems(production_config(), "production", "en", path=inside) == [
        f"The accounts file {inside} is inside the project folder; keep it outside so it is never published."]
    assert production_problems(production_config(), "development", "en", path=inside) == []


def test_organisation_sign_in_needs_no_cookie_and_no_passwords():
    config = {"sign_in": {"method": "oidc"}, "identities": {
        "ana@ong.example": {"role": "leadership"},
        "berta@ong.example": {"role": "municipal_official"},
    }}
    assert production_problems(config, "production", "en") == [
        "The account “berta@ong.example” is a municipal official's but has no municipalities."]


# The start-up check.

@pytest.fixture
def environment(monkeypatch, tmp_path):
    path = tmp_path / "config" / "credentials.yaml"
    monkeypatch.setenv("CONEXION_CREDENTIALS_FILE", str(path))
    monkeypatch.setenv("CONEXION_MODE", "development")
    return path


def test_development_writes_the_demo_accounts_and_starts(environment, monkeypatch):
    monkeypatch.setattr("auth.demo.demo_config", lambda: yaml.safe_load(demo_text()))
    assert assert_safe_to_start() == []
    assert environment.is_file()


def test_development_returns_problems_as_warnings(environment):
    config = production_config()
    config["credentials"]["usernames"]["eva"] = account("mayor")
    write_yaml(environment, config)
    assert assert_safe_to_start("en") == [
        "The account “eva” has an unknown role “mayor”; valid roles: leadership, municipal_official, presenter, "
        "data_manager."]


def test_production_refuses_demo_accounts_in_both_languages(environment, monkeypatch):
    write_yaml(environment, demo_text())
    monkeypatch.setenv("CONEXION_MODE", "production")
    with pytest.raises(UnsafeConfigurationError) as caught:
        assert_safe_to_start()
    error = caught.value
    assert error.problems["es"][0] == "La cuenta «liderazgo» es de demostración (demo: true); bórrela."
    assert error.problems["en"][-1] == "The cookie key is a well-known default key; set a random key of your own."
    assert error.message("en").splitlines()[0] == (
        f"The sign-in configuration ({environment}) is not safe for production; the dashboard will not start. Fix:")
    text = str(error)
    assert "no es segura para producción" in text and "is not safe for production" in text
    assert text.count("- ") == 10


def test_production_starts_with_a_proper_configuration(environment, monkeypatch):
    write_yaml(environment, production_config())
    monkeypatch.setenv("CONEXION_MODE", "production")
    assert assert_safe_to_start() == []


def test_production_without_a_file_is_a_clear_error(environment, monkeypatch):
    monkeypatch.setenv("CONEXION_MODE", "production")
    with pytest.raises(AuthConfigError) as caught:
        assert_safe_to_start()
    assert caught.value.key == "config.missing" and not environment.exists()


def test_an_unknown_mode_refuses_to_start(environment, monkeypatch):
    write_yaml(environment, production_config())
    monkeypatch.setenv("CONEXION_MODE", "produccion")
    with pytest.raises(UnsafeConfigurationError) as caught:
        assert_safe_to_start()
    assert caught.value.problems["en"] == ["Unknown mode “produccion”: use development or production."]
