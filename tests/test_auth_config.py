"""The credentials file: where it is, the clear errors when it is unusable, demo accounts, and account -> scope."""

from __future__ import annotations

import stat

import bcrypt
import pytest
import yaml

from auth.accounts import scope_for_identity, scope_for_username
from auth.config import credentials_path, load_config
from auth.demo import DEMO_ACCOUNTS, DEMO_COOKIE_KEY, ensure_demo_credentials
from auth.errors import AuthConfigError
from auth.roles import Role, Scope
from tests.apps.auth_support import account, demo_text, production_config, write_yaml
from tests.conftest import ROOT


def _error(path) -> AuthConfigError:
    with pytest.raises(AuthConfigError) as caught:
        load_config(path)
    return caught.value


# Where the file is.

def test_path_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CONEXION_CREDENTIALS_FILE", str(tmp_path / "x" / "accounts.yaml"))
    assert credentials_path() == tmp_path / "x" / "accounts.yaml"


def test_default_path_is_outside_the_repository(monkeypatch):
    monkeypatch.delenv("CONEXION_CREDENTIALS_FILE", raising=False)
    path = credentials_path()
    assert path.parts[-3:] == (".config", "conexion", "credentials.yaml")
    assert not path.is_relative_to(ROOT)


def test_a_leading_tilde_is_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("CONEXION_CREDENTIALS_FILE", "~/conexion/credentials.yaml")
    assert credentials_path() == tmp_path / "conexion" / "credentials.yaml"


# Clear errors, naming the file, in both languages.

def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    error = _error(path)
    assert error.message("es") == (f"{path}: no existe el archivo de cuentas. Créelo como explica docs/sign-in.md "
                                   "(en modo desarrollo se crea solo, con cuentas de demostración).")
    assert error.message("en") == (f"{path}: the accounts file does not exist. Create it as docs/sign-in.md explains "
                                   "(in development mode it is created on its own, with demo accounts).")
    assert str(error) == error.message("es") + "\n" + error.message("en")


def test_invalid_yaml_names_the_line(tmp_path):
    path = write_yaml(tmp_path / "c.yaml", "credentials:\n  usernames:\n    ana: {name: Ana\n")
    error = _error(path)
    assert error.message("es") == (f"{path}: no es YAML válido (línea 4). "
                                   "Revise la sangría y los dos puntos de esa línea.")
    assert error.message("en") == f"{path}: not valid YAML (line 4). Check the indentation and colons on that line."


def test_a_list_is_not_a_configuration(tmp_path):
    path = write_yaml(tmp_path / "c.yaml", "- ana\n- berta\n")
    assert _error(path).message("en") == (f"{path}: the accounts file must hold sections (credentials, cookie), "
                                          "not a list or a text.")


@pytest.mark.parametrize("config, section", [
    ({"cookie": {"name": "c", "key": "k", "expiry_days": 1}}, "credentials"),
    ({"credentials": {"usernames": None}, "cookie": {}}, "credentials.usernames"),
    ({"credentials": {"usernames": {"ana": {"role": "leadership"}}}}, "cookie"),
    ({"credentials": {"usernames": {"ana": "leadership"}}, "cookie": {}}, "credentials.usernames.ana"),
    ({"sign_in": {"method": "oidc"}}, "identities"),
])
def test_missing_sections(tmp_path, config, section):
    path = write_yaml(tmp_path / "c.yaml", config)
    error = _error(path)
    assert error.message("es") == (f"{path}: falta la sección «{section}» o no tiene el formato esperado "
                                   "(véase docs/sign-in.md).")
    assert error.message("en") == (f"{path}: the section “{section}” is missing or not in the expected format "
                                   "(see docs/sign-in.md).")


def test_unknown_sign_in_method(tmp_path):
    path = write_yaml(tmp_path / "c.yaml", {"sign_in": {"method": "ldap"}})
    assert _error(path).message("en") == f"{path}: unknown sign-in method “ldap”; use password or oidc."


def test_usernames_and_identities_are_lower_cased(tmp_path):
    config = production_config()
    config["credentials"]["usernames"]["Ana"] = config["credentials"]["usernames"].pop("ana")
    config["identities"] = {"Eva@Example.org": {"role": "presenter"}}
    loaded = load_config(write_yaml(tmp_path / "c.yaml", config))
    assert "ana" in loaded["credentials"]["usernames"] and "eva@example.org" in loaded["identities"]


# Demo accounts.

def test_demo_credentials_are_written_in_development(tmp_path):
    path = tmp_path / "new" / "folders" / "credentials.yaml"
    assert ensure_demo_credentials(path, "development") == path
    config = load_config(path)
    users = config["credentials"]["usernames"]
    assert list(users) == ["liderazgo", "municipal", "presentador", "datos"]
    for demo in DEMO_ACCOUNTS:
        entry = users[demo.username]
        assert entry["demo"] is True and entry["role"] == demo.role
        assert entry["password"] != demo.password
        assert bcrypt.checkpw(demo.password.encode(), entry["password"].encode())
    assert users["municipal"]["municipalities"] == ["GTM:1306"]
    assert config["cookie"]["key"] == DEMO_COOKIE_KEY and "change-me" in DEMO_COOKIE_KEY
    assert path.read_text(encoding="utf-8").startswith("# Conexión territorial: DEMO accounts")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_demo_municipality_is_san_pedro_necta():
    from geo.units import territorial_units

    units = territorial_units()
    row = units[(units["country"] == "GTM") & (units["level"] == "municipality") & (units["code"] == "1306")]
    assert row["name"].tolist() == ["San Pedro Necta"]


def test_demo_credentials_honour_the_configured_path(monkeypatch, tmp_path):
    path = tmp_path / "elsewhere" / "accounts.yaml"
    monkeypatch.setenv("CONEXION_CREDENTIALS_FILE", str(path))
    monkeypatch.setenv("CONEXION_MODE", "development")
    monkeypatch.setattr("auth.demo.demo_config", lambda: yaml.safe_load(demo_text()))
    assert ensure_demo_credentials() == path and path.is_file()


def test_existing_file_is_never_overwritten(tmp_path):
    path = write_yaml(tmp_path / "c.yaml", production_config())
    before = path.read_text(encoding="utf-8")
    assert ensure_demo_credentials(path, "development") is None
    assert path.read_text(encoding="utf-8") == before


def test_production_never_writes_demo_accounts(tmp_path):
    path = tmp_path / "c.yaml"
    assert ensure_demo_credentials(path, "production") is None
    assert not path.exists()


def test_unwritable_folder_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("auth.demo.demo_config", lambda: yaml.safe_load(demo_text()))
    blocker = write_yaml(tmp_path / "file.yaml", "x: 1\n")
    with pytest.raises(AuthConfigError) as caught:
        ensure_demo_credentials(blocker / "credentials.yaml", "development")
    expected = f"{blocker / 'credentials.yaml'}: the demo accounts file could not be written ("
    assert caught.value.message("en").startswith(expected)


# From account to scope.

def test_scope_for_username():
    config = production_config()
    assert scope_for_username("berta", config) == Scope(
        "berta", Role.MUNICIPAL_OFFICIAL, (("GTM", "1306"), ("GTM", "1301")), "Persona municipal_official")
    assert scope_for_username(" ANA ", config).role is Role.LEADERSHIP
    assert scope_for_username("nobody", config) is None
    assert scope_for_username(None, config) is None


@pytest.mark.parametrize("entry", [
    account("municipal_official"),                                   # no municipality
    account("municipal_official", municipalities=["GTM-1306"]),      # malformed
    account("leadership", municipalities=["GTM:1306"]),              # sees everything yet restricted?
    account("mayor"),                                                # unknown role
    {**account("presenter"), "password": "plain-text"},              # not a hash
    {"name": "Sin rol", "password": account("presenter")["password"]},
])
def test_an_account_with_a_problem_gets_no_scope(entry):
    config = production_config()
    config["credentials"]["usernames"]["eva"] = entry
    assert scope_for_username("eva", config) is None


def test_scope_for_identity_from_the_identities_section():
    config = {"sign_in": {"method": "oidc"}, "identities": {
        "lucia.perez@ong.example": {"name": "Lucía Pérez", "role": "municipal_official",
                                    "municipalities": ["GTM:1306"]},
        "jefa@ong.example": {"role": "leadership"},
    }}
    assert scope_for_identity("  Lucia.Perez@ONG.example ", config) == Scope(
        "lucia.perez@ong.example", Role.MUNICIPAL_OFFICIAL, (("GTM", "1306"),), "Lucía Pérez")
    assert scope_for_identity("jefa@ong.example", config).display_name == "jefa@ong.example"
    assert scope_for_identity("intruso@gmail.example", config) is None
    assert scope_for_identity("", config) is None
    assert scope_for_identity(None, config) is None


def test_scope_for_identity_falls_back_to_an_account_with_that_email():
    config = production_config()
    config["credentials"]["usernames"]["berta"].pop("password")  # the provider checks who she is
    scope = scope_for_identity("Municipal_Official@example.org", config)
    assert scope is not None and scope.username == "berta"
    assert scope.municipalities == (("GTM", "1306"), ("GTM", "1301"))


def test_scope_for_identity_refuses_entries_with_problems():
    config = {"identities": {"a@x.example": {"role": "municipal_official"}, "b@x.example": {"role": "boss"},
                             "c@x.example": {"name": "no role"}}}
    assert [scope_for_identity(e, config) for e in ("a@x.example", "b@x.example", "c@x.example")] == [None] * 3


def test_hash_password_command(monkeypatch, capsys):
    from auth import hash_password
    from auth.accounts import is_bcrypt_hash

    answers = iter(["una-clave-larga", "una-clave-larga"])
    monkeypatch.setattr(hash_password.getpass, "getpass", lambda prompt: next(answers))
    salt = bcrypt.gensalt(rounds=4)
    monkeypatch.setattr(hash_password.bcrypt, "gensalt", lambda: salt)
    assert hash_password.main() == 0
    printed = capsys.readouterr().out.strip()
    assert is_bcrypt_hash(printed) and bcrypt.checkpw(b"una-clave-larga", printed.encode())
    answers = iter(["una", "otra"])
    assert hash_password.main() == 1
    assert "no coinciden" in capsys.readouterr().err
