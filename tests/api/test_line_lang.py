"""LINE in the resident's language: LINE's profile language when it is one of ours (read once,
remembered by a keyed hash), else the language menu; 「Language」「言語」 open it; a choice is kept.
Events are handled as the LINE queue's worker does, with a local stand-in for LINE's platform."""
import asyncio

import pytest
from sqlalchemy import select

import locales
from api.channels import line, line_lang
from api.channels.models import LineUser
from api.config import get_settings
from api.db import SessionLocal
from tests.api.test_line_unit import FakeRasa, follow_event, parsed, postback_event, text_event


class RecordingRasa(FakeRasa):
    async def send(self, sender, message, channel, metadata=None):
        self.metadata = metadata
        return await super().send(sender, message, channel, metadata)


@pytest.fixture
def to_platform(client, platform, monkeypatch):
    settings = get_settings().model_copy(update=dict(line_api_base=platform.base))
    monkeypatch.setattr(line_lang, "get_settings", lambda: settings)
    return platform


def handle(rasa, ev: dict):
    return asyncio.run(line.answer_event(rasa, parsed(ev)))


def user(n: int) -> str:
    return "U" + f"{n:032x}"


@pytest.mark.parametrize("tag,expected", [
    ("en", "en"), ("en-US", "en"), ("ja", "ja"), ("zh-Hans", "zh-Hans"), ("zh-CN", "zh-Hans"), ("zh-TW", None),
    ("zh-Hant", None), ("pt-BR", "pt"), ("ko", "ko"), ("tl", "fil"), ("fil", "fil"), ("in", "id"), ("th", None),
    ("", None), (None, None), ("ja-easy", "ja-easy"),
])
def test_line_tags_to_ours(tag, expected):
    assert line_lang.ours(tag) == expected


def test_menu_words_and_choices():
    assert all(line_lang.asks_for_menu(w) for w in ("Language", "ＬＡＮＧＵＡＧＥ", "言語", "言語？", "언어", "idioma"))
    assert not line_lang.asks_for_menu("言語の教室はありますか")
    assert line_lang.chosen('/choose_language{"lang":"vi"}') == "vi"
    assert line_lang.chosen('/choose_language{"lang":"xx"}') is None and line_lang.chosen("/greet") is None
    menu = line_lang.menu("en")
    assert [b.title for b in menu.buttons] == list(locales.language_names().values())
    assert len(menu.buttons) <= line.MAX_QUICK_REPLY
    items = line.render([menu])[0].quick_reply.items
    assert items[2].action.data == '/choose_language{"lang":"en"}' and items[2].action.label == "English"


def test_english_profile_gets_the_english_welcome_and_english_turns(to_platform):
    uid = user(1)
    to_platform.profiles[uid] = {"language": "en"}
    (welcome,) = handle(FakeRasa(), follow_event(user=uid))
    assert welcome.text.startswith("Thank you for adding us as a friend.") and welcome.lang == "en"
    assert [b.title for b in welcome.buttons][:2] == ["Residence certificate", "How to put out garbage"]
    rasa = RecordingRasa()
    handle(rasa, text_event("How can I get a residence certificate?", user=uid))
    assert rasa.metadata["lang"] == "en"
    # read once: the second event did not ask LINE again
    assert len(to_platform.find(lambda c: c["path"] == f"/v2/bot/profile/{uid}")) == 1
    with SessionLocal() as s:  # stored by a keyed hash, never the LINE userId
        rows = s.scalars(select(LineUser)).all()
        assert all(uid not in r.user_key for r in rows) and any(r.lang == "en" for r in rows)


def test_a_language_not_ours_gets_japanese_and_the_menu_then_the_choice_is_kept(to_platform):
    uid = user(2)
    to_platform.profiles[uid] = {"language": "th"}
    welcome, menu = handle(FakeRasa(), follow_event(user=uid))
    assert welcome.text.startswith("友だち追加ありがとうございます。") and menu.text.startswith("Language / 言語")
    assert len(menu.buttons) == len(locales.LANGS)
    set_to, again = handle(FakeRasa(), postback_event('/choose_language{"lang":"vi"}', user=uid))
    assert set_to.text == "Từ bây giờ tôi sẽ trả lời bằng tiếng Việt." and again.lang == "vi"
    rasa = RecordingRasa()
    handle(rasa, text_event("Làm sao để lấy phiếu cư trú?", user=uid))
    assert rasa.metadata["lang"] == "vi"
    (menu,) = handle(FakeRasa(), text_event("言語", user=uid))
    assert menu.text == "Language / 言語: vui lòng chọn ngôn ngữ."  # in the user's language now
    (sorry,) = handle(FakeRasa(), event_sticker(uid))
    assert sorry.text.startswith("Xin lỗi") and sorry.lang == "vi"


def test_no_profile_language_or_no_line_is_japanese(to_platform, monkeypatch):
    uid = user(3)  # the stand-in gives no language
    rasa = RecordingRasa()
    handle(rasa, text_event("住民票", user=uid))
    assert rasa.metadata["lang"] == "ja"
    gone = "Ugone" + "0" * 28  # 404: known, nothing to learn
    handle(RecordingRasa(), text_event("住民票", user=gone))
    # LINE unreachable: Japanese now, asked again at the next event
    settings = get_settings().model_copy(update=dict(line_api_base="http://127.0.0.1:9"))
    monkeypatch.setattr(line_lang, "get_settings", lambda: settings)
    uid4 = user(4)
    rasa = RecordingRasa()
    handle(rasa, text_event("住民票", user=uid4))
    assert rasa.metadata["lang"] == "ja"
    assert asyncio.run(line_lang.language_of(uid4)) == (None, True)  # not stored: asked again


def test_forget_deletes_the_users_language(to_platform):
    from api.retention import forget

    uid = user(5)
    to_platform.profiles[uid] = {"language": "ko"}
    handle(FakeRasa(), follow_event(user=uid))
    assert forget(f"line:{uid}", "tests")["line_users"] == 1
    assert asyncio.run(line_lang.language_of(uid))[0] == "ko"  # read again from LINE after forgetting


def event_sticker(uid: str) -> dict:
    from tests.api.test_line_unit import event

    return event("message", user=uid, message={"id": "2", "type": "sticker", "quoteToken": "q", "packageId": "446",
                                               "stickerId": "1988", "stickerResourceType": "STATIC"})
