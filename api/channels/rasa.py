"""The one way the api talks to the Rasa servers (REST channel).

One Rasa server, or several (MADOGUCHI_RASA_URL, comma-separated: scaled mode). Each
conversation goes to one server at a time: the servers are ranked for each sender by
rendezvous hashing (the highest hash of sender + server wins), so every turn of a conversation
lands on the same server while it is up, and adding or losing a server moves only that
server's conversations. A server that refuses the connection, drops it before answering or
answers 502/503 is passed over for DOWN_FOR_S and the turn goes to the next server in the
sender's ranking: the tracker is in the shared database, so that server carries the
conversation on. A timeout is not retried: the first server may still be answering.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time

import httpx

from api.channels.messages import Message, to_messages

log = logging.getLogger(__name__)
DOWN_FOR_S = 5.0  # a server that failed is tried last for this long
RETRY_PAUSE_S = 1.0  # every server failed: a supervisor restarts a killed one in about a second
_RETRY_STATUS = frozenset({502, 503})


class RasaUnavailable(RuntimeError):
    pass


def split_urls(urls: str | list[str]) -> list[str]:
    items = urls.split(",") if isinstance(urls, str) else urls
    return [u.strip().rstrip("/") for u in items if u.strip()]


def ranking(sender: str, servers: list[str]) -> list[str]:
    """The servers in the order this sender's turns try them (rendezvous hashing)."""
    def weight(server: str) -> bytes:
        return hashlib.blake2b(f"{sender}\0{server}".encode(), digest_size=8).digest()
    return sorted(servers, key=weight, reverse=True)


class RasaClient:
    def __init__(self, base_url: str | list[str], actions_url: str | list[str], timeout_s: float,
                 api_token: str = ""):
        self.servers = split_urls(base_url)
        self.api_token = api_token  # Rasa's HTTP api (--enable-api --auth-token): conversations' events
        self.actions_urls = split_urls(actions_url)
        if not self.servers:
            raise ValueError("no Rasa server")
        self._down_until: dict[str, float] = {}
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(timeout_s, connect=3.0))

    async def close(self) -> None:
        await self._http.aclose()

    def _order(self, sender: str) -> list[str]:
        now = time.monotonic()
        ranked = ranking(sender, self.servers)
        return [s for s in ranked if self._down_until.get(s, 0) <= now] + \
               [s for s in ranked if self._down_until.get(s, 0) > now]

    async def send(self, sender: str, message: str, channel: str, metadata: dict | None = None) -> list[dict]:
        """Posts one resident message; returns Rasa's bot messages (text / buttons). When every
        server failed (one killed, the other dropping the turn the dead one's client had begun), a
        message with a message_id is sent once more after RETRY_PAUSE_S: bot/serve.py answers a
        message id it has already handled from the tracker, so the resident is answered once."""
        body = {"sender": sender, "message": message, "input_channel": channel, "metadata": metadata or {}}
        try:
            return await self._send_once(sender, body)
        except RasaUnavailable:
            if not (metadata or {}).get("message_id"):
                raise
        await asyncio.sleep(RETRY_PAUSE_S)
        return await self._send_once(sender, body)

    async def _send_once(self, sender: str, body: dict) -> list[dict]:
        failure = "no Rasa server"
        for server in self._order(sender):
            try:
                resp = await self._http.post(f"{server}/webhooks/rest/webhook", json=body)
                if resp.status_code in _RETRY_STATUS:
                    raise httpx.RemoteProtocolError(f"{resp.status_code} from {server}")
                resp.raise_for_status()
                data = resp.json()
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                self._down_until[server] = time.monotonic() + DOWN_FOR_S
                failure = str(exc) or type(exc).__name__
                if len(self.servers) > 1:
                    log.warning("Rasa server %s failed (%s); the turn goes to the next one", server, type(exc).__name__)
                continue
            except (httpx.HTTPError, ValueError) as exc:
                raise RasaUnavailable(str(exc)) from exc
            self._down_until.pop(server, None)
            if not isinstance(data, list):
                raise RasaUnavailable("unexpected reply from Rasa")
            return data
        raise RasaUnavailable(failure)

    async def _conversation(self, method: str, sender: str, suffix: str, body=None) -> dict | list | None:
        """Rasa's HTTP api for one conversation (the tracker is shared: any live server will do)."""
        from urllib.parse import quote

        # Rasa (Sanic) takes the path segment as it comes, undecoded: `line%3AU…` would be another
        # conversation. Sender ids are `web:<hex>` / `line:U<hex>`: the colon stays as it is.
        conversation = quote(sender, safe=":")
        failure = "no Rasa server"
        for server in self._order(sender):
            try:
                resp = await self._http.request(method, f"{server}/conversations/{conversation}/{suffix}",
                                                params={"token": self.api_token}, json=body)
                resp.raise_for_status()
                return resp.json()
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                failure = str(exc)
                continue
            except (httpx.HTTPError, ValueError) as exc:
                raise RasaUnavailable(str(exc)) from exc
        raise RasaUnavailable(failure)

    async def set_paused(self, sender: str, paused: bool) -> None:
        """Pauses the bot for a conversation (a person answers it now: Rasa logs what reaches it
        but predicts no action) or resumes it (Rasa's `pause` / `resume` events)."""
        await self._conversation("POST", sender, "tracker/events?include_events=NONE",
                                 {"event": "pause" if paused else "resume"})

    async def recent_turns(self, sender: str, limit: int = 20) -> list[tuple[str, str]]:
        """The conversation's last texts as (who, text), who "resident" or "bot" (the tracker
        store keeps them masked); [] for a conversation Rasa does not know."""
        tracker = await self._conversation("GET", sender, "tracker?include_events=AFTER_RESTART")
        turns = []
        for e in (tracker or {}).get("events") or []:
            text = (e.get("text") or "").strip() if isinstance(e, dict) else ""
            if text and e.get("event") in ("user", "bot") and not text.startswith("/"):
                turns.append(("resident" if e["event"] == "user" else "bot", text))
        return turns[-limit:]

    async def converse(self, sender: str, message: str, channel: str, metadata: dict | None = None) -> list[Message]:
        """One resident turn → the bot's messages; RasaUnavailable when the bot cannot answer."""
        messages = to_messages(await self.send(sender, message, channel, metadata))
        if not messages and not await self.actions_up():
            # Rasa answers an empty list when a custom action could not be reached.
            raise RasaUnavailable("action server unreachable")
        return messages

    async def _up(self, url: str) -> bool:
        try:
            resp = await self._http.get(url, timeout=2.0)
            return resp.status_code == 200
        except httpx.HTTPError:
            return False

    async def _any_up(self, urls: list[str]) -> bool:
        for url in urls:
            if await self._up(url):
                return True
        return False

    async def rasa_up(self) -> bool:
        """At least one Rasa server answers (the others' conversations move to it)."""
        return await self._any_up([f"{s}/" for s in self.servers])

    async def actions_up(self) -> bool:
        return await self._any_up([f"{u}/health" for u in self.actions_urls])
