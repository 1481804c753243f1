"""The sign-in gate under AppTest: nothing before sign-in, a clear message on failure, the scope after success."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from auth.audit_log import read_events
from auth.roles import Role, Scope
from tests.apps.auth_support import account, demo_text, production_config, write_yaml
from tests.conftest import ROOT

APP = str(ROOT / "tests" / "apps" / "sign_in_app.py")


@pytest.fixture
def credentials(monkeypatch, tmp_path):
    """A demo credentials file and a data folder of the test's own, in development mode."""
    path = write_yaml(tmp_path / "config" / "credentials.yaml", demo_text())
    monkeypatch.setenv("CONEXION_CREDENTIALS_FILE", str(path))
    monkeypatch.setenv("CONEXION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CONEXION_MODE", "development")
    return path


def _app(lang: str | None = None, user: dict | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    if lang:
        app.query_params["lang"] = lang
    if user is not None:
        app.user = user
    return app.run()


def _sign_in(app: AppTest, username: str, password: str) -> AppTest:
    app.text_input[0].input(username)
    app.text_input[1].input(password)
    return app.button[0].click().run()


def _shown(app: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*app.markdown, *app.error, *app.title, *app.subheader, *app.caption])


def _events() -> list[tuple]:
    return [(e["event"], e["username"], e["details"]) for e in read_events()]


def test_nothing_but_the_form_before_sign_in(credentials):
    app = _app()
    assert not app.exception
    assert [t.label for t in app.text_input] == ["Usuario", "Contraseña"]
    assert [b.label for b in app.button] == ["Entrar"]
    assert app.metric == [] and "SCOPE" not in _shown(app)
    assert "scope" not in app.session_state
    assert "Cuentas de demostración" in [s.value for s in app.subheader]
    assert "`demo-municipal`" in _shown(app) and "San Pedro Necta (GTM 1306)" in _shown(app)


def test_wrong_password_gives_a_clear_message_and_one_audit_line(credentials):
    app = _sign_in(_app(), "liderazgo", "demo-municipal")
    assert [e.value for e in app.error] == ["Usuario o contraseña incorrectos."]
    assert app.metric == [] and "SCOPE" not in _shown(app)
    assert _events() == [("sign_in_failed", "liderazgo", {"known_account": True})]
    app.run()  # a rerun is not another attempt
    assert app.error == [] and len(_events()) == 1


def test_unknown_username_is_not_written_to_the_log(credentials):
    app = _sign_in(_app(), "demo-liderazgo", "liderazgo")  # fields swapped: never log what was typed
    assert [e.value for e in app.error] == ["Usuario o contraseña incorrectos."]
    assert _events() == [("sign_in_failed", None, {"known_account": False})]


def test_english_sign_in_screen(credentials):
    app = _app(lang="en")
    assert [t.label for t in app.text_input] == ["Username", "Password"]
    assert "Demo accounts" in [s.value for s in app.subheader]
    app = _sign_in(app, "datos", "wrong")
    assert [e.value for e in app.error] == ["Wrong username or password."]


def test_correct_password_gives_the_scope(credentials):
    app = _sign_in(_app(), "municipal", "demo-municipal")
    assert not app.exception
    assert "SCOPE municipal municipal_official [('GTM', '1306')]" in _shown(app)
    assert [m.label for m in app.metric] == ["Personas atendidas"]
    assert app.text_input == []  # the form is gone
    assert app.session_state["scope"] == Scope("municipal", Role.MUNICIPAL_OFFICIAL, (("GTM", "1306"),),
                                               "Municipalidad de San Pedro Necta (demo)")
    sidebar = [c.value for c in app.sidebar.caption] + [m.value for m in app.sidebar.markdown]
    assert "Rol: Funcionario/a municipal" in sidebar and "Territorio: San Pedro Necta (GTM 1306)" in sidebar
    assert "Sesión de **Municipalidad de San Pedro Necta (demo)**" in sidebar
    app.run()
    assert _events() == [("sign_in", "municipal", {"method": "password"})]


def test_sign_out_returns_to_the_form(credentials):
    app = _sign_in(_app(), "presentador", "demo-presentador")
    app.sidebar.button(key="sign_out").click().run()
    assert [t.label for t in app.text_input] == ["Usuario", "Contraseña"]
    assert app.metric == [] and "scope" not in app.session_state
    assert [e[0] for e in _events()] == ["sign_in", "sign_out"]
    assert _events()[1][1] == "presentador"


def test_production_refuses_demo_accounts_without_details_on_the_page(credentials, monkeypatch, capsys):
    monkeypatch.setenv("CONEXION_MODE", "production")
    app = _app()
    assert [e.value for e in app.error] == [
        "El tablero no puede arrancar: la configuración de acceso no es segura para producción (5 problemas). "
        "Quien lo administra encontrará los detalles en el registro del servidor."]
    assert app.text_input == [] and app.metric == []
    assert "La cuenta «liderazgo» es de demostración" in capsys.readouterr().err


def test_production_with_proper_accounts_shows_no_demo_accounts(credentials, monkeypatch):
    write_yaml(credentials, production_config())
    monkeypatch.setenv("CONEXION_MODE", "production")
    app = _app()
    assert [t.label for t in app.text_input] == ["Usuario", "Contraseña"]
    assert "Cuentas de demostración" not in _shown(app) and "demo-" not in _shown(app)
    app = _sign_in(app, "ana", "secreto-largo")
    assert "SCOPE ana leadership []" in _shown(app)


def test_production_without_a_credentials_file_says_where_it_looked(credentials, monkeypatch):
    credentials.unlink()
    monkeypatch.setenv("CONEXION_MODE", "production")
    app = _app(lang="en")
    assert app.error[0].value.startswith(f"{credentials}: the accounts file does not exist.")
    assert app.text_input == [] and not credentials.exists()


def test_an_account_without_a_valid_role_cannot_get_in(credentials):
    config = production_config()
    config["credentials"]["usernames"]["eva"] = account("mayor")
    write_yaml(credentials, config)
    app = _app(lang="en")
    assert "unknown role “mayor”" in app.sidebar.warning[0].value  # development: a warning, not a refusal
    app = _sign_in(app, "eva", "secreto-largo")
    assert [e.value for e in app.error] == [
        "Your account has no valid role or territory. Ask the dashboard's administrator to check it."]
    assert app.metric == [] and "scope" not in app.session_state
    assert _events() == [("sign_in_failed", "eva", {"known_account": True, "reason": "no_valid_role"})]


def test_a_session_already_signed_in_skips_the_form(credentials):
    """The shortcut for page tests: preset the library's session keys instead of typing in the form."""
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state["authentication_status"] = True
    app.session_state["username"] = "datos"
    app.run()
    assert app.text_input == [] and "SCOPE datos data_manager []" in _shown(app)
    assert _events() == [("sign_in", "datos", {"method": "session"})]


def test_session_key_is_the_one_pages_read():
    from ui import session, sign_in

    assert sign_in.SCOPE_KEY == session.SCOPE_KEY


# Organisation sign-in (st.login): tested up to the configuration, no provider is reachable.

@pytest.fixture
def organisation(credentials):
    write_yaml(credentials, {"sign_in": {"method": "oidc"}, "identities": {
        "lucia.perez@ong.example": {"name": "Lucía Pérez", "role": "municipal_official",
                                    "municipalities": ["GTM:1306"]}}})
    return credentials


def test_organisation_identity_is_mapped_to_its_scope(organisation):
    app = _app(user={"is_logged_in": True, "email": "Lucia.Perez@ong.example", "name": "Lucía"})
    assert not app.exception
    assert "SCOPE lucia.perez@ong.example municipal_official [('GTM', '1306')]" in _shown(app)
    assert _events() == [("sign_in", "lucia.perez@ong.example", {"method": "oidc"})]


def test_organisation_identity_without_a_role_is_refused(organisation):
    app = _app(lang="en", user={"is_logged_in": True, "email": "someone@gmail.example"})
    assert [e.value for e in app.error] == [
        "someone@gmail.example has no access to this dashboard. "
        "Ask its administrator to give you a role and a territory."]
    assert app.metric == []
    assert _events() == [("sign_in_failed", "someone@gmail.example", {"reason": "no_access"})]


def test_unverified_email_is_refused(organisation):
    app = _app(user={"is_logged_in": True, "email": "lucia.perez@ong.example", "email_verified": False})
    assert app.metric == [] and "no tiene acceso" in app.error[0].value


def test_organisation_sign_in_without_auth_secrets_says_what_is_missing(organisation):
    app = _app(user={"is_logged_in": False})
    assert app.error[0].value.startswith("El inicio de sesión con la organización no está configurado")
    assert app.metric == [] and app.button == []


def _positions(app: AppTest) -> dict[str, int]:
    """Where each element of the signed-in page is in the main area (the run counter's text left out)."""
    return {f"{type(e).__name__}:{str(getattr(e, 'value', ''))[:20]}": index
            for index, e in app.main.children.items() if "SIGNED-IN RUNS" not in str(getattr(e, "value", ""))}


def test_the_signed_in_page_keeps_its_positions_on_the_run_after_the_sign_in(credentials):
    """A form or cookie script drawn only on the sign-in run moved every element of the page by one on the
    next run, and the browser drew each anew (a file being dropped on the Data page was lost)."""
    app = _sign_in(_app(), "datos", "demo-datos")
    assert "SCOPE datos" in _shown(app)
    on_the_sign_in_run = _positions(app)
    app.run()
    assert _positions(app) == on_the_sign_in_run
    assert "Metric:1474" in on_the_sign_in_run
