"""Conversations in やさしい日本語 and English through /api/chat and LINE, against the real api, Rasa
(the Japanese model, unchanged) and action server: the bot's texts from locales/, each message's
language, a question in English reaching the FAQ search, ふりがな on Japanese messages."""
from tests.e2e.test_line import event, new_user, reply_to, send, text_event


def texts(reply: dict) -> str:
    return "\n".join(m["text"] for m in reply["messages"])


def langs(reply: dict) -> set:
    return {m["lang"] for m in reply["messages"]}


def test_easy_japanese_greeting_and_status_flow(services):
    r1 = services.chat(payload="/greet", lang="ja-easy")
    assert r1["lang"] == "ja-easy" and langs(r1) == {"ja-easy"}
    assert texts(r1).startswith("こんにちは。ひかり野市の AI窓口「まどぐち」です。AI（コンピューター）が 答えます。")
    assert [b["title"] for b in r1["messages"][0]["buttons"]][2] == "申請の ようすを 調べる"
    assert r1["messages"][0]["furigana"], "Japanese messages for a resident of やさしい日本語 come with ふりがな"
    s = r1["sender"]
    r2 = services.chat(payload="/check_application_status", sender=s, lang="ja-easy")
    assert "申請番号を 書いてください" in texts(r2) and langs(r2) == {"ja-easy"}
    assert r2["messages"][0]["buttons"][0]["title"] == "やめる"
    r3 = services.chat("A-2026-000101", sender=s, lang="ja-easy")
    assert "生まれた 日を 書いてください" in texts(r3)
    r4 = services.chat("1985/6/15", sender=s, lang="ja-easy")
    body = texts(r4)
    assert "申請番号 A-2026-000101（" in body and "の 今の ようすです。" in body and "今の ようす：審査中" in body
    assert r4["messages"][0]["buttons"][0]["title"] == "ようすが 変わったら 教えてほしい"


def test_english_greeting_button_flow_and_a_question_reaching_the_faq(services):
    r1 = services.chat(payload="/greet", lang="en")
    assert texts(r1).startswith('Hello. I am "Madoguchi", the AI assistant of ひかり野市.') and langs(r1) == {"en"}
    assert r1["messages"][0]["furigana"] is None  # an English text has no readings
    s = r1["sender"]
    # a button: the status check in English, the number and date in any script
    r2 = services.chat(payload="/check_application_status", sender=s, lang="en")
    assert texts(r2).startswith("I will check the status of your application.")
    assert [b["title"] for b in r2["messages"][0]["buttons"]] == ["Stop"]
    r3 = services.chat("A-2026-000101", sender=s, lang="en")
    assert "date of birth" in texts(r3)
    r4 = services.chat("1985/6/15", sender=s, lang="en")
    assert "Status of application A-2026-000101" in texts(r4) and "Current status: 審査中" in texts(r4)
    # stop a second check with the English button
    services.chat(payload="/check_application_status", sender=s, lang="en")
    r5 = services.chat(payload="/deny", sender=s, lang="en")
    assert texts(r5) == "I have stopped checking the application status. If you have any other questions, please ask."


def test_an_english_question_goes_to_the_faq_search_and_a_japanese_answer_says_so(services):
    # typed English: the FAQ path whatever the classifier made of it (answer, choices or the apology)
    r = services.chat("How can I get a copy of my residence certificate?", lang="en")
    faq_path = ("Is your question about one of these?", "Was this answer helpful?",
                "Sorry, I could not find information to answer that question.")
    assert any(t in texts(r) for t in faq_path), texts(r)
    assert "en" in langs(r)
    # the widget's greeting choice sends Japanese words: the staff's English answer (faq_corpus koseki-001)
    r = services.chat("住民票の写しはどこで取れますか", lang="en")
    assert [m["lang"] for m in r["messages"]][0] == "en" and "residence" in r["messages"][0]["text"].lower(), texts(r)
    assert "only available in Japanese" not in texts(r)
    # no Vietnamese translation: the staff's やさしい日本語 answer with ふりがな, and a line in Vietnamese saying so
    r = services.chat("住民票の写しはどこで取れますか", lang="vi")
    by_lang = {m["lang"]: m for m in r["messages"]}
    easy = by_lang.get("ja-easy")
    assert easy and "あなたがひかり野市に住んでいること" in easy["text"] and easy["furigana"], texts(r)
    assert "Câu trả lời này được viết bằng tiếng Nhật dễ hiểu" in texts(r), texts(r)
    # no translation at all: the Japanese answer, told in English
    r = services.chat("市県民税の納付書をなくしました", lang="en")
    by_lang = {m["lang"]: m for m in r["messages"]}
    if "Was this answer helpful?" in texts(r):  # (the search may offer choices instead)
        assert "ja" in by_lang and by_lang["ja"]["furigana"]
        assert "This answer is only available in Japanese." in texts(r), texts(r)
        assert r["messages"][-1]["text"] == "Was this answer helpful?"
    # a greeting or thanks alone is small talk in the resident's language, not a search
    r = services.chat("Hello!", lang="en")
    assert r["messages"][0]["lang"] == "en" and "Madoguchi" in r["messages"][0]["text"], texts(r)
    r = services.chat("Thank you!", lang="en")
    assert "You are welcome" in texts(r), texts(r)
    # without a language (a message with no Japanese script), the same: the FAQ search
    r = services.chat("Hello, how do I put out large garbage?")
    assert r["lang"] == "ja" and any(t in texts(r) for t in ("もしかして", "役に立ちましたか", "申し訳ありません"))


def test_line_user_with_english_profile_gets_english(services, line_platform):
    user = new_user()
    line_platform.profiles[user] = {"language": "en"}
    ev = event("follow", user, follow={"isUnblocked": False})
    send(services, ev)
    req = reply_to(line_platform, ev, timeout_s=15)
    assert req.messages[0].text.startswith("Thank you for adding us as a friend. This is \"Madoguchi\"")
    ev = event("postback", user, postback={"data": "/check_application_status"})
    send(services, ev)
    assert reply_to(line_platform, ev).messages[0].text.startswith("I will check the status of your application.")
    ev = text_event("住民票の写しはどこで取れますか", user)  # the staff's English answer (faq_corpus koseki-001)
    send(services, ev)
    body = "\n".join(m.text for m in reply_to(line_platform, ev).messages)
    assert "residence certificate" in body and "only available in Japanese" not in body and "Was this answer helpful?" in body


def test_a_question_left_for_staff_in_english_and_its_number_typed(services):
    r1 = services.chat(payload="/leave_question", lang="en")
    assert texts(r1).startswith("Please type the question you want to send to city staff")
    s = r1["sender"]
    r2 = services.chat("Can I pick up my family register on Saturday?", sender=s, lang="en")
    number = __import__("re").search(r"Q-\d{4}-\d{6}", texts(r2)).group(0)
    assert texts(r2).startswith(f"Your question has been received. Your reference number is {number}.")
    assert f'To see whether it has been answered, type "{number}".' in texts(r2)
    r3 = services.chat(number, sender=s, lang="en")  # as the text says: the number alone
    assert texts(r3).startswith(f"Reference number {number}: ")


def test_an_emergency_typed_in_another_language_gets_119_and_110_in_that_language(services):
    r = services.chat("Help! My house is on fire", lang="en")
    assert "call 119 right away" in texts(r), texts(r)
    r = services.chat("Nhà tôi đang cháy, gọi xe cứu thương giúp tôi", lang="vi")
    assert "Khẩn cấp" in texts(r) and "119" in texts(r), texts(r)
    # a question about fire is a question: the FAQ search, no emergency notice
    r = services.chat("How do I throw away a fire extinguisher?", lang="en")
    assert "119" not in texts(r), texts(r)
