"""The console's ごみ分別 pages in Chromium against the real stack: a city's list uploaded in
Shift_JIS, checked in the preview and imported; an item given another name, which the bot then
answers to; keyboard use; and axe (serious or critical problems fail) on each page.

The stack starts without a ごみ分別 list (tests/e2e's services): the items here are made-up
names, so no other test's question meets them.
"""
import json
import re
import uuid

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, _context
from tests.browser.test_console import SHORT_MS, accounts, log_in, texts  # noqa: F401 (fixture)

HEADER = "ID,頭文字,品目名,小型家電回収対象,出し方,出し方のポイント\r\n"


def axe_problems(browser, base: str, cookies: list, path: str, axe_source: str) -> list:
    """axe on a console page, in a tab that may inject axe's script past the console's CSP
    (which allows no script at all; the page itself runs none)."""
    ctx = browser.new_context(viewport=DESKTOP, locale="ja-JP", bypass_csp=True)
    try:
        ctx.add_cookies(cookies)
        page = ctx.new_page()
        page.goto(base + path)
        page.add_script_tag(content=axe_source)
        result = page.evaluate("""async () => (await axe.run(document)).violations.map(v => ({id: v.id,
            impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target)}))""")
        return [v for v in result if v["impact"] in ("serious", "critical")]
    finally:
        ctx.close()


def test_import_search_edit_and_the_bot_answers_with_the_new_name(browser, services, accounts, axe_source, tmp_path):
    tag = uuid.uuid4().hex[:4]
    item, alias = f"モコモコ掃除ブラシ{tag}", f"フワフワはたき{tag}"
    rows = (f"g1,も,{item},,燃やすごみ,柄は外して<br>束ねる\r\n"
            f"g2,ぷ,プニプニ保冷庫{tag},,家電リサイクル,\r\n")
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_bytes((HEADER + rows + "g3,あ,,,燃やすごみ,\r\n").encode("cp932"))
    good.write_bytes((HEADER + rows).encode("cp932"))

    ctx = _context(browser, DESKTOP)
    ctx.set_default_timeout(SHORT_MS)
    page = ctx.new_page()
    page.base = services.base
    try:
        log_in(page, accounts["editor"], "/admin/gomi/import")
        expect(page.get_by_role("heading", name="ごみ分別の一覧の取り込み", level=1)).to_be_visible()
        page.get_by_label("ファイル（CSV）").set_input_files(str(bad))
        page.get_by_label("一覧の名前").fill(f"browser-{tag}.csv")
        page.get_by_label("出典の表示").fill("出典：テスト市「ごみ分別一覧」(CC BY 4.0)")
        page.get_by_role("button", name="内容を確かめる").click()
        expect(page.get_by_role("alert")).to_contain_text("4行目：品目が空です。")

        page.get_by_label("ファイル（CSV）").set_input_files(str(good))
        page.get_by_label("一覧の名前").fill(f"browser-{tag}.csv")
        page.get_by_label("出典の表示").fill("出典：テスト市「ごみ分別一覧」(CC BY 4.0)")
        page.get_by_role("button", name="内容を確かめる").click()
        expect(page.get_by_role("heading", name=re.compile("取り込む内容の確認"))).to_contain_text("2品目")
        expect(page.get_by_role("row", name=re.compile(item))).to_be_visible()
        page.get_by_role("button", name="この内容で取り込む").click()
        expect(page.get_by_role("status")).to_contain_text("を取り込みました（2品目")

        # the list's search answers as the chat would
        page.goto(page.base + "/admin/gomi")
        search = page.get_by_label("住民の質問の例や品目名")
        search.fill(f"{alias}は何ごみ？")
        search.press("Enter")  # the keyboard alone
        expect(page.get_by_role("heading", name=re.compile("と入力した住民への回答"))).to_be_visible()
        expect(page.locator("#main")).to_contain_text(f"「{alias}」は一覧にない品目として")
        search = page.get_by_label("住民の質問の例や品目名")
        search.fill(item)
        search.press("Enter")
        page.get_by_role("link", name=item, exact=True).first.click()
        expect(page.get_by_role("heading", name=f"品目：{item}", level=1)).to_be_visible()
        page.get_by_label("別名・読み（1行に1つ）").fill(alias)
        page.get_by_role("button", name="保存する").click()
        expect(page.get_by_role("status")).to_contain_text("チャットの回答にすぐ反映されます")

        reply = services.chat(f"{alias}は何ごみですか")
        assert f"「{item}」の出し方をご案内します。" in texts(reply) and "出典：テスト市" in texts(reply), reply
        cold = services.chat(f"プニプニ保冷庫{tag}を捨てたい")
        assert "家電リサイクル法の対象品目です" in texts(cold), cold

        cookies = ctx.cookies()
        item_path = page.url.split(page.base, 1)[1].split("?")[0]
        for path in ("/admin/gomi", f"/admin/gomi?q={item}", item_path, "/admin/gomi/import",
                     item_path.replace("/items/", "/datasets/").split(".")[0]):
            problems = axe_problems(browser, page.base, cookies, path, axe_source)
            assert not problems, (path, json.dumps(problems, ensure_ascii=False, indent=1))
    finally:
        ctx.close()
