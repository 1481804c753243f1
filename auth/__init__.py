"""Sign-in, roles and territorial scopes, demo accounts, the production guard and the audit log."""

from auth.accounts import scope_for_identity, scope_for_username
from auth.audit_log import log_event, read_events
from auth.config import credentials_path, load_config
from auth.demo import ensure_demo_credentials
from auth.errors import AuthConfigError, AuthError, UnsafeConfigurationError
from auth.guard import assert_safe_to_start, production_problems
from auth.roles import PAGES_BY_ROLE, Role, Scope, can_see_page

__all__ = [
    "PAGES_BY_ROLE", "AuthConfigError", "AuthError", "Role", "Scope", "UnsafeConfigurationError",
    "assert_safe_to_start", "can_see_page", "credentials_path", "ensure_demo_credentials", "load_config",
    "log_event", "production_problems", "read_events", "scope_for_identity", "scope_for_username",
]
