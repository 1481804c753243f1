"""Every configurable setting of the dashboard, declared once with its default and help.

Values come from the environment (``CONEXION_<NAME>``), then Streamlit secrets, then the
default below, so the app runs out of the box on the bundled sample data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", str(PROJECT_ROOT / ".data"),
            "Folder holding the DuckDB store (created from the sample data on first run)."),
    Setting("sample_dir", str(PROJECT_ROOT / "sample_data"),
            "Folder with the canonical sample CSV files used to build a new store."),
    Setting("geo_dir", str(PROJECT_ROOT / "sample_data" / "geo"),
            "Folder with the boundary files (GeoJSON / zipped shapefile) and their licences."),
    Setting("suppression_threshold", "5",
            "Smallest count published; counts from 1 to threshold-1 are suppressed (never below 3)."),
    Setting("default_language", "es", "Language shown when none is chosen: es or en."),
    Setting("reintegration_weights", "economic=0.4,social=0.3,psychosocial=0.3",
            "Programme-defined weights of the reintegration composite score (sum to 1)."),
    Setting("mode", "development",
            "development or production; production refuses demo accounts and default cookie keys."),
    Setting("credentials_file", str(Path.home() / ".config" / "conexion" / "credentials.yaml"),
            "Accounts file (bcrypt hashes, roles, territories), outside the repository; demo accounts "
            "are written there on first run in development mode."),
    Setting("audit_margin", "2",
            "A suppressed cell is protected only if the interval an attacker can derive for it is wider than this."),
    Setting("reporting_period", "2023-01-01,2024-12-31",
            "Default period of the headline figures (first day, last day)."),
    Setting("max_upload_mb", "25", "Largest file the Data page accepts, in MB."),
    Setting("max_unzipped_mb", "200",
            "Largest total size a zip file may expand to, in MB (guards against zip bombs)."),
    Setting("cache_dir", str(Path.home() / ".cache" / "conexion"),
            "Folder for what is decided once per data version and kept across restarts (which figures "
            "the publication family hides); it holds no counts, and can be deleted at any time."),
    Setting("backups_kept", "5", "How many store backups (one before each import) are kept for undo and recovery."),
    Setting("kobo_server_url", "",
            "KoboToolbox server to sync submissions from (e.g. https://kf.kobotoolbox.org); empty: no sync, "
            "nothing is contacted."),
    Setting("kobo_api_token", "",
            "API token of the KoboToolbox account that reads the forms (a secret: set it in secrets.toml or the "
            "environment; it is never shown or logged)."),
    Setting("kobo_forms", "",
            "Which form (asset uid) each dataset is synced from: dataset=uid, separated by commas "
            "(only participants has a Kobo loader)."),
    Setting("kobo_timeout_seconds", "30", "How long to wait for each answer of the KoboToolbox server, in seconds."),
    Setting("kobo_page_size", "1000", "Submissions asked for per request (KoboToolbox serves at most 1,000)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}
MIN_SUPPRESSION_THRESHOLD = 3


def _from_secrets(name: str) -> str | None:
    try:
        import streamlit as st
        from streamlit import config

        # With no secrets file Streamlit looks for one again on every access (a page reads ~10 settings
        # per run); a stat per file is cheaper.
        if not any(os.path.exists(path) for path in config.get_option("secrets.files")):
            return None
        value = st.secrets.get(name)
    except (FileNotFoundError, ImportError, KeyError, AttributeError):
        return None
    except Exception as exc:  # noqa: BLE001 - a missing secrets.toml raises streamlit's own error
        if type(exc).__name__ == "StreamlitSecretNotFoundError":
            return None
        raise
    return None if value is None else str(value)


def get(name: str) -> str:
    """Raw string value of a declared setting."""
    if name not in _BY_NAME:
        raise KeyError(f"Unknown setting {name!r}; declare it in settings.SETTINGS")
    env = os.environ.get(f"CONEXION_{name.upper()}")
    if env is not None:
        return env
    secret = _from_secrets(name)
    return secret if secret is not None else _BY_NAME[name].default


def suppression_threshold() -> int:
    value = int(get("suppression_threshold"))
    if value < MIN_SUPPRESSION_THRESHOLD:
        raise ValueError(
            f"suppression_threshold={value} is below the minimum of {MIN_SUPPRESSION_THRESHOLD}"
        )
    return value


def reintegration_weights() -> dict[str, float]:
    pairs = (item.split("=") for item in get("reintegration_weights").split(","))
    weights = {key.strip(): float(value) for key, value in pairs}
    if set(weights) != {"economic", "social", "psychosocial"} or abs(sum(weights.values()) - 1) > 1e-9:
        raise ValueError(f"reintegration_weights must set economic, social, psychosocial summing to 1: {weights}")
    return weights


def data_dir() -> Path:
    return Path(get("data_dir"))


def cache_dir() -> Path:
    return Path(get("cache_dir"))


def sample_dir() -> Path:
    return Path(get("sample_dir"))


def geo_dir() -> Path:
    return Path(get("geo_dir"))
