"""The action server's one client for the api's internal endpoints (async, with timeouts)."""
from __future__ import annotations

import asyncio
import os
import re
import uuid
from urllib.parse import quote
from pathlib import Path
from typing import Any, Optional

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
# how long before a request whose connection broke is sent again (another api instance takes it)
RETRY_AFTER_S = 0.2


# an FAQ id as the api writes them (api.faq.schemas.FAQ_ID_PATTERN); a button payload is resident
# input, so an id that is not one never reaches a URL path
FAQ_ID = re.compile(r"[a-z0-9][a-z0-9\-]{0,63}")


def valid_faq_id(faq_id: object) -> bool:
    return isinstance(faq_id, str) and FAQ_ID.fullmatch(faq_id) is not None


def channel_of(sender: str) -> str:
    """The channel a Rasa sender id comes from: `line:U…` or `web:…`."""
    return "line" if sender.startswith("line:") else "web"


class ApiUnavailable(RuntimeError):
    """The api could not be reached or answered with an error: apologise, never crash."""


def _token() -> str:
    token = os.environ.get("MADOGUCHI_INTERNAL_TOKEN")
    if token:
        return token
    path = Path(os.environ.get("MADOGUCHI_VAR", ROOT / "var")) / "secrets" / "internal_token"
    return path.read_text().strip() if path.exists() else ""


class ApiClient:
    def __init__(self, base_url: Optional[str] = None, token: Optional[str] = None, timeout_s: float = 5.0):
        self.base_url = (base_url or os.environ.get("MADOGUCHI_API_URL", "http://127.0.0.1:8000")).rstrip("/")
        self.token = token if token is not None else _token()
        self.timeout = aiohttp.ClientTimeout(total=timeout_s, connect=2.0)

    async def _request(self, method: str, path: str, idempotent: bool = False, **kwargs: Any) -> Any:
        """A GET, or a request the api does once however often it comes (`idempotent`: a ticket by its
        key), is sent again, once, when the connection broke — in scaled mode the api instance it reached
        died, and another takes it; the resident is not told the city's service is down for that."""
        tries = 2 if method == "GET" or idempotent else 1
        for attempt in range(tries):
            try:
                return await self._send(method, path, **kwargs)
            except aiohttp.ClientConnectionError as exc:
                if attempt + 1 == tries:
                    raise ApiUnavailable(f"{method} {path}: {exc!r}") from exc
                await asyncio.sleep(RETRY_AFTER_S)

    async def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            async with aiohttp.ClientSession(timeout=self.timeout, headers=headers) as session:
                async with session.request(method, f"{self.base_url}{path}", **kwargs) as resp:
                    if resp.status == 404:
                        return None
                    if resp.status >= 400:
                        raise ApiUnavailable(f"{method} {path}: HTTP {resp.status}")
                    return await resp.json()
        except aiohttp.ClientConnectionError:
            raise
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise ApiUnavailable(f"{method} {path}: {exc!r}") from exc

    async def search_faq(self, query: str, k: int = 3, sender: Optional[str] = None,
                         channel: Optional[str] = None, lang: Optional[str] = None) -> dict:
        """With `sender` (a resident's question) the api counts it for the staff console. With
        `lang` (the resident's language, other than Japanese) the api matches the question
        cross-lingually and gives each entry's answer in the best language it has (answer_lang)."""
        params = {"q": query[:2000], "k": str(k)}
        if sender:
            params.update(sender=sender[:200], channel=channel or channel_of(sender))
        if lang and lang != "ja":
            params["lang"] = lang
        return await self._request("GET", "/internal/faq/search", params=params)

    async def get_faq(self, faq_id: str, sender: Optional[str] = None, lang: Optional[str] = None) -> Optional[dict]:
        """With `sender`: the resident chose this entry among suggestions (counted). None for
        an id that is not one (from a crafted payload): never sent."""
        if not valid_faq_id(faq_id):
            return None
        params = {"sender": sender[:200], "channel": channel_of(sender)} if sender else {}
        if lang and lang != "ja":
            params["lang"] = lang
        return await self._request("GET", f"/internal/faq/{faq_id}", params=params or None)

    async def match_gomi(self, query: str) -> Optional[dict]:
        """ごみ分別: whether the question names items of the city's list, and which (None: no list)."""
        return await self._request("GET", "/internal/gomi/match", params={"q": query[:2000]})

    async def get_gomi_item(self, uid: str) -> Optional[dict]:
        """uid comes from a button payload, which a resident can craft: one quoted path segment."""
        if not isinstance(uid, str) or not 0 < len(uid) <= 100 or uid.strip(".") == "":
            return None
        return await self._request("GET", f"/internal/gomi/items/{quote(uid, safe='')}")

    async def lookup_application(self, sender: str, number: str, birth_date: str,
                                 client: Optional[str] = None) -> dict:
        """client: the keyed hash of the resident's address the api put in the message's metadata."""
        body = {"sender": sender, "number": number, "birth_date": birth_date}
        if client:
            body["client"] = client[:100]
        return await self._request("POST", "/internal/applications/lookup", json=body)

    async def subscribe_status(self, number: str, sender: str) -> Optional[dict]:
        """None when the api refuses: unknown number, or not looked up by this sender."""
        body = {"sender": sender, "channel": channel_of(sender)}
        return await self._request("POST", f"/internal/applications/{number}/subscribe", json=body)

    async def contact(self) -> dict:
        return await self._request("GET", "/internal/contact")

    async def feedback(self, sender: str, faq_id: str, helpful: bool) -> Optional[dict]:
        if not valid_faq_id(faq_id):
            return None
        return await self._request("POST", "/internal/faq/feedback",
                                   json={"sender": sender, "faq_id": faq_id, "helpful": helpful})

    async def create_ticket(self, sender: str, channel: str, question: str, transcript: list) -> dict:
        # (a random key: sent again, the request gets the ticket the first one made)
        body = {"sender": sender, "channel": channel, "question": question, "transcript": transcript,
                "key": uuid.uuid4().hex}
        return await self._request("POST", "/internal/tickets", idempotent=True, json=body)

    async def handover_offer(self, faq_department: str = "") -> Optional[dict]:
        """Whether a person can take this conversation now (open, staffed) and the wait; None: no live chat."""
        return await self._request("GET", "/internal/handover/offer", params={"faq_department": faq_department[:200]})

    async def ticket_status(self, number: str, sender: str) -> Optional[dict]:
        return await self._request("GET", f"/internal/tickets/{number}", params={"sender": sender})
