"""Where an item goes when the city does not collect it (家電リサイクル法 items, パソコン, 消火器 …).

A city's list says so in its category text in many ways: 「家電リサイクル」「パソコンリサイクル」
「販売店へ相談」「(株)消火器リサイクル推進センターへ」「市では収集しません」「取り扱いできません」.
A category that also names a collection (「販売店または缶・びん・ペットボトル」「医療機関・薬局または
燃やすごみ」) is collected, one way of the two.

The answer says where the item goes: the list's own notes when they name a place to take it
or to ask (a phone number, a link, 持ち込み, 回収 …) for every case; otherwise a general line
for the scheme the item falls under, written here from what the laws provide (no city's
words), or, when no scheme is known, the list's category as the place to ask.
"""
from __future__ import annotations

import re
import unicodedata

NOT_COLLECTED = re.compile(
    r"収集しません|収集しない|収集できません|収集不可|取り?扱いできません|取り?扱えません|取り?扱いません|扱いません|"
    r"出せません|出すことはできません|出すことができません|処理できません|受け付けません|受付できません|対象外|"
    r"家電リサイクル|家電4品目|家電四品目|パソコンリサイクル|PCリサイクル|リサイクル推進センター|"
    r"販売店|専門業者|専門の業者|許可業者|メーカー|相談")
# a category naming a way of the city's own collection beside another place
COLLECTED = re.compile(r"ごみ|ゴミ|資源|ペットボトル|びん|ビン|缶|古紙|古布|プラ")
# notes that tell where to take the item or whom to ask, for every case (a condition, 「…場合は」,
# tells it for some cases only)
NOTES_SAY_WHERE = re.compile(r"https?://|\d{2,4}[-‐－ー−]\d{2,4}[-‐－ー−]\d{3,4}|引き取|引取|持ち込|持込|お持ち|"
                             r"回収|返却|窓口|に相談|へ相談|ご相談|に依頼")
CONDITIONAL = re.compile(r"場合")

# (scheme, name pattern, category pattern, the line residents are given)
SCHEMES: list[tuple[str, re.Pattern, re.Pattern | None, str]] = [
    ("家電リサイクル法",
     re.compile(r"エアコン|クーラー|テレビ|冷蔵庫|冷凍庫|洗濯機|衣類乾燥機|ワインセラー|ワインクーラー|温冷庫"),
     re.compile(r"家電リサイクル|家電[4四]品目"),
     "家電リサイクル法の対象品目です。買い替えのときは新しい製品を買うお店に、処分だけのときは購入したお店に"
     "引き取りを依頼してください（リサイクル料金と収集運搬料金がかかります）。購入したお店が分からないときは、"
     "郵便局で家電リサイクル券を購入し、指定引取場所へご自身で持ち込むこともできます。"),
    ("パソコンリサイクル",
     re.compile(r"パソコン|PC|ディスプレイ|液晶モニター"),
     re.compile(r"パソコン|PC"),
     "パソコンは、製造したメーカーが回収とリサイクルを行っています。メーカーに回収を申し込んでください"
     "（「PCリサイクルマーク」が付いた製品は回収の料金がかかりません）。メーカーが分からないときや自作の"
     "パソコンは、一般社団法人パソコン3R推進協会にご相談ください。"),
    ("消火器",
     re.compile(r"消火器"),
     re.compile(r"消火器"),
     "消火器は、消火器リサイクル推進センターの仕組みで回収しています。消火器を扱う販売店（特定窓口）か"
     "指定引取場所へお持ち込みいただくか、ゆうパックによる回収をご利用ください（リサイクルシールが"
     "必要です）。"),
    ("タイヤ",
     re.compile(r"^(自動車|車|バイク|オートバイ)?の?タイヤ(\(|$)"),
     None,
     "タイヤは、タイヤ販売店、カー用品店、ガソリンスタンドなどに引き取りを依頼してください"
     "（処分の料金がかかることがあります）。"),
    ("バッテリー",
     re.compile(r"^(カー|自動車用?|車|バイク用?|オートバイ用?)?の?バッテリー(\(|$)"),
     None,
     "自動車やバイクのバッテリーは、カー用品店やガソリンスタンドなど、バッテリーを扱うお店に引き取りを"
     "依頼してください。"),
    ("高圧ガス容器",
     re.compile(r"^(?!.*カセット).*(高圧ガス|プロパン|LPガス|酸素|ヘリウム|ガス)(の)?(ボンベ|容器)"),
     None,
     "高圧ガスのボンベは、購入したお店かガスの販売事業者に返却または引き取りを依頼してください。"),
    ("二輪車リサイクル",
     re.compile(r"^(オートバイ|バイク|原付|原動機付自転車)(\(|$)"),
     None,
     "オートバイは二輪車リサイクルシステムの対象です。販売店（廃棄二輪車取扱店）か指定引取窓口に"
     "引き取りを依頼してください。"),
]


def not_collected(category: str) -> bool:
    """Whether the category text says the city does not collect the item."""
    text = unicodedata.normalize("NFKC", category)
    return bool(NOT_COLLECTED.search(text)) and not COLLECTED.search(text)


def scheme_of(name: str, category: str) -> tuple[str, str] | None:
    """(scheme, line) the item falls under, by its category first, then by its name."""
    name, category = unicodedata.normalize("NFKC", name), unicodedata.normalize("NFKC", category)
    for scheme, by_name, by_category, line in SCHEMES:
        if by_category is not None and by_category.search(category):
            return scheme, line
    for scheme, by_name, _, line in SCHEMES:
        if by_name.search(name):
            return scheme, line
    return None


def notes_say_where(notes: str, urls: list[str] | None = None) -> bool:
    text = unicodedata.normalize("NFKC", notes or "")
    if CONDITIONAL.search(text):
        return False
    return bool(NOTES_SAY_WHERE.search(text) or (urls and text))


def where_it_goes(name: str, category: str, notes: str = "", urls: list[str] | None = None) -> str:
    """For an item the city does not collect, the polite line saying where it goes (pointing
    to the notes when they say it); "" for an item the city collects."""
    if not not_collected(category):
        return ""
    lead = f"「{name}」は、市のごみの収集には出せません。"
    if notes_say_where(notes, urls):
        return lead + "注意点にある案内先をご利用ください。"
    scheme = scheme_of(name, category)
    if scheme:
        return lead + scheme[1]
    return lead + f"分別区分の案内（{category}）のとおりにお願いいたします。"
