"""Bringing a city's own FAQ: the headers cities use (api.faq.columns), dates as they write
them (api.faq.dates), ids for entries without one (api.faq.ids), the YAML corpus loader
with optional fields, and the console's CSV import of such files, bad input included."""
import datetime as dt

import pytest

from api.faq import columns as cols
from api.faq.corpus import CorpusError, load_corpus
from api.faq.dates import parse_date
from api.faq.ids import assign_ids, question_id
from api.faq.langs import FLAT_FIELDS
from tests.api.test_admin_console import csrf, logged_in
from tests.api.test_admin_faqs import revisions, row, search_ids



@pytest.fixture(autouse=True)
def _plain_http_cookies(monkeypatch):
    monkeypatch.setenv("MADOGUCHI_INSECURE_COOKIES", "1")


# -- headers ------------------------------------------------------------------------------
def fields_of(headers: list[str]) -> list:
    return [c.field for c in cols.read_header(headers)]


def test_headers_cities_use_are_read_as_our_fields():
    assert fields_of(["No", "大分類", "質問", "回答", "担当課", "電話番号", "関連URL", "最終更新日", "言い換え"]) == [
        "id", "category", "question", "answer", "department", "phone", "url", "verified", "alternatives"]
    assert fields_of(["番号", "分類", "問い", "答え", "所管課", "TEL", "リンク", "更新日"]) == [
        "id", "category", "question", "answer", "department", "phone", "url", "verified"]
    assert fields_of(["ID", "カテゴリー", "質問内容", "回答内容", "問い合わせ先", "電話", "参考URL", "確認日", "別の聞き方"]) == [
        "id", "category", "question", "answer", "department", "phone", "url", "verified", "alternatives"]
    assert fields_of(["FAQ", "A", "担当部署"]) == ["question", "answer", "department"]
    # our own export's names
    assert fields_of(["id", "category", "question", "alternatives", "answer", "department", "phone", "url",
                      "verified", "status"]) == ["id", "category", "question", "alternatives", "answer",
                                                 "department", "phone", "url", "verified", "status"]
    # width, case, spaces and brackets do not matter
    assert fields_of(["Ｑ", "【回答】", "No.", " tel ", "Url", "カテゴリ ", "担 当"]) == [
        "question", "answer", "id", "phone", "url", "category", "department"]


def test_unknown_empty_and_second_columns_of_a_field_are_ignored_and_said_so():
    read = cols.read_header(["備考", "", "質問", "Q", "回答", "<script>x</script>"])
    assert [(c.index, c.header, c.field, c.duplicate) for c in read] == [
        (0, "備考", None, False), (2, "質問", "question", False), (3, "Q", None, True),
        (4, "回答", "answer", False), (5, "<script>x</script>", None, False)]
    assert cols.missing(read) == []
    assert cols.missing(cols.read_header(["質問", "メモ"])) == ["answer"]
    assert cols.missing(cols.read_header([])) == ["question", "answer"]
    assert cols.row_fields(read, ["x", "", "問", "別", "答"]) == {"question": "問", "answer": "答"}


def test_status_cells():
    assert cols.status_of("", "draft") == "draft" and cols.status_of(" ", "published") == "published"
    assert cols.status_of("公開", "draft") == "published" and cols.status_of("下書き", "published") == "draft"
    assert cols.status_of("Published", "draft") == "published" and cols.status_of("たぶん", "draft") is None


# -- dates ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, day", [
    ("2025-04-01", dt.date(2025, 4, 1)), ("2025/4/1", dt.date(2025, 4, 1)), ("2025.04.01", dt.date(2025, 4, 1)),
    ("2025年4月1日", dt.date(2025, 4, 1)), ("２０２５／４／１", dt.date(2025, 4, 1)),
    ("2025/04/01 0:00:00", dt.date(2025, 4, 1)), ("20250401", dt.date(2025, 4, 1)),
    ("令和7年4月1日", dt.date(2025, 4, 1)), ("令和元年5月1日", dt.date(2019, 5, 1)), ("R7.4.1", dt.date(2025, 4, 1)),
    ("平成31年4月30日", dt.date(2019, 4, 30)), ("H30/12/1", dt.date(2018, 12, 1)),
])
def test_dates_in_common_forms(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["", "昨日", "2025/13/1", "2025-02-30", "令和元年4月1日", "4月1日", "2025/4/1 ごろ",
                                  "2025-04-01; DROP TABLE faqs"])
def test_not_dates(text):
    assert parse_date(text) is None


# -- ids ------------------------------------------------------------------------------------
def test_generated_ids_are_stable_and_unique():
    a = question_id("住民票はどこで取れますか")
    assert a == question_id(" 住民票は どこで取れますか ".replace("は ", "は")) and a.startswith("faq-")
    assert question_id("住民票はどこで取れますか") == question_id("住民票はどこで取れますか")
    ids = assign_ids([(None, "同じ質問"), ("", "同じ質問"), ("No-7", "別"), (7, "数"), (None, "同じ質問")])
    base = question_id("同じ質問")
    assert ids == [base, f"{base}-2", "no-7", "7", f"{base}-3"]
    # a generated id never takes an id given in the same file
    assert assign_ids([(None, "x"), (question_id("x"), "y")]) == [f"{question_id('x')}-2", question_id("x")]


# -- YAML corpus (MADOGUCHI_CORPUS) -----------------------------------------------------------
def write(folder, name: str, text: str):
    (folder / name).write_text(text, encoding="utf-8")


def test_corpus_needs_only_question_and_answer(tmp_path):
    write(tmp_path, "a.yml", "entries:\n  - question: 犬の登録はどこでしますか\n    answer: 保健所です。\n"
                             "  - question: 猫の譲渡会はありますか\n    answer: 毎月あります。\n    category: ペット\n")
    write(tmp_path, "b.yaml", "category: ごみ\nentries:\n  - id: Gomi-1\n    question: 粗大ごみは？\n    answer: 予約制です。\n"
                              "    category: 粗大ごみ\n    verified: 2025/4/1\n  - question: 缶は？\n    answer: 水曜日です。\n")
    write(tmp_path, "c.yml", "- question: 図書館は何時まで？\n  answer: 19時までです。\n  phone: ''\n  url:\n")
    write(tmp_path, "empty.yml", "")
    entries = {e.question: e for e in load_corpus(tmp_path)}
    dog = entries["犬の登録はどこでしますか"]
    assert dog.id == question_id(dog.question) and dog.category is None
    assert (dog.department, dog.phone, dog.url, dog.verified, dog.alternatives) == (None, None, None, None, [])
    assert entries["猫の譲渡会はありますか"].category == "ペット"
    big = entries["粗大ごみは?"]  # NFKC
    assert big.id == "gomi-1" and big.category == "粗大ごみ" and big.verified == dt.date(2025, 4, 1)
    assert entries["缶は?"].category == "ごみ"  # the file's category
    assert entries["図書館は何時まで?"].phone is None and entries["図書館は何時まで?"].url is None
    # the same ids whatever the files are called
    (tmp_path / "a.yml").rename(tmp_path / "z.yml")
    assert {e.question: e.id for e in load_corpus(tmp_path)} == {q: e.id for q, e in entries.items()}


@pytest.mark.parametrize("text, message", [
    ("entries:\n  - question: 回答のない質問\n", "a.yml: entry 1"),
    ("entries:\n  - answer: 質問のない回答\n", "a.yml: entry 1"),
    ("entries:\n  - id: x-1\n    question: q\n    answer: a\n  - id: X-1\n    question: r\n    answer: b\n", "x-1 already used"),
    ("entries:\n  - just a string\n", "not a mapping"),
    ("category: only\n", "expected `entries:`"),
    ("entries: [\n", "not readable"),
    ("entries:\n  - question: q\n    answer: a\n    verified: いつか\n", "verified"),
])
def test_corpus_errors_name_the_file_and_entry(tmp_path, text, message):
    write(tmp_path, "a.yml", text)
    with pytest.raises(CorpusError, match=message):
        load_corpus(tmp_path)


def test_corpus_reports_undecodable_files(tmp_path):
    (tmp_path / "a.yml").write_bytes("- question: 質問\n  answer: 回答\n".encode("cp932"))
    with pytest.raises(CorpusError, match="UTF-8"):
        load_corpus(tmp_path)


# -- the console's CSV import ---------------------------------------------------------------------
def upload(b, content: bytes, name: str = "city.csv", **form):
    token = csrf(b.get("/admin/faqs/import").text)
    return b.post("/admin/faqs/import", data={"csrf_token": token, **form},
                  files={"file": (name, content, "text/csv")})


def tidy(b, ids):
    token = csrf(b.get("/admin/faqs").text)
    for faq_id in ids:
        if row(faq_id) is not None and not row(faq_id).deleted:
            assert b.post(f"/admin/faqs/{faq_id}/delete", data={"csrf_token": token}).status_code == 303


CITY_CSV = ("ひかり野市 よくある質問 一覧（令和8年4月1日現在）\r\n"
            "No,大分類,質問,回答,所管課,電話番号,関連URL,最終更新日,備考\r\n"
            '1,子育て,かっぱ保育園の見学はできますか,"見学できます。\r\n前日までにお電話ください。",保育課,'
            "012-345-6500,https://www.city.hikarino.example/hoiku.html,令和8年4月1日,内部メモ\r\n"
            "2,,かっぱ公園のバーベキューは予約が要りますか,予約は要りません。,,,,,\r\n")


def test_a_city_csv_in_cp932_with_japanese_headers_imports_as_it_is(client):
    b, _ = logged_in(client, "editor")
    r = upload(b, CITY_CSV.encode("cp932"))
    try:
        assert r.status_code == 200, r.text[-2000:]
        assert "2件を取り込みました" in r.text
        # the page says which column was read as what, and which was not read
        table = r.text.split('id="columns-heading"', 1)[1].split("</table>", 1)[0]
        for header, label in (("No", "ID"), ("大分類", "分類"), ("質問", "質問"), ("回答", "回答"), ("所管課", "所管課"),
                              ("電話番号", "電話番号"), ("関連URL", "参照URL"), ("最終更新日", "確認日")):
            assert f"<tr><td>{header}</td><td>{label}</td></tr>" in table, header
        assert "<tr><td>備考</td><td>使いません（見出しが分かりません）</td></tr>" in table
        first, second = row("1"), row("2")
        assert first.question == "かっぱ保育園の見学はできますか" and first.answer == "見学できます。\n前日までにお電話ください。"
        assert (first.category, first.department, first.phone, first.verified) == (
            "子育て", "保育課", "012-345-6500", dt.date(2026, 4, 1))
        assert first.status == "draft"  # no status column: drafts unless asked otherwise
        # a row with only question and answer
        assert second.answer == "予約は要りません。"
        assert (second.category, second.department, second.phone, second.url, second.verified) == (None,) * 5
        # the list and the edit page show missing fields as missing
        listed = b.get("/admin/faqs", params={"q": "2", "status": "draft"}).text
        assert "未設定" in listed and "None" not in listed
        page = b.get("/admin/faqs/2").text
        assert 'name="phone" type="text" maxlength="40" value=""' in page and "None" not in page
        # importing the same file again changes nothing
        r = upload(b, CITY_CSV.encode("cp932"))
        assert r.status_code == 200 and "変更があったもの 0件" in r.text
        assert [v.action for v in revisions("2")] == ["import"]
    finally:
        tidy(b, ["1", "2"])


def test_rows_without_ids_get_stable_ids_and_can_be_published_at_once(client):
    b, _ = logged_in(client, "editor")
    question = "かっぱ沼の夏まつりの花火は何時からですか"
    text = f"Q,A,状態\r\n{question},かっぱ沼の夏まつりの花火は20時からです。,\r\n同じ質問,一つ目,下書き\r\n同じ質問,二つ目,\r\n"
    faq_id, same = question_id(question), question_id("同じ質問")
    try:
        r = upload(b, text.encode("utf-8-sig"), default_status="published")
        assert r.status_code == 200, r.text[-2000:]
        assert "3件を取り込みました" in r.text and "公開 2件" in r.text
        assert row(faq_id).status == "published" and search_ids(client, question)[0] == faq_id
        assert row(same).answer == "一つ目" and row(same).status == "draft"
        assert row(f"{same}-2").answer == "二つ目"
    finally:
        tidy(b, [faq_id, same, f"{same}-2"])
    assert faq_id not in search_ids(client, question)


def test_export_with_missing_fields_round_trips(client):
    b, _ = logged_in(client, "editor")
    question = "かっぱ橋のライトアップはいつまでですか"
    faq_id = question_id(question)
    try:
        assert upload(b, f"質問,回答\r\n{question},3月末までです。\r\n".encode()).status_code == 200
        exported = b.get("/admin/faqs/export.csv")
        line = next(li for li in exported.text.splitlines() if li.startswith(faq_id + ","))
        # then one empty cell per language column (answer_easy, question_en, answer_en, …)
        assert line == f"{faq_id},,{question},,3月末までです。,,,,,draft" + "," * len(FLAT_FIELDS)
        r = upload(b, exported.content, "faqs.csv")
        assert r.status_code == 200 and "変更があったもの 0件" in r.text, r.text[-1500:]
        y = b.get("/admin/faqs/export.yml").text
        entry = y.split(f"id: {faq_id}", 1)[1].split("- id:", 1)[0]
        assert "department" not in entry and "verified" not in entry and "None" not in y and "null" not in y
        r = upload(b, y.encode(), "faqs.yml")
        assert r.status_code == 200 and "変更があったもの 0件" in r.text, r.text[-1500:]
        assert row(faq_id).category is None
    finally:
        tidy(b, [faq_id])


def rejected(r, *texts):
    assert r.status_code == 422, r.text[-2000:]
    assert "取り込みませんでした（何も変更していません）" in r.text
    for t in texts:
        assert t in r.text, (t, r.text[-2500:])


def test_bad_files_are_rejected_with_their_line_and_nothing_is_written(client, faq):
    b, _ = logged_in(client, "editor")
    count = len(faq.list())
    # an empty upload, a file of blank lines, headers and no rows
    rejected(upload(b, b""), "ファイルを選んでください。")
    rejected(upload(b, "\ufeff\r\n\r\n".encode()), "ファイルが空です。")
    rejected(upload(b, "質問,回答\r\n".encode()), "取り込む行がありません。")
    # a required column missing, unknown headers only (listed as not read)
    r = upload(b, "質問,担当課\r\nかっぱの質問,河川課\r\n".encode())
    rejected(r, "見出しの行が見つかりません：回答の列が必要です")
    assert "<tr><td>担当課</td><td>所管課</td></tr>" in r.text
    r = upload(b, "メモ,備考,<b>x</b>\r\nかっぱ,河童,\r\n".encode("cp932"))
    rejected(r, "質問と回答の列が必要です", "<tr><td>&lt;b&gt;x&lt;/b&gt;</td><td>使いません（見出しが分かりません）</td></tr>")
    # bytes that are neither UTF-8 nor CP932
    rejected(upload(b, b"\xff\xfe\x00q\x81"), "文字コードを読み取れません")
    # a huge cell (over the CSV reader's limit), an answer over 5,000 characters
    rejected(upload(b, ("質問,回答\r\nかっぱの質問,短い\r\nかっぱの質問2," + "長" * 200_000 + "\r\n").encode()),
             "3行目：長すぎる欄があります。")
    rejected(upload(b, ("質問,回答\r\nかっぱの質問,短い\r\nかっぱの質問2," + "長" * 6000 + "\r\n").encode()),
             "3行目：回答：5000文字以内で入力してください。")
    # duplicate ids, with both lines named; a bad date, phone and status each with their line
    r = upload(b, "ID,質問,回答\r\nkappa-1,一つ目,回答\r\nKAPPA-1,二つ目,回答\r\n".encode())
    rejected(r, "3行目（ID KAPPA-1）：ID：ID kappa-1 が2行目と重複しています。")
    r = upload(b, "質問,回答,更新日,電話,公開状態\r\nq1,a,いつか,,\r\nq2,a,,でんわ,\r\nq3,a,,,たぶん\r\n".encode())
    rejected(r, "2行目：確認日：日付は", "3行目：電話番号：電話番号は数字とハイフン", "4行目：状態：状態は published")
    # values right of the headers would be lost
    rejected(upload(b, "質問,回答\r\nq,a,はみ出し\r\n".encode()), "2行目：見出し（2列）より右にも値があります。")
    assert len(faq.list()) == count and row("kappa-1") is None and row(question_id("q1")) is None


def test_html_and_sql_in_cells_are_stored_as_text_and_escaped(client):
    b, _ = logged_in(client, "editor")
    question = "かっぱ<script>alert(1)</script>の質問'; DROP TABLE faqs; --"
    text = f'質問,回答,分類\r\n"{question}","<b>太字</b>"" OR 1=1 --",<img src=x onerror=alert(1)>\r\n'
    faq_id = question_id(question)
    try:
        r = upload(b, text.encode())
        assert r.status_code == 200, r.text[-2000:]
        stored = row(faq_id)
        assert stored.question == question and stored.answer == '<b>太字</b>" OR 1=1 --'
        assert stored.category == "<img src=x onerror=alert(1)>"
        for url in ("/admin/faqs?status=draft", f"/admin/faqs/{faq_id}", f"/admin/faqs/{faq_id}/history"):
            page = b.get(url).text
            assert "<script>alert" not in page and "<img src=x" not in page and "<b>太字" not in page, url
        assert "&lt;script&gt;" in b.get(f"/admin/faqs/{faq_id}").text
        assert row("koseki-001") is not None  # the table is still there
    finally:
        tidy(b, [faq_id])
