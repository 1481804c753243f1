"""Reading a store file in tests: one query on a read-only connection, closed afterwards."""

from __future__ import annotations

from pathlib import Path

from store.database import open_store


def query(store: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Every row of `sql` on the store file (opened read-only, so a test never changes it)."""
    con = open_store(store, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
