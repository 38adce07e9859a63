"""Another city, set up as a city would: its own name and contact in settings and its own FAQ
export (ことぶき川町: question and answer, optional fields missing, no phrasings) from
MADOGUCHI_CORPUS, on the real stack with the same trained model. No reply may name the demo city."""
import pytest

from tests.e2e.conftest import ROOT, run_services
from tests.e2e.test_line import event, new_user, reply_to, send, text_event
from tests.e2e.test_line import texts as line_texts

CITY = {"MADOGUCHI_CITY_NAME": "ことぶき川町", "MADOGUCHI_CITY_PHONE": "0123-45-1111",
        "MADOGUCHI_CITY_HOURS": "平日 8時30分〜17時15分", "MADOGUCHI_CITY_OFFICE": "総務課 町民相談係",
        "MADOGUCHI_CITY_SITE": "https://www.town.kotobukigawa.example/",
        "MADOGUCHI_CORPUS": str(ROOT / "bench" / "data" / "kotobukigawa" / "corpus")}
DEMO = ("ひかり野", "hikarino", "012-345-6")


@pytest.fixture(scope="module")
def town(line_platform):
    yield from run_services(line_platform, **CITY)


def texts(reply: dict) -> str:
    return "\n".join(m["text"] + " " + " ".join(b["title"] for b in m["buttons"]) for m in reply["messages"])


def assert_not_demo(text: str) -> None:
    assert not [d for d in DEMO if d in text], text


def test_the_town_s_own_faq_is_loaded(town):
    assert town.http.get("/healthz").json()["faqs"] == 199


@pytest.mark.parametrize("message,expected", [
    ("こんにちは", "ことぶき川町のAI窓口"),
    ("あなたはロボットですか", "ことぶき川町のAI窓口（自動応答）"),
    ("職員と話したい", "役場代表 0123-45-1111"),
    ("宇宙旅行に行くための補助金はありますか", ""),
    ("明日の天気を教えて", ""),
    ("申請の状況を確認したいです", "申請番号"),
])
def test_replies_name_the_town_never_the_demo_city(town, message, expected):
    body = texts(town.chat(message))
    assert expected in body
    assert_not_demo(body)


def test_a_question_is_answered_from_the_town_s_faq_with_its_contact(town):
    reply = town.chat("固定資産税の納期はいつですか")
    body = texts(reply)
    assert_not_demo(body)
    payloads = [b["payload"] for m in reply["messages"] for b in m["buttons"]]
    assert any('"zei-002"' in p for p in payloads), body
    if any(p.startswith("/choose_faq") for p in payloads):  # choices: take the town's entry
        picked = next(p for p in payloads if '"zei-002"' in p)
        body = texts(town.chat(payload=picked, sender=reply["sender"]))
    # zei-002 names its department and has no phone: the line says what the entry has
    assert "税務課 収納係" in body and "None" not in body
    assert_not_demo(body)


def test_an_entry_without_department_or_phone_falls_back_to_the_town(town):
    body = texts(town.chat(payload='/choose_faq{"faq_id":"kosodate-002"}'))  # 児童手当の支給日: neither given
    assert "児童手当" in body and "お問い合わせ：役場代表 0123-45-1111" in body and "None" not in body
    assert_not_demo(body)


def test_line_welcome_and_reply_name_the_town(town, line_platform):
    user = new_user()
    follow = event("follow", user, follow={"isUnblocked": False})
    assert send(town, follow).status_code == 200
    welcome = line_texts(reply_to(line_platform, follow))
    assert "ことぶき川町のAI窓口" in welcome and "役場代表 0123-45-1111" in welcome
    assert_not_demo(welcome)
    question = text_event("こんにちは", user)
    assert send(town, question).status_code == 200
    assert_not_demo(line_texts(reply_to(line_platform, question)))


def test_the_chat_page_is_the_town_s_own(town):
    page = town.http.get("/").text
    assert "ことぶき川町 AI窓口 まどぐち" in page and "役場代表 0123-45-1111" in page
    assert "https://www.town.kotobukigawa.example/" in page
    assert_not_demo(page)
