"""bot/serve.py's changes to the Rasa server: the action reply's schema check (same verdicts),
and action calls spread over several action servers, the next one taking a call the first could
not (real HTTP servers on loopback stand in for the action servers)."""
import asyncio
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from jsonschema import ValidationError

from bot.serve import ActionServers, action_urls, install


class ActionStandIn:
    def __init__(self, name: str, drop_first: bool = False):
        self.name, self.calls = name, 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                outer.calls += 1
                if drop_first and outer.calls == 1:  # (as a server closing a kept-alive connection as idle)
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                out = json.dumps({"events": [], "responses": [{"text": outer.name}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _closed_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/webhook"


def _call(endpoint_url: str, n: int = 1) -> list[str]:
    from rasa.utils.endpoints import EndpointConfig

    async def go():
        endpoint = EndpointConfig(endpoint_url)
        return [(await endpoint.request(json={"next_action": "x"}, method="post", timeout=5))["responses"][0]["text"]
                for _ in range(n)]
    return asyncio.run(go())


def test_action_urls_from_the_list_or_the_single_endpoint():
    assert action_urls({"MADOGUCHI_ACTION_ENDPOINTS": "http://a/webhook, http://b/webhook"}) == \
        ["http://a/webhook", "http://b/webhook"]
    assert action_urls({"MADOGUCHI_ACTION_ENDPOINT": "http://a/webhook"}) == ["http://a/webhook"]
    assert action_urls({}) == []
    with pytest.raises(ValueError):
        ActionServers([])


def test_the_reply_check_gives_rasas_verdicts():
    from rasa.core.actions.action import RemoteAction

    dead = _closed_url()
    install({"MADOGUCHI_ACTION_ENDPOINTS": dead})
    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "a", "value": 1}], "responses": []})
    for bad in ({"events": "nope"}, {"events": [{"no_event_key": 1}]}, {"responses": "x"}):
        with pytest.raises(ValidationError):
            action._validate_action_result(bad)


def test_calls_rotate_and_a_dead_server_is_passed_over():
    a, b = ActionStandIn("a"), ActionStandIn("b")
    dead = _closed_url()
    try:
        install({"MADOGUCHI_ACTION_ENDPOINTS": ",".join([a.url, dead, b.url])})
        answers = _call(a.url, 6)
        assert set(answers) == {"a", "b"} and a.calls + b.calls == 6 and min(a.calls, b.calls) >= 2
        b.stop()
        assert set(_call(a.url, 4)) == {"a"}  # only a is left: every call reaches it
        a.stop()
        with pytest.raises(Exception):
            _call(a.url)  # none left: Rasa's own error handling takes over
    finally:
        for s in (a, b):
            try:
                s.stop()
            except OSError:
                pass


def test_one_server_whose_connection_broke_is_called_once_more():
    """With one action server (everyday mode), a call whose connection broke — a kept-alive connection the
    server had just closed — is sent once more on a new one, not lost to the resident."""
    a = ActionStandIn("a", drop_first=True)
    try:
        install({"MADOGUCHI_ACTION_ENDPOINTS": a.url})
        assert _call(a.url) == ["a"] and a.calls == 2
    finally:
        a.stop()


def test_event_classes_are_found_as_rasa_finds_them():
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

    install({"MADOGUCHI_ACTION_ENDPOINTS": _closed_url()})
    for _ in range(2):  # first found, then remembered
        assert Event.resolve_by_type("slot") is SlotSet
        assert Event.resolve_by_type("user") is UserUttered
        assert Event.resolve_by_type("action") is ActionExecuted
    assert Event.resolve_by_type("no-such-event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError):
        Event.resolve_by_type("no-such-event")


def test_a_message_already_in_the_tracker_gives_back_the_bots_answer_to_it():
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.serve import answered

    buttons = [{"title": "はい", "payload": "/affirm"}]
    tracker = DialogueStateTracker.from_events("web:abc", [
        UserUttered("申請の状況を確認したい", metadata={"message_id": "m-first-01"}),
        ActionExecuted("status_form"),
        BotUttered("申請番号を教えてください。", data={"buttons": buttons}),
        BotUttered("やめるときは「やめる」と送ってください。"),
        ActionExecuted("action_listen"),
        UserUttered("A-2026-000101", metadata={"message_id": "m-second-2"}),
        BotUttered("生年月日を教えてください。"),
    ])
    assert answered(tracker, "m-first-01") == [
        {"recipient_id": "web:abc", "text": "申請番号を教えてください。", "buttons": buttons},
        {"recipient_id": "web:abc", "text": "やめるときは「やめる」と送ってください。"},
    ]
    assert answered(tracker, "m-second-2") == [{"recipient_id": "web:abc", "text": "生年月日を教えてください。"}]
    assert answered(tracker, "m-unknown-9") is None


def test_rasas_http_api_only_with_its_token_and_only_for_run():
    from bot.serve import api_args

    run = ["run", "--model", "models", "--interface", "127.0.0.1"]
    assert api_args(run, {}) == [] and api_args(run, {"MADOGUCHI_RASA_API_TOKEN": "  "}) == []
    assert api_args(run, {"MADOGUCHI_RASA_API_TOKEN": "t0k"}) == ["--enable-api", "--auth-token=t0k"]
    # a generated token may begin with "-" (secrets.token_urlsafe): Rasa's own parser still reads it
    # as the token (a CI run once had `rasa run: error: argument -t/--auth-token: expected one argument`)
    from rasa.__main__ import create_argument_parser

    parsed = create_argument_parser().parse_args([*run, *api_args(run, {"MADOGUCHI_RASA_API_TOKEN": "-Xy_z"})])
    assert parsed.auth_token == "-Xy_z" and parsed.enable_api is True
    assert api_args(["train"], {"MADOGUCHI_RASA_API_TOKEN": "t0k"}) == []
    assert api_args([*run, "--enable-api"], {"MADOGUCHI_RASA_API_TOKEN": "t0k"}) == []  # the caller chose already
