"""Reading a city's garbage-sorting list: both layouts, prefixes, encodings, bad rows, HTML."""
from pathlib import Path

import pytest

from api.gomi.importer import GomiImportError, read_list, safe_text

SAMPLE = Path(__file__).parent / "data" / "gomi" / "yokohama-sample.csv"
STANDARD_HEAD = "全国地方公共団体コード,ID,品目,分別区分,注意点,料金種別,料金,料金備考,備考"
STANDARD_ROWS = [
    "141003,1,布団,粗大ごみ,畳んで出してください,粗大ごみ処理手数料,500円,,",
    "141003,2,スプレー缶,スプレー缶,中身を使い切って<br>穴はあけない,,,,",
    '141003,3,テレビ,家電リサイクル,"<a href=""https://example.jp/kaden"">家電リサイクル</a>の案内",リサイクル料金,,メーカーにより異なります,',
]


def standard(prefix: str = "", rows=STANDARD_ROWS) -> str:
    head = ",".join(prefix + h for h in STANDARD_HEAD.split(","))
    return "\r\n".join([head, *rows]) + "\r\n"


def test_yokohama_layout_is_detected_from_its_headers():
    got = read_list(SAMPLE.read_bytes())
    assert got.layout == "yokohama"
    assert len(got.items) == 40
    first = got.items[0]
    assert (first.item_id, first.name, first.category) == ("1", "アイスピック", "小さな金属類")
    iron = next(i for i in got.items if i.item_id == "2")
    assert iron.small_appliance and iron.name == "アイロン(プラスチック製)"


@pytest.mark.parametrize("prefix", ["", "ゴミの分別方法_"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_standard_layout_with_or_without_prefix_in_every_encoding(prefix, encoding):
    got = read_list(standard(prefix).encode(encoding))
    assert got.layout == "standard" and got.city_code == "141003"
    futon = got.items[0]
    assert (futon.name, futon.category, futon.fee_kind, futon.fee) == ("布団", "粗大ごみ", "粗大ごみ処理手数料", "500円")
    tv = got.items[2]
    assert tv.fee_note == "メーカーにより異なります"
    assert tv.urls == ["https://example.jp/kaden"] and "<" not in tv.notes


def test_excels_unicode_text_utf16_with_tabs_is_read():
    """Excel's 「Unicode テキスト」: UTF-16 with its BOM, columns separated by tabs."""
    got = read_list(standard("ゴミの分別方法_").replace(",", "\t").encode("utf-16"))
    assert got.layout == "standard" and got.items[0].name == "布団" and got.items[0].fee == "500円"


def test_html_in_notes_becomes_plain_text_and_links_become_data():
    text, urls = safe_text('中身を使い切って<br>穴は<b>あけない</b>。<a href="https://a.example/x?a=1&amp;b=2" target="_blank">'
                           'こちら</a>&lt;script&gt;alert(1)&lt;/script&gt;<a href="javascript:alert(1)">x</a>')
    assert text == "中身を使い切って\n穴はあけない。こちらalert(1)x"
    assert urls == ["https://a.example/x?a=1&b=2"]
    got = read_list(SAMPLE.read_bytes())
    phone = next(i for i in got.items if i.name == "携帯電話")
    assert phone.notes == "ショップ等で回収。詳細はモバイル・リサイクル・ネットワークのサイトを参照"
    assert phone.urls == ["https://www.tca.or.jp/mobile-recycle/"]


def test_every_bad_row_is_reported_by_the_line_it_starts_on_and_nothing_is_returned():
    rows = [
        '141003,1,布団,粗大ごみ,"二行の\r\n注意点",,,,',  # lines 2–3
        "141003,2,,粗大ごみ,,,,,",  # line 4: no name
        "141003,3,タンス,,,,,,",  # line 5: no category
        "141003,1,いす,粗大ごみ,,,,,",  # line 6: duplicate ID
        "141003,5,机,粗大ごみ,,,,,,,余分",  # line 7: too many columns
    ]
    with pytest.raises(GomiImportError) as err:
        read_list(standard(rows=rows).encode("utf-8"))
    lines = [line for line, _ in err.value.problems]
    assert lines == [4, 5, 6, 7]
    assert "品目が空" in err.value.problems[0][1] and "分別区分が空" in err.value.problems[1][1]
    assert "2行目と重複" in err.value.problems[2][1]


def test_explicit_mapping_for_a_city_layout_and_missing_columns():
    csv = "No,ごみの名称,捨て方,メモ\r\n1,ふとん,粗大ごみ,たたむ\r\n".encode("cp932")
    with pytest.raises(GomiImportError) as err:
        read_list(csv)
    assert err.value.problems[0][0] == 1
    got = read_list(csv, columns={"item_id": "No", "name": "ごみの名称", "category": "捨て方", "notes": "メモ"})
    assert got.layout == "mapped" and got.items[0].notes == "たたむ"
    detected = read_list("番号,品名,分別,注意事項\r\n7,鍋,小さな金属類,\r\n".encode("utf-8-sig"))
    assert detected.layout == "mapped" and detected.items[0].item_id == "7"


def test_unreadable_bytes_are_refused_in_japanese():
    with pytest.raises(GomiImportError, match="文字コード"):
        read_list(b"\xff\xfe\x00\x81\x00")


def test_a_folder_gives_its_csv_files_and_each_its_attribution(tmp_path):
    from api.gomi.service import files_of, sidecar

    (tmp_path / "a.csv").write_bytes(standard().encode("cp932"))
    (tmp_path / "a.attribution.txt").write_text("出典：ひかり野市ごみ分別一覧(CC BY 4.0)を加工して利用\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(standard(), encoding="utf-8")
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")
    assert [p.name for p in files_of(tmp_path)] == ["a.csv", "b.csv"]
    assert files_of(tmp_path / "a.csv") == [tmp_path / "a.csv"] and files_of(None) == []
    assert sidecar(tmp_path / "a.csv")["attribution"] == "出典：ひかり野市ごみ分別一覧(CC BY 4.0)を加工して利用"
    assert sidecar(tmp_path / "b.csv", "出典：設定の行")["attribution"] == "出典：設定の行"
    assert sidecar(tmp_path / "b.csv")["attribution"] == "出典：b.csv"


def test_japanese_in_angle_brackets_is_the_citys_own_bracket_not_a_tag():
    # Yokohama's 「トレイ(生鮮食料品<惣菜・肉・魚など>の受け皿)」: the words in < > are kept
    assert safe_text("トレイ(生鮮食料品<惣菜・肉・魚など>の受け皿)")[0] == "トレイ(生鮮食料品<惣菜・肉・魚など>の受け皿)"
    assert safe_text("1 < 2 > 0")[0] == "1 < 2 > 0"
    assert safe_text("<!-- メモ -->a<B>b</B><script src=x>c")[0] == "abc"


def test_a_city_layout_with_search_words_and_a_kind_column_is_detected():
    """Another city's own layout (物品名, キーワード, 区分, 分類, 条件, 備考): 区分 is the category
    (分類 is only the kind of thing), the search words are other names, 条件 the notes."""
    csv = ("行,音,物品名,キーワード,区分,分類,条件,備考\r\n"
           "1,あ,アイロン,\"アイロン,あいろん\",不燃ごみ,電気製品,,\r\n"
           "2,あ,空き缶(飲料・食料用),\"空き缶(飲料・食料用),あきかん,缶詰,かんづめ\",空き缶,食,中身は使い切り水洗い,\r\n"
           ).encode("cp932")
    got = read_list(csv)
    assert got.layout == "mapped"
    iron, can = got.items
    assert (iron.name, iron.category) == ("アイロン", "不燃ごみ")
    assert can.aliases == ["空き缶(飲料・食料用)", "あきかん", "缶詰", "かんづめ"] and can.notes == "中身は使い切り水洗い"


def test_the_standard_layouts_reading_column_gives_other_names():
    head = STANDARD_HEAD.replace("品目,", "品目,品目_カナ,")
    rows = ["141003,1,布団,フトン,粗大ごみ,,,,,"]
    got = read_list(("ゴミの分別方法_" + head.replace(",", ",ゴミの分別方法_") + "\r\n" + "\r\n".join(rows)).encode("utf-8"))
    assert got.layout == "standard" and got.items[0].aliases == ["フトン"]
