"""ふりがな in the widget (issue 15), in Chromium against the real api, Rasa and action server: the
switch, <ruby> over the bot's kanji words, what a screen reader gets, and the choice kept."""
import json
import re

from playwright.sync_api import expect

from tests.browser.test_widget import ask, bot_bubbles, chat_log, open_widget, panel, run_axe, stored, wait_reply

QUESTION = "住民票を取りたい"
DESKTOP_SHOT = "/tmp/madoguchi-widget-furigana.png"
PHONE_SHOT = "/tmp/madoguchi-widget-furigana-phone.png"


def switch(page):
    return page.get_by_role("button", name="ふりがな")


def rubies(page) -> list[dict]:
    """Each <ruby> of the bot's messages: its base text and its reading."""
    return page.evaluate("""() => Array.from(document.getElementById('madoguchi-widget').shadowRoot
        .querySelectorAll('.msg.bot ruby')).map(r => ({base: r.firstChild.textContent,
                                                        reading: r.querySelector('rt').textContent}))""")


def test_furigana_switch_rubies_and_the_choice_kept(page, axe_source):
    bodies = []
    page.on("request", lambda r: bodies.append(json.loads(r.post_data)) if r.url.endswith("/api/chat") else None)
    open_widget(page)
    expect(switch(page)).to_have_attribute("aria-pressed", "false")
    switch(page).click()
    expect(switch(page)).to_have_attribute("aria-pressed", "true")
    ask(page, QUESTION)
    answer = page.locator(".msg.bot ruby").first
    expect(answer).to_be_attached()
    wait_reply(page)
    assert bodies[-1]["furigana"] is True
    found = rubies(page)
    # in the answer, or in its choices (もしかして) when the bot is not sure
    assert {"base": "住民票", "reading": "じゅうみんひょう"} in found, found
    assert all(r["reading"] and r["base"] for r in found)
    assert not any(c.isdigit() for r in found for c in r["reading"])

    # a screen reader gets the text once, whole (the ruby drawing is aria-hidden), not kanji + reading
    tree = chat_log(page).aria_snapshot()
    assert "住民票" in tree and "じゅうみんひょう" not in tree, tree
    choices = page.locator(".replies button").filter(has=page.locator("ruby"))
    if choices.count():  # a choice's name is its title alone
        title = choices.first.locator(".vh").text_content()
        expect(page.get_by_role("button", name=title, exact=True).first).to_be_visible()
    bubble = bot_bubbles(page).filter(has=page.locator("ruby")).last
    hidden = bubble.locator("[aria-hidden=true]")
    assert hidden.count() >= 1 and hidden.first.locator("a").count() == 0  # links stay outside, as links
    # every message says its language
    langs = page.locator(".msg").evaluate_all("ms => ms.map(m => m.getAttribute('lang'))")
    assert langs and set(langs) == {"ja"}, langs

    bad, shadow_checked = run_axe(page, axe_source)
    assert shadow_checked and not bad, json.dumps(bad, ensure_ascii=False, indent=1)
    page.screenshot(path=DESKTOP_SHOT)

    # kept across a reload (localStorage) with the messages' readings (sessionStorage)
    page.reload()
    expect(panel(page)).to_be_visible()
    expect(switch(page)).to_have_attribute("aria-pressed", "true")
    assert {"base": "住民票", "reading": "じゅうみんひょう"} in rubies(page)
    assert page.evaluate("() => JSON.parse(localStorage.getItem('madoguchi-widget-prefs'))") == {"furigana": True, "lang": "ja"}

    # off: the same messages without readings, plain text as before; on again: readings back
    count = page.locator(".msg").count()
    switch(page).click()
    expect(switch(page)).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".msg.bot ruby")).to_have_count(0)
    expect(page.locator(".msg")).to_have_count(count)
    expect(chat_log(page)).to_contain_text("住民票")
    assert "じゅうみんひょう" not in chat_log(page).inner_text()
    switch(page).click()
    expect(page.locator(".msg.bot ruby").first).to_be_attached()
    expect(chat_log(page)).to_have_attribute("aria-live", "polite")  # quiet only while redrawing

    # and on the site's other pages
    page.goto(page.base + "/static/kurashi.html")
    expect(switch(page)).to_have_attribute("aria-pressed", "true")
    assert stored(page)["log"][-1]["ruby"]


def test_phone_header_holds_the_switch(phone, axe_source):
    open_widget(phone)
    switch(phone).click()
    ask(phone, "住民票の写しはどこで取れますか")
    expect(phone.locator(".msg.bot .bubble ruby").first).to_be_attached()
    wait_reply(phone)
    for name in ("文字を大きく", "ふりがな", "チャットを閉じる"):
        box = phone.get_by_role("button", name=name).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] >= 44, (name, box)
        assert box["y"] < 150, (name, box)  # the header, not the messages, holds them
    title = phone.locator("#mw-title").bounding_box()
    assert title["width"] >= 200, title  # the buttons went below the title, not over it
    phone.get_by_role("button", name="文字を大きく").click()  # larger text with readings: still clean
    phone.wait_for_timeout(300)
    phone.screenshot(path=PHONE_SHOT)
    bad, _ = run_axe(phone, axe_source)
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


def test_switched_on_later_the_shown_messages_get_readings(page):
    """The greeting (the widget's own) and an answer that came while ふりがな was off get theirs
    from /api/chat/furigana when it is switched on."""
    open_widget(page)
    ask(page, "住民票の写しはどこで取れますか")
    expect(chat_log(page)).to_contain_text("担当：市民課")
    wait_reply(page)
    expect(page.locator(".msg.bot ruby")).to_have_count(0)
    switch(page).click()
    greeting = page.locator(".msg.bot").first
    expect(greeting.locator("ruby").first).to_be_attached()
    found = rubies(page)
    assert {"base": "火事", "reading": "かじ"} in found and {"base": "救急", "reading": "きゅうきゅう"} in found, found
    assert {"base": "住民票", "reading": "じゅうみんひょう"} in found, found
    answer = bot_bubbles(page).filter(has_text="担当").last
    expect(answer.locator("ruby").first).to_be_attached()
    expect(answer.locator("a").first).to_have_attribute("href", re.compile(r"^https://www\.city\.hikarino\.example/"))
    page.reload()
    expect(panel(page)).to_be_visible()
    expect(page.locator(".msg.bot").first.locator("ruby").first).to_be_attached()  # kept with the messages


def test_furigana_off_asks_without_it(page):
    bodies = []
    page.on("request", lambda r: bodies.append(json.loads(r.post_data)) if r.url.endswith("/api/chat") else None)
    open_widget(page)
    ask(page, QUESTION)
    expect(bot_bubbles(page)).not_to_have_count(1)
    wait_reply(page)
    assert "furigana" not in bodies[-1]
    expect(page.locator(".msg.bot ruby")).to_have_count(0)


def test_stored_readings_that_do_not_match_their_text_are_not_drawn(page):
    """sessionStorage is page-writable: segments are drawn only if they join back into the text."""
    log = [{"id": 1, "who": "bot", "text": "住民票の写し", "ruby": [{"text": "住民票", "reading": "じゅうみんひょう"},
                                                                {"text": "の写し", "reading": None}]},
           {"id": 2, "who": "bot", "text": "本当の文", "ruby": [{"text": "偽物", "reading": "にせもの"}]},
           {"id": 3, "who": "bot", "text": "<b>太字</b>", "ruby": [{"text": "<b>", "reading": None},
                                                                   {"text": "太字", "reading": "<img src=x>"},
                                                                   {"text": "</b>", "reading": None}]}]
    state = {"sender": "web:" + "c" * 32, "open": True, "large": False, "log": log}
    page.add_init_script(f"sessionStorage.setItem('madoguchi-widget', {json.dumps(json.dumps(state))});"
                         "localStorage.setItem('madoguchi-widget-prefs', '{\"furigana\": true}')")
    page.goto(page.base + "/")
    expect(panel(page)).to_be_visible()
    assert rubies(page) == [{"base": "住民票", "reading": "じゅうみんひょう"}, {"base": "太字", "reading": "<img src=x>"}]
    expect(bot_bubbles(page).nth(1)).to_have_text("AI窓口：本当の文")
    assert page.evaluate("() => document.getElementById('madoguchi-widget').shadowRoot.querySelectorAll('.log img, .log b').length") == 0
