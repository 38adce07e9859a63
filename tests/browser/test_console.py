"""The staff console (/admin) in Chromium, against the real api, Rasa and action server.

Accounts are made with `python -m api.admin.create_user` on the services' own database
(MADOGUCHI_VAR = services.var); every test logs in through the login form.
Tests that change shared data (the FAQ corpus, applications) tidy up or use their own
entries, so the widget tests that run after them see the city's corpus unchanged.
"""
import datetime as dt
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, _context

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "console-test-pass-2026"
SHORT_MS = 10_000        # a page or form post
CHECK_MS = 180_000       # the regression check (the very first one on a machine computes vectors)
JST = dt.timezone(dt.timedelta(hours=9))


# ---- accounts and log-in ----------------------------------------------------------------

def _create_user(services, login: str, role: str) -> None:
    env = dict(os.environ, MADOGUCHI_VAR=str(services.var), MADOGUCHI_NEW_PASSWORD=PASSWORD, PYTHONPATH=str(ROOT))
    env.pop("MADOGUCHI_DB_URL", None)  # the same SQLite file as the running api
    r = subprocess.run([sys.executable, "-m", "api.admin.create_user", "--login", login, "--name", f"{role}さん",
                        "--role", role], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture(scope="module")
def accounts(services):
    suffix = uuid.uuid4().hex[:6]
    logins = {role: f"br-{role}-{suffix}" for role in ("editor", "viewer")}
    for role, login in logins.items():
        _create_user(services, login, role)
    return logins


@pytest.fixture
def console(browser, services):
    """A fresh tab (own cookies) on nothing yet; base URL in .base."""
    ctx = _context(browser, DESKTOP)
    ctx.set_default_timeout(SHORT_MS)
    pg = ctx.new_page()
    pg.base = services.base
    try:
        yield pg
    finally:
        ctx.close()


def log_in(page, login: str, path: str = "/admin") -> None:
    page.goto(page.base + "/admin/login?next=" + path)
    expect(page.get_by_role("heading", name="ログイン", level=1)).to_be_visible()
    page.get_by_label("ログインID").fill(login)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/admin/login"))
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()


def texts(reply: dict) -> str:
    return "\n".join(m["text"] for m in reply["messages"])


def titles(reply: dict) -> str:
    return "\n".join(b["title"] for m in reply["messages"] for b in m.get("buttons", []))


def fill_faq(page, **fields) -> None:
    ids = {"id": "#f-id", "question": "#f-question", "alternatives": "#f-alternatives", "answer": "#f-answer",
           "category": "#f-category", "department": "#f-department", "phone": "#f-phone", "url": "#f-url",
           "verified": "#f-verified"}
    for key, value in fields.items():
        page.locator(ids[key]).fill(value)


def publish(page) -> None:
    """Clicks 公開する; when the regression check lists changes, confirms them and publishes again."""
    # publishing runs the regression check: its page may take longer than a form post, and is
    # awaited below with the check's timeout, not by the click
    page.get_by_role("button", name="公開する").click(timeout=SHORT_MS, no_wait_after=True)
    done = page.get_by_text("公開しました").or_(page.get_by_role("checkbox", name=re.compile("回答が変わることを確認")))
    expect(done.first).to_be_visible(timeout=CHECK_MS)
    box = page.get_by_role("checkbox", name=re.compile("回答が変わることを確認"))
    if box.count():
        box.check()
        page.get_by_role("button", name="公開する").click(no_wait_after=True)
    expect(page).to_have_url(re.compile(r"done=published"), timeout=CHECK_MS)


def delete_faq(page, faq_id: str) -> None:
    page.goto(f"{page.base}/admin/faqs/{faq_id}")
    page.get_by_role("button", name="このFAQを削除する").click()
    expect(page).to_have_url(re.compile(r"/admin/faqs\?done=deleted"))


# ---- 1. create and publish an FAQ -------------------------------------------------------

def test_editor_creates_and_publishes_an_faq_the_bot_then_uses(console, services, accounts):
    page = console
    log_in(page, accounts["editor"], "/admin/faqs")
    page.get_by_role("link", name="FAQを新しく作る").click()
    expect(page.get_by_role("heading", name="FAQの作成")).to_be_visible()
    faq_id = f"sonota-hotaru-{uuid.uuid4().hex[:6]}"
    fill_faq(page, id=faq_id, question="ほたる観賞会はいつですか？",
             alternatives="ほたる観賞会の日程\nホタル 観賞会 いつ\nほたるの夕べ",
             answer="ほたる観賞会は6月第2土曜日の19時30分から、ひかり野川せせらぎ公園で開きます。申し込みはいりません。",
             category="市民相談・その他", department="環境課 自然保護係", phone="012-345-6222",
             url="https://www.city.hikarino.example/kurashi/hotaru.html", verified="2026-05-01")
    publish(page)
    expect(page.get_by_role("heading", name=f"FAQ {faq_id}")).to_be_visible()
    expect(page.get_by_text(re.compile("状態：公開"))).to_be_visible()
    try:
        reply = services.chat("ほたる観賞会はいつですか")
        assert "6月第2土曜日" in texts(reply) or "ほたる観賞会はいつですか" in titles(reply), reply
    finally:
        delete_faq(page, faq_id)
    assert "6月第2土曜日" not in texts(services.chat("ほたる観賞会はいつですか"))


# ---- 2. regression check ------------------------------------------------------------------

def test_regression_check_lists_a_changed_answer_and_publishing_needs_confirmation(console, services, accounts):
    page = console
    # the check runs what residents asked (the conversation log) and the entries' phrasings:
    # a resident asks, and the edit below adds that question word for word to koseki-002,
    # so the check has a change to list whatever the ranking does with the others
    asked = "仕事終わってからでも住民票って取れる？夜8時とか"
    services.chat(asked)
    log_in(page, accounts["editor"], "/admin/faqs/koseki-002")
    expect(page.get_by_role("heading", name="FAQ koseki-002")).to_be_visible()
    alts = page.locator("#f-alternatives")
    alts.fill(alts.input_value() + "\n住民票の写しはどこで取れますか\n住民票\n住民票がほしい\n住民票 何円\n" + asked)
    page.get_by_role("button", name="影響を確認").click(timeout=CHECK_MS)  # the post runs the check
    heading = page.get_by_role("heading", name=re.compile("公開した場合に回答が変わる住民の質問"))
    expect(heading).to_be_visible(timeout=CHECK_MS)
    table = page.locator("section[aria-labelledby=check-heading] table")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() >= 1
    expect(rows.filter(has_text="koseki-002").first).to_be_visible()  # answered by koseki-002 after the edit
    expect(heading).to_contain_text(f"（{rows.count()}件）")
    # the confirmation checkbox is there, unchecked; publishing without it is refused
    box = page.get_by_role("checkbox", name=re.compile("回答が変わることを確認しました"))
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()
    page.get_by_role("button", name="公開する").click(timeout=CHECK_MS)
    expect(page.get_by_text("確認欄にチェックを入れてから公開してください")).to_be_visible(timeout=CHECK_MS)
    expect(page).not_to_have_url(re.compile("done=published"))
    # nothing was saved: the saved entry and the bot are unchanged
    page.goto(page.base + "/admin/faqs/koseki-002")
    assert "住民票の写しはどこで取れますか" not in page.locator("#f-alternatives").input_value()
    assert "市民課" in texts(services.chat("住民票の写しはどこで取れますか"))


# ---- 3. CSV import -------------------------------------------------------------------------

HEADER = "id,category,question,alternatives,answer,department,phone,url,verified,status\r\n"


def csv_row(faq_id, question, alternatives="言い換えその1 | 言い換えその2", phone="012-345-6111"):
    return (f'{faq_id},ごみ・リサイクル,{question},"{alternatives}",{question}の回答です。,環境課,{phone},'
            f"https://www.city.hikarino.example/gomi.html,2026-05-01,draft\r\n")


def test_shift_jis_csv_with_a_bad_row_then_a_good_one(console, services, accounts, tmp_path):
    page = console
    tag = uuid.uuid4().hex[:4]
    ids = [f"gomi-br-{tag}-{i}" for i in range(3)]
    bad = (HEADER + csv_row(ids[0], "カラスよけネットは借りられますか", "ネット 貸出 | カラスよけ")
           + csv_row(ids[1], "指定ごみ袋はどこで売っていますか", "ごみ袋 売り場\nごみぶくろ どこ")
           + csv_row(ids[2], "使い捨てカイロはどう捨てますか", phone="でんわ"))
    bad_file, good_file = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad_file.write_bytes(bad.encode("cp932"))
    good_file.write_bytes(bad.replace("でんわ", "012-345-6222").encode("cp932"))

    log_in(page, accounts["editor"], "/admin/faqs/import")
    expect(page.get_by_role("heading", name="FAQの取り込み")).to_be_visible()
    page.get_by_label("ファイル").set_input_files(str(bad_file))
    page.get_by_role("button", name="取り込む").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("取り込みませんでした")
    # the header is line 1; the second entry spans lines 3–4 (a line break inside quotes)
    expect(alert).to_contain_text(f"5行目（ID {ids[2]}）")
    expect(alert).to_contain_text("電話番号")
    for faq_id in ids:  # nothing was written
        page.goto(f"{page.base}/admin/faqs?q={faq_id}")
        expect(page.get_by_role("link", name=faq_id, exact=True)).to_have_count(0)

    page.goto(page.base + "/admin/faqs/import")
    page.get_by_label("ファイル").set_input_files(str(good_file))
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_role("status")).to_contain_text("3件を取り込みました")
    try:
        page.goto(f"{page.base}/admin/faqs/{ids[1]}")
        expect(page.locator("#f-question")).to_have_value("指定ごみ袋はどこで売っていますか")
        expect(page.locator("#f-alternatives")).to_have_value("ごみ袋 売り場\nごみぶくろ どこ")
        expect(page.get_by_text(re.compile("状態：下書き"))).to_be_visible()
    finally:
        for faq_id in ids:
            delete_faq(page, faq_id)


# ---- 4. inbox → alternative ----------------------------------------------------------------

def test_inbox_question_becomes_an_alternative(console, services, accounts):
    page = console
    question = "市民プールの年間パスポートを買いたい"  # the search only suggests shisetsu-007 for it
    first = services.chat(question)
    assert "総合体育館" not in texts(first), "the corpus must not answer it directly yet"

    log_in(page, accounts["editor"], "/admin/inbox")
    expect(page.get_by_role("heading", name="未対応の質問")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text=question).first
    expect(row).to_be_visible()
    row.get_by_label("追加先のFAQを探す").fill("shisetsu-007")
    row.get_by_role("button", name="FAQを探す").click()
    expect(page.get_by_role("heading", name="言い換えの追加先を選ぶ", level=1)).to_be_visible()
    page.get_by_label("言い換えの文").fill(question)
    page.get_by_role("button", name="shisetsu-007 に追加").click()
    expect(page).to_have_url(re.compile(r"/admin/inbox\?done=alternative"))
    expect(page.locator("tbody tr").filter(has_text=question)).to_have_count(0)

    page.goto(page.base + "/admin/faqs/shisetsu-007")
    assert question in page.locator("#f-alternatives").input_value().splitlines()
    again = services.chat(question)
    assert "総合体育館" in texts(again), again


def test_inbox_question_becomes_a_new_faq(console, services, accounts):
    page = console
    question = "公園でドローンを飛ばしてもいいですか"  # nothing in the corpus comes close
    assert "公園緑地課" not in texts(services.chat(question))

    log_in(page, accounts["editor"], "/admin/inbox")
    row = page.locator("tbody tr").filter(has_text=question).first
    expect(row).to_be_visible()
    row.get_by_role("link", name="この質問で新しいFAQを作る").click()
    expect(page.get_by_role("heading", name="FAQの作成")).to_be_visible()
    expect(page.locator("#f-question")).to_have_value(question)
    faq_id = f"sonota-drone-{uuid.uuid4().hex[:6]}"
    fill_faq(page, id=faq_id, alternatives="公園 ドローン\nドローン 飛ばせる場所",
             answer="市の公園では、ほかの利用者の安全のため、ドローンを飛ばすことはできません。\n詳しくは公園緑地課へお問い合わせください。",
             category="市民相談・その他", department="都市整備部 公園緑地課", phone="012-345-6333",
             url="https://www.city.hikarino.example/kurashi/koen/drone.html", verified="2026-05-01")
    publish(page)
    try:
        reply = services.chat(question)
        assert "ドローンを飛ばすことはできません" in texts(reply) or "公園でドローン" in titles(reply), reply
    finally:
        delete_faq(page, faq_id)


# ---- 5. tickets --------------------------------------------------------------------------

def test_ticket_answered_in_the_console_reaches_the_resident(console, services, accounts):
    page = console
    r1 = services.chat(payload="/leave_question")
    sender = r1["sender"]
    r2 = services.chat("蛍の観察会に子ども会で参加したいのですが、団体の申し込みはできますか", sender=sender)
    number = re.search(r"Q-\d{4}-\d{6}", texts(r2)).group(0)

    log_in(page, accounts["editor"], f"/admin/tickets/{number}")
    expect(page.get_by_role("heading", name=f"問い合わせ {number}")).to_be_visible()
    expect(page.locator("blockquote.text").first).to_contain_text("子ども会")
    answer = "団体でのお申し込みは環境課(012-345-6222)で受け付けています。"
    page.get_by_label("回答（住民の方にそのまま届きます）").fill(answer)
    page.get_by_role("button", name="回答を送信").click()
    expect(page.get_by_role("heading", name="回答", exact=True)).to_be_visible()
    expect(page.locator("blockquote.text").last).to_have_text(answer)

    inbox = services.http.get("/api/chat/inbox", params={"sender": sender}).json()["messages"]
    assert len(inbox) == 1 and number in inbox[0]["text"] and "環境課(012-345-6222)" in inbox[0]["text"], inbox
    page.reload()
    expect(page.get_by_text(re.compile("に届けました"))).to_be_visible()


# ---- 6. applications ----------------------------------------------------------------------

def test_status_change_in_the_console_notifies_a_subscribed_web_sender(console, services, accounts):
    page = console
    number = "A-2026-000104"
    r1 = services.chat("申請の状況を確認したいです")
    sender = r1["sender"]
    services.chat(number, sender=sender)
    r3 = services.chat("昭和50年2月28日", sender=sender)
    assert number in texts(r3) and "マイナンバーカード" in texts(r3), r3
    [told] = [b["payload"] for m in r3["messages"] for b in m["buttons"] if b["payload"].startswith("/subscribe_status")]
    assert "承知しました" in texts(services.chat(payload=told, sender=sender))
    services.http.get("/api/chat/inbox", params={"sender": sender})  # nothing waiting before the change

    log_in(page, accounts["editor"], "/admin/applications")
    page.get_by_label("申請番号・手続き名").fill(number)
    page.get_by_role("button", name="検索").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=f"申請 {number}")).to_be_visible()
    today = dt.datetime.now(JST).date()
    page.get_by_label("新しい状況").select_option("completed")
    page.get_by_label("日付（YYYY-MM-DD）").fill(today.isoformat())
    page.get_by_label("備考（住民の方にも届きます）").fill("ブラウザテストによる変更")
    page.get_by_role("button", name="変更する").click()
    expect(page).to_have_url(re.compile(r"done=status"))
    expect(page.locator("dl.facts")).to_contain_text("完了")
    expect(page.locator("table tbody tr").filter(has_text="ブラウザテストによる変更")).to_have_count(1)

    inbox = services.http.get("/api/chat/inbox", params={"sender": sender}).json()["messages"]
    assert len(inbox) == 1, inbox
    assert number in inbox[0]["text"] and "「完了」" in inbox[0]["text"] and "ブラウザテストによる変更" in inbox[0]["text"]


# ---- 7. access -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/admin", "/admin/faqs", "/admin/inbox", "/admin/tickets", "/admin/applications"])
def test_logged_out_pages_redirect_to_the_login_page(console, path):
    console.goto(console.base + path)
    expect(console).to_have_url(re.compile(r"/admin/login"))
    expect(console.get_by_role("heading", name="ログイン", level=1)).to_be_visible()


def test_viewer_sees_no_edit_buttons(console, services, accounts):
    page = console
    log_in(page, accounts["viewer"], "/admin/faqs")
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_role("link", name="FAQを新しく作る")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("取り込み"))).to_have_count(0)

    page.goto(page.base + "/admin/faqs/koseki-001")
    expect(page.get_by_role("heading", name="FAQ koseki-001")).to_be_visible()
    for label in ("公開する", "下書きとして保存", "影響を確認", "このFAQを削除する"):
        expect(page.get_by_role("button", name=label)).to_have_count(0)
    expect(page.locator("#f-question")).to_be_disabled()

    page.goto(page.base + "/admin/applications/A-2026-000101")
    expect(page.get_by_role("heading", name="申請 A-2026-000101")).to_be_visible()
    expect(page.get_by_role("button", name="変更する")).to_have_count(0)
    page.goto(page.base + "/admin/applications")
    expect(page.get_by_role("button", name="取り込む")).to_have_count(0)

    page.goto(page.base + "/admin/inbox")
    expect(page.get_by_role("heading", name="未対応の質問")).to_be_visible()
    for label in ("言い換えとして追加", "対応不要として外す"):
        expect(page.get_by_role("button", name=label)).to_have_count(0)
