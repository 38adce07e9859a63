"""Live chat with staff in two browsers at once: a resident in the widget and a staff member on
the console's 職員チャット page, against the real api, Rasa and action server (tests/e2e's
`services`, open around the clock for the live chat; 税務課 takes none).

Every test logs its staff member out at the end: residents are offered a live chat only while
someone has the page open, and the other tests expect the plain staff contact."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, _context
from tests.browser.test_console import _create_user, log_in
from tests.browser.test_widget import ask, chat_log, open_widget, textbox, wait_reply

LIVE_MS = 20_000  # a poll (2.5 s in the widget, 3 s on the console) plus a page load, on a loaded machine


@pytest.fixture(scope="module")
def editor(services):
    login = f"live-{uuid.uuid4().hex[:6]}"
    _create_user(services, login, "editor")
    return login


@pytest.fixture
def staff(browser, services, editor):
    ctx = _context(browser, DESKTOP)
    ctx.set_default_timeout(LIVE_MS)
    pg = ctx.new_page()
    pg.base = services.base
    log_in(pg, editor, "/admin/live")
    expect(pg.get_by_role("heading", name="職員チャット", level=1)).to_be_visible()
    try:
        yield pg
    finally:
        if pg.get_by_role("button", name="ログアウト").count():
            pg.get_by_role("button", name="ログアウト").click()
        ctx.close()


def to_live_chat(resident, question="住民票の写しを取りたい"):
    """Asks a question (its FAQ names the department), then for staff, and presses the offer."""
    open_widget(resident)
    ask(resident, question)
    wait_reply(resident)
    ask(resident, "職員と話したい")
    offer = resident.get_by_role("button", name="今すぐ職員とチャットする")
    expect(offer).to_be_visible()
    expect(chat_log(resident)).to_contain_text("待ち時間の目安")
    offer.click()
    expect(resident.get_by_text("職員におつなぎしています。このままお待ちください。")).to_be_visible(timeout=LIVE_MS)


def take_first_waiting(staff):
    """The waiting resident, announced without a reload, opened and taken."""
    expect(staff.get_by_role("status").filter(has_text="住民が職員を待っています")).to_be_visible(timeout=LIVE_MS)
    staff.locator("#waiting a").first.click()
    staff.get_by_role("button", name="この会話に対応する").click()
    expect(staff.get_by_text("対応を始めました。")).to_be_visible()


def test_live_conversation_transfer_and_return_to_the_bot(page, staff):
    resident = page
    to_live_chat(resident)
    take_first_waiting(staff)
    log = chat_log(resident)
    expect(log).to_contain_text("ひかり野市 市民課の職員が対応します", timeout=LIVE_MS)
    expect(resident.get_by_text("職員とチャットしています")).to_be_visible(timeout=LIVE_MS)

    ask(resident, "転入届に必要なものを教えてください。電話番号は090-1234-5678です")
    staff_log = staff.get_by_role("log", name="住民とのチャット")
    expect(staff_log).to_contain_text("転入届に必要なもの", timeout=LIVE_MS)  # without a reload
    expect(staff_log).to_contain_text("電話番号は＊＊＊です")  # masked before it was stored
    expect(staff_log).not_to_contain_text("1234")

    reply = staff.get_by_label(re.compile("返信"))
    reply.press_sequentially("本人確認書類")
    expect(resident.get_by_text("ひかり野市 市民課が入力しています…")).to_be_visible(timeout=LIVE_MS)
    reply.fill("本人確認書類と、前の住所の転出証明書をお持ちください。")
    staff.get_by_role("button", name="送信", exact=True).click()
    staff_bubble = resident.locator(".msg.staff").last
    expect(staff_bubble).to_contain_text("転出証明書をお持ちください", timeout=LIVE_MS)
    expect(staff_bubble.locator(".tag")).to_have_text("ひかり野市 市民課")  # the department, never a person

    # transfer to another department with a note, then the same person takes it from that queue
    staff.get_by_label("引き継ぎ先").select_option("dept:保険年金課")
    staff.get_by_label(re.compile("引き継ぎメモ")).fill("国保の加入も相談したいとのこと")
    staff.get_by_role("button", name="引き継ぐ").click()
    expect(staff.get_by_text("引き継ぎました。")).to_be_visible()
    expect(log).to_contain_text("担当をひかり野市 保険年金課に引き継ぎます", timeout=LIVE_MS)
    expect(staff.locator("#waiting")).to_contain_text("国保の加入も相談したいとのこと")
    staff.locator("#waiting a").first.click()
    staff.get_by_role("button", name="この会話に対応する").click()
    expect(log).to_contain_text("ひかり野市 保険年金課の職員が対応します", timeout=LIVE_MS)

    staff.get_by_role("button", name="AIの自動応答に戻す").click()
    expect(staff.get_by_text("AIの自動応答に戻しました。")).to_be_visible()
    expect(log).to_contain_text("AIによる自動応答に戻ります", timeout=LIVE_MS)
    expect(resident.get_by_text("職員とチャットしています")).to_be_hidden(timeout=LIVE_MS)
    # the bot answers again (Rasa's conversation was resumed)
    ask(resident, "住民票の写しはどこで取れますか")
    expect(log).to_contain_text("担当：市民課")


def test_resident_ends_the_chat_from_the_widget(page, staff):
    resident = page
    to_live_chat(resident)
    take_first_waiting(staff)
    expect(chat_log(resident)).to_contain_text("職員が対応します", timeout=LIVE_MS)
    resident.get_by_role("button", name="職員とのチャットを終える").click()
    expect(chat_log(resident)).to_contain_text("職員との会話を終了しました", timeout=LIVE_MS)
    expect(staff.get_by_role("log", name="住民とのチャット")).to_contain_text("職員との会話を終了しました",
                                                                            timeout=LIVE_MS)
    expect(textbox(resident)).to_be_focused()


def test_out_of_hours_department_offers_the_ticket_instead(page, staff):
    resident = page
    open_widget(resident)
    ask(resident, "住民税の納税通知書はいつ届きますか？")
    wait_reply(resident)
    ask(resident, "職員と話したい")
    expect(chat_log(resident)).to_contain_text("職員とのチャットの受付：この担当課では職員とのチャットを受け付けていません")
    expect(resident.get_by_role("button", name="今すぐ職員とチャットする")).to_have_count(0)
    expect(resident.get_by_role("button", name="質問を職員に送る").last).to_be_visible()


def test_the_only_staff_member_logging_out_leaves_a_ticket(page, staff):
    resident = page
    to_live_chat(resident)
    ask(resident, "児童手当の振込日を知りたいです")
    expect(staff.get_by_role("status").filter(has_text="住民が職員を待っています")).to_be_visible(timeout=LIVE_MS)
    staff.get_by_role("button", name="ログアウト").click()
    expect(staff).to_have_url(re.compile("/admin/login"))
    expect(chat_log(resident)).to_contain_text(re.compile(r"受付番号 Q-\d{4}-\d{6} でお預かりしました"), timeout=LIVE_MS)
    expect(resident.get_by_text("職員におつなぎしています。このままお待ちください。")).to_be_hidden(timeout=LIVE_MS)


def test_axe_finds_no_serious_problems_on_either_side(page, browser, services, editor, axe_source):
    import json

    from tests.browser.test_widget import run_axe

    # the console page's CSP allows only its own script: axe is injected with the CSP bypassed
    ctx = browser.new_context(viewport=DESKTOP, locale="ja-JP", timezone_id="Asia/Tokyo", bypass_csp=True)
    ctx.set_default_timeout(LIVE_MS)
    console = ctx.new_page()
    console.base = services.base
    try:
        log_in(console, editor, "/admin/live")
        to_live_chat(page)
        take_first_waiting(console)
        expect(chat_log(page)).to_contain_text("職員が対応します", timeout=LIVE_MS)
        expect(page.get_by_text("職員とチャットしています")).to_be_visible(timeout=LIVE_MS)
        for side in (console, page):
            bad, _ = run_axe(side, axe_source)
            assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
        page.get_by_role("button", name="職員とのチャットを終える").click()
        expect(chat_log(page)).to_contain_text("職員との会話を終了しました", timeout=LIVE_MS)
    finally:
        if console.get_by_role("button", name="ログアウト").count():
            console.get_by_role("button", name="ログアウト").click()
        ctx.close()


def test_staff_offer_a_chat_on_a_ticket_and_the_resident_takes_it_up(page, staff):
    """The staff member's own choice: on the ticket a resident left, 「チャットを申し出る」; the
    widget shows the offer at its next inbox poll; 「はい、いま話す」 opens the chat with that staff
    member, whose page turns into the conversation without a reload."""
    resident = page
    open_widget(resident)
    ask(resident, "職員と話したい")
    resident.get_by_role("button", name="質問を職員に送る").last.click()
    wait_reply(resident)
    ask(resident, "児童手当の振込日を知りたいです")
    expect(chat_log(resident)).to_contain_text(re.compile(r"Q-\d{4}-\d{6}"))
    number = re.search(r"Q-\d{4}-\d{6}", chat_log(resident).inner_text()).group(0)

    staff.goto(f"{staff.base}/admin/tickets/{number}")
    expect(staff.get_by_role("heading", name="チャットで話しかける")).to_be_visible()
    staff.get_by_label("担当課").select_option("市民課")
    staff.get_by_role("button", name="チャットを申し出る").click()
    expect(staff.get_by_text("チャットを申し出ました。")).to_be_visible()
    expect(staff.locator("#chat-status")).to_have_text("申し出て応答待ち")

    accept = resident.get_by_role("button", name="はい、いま話す")
    expect(accept).to_be_visible(timeout=30_000)  # the widget's inbox poll: every 20 s
    expect(chat_log(resident)).to_contain_text(f"お問い合わせ（{number}）について")
    accept.click()
    expect(chat_log(resident)).to_contain_text("ひかり野市 市民課の職員が対応します", timeout=LIVE_MS)
    expect(resident.get_by_text("職員とチャットしています")).to_be_visible(timeout=LIVE_MS)

    reply = staff.get_by_label(re.compile("返信"))
    expect(reply).to_be_visible(timeout=LIVE_MS)  # the page reloaded itself into the conversation
    reply.fill("児童手当は2月・6月・10月に振り込みます。")
    staff.get_by_role("button", name="送信", exact=True).click()
    expect(resident.locator(".msg.staff").last).to_contain_text("6月・10月に振り込みます", timeout=LIVE_MS)
    staff.get_by_role("button", name="会話を終了する").click()
    expect(chat_log(resident)).to_contain_text("職員が会話を終了しました", timeout=LIVE_MS)
    staff.goto(f"{staff.base}/admin/tickets/{number}")
    expect(staff.get_by_text("前回の申し出：チャットで対応しました。")).to_be_visible()
