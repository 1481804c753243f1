"""Every text of the sign-in package, Spanish first, then English, with the function that fills them in.

Kept apart from i18n/*.json so that the sign-in package owns its own texts; the same rule
applies: both languages have the same keys and the same {placeholders}.
"""

from __future__ import annotations

LANGUAGES = ("es", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # Reading the credentials file.
    "config.missing": {
        "es": "{file}: no existe el archivo de cuentas. Créelo como explica docs/sign-in.md "
              "(en modo desarrollo se crea solo, con cuentas de demostración).",
        "en": "{file}: the accounts file does not exist. Create it as docs/sign-in.md explains "
              "(in development mode it is created on its own, with demo accounts).",
    },
    "config.unreadable": {
        "es": "{file}: no se pudo leer el archivo de cuentas ({detail}).",
        "en": "{file}: the accounts file could not be read ({detail}).",
    },
    "config.cannot_write": {
        "es": "{file}: no se pudo escribir el archivo de cuentas de demostración ({detail}).",
        "en": "{file}: the demo accounts file could not be written ({detail}).",
    },
    "config.invalid_yaml": {
        "es": "{file}: no es YAML válido (línea {line}). Revise la sangría y los dos puntos de esa línea.",
        "en": "{file}: not valid YAML (line {line}). Check the indentation and colons on that line.",
    },
    "config.not_mapping": {
        "es": "{file}: el archivo de cuentas debe contener secciones (credentials, cookie), no una lista ni un texto.",
        "en": "{file}: the accounts file must hold sections (credentials, cookie), not a list or a text.",
    },
    "config.missing_section": {
        "es": "{file}: falta la sección «{section}» o no tiene el formato esperado (véase docs/sign-in.md).",
        "en": "{file}: the section “{section}” is missing or not in the expected format (see docs/sign-in.md).",
    },
    "config.unknown_method": {
        "es": "{file}: método de inicio de sesión desconocido «{method}»; use password u oidc.",
        "en": "{file}: unknown sign-in method “{method}”; use password or oidc.",
    },
    # Reasons to refuse a configuration (production guard and account checks).
    "problem.unknown_mode": {
        "es": "Modo desconocido «{mode}»: use development o production.",
        "en": "Unknown mode “{mode}”: use development or production.",
    },
    "problem.no_accounts": {
        "es": "No hay ninguna cuenta: nadie podría iniciar sesión.",
        "en": "There is no account: nobody could sign in.",
    },
    "problem.demo_account": {
        "es": "La cuenta «{username}» es de demostración (demo: true); bórrela.",
        "en": "The account “{username}” is a demo account (demo: true); delete it.",
    },
    "problem.demo_password": {
        "es": "La cuenta «{username}» todavía tiene la contraseña de demostración publicada.",
        "en": "The account “{username}” still has the published demo password.",
    },
    "problem.cookie_default_key": {
        "es": "La clave de la cookie es una clave por defecto conocida; ponga una clave aleatoria propia.",
        "en": "The cookie key is a well-known default key; set a random key of your own.",
    },
    "problem.cookie_short_key": {
        "es": "La clave de la cookie tiene {length} caracteres; use al menos {minimum} caracteres aleatorios.",
        "en": "The cookie key has {length} characters; use at least {minimum} random characters.",
    },
    "problem.cookie_field": {
        "es": "Falta «{field}» en la sección cookie.",
        "en": "“{field}” is missing from the cookie section.",
    },
    "problem.inside_repository": {
        "es": "El archivo de cuentas {file} está dentro de la carpeta del proyecto; "
              "guárdelo fuera para no publicarlo.",
        "en": "The accounts file {file} is inside the project folder; keep it outside so it is never published.",
    },
    "problem.no_password": {
        "es": "La cuenta «{username}» no tiene contraseña.",
        "en": "The account “{username}” has no password.",
    },
    "problem.plaintext_password": {
        "es": "La contraseña de «{username}» está en texto plano; guarde solo su hash bcrypt "
              "(python -m auth.hash_password).",
        "en": "The password of “{username}” is in plain text; store only its bcrypt hash "
              "(python -m auth.hash_password).",
    },
    "problem.no_role": {
        "es": "La cuenta «{username}» no tiene rol.",
        "en": "The account “{username}” has no role.",
    },
    "problem.unknown_role": {
        "es": "La cuenta «{username}» tiene un rol desconocido «{role}»; roles válidos: {roles}.",
        "en": "The account “{username}” has an unknown role “{role}”; valid roles: {roles}.",
    },
    "problem.no_municipalities": {
        "es": "La cuenta «{username}» es de funcionario municipal pero no tiene municipios.",
        "en": "The account “{username}” is a municipal official's but has no municipalities.",
    },
    "problem.bad_municipality": {
        "es": "La cuenta «{username}»: «{value}» no es un municipio; escriba PAÍS:CÓDIGO, por ejemplo GTM:1306.",
        "en": "The account “{username}”: “{value}” is not a municipality; "
              "write COUNTRY:CODE, for example GTM:1306.",
    },
    "problem.unknown_municipality": {
        "es": "La cuenta «{username}»: el municipio {value} no está entre las unidades territoriales conocidas.",
        "en": "The account “{username}”: the municipality {value} is not among the known territorial units.",
    },
    "problem.municipalities_not_allowed": {
        "es": "La cuenta «{username}» tiene el rol {role}, que ve todo el programa, y además municipios; "
              "quíteselos o cambie el rol a municipal_official.",
        "en": "The account “{username}” has the role {role}, which sees the whole programme, and also "
              "municipalities; remove them or change the role to municipal_official.",
    },
    # Refusing to start.
    "unsafe.title": {
        "es": "La configuración de acceso ({file}) no es segura para producción; el tablero no arranca. Corrija:",
        "en": "The sign-in configuration ({file}) is not safe for production; the dashboard will not start. Fix:",
    },
    "unsafe.page": {
        "es": "El tablero no puede arrancar: la configuración de acceso no es segura para producción "
              "({count} problemas). Quien lo administra encontrará los detalles en el registro del servidor.",
        "en": "The dashboard cannot start: the sign-in configuration is not safe for production "
              "({count} problems). Its administrator will find the details in the server log.",
    },
    "unsafe.development": {
        "es": "Configuración de acceso: esto impediría arrancar en producción.",
        "en": "Sign-in configuration: this would prevent starting in production.",
    },
    # The sign-in screen.
    "sign_in.title": {"es": "Conexión territorial", "en": "Conexión territorial"},
    "sign_in.intro": {
        "es": "Inicie sesión con la cuenta que le dio el equipo del programa.",
        "en": "Sign in with the account the programme team gave you.",
    },
    "sign_in.form": {"es": "Iniciar sesión", "en": "Sign in"},
    "sign_in.username": {"es": "Usuario", "en": "Username"},
    "sign_in.password": {"es": "Contraseña", "en": "Password"},
    "sign_in.submit": {"es": "Entrar", "en": "Sign in"},
    "sign_in.captcha": {"es": "Código de verificación", "en": "Verification code"},
    "sign_in.wrong": {
        "es": "Usuario o contraseña incorrectos.",
        "en": "Wrong username or password.",
    },
    "sign_in.no_access": {
        "es": "Su cuenta no tiene un rol o un territorio válido. Pida a quien administra el tablero que la revise.",
        "en": "Your account has no valid role or territory. Ask the dashboard's administrator to check it.",
    },
    "sign_in.library_error": {
        "es": "No se pudo iniciar sesión: {detail}",
        "en": "Could not sign in: {detail}",
    },
    "sign_out": {"es": "Cerrar sesión", "en": "Sign out"},
    "sidebar.signed_in": {"es": "Sesión de **{name}**", "en": "Signed in as **{name}**"},
    "sidebar.role": {"es": "Rol: {role}", "en": "Role: {role}"},
    "sidebar.territory": {"es": "Territorio: {names}", "en": "Territory: {names}"},
    "sidebar.demo": {"es": "Cuenta de demostración", "en": "Demo account"},
    # Demo accounts, shown on the sign-in screen in development mode only.
    "demo.title": {"es": "Cuentas de demostración", "en": "Demo accounts"},
    "demo.caption": {
        "es": "Solo en modo desarrollo, con los datos sintéticos de ejemplo. El modo producción las rechaza.",
        "en": "Development mode only, with the synthetic sample data. Production mode refuses them.",
    },
    "demo.column.username": {"es": "Usuario", "en": "Username"},
    "demo.column.password": {"es": "Contraseña", "en": "Password"},
    "demo.column.role": {"es": "Rol", "en": "Role"},
    "demo.column.territory": {"es": "Territorio", "en": "Territory"},
    "demo.all_territories": {"es": "Todo el programa", "en": "Whole programme"},
    # Organisation sign-in (OpenID Connect through st.login).
    "oidc.button": {
        "es": "Iniciar sesión con la cuenta de la organización",
        "en": "Sign in with your organisation account",
    },
    "oidc.not_authorised": {
        "es": "{email} no tiene acceso a este tablero. "
              "Pida a quien lo administra que le asigne un rol y un territorio.",
        "en": "{email} has no access to this dashboard. Ask its administrator to give you a role and a territory.",
    },
    "oidc.not_configured": {
        "es": "El inicio de sesión con la organización no está configurado: falta la sección [auth] "
              "en secrets.toml o el paquete streamlit[auth] (véase docs/sign-in.md).",
        "en": "Organisation sign-in is not configured: the [auth] section of secrets.toml or the "
              "streamlit[auth] package is missing (see docs/sign-in.md).",
    },
    # Roles, as people read them.
    "role.leadership": {"es": "Dirección", "en": "Leadership"},
    "role.municipal_official": {"es": "Funcionario/a municipal", "en": "Municipal official"},
    "role.presenter": {"es": "Presentador/a", "en": "Presenter"},
    "role.data_manager": {"es": "Gestión de datos", "en": "Data manager"},
}


def auth_text(key: str, lang: str, **params: object) -> str:
    """The message `key` in `lang` (Spanish when `lang` is not supported), placeholders filled."""
    templates = MESSAGES[key]
    template = templates.get(lang, templates["es"])
    return template.format(**params) if params else template
