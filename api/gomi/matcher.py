"""Finding the city's items in what a resident typed.

Every item name gives keys: its name without the parenthesised part (アイロン(金属製) →
アイロン), each name of a list written 「アルミはく、アルミホイル」 or 「雨合羽 あまがっぱ」,
and, as weaker keys, the parts of 「ドライヤー・ヘアアイロン」. A key is kept in two forms:
its letters (kana folded to katakana, the long-vowel mark and ヴ/ヂ/ヅ folded, so
ヘアースプレー = ヘアスプレー) and its reading by the tokenizer's dictionary (布団 = ふとん =
フトン, 箪笥 = たんす). A question is read the same two ways and every key found in it is a
candidate; the longest win, so 「アイロン台」 is not 「アイロン」 and several items in one
question are found side by side.

A message in another language, or with foreign words in it, is read first as api/gomi/foreign.py
gives its names of things in Japanese (microwave → 電子レンジ); all the rest is as for Japanese.

Residents' own words for the list's names are weaker keys still: the groups of SYNONYMS and of
Sudachi's synonym dictionary (api/gomi/synonyms: デジカメ → デジタルカメラ), and, weakest, the
ends of compound names (おむつ → 紙おむつ, トレー → 食品トレー: whole words, by their letters) and
the names in parentheses (牛乳パック → 紙パック(牛乳パック)); a weaker key names its items only
where no stronger key of the same words does.

Last of all, a thing the list does not name but files under a broader word (のこぎり under 工具,
金魚 under 動物の死体, 着物 under 古着): the lexicon of api/gomi/broader.yml gives the broader
words, and the list's items of those words are offered as a もしかして (`suggest`, with `broader`
saying under what) — only for words of the question no key of the list covers, as a word of
their own (not 「ペン立て」, not the 「金魚」 of 「金魚の水槽」), so a thing's own name always wins.

Where no name of the list (nor a synonym of one) names the last noun of a phrase, the names are
matched by their words (_by_words): a name ending in that word (or a word of its group:
ふた = キャップ, the animal for ペット, WORD_KINDS) that holds every word of the phrase
(ペットボトルのふた → 飲料用のペットボトルのキャップ, 猫砂 → ペットのトイレ用砂) or whose every word the
question says (庭の草むしりで出た草 → 庭草); the kinds a name lists in its parentheses are names too
(ゴルフ用具(クラブ、バッグ) for ゴルフクラブ).

Items that share a key and differ only by what is in parentheses (アイロン(プラスチック製) /
アイロン(金属製)) are decided by the question when it names the material or kind
(「鉄のアイロン」) — a material none of them is, by the items of the thing's broader word in
the lexicon (「ガラスのコップ」 where コップ is plastic or metal: 食器(陶器・ガラス製)); otherwise,
if they go out differently (another category or another fee), they are offered as choices,
with the items whose names only add a character or two (アイロン台). A question in which no key is found but which asks how to throw something away
is tried once more, forgivingly, on the reading (れいぞこ → 冷蔵庫).

Whether a question is about an item at all: it names one and asks how to throw it away, or
says little else (「冷蔵庫は？」, 「はがした壁紙」; a note in parentheses is set aside), or asks for it
to be collected (「取りに来てもらえますか」). A question about the rules (収集日はいつ,
粗大ごみの申し込み) that names only a category is left to the FAQ; one that names an item and a rule is both
(`rule` is set, the caller shows the FAQ's answer too); a thing named beside a rule without asking is
offered for the city's FAQ to settle (api/gomi/topic.py), not beside another matter (OTHER_MATTER: a subsidy).
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, chain, takewhile
from pathlib import Path

from api.faq.analysis import TAGGERS, to_hiragana, to_katakana
from api.gomi.foreign import gloss
from api.gomi.lexicon import read_lexicon
from api.gomi.synonyms import thing_groups
from api.textnorm import normalize

_PARENS = re.compile(r"[(（\[【〔]([^()（）\[\]【】〔〕]*)[)）\]】〕]")
_ALIAS_SPLIT = re.compile(r"[、,，/／]|\s+")
_DOT_SPLIT = re.compile(r"[・･]")
# (and small vowels written big, as 表記ゆれ has them: ウオッチ / ウォッチ, フイルム / フィルム, ウエア / ウェア)
_FOLD = str.maketrans({"ヴ": "ブ", "ヂ": "ジ", "ヅ": "ズ", "ヲ": "オ", "ヶ": "ケ", "ヵ": "カ",
                       "ァ": "ア", "ィ": "イ", "ゥ": "ウ", "ェ": "エ", "ォ": "オ"})
_DROP = re.compile(r"[ー〜~\-‐－―・･\s「」『』\"'!?！？。、,.]")
# a thing said to be like another, right after it
_LIKE = re.compile(r"^(みたい|の(よう|様)|っぽい|もどき)")
# the endings a verb typed alone in hiragana has (したい, しない, かった, しました)
_VERB_ENDS = ("ない", "たい", "た", "だ", "ます", "ました", "ません", "て", "で", "ちゃう", "ちゃった", "よう")
_KANA_ONLY = re.compile(r"^[\u3041-\u3096\u30a1-\u30fcー]+$")

# 捨てる in the west of Japan (関西弁: 「ほかしたいんやけど」), in its forms that no other word has (ほかの is "other")
_HOKASU = r"ほか(す|し(たい|て|た|ても|ます)|さ(な|れ)|そ(う|か))"
# no longer wanted, thrown away, in dialects: 「いらんようなった」(西日本), 「いらんごとなった」(九州), 「投げたい」(北海道・東北),
# 「ぶちゃる」「うっちゃる」(北関東)
# a thing no longer used as it was (乗らなくなった原付, はけなくなった靴, 映らなくなったテレビ)
_NO_LONGER = r"(乗ら|のら|乗れ|のれ|着|着れ|きれ|履か|はか|履け|はけ|遊ば|あそば|使え|つかえ|動か|うごか|映ら|うつら)なくな"
# a thing not in use (着てないコート, 使っていない自転車; not 来てない or はいてない, which say other things)
_NOT_IN_USE = r"(着|使っ|つかっ|乗っ|履い|遊ん|あそん|弾い|読ん)て(い)?(ない|ません|なかった)"
_DIALECT = r"(いらん|要らん)(よう|ごと|く)(に)?な|(なげ|投げ)(たい|ていい|てもいい|ればいい|るの)|うっちゃ|ぶちゃ(る|っ|り|れ|ら)"
# things piled up (雑誌たまった, 新聞が溜まってる) and a pastime given up (柔道着 やめたので, ゴルフやめたから): they go out
_PILED_UP = r"(溜|た)ま(っ|り)(た|て(る|い|き))"
# a thing one cannot take along (「ダイニングテーブル、引っ越しで持っていけない」): it goes out
_LEFT_BEHIND = r"持って(い|行)?け(ない|ん|へん)|持って(い|行)?か(ない|れへん)"
_QUIT = r"(やめ|辞め|止め)た(ので|から|んで|し|けん|けえ)"
# a thing no longer used, said with もう (「高校の制服、もう着ない」), and the old one of a thing replaced (「新しいのを
# 作ったので古いほう」): it goes out
_NO_MORE = (r"もう(着|き|使わ|つかわ|乗ら|のら|履か|はか|弾か|ひか|読ま|よま|遊ば|あそば|飲ま|のま)(ない|ん|ねえ|ねぇ|へん)|"
            r"もう(使い|つかい|着|き|乗り|のり)たく(ない|ねえ|ありません)|"
            r"(新しいの|新しいもの|新品)(を|に)?(買っ|かっ|作っ|つくっ|もらっ|買い替え|買いかえ|かいかえ|替え|変え)(た|て)|"
            r"(古い|ふるい)(ほう|方)(?!が)|"
            # (not needed any more: 「卒業したから制服いらない」 — not asked whether one is needed: 「予約いらないの？」)
            r"(もう)?(いら|要ら)(ない|ん|へん|ねえ|ねぇ)(?!(の|ん)?(です|でしょう)?(か|[?？]))")
# the same said of a thing before the words that ask how it goes out (「首輪、もう使わないので捨てたい」)
_NO_MORE_SAID = re.compile("(" + _NO_MORE + r")(ので|から|し|けど|けえ|けん|で)?")
# a thing parted with (手放したい, 手放そう), one someone used to use (父が使っていた, 子どもが使ってた) or one that
# broke (壊れた; not 壊れている, a report of the city's broken things): it goes out
# (of the message's words besides the things only — a name said with them is still a name: 「親父が使ってた耕運機」)
_PARTED = re.compile(r"(手放|てばな)(し|そ|す)|(使|つか)って(い)?た(?!い|ら)|(壊|こわ)れ(た|ちゃった|てしまった|ました)|"
                     # (broken so that it is of no use: 「車輪が割れて使えません」)
                     r"(割れ|われ|壊れ|こわれ|折れ|おれ|破れ|やぶれ|切れ|きれ)て(もう)?(使え|つかえ)(ない|ません|へん|ん)")
# how one should do with a thing, in dialects (どないしたら, どがいしたら, どうすっぺ) and said politely (「どのようにすれば
# よいか教えていただきたく」): the message asks how it goes out, and says nothing else by it
_HOW_TO = (r"どげんしたら|どがんしたら|どないしたら|どがいしたら|どげしたら|なじょしたら|なじょすれば|どうすっぺ|どうすんべ|"
           r"どのように(すれば|したら|すると|出せば|だせば|捨てれば)")
# What makes a message a question about throwing something away.
DISPOSAL = re.compile(
    r"(捨て|すて|棄て|ステ|出し方|だしかた|出せ|だせ|出す|だす|出して|出さな|ださな|出した(い|ら)|だした(い|ら)|処分|しょぶん|廃棄|はいき|分別|ぶんべつ|"
    r"置いていかれ|置いてかれ|置いていった|置いてった|撤去し(たい|た(?!ら)|ます|ました|よう)|撤去する|"
    # (what bag a thing goes out in: 「尿とりパッド、紙おむつと同じ袋に入れていいんでしょうか」)
    r"に(入れ|いれ)て(も)?(いい|よい|良い|大丈夫|平気)|"
    r"何ごみ|なにごみ|何ゴミ|なにゴミ|何のごみ|なんのごみ|何ゴミ|ゴミ|ごみ|何ごみ|リサイクル|回収|引き取|"
    r"粗大|燃える|燃えない|燃やす|もえる|もえない|資源|不燃|可燃|大掃除|断捨離|流(す|せ|し)|ながせ|"
    r"いらなくな|要らなくな|不要にな|使わなくな|使い終わ|つかいおわ|" + _PILED_UP + r"|" + _LEFT_BEHIND + r"|" + _QUIT + r"|" + _NO_LONGER + r"|" + _NOT_IN_USE + r"|"
    + _NO_MORE + r"|"
    # (持ってって: the city asked to take it, 「市で持ってってもらえねぇべか」「持ってってけるべか」)
    r"片付け|片づけ|かたづけ|持って(い|行)け|持ってって(もら|くれ|け)|持ち込|もちこ|どうすれば|どうしたら|どうしますか|どうする|どうしよう|どうしてやれば|どうしてあげれば|どうしてやったら|"
    r"どうしてあげたら|" + _HOW_TO + r"|" + _HOKASU + r"|" + _DIALECT + r")")
# The same, without the words that also come with other matters (ごみ袋の値段, 放置自転車の引き取り).
STRONG_DISPOSAL = re.compile(
    r"((ごみ|ゴミ)(に|として)(出|だ)|捨て|すて|棄て|出し方|だしかた|処分|しょぶん|廃棄|分別|ぶんべつ|何ごみ|なにごみ|何ゴミ|なにゴミ|何のごみ|なんのごみ|"
    # (asking the city to take a thing: not the noun 引き取り of 放置自転車の引き取り)
    r"(引き取|引きと|ひきと)って(もら|くれ|ほし)|"
    # (whether it goes out as a kind of garbage: 「不燃でいいのかな」「燃えるごみで大丈夫？」)
    r"(燃える|燃えない|燃やす|燃やさない|燃やせる|燃やせない|もえる|もえない|不燃|可燃|資源|粗大)(ごみ|ゴミ)?(で|に)(いい|よい|良い|大丈夫|OK|ええ|よろし)|"
    # (how a thing is put out, asked as such: 「どう出せばいいですか」, not 「出せる？」 of a form handed in)
    r"(どう|どのように|どうやって)(出|だ)(せば|したら|すれば|すの|せる)|"
    # (片付けたい, not 片付けてもらえますか — the city asked to clear a road — nor 片付けない人)
    r"いらなくな|要らなくな|不要にな|使わなくな|(片付け|片づけ|かたづけ)(たい|ます|る)|" + _LEFT_BEHIND + r"|" + _NO_LONGER + r"|" + _HOKASU + r"|" + _DIALECT + r")")
# what one does with a thing as its means (見る, 調べる, 申し込む, 温める, 使う …; not 出す, 捨てる)
_MEANS = re.compile(r"(見|み(ら|れ|る)|観|調べ|しらべ|検索|確認|読|よ(ん|め|む)|聞|き(け|く|い)|申し込|申込|もうしこ|予約|"
                    r"連絡|送|払|支払|撮|と(れ|る)|ログイン|登録|ダウンロード|温め|あたため|使(っ|う|え|い)|つか(っ|う|え|い)|洗(っ|う|え)|"
                    r"あら(っ|う|え)|"
                    # (what a thing is wrapped or tied in: 「刃物は新聞で包むのでしょうか」)
                    r"包(ん|む|ま|み|め)|つつ(ん|む|ま|み|め)|くる(ん|む|ま|み|め)|巻(い|く|か|き|け)|縛(っ|る|ら|り|れ)|しば(っ|る|ら|り|れ)|留め)")
# a thing found somewhere: 出てきた, 見つかった
_CAME_OUT = re.compile(r"(出て|でて)(き|来)|見つか|みつか|発見")
# the passive of 捨てる, what others did with a thing
_DUMPED = re.compile(r"(捨て|すて|棄て)られて|(置|お)かれ(た|て)")  # (and left by them: 「知らない自転車が置かれたまま」)
# a thing lost or left behind somewhere, or one on a road or a street (the city's to clear or mend): a matter
# of finding it or of the road, not of throwing it out (「市民プールにスマホを置き忘れました」「道路にタイヤが落ちてて
# 危ないです」「街路樹の枝が伸びて信号が見えにくい」) — not one of a pair, the other left to throw out (「片方なくしたイヤホン」)
_NOT_THROWN = re.compile(r"(?<!片方)(?<!片っぽ)(?<!片一方)((置き)?(忘れ|わすれ)(まし)?た(?!ら)|(なくし|無くし|失くし)(まし)?た(?!ら)|紛失)|"
                         r"道路|歩道|国道|県道|市道|路上|道ばた|道端|街路樹")
# A message that asks something, by a question mark, a question's ending or a question's word: one that
# asks nothing and names a thing tells of it (「娘の学習机、ひとり暮らしするから実家に置いてけって言われたけど
# 置き場ない」), one that asks may ask of another matter (「きのう こうえんで さいふを おとしました。どこに ききますか」)
_SENTENCE_END = r"(?=[\s…〜ーw笑!！]*(?:[。\n]|$))"
_ASKS = re.compile(r"[?？]|(ますか|ですか|でしょうか|ませんか|かな|かね|かしら|っけ|べか|べが|ないか|のか|いいか|るか|たか)" + _SENTENCE_END +
                   r"|どこ|いつ|いくら|どう(すれ|したら|やって|なる|なり|な(の|ん)|ですか|でしょう|する|しよう|しま)|どの(よう|くらい|ぐらい)|"
                   r"何(曜|時|日|ごみ|ゴミ|色|袋)|なに(ごみ|ゴミ)|なんの|教えて|おしえて|知りたい|しりたい|ください|下さい|"
                   r"もらえ(ます|ない|ん|る)|くれ(ます|ない|ん|る)")
# Words of the question itself, dropped before deciding what else the message says.
ASKING = re.compile(
    r"(どうすればいい|どうすればよい|どうしたらいい|どうしたらよい|どうしますか|どうする|どうしよう|は何ごみ|は何ゴミ|はなにごみ|何ごみ|なにごみ|何ゴミ|なにゴミ|何のごみ|なんのごみ|ってなにごみ|"
    r"の捨て方|の捨てかた|のすてかた|捨て方|すてかた|捨てかた|の出し方|の出しかた|のだしかた|出し方|出しかた|だしかた|"
    r"の処分方法|処分方法|の処分|処分したい|処分|の分別|分別方法|分別|を捨てたい|捨てたいです|捨てたい|すてたい|"
    r"を捨てる|捨てる|すてる|捨てます|を出したい|出したい|だしたい|どうやって|どうすれば|どうしたら|"
    r"どう(やって)?(捨て|出)(れば|たら)(いい)?|どう(やって)?(出せ|だせ|出し|だし)(ば|たら)(いい)?|"
    r"どうすんの|どうすりゃいい|" + _HOW_TO + r"|(入れ|いれ)て(も)?(いい|よい|大丈夫)|(ど(の|れ)|どん?だけ)(くらい|ぐらい)(まで)?|どこまで|出していい|出してもいい|だしていい|でいいの|でいい|いいの|"
    r"大丈夫|いいですか|よいですか|よろしいですか|よろしいでしょうか|ですか|ますか|でしょうか|ますか|かな|"
    # (「古紙回収に出して問題ないでしょうか」「家庭ごみで出しても構わんの」: asked as 大丈夫 is)
    r"(問題|差し支え|さしつかえ)(は)?(ない|ありません|なか)|(構|かま)(わない|いません|わん)|"
    r"教えて(ください|下さい)?|おしえて|知りたい|について|なんですが|ですが|けど|"
    r"ごみ|ゴミ|って|は|を|の|が|も|と|で|か|ね|よ|です|ます|ください|下さい|[?？!！。、,.\s]|"
    r"古い|ふるい|壊れた|こわれた|割れた|われた|使わない|つかわない|いらない|要らない|不要な|不要|家の|うちの|大きい|おおきい|小さい|ちいさい|"
    r"動かなくなった|使えなくなった|使わなくなった|いらなくなった|要らなくなった|不要になった|使い終わった|空になった|からになった)")
# The verb 捨てる right after a name in hiragana: the tokenizer reads 「しょうかき捨てたい」 as
# しょう + かき捨て (掻き捨て) and the name is lost; a space before the verb keeps it apart.
_VERB_AFTER_KANA = re.compile(r"(?<=[\u3041-\u3096])(?=(捨て|すて)(たい|る|ます|ません|方|かた|ない|れ|ら|よう|ちゃ))")
# The same for a name in hiragana before 「って」 and the question: 「でんちってどうすてるの」 is read で|ん|ちっ|て.
_TTE_AFTER_KANA = re.compile(r"(?<=[\u3041-\u3096]{2})(?=って(どう|なに|何|なん|捨て|すて|だせ|出せ|燃|もえ|もや|資源|不燃|可燃|粗大|普通|ごみ|ゴミ|[、,\s?？]))")
# Of those, the words of a matter other than throwing a thing out (a subsidy for a new 冷蔵庫, a
# violation sticker on a bag, a certificate): a thing named beside them is not asked about. Beside the
# other rules (the collection day, moving house, the fee) the thing is offered and the city's FAQ
# settles it (api/gomi/topic.py): 「引っ越しで洗濯機と冷蔵庫いらない」 asks about both.
OTHER_MATTER = re.compile(
    r"(電話番号|アプリ|シール|違反|申請|手続|発行|更新|再交付|交付|取得|窓口|ルール|不法投棄|相談|屋敷|証明|配布|"
    # (a thing left or removed by others — 放置自転車, 放置されてる, 撤去してもらえますか, 撤去された — not one's own
    # thing left unused or taken down: 「ママチャリ　何年も放置しとる」「花壇のれんがを撤去した」)
    r"放置(?!し(とる|てる|ている|てた|ていた|たまま|てあ))|撤去(?!し(たい|た(?!ら)|ます|ました|よう)|する)|"
    # (補助便座, 補助輪: things; a collector's flyer asks whether to use one)
    r"補助(?!便座|輪|椅子|いす|イス|具|金で(買|購入|かっ))|助成|忘れ物|落とし物|登録|届け?出|死亡届|とどけで|名前を?書|記名|盗まれ|ぬすまれ|盗られ|盗難|"
    r"パクられ|ぱくられ|"  # (stolen, said casually: 「自転車パクられてん、どこに言うたらええ？」)
    r"不用品(無料)?回収|無料回収|回収業者)")
# The words of a death, a rule's — but beside a thing the lexicon files under a group that applies only
# with them (a dead pet, api/gomi/broader.yml's `when`) the death is what the message is about, no rule
# (「飼ってたハムスターが死んじゃった」 asks what to do with it; 「亡くなった父の薬」 stays a rule's)
_DEATH = re.compile(r"死ん|しんじゃ|しんでしま|しんだ(?![いんろ])|亡くな")  # (a child types it in kana: 「カブトムシがしんじゃった」)
_OWN_PET = re.compile(r"飼って|飼い|かって(た|い)|うちの|家の|我が家|わが家|ペット")
# asking on which day a thing goes out (収集日 is also what api/gomi/foreign.yml reads «ngày nào», «which day» as)
_DAY_ASKED = re.compile(r"何曜|なんよう|曜日|収集日|回収日|収集の日|ごみの日|(出す|出せる|だす|だせる|捨てる|すてる)日")
# Questions about the rules rather than an item.
RULE = re.compile(
    r"(収集日|回収日|収集の日|何曜|なんよう|曜日|いつ|何時|なんじ|申し込|申込|もうしこ|予約|よやく|受付|"
    r"収集場所|集積所|ごみ集積|(回収ボックス|回収箱)(は|って|の場所)|カレンダー|持ち込|もちこ|引っ越し(?!先)|引越し?(?!先)|手数料券|処理券|有料|無料|"
    r"戸別収集|ふれあい収集|袋の値段|指定袋|祝日|年末年始|変更|ごみの日|ごみのひ|値段|いくら|(出す|だす|出せる|だせる|捨てる|すてる|置く|おく|置き|ごみの|ゴミの|ごみ|ゴミ|回収|持ち込み|持ち込む|もちこむ)場所|"
    r"火葬|" + _DEATH.pattern + "|" + OTHER_MATTER.pattern[1:-1] + r")")
# Materials and kinds in parentheses, and the words residents use for them.
MATERIALS = {
    "金属": ("金属", "鉄", "ステンレス", "アルミ", "スチール", "銅", "メタル", "真鍮", "きんぞく", "針金", "鉛"),
    "プラスチック": ("プラスチック", "プラ", "樹脂", "ビニール", "ぷらすちっく", "ナイロン"),
    "ガラス": ("ガラス", "がらす"),
    "陶器": ("陶器", "瀬戸物", "せともの", "焼き物", "やきもの", "磁器", "とうき"),
    "木": ("木", "木製", "木材", "もくせい"),
    "布": ("布", "ぬの", "綿", "布製"),
    "紙": ("紙", "かみ", "紙製"),
    "ゴム": ("ゴム", "ごむ"),
    "エアゾール": ("エアゾール", "スプレー缶", "ガス缶", "すぷれーかん"),
    "電池": ("電池", "でんち", "バッテリー", "充電"),
}


# Everyday words for names that city lists write otherwise; a word gets the items of its
# group's other words only where the list has no item of that name itself.
SYNONYMS = [
    ("衣服", "服", "洋服", "衣類", "ふく", "古着"), ("食用油", "天ぷら油", "てんぷら油", "サラダ油", "使用済み油"), ("書籍", "本", "文庫本", "単行本"), ("箪笥", "タンス", "たんす"),
    ("布団", "ふとん", "フトン"), ("ガラスびん", "瓶", "ビン", "びん"), ("スマートフォン", "スマホ"),
    ("携帯電話", "携帯", "ガラケー"), ("パソコン", "PC", "ノートパソコン", "ノーパソ"), ("いす", "椅子", "イス"),
    ("ソファー", "ソファ"), ("電子レンジ", "レンジ"), ("乾電池", "電池"), ("テレビ", "TV"),
    ("飲料用のペットボトル", "ペットボトル"), ("ガスボンベ", "カセットボンベ", "ボンベ"), ("エアゾール缶", "スプレー缶", "ガス缶"), ("段ボール", "ダンボール", "だんぼーる"),
    ("新聞", "新聞紙"), ("蛍光灯", "蛍光管"), ("ライター", "使い捨てライター"),
    ("プラスチック容器", "プラ容器"), ("プラスチック袋", "プラ袋"), ("プラスチック製品", "プラ製品"),
]

# Residents' words for a word inside the list's names, for matching a name by its words (below):
# written from general knowledge, for any city's list. A pet is called by the animal
# (「猫のトイレの砂」 for the list's ペットのトイレ用砂); a lid by any of its names.
WORD_KINDS = [
    ("ペット", "犬", "いぬ", "子犬", "愛犬", "猫", "ねこ", "子猫", "愛猫", "うさぎ", "兎", "ハムスター", "モルモット",
     "フェレット", "小鳥", "インコ", "文鳥", "オウム", "金魚", "メダカ", "めだか", "熱帯魚", "トカゲ"),
    ("ふた", "蓋", "キャップ", "栓", "せん"),
]
# words of a name that say nothing of the thing (用, 製, 類 …)
# (nor what comes with any thing: 一緒, 全部, 捨て|方)
_NOT_A_WORD = {"用", "製", "類", "等", "式", "型", "性", "物", "もの", "モノ", "など", "の", "ゴミ", "ごみ", "何", "なに", "なん",
               "一緒", "いっしょ", "全部", "ぜんぶ", "他", "ほか", "以外", "方", "かた",
               # (how much there is names no thing: 「半紙が大量にある」 is not the list's 「…大量のごみ」)
               "大量", "たいりょう", "少量", "多量",
               # (nor what is inside, of any thing: 「…中身どうすればいい？」 is not the list's マニキュアの中身)
               "中身", "なかみ",
               # (nor what is left of it: 「片方なくしたので残りを捨てたい」 is not the list's 肥料・培養土の残り)
               "残り", "のこり", "余り", "あまり",
               # (nor whether it was used: 「使用済みのゴム手袋」 is no 花火(使用済み))
               "使用", "済み", "未使用"}


def fold(text: str) -> str:
    """The letters of a name or question as keys compare them."""
    text = to_katakana(unicodedata.normalize("NFKC", text).lower()).translate(_FOLD)
    return _DROP.sub("", text)


def fee_key(fee_kind: str | None, fee: str | None) -> str:
    """An item's fee as one string (料金種別 and 料金), for Item.fee."""
    return f"{fee_kind or ''} {fee or ''}".strip()


@dataclass
class Item:
    uid: str
    name: str
    category: str
    aliases: tuple[str, ...] = ()  # other names (staff's or the file's 別名), keys like the name
    # the fee as the list gives it (料金種別 and 料金): two items of one category that cost differently
    # (ソファ(1人掛け) 500円 / ソファ(2人掛け以上) 1000円) do not go out alike
    fee: str = ""


@dataclass
class Key:
    item: Item
    base: str  # the folded key of the name part
    qualifiers: tuple[str, ...]  # folded words in the parentheses
    primary: bool
    # the weakest: a name's end (おむつ of 紙おむつ) or a name in its parentheses (牛乳パック):
    # the item only where nothing stronger names it
    tail: bool = False
    # a resident's word for the name (a synonym group's: 洋服 for 衣服)
    synonym: bool = False


@dataclass
class Found:
    """One thing the question names: `item` (sure), `choices` (ask which), or `suggest`
    (a forgiving match, offered as もしかして)."""
    kind: str
    text: str  # the words of the question that named it
    items: list[str]  # uids, best first
    score: float = 1.0
    # a thing the list names only by a broader word (api/gomi/broader.yml): the groups it was taken
    # under (「工具」), for a `suggest`; "" otherwise
    broader: str = ""


@dataclass
class Match:
    item_question: bool
    rule: bool
    found: list[Found] = field(default_factory=list)
    # an item the resident asked how to throw away that the list lacks (「ホバーボードは何ごみ？」):
    # the name as typed, for the staff's inbox; "" otherwise
    missing: str = ""
    # not asked as an item question, yet a thing of the list is named by its own name and no rule
    # (「60センチのガラス水槽 LP」): the city's FAQ settles it (api/gomi/topic.py)
    maybe: list[Found] = field(default_factory=list)
    # settled so: the FAQ's answer first, the items after it
    after_faq: bool = False
    # with `maybe`: how many letters the message says besides its things, how it asks and what it
    # says of them (「隣の部屋のピアノの音がうるさい。夜10時過ぎても弾いてる」: 14)
    besides: int = 0
    # with `maybe`: the message asks of a matter of the thing, not how it goes out (携帯電話の解約,
    # スマホで払える, 隣の家の自転車, パンフレット ありますか: _of_matter)
    of_matter: bool = False
    # with `maybe`: the message says how things go out (出せますか, 引き取って, 燃えるごみで), however much else
    says_out: bool = False
    # with `maybe`: the message asks something (a question's mark, ending or word: _ASKS), not only tells
    asks: bool = False
    # with `maybe`: the message is read through api/gomi/foreign.py (words of another language in it)
    foreign: bool = False
    # with `maybe`: the message asks on which day its thing goes out (「オムツって何曜日？」, «lon bia … ngày nào»): the
    # thing's category says it, beside the FAQ's collection days
    day: bool = False
    # nothing of the list found in a message that is only a thing's name (「インクカートリッジ」「全自動麻雀卓」):
    # the name — a thing the list lacks when the city's FAQ has no answer for it either (api/faq/routes.py
    # then files it in the staff's inbox as `missing`); "" otherwise
    unlisted: str = ""


class Matcher:
    MAX_KEY = 40
    CHOICES = 6

    def __init__(self, items: list[Item]):
        self.items = {i.uid: i for i in items}
        self.surface: dict[str, list[Key]] = {}
        self.reading: dict[str, list[Key]] = {}
        self.extensions: dict[str, list[str]] = {}  # key → uids whose primary key adds 1–2 letters
        self.grams: dict[str, set[str]] = {}  # reading bigram → reading keys (forgiving match)
        self.category_keys: set[str] = set()
        self.unvoiced: dict[str, list[Key]] = {}  # readings of four kana or more, voicing marks dropped
        self.tails: dict[str, list[Key]] = {}  # the ends of names (_tails)
        self._ends: dict[str, list[str]] = {}  # (_ending_in, filled as asked)
        self._readings: dict[str, str] = {}  # (_reading_of, filled as asked)
        self.max_len = 1
        cats = {i.category for i in items}
        for cat in cats:
            self.category_keys.add(fold(_PARENS.sub("", cat)))
            for part in re.split(r"[・、]|または|か", _PARENS.sub("", cat)):
                if part:
                    self.category_keys.add(fold(part))
        self.category_keys |= {unvoiced(k) for k in self.category_keys}
        self.by_head: dict[str, list[tuple[Key, tuple[frozenset[str], ...]]]] = {}  # (_add_words)
        self.inside = inside = _named_inside(items)
        for item in items:
            kinds = None
            for text, quals, primary, by_reading in chain(self._keys(item),
                                                          ((p, _kind_material(item), True, True)
                                                           for p in inside.get(item.uid, ()))):
                tokens = self._tokens(unicodedata.normalize("NFKC", text))
                if primary:
                    if kinds is None:
                        kinds = [self._words(self._tokens(k)) for k in _kinds(item.name)]
                    self._add_words(item, text, quals, tokens, kinds)
                # one kanji of 「草・葉」 or 「木の枝」 names its item only where nothing else does
                self._add(Key(item, fold(text), quals, primary, tail=bool(_KANJI1.match(text))),
                          "".join(t[2] for t in tokens) if by_reading else "")
                if primary:  # by their letters only, as whole words: short ends read alike too often
                    for tail in _tails(tokens):
                        if _is_material(tail):  # 「パイプベッド 金属」 says what the bed is of, not 貴金属
                            continue
                        key = Key(item, fold(tail), quals, False, tail=True)
                        self.tails.setdefault(key.base, []).append(key)
            outside = fold(_PARENS.sub("", unicodedata.normalize("NFKC", item.name)))
            for text in _inner_names(item):
                # (one that ends in the name before the parentheses is the row's own name: 傘(ビニール傘))
                own = bool(outside) and fold(text).endswith(outside) and fold(text) != outside
                self._add(Key(item, fold(text), (), own, tail=not own), self.read(text))
        ours = _our_words()
        read = lru_cache(maxsize=None)(self.read)  # (a group's words are read for its targets and for its keys: once each)
        for n, ((group, folded), heads) in enumerate(zip(_synonym_groups(), _group_heads())):  # residents' everyday words for the list's names (服 → 衣服)
            # (and the group's first word, the name lists most use, as one of the names a list joins with ・:
            # コンクリートブロック of 「コンクリートブロック・れんが」 beside a ブロック the list has of plastic)
            # (else a name the list joins with others by ・: 貝の殻 of 「魚の骨・貝の殻」)
            # (else a name in a name's parentheses: ルームランナー of 「トレーニング機器(ルームランナーなど)」)
            targets = ([x for w in folded for x in self.surface.get(w, []) if x.primary]
                       + [x for x in self.surface.get(folded[0], []) if _dot_part(x) and not x.tail]
                       or [x for w in folded for x in self.surface.get(w, []) if _dot_part(x) and not x.tail]
                       or [x for w in folded for x in self._qualified_keys(w)]
                       or [x for w in folded for x in self.surface.get(w, [])
                           if x.tail and w in {fold(n) for n in _inner_names(x.item)}]
                       # (else the names ending in a kanji word of it that another word of it spells in kana: ふとん
                       # for 掛け布団 and 敷き布団, where the list has no 布団 of its own)
                       or [x for w in folded if w in self.tails and _HAS_KANJI.search(w) and self.read(w) in folded
                           for x in self.tails[w]]
                       # (else a name of the list that sounds as one of its words, in other letters: 果実酒用びん for
                       # 果実酒用瓶, where 梅酒瓶 is of the group)
                       # (a kana name only: 炭 and 墨 sound alike and are two things)
                       # (voicing apart where the dictionary reads the word without it and the list spells the voiced
                       # kana: 敷き布団 シキフトン for 敷きぶとん — not 杉板 スギイタ for スキー板)
                       or [x for raw in group if _HAS_KANJI.search(raw)
                           for x in self.reading.get(read(raw), ()) or [
                               y for y in self.unvoiced.get(unvoiced(read(raw)), ()) if _HIRAGANA.search(y.item.name)]
                           if x.primary and _HAS_KANA.search(x.base)])
            # (a group the list names by none of its words: by their head, ルンバ → ロボット掃除機 → 掃除機)
            # — not where the list names one of them in other letters (子ども用自転車 for 子供用自転車)
            for h in heads if not targets else ():
                targets = [x for x in self.surface.get(h, []) if x.primary]
                if targets:
                    if any(x.primary for raw in group for x in self.reading.get(self.read(raw), ())):
                        targets = []
                    break
            for w, raw in zip(folded, group):
                # (a word of our own groups means what they say: Sudachi's ケトル = やかん is not the 電気ケトル
                # everyday.yml files ケトル with)
                if n >= _our_group_count() and w in ours:
                    continue
                # (nor a word that is a name of the list with its own qualifier before it: 電気ストーブ is the
                # list's ストーブ(電気), not the オイルヒーター of its group)
                if self._qualified_name(w):
                    continue
                # (where the list names the word in other letters as a part of a name, the word is that part:
                # 傘 is the list's かさ of 「かさ・ビニールがさ」, not the 日傘 of its group)
                if targets and not any(x.primary for x in self.surface.get(w, [])):
                    r = read(raw)  # (once a word: the tokenizer is most of the build)
                    # (a word that sounds as a name of the group is that name: せんぷうき is the list's 扇風機, not
                    # the 卓上扇風機 of its group)
                    same = [x for x in self.reading.get(r, ()) if x.primary and x in targets]
                    for x in same or self._parts_named(r, targets) or targets:
                        weak = Key(x.item, w, x.qualifiers, False, synonym=True)
                        self.surface.setdefault(w, []).append(weak)
                        if r and r != w:
                            self.reading.setdefault(r, []).append(weak)
                        if len(r) >= 4:  # (おかしのはこ for お菓子の箱, which the dictionary reads オカシノバコ)
                            self.unvoiced.setdefault(unvoiced(r), []).append(weak)
                    self.max_len = max(self.max_len, len(w))
        self.max_len = min(self.max_len, self.MAX_KEY)
        self.business = [u for u, it in self.items.items()
                         if _BUSINESS_ROW.fullmatch(_PARENS.sub("", unicodedata.normalize("NFKC", it.name)))]
        # a list's rows for much garbage at once (引っ越しなどで一度に出る大量のごみ, 遺品整理で出たごみ(大量のもの)), by
        # what it comes of: a death's clearing, or a move (and any other occasion: 引っ越しなど)
        self.at_once: dict[str, list[str]] = {}
        for u, it in self.items.items():
            name = unicodedata.normalize("NFKC", it.name)
            if _AT_ONCE_ROW.search(name):
                self.at_once.setdefault("death" if _AFTER_A_DEATH.search(name) else "move", []).append(u)
        self.at_once_rows = {u for us in self.at_once.values() for u in us}
        self._build_broader()
        self._build_of_material()
        self._build_containers()
        for k, keys in self.surface.items():
            for n in (1, 2):
                if len(k) - n >= 2:
                    self.extensions.setdefault(k[:-n], []).extend(x.item.uid for x in keys if x.primary)
        # by reading: the readings of names, and names written in kana (かさ = 傘)
        self.by_reading: dict[str, list[Key]] = {k: list(v) for k, v in self.reading.items()}
        for k, keys in self.surface.items():
            if _KATA.match(k):
                self.by_reading.setdefault(k, []).extend(x for x in keys if x not in self.by_reading[k])
                if len(k) >= 4:
                    self.unvoiced.setdefault(unvoiced(k), []).extend(keys)
        for rk in self.by_reading:
            for g in _bigrams(rk):
                self.grams.setdefault(g, set()).add(rk)
        # the readings of names with their small kana written big, as some residents type (ざつし for ざっし)
        self.big_kana: dict[str, str] = {}
        for rk, keys in self.by_reading.items():
            if any(not x.tail for x in keys) and rk.translate(_BIG_KANA) != rk:
                self.big_kana.setdefault(rk.translate(_BIG_KANA), rk)

    def _katakana_only(self, text: str) -> str:
        """A message typed in katakana only, as some elderly residents and learners write (「ヤカン　ソコニ　アナ　アイタ
        ドウシマスカ」): its words that name nothing of the list read as hiragana, so that the words around a thing
        are read as Japanese is written."""
        # (only with words of asking in katakana, which say the whole is typed so: 「ゴルフバッグ クラブ」 is two names)
        if not _KATAKANA_MESSAGE.fullmatch(text) or not _ASKED_IN_KATAKANA.search(text):
            return text
        parts = _GAP_KEPT.split(text)  # (words and the marks between them)
        if len([w for w in parts[::2] if w]) < 2:
            return text
        return "".join(w if i % 2 or not w or fold(w) in self.surface or fold(w) in self.by_reading else to_hiragana(w)
                       for i, w in enumerate(parts))

    def _kana_words(self, run: str, more: bool) -> str:
        """A run of hiragana with the list's names in it set apart from the particles between them:
        the tokenizer cuts 「ぱそこんとキーボード」 ぱ|そこ|んと and 「すのぼのいたとぶーつ」 into pieces no name
        is found in whole, and a name it does find runs into the next as one compound. From the run's
        start only, a name of three kana or more and a particle after it with more words to come (`more`: other
        letters after the run)."""
        out, at = [], 0
        # (a word of how the thing is, before it: ふるい|やかん, which the tokenizer reads ふるい (篩)|や|かん)
        how = _KANA_HOW.match(run)
        if how and len(run) - how.end() >= 2:
            out, at = [how.group(0)], how.end()
        while at < len(run):
            folded, index = "", []
            for i in range(at, len(run)):
                f = fold(run[i])
                folded += f
                index.extend([i + 1] * len(f))
            # (a name of the list's, or a thing or an animal the lexicon knows: はむすたー|の|けーじ)
            name = next((n for n in range(min(len(folded), max(self.max_len, self.broader_len)), 2, -1)
                         if (folded[:n] in self.by_reading and self.by_reading[folded[:n]])
                         or folded[:n] in self.broader or folded[:n] in _KIND_WORDS), 0)
            end = index[name - 1] if name else 0
            # (the whole name, not one cut before its last long vowel: ぶー|つ)
            while end < len(run) and run[end] == "ー":
                end += 1
            after = _PARTICLE_AFTER.match(run, end) if name else None
            if not after or (after.end() == len(run) and not more):
                break
            out += [run[at:end], after.group(0)]
            at = after.end()
        return " ".join(out + [run[at:]]) if out else run

    def _qualified_name(self, word: str) -> bool:
        """The (folded) word is a qualifier of the list's and a name the list gives that qualifier (電気|ストーブ
        for ストーブ(電気))."""
        return bool(self._qualified_keys(word))

    def _qualified_keys(self, word: str) -> list[Key]:
        """The keys of the names the (folded) word is with a qualifier of theirs before it (自動車用|バッテリー
        for バッテリー(自動車用))."""
        # (and with の or 用 between: ペットフード|の|缶 for 缶(ペットフード); or a word of a qualifier that says more:
        # カセット|ガスコンロ for ガスコンロ(卓上カセット式))
        return [x for i in range(1, len(word) - (0 if _KANJI1.match(word[-1]) else 1)) for x in self.surface.get(word[i:], ())
                if x.primary and ((said := re.sub("(ノ|用)$", "", word[:i])) in x.qualifiers or word[:i] in x.qualifiers
                                  or (len(said) >= 3 and any(said in q for q in x.qualifiers)))]

    def _qualifier_before(self, tokens, a: int, b: int) -> bool:
        """tokens a..b end in a name of the list and say before it (with の or 用) the end of one of its qualifiers,
        or the state it says: 「車のバッテリー」 for バッテリー(自動車・バイク), 「割れたびん」 for びん(割れたもの)."""
        for i in range(a + 1, b):
            keys = [x for x in self.surface.get(fold("".join(t[0] for t in tokens[i:b])), ()) if x.primary and x.qualifiers]
            said = re.sub("(ノ|用)$", "", fold("".join(t[0] for t in tokens[a:i])))
            # (or a state the qualifier says of a thing: 割れた|びん for びん(割れたもの))
            if said and any(q.endswith(said) or q in (said + "モノ", said + "物") for x in keys for q in x.qualifiers):
                return True
        return False

    def _parts_named(self, r: str, targets: list[Key]) -> list[Key]:
        """The keys of names' parts the list writes as a word sounds (its reading r: かさ of 「かさ・ビニールがさ」
        for 傘) — where no name of the group's targets is the word itself (鍋: the list's なべ(金属製), not the
        なべ of 「なべ・皿(アルミはく)」)."""
        if any(x.base == r for x in targets):
            return []
        return [x for x in self.surface.get(r, ()) if x.base == r and _dot_part(x)]

    def _add_words(self, item: Item, text: str, quals: tuple[str, ...], tokens, kinds: list) -> None:
        """A name of two words or more by its words (飲料用のペットボトルのキャップ: 飲料, ペット,
        ボトル, キャップ), indexed by the last (the thing): each word as its letters, its reading and
        the groups it is in (WORD_KINDS, SYNONYMS, Sudachi's), so that 「ペットボトルのふた」 and
        「猫のトイレの砂」 find the names holding their words. The kinds a name lists in its
        parentheses are named by its words and theirs: ゴルフ用具(クラブ、バッグ) is ゴルフ…クラブ and
        ゴルフ…バッグ (not a material, a size or 「…以外」)."""
        words = self._words(tokens)
        if not words:
            return
        key = Key(item, fold(text), quals, True)
        for more in (words, *(words + k for k in kinds if k)):
            if len(more) >= 2:
                for c in more[-1]:
                    self.by_head.setdefault(c, []).append((key, tuple(more)))

    @staticmethod
    def _words(tokens) -> list[frozenset[str]]:
        """The words of a name or a phrase that say what it is (nouns; not 用, 製, 類), each as the set
        of its letters, reading (two kana or more) and groups; a kanji word of its own is two, its
        head and what comes before (猫砂: 猫, 砂; 庭草: 庭, 草)."""
        ids = _word_ids()
        out = []
        for t in tokens:
            if t[3] not in ("名詞", "接尾辞") or not t[1] or t[1] in _NOT_A_WORD_F:
                continue
            # (letters, reading) of each word; its groups by its letters (甕 read かめ is no turtle)
            if _KANJI_WORD.match(t[0]) and len(t[0]) >= 2:
                parts = [(fold(t[0][:-1]), ""), (fold(t[0][-1]), "")]
            else:
                parts = [(t[1], t[2] if len(t[2]) >= 2 else "")]
            for letters, reading in parts:
                out.append(frozenset({letters, reading} - {""}) | ids.get(letters, frozenset()))
        return out

    def _by_words(self, tokens, chosen, gaps: set[int], text: str) -> list:
        """A thing named by words of a list's name that no key of the list joins: a phrase of nouns
        (joined by の or side by side) whose last no name of the list (nor a synonym of one) names, and a name
        ending in that thing's word that holds every word of the phrase (ペットボトルのふた →
        飲料用のペットボトルのキャップ, ねこのトイレの砂 → ペットのトイレ用砂, 猫砂 → the same) or whose
        every word the question says (庭の草むしりで出た草 → 庭草). The names holding most of the
        phrase's words, then most of the question's, then the shortest. (first, last + 1, Found)."""
        if not self.by_head:
            return []
        # (not where a name or a synonym of one names the thing: only a part or an end of a name, or nothing)
        index = (self.surface, self.by_reading, self.unvoiced, self.tails)
        strong = {i for c in chosen if c[3] < 4 and any(x.primary or x.synonym for x in index[c[3]][c[2]])
                  for i in range(c[0], c[1])}
        nounish = ("名詞", "接尾辞", "接頭辞")
        phrases, start = [], None
        # (a count after the thing is none of its words: 「ゴルフクラブ14本」 is ゴルフ|クラブ, not a 本; a thing
        # before how much of it there is measures another, 「段ボール5箱分」, and is no phrase)
        counted = {j for i, t in enumerate(tokens) if _DIGITS.match(t[0])
                   for j in (i, i + 1) if j == i or (j < len(tokens) and tokens[j][3] == "接尾辞")}
        for i, t in enumerate(tokens):
            if i in counted:
                if start is not None and not (i + 2 < len(tokens) and tokens[i + 2][0] in ("分", "ぶん")):
                    phrases.append((start, end))
                start = None
                continue
            if t[3] in nounish and t[1] not in _NOT_A_WORD_F:
                if start is None:
                    start = i
                end = i
                if i in gaps or not (i + 1 < len(tokens) and (tokens[i + 1][3] in nounish or (
                        tokens[i + 1][0] == "の" and i + 2 < len(tokens) and tokens[i + 2][3] in nounish
                        and i + 1 not in gaps))):
                    phrases.append((start, end))
                    start = None
            elif t[0] != "の":
                start = None
        per_token = [self._words([t]) for t in tokens]
        everything = [w for ws in per_token for w in ws]
        words_upto = list(accumulate(len(ws) for ws in per_token))  # (how many words tokens[:i + 1] say)
        out = []
        for a, h in phrases:
            if h in strong or any(c[0] < a <= c[1] - 1 or c[0] <= h < c[1] - 1 for c in chosen):
                continue
            phrase = self._words(tokens[a:h + 1])
            if not phrase or "".join(t[0] for t in tokens[a:h + 1]) in _PART_WORDS:  # (本体 alone: of any thing)
                continue
            head = phrase[-1]
            # (the question's other words before the thing, as a name says them: not 紙 of a 新聞紙
            # said after お皿 for 紙皿)
            upto = words_upto[h]
            seen, best, score = set(), [], None
            for c in head:
                for key, words in self.by_head.get(c, ()):
                    if id(key) in seen:
                        continue
                    seen.add(id(key))
                    if not words[-1] & head:
                        continue
                    in_phrase = sum(1 for w in words if any(w & x for x in phrase))
                    said = [next((i for i, x in enumerate(everything[:upto]) if w & x), None) for w in words]
                    in_question = sum(1 for i in said if i is not None)
                    holds = len(phrase) >= 2 and all(any(x & w for w in words) for x in phrase)
                    # (every word of the name by another word of the question, in the name's order: the 自|動|車 of
                    # 自動車のバッテリー are not said by 「電動アシスト自転車のバッテリー」's 電|動 … 自|転|車)
                    if not (holds or (in_question == len(words) and len(set(said)) == len(words) and said == sorted(said))):
                        continue
                    sc = (in_phrase, in_question, -len(words))
                    if score is None or sc > score:
                        best, score = [key], sc
                    elif sc == score:
                        best.append(key)
            # (a kind's own word is one word, not letters found apart in a name: 家具 is no 家庭用工具's 家 … 具)
            if a == h and (word := fold(tokens[a][0])) in self.kind_words:
                best = [key for key in best if word in fold(key.base)]
            if best:
                f = self._decide(best, best[0].base, text)
                if f:
                    f.text = "".join(t[0] for t in tokens[a:h + 1])
                    out.append((a, h + 1, f))
        return out

    def _build_broader(self) -> None:
        """The things of the lexicon (api/gomi/broader.yml) this list names by a broader word only:
        letters and reading → the keys of the list's items of that word, and the groups' headings.
        A thing any key of the list names (its own name, a synonym, a name's end) is left out."""
        self.broader: dict[str, tuple[list[Key], str, re.Pattern | None]] = {}
        self.broader_bulk: set[str] = set()  # (BULK)
        self.broader_len = 1
        groups, things, bulk = _broader_lexicon()
        targets: dict[str, list[Key]] = {}
        # the list's names that are a kind of a group's name, after the names that are it: 携帯ゲーム機 (a ゲーム機),
        # 殺虫剤のスプレー缶 (what a 殺虫剤 comes in) — offered too, the resident picks (not ゲーム機のコントローラー)
        kinds: dict[str, list[Key]] = {}
        for k, keys in self.surface.items():
            for x in keys:
                if x.primary and x.base == k:
                    for i in range(1, len(k) - 2):
                        if k[i - 1] != "ノ":
                            kinds.setdefault(k[i:], []).append(x)
                    held, no, container = _PARENS.sub("", unicodedata.normalize("NFKC", x.item.name)).partition("の")
                    if no and len(held) >= 2 and _CONTAINER_END.search(container):
                        kinds.setdefault(fold(held), []).append(x)
        # (words of a kind, read whole by _by_words)
        self.kind_words = {fold(n) for _heading, names, _also, _when in groups for n in names}
        for heading, names, _also, _when in groups:
            keys: list[Key] = []
            for name in names:
                for k in (name, name + "類"):
                    # by reading, only names the list writes in kana (かさ, not 笠)
                    found = self.surface.get(k, []) + [x for x in self.reading.get(k, []) if _KATA.match(x.base)]
                    # (a one-kanji name of a list's 「石・砂・土」 too, which only names its item where nothing else does)
                    keys += [x for x in found if not x.tail or x.primary or _dot_part(x)]
            # the items these words name; a part of a name (the アクセサリー of 「自転車・バイクの
            # アクセサリー」) only where none does
            # (a name a list joins with ・ is a whole name too: せん定枝 of 「植木の枝・せん定枝」 beside 「草・落ち葉」)
            keys = list({id(x): x for x in ([x for x in keys if x.primary or _dot_part(x)] or keys)}.values())
            if keys:
                seen = {x.item.uid for x in keys}
                more = [x for name in names if len(name) >= 3 for x in kinds.get(fold(name), ())
                        if not (x.item.uid in seen or seen.add(x.item.uid))]
                targets[heading] = keys + more[: min(2, self.CHOICES - len(keys))]
        also = {heading: a for heading, _n, a, _w in groups}
        when = {heading: w for heading, _n, _a, w in groups}
        # every thing's groups, the list's items of each and the fallbacks: for a material the
        # list's items of the thing itself lack (「ガラスのコップ」 where コップ is plastic or metal)
        self.broader_targets, self.broader_also = targets, also
        self.thing_heads: dict[str, tuple[str, ...]] = {}
        for letters, reading, heads in things:
            for k in (letters, reading):
                if k:
                    self.thing_heads.setdefault(k, heads)
        # the list's names of things made of a thing (発泡スチロール製緩衝材, 発泡スチロール製トレイ): offered for it
        # before its groups' (プラスチック製品)
        made_of: dict[str, list[Key]] = {}
        for k, keys in self.surface.items():
            at = k.find("製")
            if at >= 2:
                made_of.setdefault(k[:at], []).extend(x for x in keys if x.primary and x.base == k)
        for letters, reading, heads in things:
            if any(self.surface.get(k) or self.reading.get(k) or self.tails.get(k) for k in (letters, reading)):
                continue  # the list names it itself
            used = [h for h in heads if h in targets]
            if not used:  # the list has none of its groups: the groups these fall back on (電動工具 → 工具)
                used = list(dict.fromkeys(h for g in heads for h in also[g] if h in targets))
            if not used:
                continue
            keys = made_of.get(letters) or list({id(x): x for h in used for x in targets[h]}.values())
            conditions = [when[h] for h in used]
            for k in {letters, reading}:
                if k and k not in self.broader:
                    self.broader[k] = (keys, "、".join(used), None if None in conditions else conditions[0])
                    self.broader_len = max(self.broader_len, len(k))
                    if letters in bulk:
                        self.broader_bulk.add(k)

    def _with_contents(self, found: Found, k: str) -> Found:
        """「ペンキの缶、中身が半分くらい残ってます」: for the list's empty container of a thing (ペンキの缶（空のもの）),
        its row of the thing with what it held left in it (ペンキ（中身の入ったもの）), when it has one."""
        if not all(_EMPTY.search(q) for q in _item_qualifiers(self.items[found.items[0]])):
            return found
        full = [u for u, it in self.items.items() if k.startswith(fold(_PARENS.sub("", it.name)))
                and any(_FULL.search(q) for q in _item_qualifiers(it))]
        return Found("item", found.text, full[:1]) if full else found

    def _build_containers(self) -> None:
        """The rows named as the container of a thing (「ジャムのびん」「肥料、腐葉土の袋」「ビールびん」): by the container,
        (what it held, folded and read, the row's key); a name a row joins before the one with the container holds
        the same (肥料 of 肥料、腐葉土の袋)."""
        self.containers: dict[str, list[tuple[str, str, str]]] = {}
        self.broken: dict[str, list[str]] = {}  # container kind → the rows for broken ones (割れたびん; _broken_one)
        for item in self.items.values():
            name = _NAME_NOTE.sub("", _PARENS.sub("", unicodedata.normalize("NFKC", item.name)))
            if "割れ" in item.name and (m := _held_in(_PARENS.sub("", unicodedata.normalize("NFKC", item.name))
                                                      .replace("割れた", ""))):
                self.broken.setdefault(_CONTAINER_KIND[m.group(2)], []).append(item.uid)
            elif "割れ" in item.name and _BROKEN_GLASS_ROW.fullmatch(
                    re.sub(r"割れた|割れ物|もの|類|くず|破片|かけら|[・、/／()（）の\s]", "", unicodedata.normalize("NFKC", item.name))):
                self.broken.setdefault("陶磁器", []).append(item.uid)  # (割れたガラス・陶磁器, 食器(割れたもの); not 窓ガラス)
            parts = [p.strip() for p in _ALIAS_SPLIT.split(name) if p.strip()]
            held = [_held_in(p) for p in parts]
            last = next((m for m in reversed(held) if m), None)
            for part, m in zip(parts, held):
                if not (m or last) or (m and m.start() == 0):
                    continue
                what = part[: m.start()] if m else part
                kind = _CONTAINER_KIND[(m or last).group(2)]
                key = fold(part)
                if any(x.item is item and x.primary for x in self.surface.get(key, ())):
                    for w in _DOT_SPLIT.split(what):
                        if w:
                            self.containers.setdefault(kind, []).append((fold(w), self.read(w), key))

    def _container_named(self, chosen, tokens, gaps: set[int]) -> list:
        """「瓶ビールの空き瓶」「ジャムの空きびん」「レトルトカレーの袋」: a container after what it held, where the list
        has a row for the container of that (ビールびん, ジャムのびん, レトルト食品の袋): that row, on the tokens from
        what it held to the container (_held_alike)."""
        # (not where the thing is still in it: 「ペンキの缶、中身が半分残ってます」 asks of the ペンキ)
        if not self.containers or _STILL_HOLDS.search("".join(t[0] for t in tokens)):
            return chosen
        for j, t in enumerate(tokens):
            m = _held_in(t[0]) if t[3] == "名詞" else None
            # (not the end of a katakana word the tokenizer cut: ペット|ボトル)
            if m and _KATA.match(t[0]) and j and j - 1 not in gaps and _KATA.match(tokens[j - 1][0]):
                m = None
            rows = self.containers.get(_CONTAINER_KIND[m.group(2)], ()) if m else ()
            # (only a container the matcher found as a thing, by no name of a row's own: the 花瓶 of ガラスの花瓶 is
            # the list's 花びん, 衣装ケース2つ分 says how much)
            at = next((c for c in chosen if c[0] <= j < c[1]), None)
            # (or a plain container word no key names, 「ワインの空き瓶」 where the list has no 空きびん)
            if at is None and rows and _CONTAINER.match(t[0]) and not any(j in range(c[0], c[1]) for c in chosen):
                at = (j, j + 1, "", 6)
            # (a row's own name that is only the container, emptied: 「ゴキジェットの空き缶」 beside a list's 空き缶)
            if not rows or at is None or (at[3] < 4 and any(
                    x.primary and re.sub("^(空キ|空|カラ)", "", x.base) != fold(m.group(2))
                    for x in self._keys_of(at[2], at[3]))):
                continue
            i = j
            # (and what it is made of, glued on: 「大きいガラス瓶」)
            while i > 0 and (tokens[i - 1][3] in ("形容詞", "連体詞") or tokens[i - 1][0] in ("空き", "空")
                             or _COUNTED.match(tokens[i - 1][0]) or (i == j and _is_material(tokens[i - 1][0]))) \
                    and i - 1 not in gaps:  # (小さい, 空き, 四合)
                i -= 1
            # (what it is made of said before it, 網の袋, after what it held said as in it: 「種芋の入ってた網の袋」
            # 「米が入っていた袋」)
            k = i - 2 if (i >= 2 and tokens[i - 1][0] == "の" and i - 2 not in gaps
                          and (_is_material(tokens[i - 2][0]) or fold(tokens[i - 2][0]) in _MESH)) else i
            # (「梅酒を漬けていた瓶」「梅酒漬けてた瓶」: what it held said as put in it)
            was_in = next((n for n in (5, 4, 3) if k >= n + 1 and _WAS_IN.fullmatch("".join(x[0] for x in tokens[k - n:k]))), 0)
            bare = bool(was_in) and tokens[k - was_in][0] not in ("の", "が", "を")
            if was_in:
                i = k - was_in + (0 if bare else 1)  # (at the の, が or を after what it held, or at the verb)
            if not bare:
                if i > 0 and tokens[i - 1][0] in (("の", "が", "を") if was_in else ("の",)) and i - 1 not in gaps:
                    i -= 1
                elif i != j:
                    continue
            a = i
            while a > 0 and tokens[a - 1][3] in _NOUNISH and a - 1 not in gaps:
                a -= 1
            if a + 1 < i and tokens[a][3] == "接頭辞" and tokens[a][0] in ("お", "ご", "御"):
                a += 1  # (what it held is what a row names without the honorific: お米 for 米袋)
            if a == i:
                continue
            what, sound = fold("".join(x[0] for x in tokens[a:i])), "".join(x[2] for x in tokens[a:i])
            # (not what it is made of — ビニールの米袋, 耐熱ガラス容器, プラスチック製容器 — nor a part of a longer name found)
            if at[0] < a or any(_is_material(x[0]) for x in tokens[a:i]):
                continue
            # (or what it held said by another word of its everyday group: ベビーフード for 離乳食)
            # (a row's held word may say its kind too, 殺虫剤の|スプレー缶: the word before its の is what it held)
            # (of rows alike so far, the one of the container said: 「コンタクトのケース」 is the list's コンタクトレンズの
            # ケース, not its コンタクトレンズの空き容器)
            said = fold(t[0])
            best = max(((_held_alike(what, sound, w, r) or 100 * (_one_group(what, w) or _one_group(what, w.split("ノ", 1)[0])),
                         key.endswith(said), key) for w, r, key in rows), default=(0, False, ""))
            # (else a name of the list, or a word of ours for one, that says them with the container: 「梅酒を漬けていた
            #瓶」 is everyday.yml's 梅酒の瓶, the list's 果実酒用びん)
            key = best[2] if best[0] else next((x for x in (what + fold("の") + said, what + said)
                                                if any(y.primary or y.synonym for y in self.surface.get(x, ()))), "")
            if key:
                span = set(range(a, j + 1))
                chosen = sorted([c for c in chosen if not span & set(range(c[0], c[1]))] + [(a, j + 1, key, 0)])
        return chosen

    def _build_of_material(self) -> None:
        """The list's rows of a material as such, for things of it it does not name: 「金属類（その他）」
        「その他のプラスチック製品」「金属くず」「陶磁器・ガラス類（その他）」 — by material (MATERIALS' keys)."""
        self.of_material: dict[str, list[str]] = {}
        for uid, item in self.items.items():
            name = _PARENS.sub("", unicodedata.normalize("NFKC", item.name)).removeprefix("その他の")
            for part in _DOT_SPLIT.split(name):
                row = _OF_MATERIAL_ROW.fullmatch(fold(part))
                # (the material's own word: not 銅製品 for every metal)
                if row and fold(row.group(1)) in _MATERIAL_ROWS:
                    self.of_material.setdefault(_MATERIAL_ROWS[fold(row.group(1))], []).append(uid)

    def _add(self, key: Key, reading: str) -> None:
        if not key.base:
            return
        self.surface.setdefault(key.base, []).append(key)
        if len(reading) >= 4:
            self.unvoiced.setdefault(unvoiced(reading), []).append(key)
        if reading and reading != key.base:
            self.reading.setdefault(reading, []).append(key)
        elif reading:
            self.reading.setdefault(reading, [])
        # (一 and 八 before a カ, サ, タ or パ are said with a small ッ, and typed so: the dictionary reads 一升びん
        # イチショウビン, residents type いっしょうびん)
        spoken = _SAID_SHORT.sub(r"\1ッ", reading) if _SHORTENED.search(key.base) else reading
        if spoken != reading:
            self.reading.setdefault(spoken, []).append(key)
            self.unvoiced.setdefault(unvoiced(spoken), []).append(key)
        self.max_len = max(self.max_len, len(key.base), len(reading))

    # -- reading ----------------------------------------------------------------------------
    @staticmethod
    def _tokens(text: str) -> list[tuple[str, str, str, str]]:
        """(surface, folded letters, folded reading, part of speech, the reading without voicing) of each token."""
        out = []
        for w in TAGGERS(text):
            s = w.surface
            kana = to_katakana(s) if _KANA_ONLY.match(s) or not w.feature.kana else w.feature.kana
            out.append((s, fold(s), fold(kana), w.feature.pos1 or "", unvoiced(fold(kana))))
        return out

    def _word_alone(self, part: str, pieces: list) -> list[tuple[str, str, str, str, str]]:
        """A word typed in hiragana between spaces or marks that the tokenizer cuts into `pieces` (ざつ|し) and
        that reads as a name of the list's, also with its small kana typed big (ざつし for 雑誌, ザッシ): one noun.
        (Not a word it keeps whole: ふるい is an adjective before it is a sieve.)"""
        if len(part) < 3 or not _HIRAGANA_WORD.match(part):
            return []
        reading = fold(to_katakana(part))
        reading = reading if any(not x.tail for x in self.by_reading.get(reading, ())) else self.big_kana.get(reading, "")
        if not reading:
            return []
        # (nor a verb with an ending verbs are typed with: したい is no 死体, しない no 竹刀 — but みし|ん is the
        # ミシン, せ|んす the 扇子: no one types a verb so)
        if len(pieces) < 2 or any(t[3] == "名詞" for t in pieces) or (
                pieces[0][3] == "動詞" and pieces[-1][3] == "助動詞" and pieces[-1][0] in _VERB_ENDS):
            return []
        return [(part, fold(part), reading, "名詞", unvoiced(reading))]

    def read(self, text: str) -> str:
        """The katakana reading (kana as written, kanji by the dictionary), folded."""
        return "".join(t[2] for t in self._tokens(unicodedata.normalize("NFKC", text)))

    def _reading_of(self, word: str) -> str:
        """read(), kept: the qualifiers' readings are asked for on every message that names a thing of several rows."""
        if word not in self._readings:  # (unvoiced: the dictionary reads 足踏み アシフミ, residents type あしぶみ)
            self._readings[word] = self.read_unvoiced(to_hiragana(word))
        return self._readings[word]

    def read_unvoiced(self, text: str) -> str:
        return unvoiced(self.read(text))

    @staticmethod
    def _keys(item: Item):
        """(text, qualifiers, primary, found by its reading too) of each key of the item."""
        # (a note some lists write into the name: 「テレビ※家電リサイクル法対象」「ペットボトル＊キャップは外す」)
        name = _NAME_NOTE.sub("", unicodedata.normalize("NFKC", item.name)) or unicodedata.normalize("NFKC", item.name)
        inners = _PARENS.findall(name)
        quals = tuple(fold(q) for inner in inners
                      for q in re.split(r"[・、,/:：\s]|及び|および|など|等", inner) if fold(q))
        # names listed outside the parentheses (「アルミはく、アルミホイル」, 「雨合羽 あまがっぱ」) — a material or
        # a size after the name is what a list writes in parentheses elsewhere (「棚 木製」「テレビ台 幅1m以上」)
        parts = [p for p in _ALIAS_SPLIT.split(_PARENS.sub("", name)) if p]
        said_of = [p for p in parts[1:] if _is_material(p) or _NOT_A_NAME_INSIDE.search(p)]
        parts = [p for p in parts if p not in said_of]
        quals += tuple(fold(p) for p in said_of)
        for part in parts:
            base = part.strip()
            yield base, quals, True, True
            # (a loanword's long e is written either way: トレイ / トレー, スプレー / スプレイ)
            spelled = _LONG_E.sub(lambda m: m.group(1) + ("ー" if m.group(2) == "イ" else "イ"), base)
            if spelled != base:
                yield spelled, quals, True, True
            # 「プラスチック製気泡緩衝材」「金属製のふた」 are the 気泡緩衝材 and the ふた of that material
            made = _MADE_OF.match(base)
            if made and _is_material(made.group(1)) and len(base) - made.end() >= 3:
                yield base[made.end():], quals + (fold(made.group(1)),), True, True
            # 「電池で動くおもちゃ」「電動のおもちゃ」 are the おもちゃ that runs so, as おもちゃ(電池で動くもの) is
            powered = _POWERED.match(base)
            if powered and len(base) - powered.end() >= 2:
                # (and said by its battery however the list says it runs: 「でんちが入ってる」 of 電動のおもちゃ)
                yield base[powered.end():], quals + tuple(dict.fromkeys((fold(powered.group(1)),) + _POWERED_SAID)), True, True
            stem = _KINDS_END.sub("", base)
            if stem != base and len(stem) >= 2:  # 着物類 is 着物 too
                yield stem, quals, True, True
            # 「介護用ベッド」 is said 介護ベッド too: a weaker key — and 「介護ベッド」 介護用ベッド
            for_ = _FOR_BETWEEN.fullmatch(base)
            if for_:
                yield for_.group(1) + for_.group(2), quals, False, True
            unjoined = _KANJI_THEN_KANA.fullmatch(base)
            if unjoined:
                yield unjoined.group(1) + "用" + unjoined.group(2), quals, False, True
            pieces = [p for p in _DOT_SPLIT.split(base) if len(p) >= 2 or _KANJI1.match(p)]
            if len(pieces) > 1:
                # (a kanji end the last of them says for all: 「スキー・スノーボード板」 is スキー板 too)
                shared = _SHARED_END.fullmatch(pieces[-1])
                for p in pieces[:-1] if shared else ():
                    if _KATA.match(p):
                        yield p + shared.group(2), quals, True, True
                for p in pieces:
                    yield p, quals, False, True
                    # (カテーテル of 「…・チューブ・カテーテル類」, as 着物類 is 着物)
                    part_stem = _KINDS_END.sub("", p)
                    if part_stem != p and len(part_stem) >= 2:
                        yield part_stem, quals, False, True
            # 「化粧品の容器(びん)」 is also 「化粧品のびん」
            if base.endswith("容器"):
                for inner in inners:
                    if 1 <= len(inner) <= 4:
                        yield base[: -len("容器")] + inner, quals, False, True
            # 「貝の殻」 is also said 貝殻: a weaker key (kanji only: ペットボトル|キャップ may be two things said)
            for whole in [base] + (pieces if len(pieces) > 1 else []):
                joined = _NO_BETWEEN.fullmatch(whole)
                if joined:
                    yield joined.group(1) + joined.group(2), quals, False, False
            # the head of 「飲料用のペットボトル」「ペットボトルのキャップ」: weaker keys
            # (of each name a list joins with ・ too: the 枝 of 「植木の枝・せん定枝」)
            for whole in [base] + (pieces if len(pieces) > 1 else []):
                for m in re.finditer("の", whole):
                    tail = whole[m.end():]
                    # (not a word that names nothing: 「大量のごみ」 is no key ごみ, which every question says)
                    if (len(tail) >= 2 or _KANJI1.match(tail)) and m.start() >= 1 and tail not in _NOT_A_WORD:
                        yield tail, quals, False, True
        for alias in item.aliases:
            alias = _PARENS.sub("", unicodedata.normalize("NFKC", alias)).strip()
            if alias:
                yield alias, quals, True, True

    # -- matching ---------------------------------------------------------------------------
    def _spans(self, tokens, which: int, index: dict, min_free: int, max_len: int = 0):
        """(first token, last token + 1, key, chars) of every key found in the joined
        letters (which=1) or reading (which=2) of the tokens. Keys shorter than `min_free`
        must start and end at token boundaries."""
        parts = [t[which] for t in tokens]
        text = "".join(parts)
        owner, bounds, at = [], {0}, 0
        for ti, p in enumerate(parts):
            owner.extend([ti] * len(p))
            at += len(p)
            bounds.add(at)
        found = []
        n = len(text)
        for i in range(n):
            if text[i] in _SMALL:
                continue
            for j in range(min(n, i + (max_len or self.max_len)), i, -1):
                if j < n and text[j] in _SMALL:
                    continue  # never half a mora (チュウシ in チュウシャ)
                k = text[i:j]
                if k in index and index[k]:
                    if j - i < min_free and not (i in bounds and j in bounds):
                        continue
                    if i not in bounds and j not in bounds:
                        continue  # inside words on both sides (スノコ in ガラスノコップ)
                    if (i not in bounds or j not in bounds) and _LATIN_START.match(k):
                        continue  # a part of a word in Latin letters (the NAS of «Pinas»)
                    if j not in bounds and _KATA.match(tokens[owner[j - 1]][0]):
                        continue  # the front of a katakana word (ペン of ペンキ, テレビ of テレビボード)
                    if which == 1 and j not in bounds and _KANJI_WORD.match(text[j - 1:j + 1]):
                        continue  # the front of a kanji word (the 古い本 of 古い|本体)
                    if which != 1 and ((i not in bounds and _HAS_KANJI.search(tokens[owner[i]][0]))
                                       or (j not in bounds and _HAS_KANJI.search(tokens[owner[j - 1]][0]))):
                        continue  # a part of a kanji word's reading (the カシュウ of か|収集 is no 歌集)
                    found.append((owner[i], owner[j - 1] + 1, k, j - i))
        return found

    def match(self, question: str) -> Match:
        m = self._match(question)
        rows = self.at_once_rows
        if rows and not any(not _BAGS.fullmatch(f.text or "") and not set(f.items) <= rows for f in m.found + m.maybe):
            m = self._at_once(m, normalize(question))
        if not self.business:
            return m
        text = normalize(question)
        business = _BUSINESS.search(text) if not _AT_HOME.search(text) else None
        if not business:
            return m
        # (a shop's things or garbage asked of as such need name no thing of the list: 「お店のごみも家庭ごみと一緒に
        # 出していいですか」「個人商店をたたみます。陳列棚や冷蔵ショーケースは粗大ごみで出せますか」)
        # (by the garbage's words, not a mere 出す: 「店を閉めます。市に出さないといけない書類は」 asks of no thing)
        rest = _BUSINESS.sub("", text)
        asked = (bool(STRONG_DISPOSAL.search(rest) or _GOMI.search(rest) or _CONSULT.search(rest))
                 and not OTHER_MATTER.search(_CONSULT.sub("", rest)))
        if m.item_question or m.missing or (m.maybe and m.says_out and not m.of_matter) or asked:
            # a shop's or an office's things are not household garbage, whatever they are: the list's row for
            # a business's garbage answers (「閉店するのでレジスターを処分したい」), not the thing's own row
            # (where no thing of the list was asked of, a rule may be: the FAQ's answer, if any, first —
            # 「事業系ごみはどこに出せばいいですか」)
            return replace(m, item_question=True, found=[Found("item", business.group(0), self.business[:1])],
                           maybe=[], missing="", after_faq=m.after_faq or not m.item_question)
        return m

    def _at_once(self, m: Match, text: str) -> Match:
        """Much garbage at once, on a move, after a death or from a 大掃除, where no thing is named but the bags it fills or the row
        itself (「退去で大量にごみが出そうです」「父が亡くなって実家の片付けをしています。ごみが大量に出そうなのですが」「ゴミ袋30袋
        以上になりそう」): the list's row for it, after the FAQ's answer (the move's or the death's own matters may be asked
        too). Not much of a thing (「遺品の中に鉛のおもりがたくさん」「引っ越しの段ボール30箱」): the thing's row."""
        much, move, death = _MUCH_AT_ONCE.search(text), _MOVING_OUT.search(text), _AFTER_A_DEATH.search(text)
        cleaning = _CLEANING.search(text)
        if not much or not (move or death or cleaning) or not _GOING_OUT_AT_ONCE.search(text):
            return m
        rows = (self.at_once.get("death") if death else None) or self.at_once.get("move") or self.at_once.get("death")
        # (of a list's several such rows, the one of what the message tells of: a move's, not a 大掃除's)
        told = [r for r, said in ((_MOVING_OUT, move), (_CLEANING, cleaning)) if said]
        rows = sorted(rows, key=lambda u: not any(r.search(self.items[u].name) for r in told))
        return replace(m, item_question=True, found=[Found("item", much.group(0), rows[:1])], maybe=[], missing="",
                       after_faq=True)

    def _shared_front(self, m: re.Match) -> str:
        """「釣り糸と針」: a word after another that is no name of the list on its own, where the front of the word
        before it and this word are one (釣り針), is that name — the front said once for both."""
        first, joint, word = m.group(1), m.group(2), m.group(3)
        if any(x.primary for x in self.surface.get(fold(word), ())):
            return m.group(0)
        for n in range(len(first) - 1, 1, -1):
            if any(x.primary for x in self.surface.get(fold(first[:n] + word), ())):
                return f"{first}{joint}{first[:n]}{word}"
        return m.group(0)

    def _kinds_part(self, m: re.Match) -> str:
        """「三線のケース」: a thing's case (cover, bag, box, stand) the list names by the thing's kind only (楽器ケース),
        where it names none of the thing's own, is that kind's."""
        thing, part = m.group(1), m.group(2)
        for i in range(len(thing) - 1):
            x = thing[i:]
            if any(k.primary for n in (x + part, x + "の" + part) for k in self.surface.get(fold(n), ())):
                return m.group(0)
            kind = self.broader.get(fold(x))
            if kind and any(k.primary for k in self.surface.get(fold(kind[1] + part), ())):
                front, end = fold(x), fold(part)
                if any(k.startswith(front) and k.endswith(end) and any(y.primary for y in keys)
                       for k, keys in self.surface.items()):
                    return m.group(0)  # (the thing's own, named otherwise: 三線のハードケース)
                return f"{thing[:i]}{kind[1]}{part}"
        return m.group(0)

    def _match(self, question: str) -> Match:
        text = normalize(question)
        if not text or text.startswith("/"):
            return Match(False, False)
        glossed = gloss(text)
        foreign, text = glossed != text, glossed
        text = _SPACED_NO.sub("の", text)
        text = _MATERIAL_BETWEEN.sub(r"\1の\4(\2)", text)
        text = _LEFT_IN_CAN.sub(r"\1の残り", text)
        text = _AND_NEXT.sub(self._shared_front, text)
        text = _OF_PART.sub(self._kinds_part, text)
        if _OIL_CHANGED.search(text):
            text = _WASTE_OIL.sub("廃エンジンオイル", text)
        text = self._katakana_only(text)
        text = _VERB_AFTER_KANA.sub(" ", text)
        text = _TTE_AFTER_KANA.sub(" ", text)
        text = _HIRAGANA_RUN.sub(lambda m: self._kana_words(m.group(0), bool(_MORE_AFTER.match(text, m.end()))), text)
        text = _WA_FOR_HA.sub("は", text)
        tokens, gaps, marks = [], set(), set()  # gaps: the tokens a space or a mark follows (「石油ストーブ 灯油」 are two)
        stops = set()  # the tokens a sentence's end follows
        for part, sep in zip(_GAP.split(text), _GAP.findall(text) + [""]):
            pieces = [t for t in self._tokens(part) if t[1]]
            tokens += self._word_alone(part, pieces) or pieces
            if tokens:
                gaps.add(len(tokens) - 1)
                if sep.strip():  # (a mark, not only a space: 「眼鏡、フレームが金属」 names no 眼鏡フレーム)
                    marks.add(len(tokens) - 1)
                if any(c in _SENTENCE_MARKS for c in sep):
                    stops.add(len(tokens) - 1)
        # (a death is a rule's only where the message names no kind of garbage: 「亡くなった父の入れ歯、燃えない
        # ごみでいいんでしょうか」 asks of the 入れ歯)
        rule = bool(RULE.search(_DEATH.sub("", text) if _GARBAGE_KIND.search(text) else text))
        other_matter = bool(OTHER_MATTER.search(text))
        cands = [(a, b, k, n, 0) for a, b, k, n in self._spans(tokens, 1, self.surface, 3)
                 if (not _KATA.match(k) or self._reading_ok(tokens, a, b, n, kana_key=True, gaps=gaps))
                 and not self._head_of_another(tokens, a, k, self.surface[k], gaps)
                 and not _long_vowel_typed(tokens, a, b, self.surface[k])]
        cands += [(a, b, k, n, 1) for a, b, k, n in self._spans(tokens, 2, self.by_reading, 4)
                  if self._reading_ok(tokens, a, b, n, kana_key=any(_KATA.match(x.base) for x in self.by_reading[k]), gaps=gaps)
                  and _kanji_agree(tokens[a:b], self.by_reading[k])
                  and not self._head_of_another(tokens, a, k, self.by_reading[k], gaps)
                  and not _long_vowel_typed(tokens, a, b, self.by_reading[k])]
        cands += [(a, b, k, n, 2) for a, b, k, n in self._spans(tokens, 4, self.unvoiced, 99)
                  if self._reading_ok(tokens, a, b, n, gaps=gaps) and _kanji_agree(tokens[a:b], self.unvoiced[k])
                  and not self._head_of_another(tokens, a, k, self.unvoiced[k], gaps)
                  and not _long_vowel_typed(tokens, a, b, self.unvoiced[k])]
        cands += self._by_what_it_does(tokens, gaps)
        # a name's end only as the whole word: 電子|体温計 is not 水銀体温計 (the list lacks it)
        cands += [(a, b, k, n, 3) for a, b, k, n in self._spans(tokens, 1, self.tails, 99)
                  if (not _KATA.match(k) or self._reading_ok(tokens, a, b, n, kana_key=True, gaps=gaps))
                  and not (a > 0 and tokens[a - 1][3] == "名詞" and a - 1 not in gaps)
                  and not _long_vowel_typed(tokens, a, b, self.tails[k])]
        # 「卵のパック」 for the list's 卵パック: the same without an の between two nouns
        keep = [i for i, t in enumerate(tokens)
                if not (t[0] == "の" and 0 < i < len(tokens) - 1 and tokens[i - 1][3] in ("名詞", "接尾辞")
                        and tokens[i + 1][3] == "名詞")]
        # (and an adjective after the の, how the thing is: 「在宅酸素の小さいボンベ」 is the 在宅酸素ボンベ, 「ガラスの大きな瓶」
        # the ガラス瓶)
        said = {j for i, t in enumerate(tokens) if t[0] == "の" and 0 < i < len(tokens) - 2 and tokens[i - 1][3] in ("名詞", "接尾辞")
                and tokens[i + 1][3] in ("形容詞", "連体詞") and tokens[i + 2][3] == "名詞" for j in (i, i + 1)}
        keep = [i for i in keep if i not in said]
        if len(keep) < len(tokens):
            sub = [tokens[i] for i in keep]
            # (from a word's start: the スコップ of ガラス|コップ is not one)
            cands += [(keep[a], keep[b - 1] + 1, k, n, 0) for a, b, k, n in self._spans(sub, 1, self.surface, 3)
                      if keep[b - 1] + 1 - keep[a] > b - a and "".join(t[1] for t in sub[a:b]).startswith(k)
                      and (not _KATA.match(k) or self._reading_ok(sub, a, b, n, kana_key=True))]
            # (and by reading, a name typed in kana: 「えのぐのチューブ」 for 絵の具のチューブ; and without its
            # voicing: 「焼酎のかめ」 for the list's 焼酎がめ)
            for via, index, min_free in ((1, self.by_reading, 4), (2, self.unvoiced, 99)):
                which = 2 if via == 1 else 4
                cands += [(keep[a], keep[b - 1] + 1, k, n, via) for a, b, k, n in self._spans(sub, which, index, min_free)
                          if keep[b - 1] + 1 - keep[a] > b - a and "".join(t[which] for t in sub[a:b]).startswith(k)
                          # (or a kanji word for the kana of the list's name: 「牡蠣の殻」 for its カキ殻)
                          and (any(_HAS_KANA.search(t[0]) for t in sub[a:b]) or any(_HAS_KANA.search(x.base) for x in index[k]))
                          and not all(_KATA.match(t[0]) for t in sub[a:b])
                          and self._reading_ok(sub, a, b, n,
                                               kana_key=via == 2 or any(_KATA.match(x.base) for x in index[k]))
                          and _kanji_agree(sub[a:b], index[k])]
        # 「カラオケの機械」「ETCの機械」 for the list's カラオケ機器, ETC車載器: a machine of a thing, by the list's name for it
        # (and 「たこ焼きのやつ」, where the list has a machine of it: たこ焼き器)
        for i, t in enumerate(tokens):
            if i >= 2 and (t[0] in _MACHINE or t[0] in ("やつ", "ヤツ")) and tokens[i - 1][0] == "の" and tokens[i - 2][3] == "名詞":
                k = next((fold(tokens[i - 2][0] + end) for end in _MACHINE_ENDS
                          if any(x.primary or x.synonym for x in self.surface.get(fold(tokens[i - 2][0] + end), ()))), None)
                if k:
                    cands.append((i - 2, i + 1, k, len(k), 0))
        # 「本棚」 for the list's 棚: a kanji word no key covers, by its end (its head)
        for i, t in enumerate(tokens):
            # (not a word a compound goes on after: 熱帯|魚 ends in 魚, not in the 帯 of 熱帯)
            if (t[3] == "名詞" and len(t[0]) >= 2 and _KANJI_WORD.match(t[0])
                    and not (i + 1 < len(tokens) and i not in gaps and tokens[i + 1][3] in ("名詞", "接尾辞")
                             and not _NUMBER.match(tokens[i + 1][0]))):
                for j in range(1, len(t[0])):
                    head = fold(t[0][j:])
                    if any(x.primary for x in self.surface.get(head, ())):
                        cands.append((i, i + 1, head, len(head) - 0.5, 0))  # (after any key of the word itself)
                        break
        # a compound the lexicon files under a broader word is that, not what a key inside it names
        # (モバイルバッテリー is a 充電式電池, not the list's バッテリー for cars; 電動ドリル a 電動工具)
        if self.broader:
            for a, b, k, n in self._spans(tokens, 1, self.broader, 3, self.broader_len):
                # (a katakana thing typed in kana as a word, not in a verb: the トレーナー of とれ|ない)
                if k in self.broader_bulk or (_KATA.match(k) and not self._reading_ok(tokens, a, b, n, gaps=gaps)):
                    continue
                before, after = _neighbours(tokens, a, b, gaps)
                when = self.broader[k][2]
                # (not a material or a qualifier of the list's and a name of the list: 針金|ハンガー is the list's
                # ハンガー(金属製), 電気|ストーブ its ストーブ(電気))
                made_of = ((_is_material(tokens[a][0])
                            and fold("".join(t[0] for t in tokens[a + 1:b]).removeprefix("の")) in self.surface)
                           or self._qualified_name(fold("".join(t[0] for t in tokens[a:b])))
                           or self._qualifier_before(tokens, a, b))
                # (nor a name of the list with お or ご before it: お|ちゃわん is the list's 茶わん)
                honorific = (tokens[a][0] in ("お", "ご", "御") and b - a >= 2
                             and any(x.primary for x in self.by_reading.get("".join(t[2] for t in tokens[a + 1:b]), ())))
                if (b - a >= 2 and not (before is not None and before[3] == "名詞")
                        and not (after is not None and after[3] in ("名詞", "接尾辞"))
                        and (when is None or when.search(text)) and not made_of and not honorific):
                    cands.append((a, b, k, n, 4))
        # 「段ボール5箱分」「ゴミ袋3袋分」: a thing before how many of it there are is a measure, not a thing
        # asked about, beside another
        measure = [c for c in cands if c[1] + 2 < len(tokens) and _NUMBER.match(tokens[c[1]][0])
                   and tokens[c[1] + 2][0] in ("分", "ぶん")]
        if measure and any(c[1] <= m[0] or c[0] >= m[1] for c in cands for m in measure):
            cands = [c for c in cands if c not in measure]
        # (also alone, where it measures a noun before it: 「レゴが衣装ケース2つ分ある」 — the レゴ, a word of the
        # lexicon found later, not the 衣装ケース)
        starts = {e: min(m[0] for m in measure if m[1] == e) for e in {m[1] for m in measure}}
        cands = [c for c in cands if c not in measure or not (
            starts[c[1]] >= 2 and tokens[starts[c[1]] - 1][0] in ("が", "を", "は", "も")
            and tokens[starts[c[1]] - 2][3] == "名詞")]
        # 「4本」「3台」: a counter after a number is no thing (本 is also the list's 書籍); so is one kanji
        # the tokenizer takes for a noun there (「何袋まで出せる？」 counts bags, it names none)
        cands = [c for c in cands if not (c[1] - c[0] == 1 and c[0] > 0 and _NUMBER.match(tokens[c[0] - 1][0])
                                          and (tokens[c[0]][3] == "接尾辞" or _KANJI1.match(tokens[c[0]][0])))]
        # one kanji a list names only as a part (the 台 of 「セロハンテープの台」) is no thing at a compound's end
        # (洗面|台 is a 洗面台, which the list lacks)
        cands = [c for c in cands if not (c[4] in (0, 1) and c[1] - c[0] == 1 and _KANJI1.match(tokens[c[0]][0])
                                          and c[0] > 0 and tokens[c[0] - 1][3] == "名詞" and c[0] - 1 not in gaps
                                          and not any(x.primary or x.synonym for x in self._keys_of(c[2], c[4])))]
        cands = [c for c in cands if not any(c[0] <= g < c[1] - 1 for g in marks)]
        # a name that ends in a verb the message conjugates is that verb (空気|入れ|て is no 空気入れ)
        cands = [c for c in cands if not (c[1] - c[0] >= 2 and tokens[c[1] - 1][3] == "動詞" and c[1] < len(tokens)
                                          and tokens[c[1]][0] in ("て", "で", "た", "だ", "ます", "ない", "たい", "ちゃ"))]
        # a key inside a word in Latin letters is none (a foreign word the tokenizer cut in two)
        cands = [c for c in cands if not _inside_latin(tokens, c[0], c[1], gaps)]
        # longest first (letters before reading on a tie), then left to right; no token twice
        cands.sort(key=lambda c: (-_span_length(c, tokens), c[4], c[0]))
        taken: set[int] = set()
        chosen = []
        for a, b, k, n, via in cands:
            if taken & set(range(a, b)):
                continue
            taken |= set(range(a, b))
            chosen.append((a, b, k, via))
        chosen.sort()
        # 「フィルムカメラ」: a katakana compound whose last word is a name of the list is of that kind (its head),
        # not the thing its first word names
        chosen = [self._head_of_compound(c, tokens, taken, gaps) for c in chosen]
        # 「植木の土」「ガラスの体温計」: the item is the last noun, what comes before it says which
        # (and of 「ボタン電池」: the two side by side)
        # — unless the last names its items more weakly: 「殺虫剤のスプレー」 is 殺虫剤, not くもり止めスプレー;
        # 「スプレーかん 中身」 is スプレー缶, not マニキュアの中身
        chosen = self._container_named(chosen, tokens, gaps)
        taken |= {i for c in chosen for i in range(c[0], c[1])}
        chosen = self._container_of(chosen, tokens)
        drop = set()
        for i in range(len(chosen) - 1):
            c, d = chosen[i], chosen[i + 1]
            # (what is said of the last between them is no more: プランターの古い土, 植木鉢の使った土, 農薬の空き容器)
            between = [t[0] for t in tokens[c[1]:d[0]]]
            if between[:1] == ["の"] and len(between) > 1 and all(
                    t[3] in ("形容詞", "連体詞") or (t[3] == "動詞" and u[3] == "助動詞") or t[0] in ("空き", "空", "使用済み")
                    or (t[3] == "助動詞" and t[0] in ("た", "だ"))
                    for t, u in zip(tokens[c[1] + 1:d[0]], tokens[c[1] + 2:d[0] + 1])):
                between = ["の"]
            # (and nouns before the の: the first is of what is said of the last, 「パソコン掃除のエアーダスター」)
            if (len(between) >= 2 and between[-1] == "の" and all(t[3] in ("名詞", "接尾辞") for t in tokens[c[1]:d[0] - 1])
                    and not any(i in gaps for i in range(c[1] - 1, d[0] - 1))):  # (not across a mark: 「圧力鍋、ゴムの…」)
                between = ["の"]
            if between in _OF:  # the last is the thing (ペットボトルのふた, パソコン用のモニター), unless only a name's end
                # — or a container the list names only as other things' (納豆の容器) after a thing it names
                # itself: 「農薬の容器」「えのぐのチューブ」 go out as the 農薬, the 絵の具
                container = bool(_CONTAINER.match("".join(t[0] for t in tokens[d[0]:d[1]])))
                held = (self._strength(c) >= 1 and d[3] in (0, 1) and container
                        and all(_of_head(x) or x.synonym or _dot_part(x) for x in self._keys_of(d[2], d[3]))
                        and not any(x.primary for x in self._keys_of(d[2], d[3])))
                # (and a container of a thing the list names only by its container: 「マニキュアのびん」 is the list's
                # マニキュア・除光液の容器, not its びん of drinks)
                held = held or (container and c[3] < 4 and bool(self._keys_of(c[2], c[3])) and all(
                    _CONTAINER_END.search(_PARENS.sub("", x.item.name)) for x in self._keys_of(c[2], c[3])))
                # — or the thing said again by the word for its kind (「姿見の鏡」: both of one everyday group),
                # where the list names the first by its own name (not 「鎧兜の五月人形」, 鎧兜 only our word for it)
                first, last = (fold("".join(t[0] for t in tokens[x[0]:x[1]])) for x in (c, d))
                kind_of = (c[3] < 4 and any(x.primary for x in self._keys_of(c[2], c[3])) and _one_group(first, last))
                # (or by a word of its own name: 「ブロック塀のブロック」 is the 塀's, not a toy)
                kind_of = kind_of or (c[3] < 4 and len(last) < len(first) and first.startswith(last))
                # (or by a kind its name lists: 「雪かき用のスコップ」 is the list's 雪かき(スコップ・スノーダンプ))
                kind_of = kind_of or self._lists_kind(c, last)
                # (or its main unit: 「ソーダストリームの本体」)
                kind_of = kind_of or last in _MAIN_UNIT
                # (a box or a bag a thing came in is the box, the bag, however weakly the list names it: 「振袖の箱」
                # — not one said of what it is made of: 「発泡スチロールの箱」)
                packed = bool(_PACKAGING.match(last)) and not _is_material(first) and first not in _PACKING_MATERIALS
                # (but a sachet is the thing itself: 「シリカゲルの袋」 is the 乾燥剤, no bag a thing came in)
                packed = packed and not (c[3] < 4 and any(_SACHET.search(x.item.name) for x in self._keys_of(c[2], c[3])))
                last_is_it = (self._end_only(d, tokens) or held or kind_of) and not self._weakest(c) and not packed
                # (but the thing the part was of stays asked about where its main unit is said later on its own:
                # 「体重計の電池切れたついでに本体も捨てたい」 asks of the 電池 and the 体重計)
                if last_is_it or not (c[3] < 4 and any(fold(t[0]) in _MAIN_UNIT for t in tokens[d[1] + 1:])):
                    drop.add(i + 1 if last_is_it else i)
            elif not between and c[1] - 1 not in gaps:  # side by side: the stronger name
                # (or the first, where its name lists the last as one of its kinds: 雪かき|スコップ)
                listed = self._lists_kind(c, fold("".join(t[0] for t in tokens[d[0]:d[1]])))
                drop.add(i + 1 if listed or self._strength(d) < self._strength(c) else i)
        said_of = {j for i in drop for j in range(chosen[i][0], chosen[i][1])}  # (what another was said to be of)
        chosen = [c for i, c in enumerate(chosen) if i not in drop]
        # a thing named by words of a name that no key joins (ペットボトルのふた, 猫砂): instead of what
        # weaker keys found in its words
        by_words = {}
        for a, b, f in self._by_words(tokens, chosen, gaps, text):
            # (nor only what another was said to be of: the 植木鉢 of 「植木鉢の使った土」)
            if _is_material(f.text) or (said_of & set(range(a, b))
                                        and not any(a <= c[0] and c[1] <= b for c in chosen)):
                continue
            chosen = [c for c in chosen if not (a <= c[0] and c[1] <= b)] + [(a, b, f.text, 5)]
            by_words[(a, b)] = f
            taken |= set(range(a, b))
        chosen.sort()
        # (the same for a thing named by words: パソコン用の液晶モニター is the モニター)
        chosen = [c for c, d in zip(chosen, chosen[1:] + [None])
                  if not (d and d[3] == 5 and [t[0] for t in tokens[c[1]:d[0]]] in _OF)]
        # 「60cmの水槽、ガラスのやつ」: a material said of a thing beside another is what that one is of;
        # 「眼鏡、フレームが金属でレンズはプラスチック」: so is a part said to be of a material
        # (and a material in parentheses right after a thing: 「哺乳瓶（ガラス）と乳首」)
        if len(chosen) > 1:
            ends = {c[1] for c in chosen}
            chosen = [c for c in chosen if not (
                (_is_material("".join(t[0] for t in tokens[c[0]:c[1]]))
                 and (_OF_KIND.match("".join(t[0] for t in tokens[c[1]:c[1] + 2]))
                      or (c[0] - 1 in ends and tokens[c[0] - 1][0] in _OPEN
                          and c[1] < len(tokens) and tokens[c[1]][0] in _CLOSE)))
                or (c[1] + 1 < len(tokens) and tokens[c[1]][0] in ("が", "は", "も") and _is_material(tokens[c[1] + 1][0])))]
        # 「水筒じゃなくて魔法瓶のほう」: a thing said not to be the one is none asked about, beside the one that is
        # (and one said to be thrown away already, 「シングルベッドを処分したい　マットレスはもう捨てた」, or where another is)
        if len(chosen) > 1:
            chosen = [c for c in chosen if not _NOT_THIS.match(after := "".join(t[0] for t in tokens[c[1]:c[1] + 6]))
                      and not _GONE_ALREADY.match(after) and not _WHERE_IT_IS.match(after) and not _BOUGHT.match(after)
                      and not _NOT_USED_KIND.match(after)
                      # (nor a part the other has on it: 「鏡のついた化粧台」 asks of the 化粧台)
                      and not (_ATTACHED.match(after) and any(d[0] > c[1] for d in chosen))] or chosen
        # 「ペットボトルのラベルとキャップって外さないとだめ？」「ジャムの空きびん、ラベルははがさなくていい？」: a label or
        # a cap said to come off is how the thing gets ready to go out — the thing asked about is the one it comes off
        chosen = self._peeled(chosen, tokens)
        # 「ソーダストリーム　本体　捨てたい」: the main unit right after a thing is that thing's, no thing of its own
        chosen = [c for n, c in enumerate(chosen) if not (
            n and fold("".join(t[0] for t in tokens[c[0]:c[1]])) in _MAIN_UNIT
            and all(t[0] == "の" for t in tokens[chosen[n - 1][1]:c[0]]))]
        # 「缶（スプレー缶）」: a thing in parentheses right after the kind a list files it under says which of that
        # kind it is (a list's name asked as the list writes it; not 「殺虫剤（エアゾール缶）」, a kind after a thing)
        chosen = [c for c in chosen if not self._kind_said(c, chosen, tokens)]
        # 「おもちゃの電車 電池入ってる」: a battery said to be in the thing before it says which that thing is
        # where the list has one of it that runs on batteries (おもちゃ（電池で動くもの）); it is no thing of its own
        # (a 体重計 the list has of no such kind: the battery is asked about too)
        if len(chosen) > 1:
            chosen = [c for n, c in enumerate(chosen) if not (
                n and fold("".join(t[0] for t in tokens[c[0]:c[1]])) in _BATTERY_WORDS
                and _INSIDE_IT.match("".join(t[0] for t in tokens[c[1]:c[1] + 3]))
                and chosen[n - 1][3] in (0, 1, 2, 3)
                and any(w in qual for x in self._keys_of(chosen[n - 1][2], chosen[n - 1][3])
                        for qual in x.qualifiers for w in _BATTERY_WORDS))]
        # 「ビールの空き缶」: nouns joined by の right before an item say which one; they ask nothing else
        modifiers: set[int] = set()
        for a, _b, _k, _via in chosen:
            i = a
            while i >= 2 and tokens[i - 1][0] == "の" and tokens[i - 2][3] == "名詞" and i - 2 not in taken:
                modifiers |= {i - 1, i - 2}
                i -= 2
        # 「パイプベッド」「サッカーボール」 for the list's ベッド, ボール: katakana words side by side that no
        # key covers are one thing, of the kind its last word names (a compound's head); after the
        # names by their words (ゴルフバッグ: the list's ゴルフ用具(クラブ、バッグ))
        for a, b, head in self._compound_heads(tokens, taken, gaps):
            chosen = sorted(chosen + [(a, b, head, 6)])
            taken |= set(range(a, b))
        # things no key names that the lexicon files under a broader word the list has (のこぎり → 工具)
        broader = self._broader_spans(tokens, taken | modifiers, taken, gaps, text)
        # (and the death of one's own pet says what became of it: 「飼ってたハムスターが死んじゃった」 asks what to
        # do with it; 「道路で猫が死んでいます」 reports another matter)
        only_with = any(self.broader[k][2] is not None for _a, _b, k, _via in broader)  # (a group's `when`: a dead pet)
        died = (only_with and bool(_DEATH.search(text)) and bool(_OWN_PET.search(text))
                and not RULE.search(_DEATH.sub("", text)))
        if rule and only_with:
            rule = bool(RULE.search(_DEATH.sub("", text)))
        if broader:
            # (as between two keys, the last of 「XのY」 is the thing: 「水槽の砂利」 is the 砂利 — but not where X, named by
            # its own name, goes out as the broader word's things do: 「百科事典の全集」 is the 百科事典, of the 本)
            kind = {c[1] - 1: {self.items[x.item.uid].category for x in self._keys_of(c[2], c[3])}
                    for c in chosen if c[3] < 4 and self._strength(c) == 2}
            alike = {i for i, (a, _b, k, _via) in enumerate(broader) if a >= 2 and tokens[a - 1][0] == "の"
                     and kind.get(a - 2, set()) & {self.items[x.item.uid].category for x in self.broader[k][0]}}
            taken |= {j for i in alike for j in range(broader[i][0], broader[i][1])}  # (its word says no other thing)
            broader = [x for i, x in enumerate(broader) if i not in alike]
            of = {a - 2 for a, _b, _k, _via in broader if a >= 2 and tokens[a - 1][0] == "の"}
            chosen = sorted([c for c in chosen if c[1] - 1 not in of] + broader)
            for a, b, _k, _via in broader:
                taken |= set(range(a, b))
        chosen, composed = self._composed(chosen, tokens)
        taken |= composed
        # 「押し車（シルバーカー）」: a name of the list alone in parentheses right after a thing the lexicon files under a
        # broader word is that thing's name (not a container after what it holds: 「揚げ物の油（一斗缶）」)
        chosen = [c for c, d in zip(chosen, chosen[1:] + [None]) if not (
            d and c[3] == 4 and d[3] < 4 and d[0] == c[1] + 1 and tokens[c[1]][0] in _OPEN and d[1] < len(tokens)
            and tokens[d[1]][0] in _CLOSE and self._strength(d) == 2
            and not _CONTAINER_END.search("".join(t[0] for t in tokens[d[0]:d[1]])))]
        # a note in parentheses says something of the thing (its size, its age), not what is asked:
        # 「クリスマスツリー（高さ180センチくらい）は粗大ごみ？」
        aside, depth = set(), 0
        for i, t in enumerate(tokens):
            if t[0] in _OPEN:
                depth += 1
            if depth:
                aside.add(i)
            if t[0] in _CLOSE and depth:
                depth -= 1
        if depth:  # never closed: not a note
            aside = {i for i in aside if tokens[i][0] in _OPEN or tokens[i][0] in _CLOSE}
        # 「家庭用」「大人用」「エンジン式」 before or after the thing: which kind of it (the tokenizer
        # keeps 用意, 利用, 方式 whole)
        kinds = {j for i, t in enumerate(tokens) if t[0] in ("用", "式") and i > 0 and tokens[i - 1][3] == "名詞"
                 and i - 1 not in taken for j in (i - 1, i)}
        # (and a qualifier the list gives the thing, right before it: 石油|ストーブ for ストーブ(石油))
        kinds |= {a - 1 for a, _b, k, via in chosen if a and via in (0, 1, 2, 3) and a - 1 not in taken
                  and any(fold(tokens[a - 1][0]) in x.qualifiers for x in self._keys_of(k, via))}
        rest = "".join(t[0] for i, t in enumerate(tokens)
                       if i not in taken and i not in modifiers and i not in aside and i not in kinds)
        # (a verb in its past right before the thing says what became of it, it asks nothing else — and may
        # say it goes out: 「せん定した枝」「乗らなくなった原付」)
        described = {j for a, _b, _k, _via in chosen for j in _described_by(tokens, a, taken)}
        # what the message says besides the items (ごみ in ゴミ袋 asks nothing)
        # (something others threw away is no question how to: 「冷蔵庫が捨てられてます」)
        asked_rest = _DUMPED.sub("", rest)
        disposal = bool(DISPOSAL.search(asked_rest) or _PARTED.search(asked_rest)) or died
        strong = bool(STRONG_DISPOSAL.search(asked_rest)) or died
        residual = _MATERIAL_WORDS.sub("", _not_asked("".join(
            t[0] for i, t in enumerate(tokens) if i not in taken and i not in modifiers and i not in aside
            and i not in kinds and i not in described)))
        found: list[Found] = []
        only_categories = True
        weak: list[bool] = []
        spans: list[tuple[int, int]] = []  # each found thing's tokens
        unknown: list[str] = []  # things named by a name and a noun no key knows (盆提灯)
        for n, (a, b, k, via) in enumerate(chosen):
            words = "".join(t[0] for t in tokens[a:b])
            if via == 5:  # by the words of a name
                f = by_words[(a, b)]
                found.append(f)
                weak.append(False)
                spans.append((a, b))
                only_categories = False
                continue
            if via == 4:  # a もしかして: the list's items of the broader word, whichever the question says
                keys, heading, _when = self.broader[k]
                f = self._decide(keys, k, text)
                # (named as the thing, for the resident's reply and the staff's inbox: 「古いスマホ」 → スマホ)
                named_as = self._thing_words(words) if _HAS_KANA.search(words) else ""
                # (and the items of its other broader words after them: 年賀状 is a 雑がみ and a はがき)
                offered = list(dict.fromkeys(f.items + [x.item.uid for x in keys]))
                found.append(Found("suggest", named_as or words, offered[: self.CHOICES], broader=heading))
                weak.append(False)
                spans.append((a, b))
                only_categories = False
                continue
            keys = self._keys_of(k, via)
            if via and not _KANA_ONLY.match(words):
                # 傘 by its reading: the list's かさ, not another kanji of the same sound (笠)
                keys = [x for x in keys if _KATA.match(x.base) or x.base == fold(words)] or keys
            # (a category's word that is also an item's own name, or our word for one, is a thing: the list's
            # ペットボトル(飲料用), Yokohama's 飲料用のペットボトル)
            if (k not in self.category_keys and self.read(words) not in self.category_keys) or any(x.primary or x.synonym for x in keys):
                only_categories = False
            # which one (鉄の, プラスチックの) is said around this thing, between the things before and after
            # it: 「プラスチックのハンガーと金属のハンガー」 are two
            lo = chosen[n - 1][1] if n else 0
            hi = chosen[n + 1][0] if n + 1 < len(chosen) else len(tokens)
            f = self._decide(keys, k, "".join(t[0] for t in tokens[lo:hi]) if len(chosen) > 1 else text,
                             alone=len(chosen) == 1)
            if f and f.kind == "item" and _STILL_HOLDS.search(text):
                f = self._with_contents(f, k)
            if f and f.kind in ("item", "choices") and "割レタ" in _BROKE.sub("割レタ", fold(text)):
                f = self._broken_one(f)
            # (but a toy's or a model's noun is the toy: 「おもちゃの電車」 is an おもちゃ)
            head = _unknown_head(tokens, b, taken, gaps) if fold(words) not in _TOY_WORDS else ""
            if f and f.kind == "item" and _LIKE.match("".join(t[0] for t in tokens[b:b + 3])):
                # (a thing another is said to be like is only offered: 「ひもで羽根を上げ下げするカーテンみたいなやつ」
                # is a ブラインド, 「USBでつないでた箱みたいなやつ」 no box)
                f = Found("suggest", words, f.items)
            if f and head:
                # (a name before a noun no key knows is what that thing is of or for, not the thing: 盆|提灯,
                # ミシン|針 — offered only, the staff's inbox gets the whole)
                f = Found("suggest", words + head, f.items)
                words += head
                unknown.append(words)
            elif (f and f.kind in ("item", "choices") and not any(x.primary or x.synonym for x in keys)
                  and len({self.items[u].category for u in f.items}) > 1):
                # (a name's end said of another thing than the name's, where the names it ends go out otherwise:
                # 「コーキング材のチューブ」 is no 化粧品のチューブ — offered only, the staff's inbox gets the whole)
                of = _of_another(tokens, a, taken, gaps, [self.items[u].name for u in f.items])
                # (a word the list or the lexicon knows says more than that: カップラーメン|の|容器, ファブリーズ|の|ボトル)
                # (but a food says only what a package held, not which package it is: いちご|の|パック)
                known = (self.surface, self.by_reading) + (() if fold(of) in _foods() else (self.broader,))
                if of and not any(fold(of) in index or self.read(of) in index for index in known):
                    words = of + "の" + words
                    f = Found("suggest", words, f.items)
                    unknown.append(words)
            if f:
                f.text = words
                found.append(f)
                weak.append(self._end_only(chosen[n], tokens))
                spans.append((a, b))
        # 「ペットボトルのキャップとラベルって何ごみ？本体は資源だよね」: a main unit said on its own, after a part the
        # list names as a thing's (ペットボトルのキャップ), is that thing
        unit = next((i for i, t in enumerate(tokens) if fold(t[0]) in _MAIN_UNIT and i not in taken
                     and (i == 0 or i - 1 not in taken)), None)
        whole = self._whole_of(found[0], question) if unit is not None and found else None
        if whole and not any(set(whole.items) & set(f.items) for f in found):
            found.append(whole)
            weak.append(False)
            spans.append((unit, unit + 1))
        # 「物置から灯油が出てきた」「車から外したカーナビ」: a thing another came out of is where, not what
        # (and what holds another, said as where it is: 「灰皿にたまった吸い殻」「バケツに入れたままの花火」)
        # (and what one was sorting out when the other turned up: 「裁縫箱の整理してたら古い針が大量に出てきた」)
        # (and where another is kept, said before it, of a message that asks how things go out: 「物置に石油コンロがまだ
        # ございまして」「物置に古い扇風機があります。捨てたい」 — not 「公園の砂場に猫のフンがいっぱいある」)
        source = [b < len(tokens) and tokens[b][3] == "助詞" and (
            tokens[b][0] == "から" or (tokens[b][0] == "に" and b + 1 < len(tokens) and tokens[b + 1][0].startswith(_HELD_IN + _PUT_ON))
            or (tokens[b][0] == "に" and disposal and any(
                c > b and not any(b <= i < c for i in stops) and _KEPT.match(_said_after(tokens, d, 4, marks)) for c, d in spans)))
            for _a, b in spans]
        sorted_out = [b + 1 < len(tokens) and tokens[b][0] in ("の", "を") and tokens[b + 1][0] in _SORTING_OUT
                      and _WHILE_SORTING.match("".join(t[0] for t in tokens[b + 2:b + 6])) is not None for _a, b in spans]
        if any(sorted_out) and not all(sorted_out):  # (beside the thing that turned up only)
            found, spans, weak = ([x for x, w in zip(xs, sorted_out) if not w] for xs in (found, spans, weak))
            source = [w for w, o in zip(source, sorted_out) if not o]
        if any(source) and not all(source):
            found, spans, weak = ([x for x, w in zip(xs, source) if not w] for xs in (found, spans, weak))
        elif source and all(source) and _CAME_OUT.search(text):
            # (only where it came out of: what came out is not a thing of the list — 「物置から古い殺虫剤の
            # スプレーが出てきました」 is not about the 物置)
            found, spans, weak = [], [], []
        # 「スマホで見られるやつ」「パソコンで申し込める？」: a thing one does something with is the means, not the thing
        means = [b + 1 < len(tokens) and tokens[b][0] == "で" and bool(_MEANS.match("".join(t[0] for t in tokens[b + 1:b + 3])))
                 for _a, b in spans]
        # (before a thing named only by a name's end is dropped beside it: the 皿 of 「割れた皿は新聞紙でくるんで」)
        if any(means):
            found, spans, weak = ([x for x, w in zip(xs, means) if not w] for xs in (found, spans, weak))
        # (where it came out of first: what came out may be named by a name's end only, 「…古い針が」 of 縫い針)
        if found and not all(weak):  # a thing named only by a name's end is noise beside one named by a name
            found, spans = [f for f, w in zip(found, weak) if not w], [p for p, w in zip(spans, weak) if not w]
        # (a word of how a thing is typed in kana before another thing, a name of the list too: the ふるい (篩) of
        # 「ふるい しるばーかーを すてたい」 is 古い)
        how = [_KANA_HOW.fullmatch(f.text or "") is not None and any(c > a for c, _d in spans)
               for f, (a, _b) in zip(found, spans)]
        if any(how) and not all(how):
            found, spans = [f for f, w in zip(found, how) if not w], [p for p, w in zip(spans, how) if not w]
        if len(found) > 1:  # the thing asked about first
            ranks = [_focus(tokens, a, b, spans[n - 1][1] if n else 0, gaps,
                            min((c for c, _d in spans if c >= b), default=None)) for n, (a, b) in enumerate(spans)]
            if foreign and _mostly_latin(_PARENS.sub("", question)):
                # (in another language, the Japanese name in parentheses is the thing: «kaleng gas (カセットボンベ)»)
                ranks = [(not set(range(a, b)) <= aside, r) for (a, b), r in zip(spans, ranks)]
            found = [f for _, f in sorted(zip(ranks, found), key=lambda x: x[0])]
            found = [f for f in found if f is not whole] + [f for f in found if f is whole]  # (after its parts)
        if found:
            # a thing named by its own name (not only by a name's end) with how to get it ready to go
            # out, or with words of the ごみ around it: 「スプレー缶は穴をあけたほうがいい？」
            named = not only_categories and any(not self._weakest(c) for c in chosen)
            ready = named and (bool(_READY.search(rest)) or (bool(_GOMI_WORDS.search(rest)) and len(residual) <= 14))
            # (a compound's head alone is no question: 「ローリングストックとは」; offered, the FAQ decides)
            alone = len(residual) <= 1 and not all(c[3] == 6 for c in chosen)
            # (a thing the resident wants to get, 「パンフレットはどこでもらえますか」「…パンフレットはありますか」, is no
            # thing to throw out)
            wanted = bool(_GET_IT.search(text)) or any(_HAS_IT.match(_said_after(tokens, b, 5, marks)) for _a, b in spans)
            # (a death the only rule's word, a thing named by its name asked about however weakly is the item
            # question too, with the FAQ's answer beside it: 「亡くなった母の入れ歯はどうすればよいでしょうか」)
            mourned = rule and named and disposal and not RULE.search(_DEATH.sub("", text))
            # (a rule asked in a sentence of its own, the things in another that asks how they go out: 「…火葬を
            # お願いしたいのですが、市で受け付けているでしょうか。残ったケージやペットシーツもどうしたらよいか教えてください」
            # asks both — the FAQ's answer beside the things')
            apart = rule and named and not other_matter and _asked_apart(tokens, spans, stops, taken)
            item_question = ((strong or apart or (disposal and len(residual) <= 6) or alone or ready)
                             and not (rule and (only_categories or not (strong or mourned or apart))) and not wanted)
            if not item_question:
                # (a thing the list names by a broader word too: 「DIYで出た木材の端材」)
                # (and one named only by a list's name's end, the word alone among a few of how it is: 「白いトレー
                # スーパーの」 for the list's 食品トレイ — not beside a rule, nor said of another thing: the エンジン
                # オイル of 「ハーバリウムのオイル」)
                tail = (not rule and not only_categories and len(residual) <= 8
                        and all(c[3] == 3 and not (c[0] >= 2 and tokens[c[0] - 1][0] == "の") for c in chosen))
                offer = (named or tail or any(f.broader for f in found)) and not other_matter
                # (what others threw away is a matter to report: 「タイヤがたくさん捨てられてるのを見ました」)
                of_matter = wanted or bool(_DUMPED.search(text) or _NOT_THROWN.search(text)) or any(
                    _of_matter(tokens, a, b, taken, len(found), marks) for a, b in spans)
                # (a death the only rule's word, beside a thing named by its name, says whose the thing was: the FAQ
                # settles it as it settles any thing named without asking — 「車いす　祖母が亡くなったので」)
                mourned = rule and named and not RULE.search(_DEATH.sub("", text))
                return Match(False, rule and not mourned, maybe=self._dedupe(found) if offer else [], besides=len(residual),
                             of_matter=of_matter, says_out=disposal, foreign=foreign, asks=bool(_ASKS.search(text)),
                             # (not of a material's things, a category's day: «Which day is for plastics?»)
                             day=bool(_DAY_ASKED.search(text)) and not all(
                                 _is_material(re.sub(r"(製品|類)$", "", f.text)) for f in found))
            # a thing taken by a broader word is one the list lacks by its own name: for the staff's inbox
            missing = next((f.text for f in found if f.broader), "") or next(iter(unknown), "")
            return Match(True, rule, self._dedupe(found), missing=missing)
        # nothing found as written: a forgiving match on the reading, for questions that ask
        if rule or not (disposal or len(residual) <= 6):
            # (a katakana word one kana off a name, among other words: 「カセットコンロロ 古いの」「ホットカーペト　3畳用」)
            slip = None if rule or other_matter or foreign else self._slip(tokens)
            if slip:
                left = len(_MATERIAL_WORDS.sub("", _not_asked(rest.replace(slip.text, "", 1))))
                if disposal or left <= 6:
                    return Match(True, rule, [slip])
                return Match(False, rule, maybe=[slip], besides=left, says_out=disposal, asks=bool(_ASKS.search(text)))
            return Match(False, rule, unlisted="" if rule or other_matter or foreign else self._name_alone(tokens))
        # — not for a message of verbs, interjections and adverbs only (「ちがうちがう」「こんばんは」), and
        # with kanji only for a name but for a letter (冷蔵子, 電子レンンジ): a kanji word only like a name
        # is the word its writer chose (失礼 is not 敷石)
        asked = _not_asked(text)
        loose = (self._loose(asked, max_edits=1 if _HAS_KANJI.search(asked) else None)
                 if any(t[3] not in _NAMES_NOTHING for t in tokens) else None)
        if loose:  # a もしかして: the list may well lack it (staff see the name in the inbox)
            return Match(True, rule, [loose], missing=self._missing(text) if loose.kind == "suggest" else "")
        missing = self._missing(text)
        # a thing no key names, said to be of a material the list has a row for (「金属類（その他）」「その他の
        # プラスチック製品」): that row, as a もしかして (「ドラムのシンバル割れた。金属だから資源ごみ？」)
        made = _MATERIAL_NAMED.search(text)
        rows = self.of_material.get(_MATERIAL_OF[fold(made.group(0))], []) if made else []
        if rows and not other_matter and not _GET_IT.search(text):  # (「紙のものはもらえますか」: a thing to get)
            return Match(True, rule, [Found("suggest", missing or made.group(0), rows[: self.CHOICES],
                                            broader=_MATERIAL_OF[fold(made.group(0))])], missing=missing)
        return Match(False, rule, missing=missing,
                     unlisted="" if missing or rule or other_matter or foreign else self._name_alone(tokens))

    def _broken_one(self, f: Found) -> Found:
        """A container of a named kind said broken (「ジャムのびんを落として割った」) is the list's row for broken ones of
        that container (割れたびん, びん(割れたもの)) where the list has one, before the named row."""
        it = self.items[f.items[0]]
        name = _PARENS.sub("", unicodedata.normalize("NFKC", it.name))
        held = _held_in(name)
        if "割れ" in it.name:
            return f
        if not held:
            # (a thing of glass or china said broken, 「お皿が割れた」: the list's one row for broken glass and china —
            # of the rows offered, one of those; or the thing as it was)
            china = [u for u in f.items if _GLASS_OR_CHINA.search(unicodedata.normalize("NFKC", self.items[u].name))]
            rows = self.broken.get("陶磁器", [])
            return Found("item", f.text, rows[:1] + f.items) if china and len(rows) == 1 else f
        if f.kind != "item":
            return f
        rows = self.broken.get(_CONTAINER_KIND[held.group(2)], [])
        return Found("item", f.text, rows[:1] + f.items) if len(rows) == 1 else f

    def _strength(self, chosen) -> int:
        """How strongly a key found names its items: 2 by a name, 1 by another word (a synonym, a
        part of 「グラス・コップ」), 0 only by their ends or parentheses."""
        _a, _b, k, via = chosen
        if via == 4:  # a broader word: weaker than any key of the list
            return 0
        if via in (5, 6):  # by the words of a name, or a compound's head
            return 1
        keys = self._keys_of(k, via)
        return max((2 if x.primary else 0 if x.tail else 1) for x in keys) if keys else 0

    def _container_of(self, chosen, tokens) -> list:
        """「サラダ油のボトル」: a container after a thing whose row's name, with that container, is a row of the list
        (天ぷら油、食用油 → 食用油のボトル) is that row."""
        out, i = [], 0
        while i < len(chosen):
            c = chosen[i]
            d = chosen[i + 1] if i + 1 < len(chosen) else None
            if (d and c[3] < 4 and d[0] == c[1] + 1 and tokens[c[1]][0] == "の"
                    and _CONTAINER.match(held := "".join(t[0] for t in tokens[d[0]:d[1]]))):
                names = {fold(p) for x in self._keys_of(c[2], c[3])
                         for p in _DOT_SPLIT.split(_ALIAS_SPLIT.sub("・", _PARENS.sub("", x.item.name))) if p}
                hits = [k for k in (n + "ノ" + fold(held) for n in sorted(names))
                        if any(x.primary for x in self.surface.get(k, ()))]
                if hits:
                    out.append((c[0], d[1], hits[0], 0))
                    i += 2
                    continue
            out.append(c)
            i += 1
        return out

    def _peeled(self, chosen, tokens) -> list:
        """The chosen spans with a part said to come off (_PEELED, then a verb of taking it off) read as the thing
        it comes off: 「XのP」 as X and then P where X is a name of the list, a P alone dropped beside another thing."""
        after = [_PEELED_AFTER.sub("", "".join(t[0] for t in tokens[c[1]:c[1] + 8])) for c in chosen]
        off = [bool(_PEEL_OFF.match(x)) for x in after]
        if not any(off):
            return chosen
        out = []
        for c, taken_off, said in zip(chosen, off, after):
            a, b = c[0], c[1]
            # (any part said to be still on: 「カーテン　フックついたまま」 asks of the カーテン)
            if not (taken_off and (_PEELED.fullmatch(tokens[b - 1][0]) or (b - a >= 2 and _STILL_ON.match(said)))):
                out.append(c)
                continue
            # (the tokens before the part, and the の between: ペットボトル|の|ラベル → ペットボトル)
            end = b - 1 if b - 1 > a and tokens[b - 2][0] != "の" else b - 2
            whole = fold("".join(t[0] for t in tokens[a:end]))
            if end > a and any(x.primary or x.synonym for x in self.surface.get(whole, ())):
                out += [(a, end, whole, 0), c]  # (the thing first, and the part too: both may be asked of)
            elif len(chosen) == 1 or end > a or (out and a - out[-1][1] == 1 and tokens[a - 1][0] in ("と", "や", "、")
                                                 and _PEELED.fullmatch(tokens[a - 2][0])):
                out.append(c)  # (a part listed after another part of the thing: ペットボトルのキャップと|ラベル)
        return out or chosen

    def _kind_said(self, c, chosen, tokens) -> bool:
        """Things in parentheses right after c name rows of the list filed under c's kind (_named_inside)."""
        if c[3] >= 4 or c[1] >= len(tokens) or tokens[c[1]][0] not in _OPEN:
            return False
        close = next((i for i in range(c[1] + 1, len(tokens)) if tokens[i][0] in _CLOSE), None)
        if close is None:
            return False
        rows = {x.item.uid for x in self._keys_of(c[2], c[3])} & self.inside.keys()
        return any(x.item.uid in rows for d in chosen if c[1] < d[0] and d[1] <= close and d[3] < 4
                   for x in self._keys_of(d[2], d[3]))

    def _lists_kind(self, chosen, word: str) -> bool:
        """Whether the name a chosen span found lists the (folded) word as one of its kinds in parentheses
        (雪かき(スコップ・スノーダンプ) for スコップ)."""
        return chosen[3] < 4 and any(x.primary and word in {fold(n) for n in _kinds(x.item.name)}
                                     for x in self._keys_of(chosen[2], chosen[3]))

    def _whole_of(self, part: Found, question: str) -> Found | None:
        """The list's row of the thing a part's row is named of (ペットボトル of ペットボトルのキャップ), decided by the
        question; None where the part's name is of no thing the list names."""
        name = _PARENS.sub("", unicodedata.normalize("NFKC", self.items[part.items[0]].name))
        of = re.match(r"^(.{2,}?)の", name)
        keys = [x for x in self.surface.get(fold(of.group(1)), ()) if x.primary] if of else []
        found = self._decide(keys, fold(of.group(1)), question) if keys else None
        if found:
            found.text = of.group(1)
        return found

    def _keys_of(self, k: str, via: int) -> list:
        """The keys a chosen span was found by (via 0–3; 6, a compound's head, by its letters)."""
        return (self.surface, self.by_reading, self.unvoiced, self.tails, None, None, self.surface)[via][k]

    def _composed(self, chosen, tokens) -> tuple[list, set[int]]:
        """A word said before a thing of one word, apart from it (not across a sentence's end or a parenthesis), that
        with the thing's name is a name of the list's other row: 「スキー板とブーツ」 (スキーブーツ), 「電気の入る毛布」 (電気毛布)
        — that row; and the tokens of the word, where no other thing has them."""
        out, used = [], set()
        spans = {i for c in chosen for i in range(c[0], c[1])}
        for c in chosen:
            a, b, k, via = c
            # (a thing of one word: one of two words, ガス|ボンベ, says its kind already)
            if via not in (0, 1, 2, 3) or b - a != 1:
                out.append(c)
                continue
            items = {x.item.uid for x in self._keys_of(k, via)}
            end = fold(tokens[a][0])
            best = None
            for i in range(a - 1, max(-1, a - 7), -1):
                t = tokens[i]
                if t[0] in _SENTENCE_MARKS or t[0] in _OPEN or t[0] in _CLOSE:
                    break
                if t[3] != "名詞" or len(t[0]) < 2 or not (_HAS_KANJI.search(t[0]) or _KATA.match(t[0])) or _is_material(t[0]):
                    continue
                key = fold(t[0]) + end
                if any(x.primary and x.item.uid not in items for x in self.surface.get(key, ())):
                    best = (key, i, 0)
                    break
                # (or by its reading, voicing apart: 「釣りやめたけん竿ば」 for the list's 釣りざお)
                said = unvoiced(t[2] + tokens[a][2])  # (the tokens' own readings: no tokenizer on a message)
                if len(said) >= 4 and any(x.primary and x.item.uid not in items for x in self.unvoiced.get(said, ())):
                    best = (said, i, 2)
                    break
            if best:
                out.append((a, b, best[0], best[2]))
                if best[1] not in spans:
                    used.add(best[1])
            else:
                out.append(c)
        return out, used

    def _by_what_it_does(self, tokens, gaps: set[int]) -> list:
        """A thing said by what it does to what, where the list names it so: 「血圧をはかる器械」 血圧計, 「毛玉をとる
        機械」 毛玉取り器, 「爪を切るやつ」 爪切り, 「お湯をわかすの」 湯沸かし器 — by reading (the verb's stem, 器 / 機 after it)."""
        out = []
        for i, t in enumerate(tokens):
            if t[3] != "動詞" or i == 0 or not t[2] or t[2][-1] not in _U_TO_I:
                continue
            j = i - 2 if tokens[i - 1][0] in ("を", "ヲ") else i - 1  # (with を or without: 「お餅つく」)
            if j < 0 or tokens[j][3] != "名詞" or (j == i - 1 and i - 1 in gaps) or not _HAS_KANJI.search(tokens[j][0]):
                continue
            verb = t[2]
            # (what measures a thing is its 計: 血圧計, 体重計)
            made = (["ケイ"] if verb == "ハカル" else []) + [
                stem + end for stem in [verb[:-1] + _U_TO_I[verb[-1]]] + ([verb[:-1]] if verb[-1] == "ル" else [])
                for end in ("", "キ")]
            rk = next((r for end in made if (r := tokens[j][2] + end) in self.by_reading
                       and any(x.primary for x in self.by_reading[r])), None)
            if rk:  # (and the word for a thing after it, which names no other: 器械, やつ)
                b = i + 2 if i + 1 < len(tokens) and tokens[i + 1][0] in _DOER else i + 1
                out.append((j, b, rk, len(rk), 1))
        return out

    def _head_of_another(self, tokens, a: int, k: str, keys: list[Key], gaps: set[int]) -> bool:
        """A key that is only the head of the list's 「XのY」 (the パック of 卵のパック), at the end of a compound
        of another X: 「電池パック」 is no 卵のパック (as a name's end is only the whole word)."""
        # (a thing's word before it, not a state or a letter code: 空|ケース is an empty one, UV|ライト a kind)
        if a == 0 or a - 1 in gaps or tokens[a - 1][3] != "名詞" or len(tokens[a - 1][0]) < 2 or tokens[a - 1][0].isascii():
            return False
        before = fold(tokens[a - 1][0])
        return bool(keys) and all(
            not (x.primary or x.synonym or x.tail) and "ノ" + x.base in (name := fold(_PARENS.sub("", x.item.name)))
            and before + "ノ" + x.base not in name for x in keys)

    def _head_of_compound(self, c, tokens, taken: set[int], gaps: set[int]):
        """The chosen key `c`, or — where katakana nouns no key covers follow it in one word and the last is a
        name of the list — that run with its head (`taken` grows by it)."""
        a, b, _k, via = c
        if via not in (0, 1) or b - 1 in gaps or not all(t[3] == "名詞" and _KATA.match(t[0]) for t in tokens[a:b]):
            return c
        j = b
        while j < len(tokens) and j not in taken and tokens[j][3] == "名詞" and _KATA.match(tokens[j][0]):
            j += 1
            if j - 1 in gaps:
                break
        head = fold(tokens[j - 1][0]) if j > b else ""
        if len(head) < 2 or not any(x.primary for x in self.surface.get(head, ())):
            return c
        taken |= set(range(b, j))
        return (a, j, head, 0)

    def _compound_heads(self, tokens, taken: set[int], gaps: set[int]) -> list[tuple[int, int, str]]:
        """(first, last + 1, head) of each run of katakana nouns no key covers whose last is a name
        of the list."""
        out, i = [], 0
        while i < len(tokens):
            j = i
            while j < len(tokens) and j not in taken and tokens[j][3] == "名詞" and _KATA.match(tokens[j][0]):
                j += 1
                if j - 1 in gaps:  # (a space or a mark ends the word)
                    break
            if j - i >= 2:
                head = fold(tokens[j - 1][0])
                if len(head) >= 2 and any(x.primary for x in self.surface.get(head, ())):
                    out.append((i, j, head))
            i = max(j, i + 1)
        return out

    def _broader_spans(self, tokens, busy: set[int], taken: set[int], gaps: set[int], text: str) -> list:
        """(first token, last token + 1, key, 4) of the lexicon's things found on tokens no key
        covers, longest first: by letters or reading, as a word of its own — no noun glued before or
        after it (ペン|立て, 電動|のこぎり: another thing), not a part of an item found (the キャップ
        of 「ペットボトルのキャップ」), not what another thing is of (the 金魚 of 「金魚の水槽」); typed
        in kana, with a particle, a mark or other letters on both sides (じてん|し|や is not 辞典); beside
        an item found, only listed with it (「のこぎりとフライパン」, not the 骨 of 「骨が金属の傘」);
        a group with `when` (a live animal is not a dead one) only with those words in the question."""
        if not self.broader:
            return []
        listing = ("と", "や", "とか", "か", "に", "、")
        cands = [c for c in self._spans(tokens, 1, self.broader, 3, self.broader_len)
                 if not _KATA.match(c[2]) or self._reading_ok(tokens, c[0], c[1], c[3], kana_key=True, gaps=gaps)]
        # (by reading, not a kanji word for another of its sound: 量 is no 梁, 交換 no 鋼管 — the lexicon's
        # things are found by their letters)
        cands += [c for c in self._spans(tokens, 2, self.broader, 4, self.broader_len)
                  if self._reading_ok(tokens, c[0], c[1], c[3], gaps=gaps)
                  and not any(_HAS_KANJI.search(t[0]) for t in tokens[c[0]:c[1]])]
        cands = [c for c in cands if not _inside_latin(tokens, c[0], c[1], gaps)]
        cands.sort(key=lambda c: (-c[3], c[0]))
        out = []
        busy = set(busy)
        for a, b, k, _n in cands:
            span = set(range(a, b))
            if busy & span:
                continue
            before, after = _neighbours(tokens, a, b, gaps)
            if before is not None and before[3] == "名詞" and before[0] not in ("ごみ", "ゴミ"):
                continue
            # (not a part or the waste of a thing found before it: the 端材 of 「石膏ボードの端材」)
            if (before is not None and before[0] == "の" and a - 2 in taken
                    and _PART_OR_WASTE.match("".join(t[0] for t in tokens[a:b]))):
                continue
            # (a word of how much, cut in two: スイカ|丸|ごと)
            if after is not None and after[3] in ("名詞", "接尾辞") and not _AFTER_THING.match(after[0]) \
                    and not _AFTER_THING.fullmatch("".join(t[0] for t in tokens[b:b + 2])):
                continue
            if (after is not None and after[0] == "の" and b + 1 < len(tokens) and tokens[b + 1][3] == "名詞"
                    and not _AFTER_THING.match(tokens[b + 1][0])):
                continue
            # (a katakana word beside hiragana is a word of its own: 飼ってた|ハムスター)
            script = _script("".join(t[0] for t in tokens[a:b]))
            if all(_KANA_ONLY.match(t[0]) for t in tokens[a:b]) and not (
                    (before is None or not _KANA_ONLY.match(before[0]) or before[3] == "助詞"
                     or _script(before[0]) != script
                     # (or the た of a verb before it: 出た|おがくず)
                     or (before[3] == "助動詞" and a >= 2 and tokens[a - 2][3] == "動詞"))
                    and (after is None or not _KANA_ONLY.match(after[0]) or after[3] in ("助詞", "助動詞")
                         or _script(after[0]) != script
                         or bool(STRONG_DISPOSAL.match(after[0])))):
                continue
            listed = ((before is None and a > 0) or (after is None and b < len(tokens))  # a space or mark
                      or (before is not None and before[0] in listing + ("の",))  # (水槽|の|砂利: the 砂利)
                      or (after is not None and after[0] in listing))
            if taken and not listed:
                continue
            when = self.broader[k][2]
            if when is not None and not when.search(text):
                continue
            busy |= span
            out.append((a, b, k, 4))
        return out

    def _weakest(self, chosen) -> bool:
        return self._strength(chosen) == 0

    def _end_only(self, chosen, tokens) -> bool:
        """Found only by a name's end — not one kanji the list names as a part, said as a word of its own
        (植木鉢の|土 for 「石・砂・土」)."""
        a, b, k, via = chosen
        if (b - a == 1 and _KANJI1.match(tokens[a][0])
                        and any(x.base == k and _dot_part(x) for x in self._keys_of(k, via))):
            return False
        return self._weakest(chosen)

    def _missing(self, text: str) -> str:
        """The thing named before the words that ask how to throw it away, when it is a name:
        not a category of the list (燃えるごみ), not a pronoun, not a rule."""
        ask = STRONG_DISPOSAL.search(text) or _KIND_ASKED.search(text)
        if not ask:
            return ""
        # (「首輪、もう使わないので」: how the thing is no longer used is said of it, not a rule's word)
        name = _MISSING_TAIL.sub("", _NO_MORE_SAID.sub("", text[: ask.start()]))
        name = _MISSING_HEAD.sub("", name).strip(" 　、,。")
        if DISPOSAL.search(name) or RULE.search(name):  # (a rule's or the garbage's words, not a thing's)
            return ""
        # (in Japanese only, not a word cut out of a sentence in Latin letters)
        words = self._thing_words(name) if _HAS_KANA.search(name) else ""
        if words and not (_LATIN_START.search(words) and words != name):
            name = words
        # (the words of a name are of the phrase checked above: no rule's or garbage's word in them either)
        if not 2 <= len(name) <= 30 or _NOT_A_NAME.match(name):
            return ""
        if fold(name) in self.category_keys or self.read(name) in self.category_keys:
            return ""
        return name

    def _slip(self, tokens) -> Found | None:
        """A katakana word no key and no dictionary knows, one kana off a name of the list (typed with a kana
        too many, too few, another or two swapped): that name, as the forgiving match finds it (not キャンセル, a
        word of its own one kana off キャンドル)."""
        for t in tokens:
            if (t[3] == "名詞" and _KATA.match(t[1]) and len(t[1]) >= 5 and t[1] not in self.by_reading
                    and not any(w.feature.lemma for w in TAGGERS(t[0]))):
                f = self._loose(t[0], max_edits=1)
                if f:
                    return f
        return None

    def _name_alone(self, tokens) -> str:
        """The message as a thing's name, when it is nothing else: nouns (joined by の), what is said
        before them (古い, この) and marks — 「全自動麻雀卓」, 「古いインクカートリッジ」 → インクカートリッジ; not a category of the list
        nor a pronoun. "" otherwise."""
        if not tokens or any(t[3] in ("動詞", "助動詞") or (t[3] == "助詞" and t[0] != "の") for t in tokens):
            return ""
        if tokens[-1][3] not in _NOUNISH or any(t[3] not in (*_NOUNISH, "形容詞", "連体詞", "助詞") for t in tokens):
            return ""
        name = self._thing_words("".join(t[0] for t in tokens))
        if not 2 <= len(name) <= 20 or _NOT_A_NAME.match(name) or _LATIN_START.match(name):
            return ""
        return "" if fold(name) in self.category_keys or self.read(name) in self.category_keys else name

    def _thing_words(self, text: str) -> str:
        """The name of the thing in what a resident wrote before asking how it goes out, for the
        staff's inbox (an item or 別名 added in one click): the nouns the message ends on, past what
        it says of them — 「イヤホン断線した🎧」 → イヤホン, 「盆提灯が古くなったので」 → 盆提灯,
        「介護で使ってたポータブルトイレ（プラスチック）もう」 → ポータブルトイレ(プラスチック); a noun a
        place or a means (神社に, 釣りで) is not the thing. "" when no such nouns, or only one letter."""
        tokens = self._tokens(text)
        end = len(tokens)
        while end and (tokens[end - 1][3] not in _NOUNISH or tokens[end - 1][0] in _FORMAL_NOUNS) \
                and tokens[end - 1][0] not in _CLOSE and not _KATA.match(tokens[end - 1][0]):
            end -= 1
        if not end:
            return ""
        # (a noun done to, 「断線した」「剪定した」: what happened to the thing, not the thing)
        if end < len(tokens) and tokens[end][3] == "動詞" and tokens[end][0] in ("し", "する", "して", "した", "しちゃっ"):
            if end >= 2 and tokens[end - 2][3] in _NOUNISH:
                end -= 1
        start, depth = end, 0
        while start:
            t = tokens[start - 1]
            if t[0] in _CLOSE:
                depth += 1
            elif t[0] in _OPEN and depth:
                depth -= 1
            elif not depth and not (t[3] in _NOUNISH and t[0] not in _FORMAL_NOUNS) and not _KATA.match(t[0]) and not (
                    t[0] in ("の", "・") and start >= 2 and tokens[start - 2][3] in _NOUNISH):
                break
            start -= 1
        if depth or (end < len(tokens) and tokens[end][0] in ("に", "で", "から", "へ", "より")):
            return ""
        # (an の taken after a word that then ended it, a formal noun: 「寝るときの頭の下のやつ」 is no 「の頭の…」)
        while start < end and tokens[start][0] in ("の", "・"):
            start += 1
        name = "".join(t[0] for t in tokens[start:end])
        return name if len(name) >= 2 else ""

    @staticmethod
    def _reading_ok(tokens, a: int, b: int, n: int, kana_key: bool = True, gaps: set[int] | frozenset = frozenset()) -> bool:
        """A key found by its reading only. A short one (three kana or fewer) never inside a
        verb, adjective or auxiliary (古い is not ふるい, したい is not 死体) nor in the middle of
        a longer kana word (そうじっき is not 漆器), and one of one or two kana only as a word of
        its own (傘, かさ; 物 in 資源物 is not ブーツ)."""
        covered = tokens[a:b]
        if len(covered) > 1 and covered[-1][0] in ("は", "を", "が", "も", "と", "や", "に", "で", "の") \
                and covered[-1][3] == "助詞" and _KATA.match(covered[-2][0]):
            return False  # a katakana word and the particle after it: タオル|は is not タオルバー, ガラス|と no ガラス戸
        if n > 3:
            return True
        if len(covered) == 1 and (covered[0][3] in ("感動詞", "副詞", "接続詞", "代名詞") or covered[0][0] in _FORMAL_NOUNS):
            return False  # はい is yes, not 灰; そう is no 箏; ようなこと is no コート (and a word cut out of kana, とー|すた|ー, may be anything)
        kana = all(_KANA_ONLY.match(t[0]) for t in covered)
        # (a word after a space or a mark is another word: 「ふとん どうやってすてる」「かさ なにごみ」)
        before, after = _neighbours(tokens, a, b, gaps)
        if covered[0][3] == "助詞" and before is not None and before[3] in _INFLECTING:
            return False  # the particle of a verb before it: 洗っ|て|プラ is no テプラ
        # (an auxiliary is none: the カッタ of なかっ|た)
        alone = (kana and not any(t[3] == "助動詞" for t in covered) and (before is None or not _KANA_ONLY.match(before[0]))
                 and (after is None or not _KANA_ONLY.match(after[0]) or after[3] == "助詞"
                      or bool(STRONG_DISPOSAL.match(after[0]))))  # ふるぎ|すてたい
        # (not a verb with its auxiliary: したい in 処分したい is not 死体)
        verb = covered[0][3] == "動詞" and any(t[3] == "助動詞" for t in covered[1:])
        # (nor a noun's の and what follows it: the の|と of 「紙のと鉱物のと」 is no ノート)
        of_noun = covered[0][0] == "の" and before is not None and before[3] in _NOUNISH
        if alone and not verb and not of_noun and (n >= 3 or (n == 2 and not (len(covered) == 1 and covered[0][3] in ("助詞", "助動詞")))):
            return True  # a word typed in kana on its own (べっど, みしん), however the tokenizer cut it
        if any(t[3] in _INFLECTING or t[3] in ("助詞", "形状詞") for t in covered):  # (好き is not スキー)
            return False
        if n <= 2 and not kana and not kana_key:
            return False  # a kanji word for another kanji word of the same sound (足 / 葦)
        for t in (before, after):
            if t is None:
                continue
            # (an adjective before it says how it is: ふるい|ふとん)
            if kana and _KANA_ONLY.match(t[0]) and t[3] not in ("助詞", "助動詞", "動詞", "連体詞") and \
                    not (t is before and t[3] == "形容詞") and \
                    _script(t[0]) == _script("".join(c[0] for c in covered)):
                return False  # (a katakana word next to hiragana is a word of its own: テレビ|どう)
            # (a count after it says how many of it: 「ドア1枚」「イス2脚」)
            if n <= 2 and t[3] in _NOUNISH and t[0] not in ("何", "なに", "なん", "ごみ", "ゴミ") \
                    and not (t is after and _DIGITS.match(t[0])):
                return False
        return n >= 2

    @staticmethod
    def _dedupe(found: list[Found]) -> list[Found]:
        seen, out = set(), []
        for f in found:
            if tuple(f.items) not in seen:
                seen.add(tuple(f.items))
                out.append(f)
        return out

    def _decide(self, keys: list[Key], k: str, question: str, alone: bool = False) -> Found | None:
        """The found of a thing by its keys, the question (or the part of it around the thing) saying which
        row; alone: the only thing the message names, whose materials all it says are its own."""
        primary = [x for x in keys if x.primary] or [x for x in keys if not x.tail] or keys
        uids = list(dict.fromkeys(x.item.uid for x in primary))
        folded = fold(question)
        q = _NEGATED.sub("", folded)  # (「紙じゃない方」 says no 紙)
        # (and is none of the rows of that kind, where others are left: 「車椅子です電動ではありません」)
        negated = " ".join(m.group(1) for m in _NEGATED.finditer(folded))
        if negated and len(uids) > 1:
            kept = [x for x in primary if not self._qualifier_score(x.qualifiers, negated)]
            if kept and len(kept) < len(primary):
                primary, uids = kept, list(dict.fromkeys(x.item.uid for x in kept))
        q = _BROKE.sub("割レタ", q)  # (「窓ガラス割っちゃった」 says the state of the list's 窓ガラス(割れたもの))
        if len(uids) == 1:
            # the list's only X is of a kind the question does not say (布団(座布団)), and it has other
            # names ending in X that go out otherwise (掛け布団, 敷き布団): which one, for 「ふとん捨てる」
            only = self.items[uids[0]]
            plain = fold(_PARENS.sub("", unicodedata.normalize("NFKC", only.name)))
            # (a word of ours only as the name in other letters: ふとん for 布団, not ボンベ for ガスボンベ)
            spelt = primary[0].synonym and self.read(plain) == primary[0].base
            if (all(x.qualifiers for x in primary) and (primary[0].primary or spelt)
                    and not any(self._qualifier_score(x.qualifiers, q) for x in primary)):
                said = _MATERIAL_NAMED.search(question)
                # (not two kana inside another word: the かみ of かみさま)
                if said and _KANA_ONLY.match(said.group(0)) and len(said.group(0)) <= 2:
                    said = None
                if said and all(any(_is_material(qual) for qual in x.qualifiers) for x in primary):
                    # the question says another material than the list's only X is of (「発泡スチロールの箱」 for
                    # 箱(木製)): the items of its broader word or the list's row of that material, offered
                    other = self._by_material(k, q)
                    if other:
                        return other
                    rows = self.of_material.get(_MATERIAL_OF[fold(said.group(0))], [])
                    return Found("suggest", "", (rows or uids)[: self.CHOICES])
                way = (only.category, only.fee)
                # (by the name's own letters where a word of ours found it, as names' ends: ふとん for 布団(座布団))
                if spelt:
                    others = list(dict.fromkeys(x.item.uid for x in self.tails.get(plain, ())))
                else:
                    others = list(dict.fromkeys([x.item.uid for x in self.tails.get(primary[0].base, ())]
                                                + self._ending_in(primary[0].base)))
                others = [u for u in others if (self.items[u].category, self.items[u].fee) != way]
                if others:
                    return Found("choices", "", (uids + others)[: self.CHOICES])
            return Found("item", "", uids)
        # the question names a material or kind of one of them (鉄のアイロン)
        scores = {}
        for x in primary:
            scores[x.item.uid] = max(scores.get(x.item.uid, 0), self._qualifier_score(x.qualifiers, q))
        best = max(scores.values())
        top = [u for u in uids if scores[u] == best]
        # (two materials said, each a row's: 「ハンガー、プラスチックと鉄のがある」 asks of both rows, however long
        # each material's word — and one said beside another kind of the thing: 「猫砂、紙のと鉱物のと」)
        positive = [u for u in uids if scores[u] > 0]
        if alone and len(positive) > 1 and len(top) == 1 and any(any(_is_material(qual) for qual in x.qualifiers)
                                                        for x in primary if x.item.uid in positive):
            return Found("choices", "", sorted(positive, key=lambda u: -scores[u])[: self.CHOICES])
        if best > 0 and len(top) == 1:
            return Found("item", "", top)
        if best == 0 and all(any(_is_material(qual) for qual in x.qualifiers) for x in primary):
            # the list has the thing only of other materials than the question says: the items of
            # its broader word (食器, in the lexicon) of that material (「割れたガラスのコップ」)
            other = self._by_material(k, q)
            if other:
                return other
        pool = top if best > 0 else uids
        ways = {(self.items[u].category, self.items[u].fee) for u in pool}
        if len(ways) == 1:  # they go out alike (one category, one fee): answer with the plainest name
            plain = [u for u in pool if not any(x.qualifiers for x in primary if x.item.uid == u)]
            return Found("item", "", [(plain or pool)[0]] + [u for u in pool if u != (plain or pool)[0]])
        if not any(x.primary for x in keys) and len(pool) >= 3:
            # only weaker keys (ペットボトル in 「飲料用のペットボトル」 and its like): the way most go
            by_cat: dict[str, list[str]] = {}
            for u in pool:
                by_cat.setdefault(self.items[u].category, []).append(u)
            cat, members = max(by_cat.items(), key=lambda kv: len(kv[1]))
            if len(members) * 3 >= len(pool) * 2:
                members.sort(key=lambda u: len(self.items[u].name))
                return Found("item", "", members + [u for u in pool if u not in members])
        more = [u for u in self.extensions.get(k, []) if u not in pool]
        return Found("choices", "", (pool + more)[: self.CHOICES])

    def _ending_in(self, base: str) -> list[str]:
        """The items whose name ends in base (化粧品のびん, 哺乳びん for びん): a name's end of two kana is
        no key (_tails), but it says which others there are of the thing."""
        if not (_KANA_ONLY.match(base) and len(base) < 3):  # (longer ends and kanji: _tails has them)
            return []
        if base not in self._ends:
            self._ends[base] = [u for u, it in self.items.items()
                                if (n := fold(_PARENS.sub("", it.name))).endswith(base) and n != base]
        return self._ends[base]

    def _by_material(self, k: str, q: str) -> Found | None:
        """The items of the thing's broader words in the lexicon (コップ: 食器, ガラス) that are of the
        material the question says (食器(陶器・ガラス製)), or None."""
        heads = self.thing_heads.get(k, ())
        used = [h for h in heads if h in self.broader_targets] or list(dict.fromkeys(
            h for g in heads for h in self.broader_also.get(g, ()) if h in self.broader_targets))
        keys = list({id(x): x for h in used for x in self.broader_targets[h]}.values())
        scored = [(self._qualifier_score(x.qualifiers, q), x) for x in keys]
        best = max((sc for sc, _x in scored), default=0)
        if best == 0:
            return None
        top = [x for sc, x in scored if sc == best]
        return self._decide(top, k, q)

    def _qualifier_score(self, quals: tuple[str, ...], q: str) -> int:
        score = 0
        q_unvoiced = None  # (asked only of a kanji qualifier: most rows' qualifiers are found as written)
        for qual in quals:
            if "イガイ" in qual or "以外" in qual:  # 「金属製以外」: any material the question says but that one
                score = max(score, len(qual) if qual in q else
                            _other_material(re.sub(r"(製|ノモノ|モノ)?(イガイ|以外).*$", "", qual), q))
                continue
            core = re.sub(r"(製|ノモノ|モノ|タイプ|式|用|型|系)$", "", qual)
            # (a state said without how bad: 「破れた服」 for (汚れ・破れのひどいもの))
            core = re.sub(r"(?<=.{2})ノ?(ヒドイ|ハゲシイ|オオイ)$", "", core)
            if (len(core) >= 2 and core in q) or (core != qual and qual in q):  # (窓用 of エアコン(窓用))
                score = max(score, len(core))
                continue
            # (a qualifier in kanji typed in kana: 「あしぶみ の みしん」 for ミシン(足踏み式))
            # (two kanji or more: one says what the thing is, 姿見(鏡), or a state, 割れたもの)
            if len(_HAS_KANJI.findall(core)) >= 2 and len(said := self._reading_of(core)) >= 3:
                q_unvoiced = unvoiced(q) if q_unvoiced is None else q_unvoiced
                if said in q_unvoiced:
                    score = max(score, len(core))
                    continue
            # (a state said of it however its subject is said: 「ギトギトが落ちない」 for (汚れが落ちないもの))
            said = re.split("[ガヲ]", core)[-1]
            if said != core and len(said) >= 3 and said in q:
                score = max(score, len(said))
                continue
            for words in MATERIALS.values():
                folded = [fold(w) for w in words]
                # (a material of one letter only as the whole qualifier: 布製 is of 布, 座布団 is not)
                if any((w in core if len(w) >= 2 else w == core) or core in w for w in folded if w and core):
                    hits = [len(w) for w in folded if w and w in q]
                    if hits:
                        score = max(score, max(hits))
        return score

    def _loose(self, rest: str, max_edits: int | None = None) -> Found | None:
        """The name whose reading is nearest (a もしかして below 0.8 alike); max_edits: at most so many
        kana off."""
        reading = self.read(rest)
        if len(reading) < 4:
            return None
        counts: dict[str, int] = {}
        for g in set(_bigrams(reading)):
            for rk in self.grams.get(g, ()):
                counts[rk] = counts.get(rk, 0) + 1
        best: list[tuple[float, str]] = []
        # (ties broken by the reading itself: sets iterate in an order that differs per process)
        for rk, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:40]:
            sim = 1 - _distance(reading, rk) / max(len(reading), len(rk))
            best.append((sim, rk))
        best.sort(key=lambda x: (-x[0], len(x[1]), x[1]))
        if not best or best[0][0] < 0.6:
            return None
        sim, rk = best[0]
        if max_edits is not None and _distance(reading, rk) > max_edits:
            return None
        keys = self.by_reading.get(rk) or []
        f = self._decide(keys, rk, rest) if keys else None
        if not f:
            return None
        f.text, f.score = rest, round(sim, 3)
        if sim < 0.8 and f.kind == "item":  # (ネコスナ is not ソコスナ: one kana of four)
            f.kind = "suggest"
        # (a letter off inside a kanji's reading is another word the writer chose, not a slip of the keys:
        # 「ワインの栓」 is no ワインセラー — only offered; 冷蔵子 for 冷蔵庫 is offered too)
        if f.kind == "item" and any(_HAS_KANJI.search(t[0]) and unvoiced(t[2]) not in unvoiced(rk)
                                    for t in self._tokens(rest)):
            f.kind = "suggest"
        return f


_SENTENCE_MARKS = {"。", "！", "？", "!", "?", "．"}  # (not _SENTENCE_END, the lookahead of _ASKS)
# (how one should do with a thing — not how a thing is done: 「水道料金はどのように計算されますか」)
_HOW = re.compile(r"どう(すれば|したら|しましたら)(いい|よい|良い|よろし|ええ)|" + _HOW_TO)
_DOER = ("機械", "器械", "機器", "器具", "道具", "マシン", "マシーン", "やつ", "ヤツ", "もの", "物")
# a verb's ending, its 連用形 (とる → とり: the 取り of 毛玉取り器)
_U_TO_I = dict(zip("ウクグスツヌブムル", "イキギシチニビミリ"))
_INFLECTING = {"動詞", "形容詞", "助動詞"}
_SMALL = set("ャュョァィゥェォヮ")
_BIG_KANA = str.maketrans("ッャュョァィゥェォ", "ツヤユヨアイウエオ")
_NOUNISH = {"名詞", "接尾辞", "接頭辞"}
# nouns of grammar, never a thing (こと read as コート once its long vowel is folded away)
_FORMAL_NOUNS = {"こと", "とき", "ところ", "ため", "よう", "わけ", "はず", "つもり", "ほう", "まま", "うち", "ほか"}
_NAMES_NOTHING = {"動詞", "助動詞", "感動詞", "副詞", "助詞", "補助記号"}
_VOICED = str.maketrans("ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポ", "カキクケコサシスセソタチツテトハヒフヘホハヒフヘホ")


# nouns of how things go out, which a message asking of a thing shares with rows such as 事業系ごみ or 資源物 without
# meaning them (「モフモフ掃除機は何ごみ？」)
_GOING_OUT = re.compile(r"ごみ|ゴミ|粗大|資源|不燃|可燃|回収|リサイクル|処分|分別|収集|方法|種類|物")


def nouns(text: str) -> set[str]:
    """The folded readings of a text's nouns of two kana or more — grammar's own (こと, ため), numbers and the words of
    how things go out left out: what a message and a row's name must share for the row to be offered by the
    message's meaning (api/gomi/meaning.py)."""
    return {t[2] for t in Matcher._tokens(unicodedata.normalize("NFKC", text))
            if t[3] == "名詞" and len(t[2]) >= 2 and t[0] not in _FORMAL_NOUNS and not t[0].isdigit()
            and not _GOING_OUT.fullmatch(t[0])}


def unvoiced(kana: str) -> str:
    """Readings compare without voicing marks: the dictionary reads 座布団 ザ+フトン and 物干し竿
    モノホシ+サオ, residents write ざぶとん and ものほしざお."""
    return kana.translate(_VOICED)


# a kind of garbage asked whether the thing goes out as (「しめ飾りって燃えるごみでいい？」)
_KIND_ASKED = re.compile(r"(燃える|燃えない|燃やす|燃やせる|燃やさない|燃やせない|もえる|もえない|不燃|可燃|資源|粗大)(ごみ|ゴミ)?"
                         r"(で|に|として)(入れて|いれて|入れても|いれても)?(いい|よい|良い|大丈夫|OK|出せ|だせ|出し|だし)")
# around the name of a missing item: the particles after it, the words residents put before it
_MISSING_TAIL = re.compile(r"(って|ってのは|は|を|の|も|が|とか|など|って何)?[\s、,。？?！!]*"
                           r"(どうやって|どうすれば|どうしたら|どのように|どう)?[\s、,。？?！!]*$")
_MISSING_HEAD = re.compile(r"^(すみません|すいません|あの|えっと|[、,\s])*(古い|古くなった|壊れた|こわれた|割れた|われた|"
                           r"使わない|使わなくなった|いらない|要らない|不要な|不要になった|家の|うちの|大きい|小さい|"
                           r"[、,\s])*")
_NOT_A_NAME = re.compile(r"^(これ|それ|あれ|この|その|あの|なに|何|物|もの|モノ|家具|荷物|家電|全部|どれ|どう|"
                         r"どうやって|どのように|ごみ|ゴミ)$")
# What a resident says about the thing itself — how big, how many, what state it is in, how it
# came to be thrown away — asks nothing else: 「60センチのガラス水槽」「ビデオテープ 大量にある」
# 「はがした壁紙」「枯れた鉢植え」「たたみ6枚あるんだけど」. Taken out before ASKING (は of はがした is
# not the particle).
_ABOUT_THING = re.compile(
    r"([0-9一二三四五六七八九十百千]+(\.[0-9]+)?(センチ|cm|ミリ|mm|メートル|キロ|kg|グラム|リットル|インチ|型|枚|個|台|本|袋|箱|冊|組|足|着|"
    r"セット|年|人用|人掛け|畳|つ)?(分|くらい|ぐらい|位|ほど|以上|近く)?|"
    r"大量|たいりょう|たくさん|沢山|いっぱい|山ほど|まとめて|全部|ぜんぶ|量が多い|少し|すこし|高さ|"
    r"はがした|剥がした|取り外した|取りはずした|とりはずした|外した|はずした|抜いた|切った|刈った|割った|壊した|こわした|"
    r"交換した|取り替えた|とりかえた|張り替えた|はりかえた|買い替えた|買い換えた|かいかえた|使い古した|"
    r"破れた|やぶれた|汚れた|よごれた|錆びた|さびた|ひび割れた|ひびわれた|欠けた|折れた|おれた|切れた|抜けた|ぬけた|"
    r"枯れた|膨らんだ|ふくらんだ|濡れた|ぬれた|カビだらけ|カビた|小さくなった|古くなった|"
    r"(底|そこ)に|(穴|あな)(が)?(あい|開い|空い)(た|てる|ている|ちゃった)|"
    # (how it is got ready: 「ガムテープで巻いて出せばいい？」)
    r"(包|つつ|くる)(ん|み)で|(巻|ま)いて|(縛|しば)って|留めて|"
    # (an empty one: 「目薬の空き」 — not a 空き家, a 空き地)
    r"空き(?![家地室部屋缶瓶びん箱袋容器])|空っぽ|からっぽ|"
    # (its state in the past however said: こわれちゃった, 出てきました, 動きません — not 壊れている, 破れてて:
    # a report of the city's broken things, 「公園のベンチが壊れてて」)
    r"(壊れ|こわれ|割れ|われ|破れ|やぶれ|錆び|さび|欠け|折れ|膨らん|ふくらん|濡れ|ぬれ|出てき|でてき)"
    r"(ちゃった|ちゃいました|てしまった|てしまいました|ました)|"
    r"(動か|うごか|使え|つかえ)(なくなった|なくなりました|ない|ません)|動きません|うごきません|動かん|"
    r"余ってる|余っている|余って|余った|あまってる|あまって|あまった|残った|期限切れ|昔の|中古|使用済み|"
    r"読み終わった|飲み終わった|食べ終わった|"
    r"あるんですが|あるんだ|あるんです|あります|ある|あって|んだ|んです|のですが|"
    # no longer used (not 「おろせなくなった」「保険がなくなった」: other matters)
    r"(使わ|つかわ|着|き|読ま|よま|飲ま|のま|乗ら|のら|遊ば|あそば|履か|はか|聞か|弾か|ひか|見|み|要ら|いら)なくなった)")


def _not_asked(text: str) -> str:
    """What a message says besides asking how to throw its thing away and describing it (also as no longer
    used: 「母の補聴器、新しいのを作ったので古いほう」)."""
    return ASKING.sub("", _ABOUT_THING.sub("", _NO_MORE_SAID.sub("", text)))


_MATERIAL_WORDS = re.compile("|".join(sorted((re.escape(w) for ws in MATERIALS.values() for w in ws), key=len, reverse=True))
                             + r"|製|の")
_KATA = re.compile(r"^[\u30a1-\u30fc]+$")
_KATA_LETTER = re.compile(r"[\u30a1-\u30fa]")
# the long e at a katakana word's end (a katakana letter before it)
_LONG_E = re.compile(r"(?<=[\u30a1-\u30fc])([ェエケゲセゼテデネヘベペメレ])([イー])(?![\u30a1-\u30fc])")
# what follows a material that says a thing is of it: ガラス|の|やつ, 金属|製
_OF_KIND = re.compile(r"^(のやつ|のもの|の奴|のタイプ|製)")
# (a kind of how it runs said before the name; not 電動 glued on, which names things of their own: 電動車いす, 電動ドリル)
_POWERED = re.compile(r"^(電池で動く|電池で動かす|電池式の?|電池入りの?|電動の|電気で動く)")
_POWERED_SAID = (fold("電池式"), fold("電動"))  # (the qualifiers any of them is also said by)
_MADE_OF = re.compile(r"^(.{1,8}?)(製の|製|の)")  # a name's material before it (プラスチック製気泡緩衝材)
# the words between two things that make the first say which the last is (ペットボトルのふた, パソコン用のモニター)
_OF = (["の"], ["用", "の"], ["用"])
# words after a thing that say nothing else about it (着物の処分, のこぎりなど, 工具類, 着物いっぱい)
_AFTER_THING = re.compile(r"(ごみ|ゴミ|類|など|等|とか|たち|達|いっぱい|たくさん|沢山|大量|全部|ぜんぶ|山|やま|束|たば|丸ごと|まるごと|" + DISPOSAL.pattern[1:-1] + r"|" + STRONG_DISPOSAL.pattern[1:-1] + r")")
# は typed as わ before the question: 「ふとんわなにごみ」
_WA_FOR_HA = re.compile(r"(?<=[\u3041-\u3096\u30a1-\u30fc\u4e00-\u9fff])わ(?=(何|なに|なん|どう|捨て|すて))")
_KANJI_WORD = re.compile(r"^[\u4e00-\u9fff]+$")
_HAS_KANJI = re.compile(r"[\u4e00-\u9fff]")
_HAS_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_HIRAGANA_WORD = re.compile(r"^[\u3041-\u3096ー]+$")
_DIGITS = re.compile(r"^[0-9０-９]+$")
_NUMBER = re.compile(r"^((何|なん|数|幾)?[0-9０-９一二三四五六七八九十百千]+|何|なん|数|幾)$")  # (何本, 何十本, 数百枚: a count too)
_KATAKANA_MESSAGE = re.compile(r"[\u30a1-\u30fc\s、,，。！？!?]+")
_ASKED_IN_KATAKANA = re.compile(r"ドウ|ナニ|ナン|ステ|ダシ|ダセ|デス|マス|クダサイ|タイ$")
# a can a substance is left in is the substance, out as what is left of it (「ペンキ半分残ってる缶」: the list's ペンキ or
# ペンキ・塗料(残ったもの), not its empty can; 中身 names no substance)
_LEFT_IN_CAN = re.compile(r"(?<![\u4e00-\u9fff\u30a1-\u30fc])(?!中身)([\u4e00-\u9fff\u30a1-\u30fc]{2,}?)(が|の)?"
                          r"(まだ|半分|はんぶん|少し|すこし|ちょっと|結構|けっこう|たくさん|だいぶ)?(残って|のこって)(る|いる|た)?(缶|かん|カン)")
# a thing's case, cover, bag, box or stand (Matcher._kinds_part)
_OF_PART = re.compile(r"([\u3041-\u306d\u306f-\u3096\u4e00-\u9fff\u30a1-\u30fc]{2,})の(ケース|カバー|袋|ふくろ|箱|はこ|スタンド|台)")
# a word after another, joined by と, や or a comma (Matcher._shared_front)
# (one word before it, not 「ペットボトルのラベルとキャップ」: the parts of a thing said of it)
_AND_NEXT = re.compile(r"([\u4e00-\u9fff\u30a1-\u30fc][\u3041-\u306d\u306f-\u3096\u4e00-\u9fff\u30a1-\u30fc]{2,}?)"
                       r"(と|や|、)([\u4e00-\u9fff\u30a1-\u30fc]+)")
# a material said between a thing and its part (「鏡餅のプラのケース」): said after both, in parentheses, the list's 「XのY」
# is found and the material is how it is (「鏡餅のケース(プラ)」)
_MATERIAL_BETWEEN = re.compile(r"([\u4e00-\u9fff\u30a1-\u30fc]{2,})の(プラスチック|プラ|ビニール|ガラス|金属|鉄|アルミ|ステンレス|"
                               r"スチール|陶器|木|紙|布|ゴム)(製)?の([\u4e00-\u9fff\u30a1-\u30fc]+)")
# The oil drained at an oil change (「エンジンオイル交換した廃油」「オイル交換自分でやったから廃油が4L」) is engine oil,
# not the cooking oil a list's 廃油 or 油 row means
_OIL_CHANGED = re.compile(r"オイル(を)?(自分で)?(交換|替え|換え|かえ|抜い|ぬい)")
_WASTE_OIL = re.compile(r"廃油|(古い|ふるい|抜いた|ぬいた)(油|オイル)")
# 「テレビ の だい」: a word of its own between spaces, as residents space out やさしい日本語 (分かち書き); joined,
# the の between two words is read as it is in 「テレビのだい」 (not after a hiragana word: 「あしぶみ の みしん」 joined is
# one hiragana run, cut anew)
_SPACED_NO = re.compile(r"(?<=[\u30a1-\u30fc\u4e00-\u9fff]) +の +(?=[\u3041-\u3096\u30a1-\u30fc\u4e00-\u9fff])")
_GAP = re.compile(r"[\s、,，。！？!?]+")
_GAP_KEPT = re.compile(r"([\s、,，。！？!?]+)")
_HIRAGANA_RUN = re.compile(r"[\u3041-\u3096ー]{4,}")
# how a thing is, typed in hiragana before it (ふるいやかん, おおきいふとん, こわれたてれび)
_KANA_HOW = re.compile(r"(この|その|うちの|いえの)?(ふるい|おおきい|ちいさい|おもい|でかい|こわれた|われた|つかわない|いらない|よごれた)")
# (not the start of a verb: でんち|とって is 取って, でんち|もって 持って)
# (or no particle, before the words of throwing out: さんこうしょ|ぜんぶすてたい)
_PARTICLE_AFTER = re.compile(r"(とか|と(?![っるれりらろ])|や|も(?![っちつて])|の|は|を|が)(?=[\u3041-\u3096ー]{2}|$)"
                             r"|(?=ぜんぶ|まとめて|すて|しょぶん|なにごみ|いらな|もう)")
_LETTER = re.compile(r"[\u30a1-\u30fa\u4e00-\u9fffA-Za-z]")
# (other letters after a run of hiragana, or another word after a space: 「もうふと かけぶとん」 says more)
_MORE_AFTER = re.compile(r"[\u30a1-\u30fa\u4e00-\u9fffA-Za-z]|[ \u3000]+[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fffA-Za-z]")
# a note after a name: from ※, *, → or ⇒ on
_NAME_NOTE = re.compile(r"\s*[※*→⇒].*$")
# two words of kanji joined by の
_NO_BETWEEN = re.compile(r"([\u4e00-\u9fff]+)の([\u4e00-\u9fff]+)")
_KANJI1 = re.compile(r"^[\u4e00-\u9fff]$")
_SHORTENED = re.compile(r"[一八]")
_SAID_SHORT = re.compile(r"(イ|ハ)チ(?=[カキクケコサシスセソタチツテトパピプペポ])")
# a name's ending that says "and the like" (着物類, カテーテル類)
_KINDS_END = re.compile(r"(類|等|など)$")
_FOR_BETWEEN = re.compile(r"([^用の・]{2,})用([^用の・]{2,})")  # 介護|用|ベッド
_KANJI_THEN_KANA = re.compile(r"([\u4e00-\u9fff]{2,})([\u30a1-\u30fc\u3041-\u3096]{2,})")  # 介護|ベッド
# (and one just bought, beside another: 「新しくランドセル買ったら箱が大きすぎる」 asks of the box — not one replaced,
# 買い替えた, which goes out)
_BOUGHT = re.compile(r"^(を|が|も)?(買っ|かっ|購入し|買いまし)(た|て)")
# (and one said not to be enough, the other got for it: 「こたつだけじゃ寒いから買った電気ストーブ」 — not 「だけじゃなく」)
_NOT_THIS = re.compile(r"^((じゃ|では|で)(なく|無く|ない)|だけ(じゃ|では)(?!なく|無く))")
_ATTACHED = re.compile(r"^(の|が)?(ついた|付いた|ついてる|付いてる|ついている|付いている)")
# (and one said to be where the thing is: 「タンスの上にずっと飾ってた五月人形」)
_WHERE_IT_IS = re.compile(r"^の(上|うえ|下|した|横|よこ|裏|うら|奥|おく|隣|となり|そば|脇|わき|中|なか)(に|で|から)(?!身)")
# (and one another is said not to use: 「ブロックのおもちゃ　電池は使わないやつ」)
_NOT_USED_KIND = re.compile(r"^(は|を|が)?(使わない|つかわない|使わん|使ってない|要らない|いらない|不要の?|なしの?|無しの?|入ってない)"
                            r"(やつ|もの|物|タイプ|の|方|ほう)")
# (or to go out apart, another time: 「エレキ。アンプは別に出す」)
_GONE_ALREADY = re.compile(r"^(は|も|って)?(もう|既に|すでに|ちゃんと|先に)?(捨て|すて|処分し|出し|だし)(た(?![いく]|けれ|けりゃ)|ました|てある|てあります|ちゃった)"
                           r"|^(は|も)(別に|別で|べつに|べつで)(出|だ|捨て|すて|処分)")
_OPEN, _CLOSE = set("(（[［【〔"), set(")）]］】〕")
# the words of the ごみ (not 出す: 「転出届だせる」「はみ出して」)
_GOMI_WORDS = re.compile(r"(ごみ|ゴミ|回収|粗大|燃え|燃や|もえ|資源|不燃|可燃|引き取|リサイクル|取りに来|運び出)")
# the kinds of garbage a thing may go out as
_GARBAGE_KIND = re.compile(r"(ごみ|ゴミ|粗大|燃え|燃や|もえ|資源|不燃|可燃)")
# getting a thing ready to go out (its notes say how)
# (中身 only with more said of it: 「非常持ち出し袋の中身」 asks what goes in it)
_READY = re.compile(r"(穴を?あけ|穴を?開け|中身(?=.)|残って|残った|残り|分けて出|分けたほう|分ける必要|どう分け|一緒に|水抜き|抜いて|抜く|外して|外す|外さ|はずさ|はがさ|剥がさ|はがす|剥がす|"
                    r"洗って|洗う|切って|切る|切れば|切ったら|束ね|しばって|縛って|袋に|出てきた|"
                    r"つぶして|潰して|つぶす|潰す|たたんで|畳んで|ばらして|分解|解体|"
                    # or getting it collected or carried out (「…運び出せないんですが、取りに来てもらえますか」)
                    r"取りに来|とりに来|取りにき|とりにき|運び出|はこびだ|持って行って|持っていって)")
_SHARED_END = re.compile(r"([\u30a1-\u30fa\u30fc]{2,})([\u4e00-\u9fff]{1,2})")
# 「電子オーブンレンジ含む」 names 電子オーブンレンジ
_INCLUDES = re.compile(r"(を)?(含む|含みます|など|等|類)$")
# what in parentheses says which or how big, not another name
_NOT_A_NAME_INSIDE = re.compile(r"[0-9０-９]|cm|センチ|メートル|以上|以下|未満|を除く|以外|もの$|物$|製$|用$|式$|型$|タイプ|サイズ|程度|"
                                r"^(本体|部品|部分|一式|付属品)$|"  # (AED(本体): any thing's 本体 is no AED; _PART_WORDS)
                                r"^(電気|電動|ガス|石油|灯油|手動|充電式|電池式|コード式|コードレス)$")  # (how it runs: 電気 is no ストーブ(電気))
_MATERIAL_SET = {fold(w) for ws in MATERIALS.values() for w in ws}


def _script(text: str) -> str:
    return "katakana" if _KATA.match(text) else "hiragana" if re.match(r"^[\u3041-\u3096ー]+$", text) else "mixed"


def _focus(tokens, a: int, b: int, since: int, gaps: set[int] = frozenset(), ahead_at: int | None = None) -> int:
    """Which of several things a message asks about, first: the topic before the question
    (「…石油ストーブと灯油が出てきました。灯油はどう処分すれば」, not the last of 「XとYは」: both), last
    what another was done with or holds (「電池で動くおもちゃ」「ボールで窓ガラスを割って」「電池入ったままの
    おもちゃ」「シェーバーの中の充電池」) and what says which the next thing is (「洗濯ばさみがいっぱいついてる
    四角いハンガー」「バイクのフルフェイスのヘルメット」); the rest in the message's order. since: where the thing
    before it ends; gaps: the tokens a space or a mark follows; ahead_at: where the next thing starts."""
    if ahead_at is not None and _modifies(tokens, b, ahead_at, gaps):
        return 2
    after = [t[0] for t in tokens[b:b + 2]]
    listed = any(t[0] in ("と", "や") and t[3] == "助詞" for t in tokens[since:a])
    inside = ([t[0] for t in tokens[max(a - 3, 0):a]] == ["の", "中", "の"] or any(w.startswith("入") for w in after)
              or bool(_INSIDE_IT.match("".join(t[0] for t in tokens[b:b + 3]))))
    # (or what is taken out of another before it goes out, an adverb between or not: 「充電式のひげそり、電池は
    # 抜いた方がいい？」「灯油はもう抜いてあって」)
    verb = next((t[0] for t in tokens[b + 1:b + 3] if t[3] != "副詞"), "")
    ahead = list(takewhile(lambda t: t[3] != "名詞", tokens[b + 1:b + 5]))  # (up to a word of another thing)
    inside = inside or (after[:1] in (["は"], ["って"], ["を"]) and (verb.startswith(_TAKEN_OUT) or any(
        t[3] == "動詞" and t[0].startswith(_TAKEN_OUT) for t in ahead)))
    # (or what another was used for: 「草刈機に使ってた混合ガソリンが余ってます」 asks of the ガソリン; or what hit
    # another: 「ボール当てて窓ガラス割った」)
    inside = inside or (after[:1] == ["に"] and verb.startswith(("使", "つか")))
    # (or what held another thing named after it: 「通販の箱にプチプチがいっぱい入ってました」 asks of the プチプチ)
    inside = inside or (after[:1] == ["に"] and ahead_at is not None and any(
        t[3] == "動詞" and t[0].startswith(("入", "はい", "いれ")) for t in tokens[ahead_at:ahead_at + 6]))
    inside = inside or any(w.startswith(_HIT) for w in ([after[0]] if after[:1] and tokens[b][3] == "動詞" else [])
                           + ([verb] if after[:1] in (["を"], ["が"]) else []))
    # (or what is still in another said after it: 「灯油が少し残ったポリタンク」; or where another turned up, what was
    # being done when it did: 「裁縫箱の整理してたら古い針が」「庭の木を切ったら切り株が残った」)
    end = next((i + 1 for i in range(b, min(b + 8, len(tokens))) if i in gaps), b + 8)  # (up to a space or a mark)
    said = "".join(t[0] for t in tokens[b:end])
    still = _STILL_IN.match(said)
    if still:  # (only of a thing named after it, the one it is in: not 「庭に切り株が残った」)
        n, i = 0, b
        while i < len(tokens) and n < still.end():
            n, i = n + len(tokens[i][0]), i + 1
        still = i < len(tokens) and tokens[i][3] == "名詞"
    inside = inside or bool(still or _WHILE_DOING.match(said))
    if after[:1] in (["は"], ["って"]) and not listed and not inside:
        return 0
    # (and the one said to be no longer wanted: 「天井の照明をLEDに変えたから前のシーリングライトがいらない」)
    if _UNWANTED.match("".join(t[0] for t in tokens[b:b + 3])) and not listed and not inside:
        return 0
    return 2 if (after[:1] == ["で"] and b + 1 < len(tokens)) or inside else 1


# the particles that list things or name a topic: a thing before them is not said of the next (「XとY」「Xは…Y」)
# (a clause's end is no bound: the thing after it is what the message goes on to ask about — 「テントのポールが
# 折れたのでテントごと捨てたい」「こたつだけじゃ寒いから買った電気ストーブ」)
_NOT_OF_NEXT = ("と", "や", "とか", "か", "も", "は", "って", "または", "及び")


def _modifies(tokens, b: int, at: int, gaps: set[int]) -> bool:
    """Whether the thing ending before token b is said only to tell of the thing starting at token at: with no
    space or mark between them, the words between ending as words said of a noun (の, a verb's or an
    adjective's form) and listing neither: 「洗濯ばさみがいっぱいついてる四角いハンガー」「ハンガーをかけるタイプの
    背の高いたんす」「バイクのフルフェイスのヘルメット」「息子が野球やめたのでグローブ捨てます」 — not 「灯油とポリタンク」
    nor 「灯油は抜いたけどポリタンク」."""
    between = tokens[b:at]
    if not between or any(i in gaps for i in range(b - 1, at)) or any(t[0] in _OPEN or t[0] in _CLOSE for t in between):
        return False
    last = between[-1]
    return ((last[0] == "の" or last[3] in ("動詞", "助動詞", "形容詞"))
            and not any(t[3] == "助詞" and t[0] in _NOT_OF_NEXT for t in between))


_MACHINE = ("機械", "きかい", "マシン", "マシーン", "機器", "装置")
_MACHINE_ENDS = ("機器", "機", "器", "マシン", "装置", "車載器")
_HIT = ("当て", "あて", "ぶつけ", "当た", "あた")
_STILL_IN = re.compile(r"(が|は|も)?(まだ|少し|すこし|ちょっと|半分|結構|けっこう)?(くらい|ぐらい)?(残っ|のこっ)(た|て)")
_WHILE_DOING = re.compile(r"(?!って|は)(を|の|が)?[^、。,.\s!?！？]{0,8}?(し|っ|て|い|え|け|べ)(たら|てたら|ていたら)")
# a thing broken, however said (割った, 割っちゃった, 割れちゃった, われてしまった): as a qualifier says it (割れた)
# (not one said not to be: 「割れてません」)
# (and politely, or in kana right after its particle: 「びんも われました」「お皿が わりました」 — not the ワレ of
# こわれた, nor the ワリ of 終わりました; を folds to the オ of おわりました, so not after it)
_BROKE = re.compile(r"割(ッタ|ッテ|ッチャ|レチャ|レマシタ|リマシタ|レテ(?!マセン|ナ|イナ|ハイナ|モイナ))|ワ(ッチャ|レチャ)"
                    r"|(?:(?<=[ガモハ])|^)ワ(レタ|レマシタ|リマシタ)")
# a thing's main unit, said right after it or after its の (ソーダストリームの本体): that thing, no other
_MAIN_UNIT = {fold(w) for w in ("本体", "ほんたい")}
# a thing said to be no longer wanted, right after it
_UNWANTED = re.compile(r"^(が|も)?(いらない|要らない|いらん|要らん|不要|いらなくな|要らなくな|捨てたい|すてたい|処分したい)")
# a kind or material the resident says the thing is not: 「鉱物のやつ、紙じゃない方」 (letters as fold() gives them)
_NEGATED = re.compile(r"([\u4e00-\u9fff]+|" + "|".join(sorted({fold(w) for ws in MATERIALS.values() for w in ws if len(w) >= 2},
                                                               key=len, reverse=True))
                      + r")(ジャナイ|ジャナク|ジャナクテ|デハナイ|デハナク|デナイ|(ジャ|デハ|デワ)アリマセン)")
# the materials things are made of (not 電池, スプレー缶: things of their own)
_MADE_OF_MATERIALS = {m: ws for m, ws in MATERIALS.items() if m not in ("電池", "エアゾール")}
# such a material as residents name it → its MATERIALS key, in fold()'s letters
_MATERIAL_OF = {fold(w): m for m, ws in _MADE_OF_MATERIALS.items() for w in ws}
# (a material of one kanji only as what a thing is of: 鉛のおもり, 鉄製の, 箱（紙）, not 鉛筆 or 鉄道)
_MATERIAL_NAMED = re.compile("|".join(sorted((re.escape(w) for ws in _MADE_OF_MATERIALS.values() for w in ws if len(w) >= 2),
                                             key=len, reverse=True)
                                      + [re.escape(w) + "(?=の|製|[)）])" for ws in _MADE_OF_MATERIALS.values() for w in ws if len(w) == 1]))
_MATERIAL_ROWS = {fold(m): m for m in _MADE_OF_MATERIALS}
# a list's row of a material as such, in fold()'s letters: 金属類, プラスチック製品, 金属クズ, 木製品
_OF_MATERIAL_ROW = re.compile(r"(.+?)(製品|類|クズ|屑|製ノモノ|製品類)")


def _item_qualifiers(item: Item) -> list[str]:
    """What an item's parentheses say, in fold()'s letters (「ペンキの缶（空のもの）」 → [空ノモノ])."""
    return [fold(q) for q in _PARENS.findall(unicodedata.normalize("NFKC", item.name))]


# a container said to hold some of what it held still, and the qualifiers of a list's rows of one empty or not
_STILL_HOLDS = re.compile(r"(中身|なかみ)[がはも]?(まだ)?(半分|少し|すこし|ちょっと|けっこう|結構)?(くらい|ぐらい|ほど)?(残|のこ|入っ|はいっ)"
                          r"|(中身|なかみ)(入り|いり|あり)|使いかけ|使い残し|残ってる|残ってます|残っている|余った")
_EMPTY = re.compile(r"(空|カラ|使イ切ッ|使イキッ|ナイモノ)")
_FULL = re.compile(r"(中身|残ッ|入ッ|アル)")
_WHILE_SORTING = re.compile(r"^(を)?(し|して)?(てたら|ていたら|たら|てる時|ている時|中)")
_SORTING_OUT = ("整理", "片付け", "片づけ", "かたづけ", "掃除", "そうじ", "大掃除", "断捨離")
# (a thing kept there: 「…がまだございまして」「…があります」 — not what is left in a thing: 「ストーブに灯油が残ってる」)
_KEPT = re.compile(r"^(が|も|は)(まだ|いっぱい|たくさん|沢山|何個|何本|いくつ)?(ある|あり|あっ|ござい|眠っ|ねむっ|しまっ)")
_HELD_IN = ("たま", "溜ま", "入っ", "入れ", "はいっ", "いれ", "残っ", "のこっ", "詰ま", "つま")
# (and a thing put on another, said as where it is: 「食卓に置いてたアクリル板」「壁に掛けてた時計」)
_PUT_ON = ("置い", "おい", "飾っ", "かざっ", "敷い", "掛け", "かけ", "貼っ", "吊るし", "つるし", "乗せ", "のせ", "供え", "そなえ")
_TAKEN_OUT = ("抜", "ぬい", "ぬく", "ぬか", "外", "はず", "取り出", "とりだ", "取り外", "とりは")
_PART_OR_WASTE = re.compile(r"^(くず|屑|クズ|かす|カス|燃えかす|燃えカス|もえかす|燃えがら|燃え殻|残骸|破片|はへん|かけら|残り|のこり|余り|あまり|"
                            r"切れ端|端材|中身|なかみ|中|なか|上|下|横|外|内|底|扉|取っ手|とって|持ち手|脚|柄|骨|"
                            r"部分|部品|周り|まわり|一部|本体|付属品|箱|袋|ケース|容器|入れ物|いれもの|カバー|ふた|蓋|フタ|天板|やぐら|枠|台|台座|土台|"
                            r"足|あし|パッキン|コード|ホース|フィルター|ネット|網|あみ|替え刃|刃|針|電池|バッテリー|板|いた|"
                            # (a part of it said with how it broke: 「せんぷうきの首が回らなくなった」「コードの根元が焦げてる」)
                            r"首|くび|根元|ねもと|表面|先|さき|ボタン|スイッチ|画面|液晶|ねじ|ネジ|車輪|タイヤ|キャスター|ブレーキ|"
                            r"ハンドル|ペダル|チェーン|ファスナー|チャック|ひも|紐|ベルト)$")
# parts that come off a thing before it goes out, and the verbs of taking them off (or of their staying on)
_PEELED = re.compile(r"ラベル|キャップ|ふた|蓋|フタ|シール|フィルム|中ぶた|中蓋|金具|留め具")
_PEELED_AFTER = re.compile(r"^((と|や|とか|も|、|,|\s)*(ラベル|キャップ|ふた|蓋|フタ|シール|フィルム|中ぶた|中蓋|金具|留め具))*"
                           r"(って|を|は|も|が|とか)?[、,\s]*")
_STILL_ON = re.compile(r"^(つい|付い|つけ|付け)(た|て)(まま|ままで|る|ます)")
_PEEL_OFF = re.compile(r"^(外|はず|はが|剥が|取っ|取ら|取り|取る|取れ|とっ|とら|とり|とる|とれ|つい|付い|付け|つけ|ついた|付いた)")
# whose a thing is when it is not the resident's (「隣の空き家の瓦」「公園のベンチ」)
_OTHERS = re.compile(r"^(隣|となり|お隣|隣家|近所|きんじょ|空き家|あきや|空家|公園|こうえん|道路|歩道|市営|県営|公営|駅|学校|向かい|"
                     r"集積所|ごみ置き場|ゴミ置き場|アパート|マンション|住宅)")
# a shop's garbage or things, said so (「お店のごみ」「店舗のものは事業系ごみだと思いますが」「事業所の扱いになりますか」)
_SHOP_GARBAGE = re.compile(r"((お)?店|店舗)の(ごみ|ゴミ|もの|物)|事業(系)?(の)?(ごみ|ゴミ)|事業所の扱い")
# a shop's or an office's things (「店を閉める」「事務所で使っていた」; not 「会社を辞めた」, a person's), and a list's row
# for them (事業系ごみ, 事業所から出るごみ)
_BUSINESS = re.compile(
    # (a time may come between: 「喫茶店を今月で閉める」)
    r"(閉店|廃業|店じまい|((お)?店|店舗)を?([^\s、。!?]{1,6}で)?(閉め|しめ|閉じ|たたむ|たたみ|畳|やめ|引き払)|"
    r"(事務所|会社|オフィス|工場|教室|医院|サロン)を?([^\s、。!?]{1,6}で)?(閉め|しめ|閉じ|たたむ|たたみ|畳|引き払|移転)|"
    # (a trade kept, given up: 「自宅の美容室閉めます」「民泊やめたので」 — a trade, so やめ is the business's end)
    r"(美容室|美容院|理容室|理髪店|床屋|商店|民泊|民宿|ゲストハウス|塾|診療所|クリニック|食堂|喫茶店|カフェ|"
    r"スナック|整体院|治療院)を?([^\s、。!?]{1,6}で)?(閉め|しめ|閉じ|たたむ|たたみ|畳|やめ|引き払|移転)|"
    # (「店のモーニングで使っとった」: a use of the shop's, in any dialect's past)
    r"((お)?店|店舗|事務所|会社|オフィス|工場|職場)(の[^\s、。!?]{1,8})?で(使|つか|使用し)(って|っと|っちょ|いよ|うと)|事業で|事業用|"
    # (a shop named by its trade, 八百屋 — not a room, 部屋 — and a class or a salon kept at home)
    r"[\u4e00-\u9fff]{1,3}(?<!部)屋を?(やめ|閉め|しめ|閉じ|たたむ|たたみ|畳)|(教室|サロン|お店|店)を(やって|開いて|ひらいて)|"
    # (guests lodged at home: 「うちでAirbnbやってるんですが、ゲストのごみも」)
    r"(民泊|ゲストハウス|Airbnb|エアビー)を?(やって|営んで|経営)|"
    + _SHOP_GARBAGE.pattern + ")")
# the garbage's words, which ask of a shop's things as garbage (「陳列棚は粗大ごみで出せますか」)
_GOMI = re.compile(r"ごみ|ゴミ|粗大")
# whom to ask, which a shop's things go to (「店舗のものは事業系ごみだと思いますが、どちらに相談すればよろしいでしょうか」)
_CONSULT = re.compile(r"(相談|問い合わせ|問合せ|といあわせ)(すれば|したら|先|でき|して|を)")
# a list's row for much garbage at once, and what it comes of
_AT_ONCE_ROW = re.compile(r"(ごみ|ゴミ).*(大量|多量)|(大量|多量|一度に).*(ごみ|ゴミ)")
_AFTER_A_DEATH = re.compile(r"遺品|亡くな|他界|死去|逝去|実家(の|を)(片付|片づ|かたづ|整理)")
_MOVING_OUT = re.compile(r"引っ?越|ひっこ|退去|転勤|転居|(寮|部屋|アパート|家)を(出|引き払)|退寮|(老人ホーム|施設)に(入|移)")
_CLEANING = re.compile(r"大掃除|おおそうじ|断捨離|だんしゃり")
# how much goes out at once (「ゴミ袋30袋分」「軽トラ何杯分も」「まとめて出したい」) — and that it goes out
_MUCH_AT_ONCE = re.compile(r"大量|たくさん|いっぱい|山ほど|山のよう|一度に|いちどに|一気に|まとめて|軽トラ|[0-9０-９]+袋|何袋|"
                           r"(全部|ぜんぶ)(片付|片づ|かたづ|処分|捨て)|家の中身")
_BAGS = re.compile(r"(ごみ|ゴミ)?(袋|ぶくろ)")
_GOING_OUT_AT_ONCE = re.compile(r"ごみ|ゴミ|片付|片づ|かたづ|出(し|す|せ|そ)|だ(し|す|せ)|処分|捨て|回収")
_AT_HOME = re.compile(r"(自宅|家|うち)で(使って|使用して|使ってい)")
_BUSINESS_ROW = re.compile(r"事業(系|所|者)?(から出る|から出た|の|で出る|で出た)?(ごみ|ゴミ|一般廃棄物|廃棄物)")
# asking where to get a thing (not 引き取ってもらえますか, a te-form's: that asks the city to take it)
# (and from whom: 「ネットは市からもらえるわけ？」)
_GET_IT = re.compile(r"(どこ(で|に|へ|か)?(もらえ|貰え|手に入|入手|買え|売って)|(は|が|を)([^\s、。!?]{1,5}(から|で))?(もらえ|貰え)(ます|る)|手に入れ|入手でき|"
                     r"(貸して|かして)(もら|くれ|ほし|いただ)|貸し出|かしだ|借りられ|借りれ|かりられ|かりれ|"
                     r"(譲|ゆず)(りたい|れる|る先|ります)|売(りたい|れる|れます))")  # (or to borrow, or to give it away)
# asking whether the city has the thing (「がいこくごの パンフレット ありますか」): to get it, not to throw it
# (or to see it: 「カレンダーが見たい」)
_HAS_IT = re.compile(r"^(が|は|って|を)?(ありますか|ありませんか|あるか|ある[?？]|あります[?？]|見たい|見れ(る|ます)|見られ(る|ます)|"
                     r"ほしい|欲しい)")


def _inside_latin(tokens, a: int, b: int, gaps) -> bool:
    """Whether tokens a..b-1 begin or end inside a word in Latin letters."""
    def joined(i: int) -> bool:  # tokens i and i + 1 are one word in Latin letters
        return (0 <= i < len(tokens) - 1 and i not in gaps and bool(_LATIN_END.search(tokens[i][0]))
                and bool(_LATIN_START.match(tokens[i + 1][0])))
    return joined(a - 1) or joined(b - 1)


def _mostly_latin(text: str) -> bool:
    """Whether a message is written in Latin letters for the most part (not 「スピンドルケース(CD等)」)."""
    return len(_LATIN_LETTERS.findall(text)) > 2 * len(_HAS_KANA_OR_KANJI.findall(text))


_LATIN_LETTERS = re.compile(r"[A-Za-z\u00c0-\u024f]")
_HAS_KANA_OR_KANJI = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]")
_LATIN_END = re.compile(r"[A-Za-z\u00c0-\u024f]$")
_LATIN_START = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _neighbours(tokens, a: int, b: int, gaps) -> tuple:
    """The tokens right before and after tokens a..b-1, None across a space or a mark."""
    return (tokens[a - 1] if a > 0 and a - 1 not in gaps else None,
            tokens[b] if b < len(tokens) and b - 1 not in gaps else None)


# する right after a noun: what one does with a thing (花火して, 交換した)
_SURU = ("し", "する", "した", "して", "しよ", "しちゃ")
_ACTION = re.compile(r"^(交換|処分|修理|廃棄|掃除|整理|片付け|片づけ|買い替え|買い換え|購入|使用|撤去|解体|故障|破損|"
                     r"取り外し|取替え|取り替え|入れ替え|張り替え|貼り替え|リフォーム|工事|清掃|点検|設置)$")


_BATTERY_WORDS = {fold(w) for w in MATERIALS["電池"]}
_KIND_WORDS = {fold(w) for words in WORD_KINDS for w in words}
_INSIDE_IT = re.compile(r"(が|は|も)?(入って|はいって|入った|はいった|入れた|いれた|ついて|付いて|内蔵|入り)")
def _of_another(tokens, a: int, taken: set[int], gaps: set[int], names: list[str]) -> str:
    """「NのX」 before tokens a..: N, where N is a noun no key found and none of the names says
    (「コーキング材のチューブ」 for 化粧品のチューブ); "" otherwise."""
    if a < 2 or tokens[a - 1][0] != "の" or a - 2 in taken or tokens[a - 2][3] not in ("名詞", "接尾辞"):
        return ""
    start = a - 2  # (the whole compound: カップ|ラーメン, コーキング|材)
    while start and tokens[start - 1][3] == "名詞" and start - 1 not in taken and start - 1 not in gaps:
        start -= 1
    words = [t[0] for t in tokens[start:a - 1]]
    if tokens[start][3] != "名詞" or len("".join(words)) < 2 or any(
            _is_material(w) or any(fold(w) in fold(n) for n in names) for w in words):
        return ""
    return "".join(words)


# the names that make the thing after them one of their kind (おもちゃの電車, 模型の戦車)
_TOY_WORDS = {fold(w) for w in ("おもちゃ", "玩具", "模型", "ミニチュア", "プラモデル", "ラジコン")}


def _unknown_head(tokens, b: int, taken: set[int], gaps, glued: bool = True) -> str:
    """The noun right after a thing found on tokens ..b-1 that no key covers and that names a thing of its
    own (提灯 of 盆|提灯): not a part, a count, a kind, a material, a size, nor a word that names nothing —
    but a stand, a box or a case glued to its name is a thing of its own (テレビ|台 is no テレビ)."""
    if b >= len(tokens) or b - 1 in gaps or b in taken:
        return ""
    if tokens[b][0] == "の" and b not in gaps:  # (バイク|の|ヘルメット too)
        head = _unknown_head(tokens, b + 1, taken, gaps, glued=False)
        return "の" + head if head else ""
    word, pos = tokens[b][0], tokens[b][3]
    if glued and pos in ("名詞", "接尾辞") and word in _HOLDERS:
        return word
    if (pos != "名詞" or _NUMBER.match(word) or (len(word) < 2 and not _KANJI1.match(word)) or fold(word) in _NOT_A_WORD_F
            or _PART_OR_WASTE.match(word) or word in _PART_WORDS or _AFTER_THING.match(word) or _is_material(word)
            or _NOT_A_NAME_INSIDE.search(word) or _GOMI_WORDS.search(word) or _ACTION.match(word)
            or word in _FORMAL_NOUNS or word in ("とこ", "辺", "あたり", "へん")
            or (b + 1 < len(tokens) and tokens[b + 1][3] == "動詞"
                and tokens[b + 1][0] in _SURU + ("すれ", "さ", "でき", "できる"))
            # (nor what it came to by, typed on without a mark: 「ビニール傘台風で骨が折れた」)
            or (glued and b + 1 < len(tokens) and tokens[b + 1][0] in ("で", "から") and b + 1 not in gaps
                and b + 2 < len(tokens))):
        return ""  # (nor what is done with it: 給湯器|交換した)
    return word


# what became of a thing that is not one's own to throw away: lost, found, borrowed, stolen
_NOT_OURS = re.compile(r"^(落とし|おとし|なくし|無くし|失くし|紛失し|拾っ|ひろっ|借り|かり|忘れ|わすれ|盗ま|ぬすま|盗ん|取ら|とら)$")


def _long_vowel_typed(tokens, a: int, b: int, keys: list[Key]) -> bool:
    """A katakana word typed with its long vowel (スキー) is no name the list writes in hiragana without one (すき of
    「くわ・すき」), though the two fold alike: a loanword is not the native word it folds to."""
    typed = "".join(t[0] for t in tokens[a:b])
    if "ー" not in typed or _KATA.match(typed) is None or not keys:
        return False
    if all(not _KATA_LETTER.search(x.item.name) and not _HAS_KANJI.search(x.item.name) for x in keys):
        return True
    # (nor, with a long vowel inside it, a katakana name written with fewer: ホイール is no アルミホイル — an end's
    # long vowel is the writer's choice, プリンター / プリンタ)
    if not _INNER_LONG.search(typed):
        return False
    short = _INNER_LONG.sub("", typed)
    return all(short in written and typed not in written
               for written in (" ".join((x.item.name,) + x.item.aliases) for x in keys))


_INNER_LONG = re.compile(r"ー(?=[\u30a1-\u30fa])")


def _span_length(c, tokens) -> int:
    """How long a candidate key is, in one measure: the reading of the tokens a key found by its letters covers —
    水銀|の|体温計 for the list's 水銀体温計 is longer than the reading タイオンケイ of 体温計 alone."""
    a, b, _k, n, via = c
    return max(n, sum(len(t[2]) for t in tokens[a:b])) if via == 0 and b - a > 1 else n


def _described_by(tokens, a: int, taken: set[int]) -> list[int]:
    """The tokens of a verb in its past right before token a (and the noun of a 〜した), none of them a
    thing found: 剪定|し|た (枝), 使い|終わっ|た (土のう)."""
    if a < 2 or tokens[a - 1][0] not in ("た", "だ") or tokens[a - 1][3] != "助動詞" or tokens[a - 2][3] != "動詞":
        return []
    if _NOT_OURS.match(tokens[a - 2][0]):  # (「落とした財布」 is lost, not thrown away: another matter)
        return []
    out, i = [a - 1, a - 2], a - 2
    while i >= 1 and tokens[i - 1][3] == "動詞":  # (a compound verb: 使い|終わっ|た)
        i -= 1
        out.append(i)
    if tokens[i][0] == "し" and i >= 1 and tokens[i - 1][3] == "名詞":
        out.append(i - 1)
    return [] if taken & set(out) else out


def _asked_apart(tokens, spans, stops: set[int], taken: set[int]) -> bool:
    """Whether the sentences that name the things (spans of tokens) name no rule and ask how the things go out
    (STRONG_DISPOSAL, どうしたら: not the ごみ or 回収 other matters say too), the message's rule asked in another
    sentence."""
    sentence, n = [], 0
    for i in range(len(tokens)):
        sentence.append(n)
        n += i in stops
    named = {sentence[a] for a, _b in spans}
    said = "".join(t[0] for i, t in enumerate(tokens) if sentence[i] in named)
    besides = _DUMPED.sub("", "".join(t[0] for i, t in enumerate(tokens) if sentence[i] in named and i not in taken))
    return len(named) < n + 1 and not RULE.search(said) and bool(STRONG_DISPOSAL.search(besides) or _HOW.search(besides))


def _said_after(tokens, b: int, n: int, marks: set[int]) -> str:
    """The words of up to n tokens from b, not past a sentence's mark: 「漬物石があります。かなり重い」 says あります, no
    ありますか (a mark is no token)."""
    end = min(b + n, len(tokens))
    return "".join(t[0] for t in tokens[b:next((i + 1 for i in range(b, end) if i in marks), end)])


def _of_matter(tokens, a: int, b: int, taken: set[int], things: int, marks: set[int] = frozenset()) -> bool:
    """Whether a message asks of a matter of the thing found on tokens a..b-1 rather than how it goes
    out: 「携帯電話の解約」 (の and a word that names no thing nor how it goes out), 「スマホで払えますか」
    「ふとんに寝ると」 (で or に and another verb, the thing alone), 「隣の家の自転車」 (someone else's
    thing), 「パンフレット ありますか」 (to get it), 「花火してもいい？」 (what one does)."""
    if _HAS_IT.match(_said_after(tokens, b, 3, marks)):
        return True
    # (a thing said as what one does, する right after it: 「公園で花火してもいいですか」 — not as what one no longer
    # does: 「もうネクタイしないんだわ」)
    if (b < len(tokens) and tokens[b][3] == "動詞" and tokens[b][0] in _SURU
            and not (b + 1 < len(tokens) and tokens[b + 1][0].startswith(("ない", "なく", "なかっ", "ません")))):
        return True
    i = a  # (along the の before it: 隣の家の自転車)
    while i >= 2 and tokens[i - 1][0] == "の":
        if _OTHERS.match(tokens[i - 2][0]):
            return True
        i -= 2
    if b + 1 >= len(tokens) or b + 1 in taken or DISPOSAL.search(tokens[b + 1][0]) or _READY.search(tokens[b + 1][0]):
        return False
    if tokens[b][0] == "の":  # (not its waste or a part of it: シュレッダーのくず, シェーバーの中の電池)
        # (nor a word after a mark: 「60cm水槽、ガラスの。空にして乾かしました」)
        # (nor the word for a thing of its kind: 「布のやつ」「魔法ビンのほう」)
        return b not in marks and tokens[b + 1][3] == "名詞" and not _PART_OR_WASTE.match(tokens[b + 1][0]) \
            and not _AFTER_THING.match(tokens[b + 1][0]) and not _is_material(tokens[b + 1][0]) \
            and tokens[b + 1][0] not in _ONE_OF_KIND
    return tokens[b][0] in ("で", "に") and tokens[b][3] == "助詞" and things == 1 and tokens[b + 1][3] == "動詞"


_ONE_OF_KIND = {"やつ", "ヤツ", "奴", "もの", "モノ", "物", "ほう", "方", "タイプ", "たぐい", "類",
                # (nor how it is, 「老眼鏡の度があわなくなって」「靴のサイズが合わない」, a part of it, 「竹ぼうきの穂先」, nor the
                # day its kind goes out, 「びん・缶の日でいいの？」)
                "度", "サイズ", "寸法", "色", "柄", "形", "デザイン", "穂先", "先端", "先っぽ", "日"}


def _other_material(core: str, q: str) -> int:
    """How long a word the question uses for a material other than core's (プラスチック for 金属製以外),
    0 if it says core's or none."""
    groups = [[fold(w) for w in words] for words in MATERIALS.values()]
    mine = [g for g in groups if core and any(w in core or core in w for w in g if w)]
    if not mine or any(w in q for g in mine for w in g if w):
        return 0
    return max((len(w) for g in groups if g not in mine for w in g if w and w in q), default=0)


def _of_head(key: Key) -> bool:
    """A key that is only the Y of the list's 「ZのY」 or a ・ part of one (容器 of 納豆の容器)."""
    return not (key.primary or key.synonym) and "ノ" + key.base in fold(_PARENS.sub("", key.item.name))


# what holds a thing: the thing in it says how it goes out
_PACKING_MATERIALS = {fold(w) for w in ("発泡スチロール", "段ボール", "ダンボール", "ビニール", "紙", "布", "木", "桐")}
_PACKAGING = re.compile(r"^(空キ|外|化粧)?(箱|バコ|ハコ|袋|ブクロ|フクロ)$")  # (in fold()'s letters)
# a container a row is named as (in a name's letters), and the kinds of container alike
_HELD_IN_NAME = re.compile(r"(の)?(容器|入れ物|いれもの|ボトル|缶|かん|カン|びん|ビン|瓶|袋|ふくろ|パック|ケース|箱|はこ)$")
# (a bottle and a case are containers as lists name them: 「洗剤の空ボトル」 for the list's 洗剤の容器)
# things that come in a small bag that goes out with them (乾燥剤: the bag of silica gel is the 乾燥剤)
_SACHET = re.compile(r"乾燥剤|除湿剤|保冷剤|脱酸素剤|鮮度保持剤|カイロ|かいろ|防虫剤|ティーバッグ")
_GLASS_OR_CHINA = re.compile(r"陶磁器|陶器|磁器|せともの|瀬戸物|ガラス|がらす|食器")
_BROKEN_GLASS_ROW = re.compile(r"(陶磁器|陶器|磁器|せともの|瀬戸物|ガラス|がらす|食器)*")  # (割れ物: none)
_CONTAINER_KIND = {"容器": "容器", "入れ物": "容器", "いれもの": "容器", "ボトル": "容器", "缶": "缶", "かん": "缶", "カン": "缶", "びん": "びん",
                   "ビン": "びん", "瓶": "びん", "袋": "袋", "ふくろ": "袋", "パック": "パック", "ケース": "容器", "箱": "箱",
                   "はこ": "箱"}


def _held_in(word: str):
    """The container a word ends in (its match of _HELD_IN_NAME), not the end of a katakana word (ペットボトル)."""
    m = _HELD_IN_NAME.search(word)
    if m and not m.group(1) and _KATA.match(m.group(2)) and _KATA.match(word[m.start() - 1:m.start()] or "x"):
        return None
    return m


# what a container held, said as in it (の入ってた, が入っていた)
_WAS_IN = re.compile(r"(の|が)(入っ|はいっ)て(い)?た|を?(漬け|つけ|入れ|いれ)て(い)?た")
_MESH = {fold(w) for w in ("網", "あみ", "アミ", "ネット")}
_COUNTED = re.compile(r"^[0-9０-９一二三四五六七八九十百千.]+(合|升|リットル|L|l|ml|mL|キロ|kg|グラム|g|本|個|枚)?$")


def _held_alike(what: str, sound: str, row: str, row_sound: str) -> int:
    """How well what a resident says a container held names what a row's container holds (0: not): the same, a kind
    of it (瓶ビール of ビール), or the same start of two or more kanji or three or more kana (冷凍ギョーザ / 冷凍食品,
    レトルトカレー / レトルト食品)."""
    if what == row or (sound and sound == row_sound):
        return 100
    if len(row) >= 2 and what.endswith(row):  # (not 農薬 of 薬: a kind by more than one letter)
        return 50 + len(row)
    same = len(os.path.commonprefix([what, row]))
    if same >= 3 or (same >= 2 and _KANJI_WORD.match(what[:2])):
        return same
    return 0


_CONTAINER_END = re.compile(r"(容器|入れ物|ボトル|チューブ|缶|びん|ビン|瓶|袋|パック|ケース)$")
_CONTAINER = re.compile(r"^(空き|空|から)?(容器|入れ物|いれもの|ボトル|チューブ|缶|かん|カン|びん|ビン|瓶|袋|ふくろ|パック)$")


def _dot_part(key: Key) -> bool:
    """A key that is one of the names a list joins with ・ (土 of 「石・砂・土」), not the head of
    「自動車のバッテリー」 nor 「木の板」."""
    # (a list may write its other names after a 、 too: スノーボード板 of 「スキー・スノーボード板、ストック」)
    return not (key.primary or key.synonym) and key.base in {
        fold(p) for alias in _ALIAS_SPLIT.split(_PARENS.sub("", key.item.name)) for p in _DOT_SPLIT.split(alias)}


def _kanji_agree(covered, keys) -> bool:
    """Words found by their reading: the kanji a resident typed are the ones meant, so an item
    written only in other kanji of the same sound is another thing (放題 is not 包帯, however its
    other names spell it: ほうたい), and one written in katakana a loanword (放題 is no ボウタイ); an
    item the list writes in hiragana (かさ for 傘) or with some of the same kanji (一升瓶 / 一升びん)
    is the thing."""
    typed = set(_HAS_KANJI.findall("".join(t[0] for t in covered)))
    if not typed:
        return True
    for x in keys:
        name = _PARENS.sub("", x.item.name)
        if typed & set(name) or (not _HAS_KANJI.search(name) and _HIRAGANA.search(name)):
            return True
    return False


def _is_material(text: str) -> bool:
    return fold(re.sub(r"(製|の|もの)+$", "", text)) in _MATERIAL_SET


EVERYDAY = tuple(Path(__file__).resolve().with_name(n) for n in ("everyday.yml", "everyday-more.yml", "everyday-brands.yml"))


@lru_cache(maxsize=1)
def _synonym_groups() -> tuple[tuple[tuple[str, ...], list[str]], ...]:
    """SYNONYMS, the everyday names of things (everyday*.yml), then Sudachi's names of things, each
    with its words folded (once: matchers are rebuilt at every staff edit)."""
    everyday = []
    for g in (g for path in EVERYDAY for g in read_lexicon(path) or []):
        words = [unicodedata.normalize("NFKC", str(w)) for w in g]
        # (not another word of the group with a material before it: ガラスコップ is a glass コップ,
        # which a list that sorts コップ by material decides by its material — but the group's first word
        # is the thing's own name, whatever it begins with: 紙おむつ of [紙おむつ, おむつ, …])
        everyday.append(tuple(w for n, w in enumerate(words)
                              if n == 0 or not any(w != o and w.endswith(o) and _is_material(w[:-len(o)]) for o in words)))
    return tuple((g, [fold(w) for w in g]) for g in (*SYNONYMS, *everyday, *thing_groups()))


@lru_cache(maxsize=1)
def _groups_of() -> dict[str, frozenset[int]]:
    """Each folded word of our everyday groups (everyday*.yml, not Sudachi's) → the groups it is in."""
    out: dict[str, set[int]] = {}
    for n, (_g, folded) in enumerate(_synonym_groups()[: _our_group_count()]):
        for w in folded:
            out.setdefault(w, set()).add(n)
    return {w: frozenset(ns) for w, ns in out.items()}


def _one_group(a: str, b: str) -> bool:
    """Whether two (folded) words are of one everyday group."""
    groups = _groups_of()
    return a != b and bool(groups.get(a, frozenset()) & groups.get(b, frozenset()))


@lru_cache(maxsize=1)
def _our_words() -> frozenset[str]:
    """The folded words of our own groups (SYNONYMS, everyday*.yml)."""
    return frozenset(w for _g, folded in _synonym_groups()[: _our_group_count()] for w in folded)


@lru_cache(maxsize=1)
def _our_group_count() -> int:
    """How many of _synonym_groups() are ours (SYNONYMS and everyday*.yml), before Sudachi's."""
    return len(_synonym_groups()) - len(thing_groups())


@lru_cache(maxsize=1)
def _group_heads() -> tuple[tuple[str, ...], ...]:
    """Each synonym group's heads: the ends of its words in kanji (ロボット掃除機 → 掃除機, 全自動洗濯機
    → 洗濯機), or in hiragana after kanji (年賀はがき → はがき), longest first, for a list that names the kind
    by its head only."""
    out = []
    for group, folded in _synonym_groups():
        heads = set()
        for w in group:
            run = _KANJI_RUN_END.search(w) or _KANA_RUN_AFTER_KANJI.search(w)
            # (not what an electric one is the plain kind of: 電気やかん is no やかん)
            if run and run.start() > 0 and not _ELECTRIC.match(w[: run.start()]):
                heads.add(fold(run.group()))
        out.append(tuple(sorted(heads - set(folded), key=len, reverse=True)))
    return tuple(out)


_KANJI_RUN_END = re.compile(r"[\u4e00-\u9fff]{2,}$")
# (年賀|はがき: a name in hiragana of three or more after kanji; not katakana: 充電式|バッテリー is no car's)
_KANA_RUN_AFTER_KANJI = re.compile(r"(?<=[\u4e00-\u9fff])[\u3041-\u3096]{3,}$")
_ELECTRIC = re.compile(r"^(電気|電動|電子|充電式?|でんき)$")


_NOT_A_WORD_F = {fold(w) for w in _NOT_A_WORD}


@lru_cache(maxsize=1)
def _word_ids() -> dict[str, frozenset[str]]:
    """Folded word → the groups it is in (WORD_KINDS, SYNONYMS, Sudachi's), as "#n"."""
    ids: dict[str, set[str]] = {}
    for n, group in enumerate((*WORD_KINDS, *SYNONYMS, *thing_groups())):
        for w in group:
            if fold(w):
                ids.setdefault(fold(w), set()).add(f"#{n}")
    return {k: frozenset(v) for k, v in ids.items()}


# the lexicon, and what later writers added to it (a block naming a group of the first adds its things)
BROADER = tuple(Path(__file__).resolve().with_name(n) for n in ("broader.yml", "broader-more.yml", "broader-extra.yml"))
# (a bulk file's things offer their broader word only where no key of the list names any of their words: none
# is a compound that stands for more than the list's own keys inside it, as モバイルバッテリー of broader.yml does)
BULK = BROADER[2:]


def _broader_groups() -> list[dict]:
    """The lexicon's groups, one per heading (a later block's names, `also` and things join the first's)."""
    merged: dict[str, dict] = {}
    for path in BROADER:
        for g in read_lexicon(path) or []:
            first = merged.setdefault(g["group"], {"group": g["group"], "names": [], "also": [], "when": None, "things": [],
                                                   "of": None, "bulk": []})
            if path in BULK:
                first["bulk"] += [x for x in g.get("things") or () if x not in first["things"]]
            for field_ in ("names", "also", "things"):
                first[field_] += [x for x in g.get(field_) or () if x not in first[field_]]
            first["when"] = first["when"] or g.get("when")
            first["of"] = first["of"] or g.get("of")
    return list(merged.values())


@lru_cache(maxsize=1)
def _foods() -> frozenset[str]:
    """The things of the lexicon's 生ごみ group, folded: foods."""
    return frozenset(fold(t) for g in _broader_groups() if g["group"] == "生ごみ" for t in g["things"])


@lru_cache(maxsize=1)
def _broader_lexicon():
    """The lexicon (api/gomi/broader*.yml), read and folded once: the groups as (heading, folded
    names, the headings of `also`, the `when` pattern or None), and the things as (letters,
    reading, the headings of their groups)."""
    data = _broader_groups()
    groups = tuple((g["group"], tuple(dict.fromkeys(fold(n) for n in g["names"] if fold(n))), tuple(g.get("also") or ()),
                    re.compile(g["when"]) if g.get("when") else None) for g in data)
    heads: dict[tuple[str, str], list[str]] = {}
    bulk = {fold(unicodedata.normalize("NFKC", str(t))) for g in data for t in g["bulk"]}
    curated = set()
    things_of = {g["group"]: g["things"] for g in data}
    for g in data:
        # (`of`: the parts named of the things of other groups, 「スマートウォッチのバッテリー」 a 充電式電池)
        made = [f"{thing}{joint}{part}" for of in [g.get("of")] if of for heading in of["groups"]
                for thing in things_of.get(heading, ()) for part in of["parts"] for joint in ("の", "用の", "用")]
        curated |= {fold(unicodedata.normalize("NFKC", str(t))) for t in made + [t for t in g["things"] if t not in g["bulk"]]}
        for thing in list(g["things"]) + made:
            thing = unicodedata.normalize("NFKC", str(thing))
            letters = fold(thing)
            reading = "".join(t[2] for t in Matcher._tokens(thing))
            if letters:
                heads.setdefault((letters, reading), [])
                if g["group"] not in heads[(letters, reading)]:
                    heads[(letters, reading)].append(g["group"])
    # the other names of a thing (everyday.yml: ルーター, Wi-Fiルーター, 無線LANルーター) are under its groups too
    by_letters: dict[str, list[str]] = {}
    for (letters, _reading), h in heads.items():
        by_letters.setdefault(letters, []).extend(x for x in h if x not in by_letters.get(letters, ()))
    for group, folded in _synonym_groups()[: _our_group_count()]:
        under = list(dict.fromkeys(h for w in folded for h in by_letters.get(w, ())))
        for raw, letters in zip(group, folded) if under else ():
            if letters and letters not in by_letters:
                heads[(letters, "".join(t[2] for t in Matcher._tokens(raw)))] = under
    return groups, tuple((letters, reading, tuple(h)) for (letters, reading), h in heads.items()), frozenset(bulk - curated)


def _inner_names(item: Item):
    """Names in the parentheses (紙パック(牛乳パック), 電子レンジ(電子オーブンレンジ含む)), not a
    material, kind or size (アイロン(金属製), ソファ(1人掛け), 窓ガラス(割れたもの))."""
    for whole in _PARENS.findall(unicodedata.normalize("NFKC", item.name)):
        # (and each of the names it joins with ・: 菓子箱 of 雑がみ(菓子箱・包装紙); not beside a material, where
        # they say what the thing is made of: いす(金属・パイプ))
        parts = _DOT_SPLIT.split(whole)
        for inner in [whole] + (parts if len(parts) > 1 and not any(_is_material(p) for p in parts) else []):
            inner = _INCLUDES.sub("", inner).strip()
            if len(fold(inner)) >= 3 and not _NOT_A_NAME_INSIDE.search(inner) and not _is_material(inner):
                yield inner


def _named_inside(items: list[Item]) -> dict[str, list[str]]:
    """The things a list files under a kind and names in parentheses (缶(スプレー缶), 電池(ボタン電池),
    プラスチック容器(マヨネーズ・ケチャップ)), by item: the kind written before the parentheses of three rows
    or more, and a thing named inside them under that kind alone — a word in the parentheses of several
    kinds says which of them, as a material does (化粧スプレー(エアゾール缶), 殺虫剤(エアゾール缶)), and a
    kind of two rows (いす(金属・パイプ)) is a thing said of its material."""
    rows: dict[str, list[tuple[str, list[str]]]] = {}
    for it in items:
        name = _NAME_NOTE.sub("", unicodedata.normalize("NFKC", it.name))
        parts = [fold(p) for p in _kinds(name) if len(fold(p)) >= 2]
        if parts:
            rows.setdefault(fold(_PARENS.sub("", name).strip()), []).append((it.uid, parts))
    under: dict[str, set[str]] = {}
    for base, of_base in rows.items():
        for _uid, parts in of_base:
            for p in parts:
                under.setdefault(p, set()).add(base)
    return {uid: [p for p in parts if len(under[p]) == 1 and p != base]
            for base, of_base in rows.items() if len(of_base) >= 3 for uid, parts in of_base}


def _kind_material(item: Item) -> tuple[str, ...]:
    """The material a kind's name starts with, as a qualifier of the things named inside its parentheses
    (プラスチック容器(ふた・キャップ): the ふた is a plastic one, not 「鉄のふた」)."""
    made = _MATERIAL_NAMED.match(_PARENS.sub("", unicodedata.normalize("NFKC", item.name)))
    return (fold(made.group(0)),) if made else ()


def _kinds(name: str):
    """The kinds a name lists in its parentheses (ゴルフ用具(クラブ、バッグ): クラブ, バッグ;
    シャンプー(プラスチック製ボトル・チューブ): プラスチック製ボトル, チューブ): not a material, a size,
    「…以外」, 「…を除く」 nor a condition said with a verb (ディスポーザー(自分で取り外したもののみ))."""
    for inner in _PARENS.findall(unicodedata.normalize("NFKC", name)):
        for part in re.split(r"[・、,/:：\s]|及び|および|など|等", inner):
            part = _INCLUDES.sub("", part).strip()
            if part and not _NOT_A_NAME_INSIDE.search(part) and not _is_material(part) \
                    and not any(t[3] == "動詞" for t in Matcher._tokens(part)):
                yield part


def _tails(tokens) -> list[str]:
    """The ends of a compound name from a word boundary on (食品トレー → トレー, デジタルカメラ →
    カメラ): what residents call it for short. Not from a particle or a suffix on, not one letter,
    not kana under three. The dictionary keeps some compounds whole (紙おむつ): there, the last run
    of one script (おむつ) is an end too."""
    out = []
    for p in range(1, len(tokens)):
        if tokens[p][3] in ("助詞", "助動詞", "接尾辞", "補助記号"):
            continue
        out.append("".join(t[0] for t in tokens[p:]))
    last = tokens[-1][0] if tokens else ""
    run = _LAST_RUN.search(last)
    if run and run.start() > 0:
        out.append(run.group())
    return [t for t in dict.fromkeys(out) if len(fold(t)) >= 2 and not (_KANA_ONLY.match(t) and len(t) < 3)
            and t not in _PART_WORDS and t not in _NOT_A_WORD]


# the ends of names that any thing has (浄水器本体: 「本体はもう無い」 is of another thing)
_PART_WORDS = {"本体", "部品", "部分", "付属品", "一式"}
# what holds or carries a thing, glued to its name: a thing of its own (テレビ台, 米袋, メガネケース)
_HOLDERS = {"台", "箱", "袋", "ケース", "カバー", "スタンド", "ラック"}


# the last run of one script in a word: hiragana or katakana of three or more, kanji of two or more
_LAST_RUN = re.compile(r"([\u3041-\u3096]{3,}|[\u30a1-\u30fcー]{3,}|[\u4e00-\u9fff]{2,})$")


def _bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)] if len(text) > 1 else [text]


def _distance(a: str, b: str) -> int:
    """Edits between two readings, two kana swapped as one (ケルト for ケトル: a slip of the fingers)."""
    before, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb and ca != cb:
                d = min(d, before[j - 2] + 1)
            cur.append(d)
        before, prev = prev, cur
    return prev[-1]
