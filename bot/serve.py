"""Runs Rasa's server (`rasa run …`, same arguments) with six changes madoguchi needs:

    .venv-bot/bin/python -m bot.serve run --model … --endpoints endpoints.yml …

1. **Several action servers, one connection each.** Rasa takes one action endpoint and opens
   a new HTTP session (and connection) for every action call. Here the calls to the action
   endpoint go through one kept-alive session per event loop, to the servers listed in
   MADOGUCHI_ACTION_ENDPOINTS (comma-separated webhook URLs; default: the one of
   endpoints.yml), starting at the next one each call; a call that cannot connect, or whose
   server goes away before answering, is sent to the next server (and at last to the first once
   more: a kept-alive connection its server closed as idle fails that way too), so a dead action
   server, or a stale connection, costs a retry, not a resident's answer. An action that had
   begun on a dying server may thus run twice: madoguchi's actions read, and what they write
   through the api (tickets, subscriptions) tolerates a repeat (docs/deploy.md).
2. **The action reply's schema compiled once.** Rasa checks every action server reply with
   `jsonschema.validate`, which checks and compiles its (constant) schema again each time:
   15 % of the Rasa server's CPU under load (py-spy, issue 12). The same check, same errors,
   with the validator made once.

3. **GiNZA without the pipes the NLU pipeline does not read.** Rasa's SpacyNLP runs every pipe
   of ja_ginza but the parser; our pipeline reads only what GiNZA's tokenizer (SudachiPy) and
   the static vectors give: token text, lemma, tag and vector (SpacyTokenizer, SpacyFeaturizer,
   LexicalSyntacticFeaturizer's default features, CountVectorsFeaturizer). tok2vec, ner,
   morphologizer, compound_splitter and bunsetu_recognizer cost ≈ 30 ms a message and change
   none of those: tests/bot/test_lean_spacy.py checks they are equal on the NLU training data.
   Training keeps the full pipeline (identical features), so the model does not depend on this.

4. **Event classes found once.** Reading a conversation turns each stored event into its class
   by searching all subclasses of Event, for every event: 18 % of a Rasa server's time at the
   200th turn of one conversation (py-spy). The class found is kept per event name.

5. **A message retried is answered once.** The api sends each resident message with a
   `message_id` in its metadata, and sends it again to another Rasa server when the first died
   before answering (the widget, too, sends a message again once when its connection broke).
   If the first server had already handled it and saved the conversation, the message is in
   the tracker: it is not handled a second time (a form would take it for its next answer);
   the bot's messages that followed it are returned instead, as the tracker store keeps them
   (masked: a number the first answer showed may come back as ＊＊＊).

6. **Long conversations in sessions of bounded length.** Rasa reads and replays a
   conversation's whole session on every turn and its policies featurize all of it, so a reply
   slowed with the session's length (+139 % at turn 200 of one conversation). Between two turns
   with no form running, a session longer than MADOGUCHI_SESSION_MAX_EVENTS events (80, about
   ten turns; 0: never) is closed and a new one started, as after Rasa's idle time-out, but with
   the slots carried over; buttons carry their own context (an FAQ id), forms are never cut.

7. **Each message's language on the REST channel.** A bot message says which language its text
   is in (`lang`: the resident's, or "ja" for a city's Japanese answer shown to a foreign
   resident): bot/nlg.py and the actions put it in the message, Rasa keeps it in the BotUttered
   event's metadata and hands it to the output channel, whose REST collector drops everything
   but text and buttons. Here the collector keeps `lang` on each message (and on each part of a
   text it splits at blank lines); the api reads it (api/channels/messages.py).
8. **Rasa's HTTP api behind a token** (MADOGUCHI_RASA_API_TOKEN; the api's live chat pauses and
   resumes conversations with it), added to the arguments inside this process.

All are installed before Rasa starts, in this process only; Rasa's own files are untouched.
"""
from __future__ import annotations

import asyncio
import contextvars
import itertools
import os
import sys
from typing import Any

import aiohttp


def action_urls(env: dict | None = None) -> list[str]:
    env = os.environ if env is None else env
    listed = [u.strip() for u in env.get("MADOGUCHI_ACTION_ENDPOINTS", "").split(",") if u.strip()]
    return listed or [u for u in [env.get("MADOGUCHI_ACTION_ENDPOINT", "")] if u]


class ActionServers:
    """Rasa's calls to the action servers: rotating start, next server on a connection failure."""

    def __init__(self, urls: list[str]):
        if not urls:
            raise ValueError("no action server")
        self.urls = list(urls)
        self._turn = itertools.count()
        self._sessions: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}

    def order(self) -> list[str]:
        start = next(self._turn) % len(self.urls)
        return self.urls[start:] + self.urls[:start]

    def _session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            session = self._sessions[loop] = aiohttp.ClientSession()
        return session

    async def request(self, endpoint, method: str = "post", content_type: str | None = "application/json",
                      compress: bool = False, **kwargs: Any) -> Any:
        from rasa.utils.endpoints import ClientResponseError

        headers = {"Content-Type": content_type} if content_type else {}
        headers.update(kwargs.pop("headers", None) or {})
        headers.update(endpoint.headers or {})
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"]) \
            if endpoint.basic_auth else None
        params = endpoint.combine_parameters(kwargs)
        failure: Exception | None = None
        urls = self.order()
        # (then the first once more, on a new connection: a kept-alive one the server had just closed as idle
        # fails before the action runs — 「Can not write request body」 — and with one server it is all there is)
        for url in urls + urls[:1]:
            try:
                async with self._session().request(method, url, headers=headers, params=params, auth=auth,
                                                   compress=compress, **kwargs) as response:
                    if response.status >= 400:
                        raise ClientResponseError(response.status, response.reason, await response.content.read())
                    try:
                        return await response.json()
                    except aiohttp.ContentTypeError:
                        return None
            except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as exc:
                if isinstance(exc, asyncio.TimeoutError):
                    raise  # a slow action may still be running: never run it a second time
                failure = exc
        assert failure is not None
        raise failure


# GiNZA's pipes whose output our NLU pipeline never reads (3. above)
UNREAD_PIPES = ("tok2vec", "parser", "ner", "morphologizer", "compound_splitter", "bunsetu_recognizer")


def load_lean(name: str):
    """ja_ginza as the NLU pipeline reads it: tokenizer and static vectors only."""
    import spacy

    return spacy.load(name, exclude=list(UNREAD_PIPES))


_message_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("madoguchi_message_id", default=None)


class _Answered(Exception):
    def __init__(self, messages: list[dict]):
        super().__init__("message already answered")
        self.messages = messages


_rolling_over: contextvars.ContextVar[bool] = contextvars.ContextVar("madoguchi_rolling_over", default=False)


def session_length(tracker) -> int:
    """Events since the session began (or since the first event)."""
    from rasa.shared.core.events import SessionStarted

    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        count += 1
    return count


def answered(tracker, message_id: str) -> list[dict] | None:
    """The bot's messages after the resident message `message_id` in this tracker, in the REST
    channel's shape; None when the tracker does not have that message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    events = list(tracker.events)
    for i in range(len(events) - 1, -1, -1):
        event = events[i]
        if isinstance(event, UserUttered) and (event.metadata or {}).get("message_id") == message_id:
            out = []
            for later in events[i + 1:]:
                if isinstance(later, UserUttered):
                    break
                if isinstance(later, BotUttered):
                    data = later.data or {}
                    message = {"recipient_id": tracker.sender_id, "text": later.text,
                               **{k: data[k] for k in ("buttons", "image", "attachment", "custom") if data.get(k)}}
                    message = {k: v for k, v in message.items() if v is not None}
                    out.extend(_split(message, (later.metadata or {}).get("lang")))
            return out
    return None


def _with_lang(message: dict, lang: Any) -> dict:
    if isinstance(lang, str) and lang:
        message["lang"] = lang
    return message


def _split(message: dict, lang: Any) -> list[dict]:
    """A bot message as the REST channel gives it: a text without buttons in parts at blank lines
    (as CollectingOutputChannel.send_text_message), each with the message's language."""
    text = message.get("text")
    if text and not message.get("buttons"):
        rest = {k: v for k, v in message.items() if k != "text"}
        return [_with_lang({**rest, "text": part}, lang) for part in text.strip().split("\n\n")]
    return [_with_lang(message, lang)]


def install_lang_on_rest() -> None:
    """7. above: the REST collector keeps each message's `lang`."""
    from rasa.core.channels.channel import CollectingOutputChannel

    async def send_text_message(self, recipient_id, text, **kwargs):
        for part in text.strip().split("\n\n"):
            await self._persist_message(_with_lang(self._message(recipient_id, text=part), kwargs.get("lang")))

    async def send_text_with_buttons(self, recipient_id, text, buttons, **kwargs):
        await self._persist_message(
            _with_lang(self._message(recipient_id, text=text, buttons=buttons), kwargs.get("lang")))

    CollectingOutputChannel.send_text_message = send_text_message
    CollectingOutputChannel.send_text_with_buttons = send_text_with_buttons


def install(env: dict | None = None) -> ActionServers | None:
    """Installs the changes; returns the action servers (None when no endpoint is set)."""
    from jsonschema import ValidationError, validators
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    validator = validators.validator_for(RemoteAction.action_response_format_spec())(
        RemoteAction.action_response_format_spec())

    def _validate_action_result(self, result: dict) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as exc:
            exc.message += (". Failed to validate Action server response from API, make sure your response "
                            "from the Action endpoint is valid.")
            raise

    RemoteAction._validate_action_result = _validate_action_result

    from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

    rasa_load_model = SpacyNLP.load_model

    def load_model(spacy_model_name: str) -> SpacyModel:
        if spacy_model_name != "ja_ginza":
            return rasa_load_model(spacy_model_name)
        return SpacyModel(model=load_lean(spacy_model_name), model_name=spacy_model_name)

    SpacyNLP.load_model = staticmethod(load_model)

    from rasa.shared.core.events import Event

    rasa_resolve = Event.resolve_by_type
    found: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        cls = found.get(type_name)
        if cls is None:
            cls = rasa_resolve(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)

    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.processor import MessageProcessor

    rasa_fetch = MessageProcessor.fetch_tracker_and_update_session
    rasa_handle = MessageProcessor.handle_message

    async def fetch_tracker_and_update_session(self, sender_id, output_channel=None, metadata=None):
        tracker = await rasa_fetch(self, sender_id, output_channel, metadata)
        message_id = _message_id.get()
        if message_id:
            _message_id.set(None)  # only the message's own first look at its conversation
            replies = answered(tracker, message_id)
            if replies is not None:
                raise _Answered(replies)
        return tracker

    async def handle_message(self, message):
        message_id = (message.metadata or {}).get("message_id")
        token = _message_id.set(message_id if isinstance(message_id, str) and message_id else None)
        try:
            return await rasa_handle(self, message)
        except _Answered as done:
            if isinstance(message.output_channel, CollectingOutputChannel):
                message.output_channel.messages.extend(done.messages)
                return message.output_channel.messages
            return None
        finally:
            _message_id.reset(token)

    MessageProcessor.fetch_tracker_and_update_session = fetch_tracker_and_update_session
    MessageProcessor.handle_message = handle_message

    from rasa.core.actions.action import ActionSessionStart
    from rasa.shared.core.events import SlotSet

    max_events = int((os.environ if env is None else env).get("MADOGUCHI_SESSION_MAX_EVENTS", "80") or 0)
    rasa_expired = MessageProcessor._has_session_expired
    rasa_session_start = ActionSessionStart.run

    def _has_session_expired(self, tracker) -> bool:
        if rasa_expired(self, tracker):
            return True
        if max_events and not tracker.active_loop_name and session_length(tracker) > max_events:
            _rolling_over.set(True)
            return True
        return False

    async def session_start(self, output_channel, nlg, tracker, domain):
        events = await rasa_session_start(self, output_channel, nlg, tracker, domain)
        if _rolling_over.get():
            _rolling_over.set(False)
            if not domain.session_config.carry_over_slots:  # Rasa's own setting left for idle time-outs
                # the slots' current values, once each (Rasa's own carry-over copies every
                # SlotSet of the session, and would copy the copies at the next roll-over)
                events[1:1] = [SlotSet(name, slot.value) for name, slot in tracker.slots.items()
                               if slot.value != slot.initial_value and name != "session_started_metadata"]
        return events

    MessageProcessor._has_session_expired = _has_session_expired
    ActionSessionStart.run = session_start

    install_lang_on_rest()

    urls = action_urls(env)
    if not urls:
        return None
    servers = ActionServers(urls)
    rasa_request = EndpointConfig.request

    async def request(self, method: str = "post", subpath: str | None = None,
                      content_type: str | None = "application/json", compress: bool = False, **kwargs: Any) -> Any:
        if subpath is None and self.url in servers.urls:
            return await servers.request(self, method, content_type, compress, **kwargs)
        return await rasa_request(self, method, subpath, content_type, compress, **kwargs)

    EndpointConfig.request = request
    return servers


def main(argv: list[str] | None = None) -> None:
    install()
    from rasa.__main__ import main as rasa_main

    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["rasa", *args, *api_args(args)]
    rasa_main()


def api_args(args: list[str], env: dict | None = None) -> list[str]:
    """Rasa's HTTP api, for the api's live chat with staff only (it pauses and resumes a
    conversation, and reads its recent turns): on with MADOGUCHI_RASA_API_TOKEN, behind that
    token. The token goes from the environment into this process's arguments, never onto a
    command line that `ps` shows; Rasa listens on 127.0.0.1 only (scripts/run.py)."""
    env = os.environ if env is None else env
    token = env.get("MADOGUCHI_RASA_API_TOKEN", "").strip()
    if not token or not args or args[0] != "run" or "--enable-api" in args:
        return []
    # one argument with its value: a token may begin with "-" (token_urlsafe), which argparse would take for an option
    return ["--enable-api", f"--auth-token={token}"]


if __name__ == "__main__":
    main()
