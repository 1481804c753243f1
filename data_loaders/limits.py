"""Size limits of uploads: the file itself (`max_upload_mb`), checked before it is read, and
what a workbook (a zip inside) expands to (`max_unzipped_mb`), checked before it is opened.

A file above a limit is refused unread with a message naming the file, its size and the limit.
"""

from __future__ import annotations

from pathlib import Path

import settings
from data_loaders.errors import LoaderError, Problem

MB = 1024 * 1024


class UploadTooLargeError(LoaderError):
    """The file is larger than `max_upload_mb`."""


def max_upload_bytes() -> int:
    return int(float(settings.get("max_upload_mb")) * MB)


def max_unzipped_mb() -> float:
    return float(settings.get("max_unzipped_mb"))


def check_upload_size(path: str | Path) -> None:
    """Raise UploadTooLargeError when `path` is larger than the `max_upload_mb` setting."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return  # the reader reports the missing file
    limit = max_upload_bytes()
    if size > limit:
        params = {"size_mb": size / MB, "limit_mb": float(settings.get("max_upload_mb"))}
        raise UploadTooLargeError([Problem(path.name, None, None, None, "file_too_large", params)])
