"""The one way the api talks to the Rasa server (REST channel)."""
from __future__ import annotations

import httpx

from api.channels.messages import Message, to_messages


class RasaUnavailable(RuntimeError):
    pass


class RasaClient:
    def __init__(self, base_url: str, actions_url: str, timeout_s: float):
        self.base_url = base_url
        self.actions_url = actions_url
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(timeout_s, connect=3.0))

    async def close(self) -> None:
        await self._http.aclose()

    async def send(self, sender: str, message: str, channel: str, metadata: dict | None = None) -> list[dict]:
        """Posts one resident message; returns Rasa's bot messages (text / buttons)."""
        body = {"sender": sender, "message": message, "input_channel": channel, "metadata": metadata or {}}
        try:
            resp = await self._http.post(f"{self.base_url}/webhooks/rest/webhook", json=body)
            resp.raise_for_status()
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(str(exc)) from exc
        if not isinstance(data, list):
            raise RasaUnavailable("unexpected reply from Rasa")
        return data

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

    async def rasa_up(self) -> bool:
        return await self._up(f"{self.base_url}/")

    async def actions_up(self) -> bool:
        return await self._up(f"{self.actions_url}/health")
