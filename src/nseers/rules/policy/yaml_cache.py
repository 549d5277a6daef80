"""The policy's YAML, parsed once per content and kept as JSON (issue 18).

Every start of the command line parses the 24 policy files; libyaml reads them quickly,
but PyYAML builds each of their nine thousand values in Python, about 60 ms of a 0.33 s
start. The parsed value of a file depends only on its text, so it is kept, keyed by the
SHA-256 of that text, as JSON (read by the C decoder), with dates tagged. JSON, not
pickle: a file in the cache can only ever give data back, never run code.

Where: ``NSEERS_POLICY_CACHE`` (a directory, or ``off``), else ``$XDG_CACHE_HOME/nseers``
or ``~/.cache/nseers``. A cache that cannot be read or written is skipped without a word:
the YAML is the source, the cache only saves time. A file whose values JSON cannot hold
exactly (a key that is not a string, a timestamp) is not cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

#: Bump when the tagging below changes: older entries are then never read.
FORMAT: Final = "1"
_DATE: Final = "$date"


class _UnkeptError(Exception):
    """A value JSON would not give back as it was."""


def cache_dir() -> Path | None:
    """Where parsed files are kept, or ``None`` when caching is off."""
    chosen = os.environ.get("NSEERS_POLICY_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nseers" / "policy"


def _parse(text: str) -> Any:
    """PyYAML's safe loader, the C one when installed; imported only on a cache miss (most
    of the import's cost at a start that finds every file in the cache)."""
    import yaml  # noqa: PLC0415 - see above

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


def is_yaml_error(error: BaseException) -> bool:
    """Whether ``error`` is PyYAML's ``YAMLError``, without importing PyYAML: only a parse,
    which imports it, can have raised one."""
    yaml = sys.modules.get("yaml")
    return yaml is not None and isinstance(error, yaml.YAMLError)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, from the cache when this text was parsed before.

    Raises ``yaml.YAMLError`` for text that is not YAML, exactly as the parser does.
    """
    where = cache_dir()
    if where is None:
        return _parse(text)
    entry = where / f"{hashlib.sha256(text.encode()).hexdigest()}.v{FORMAT}.json"
    try:
        return json.loads(entry.read_text(encoding="utf-8"), object_hook=_untag)
    except (OSError, ValueError):
        pass
    value = _parse(text)
    try:
        encoded = json.dumps(_tag(value), ensure_ascii=False, separators=(",", ":"))
    except _UnkeptError:
        return value
    keep_entry(entry, encoded)
    return value


def keep_entry(entry: Path, encoded: str) -> None:
    """Write the entry atomically (a reader sees all of it or none); failures are ignored."""
    import tempfile  # noqa: PLC0415 - only when an entry is written

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(encoded)
        Path(temporary).replace(entry)
    except OSError:
        return


def _tag(value: Any) -> Any:
    if isinstance(value, dict):
        if any(not isinstance(key, str) for key in value) or _DATE in value:
            raise _UnkeptError
        return {key: _tag(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tag(item) for item in value]
    if isinstance(value, datetime):
        raise _UnkeptError
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise _UnkeptError


def _untag(value: dict[str, Any]) -> Any:
    if len(value) == 1 and _DATE in value:
        return date.fromisoformat(value[_DATE])
    return value
