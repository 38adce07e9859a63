"""The FAQ's answers in other languages in the console, in Chromium against the real stack: a new
entry gets a Vietnamese question and answer beside the Japanese answer, is published, and a
Vietnamese question then finds it with the staff's answer; axe (serious or critical problems fail)
on the edit page and on 数字で見る with its language coverage."""
import re
import uuid

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, _context
from tests.browser.test_console import SHORT_MS, accounts, delete_faq, fill_faq, log_in, publish  # noqa: F401
from tests.browser.test_console_gomi import axe_problems


def test_vietnamese_answer_written_beside_the_japanese_one_reaches_a_vietnamese_question(
        browser, services, accounts, axe_source):
    tag = uuid.uuid4().hex[:6]
    faq_id = f"br-lang-{tag}"
    ctx = _context(browser, DESKTOP)
    ctx.set_default_timeout(SHORT_MS)
    page = ctx.new_page()
    page.base = services.base
    try:
        log_in(page, accounts["editor"], "/admin/faqs/new")
        fill_faq(page, id=faq_id, question="かっぱ沼の灯ろう流しはいつですか？",
                 answer="かっぱ沼の灯ろう流しは8月16日の19時からです。")
        # a language nobody wrote is folded; its fields are labelled and in that language
        vi = page.locator("details.lang-pair", has_text="ベトナム語 Tiếng Việt")
        expect(vi.get_by_label("回答（ベトナム語 Tiếng Việt）")).to_be_hidden()
        vi.locator("summary").click()
        answer = vi.get_by_label("回答（ベトナム語 Tiếng Việt）")
        expect(answer).to_have_attribute("lang", "vi")
        vi.get_by_label("質問（ベトナム語 Tiếng Việt）").fill("Lễ thả đèn lồng ở đầm Kappa diễn ra khi nào?")
        answer.fill("Lễ thả đèn lồng ở đầm Kappa bắt đầu lúc 19 giờ ngày 16 tháng 8.")
        page.get_by_role("button", name="下書きとして保存").click()
        expect(page.get_by_role("status").or_(page.get_by_text("下書きとして保存しました")).first).to_be_visible()
        # saved: open, beside the Japanese answer
        vi = page.locator("details.lang-pair[open]", has_text="ベトナム語 Tiếng Việt（入力済み）")
        expect(vi.locator(".source")).to_have_text("かっぱ沼の灯ろう流しは8月16日の19時からです。")
        expect(vi.get_by_label("回答（ベトナム語 Tiếng Việt）")).to_have_value(
            "Lễ thả đèn lồng ở đầm Kappa bắt đầu lúc 19 giờ ngày 16 tháng 8.")
        cookies = ctx.cookies()
        assert axe_problems(browser, services.base, cookies, f"/admin/faqs/{faq_id}", axe_source) == []
        assert axe_problems(browser, services.base, cookies, "/admin/figures", axe_source) == []

        publish(page)
        r = httpx.get(services.base + "/api/faq/search",
                      params={"q": "Khi nào có lễ thả đèn lồng ở đầm Kappa?", "lang": "vi"}, timeout=30)
        top = r.json()["hits"][0]
        assert (top["id"], top["answer_lang"], top["question_lang"]) == (faq_id, "vi", "vi"), r.text
        assert r.json()["zone"] != "none"

        page.goto(page.base + "/admin/figures")
        coverage = page.locator("section", has=page.get_by_role("heading", name=re.compile("外国語の回答がある")))
        expect(coverage.get_by_role("row", name=re.compile("ベトナム語"))).to_be_visible()
    finally:
        delete_faq(page, faq_id)
        ctx.close()
