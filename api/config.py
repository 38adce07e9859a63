"""Every setting of the api, the console and the supervisor, read from the environment in
one place (pydantic-settings), with safe local defaults for `make run`.

Names are `MADOGUCHI_<FIELD>` unless a field says otherwise; README's settings table lists
them all. The city's identity (name, phone, hours, offices, site) is configuration: every
resident-facing text takes it from here (the action server asks the api's /internal/contact),
so another city needs no code change and no retraining.
"""
from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEMO_CITY = "ひかり野市"
# The demo city's contact facts: the defaults only while the city is the demo city, so that a
# city that sets its name but not its site never shows the demo's.
DEMO_CONTACT = {"city_phone": "012-345-6000", "city_office": "市民相談室（市役所本庁舎1階）",
                "city_site": "https://www.city.hikarino.example/"}


def write_private(path: Path, text: str) -> bool:
    """Creates `path` readable by its owner only (0600 from creation, never a moment wider);
    False when it exists already (nothing written)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return True


def _secret(env_value: str, var_dir: Path, file_name: str) -> str:
    """A secret from the environment, else one generated once and kept under var/ (0600).

    Keeping it in a file lets `make run` work with no set-up while never putting
    a secret in the repository. The folder is 0700; the file is created 0600 (os.open),
    and when two processes race, both read the one that was written first.
    """
    if env_value:
        return env_value
    path = var_dir / "secrets" / file_name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not write_private(path, secrets.token_urlsafe(32)):
        return path.read_text().strip()
    return path.read_text().strip()


def hall_of(city_name: str) -> str:
    """What residents call the city's main office: 〇〇町 → 役場, 〇〇区 → 区役所, else 市役所."""
    if city_name.endswith(("町", "村")):
        return "役場"
    return "区役所" if city_name.endswith("区") else "市役所"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MADOGUCHI_", frozen=True, extra="ignore",
                                      populate_by_name=True)

    # -- where things live ----------------------------------------------------------------
    var_dir: Path = Field(ROOT / "var", validation_alias="MADOGUCHI_VAR")
    # "": SQLite under var/; PostgreSQL as postgresql+psycopg://…; migrated at start (api/migrations)
    database_url: str = Field("", validation_alias="MADOGUCHI_DB_URL")
    corpus_dir: Path = Field(ROOT / "faq_corpus", validation_alias="MADOGUCHI_CORPUS")
    embedding_cache: Path | None = Field(None, validation_alias="MADOGUCHI_EMBED_CACHE")  # None: under var/
    embed_threads: int = Field(2, ge=1)
    # optional extra questions for the console's regression check (JSONL of {"_id", "text"})
    check_queries: Path | None = None
    # ごみ分別: the city's garbage-sorting list (a CSV file or a folder of them); None: none
    gomi_path: Path | None = Field(None, validation_alias="MADOGUCHI_GOMI")
    gomi_attribution: str = ""  # 出典 line for files without a sidecar (<name>.json / <name>.attribution.txt)

    # -- the other services ---------------------------------------------------------------
    rasa_url: str = "http://127.0.0.1:5005"
    actions_url: str = "http://127.0.0.1:5055"
    host: str = "127.0.0.1"
    port: int = 8000
    # the action server's internal api (/internal/*): its own listener, always on 127.0.0.1
    internal_port: int | None = 8010
    rasa_timeout_s: float = 30.0
    # Rasa's tracker store (endpoints.yml), passed on by scripts/run.py; "": SQLite under var/
    tracker_dialect: str = "sqlite"
    tracker_db: str = ""
    tracker_url: str = Field("", repr=False)  # one SQLAlchemy URL instead (scaled mode: PostgreSQL)
    # scaled mode (`make run-scaled`, scripts/run.py --scaled): processes of each kind
    api_workers: int = Field(2, ge=1, le=64)
    rasa_servers: int = Field(2, ge=1, le=64)
    action_servers: int = Field(2, ge=1, le=64)
    # empty: generated once into var/secrets/ by get_settings()
    internal_token: str = Field("", repr=False)
    # retired: the staff API takes per-account tokens (python -m api.admin.create_token); a value
    # here is only reported at start, with the command that registers it for an account
    staff_token: str = Field("", repr=False)
    # Rasa's HTTP api token (live chat: pause/resume a conversation); generated into var/secrets/
    rasa_api_token: str = Field("", repr=False)
    # key of the keyed hashes (HMAC-SHA256) that stand for sender ids where the id itself is not needed
    pii_key: str = Field("", repr=False)

    # -- what the process shows and seeds ---------------------------------------------------
    api_docs: bool = False  # /docs, /redoc, /openapi.json: off unless configured
    demo: bool = False  # seed the demo applications (README's table); `make run` turns it on
    rasa_telemetry: bool = False  # Rasa's usage reports to its maker: off unless the operator opts in
    log_max_mb: float = Field(10.0, gt=0)  # each <var>/logs/*.log, rotated by scripts/run.py
    log_backups: int = Field(5, ge=0)

    # -- the city's identity --------------------------------------------------------------
    city_name: str = DEMO_CITY
    city_phone: str = ""  # "": residents are sent to the city hall without a number
    office_hours: str = Field("平日 8時30分〜17時15分（土日祝日・年末年始を除く）",
                              validation_alias=AliasChoices("MADOGUCHI_CITY_HOURS", "MADOGUCHI_OFFICE_HOURS"))
    city_hall: str = ""  # "": from the city's name (市役所, 役場, 区役所)
    city_office: str = ""  # where to ask when nobody knows whom to ask ("": the city hall)
    city_site: str = ""

    # -- residents' limits ----------------------------------------------------------------
    max_text_chars: int = Field(1000, ge=1)
    ticket_answer_days: int = Field(2, ge=1)
    # status look-ups: free tries per sender, client and application number, then a delay that
    # doubles with each further try up to lookup_max_delay_s (a wait, never a lock-out)
    lookup_max_failures: int = Field(5, ge=1)
    lookup_client_max_failures: int = Field(20, ge=1)  # per client address: residents may share one (NAT)
    lookup_window_s: int = Field(3600, ge=1)  # a key's tries are forgotten after this long without one
    lookup_delay_s: float = Field(60.0, ge=0)
    lookup_max_delay_s: float = Field(900.0, ge=0)
    lookup_rate_all: str = "300/minute"  # look-ups of everyone together
    lookup_alert: str = "30/10 minutes"  # failures of everyone together before the console shows an alert

    # -- abuse limits (api.ratelimit; README "Security") -----------------------------------
    # Rates in the `limits` notation ("60/minute", several joined by ";"), per client address
    # and for all clients together, per group of endpoints.
    redis_url: str = Field("", repr=False)  # "": counters in this process's memory
    trusted_proxies: str = ""  # addresses/networks whose X-Forwarded-For is believed (comma-separated)
    rate_chat: str = "60/minute"  # /api/chat and /api/chat/inbox
    rate_chat_all: str = "3000/minute"
    rate_search: str = "60/minute"  # /api/faq/search
    rate_search_all: str = "3000/minute"
    rate_line: str = "1200/minute"  # /line/webhook (the client is LINE's platform)
    rate_line_all: str = "3000/minute"
    rate_line_user: str = "30/minute"  # conversation turns of one LINE user
    rate_login: str = "10/minute"  # POST /admin/login: each try costs an argon2 hash
    rate_login_all: str = "60/minute"
    rate_console: str = "120/minute"  # the console's other POSTs and the staff API
    rate_console_all: str = "600/minute"
    max_body_bytes: int = Field(64 * 1024, ge=1024)  # JSON bodies of the public endpoints
    max_line_body_bytes: int = Field(256 * 1024, ge=1024)  # LINE's webhook, refused before the signature check
    max_upload_bytes: int = Field(6 * 1024 * 1024, ge=1024)  # console uploads (CSV/YAML), staff and internal api

    # -- retention (days; docs/privacy.md): the purge job (api.retention) runs 5 min after start, then daily
    retention_tracker_days: int = Field(30, ge=1)  # Rasa's tracker events (masked)
    retention_conversation_days: int = Field(365, ge=1)  # conversation events and inbox items (masked, hashed)
    retention_ticket_days: int = Field(90, ge=1)  # tickets, counted from closing (open/answered ones stay)
    retention_live_chat_days: int = Field(90, ge=1)  # live chats with staff, counted from their end
    retention_outbox_days: int = Field(30, ge=1)  # web messages waiting for / handed to a resident
    retention_line_event_days: int = Field(7, ge=1)  # LINE webhook event ids (redelivery check)
    retention_lookup_days: int = Field(30, ge=1)  # status look-up attempts (hashed sender)
    retention_log_days: int = Field(14, ge=1)  # log files under var/logs not written to for this long

    # -- staff console --------------------------------------------------------------------
    stale_months: int = Field(12, ge=1)
    session_hours: float = Field(8.0, gt=0, validation_alias="MADOGUCHI_STAFF_SESSION_HOURS")
    insecure_cookies: bool = False  # plain-http cookies: only for a console on loopback
    max_failed_logins: int = Field(5, ge=1, validation_alias="MADOGUCHI_STAFF_MAX_FAILED_LOGINS")
    # the longest wait: after max_failed_logins failures in a row, each further one waits
    # login_delay_s, doubling up to this
    lockout_minutes: float = Field(15.0, ge=0, validation_alias="MADOGUCHI_STAFF_LOCKOUT_MINUTES")
    login_delay_s: float = Field(30.0, ge=0, validation_alias="MADOGUCHI_STAFF_LOGIN_DELAY_S")
    # one client's failed log-ins (any account) before its own doubling delays start
    client_max_failed_logins: int = Field(10, ge=1, validation_alias="MADOGUCHI_STAFF_CLIENT_MAX_FAILED_LOGINS")
    unknown_login_audit: str = "100/hour"  # audit rows for unknown log-in ids, all clients together
    console_host: str = "127.0.0.1"
    console_port: int | None = None  # None: /admin is served by the main app

    # -- live chat with staff (api/handover; README "Live chat with staff") ---------------
    # the queues, comma-separated; the first takes conversations whose department is not listed
    handover_departments: str = "市民課,保険年金課,税務課,子育て支援課,ごみ減量推進課"
    handover_hours: str = "月-金 08:30-17:15"  # every department's hours (JST)
    handover_department_hours: dict[str, str] = Field(default_factory=dict)  # JSON: departments that differ
    handover_closed_days: str = "12-29..01-03"  # besides public holidays: 年末年始, dates, ranges
    handover_holidays_closed: bool = True  # public holidays (computed: api/handover/holidays.py) closed
    handover_wait_max_s: int = Field(300, ge=30)  # not taken within this long: a ticket instead
    handover_offer_s: int = Field(600, ge=30)  # a staff member's offer of a chat, unanswered this long, ends
    handover_staff_away_s: int = Field(60, ge=10)  # a console silent this long is no longer staffed
    handover_sweep_s: float = Field(5.0, gt=0)  # how often each api process looks for chats to re-queue or ticket
    handover_show_staff_name: bool = False  # residents see 「市 課」, never a person's name, unless set

    # -- LINE Messaging API channel; off while the secret is empty --------------------------
    line_channel_secret: str = Field("", repr=False, validation_alias="LINE_CHANNEL_SECRET")
    line_access_token: str = Field("", repr=False, validation_alias="LINE_CHANNEL_ACCESS_TOKEN")
    line_api_base: str = Field("https://api.line.me", validation_alias="LINE_API_BASE")
    # the LINE queue (api.linequeue): webhook events and deliveries, stored in the database
    line_timeout_s: float = Field(15.0, gt=0)  # one call to LINE
    line_reply_max_age_s: float = Field(50.0, ge=0)  # after the event: reply token no longer tried, push instead
    line_lease_s: float = Field(30.0, gt=0)  # a job's lease, renewed while it runs; then another worker takes it
    line_retry_base_s: float = Field(2.0, gt=0)  # first wait before a retry, doubling
    line_retry_max_s: float = Field(300.0, gt=0)  # longest wait between retries
    line_give_up_hours: float = Field(24.0, gt=0)  # a job still failing this long after it was made is given up
    line_queue_concurrency: int = Field(8, ge=1)  # jobs one api process works on at once
    line_queue_poll_s: float = Field(1.0, gt=0)  # how often a worker looks for work enqueued by other processes

    @model_validator(mode="before")
    @classmethod
    def _demo_contact(cls, data):
        if isinstance(data, dict) and (data.get("city_name") or DEMO_CITY).strip() == DEMO_CITY:
            data = {**DEMO_CONTACT, **{k: v for k, v in data.items() if v}}
        return data

    @field_validator("city_name", "city_phone", "office_hours", "city_hall", "city_office", "city_site",
                     "console_host", "line_channel_secret", "line_access_token", mode="before")
    @classmethod
    def _strip(cls, v):
        return v.strip() if isinstance(v, str) else v

    @field_validator("rasa_url", "actions_url", "line_api_base", mode="before")
    @classmethod
    def _base_url(cls, v, info):
        if isinstance(v, str):
            v = v.strip().rstrip("/")
        return v or cls.model_fields[info.field_name].default

    @field_validator("console_port", "internal_port", "embedding_cache", "check_queries", "gomi_path", mode="before")
    @classmethod
    def _empty_is_none(cls, v):
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("rate_chat", "rate_chat_all", "rate_search", "rate_search_all", "rate_line", "rate_line_all",
                     "rate_line_user", "rate_login", "rate_login_all", "rate_console", "rate_console_all",
                     "lookup_rate_all", "lookup_alert", "unknown_login_audit")
    @classmethod
    def _rates(cls, v: str) -> str:
        from limits import parse_many

        if v.strip():
            parse_many(v)  # a typo ("60/minutes?") stops the start, not a resident's request
        return v.strip()

    @field_validator("handover_hours", "handover_closed_days", "handover_department_hours")
    @classmethod
    def _handover_hours(cls, v, info):
        from api.handover import hours  # a typo stops the start, not a resident's request

        if info.field_name == "handover_closed_days":
            hours.parse_closed(v)
        else:
            for text in (v.values() if isinstance(v, dict) else [v]):
                hours.parse_hours(text)
        return v

    @property
    def departments(self) -> list[str]:
        return [d.strip() for d in self.handover_departments.split(",") if d.strip()] or ["市民課"]

    @field_validator("stale_months", mode="before")
    @classmethod
    def _lenient_months(cls, v):
        try:
            return max(1, int(v))
        except (TypeError, ValueError):
            return 12

    @property
    def secure_cookies(self) -> bool:
        return not self.insecure_cookies

    @property
    def hall(self) -> str:
        return self.city_hall or hall_of(self.city_name)

    def contact(self) -> dict[str, str]:
        """The city's contact facts, as the action server's texts use them."""
        return {"city": self.city_name, "phone": self.city_phone, "hours": self.office_hours,
                "office": self.city_office or f"{self.city_name}{self.hall}", "hall": self.hall,
                "site": self.city_site, "call": self.call()}

    def call(self) -> str:
        """Where residents phone when the bot cannot help: 「市役所代表 012-345-6000（平日 …）」."""
        if not self.city_phone:
            return f"{self.city_name}{self.hall}（{self.office_hours}）"
        return f"{self.hall}代表 {self.city_phone}（{self.office_hours}）"


def read_settings() -> Settings:
    """The environment as it is now (the console's per-request values; no secrets resolved)."""
    return Settings()


@lru_cache
def get_settings() -> Settings:
    """The process's settings: var/ created, database and cache paths and secrets resolved."""
    s = read_settings()
    var_dir = s.var_dir.resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    return s.model_copy(update={
        "var_dir": var_dir,
        "database_url": s.database_url or f"sqlite:///{var_dir / 'madoguchi.db'}",
        "embedding_cache": s.embedding_cache or var_dir / "cache" / "embeddings.sqlite",
        "internal_token": _secret(s.internal_token, var_dir, "internal_token"),
        "pii_key": _secret(s.pii_key, var_dir, "pii_key"),
        "rasa_api_token": _secret(s.rasa_api_token, var_dir, "rasa_api_token"),
    })
