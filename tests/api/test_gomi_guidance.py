"""Items the city does not collect say where they go (api.gomi.guidance), over Yokohama's whole
list (bench/data/gomi, 3,413 items) and through the api."""
from pathlib import Path

import pytest

from api.gomi.guidance import not_collected, scheme_of, where_it_goes
from api.gomi.importer import read_list

YOKOHAMA = Path(__file__).resolve().parents[2] / "bench" / "data" / "gomi" / "yokohama-city.csv"


@pytest.fixture(scope="module")
def items() -> dict:
    return {i.name: i for i in read_list(YOKOHAMA.read_bytes()).items}


def where(item) -> str:
    return where_it_goes(item.name, item.category, item.notes, item.urls)


@pytest.mark.parametrize("name", ["エアコン", "テレビ", "冷蔵庫", "冷凍庫", "洗濯機", "衣類乾燥機"])
def test_home_appliance_law_items_name_the_shop_and_the_designated_site(items, name):
    text = where(items[name])
    assert text.startswith(f"「{name}」は、市のごみの収集には出せません。")
    assert "家電リサイクル法の対象品目です" in text and "指定引取場所" in text and "購入したお店" in text


def test_schemes_by_name_when_the_category_only_says_ask_the_shop(items):
    assert "メーカーに回収を申し込んで" in where(items["パソコン"])  # its note covers only self-built PCs
    assert "タイヤ販売店" in where(items["タイヤ(自動車・バイク)"])
    assert "カー用品店" in where(items["バッテリー(防災用・車など)"])
    assert "ガスの販売事業者" in where(items["高圧ガスボンベ"])
    # the list's own notes first: they give the centre and its phone number
    assert where(items["消火器"]).endswith("注意点にある案内先をご利用ください。")
    assert where(items["携帯電話"]).endswith("注意点にある案内先をご利用ください。")
    # no scheme known: the category is where to ask
    assert where(items["日本刀"]).endswith("分別区分の案内（最寄りの警察署に相談）のとおりにお願いいたします。")


def test_collected_items_and_either_or_categories_say_nothing_more(items):
    for name in ("布団", "スプレー缶", "一升びん", "注射器、注射針", "水銀体温計・温度計", "AEDのバッテリー"):
        item = items[name]
        assert (where(item) == "") == (name != "AEDのバッテリー"), name
    # a battery that is not a car's is not told to go to a car shop
    assert "カー用品店" not in where(items["AEDのバッテリー"])
    counted = [i.name for i in items.values() if not_collected(i.category)]
    assert len(counted) == 37 and "布団" not in counted


def test_other_cities_words_for_not_collected():
    assert not_collected("市では収集しません") and not_collected("取り扱いできません") and not_collected("収集できません（専門業者へ）")
    assert not not_collected("粗大ごみ") and not not_collected("販売店または缶・びん・ペットボトル")
    assert scheme_of("テレビ(液晶・プラズマ)", "市では収集しません")[0] == "家電リサイクル法"
    assert scheme_of("カセットボンベ", "市では収集しません") is None
    assert "家電リサイクル法" in where_it_goes("洗濯機", "市では収集しません")
    assert where_it_goes("洗濯機", "粗大ごみ") == ""


def test_the_api_answer_carries_it(client):
    body = client.get("/api/gomi/search", params={"q": "テレビを捨てたい"}).json()
    item = body["found"][0]["items"][0]
    assert item["name"] == "テレビ" and item["not_collected"] is True and "家電リサイクル法" in item["where"]
    futon = client.get("/api/gomi/search", params={"q": "布団"}).json()["found"][0]["items"][0]
    assert futon["not_collected"] is False and futon["where"] == ""
