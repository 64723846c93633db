"""Reading configuration from the environment, failing loudly on bad values.

Every variable read here is listed in `.env.example`. A wrong value stops start-up with an
ImproperlyConfigured whose message names the variable and what was expected.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str, base_dir: Path) -> dict:
    """A Django DATABASES entry from DATABASE_URL, refusing anything we do not support."""
    scheme = urlsplit(url).scheme
    if scheme not in DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} is not valid: expected sqlite:///path or "
            "postgres://user:password@host:port/name."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} is not valid: {error}") from None
    if scheme == "sqlite":
        name = config.get("NAME") or ""
        if not name or name == ":memory:":
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no SQLite file.")
        path = Path(name)
        if not path.is_absolute():
            path = base_dir / path
        path.parent.mkdir(parents=True, exist_ok=True)
        config["NAME"] = str(path)
        config["CONN_MAX_AGE"] = 0
        # WAL lets the web server read while the task worker writes; IMMEDIATE transactions
        # take the write lock up front instead of failing half-way with "database is locked".
        # A 64 MiB page cache and memory-mapped reads: the defaults (2 MiB, no mmap) make
        # index maintenance thrash once a county's million rows are in. ANALYZE reads about
        # a thousand rows an index instead of all (SQLite's advice): exact enough for the
        # planner, and 2.3 s less for an import that analyses a million persons' tables.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY; "
            "PRAGMA analysis_limit=1000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database.")
    else:
        # PostgreSQL's JIT compiles any query its planner costs above 100,000 — a county's
        # grouped figures — and spent 1.3 s of 1.8 s compiling one (docs/performance.md).
        options = config.setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [options.get("options"), "-c jit=off"]))
    return config


def secret_key(production: bool, var_dir: Path) -> str:
    """SECRET_KEY from the environment; in development, generated once into var/."""
    value = os.environ.get("SECRET_KEY")
    if value:
        if production and len(value) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
        return value
    if production:
        raise ImproperlyConfigured("SECRET_KEY must be set when FUPIN_ENV=production.")
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()
