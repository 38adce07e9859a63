"""/api/chat input checks; Rasa is not running here, so accepted messages get the 503."""
import pytest


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": "   \u3000\n"},
        {"text": "あ" * 10_000},
        {"text": "\x00\x01\x02"},
        {},
        {"text": "住民票", "payload": "/greet"},
        {"text": 123},
        {"sender": "line:U123", "text": "こんにちは"},  # web clients cannot speak as LINE users
        {"sender": "'; DROP TABLE x; --", "text": "こんにちは"},
        {"payload": "<script>alert(1)</script>"},
        {"payload": "/greet{\"a\": {\"nested\": 1}}"},
    ],
)
def test_bad_bodies_get_a_clear_4xx(client, body):
    r = client.post("/api/chat", json=body)
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe\x00binary", b""])
def test_unreadable_bodies(client, raw):
    r = client.post("/api/chat", content=raw, headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422)
    assert r.json()["detail"].startswith("送信された内容を読み取れませんでした")


def test_rasa_down_is_a_polite_503(client):
    r = client.post("/api/chat", json={"text": "住民票を取りたい🙂"})
    assert r.status_code == 503
    assert "申し訳ありません" in r.json()["detail"]
    assert r.headers["Retry-After"]


def test_health_reports_what_is_down(client):
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["api"] == "ok" and r.json()["rasa"] == "down"


def test_unknown_route_is_a_japanese_404(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404 and r.json()["detail"] == "ページが見つかりません。"


def test_chat_page_is_served(client):
    r = client.get("/")
    assert r.status_code == 200 and "まどぐち" in r.text
