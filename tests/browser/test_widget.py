"""The embeddable web widget (/widget.js) in Chromium, against the real api, Rasa and action server."""
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import unsure_question

TITLE = "ひかり野市 AI窓口 まどぐち"
QUESTION = "住民票の写しはどこで取れますか"
XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"
BUSY_DETAIL = ("申し訳ありません。ただいまチャットがご利用いただけません。しばらくしてからもう一度お試しいただくか、"
               "市役所代表 012-345-6000（平日 8時30分〜17時15分）へお電話ください。")
DESKTOP_SHOT = "/tmp/madoguchi-widget-desktop.png"
PHONE_SHOT = "/tmp/madoguchi-widget-phone.png"


# ---- helpers (Playwright's CSS and role locators pierce the widget's open shadow root) ----

def launcher(page):
    return page.get_by_role("button", name="AIに質問する")


def panel(page):
    return page.get_by_role("dialog", name=TITLE)


def textbox(page):
    return page.get_by_role("textbox", name="ご質問")


def send_button(page):
    return page.get_by_role("button", name="送信", exact=True)


def chat_log(page):
    return page.get_by_role("log")


def typing(page):
    return page.locator(".typing")


def open_widget(page, path="/"):
    page.goto(page.base + path)
    launcher(page).click()
    expect(panel(page)).to_be_visible()
    expect(textbox(page)).to_be_focused()


def ask(page, text):
    textbox(page).fill(text)
    send_button(page).click()


def wait_reply(page):
    expect(typing(page)).to_be_empty()


def bot_bubbles(page):
    return page.locator(".msg.bot .bubble")


def user_bubbles(page):
    return page.locator(".msg.user .bubble")


def stored(page) -> dict:
    return page.evaluate("() => JSON.parse(sessionStorage.getItem('madoguchi-widget') || 'null')")


def focused_in_widget(page) -> dict | None:
    """What has focus inside the widget's shadow root (None when focus is elsewhere)."""
    return page.evaluate("""() => {
        const host = document.getElementById('madoguchi-widget');
        if (document.activeElement !== host) return null;
        const el = host.shadowRoot.activeElement;
        return el && {tag: el.tagName.toLowerCase(), cls: el.className, label: el.getAttribute('aria-label'),
                      text: el.textContent.trim()};
    }""")


def run_axe(page, axe_source) -> tuple[list, bool]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations', 'passes']});
        const shadowChecked = r.passes.some(p => p.nodes.some(n => Array.isArray(n.target[0])));
        return {shadowChecked, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))}))};
    }""")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return bad, result["shadowChecked"]


# ---- asking and answering ----

def test_question_gets_an_answer(page):
    open_widget(page)
    expect(chat_log(page)).to_contain_text("こんにちは")  # the widget's own greeting
    ask(page, QUESTION)
    expect(user_bubbles(page).last).to_have_text(re.compile(QUESTION))
    expect(chat_log(page)).to_contain_text("担当：市民課")
    answer = bot_bubbles(page).filter(has_text="担当：市民課").last
    assert "\n" in answer.inner_text(), "line breaks are kept"
    link = answer.locator("a").first
    expect(link).to_have_attribute("href", re.compile(r"^https://www\.city\.hikarino\.example/"))
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    expect(textbox(page)).to_be_focused()
    page.wait_for_timeout(300)  # let the scroll settle for the picture
    page.screenshot(path=DESKTOP_SHOT)


def test_typing_indicator_while_waiting(page):
    held = []
    page.route("**/api/chat", lambda route: held.append(route))
    open_widget(page)
    ask(page, QUESTION)
    status = page.get_by_role("status")
    expect(status).to_have_text("回答を準備しています…")
    expect(status).to_have_attribute("aria-live", "polite")
    page.wait_for_timeout(100)
    assert held, "the question was sent"
    held[0].continue_()
    expect(chat_log(page)).to_contain_text("担当：市民課")
    expect(typing(page)).to_be_empty()


def test_suggestion_button(page):
    open_widget(page)
    ask(page, unsure_question(page.base))
    wait_reply(page)
    maybe = page.locator(".msg.bot").filter(has_text="もしかして").last
    expect(maybe).to_have_count(1)
    choice = maybe.get_by_role("group", name="返信の候補").get_by_role("button").first
    title = choice.inner_text()
    choice.click()
    expect(user_bubbles(page).last).to_have_text(re.compile(re.escape(title)))
    expect(bot_bubbles(page).filter(has_text="担当：")).to_have_count(1)


def test_feedback_thumbs_up_and_down(page):
    open_widget(page)
    ask(page, QUESTION)
    expect(bot_bubbles(page).filter(has_text="この回答は役に立ちましたか？")).to_have_count(1)
    rating = page.get_by_role("group", name="回答の評価")
    up = rating.first.get_by_role("button", name="役に立った", exact=True)
    down = rating.first.get_by_role("button", name="役に立たなかった", exact=True)
    expect(up).to_have_text("👍")
    expect(down).to_have_text("👎")
    expect(up).to_have_attribute("aria-pressed", "false")
    up.click()
    expect(up).to_be_disabled()
    expect(down).to_be_disabled()
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(down).to_have_attribute("aria-pressed", "false")
    expect(textbox(page)).to_be_focused()  # focus is not lost on the disabled button
    expect(user_bubbles(page).last).to_have_text(re.compile("役に立った"))
    expect(chat_log(page)).to_contain_text("ありがとうございます")
    wait_reply(page)

    ask(page, "粗大ごみを出したいです。申し込み方法と料金を教えてください")
    expect(rating).to_have_count(2)
    bots_before = bot_bubbles(page).count()
    down = rating.last.get_by_role("button", name="役に立たなかった", exact=True)
    down.click()
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(rating.last.get_by_role("button", name="役に立った", exact=True)).to_be_disabled()
    expect(bot_bubbles(page)).not_to_have_count(bots_before)
    wait_reply(page)
    # 👎 offers other answers (もしかして), then 「まだ解決しない」 leads to staff (leaving the question)
    last = page.locator(".msg.bot").last
    expect(last.get_by_role("group", name="返信の候補")).to_be_visible()
    last.get_by_role("button", name="まだ解決しない（職員に相談する）").click()
    wait_reply(page)
    expect(page.locator(".msg.bot").last.get_by_role("button", name="質問を職員に送る")).to_be_visible()

    # the rating survives a reload, still disabled and marked
    page.reload()
    expect(panel(page)).to_be_visible()
    first = page.get_by_role("group", name="回答の評価").first
    expect(first.get_by_role("button", name="役に立った", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(first.get_by_role("button", name="役に立たなかった", exact=True)).to_be_disabled()


def test_feedback_buttons_render_without_the_bot(page):
    """The widget's 👍/👎 rendering from a canned reply (independent of the dialogue model)."""
    sent = []

    def canned(route):
        body = json.loads(route.request.post_data)
        sent.append(body)
        if "payload" in body:
            messages = [{"text": "ご回答ありがとうございます。", "buttons": []}]
        else:
            messages = [
                {"text": "「住民票」についてご案内します。\n\n担当：市民課", "buttons": []},
                {"text": "この回答は役に立ちましたか？", "buttons": [
                    {"title": "👍 役に立った", "payload": '/feedback{"faq_id":"koseki-001","helpful":true}'},
                    {"title": "👎 役に立たなかった", "payload": '/feedback{"faq_id":"koseki-001","helpful":false}'},
                ]},
            ]
        route.fulfill(json={"sender": "web:" + "a" * 32, "messages": messages})

    page.route("**/api/chat", canned)
    open_widget(page)
    ask(page, QUESTION)
    rating = page.get_by_role("group", name="回答の評価")
    expect(rating).to_have_count(1)
    expect(rating.get_by_role("button")).to_have_count(2)
    rating.get_by_role("button", name="役に立たなかった", exact=True).click()
    expect(chat_log(page)).to_contain_text("ご回答ありがとうございます。")
    assert {k: v for k, v in sent[-1].items() if k != "message_id"} == \
        {"sender": "web:" + "a" * 32, "payload": '/feedback{"faq_id":"koseki-001","helpful":false}'}
    assert len(sent[-1]["message_id"]) == 32 and sent[-1]["message_id"] != sent[0]["message_id"]
    for name, pressed in (("役に立った", "false"), ("役に立たなかった", "true")):
        button = rating.get_by_role("button", name=name, exact=True)
        expect(button).to_be_disabled()
        expect(button).to_have_attribute("aria-pressed", pressed)
    # no quick-reply buttons for feedback payloads
    expect(page.locator(".replies button", has_text="役に立")).to_have_count(0)


def test_leave_a_question_for_staff(page):
    open_widget(page)
    ask(page, "職員と話したい")
    leave = page.get_by_role("button", name="質問を職員に送る").last
    expect(leave).to_be_visible()
    leave.click()
    expect(user_bubbles(page).last).to_have_text(re.compile("質問を職員に送る"))
    wait_reply(page)
    ask(page, "市民農園の区画を借りたいのですが、来年度の募集はいつ始まりますか")
    expect(chat_log(page)).to_contain_text(re.compile(r"Q-\d{4}-\d{6}"))


# ---- keyboard, accessibility, layout ----

def test_keyboard_only(page):
    page.goto(page.base + "/")
    for _ in range(80):  # Tab through the page to the launcher
        page.keyboard.press("Tab")
        now = focused_in_widget(page)
        if now and "launcher" in now["cls"]:
            break
    else:
        pytest.fail("Tab never reached the launcher")
    page.keyboard.press("Enter")
    expect(panel(page)).to_be_visible()
    expect(textbox(page)).to_be_focused()

    # Tab order: launcher → panel controls → … → input → send
    expect(launcher(page)).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Shift+Tab")
    order = [focused_in_widget(page)]
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        now = focused_in_widget(page)
        order.append(now)
        if now and "launcher" in now["cls"]:
            break
    labels = [("<select>" if f["tag"] == "select" else f["label"] or f["text"]) for f in order if f]
    assert labels[-5:] == ["チャットを閉じる", "ふりがな", "文字を大きく", "<select>", "AIに質問する"], labels  # <select>: the language

    # back to the input, ask and read the answer
    page.keyboard.press("Tab")  # the language menu
    page.keyboard.press("Tab")  # 文字を大きく
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="文字を大きく")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="文字を大きく")).to_have_attribute("aria-pressed", "false")
    for _ in range(20):
        page.keyboard.press("Tab")
        now = focused_in_widget(page)
        if now and now["tag"] == "textarea":
            break
    expect(textbox(page)).to_be_focused()
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    expect(chat_log(page)).to_contain_text("担当：市民課")
    expect(textbox(page)).to_be_focused()
    page.keyboard.press("Tab")
    expect(send_button(page)).to_be_focused()

    # Escape closes and gives focus back to the launcher; Enter opens again with the answer kept
    page.keyboard.press("Escape")
    expect(panel(page)).to_be_hidden()
    expect(launcher(page)).to_be_focused()
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(textbox(page)).to_be_focused()
    expect(chat_log(page)).to_contain_text("担当：市民課")


def test_axe_finds_no_serious_problems(page, axe_source):
    open_widget(page)
    ask(page, QUESTION)
    expect(chat_log(page)).to_contain_text("担当：市民課")
    wait_reply(page)
    bad, shadow_checked = run_axe(page, axe_source)
    assert shadow_checked, "axe looked inside the widget's shadow root"
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
    # and with larger text and an error notice showing
    page.get_by_role("button", name="文字を大きく").click()
    page.route("**/api/chat", lambda route: route.fulfill(status=503, json={"detail": BUSY_DETAIL}))
    ask(page, "粗大ごみ")
    expect(page.get_by_role("button", name="もう一度送る")).to_be_visible()
    bad, _ = run_axe(page, axe_source)
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


def test_phone_panel_covers_the_screen(phone, axe_source):
    open_widget(phone)
    box = panel(phone).bounding_box()
    assert box == {"x": 0, "y": 0, "width": 375, "height": 667}, box
    expect(launcher(phone)).to_be_hidden()
    ask(phone, QUESTION)
    expect(chat_log(phone)).to_contain_text("担当：市民課")
    wait_reply(phone)
    font = phone.locator(".msg.bot .bubble").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 16
    phone.wait_for_timeout(300)
    phone.screenshot(path=PHONE_SHOT)
    bad, _ = run_axe(phone, axe_source)
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
    # full screen covers the page: Tab stays in the panel
    send_button(phone).focus()
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="文字を大きく")).to_be_focused()
    phone.keyboard.press("Shift+Tab")
    expect(send_button(phone)).to_be_focused()
    phone.get_by_role("button", name="チャットを閉じる").click()
    expect(panel(phone)).to_be_hidden()
    expect(launcher(phone)).to_be_focused()


def test_larger_text(page):
    open_widget(page)
    bubble = bot_bubbles(page).first
    before = bubble.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    toggle = page.get_by_role("button", name="文字を大きく")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    after = bubble.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert before >= 16 and after >= before * 1.2
    title = page.locator("#mw-title").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert title > 16
    page.reload()
    expect(page.get_by_role("button", name="文字を大きく")).to_have_attribute("aria-pressed", "true")


# ---- safety and robustness ----

def test_markup_is_shown_as_text(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_widget(page)
    ask(page, XSS)
    expect(user_bubbles(page).last).to_have_text(re.compile(re.escape(XSS)))
    wait_reply(page)
    expect(bot_bubbles(page)).not_to_have_count(1)  # the bot said something after the greeting
    page.wait_for_timeout(500)
    injected = page.evaluate("""() => document.getElementById('madoguchi-widget').shadowRoot
        .querySelectorAll('.log img, .log script, .log iframe').length""")
    assert injected == 0
    assert dialogs == []


def test_only_http_links_and_stored_markup_stays_text(page):
    """A restored transcript (sessionStorage is page-writable) is rendered as text too."""
    log = [{"id": i + 1, "who": "bot" if i % 2 else "user", "text": f"メッセージ{i}"} for i in range(58)]
    log += [{"id": 59, "who": "user", "text": XSS},
            {"id": 60, "who": "bot", "text": "javascript:alert(3) と https://www.city.hikarino.example/a.html と "
                                             "data:text/html,<b>x</b> と http://example.org/b?x=1。"}]
    state = {"sender": "web:" + "b" * 32, "open": True, "large": False, "log": log}
    page.add_init_script(f"sessionStorage.setItem('madoguchi-widget', {json.dumps(json.dumps(state))})")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(page.base + "/")
    expect(panel(page)).to_be_visible()
    expect(page.locator(".msg")).to_have_count(50)  # the last 50 only
    expect(user_bubbles(page).last).to_have_text(re.compile(re.escape(XSS)))
    links = bot_bubbles(page).last.locator("a")
    expect(links).to_have_count(2)
    assert links.nth(0).get_attribute("href") == "https://www.city.hikarino.example/a.html"
    assert links.nth(1).get_attribute("href") == "http://example.org/b?x=1"
    page.wait_for_timeout(300)
    assert dialogs == []


def test_transcript_survives_navigation(page):
    open_widget(page)
    ask(page, QUESTION)
    expect(chat_log(page)).to_contain_text("担当：市民課")
    wait_reply(page)
    sender = stored(page)["sender"]
    assert re.fullmatch(r"web:[0-9a-f]{32}", sender)
    count = page.locator(".msg").count()

    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="くらしの手続き").click()
    expect(page).to_have_url(re.compile(r"/static/kurashi\.html$"))
    expect(page.get_by_role("heading", name="くらしの手続き", level=1)).to_be_visible()
    expect(panel(page)).to_be_visible()  # it was open: still open
    expect(page.locator(".msg")).to_have_count(count)
    expect(chat_log(page)).to_contain_text(QUESTION)
    expect(chat_log(page)).to_contain_text("担当：市民課")
    assert stored(page)["sender"] == sender

    # the same conversation goes on here
    ask(page, "粗大ごみの出し方")
    wait_reply(page)
    assert stored(page)["sender"] == sender
    page.get_by_role("button", name="チャットを閉じる").click()
    page.get_by_role("link", name="ホーム").first.click()
    expect(page).to_have_url(page.base + "/")
    expect(panel(page)).to_be_hidden()  # it was closed: still closed
    launcher(page).click()
    expect(chat_log(page)).to_contain_text("粗大ごみの出し方")


def test_busy_service_offers_a_retry(page):
    page.route("**/api/chat", lambda route: route.fulfill(
        status=503, headers={"Retry-After": "30"}, json={"detail": BUSY_DETAIL}))
    open_widget(page)
    ask(page, QUESTION)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(BUSY_DETAIL)
    retry = page.get_by_role("button", name="もう一度送る")
    expect(retry).to_be_visible()
    expect(typing(page)).to_be_empty()
    page.unroute("**/api/chat")
    retry.click()
    expect(chat_log(page)).to_contain_text("担当：市民課")
    expect(alert).to_be_hidden()
    expect(user_bubbles(page)).to_have_count(1)  # the question is not shown twice


def test_offline_offers_a_retry(page):
    page.route("**/api/chat", lambda route: route.abort("internetdisconnected"))
    open_widget(page)
    ask(page, QUESTION)
    expect(page.get_by_role("alert")).to_contain_text("通信できませんでした")
    page.unroute("**/api/chat")
    page.get_by_role("button", name="もう一度送る").click()
    expect(chat_log(page)).to_contain_text("担当：市民課")
    expect(page.get_by_role("alert")).to_be_hidden()


def test_a_connection_lost_once_is_tried_again_unseen(page):
    """An api process that dies mid-request (scaled mode): the widget tries once more by itself."""
    tries = []

    def flaky(route):
        tries.append(route.request.post_data)
        if len(tries) == 1:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/chat", flaky)
    open_widget(page)
    ask(page, QUESTION)
    expect(chat_log(page)).to_contain_text("担当：市民課")
    expect(page.get_by_role("alert")).to_be_hidden()
    assert len(tries) == 2 and tries[0] == tries[1]
    expect(user_bubbles(page)).to_have_count(1)


def test_invalid_input_shows_the_detail(page):
    detail = "ご質問が長すぎます。1000文字以内で入力してください。"
    page.route("**/api/chat", lambda route: route.fulfill(status=422, json={"detail": detail}))
    open_widget(page)
    ask(page, "長い質問")
    expect(page.get_by_role("alert")).to_contain_text(detail)
    expect(page.get_by_role("button", name="もう一度送る")).to_be_hidden()
    expect(textbox(page)).to_have_value("長い質問")  # given back to fix


def test_inbox_is_polled_and_rendered(page):
    polls = []

    def inbox(route):
        polls.append(route.request.url)
        messages = [{"text": "受付番号 Q-2026-000123 のご質問への回答です。\n粗大ごみは土曜日も収集します。", "buttons": []}]
        route.fulfill(json={"messages": messages if len(polls) == 2 else []})

    page.clock.install()
    open_widget(page)
    ask(page, QUESTION)
    expect(chat_log(page)).to_contain_text("担当：市民課")
    sender = stored(page)["sender"]
    page.route("**/api/chat/inbox?**", inbox)
    page.get_by_role("button", name="チャットを閉じる").click()
    launcher(page).click()  # opening polls at once
    page.wait_for_timeout(500)
    assert len(polls) == 1 and f"sender={sender.replace(':', '%3A')}" in polls[0], polls
    page.clock.fast_forward("00:21")  # and every 20 s while open
    staff = page.locator(".msg.staff")
    expect(staff).to_have_count(1)
    expect(staff).to_contain_text("職員からの回答")
    expect(staff).to_contain_text("粗大ごみは土曜日も収集します。")
    page.get_by_role("button", name="チャットを閉じる").click()
    n = len(polls)
    page.clock.fast_forward("01:00")
    page.wait_for_timeout(300)
    assert len(polls) == n, "no polling while closed"
    expect(page.get_by_role("alert")).to_be_hidden()


def test_inbox_errors_are_silent(page):
    page.route("**/api/chat/inbox?**", lambda route: route.fulfill(status=404, json={"detail": "ページが見つかりません。"}))
    open_widget(page)
    ask(page, QUESTION)
    expect(chat_log(page)).to_contain_text("担当：市民課")
    page.get_by_role("button", name="チャットを閉じる").click()
    launcher(page).click()
    page.wait_for_timeout(500)
    expect(page.get_by_role("alert")).to_be_hidden()


# ---- embedding on another site ----

@pytest.fixture(scope="module")
def other_site():
    """Another origin (its own port) serving pages that embed the widget; pages[path] = html."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.pages = pages
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def embed_page(page, site, color: str) -> str:
    """A page of another site embedding the widget with one tag, styled aggressively."""
    path = f"/embed-{len(site.pages)}.html"
    site.pages[path] = f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>埋め込みテスト</title>
        <style>* {{ color: red !important; font-size: 8px !important; background: yellow; }}
        .bubble {{ outline: 5px solid lime; }}</style></head>
        <body><main><h1>よその自治体サイト</h1><p class="bubble">ページの段落</p></main>
        <script src="{page.base}/widget.js" data-title="テスト市 AI窓口" data-color="{color}" defer></script></body></html>"""
    return site.base + path


def test_embedded_on_another_origin(page, other_site):
    page.goto(embed_page(page, other_site, "#a50034"))
    button = page.get_by_role("button", name="AIに質問する")
    # the page's styles do not reach into the widget…
    assert button.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    assert button.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(165, 0, 52)"  # data-color used
    button.click()
    expect(page.get_by_role("dialog", name="テスト市 AI窓口")).to_be_visible()
    # …and the widget's styles do not reach the page
    assert page.locator("main p.bubble").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 0)"
    ask(page, QUESTION)  # a cross-origin call: needs the api's CORS answer
    expect(chat_log(page)).to_contain_text("担当：市民課")
    expect(page.get_by_role("alert")).to_be_hidden()
    assert stored(page)["sender"].startswith("web:")  # kept in the embedding site's sessionStorage


def test_too_light_colour_falls_back_to_the_default(page, other_site):
    page.goto(embed_page(page, other_site, "#ffeb3b"))
    button = page.get_by_role("button", name="AIに質問する")
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 87, 208)"


def test_widget_script_and_cors_headers(services):
    r = services.http.get("/widget.js")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/javascript; charset=utf-8"
    assert "max-age=" in r.headers["cache-control"]
    preflight = {"Origin": "https://www.example.org", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    for path in ("/api/chat", "/api/chat/inbox"):
        r = services.http.options(path, headers=preflight)
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*", path
        assert "access-control-allow-credentials" not in r.headers
    r = services.http.post("/api/chat", json={"text": "こんにちは"}, headers={"Origin": "https://www.example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    r = services.http.options("/api/admin/faqs", headers=preflight)
    assert "access-control-allow-origin" not in r.headers
    r = services.http.get("/api/faq/search", params={"q": "住民票"}, headers={"Origin": "https://www.example.org"})
    assert "access-control-allow-origin" not in r.headers
