"""From an account in the credentials file to a Scope, after checking its role, territory and password.

An account with any problem gets no scope: it cannot sign in, whatever the mode.
"""

from __future__ import annotations

import re

from auth.config import accounts, identities
from auth.roles import Role, Scope, parse_municipality

# A problem is a message key of auth.messages with its parameters.
Problem = tuple[str, dict]

_BCRYPT = re.compile(r"^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$")
ROLE_VALUES = tuple(role.value for role in Role)


def is_bcrypt_hash(value: object) -> bool:
    """Whether `value` is a bcrypt hash (never a password in plain text)."""
    return isinstance(value, str) and bool(_BCRYPT.match(value))


def _role_problems(username: str, account: dict) -> list[Problem]:
    role = account.get("role")
    if role in (None, ""):
        return [("problem.no_role", {"username": username})]
    if str(role) not in ROLE_VALUES:
        return [("problem.unknown_role", {"username": username, "role": role, "roles": ", ".join(ROLE_VALUES)})]
    return []


def _municipality_values(account: dict) -> list:
    value = account.get("municipalities") or []
    return value if isinstance(value, list) else [value]


def _territory_problems(username: str, account: dict) -> list[Problem]:
    values = _municipality_values(account)
    problems = [("problem.bad_municipality", {"username": username, "value": v})
                for v in values if parse_municipality(v) is None]
    role = str(account.get("role"))
    if role == Role.MUNICIPAL_OFFICIAL.value and not values:
        problems.append(("problem.no_municipalities", {"username": username}))
    if role in ROLE_VALUES and role != Role.MUNICIPAL_OFFICIAL.value and values:
        problems.append(("problem.municipalities_not_allowed", {"username": username, "role": role}))
    return problems


def password_problems(username: str, account: dict) -> list[Problem]:
    """No password, or a password that is not a bcrypt hash."""
    password = account.get("password")
    if password in (None, ""):
        return [("problem.no_password", {"username": username})]
    if not is_bcrypt_hash(password):
        return [("problem.plaintext_password", {"username": username})]
    return []


def account_problems(username: str, account: dict, with_password: bool = True) -> list[Problem]:
    """Everything that keeps this account from signing in, in the order found."""
    problems = password_problems(username, account) if with_password else []
    return problems + _role_problems(username, account) + _territory_problems(username, account)


def _scope(username: str, account: dict) -> Scope:
    municipalities = tuple(parse_municipality(v) for v in _municipality_values(account))
    name = str(account.get("name") or username)
    return Scope(username=username, role=Role(str(account["role"])), municipalities=municipalities, display_name=name)


def scope_for_username(username: str | None, config: dict) -> Scope | None:
    """The scope of a password account; None if it does not exist or has a problem."""
    key = (username or "").strip().lower()
    account = accounts(config).get(key)
    if account is None or account_problems(key, account):
        return None
    return _scope(key, account)


def _account_by_email(email: str, config: dict) -> tuple[str, dict] | None:
    if email in identities(config):
        return email, identities(config)[email]
    for username, account in accounts(config).items():
        if str(account.get("email") or "").strip().lower() == email:
            return username, account
    return None


def scope_for_identity(email: str | None, config: dict) -> Scope | None:
    """The scope of an organisation identity (OIDC e-mail): from `identities`, else an account with that e-mail.

    Matching ignores case and surrounding spaces; None if nobody has that e-mail or the
    entry has a problem (no password is needed: the organisation's provider checked it).
    """
    key = (email or "").strip().lower()
    found = _account_by_email(key, config) if key else None
    if found is None or account_problems(found[0], found[1], with_password=False):
        return None
    return _scope(found[0], found[1])
