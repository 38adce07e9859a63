"""Changes every api process must apply (scaled mode): a staff edit made in one api worker is
searchable in all of them within a second.

The process that makes a change publishes `<topic> <key>` on Redis (MADOGUCHI_REDIS_URL);
every api process listens and hands the key to that topic's handler, in a worker thread,
skipping its own messages. Redis pub/sub delivers only to those listening: a process that
lost its connection refreshes everything (key None) once it is back, so nothing published
meanwhile is missed. Without Redis (one api process, `make run`) there is nothing to tell.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections.abc import Callable

import redis
import redis.asyncio as aioredis
from starlette.concurrency import run_in_threadpool

log = logging.getLogger(__name__)
ALL = "*"


def channel(database_url: str) -> str:
    """Processes that share a database share a channel (and only those: other madoguchis may
    use the same Redis)."""
    return "madoguchi:changes:" + hashlib.sha256(database_url.encode()).hexdigest()[:16]


class ChangeBus:
    def __init__(self, redis_url: str, database_url: str = ""):
        self.redis_url = redis_url
        self.channel = channel(database_url)
        self.origin = uuid.uuid4().hex  # this process: its own messages are not applied twice
        self._client = redis.Redis.from_url(redis_url) if redis_url else None
        self.handlers: dict[str, Callable[[str | None], None]] = {}
        self.ready = asyncio.Event()  # set once subscribed (tests wait for it)

    def publisher(self, topic: str) -> Callable[[str], None]:
        def publish(key: str) -> None:
            if self._client is None:
                return
            try:
                self._client.publish(self.channel, f"{self.origin} {topic} {key}")
            except redis.RedisError as exc:  # the change is saved; the others catch up on reconnect
                log.warning("could not tell the other api processes of %s %s: %s", topic, key, exc)
        return publish

    def on(self, topic: str, handler: Callable[[str | None], None]) -> None:
        self.handlers[topic] = handler

    async def listen(self) -> None:
        """Runs until cancelled; reconnects with a growing pause."""
        if self._client is None:
            return
        pause, first = 0.5, True
        while True:
            client = aioredis.Redis.from_url(self.redis_url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    if not first:  # what was published while away: refresh everything
                        for handler in self.handlers.values():
                            await run_in_threadpool(handler, None)
                    first, pause = False, 0.5
                    self.ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            await self._apply(message["data"])
            except asyncio.CancelledError:
                raise
            except (redis.RedisError, OSError) as exc:
                self.ready.clear()
                log.warning("change bus: %s; listening again in %.1f s", exc, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 10.0)
            finally:
                await client.aclose()

    async def _apply(self, data: bytes | str) -> None:
        text = data.decode() if isinstance(data, bytes) else data
        origin, _, rest = text.partition(" ")
        topic, _, key = rest.partition(" ")
        if origin == self.origin or topic not in self.handlers:
            return
        try:
            await run_in_threadpool(self.handlers[topic], None if key == ALL else key)
        except Exception:  # one bad change must not stop the listening
            log.exception("change bus: applying %s %s failed", topic, key)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
