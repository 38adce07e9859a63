"""App-wide settings, read once from the environment with safe local defaults."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _secret(env_name: str, var_dir: Path, file_name: str) -> str:
    """A secret from the environment, else one generated once and kept under var/ (0600).

    Keeping it in a file lets `make run` work with no set-up while never putting
    a secret in the repository.
    """
    value = os.environ.get(env_name)
    if value:
        return value
    path = var_dir / "secrets" / file_name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.write_text(value)
    path.chmod(0o600)
    return value


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    database_url: str
    corpus_dir: Path
    embedding_cache: Path
    rasa_url: str
    actions_url: str
    internal_token: str
    staff_token: str
    city_name: str = "ひかり野市"
    city_phone: str = "012-345-6000"
    office_hours: str = "平日 8時30分〜17時15分（土日祝日・年末年始を除く）"
    max_text_chars: int = 1000
    ticket_answer_days: int = 2
    rasa_timeout_s: float = 30.0
    lookup_max_failures: int = 5
    lookup_window_s: int = 3600
    # LINE Messaging API channel; the LINE channel is off while the secret is empty.
    line_channel_secret: str = field(default="", repr=False)
    line_access_token: str = field(default="", repr=False)
    line_api_base: str = "https://api.line.me"


@lru_cache
def get_settings() -> Settings:
    var_dir = Path(os.environ.get("MADOGUCHI_VAR", ROOT / "var")).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    return Settings(
        var_dir=var_dir,
        database_url=os.environ.get("MADOGUCHI_DB_URL", f"sqlite:///{var_dir / 'madoguchi.db'}"),
        corpus_dir=Path(os.environ.get("MADOGUCHI_CORPUS", ROOT / "faq_corpus")),
        embedding_cache=Path(os.environ.get("MADOGUCHI_EMBED_CACHE", var_dir / "cache" / "embeddings.sqlite")),
        rasa_url=os.environ.get("MADOGUCHI_RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        actions_url=os.environ.get("MADOGUCHI_ACTIONS_URL", "http://127.0.0.1:5055").rstrip("/"),
        internal_token=_secret("MADOGUCHI_INTERNAL_TOKEN", var_dir, "internal_token"),
        staff_token=_secret("MADOGUCHI_STAFF_TOKEN", var_dir, "staff_token"),
        city_name=os.environ.get("MADOGUCHI_CITY_NAME", "ひかり野市"),
        city_phone=os.environ.get("MADOGUCHI_CITY_PHONE", "012-345-6000"),
        office_hours=os.environ.get(
            "MADOGUCHI_OFFICE_HOURS", "平日 8時30分〜17時15分（土日祝日・年末年始を除く）"
        ),
        max_text_chars=int(os.environ.get("MADOGUCHI_MAX_TEXT_CHARS", "1000")),
        ticket_answer_days=int(os.environ.get("MADOGUCHI_TICKET_ANSWER_DAYS", "2")),
        line_channel_secret=os.environ.get("LINE_CHANNEL_SECRET", "").strip(),
        line_access_token=os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "").strip(),
        line_api_base=(os.environ.get("LINE_API_BASE", "").strip() or "https://api.line.me").rstrip("/"),
    )
