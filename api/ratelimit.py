"""Abuse limits: request rates per client and for everyone, body sizes, growing delays.

Counting is the `limits` library's (moving windows): in this process's memory by default,
in Redis when MADOGUCHI_REDIS_URL is set, so that several api processes share one count.
Two ASGI middlewares run before any route reads a body:

- BodyLimit refuses a body larger than its path allows (413) on its Content-Length, and
  counts the bytes of a streamed one, so nothing is read whole before the check (LINE's
  webhook included: an oversize body is refused before its signature is computed).
- RateLimit counts each request of a public endpoint group per client address and for all
  clients together (429 with Retry-After). The client is the peer address; X-Forwarded-For
  is believed only from MADOGUCHI_TRUSTED_PROXIES.

Backoff gives growing delays after failures (console log-ins per client): a wait that
doubles, never a lock that anyone could set on someone else for long.
"""
from __future__ import annotations

import ipaddress
import json
import math
import time
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from limits import RateLimitItem, parse_many
from limits.aio.strategies import MovingWindowRateLimiter as AsyncMovingWindow
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.exceptions import HTTPException

from api.config import Settings, get_settings
from api.privacy import sender_key

TOO_MANY = "短い時間に多くの送信がありました。{wait}ほど待ってから、もう一度お試しください。"
BUSY = "ただいま大変混み合っています。{wait}ほど待ってから、もう一度お試しください。"
TOO_LARGE = "送信された内容が大きすぎます。短くしてから、もう一度お試しください。"

# the endpoint groups, each with its per-client and all-clients settings (Settings.rate_<group>[_all])
GROUPS = ("chat", "search", "line", "login", "console")


def group_of(method: str, path: str) -> str | None:
    """Which limit a request counts toward; None: not limited here (pages, static files, /internal)."""
    if method == "OPTIONS":  # CORS preflights carry nothing
        return None
    if (path == "/api/chat" and method == "POST") or path in ("/api/chat/inbox", "/api/chat/furigana",
                                                                          "/api/chat/live"):
        return "chat"
    # (the garbage list's search runs the FAQ's too, and reads a message's meaning: api/gomi/topic.py)
    if path in ("/api/faq/search", "/api/gomi/search"):
        return "search"
    if path == "/line/webhook":
        return "line"
    if path == "/admin/login" and method == "POST":
        return "login"
    if (path.startswith("/admin/") and method == "POST") or path.startswith("/api/admin/"):
        return "console"
    return None


def body_limit(settings: Settings, path: str) -> int:
    if path == "/line/webhook":
        return settings.max_line_body_bytes
    if path.startswith(("/admin", "/api/admin", "/internal")):
        return settings.max_upload_bytes
    return settings.max_body_bytes


def wait_text(seconds: float) -> str:
    """「30秒」「約5分」: how long a resident is asked to wait."""
    seconds = max(1, math.ceil(seconds))
    return f"{seconds}秒" if seconds < 60 else f"約{math.ceil(seconds / 60)}分"


# -- the client -----------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _networks(spec: str) -> tuple:
    nets = []
    for part in spec.replace(";", ",").split(","):
        if part.strip():
            nets.append(ipaddress.ip_network(part.strip(), strict=False))
    return tuple(nets)


def _trusted(address: str, nets: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in nets)


def client_address(scope, settings: Settings | None = None) -> str:
    """The client of a request (an ASGI scope or a Request): the peer, or, behind a trusted
    proxy, the right-most X-Forwarded-For address that is not itself a trusted proxy."""
    scope = getattr(scope, "scope", scope)
    peer = (scope.get("client") or ("", 0))[0] or ""
    nets = _networks((settings or get_settings()).trusted_proxies)
    if not nets or not _trusted(peer, nets):
        return peer
    forwarded = [v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-forwarded-for"]
    hops = [h.strip() for h in ",".join(forwarded).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, nets):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a forged or broken header: the proxy itself is the client
    return peer


def client_tag(address: str) -> str:
    """A keyed hash of a client address: counters and conversation metadata never hold the address."""
    return sender_key(address)[:32]


# -- counting -------------------------------------------------------------------------------
@dataclass
class Limits:
    """The storages and strategies of one process (sync for threads, async for the event loop)."""

    settings: Settings
    storage: object
    async_storage: object

    def __post_init__(self):
        self.sync = MovingWindowRateLimiter(self.storage)
        self.aio = AsyncMovingWindow(self.async_storage) if self.async_storage is not None else None

    def items(self, group: str) -> tuple[list[RateLimitItem], list[RateLimitItem]]:
        return (parse_rates(getattr(self.settings, f"rate_{group}")),
                parse_rates(getattr(self.settings, f"rate_{group}_all")))

    def hit(self, spec: str, *key: str) -> float:
        """Counts one event against `spec` (sync); 0 when allowed, else seconds until it would be."""
        return self._sync_hit(parse_rates(spec), *key)

    def _sync_hit(self, items: list[RateLimitItem], *key: str) -> float:
        for item in items:
            if not self.sync.hit(item, *key):
                return max(1.0, self.sync.get_window_stats(item, *key).reset_time - time.time())
        return 0.0

    async def ahit(self, items: list[RateLimitItem], *key: str) -> float:
        if not self.settings.redis_url:
            # In memory the sync limiter does not wait on anything, and its locks are threads':
            # the async memory storage keeps an asyncio lock per key, bound to the first event
            # loop that waited on it, so a task left behind on another loop (tests start many)
            # would hold that key's lock for good.
            return self._sync_hit(items, *key)
        for item in items:
            if not await self.aio.hit(item, *key):
                stats = await self.aio.get_window_stats(item, *key)
                return max(1.0, stats.reset_time - time.time())
        return 0.0


@lru_cache(maxsize=64)
def parse_rates(spec: str) -> list[RateLimitItem]:
    """The limits a setting names ("60/minute;1000/hour"); none for "" (that limit is off)."""
    return parse_many(spec) if spec.strip() else []


def make_limits(settings: Settings) -> Limits:
    if settings.redis_url:
        url = settings.redis_url
        return Limits(settings, storage_from_string(url),
                      storage_from_string("async+" + url, implementation="redispy"))
    return Limits(settings, storage_from_string("memory://"), None)  # in memory: sync only (ahit)


_current: Limits | None = None


def current() -> Limits:
    global _current
    if _current is None:
        _current = make_limits(get_settings())
    return _current


def configure(settings: Settings | None = None) -> Limits:
    """Starts counting afresh with these settings (tests; a process reads them once)."""
    global _current
    _current = make_limits(settings or get_settings())
    return _current


class Backoff:
    """Growing delays after failures of one key: `free` failures within `window_s`, then each
    further failure makes the next try wait base_s, 2·base_s, 4·base_s … up to cap_s.
    A success forgets the key. Kept in the limiter's storage (memory or Redis)."""

    def __init__(self, name: str, free: int, base_s: float, cap_s: float, window_s: float = 3600):
        self.name, self.free, self.base_s, self.cap_s, self.window_s = name, free, base_s, cap_s, window_s

    def _keys(self, key: str) -> tuple[str, str]:
        return f"backoff/{self.name}/fail/{key}", f"backoff/{self.name}/wait/{key}"

    def delay(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.cap_s, self.base_s * 2 ** (failures - self.free))

    def wait(self, key: str) -> float:
        """Seconds until `key` may try again (0: now)."""
        storage = current().storage
        _, wait_key = self._keys(key)
        if storage.get(wait_key) <= 0:
            return 0.0
        return max(0.0, storage.get_expiry(wait_key) - time.time())

    def failed(self, key: str) -> float:
        """Counts a failure; returns the delay it starts (0: none yet)."""
        storage = current().storage
        fail_key, wait_key = self._keys(key)
        delay = self.delay(storage.incr(fail_key, int(self.window_s)))
        if delay > 0:
            storage.clear(wait_key)
            storage.incr(wait_key, max(1, math.ceil(delay)))
        return delay

    def succeeded(self, key: str) -> None:
        storage = current().storage
        for k in self._keys(key):
            storage.clear(k)


# -- responses ------------------------------------------------------------------------------
async def _respond(scope, send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    headers = dict(headers or {})
    if scope["path"].startswith("/admin"):  # the console's pages are HTML without script
        body = (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>まどぐち 職員用画面</title>'
                f'</head><body><main><p role="alert">{escape(detail)}</p></main></body></html>').encode()
        headers.update({"content-type": "text/html; charset=utf-8", "cache-control": "no-store",
                        "content-security-policy": "default-src 'none'", "x-content-type-options": "nosniff"})
    else:
        body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
        headers["content-type"] = "application/json"
    headers["content-length"] = str(len(body))
    await send({"type": "http.response.start", "status": status,
                "headers": [(k.encode(), v.encode()) for k, v in headers.items()]})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(HTTPException):
    """Raised from a request's receive when the streamed body passes its limit; an
    HTTPException so that FastAPI passes it on (as 413) rather than calling it a parse error."""

    def __init__(self):
        super().__init__(413, TOO_LARGE)


class BodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = body_limit(current().settings, scope["path"])
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    too_large = int(value) > limit
                except ValueError:
                    too_large = True
                if too_large:
                    return await _respond(scope, send, 413, TOO_LARGE, {"connection": "close"})
        received = 0
        started = False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def watched_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:  # read outside a route's own error handling
            if not started:
                await _respond(scope, send, 413, TOO_LARGE, {"connection": "close"})


class RateLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        group = group_of(scope.get("method", ""), scope["path"]) if scope["type"] == "http" else None
        if group is not None:
            limits = current()
            per_client, overall = limits.items(group)
            wait = await limits.ahit(per_client, group, client_tag(client_address(scope, limits.settings)))
            message = TOO_MANY
            if not wait:
                wait, message = await limits.ahit(overall, group, "*"), BUSY
            if wait:
                seconds = math.ceil(wait)
                return await _respond(scope, send, 429, message.format(wait=wait_text(seconds)),
                                      {"retry-after": str(seconds)})
        await self.app(scope, receive, send)


def install(app) -> None:
    """Both middlewares on an app (the api, or the console on its own address): rates first,
    then body sizes, both before routing reads anything."""
    app.add_middleware(BodyLimit)
    app.add_middleware(RateLimit)  # added last: runs first
