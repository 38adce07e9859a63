"""The widget's language menu (issue 15) in Chromium against the real api, Rasa and action server:
its texts, greeting and lang attributes change, messages in English and in Japanese for an English
speaker carry their own lang, the choice is kept across pages, axe finds nothing serious."""
import json

from playwright.sync_api import expect

from tests.browser.test_widget import bot_bubbles, open_widget, panel, run_axe, wait_reply

SHOT = "/tmp/madoguchi-widget-english.png"


def menu(page):
    return page.locator("#mw-lang")


def attr_of(page, selector: str, name: str) -> list:
    return page.evaluate(f"""() => Array.from(document.getElementById('madoguchi-widget').shadowRoot
        .querySelectorAll({json.dumps(selector)})).map(e => e.getAttribute({json.dumps(name)}))""")


def test_switch_to_english_then_ask(page, axe_source):
    bodies = []
    page.on("request", lambda r: bodies.append(json.loads(r.post_data)) if r.url.endswith("/api/chat") else None)
    open_widget(page)
    expect(page.get_by_role("combobox", name="言語（Language）")).to_have_value("ja")
    names = page.evaluate("""() => Array.from(document.getElementById('madoguchi-widget').shadowRoot
        .querySelectorAll('#mw-lang option')).map(o => [o.value, o.textContent, o.lang])""")
    assert names[:4] == [["ja", "日本語", "ja"], ["ja-easy", "やさしい日本語", "ja"], ["en", "English", "en"],
                         ["zh-Hans", "中文（简体）", "zh-Hans"]]
    assert [n[1] for n in names[4:]] == ["한국어", "Tiếng Việt", "Português", "Español", "Filipino", "नेपाली", "Bahasa Indonesia"]

    menu(page).select_option("en")
    expect(page.get_by_role("combobox", name="Language")).to_have_value("en")
    expect(page.get_by_role("textbox", name="Your question")).to_have_attribute("placeholder", "Example: residence certificate")
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Close the chat")).to_be_visible()
    assert attr_of(page, ".root", "lang") == ["en"] and page.locator("#madoguchi-widget").get_attribute("lang") == "en"
    # the greeting, alone so far, is said again in English
    expect(bot_bubbles(page)).to_have_count(1)
    expect(bot_bubbles(page).first).to_contain_text("Hello. This is an AI assistant.")
    assert attr_of(page, ".msg", "lang") == ["en"]

    # the greeting's choice: English title shown, the Japanese question asked, the staff's English answer
    # (faq_corpus koseki-001 has one)
    page.get_by_role("button", name="Get a copy of my residence certificate").click()
    wait_reply(page)
    expect(page.locator('.msg.bot[lang="en"]', has_text="residence certificate").first).to_be_visible()
    expect(page.locator('.msg.bot[lang="en"]').last).to_contain_text("Was this answer helpful?")
    assert bodies[-1]["lang"] == "en" and bodies[-1]["text"] == "住民票の写しはどこで取れますか"
    # an entry without an English answer: the city's Japanese answer, with readings without the switch
    box = page.get_by_role("textbox", name="Your question")
    box.fill("印鑑登録をしたいです。何を持っていけばいいですか")
    box.press("Enter")
    wait_reply(page)
    expect(page.locator('.msg.bot ruby').first).to_be_visible()
    user_langs = attr_of(page, ".msg.user", "lang")
    assert set(user_langs) == {"en"}
    bad, shadow_checked = run_axe(page, axe_source)
    assert shadow_checked and bad == [], bad
    page.screenshot(path=SHOT)

    # kept across pages, with the conversation
    page.goto(page.base + "/")
    expect(panel(page)).to_be_visible()  # open as it was left
    expect(page.get_by_role("button", name="Ask the AI")).to_be_visible()
    expect(menu(page)).to_have_value("en")
    expect(page.locator('.msg.bot[lang="en"]', has_text="residence certificate").first).to_be_visible()
    assert json.loads(page.evaluate("() => localStorage.getItem('madoguchi-widget-prefs')"))["lang"] == "en"

    # back to Japanese: the widget's texts change, the messages keep their language, a greeting follows
    menu(page).select_option("ja")
    expect(page.get_by_role("textbox", name="ご質問")).to_be_visible()
    expect(bot_bubbles(page).last).to_contain_text("こんにちは。AIがお答えする窓口です。")
    assert "en" in attr_of(page, ".msg", "lang")
    expect(page.locator('.msg.bot[lang="ja"] ruby')).to_have_count(0)  # ふりがな only when asked, in Japanese


def test_easy_japanese_greeting_has_readings_and_axe_is_clean_in_each_language(page, axe_source):
    open_widget(page)
    menu(page).select_option("ja-easy")
    expect(bot_bubbles(page).first).to_contain_text("こんにちは。AI（コンピューター）が 答えます。")
    expect(page.locator(".msg.bot ruby").first).to_be_visible()
    expect(page.get_by_role("button", name="送る", exact=True)).to_be_visible()
    assert attr_of(page, ".msg", "lang") == ["ja"]
    for lang in ("zh-Hans", "ko", "vi", "pt", "es", "fil", "ne", "id"):
        menu(page).select_option(lang)
        expect(panel(page)).to_be_visible()
        assert attr_of(page, ".root", "lang") == [lang]
        placeholder = page.locator("#mw-input").get_attribute("placeholder")
        assert placeholder and placeholder not in ("例：住民票を取りたい", "例：住民票が ほしい"), (lang, placeholder)
    bad, _ = run_axe(page, axe_source)
    assert bad == [], bad


def test_every_language_of_the_widget_has_every_text(browser):
    """The widget's table (I18N in widget.js): each language has exactly Japanese's keys, three
    greeting choices, and its own name; evaluated from the shipped file itself."""
    from pathlib import Path

    src = (Path(__file__).resolve().parents[2] / "api" / "static" / "widget.js").read_text(encoding="utf-8")
    table = src[src.index("var I18N = {};"):src.index("var LANGS = [")]
    page = browser.new_page()
    try:
        result = page.evaluate("(code) => { const I18N = new Function(code + '; return I18N;')();"
                               " const ja = Object.keys(I18N.ja).sort().join();"
                               " return Object.entries(I18N).map(([k, v]) => [k, Object.keys(v).sort().join() === ja,"
                               " v.asks.length, v.name]); }", table)
    finally:
        page.close()
    assert [r[0] for r in result] == ["ja", "ja-easy", "en", "zh-Hans", "ko", "vi", "pt", "es", "fil", "ne", "id"]
    assert all(same and asks == 3 for _, same, asks, _ in result), result
    assert len({name for *_, name in result}) == 11
