"""Planted PII: a resident types personal data in ten formats through the real stack (web and
LINE, a status check, a question left for staff, FAQ questions); then every file under the
var directory (SQLite databases with their WAL and journal files, logs, secrets excepted)
and the embedding cache are read byte by byte: none of it may appear in clear."""
import re
import sqlite3
import unicodedata
from pathlib import Path

from tests.e2e.conftest import ROOT

# (what the resident types, the forms it could be stored in)
PLANTED = {
    "phone, long vowel mark": ("090ー2345ー6789", ["2345ー6789", "09023456789"]),
    "phone, minus sign": ("080−3456−7890", ["3456−7890", "08034567890"]),
    "phone, +81": ("+81 70 4567 8901", ["4567 8901", "8170456789"]),
    "e-mail": ("hanako.planted@example.jp", ["hanako.planted"]),
    "My Number": ("1357ー2468ー9753", ["2468ー9753", "135724689753"]),
    "birth date, 西暦": ("1979年8月23日", ["1979年8月23日", "1979-08-23", "19790823"]),
    "birth date, 和暦": ("平成3年7月9日", ["平成3年7月9日", "1991-07-09", "19910709"]),
    "birth date, 漢数字": ("昭和五十二年十月三日", ["五十二年十月三日", "1977-10-03", "19771003"]),
    "bank account": ("口座番号 7654321", ["7654321"]),
    "address": ("中央町4丁目17番8号", ["4丁目17番8号", "17番8号"]),
}


def texts(reply: dict) -> str:
    return "\n".join(m["text"] for m in reply["messages"])


def readable(raw: bytes) -> str:
    """The file as text, JSON's \\uXXXX escapes decoded (Rasa stores ASCII JSON), NFKC."""
    text = raw.decode("utf-8", errors="replace")
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = unicodedata.normalize("NFKC", text)
    return text + "\n" + re.sub(r"(?<=\d)[\s\-ー−+()]+(?=\d)", "", text)  # and with digits joined


def found_in(path: Path) -> list[str]:
    content = readable(path.read_bytes())
    return [name for name, (_typed, needles) in PLANTED.items()
            if any(unicodedata.normalize("NFKC", n) in content for n in needles)]


def test_planted_pii_is_in_no_store_and_no_log(services, line_platform):
    from tests.e2e.test_line import new_user, reply_to, send, text_event

    p = {name: typed for name, (typed, _) in PLANTED.items()}
    # a status check, birth dates in three forms (no match: each tried date is a wrong one)
    r = services.chat("申請の状況を確認したい")
    s = r["sender"]
    services.chat("A-2026-000101", sender=s)
    assert "見つかりませんでした" in texts(services.chat(p["birth date, 西暦"], sender=s))
    r = services.chat("申請の状況を確認したい", sender=s)
    services.chat(f"A-2026-000102 生年月日は{p['birth date, 漢数字']}", sender=s)
    # the birth date before the number: the form holds it (sealed) until the number comes
    r = services.chat("申請の状況を確認したい", sender=s)
    services.chat(f"生年月日は{p['birth date, 和暦']}です", sender=s)
    services.chat("A-2026-000103", sender=s)
    # a question left for staff with everything else
    services.chat(payload="/leave_question", sender=s)
    question = (f"引っ越しました。新住所はひかり野市{p['address']}、電話は{p['phone, long vowel mark']}か"
                f"{p['phone, minus sign']}、海外からは{p['phone, +81']}、メールは{p['e-mail']}、"
                f"マイナンバーは{p['My Number']}、振込先は{p['bank account']}です。児童手当の手続きは？")
    assert re.search(r"Q-\d{4}-\d{6}", texts(services.chat(question, sender=s)))
    # FAQ questions (conversation events) on the web and on LINE
    services.chat("やめる", sender=s)
    services.chat(f"粗大ごみの出し方を教えてください。メールは{p['e-mail']}です", sender=s)
    services.chat(f"粗大ごみを出したい。住所はひかり野市{p['address']}", sender=s)
    user = new_user()
    ev = text_event(f"住民票の写しはどこで取れますか。連絡先は{p['e-mail']}", user)
    assert send(services, ev).status_code == 200
    reply_to(line_platform, ev)

    var = Path(services.var)
    files = [f for f in var.rglob("*") if f.is_file() and "secrets" not in f.parts]
    cache = ROOT / "var" / "cache" / "embeddings.sqlite"
    files += [f for f in cache.parent.glob(cache.name + "*") if f.is_file()]
    assert any(f.name == "rasa-tracker.db" for f in files) and any(f.name == "madoguchi.db" for f in files)
    assert any(f.suffix == ".log" for f in files)
    leaks = {str(f.relative_to(var) if f.is_relative_to(var) else f): found for f in files if (found := found_in(f))}
    assert leaks == {}
    # the questions reached the conversation log (masked), the question for staff its ticket
    with sqlite3.connect(var / "madoguchi.db") as db:
        asked = [t for (t,) in db.execute("SELECT text FROM conversation_events WHERE kind = 'question'")]
        tickets = [q for (q,) in db.execute("SELECT question FROM tickets")]
    assert sum("＊＊＊" in t for t in asked) >= 2, asked
    assert any("中央町＊＊＊" in q and "マイナンバーは＊＊＊" in q for q in tickets), tickets
    # what was kept is still usable: the ticket's masked question and the application number
    # (the tracker store is in WAL mode: its latest pages may still be in rasa-tracker.db-wal)
    tracker = "".join(readable(f.read_bytes()) for f in var.glob("rasa-tracker.db*"))
    assert "A-2026-000103" in tracker and "***" in tracker  # (NFKC of ＊＊＊)


def test_a_birth_date_given_before_the_number_still_finds_the_application(services):
    """The form holds the birth date across turns only sealed; the look-up still gets it."""
    r = services.chat("申請の状況を確認したい")
    s = r["sender"]
    # A-2026-000104: test_conversations leaves 000103 waiting after its five wrong tries
    services.chat("生年月日は昭和50年2月28日です", sender=s)
    body = texts(services.chat("A-2026-000104", sender=s))
    assert "マイナンバーカード" in body and "見つかりませんでした" not in body
    tracker = readable((Path(services.var) / "rasa-tracker.db").read_bytes())
    assert "1975-02-28" not in tracker and "昭和50年2月28日" not in tracker
