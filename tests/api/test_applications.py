import pytest

from tests.api.conftest import INTERNAL
from api.applications.service import canonical_number


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("A-2026-000101", "A-2026-000101"),
        ("a2026000101", "A-2026-000101"),
        ("Ａ－２０２６ー０００１０１", "A-2026-000101"),
        ("A 2026 000101", "A-2026-000101"),
        ("A-2026-00010", None),
        ("B-2026-000101", None),
        ("'; DROP TABLE applications; --", None),
    ],
)
def test_canonical_number(raw, expected):
    assert canonical_number(raw) == expected


def _lookup(client, sender, number, birth):
    r = client.post("/internal/applications/lookup", headers=INTERNAL,
                    json={"sender": sender, "number": number, "birth_date": birth})
    assert r.status_code == 200, r.text
    return r.json()


def test_found_with_history(client):
    data = _lookup(client, "web:found", "a2026000103", "1948-11-03")
    assert data["result"] == "found"
    app = data["application"]
    assert app["number"] == "A-2026-000103"
    assert app["status_label"] == "完了"
    assert [e["status"] for e in app["history"]] == ["received", "reviewing", "completed"]


def test_wrong_birth_date_and_unknown_number_look_the_same(client):
    wrong_date = _lookup(client, "web:same1", "A-2026-000101", "1985-06-16")
    unknown = _lookup(client, "web:same2", "A-2026-999999", "1985-06-15")
    assert wrong_date == unknown == {"result": "not_found", "application": None, "retry_after": None}


def test_five_failures_lock_the_sender(client):
    for _ in range(5):
        assert _lookup(client, "web:guesser", "A-2026-000102", "2000-01-01")["result"] == "not_found"
    # Even the right answer is refused now: guessing must not pay off.
    assert _lookup(client, "web:guesser", "A-2026-000102", "1990-04-01")["result"] == "locked"


def test_failures_on_one_number_across_senders_lock_the_number(client):
    for i in range(5):
        _lookup(client, f"web:rotating{i}", "A-2026-000104", "2000-01-01")
    assert _lookup(client, "web:fresh", "A-2026-000104", "1975-02-28")["result"] == "locked"
    # Other applications are unaffected.
    assert _lookup(client, "web:fresh", "A-2026-000105", "2001-12-24")["result"] == "found"


def test_internal_endpoints_need_the_token(client):
    body = {"sender": "x", "number": "A-2026-000101", "birth_date": "1985-06-15"}
    assert client.post("/internal/applications/lookup", json=body).status_code == 401
    bad = {"Authorization": "Bearer nope"}
    assert client.post("/internal/applications/lookup", json=body, headers=bad).status_code == 401
    assert client.get("/internal/faq/search", params={"q": "住民票"}).status_code == 401


def test_bad_birth_date_is_a_4xx(client):
    r = client.post("/internal/applications/lookup", headers=INTERNAL,
                    json={"sender": "x", "number": "A-2026-000101", "birth_date": "平成2年"})
    assert r.status_code == 422
