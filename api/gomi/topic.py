"""Whether a message that names a thing of the list without asking how it goes out is about that
thing — decided by the city's own FAQ, not by more words of ours.

「レコード LP 50枚くらい」「革のベルト 金具ついてる」 name a thing and say something of it; 「水道代
高すぎるんだけど、漏れてないか調べてもらえる？」 names one (水道) and asks about another matter. The
matcher cannot tell them apart by its word lists without growing them for every way residents
write (the blind sets showed it: rules fitted on one half did not hold on the other). The FAQ
search can: its in-scope model is calibrated on the city's own FAQ, so a message it finds
nothing for (or is only unsure of) is not one of the city's other matters, and one whose best
entry is filed under the garbage is about the garbage. Either way the thing named is what the
resident asks about.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Optional

from api.gomi.matcher import _HIRAGANA_WORD, _KANJI_WORD, _KATA, Found, Match, Matcher
from api.textnorm import normalize

# an FAQ category about the garbage (ごみ・リサイクル, ごみ・環境, 資源物, 清掃, 廃棄物 …)
GARBAGE_CATEGORY = re.compile(r"ごみ|ゴミ|リサイクル|資源|清掃|廃棄")
# A message the FAQ is unsure of, with another matter's entry first, that says this much besides its
# thing is about that matter, not about the thing: its item is only offered. From the three blind
# sets' dev halves (both lists): the item messages said 0–9 letters besides the thing (one 16), the
# other matters 14–40. Where the FAQ has nothing at all, the thing is what the message is about
# however much it tells (「ボーンボーンって鳴る柱時計、祖父の形見だけど動かない」: 13–18 letters in the
# story-like sets, bench/data/gomi-yukishiro/listq2-*) — unless it names a rule or a matter of the thing; and
# where the FAQ is only unsure, so is a story that asks nothing (`Match.asks`: 「娘の学習机、ひとり暮らしするから
# 実家に置いてけって言われたけど置き場ない」, the FAQ unsure of 転入・転出): the other matters that named a thing in
# the blind sets asked something (「…さいふを おとしました。どこに ききますか」) or told of a thing lost or on a
# road (`Match.of_matter`).
BESIDES_MAX = 12
# How near the rows a message means must come where the FAQ is only unsure and its best entry is the garbage's
# (「スーパーのトレー　白いやつ」「鏡餅の形したプラスチックの入れ物」): nearer than where it has nothing (NEAR,
# api/gomi/meaning.py), for the garbage's rule questions the FAQ is unsure of share a noun with a row too
# (「1回に何袋まで出していいんですか」: a list's 個別包装袋, 0.85). From the thirty-seven sets' dev halves, over
# such messages with rows: at 0.87, 3 of the 4 item messages given rows had their thing among them and 1 of the 6
# rule messages got rows; at NEAR, 3 of 6 and 6 of 6.
NEAR_BESIDE_GARBAGE = 0.87

# the FAQ's reading of a message: its zone ("answer" | "suggest" | "none") and the category of its
# best entry (None when it has none)
FaqReading = Callable[[str], tuple[str, Optional[str]]]
# the list's rows nearest what a message means and the best one's nearness (api/gomi/meaning.py)
Meant = Callable[[str], tuple[list[str], float]]


def faq_reading(faq) -> FaqReading:
    """The FAQ service's search (api.faq.service.FaqService) as settle() reads it."""
    def read(text: str) -> tuple[str, Optional[str]]:
        result = faq.search(text, k=1)
        return result.zone, (result.hits[0].category if result.hits else None)
    return read


def files_unlisted(zone: str, first_category: Optional[str]) -> bool:
    """Whether a message that is only the name of a thing the list lacks (`Match.unlisted`) goes to the
    staff's inbox as a missing item: when the FAQ has nothing for it, or is only unsure and its best entry
    is about the garbage — not 「住民票」, whose best entry, sure or not, is another matter's."""
    return zone == "none" or (zone == "suggest" and _of_the_garbage(first_category))


def _of_the_garbage(category: Optional[str]) -> bool:
    return bool(category and GARBAGE_CATEGORY.search(category))


# a thing said to be no rental is the resident's own to throw away: 「父が使っていた電動の介護ベッド、レンタルではなく買った
# ものです」「ベビーベッド　レンタルじゃないやつ」 ask nothing of the rentals the FAQ answers about (介護用品, ベビー用品)
_NOT_RENTED = re.compile(r"(介護保険の)?(レンタル|リース)品?(では|じゃ|で)(なく|ない)(て|くて)?(やつ|もの)?")


def _reading(faq: FaqReading, question: str) -> tuple[str, bool]:
    """The FAQ's zone for a message and whether its best entry is the garbage's — asked without the words saying the
    thing is no rental (`_NOT_RENTED`)."""
    zone, category = faq(_NOT_RENTED.sub(" ", question))
    return zone, _of_the_garbage(category)


def settle(match: Match, question: str, faq: Optional[FaqReading], meant: Optional[Meant] = None) -> Match:
    """A thing named without asking (`maybe`) is the item question when the FAQ is not sure of
    another matter (it has nothing, or is unsure) or finds the garbage first: the item's answer
    alone when the FAQ is unsure, after the FAQ's answer when it answers (「指定ごみ袋はどこで買えます
    か」 is the FAQ's first, how a ゴミ袋 goes out only after it: `after_faq`). When the FAQ answers
    another matter, that matter stands and the thing is not offered. A message that says much else
    besides the thing (BESIDES_MAX) without saying how things go out where the FAQ has something for
    it (and asks something, where the FAQ is only unsure), asks of a matter of it
    (`of_matter`: 携帯電話の解約) or names a rule (引っ越し, where the FAQ's もしかして are the rules) is
    settled only by the garbage first — in another language (`foreign`), one that names a rule only
    when the FAQ answers; else the thing is offered: after the FAQ's もしかして, or alone
    when the FAQ has nothing. A thing whose day the message asks (`day`: 何曜日, in any language) is the
    item question unless the FAQ answers another matter: its category says the day. With `meant`, a
    message in which nothing of the list was found may still describe a thing (`by_meaning`), and a thing
    only guessed at gets the rows the message means beside the guesses (`beside_a_guess`)."""
    if match.item_question:
        return beside_a_guess(match, question, meant) if meant is not None else match
    if faq is None:
        return match
    if not match.maybe:
        return by_meaning(match, question, faq, meant) if meant is not None and not match.rule else match
    zone, garbage = _reading(faq, question)
    # (a message that says how things go out — 出せますか, 引き取って, 燃えるごみで — is about its thing
    # however much else it says: 「紙おむつって燃えるごみで出せる？うんちはトイレに流してからって聞いたけど」)
    plain = (match.says_out or match.besides <= BESIDES_MAX or (zone == "none" and not match.rule)
             or (zone == "suggest" and not match.asks))
    # (of a matter of the thing, the FAQ's garbage entry found by the thing's name settles it only when
    # it answers: 「消火器の点検って業者が来た」 gets no item unless after the FAQ's 消火器)
    # (in another language, a rule named beside the thing stands unless the FAQ answers: the FAQ's
    # zones are fitted on Japanese, and its first entry for «where do I buy the garbage bags?» may be
    # the garbage's without the message being about a thing)
    aside = match.of_matter or (match.foreign and match.rule)
    # (a thing's day asked, 「赤ちゃんのオムツって何曜日？」: its category says which, after the FAQ's collection days
    # where the FAQ answers them — not where it answers another matter)
    day = match.day and not match.of_matter and (zone != "answer" or garbage)
    if day or (garbage and (zone == "answer" or not aside)) or (
            plain and not aside and (zone == "none" or (zone == "suggest" and not match.rule))):
        # (a thing taken by a broader word is one the list lacks by its own name: for the staff's inbox)
        missing = match.missing or next((f.text for f in match.maybe if f.broader), "")
        settled = replace(match, item_question=True, found=match.maybe, maybe=[], missing=missing,
                          after_faq=zone == "answer")
        return beside_a_guess(settled, question, meant) if meant is not None else settled
    if zone == "answer" and not aside and not match.rule and _ends_with(question, match.maybe):
        return replace(match, item_question=True, found=match.maybe, maybe=[], after_faq=True)
    if zone == "answer":
        return replace(match, maybe=[])
    return match


_END = re.compile(r"[\s。、．，.,!！?？…]+$")

def _ends_with(question: str, found: list[Found]) -> bool:
    """Whether the message is its one thing's noun phrase: 「亡くなった犬の犬小屋」 is about the 犬小屋 however
    the FAQ reads the rest (its answer, on a pet's death, comes first; the thing after it)."""
    q, text = _END.sub("", normalize(question)), normalize(found[0].text) if len(found) == 1 else ""
    if not text or not q.endswith(text) or _HIRAGANA_WORD.match(text):
        return False
    head = q[: -len(text)]
    # (the phrase's words run into the thing: 「壁かけミラー」 — not a word apart, 「じどうてあて しんせい」, nor the
    # end of a longer word, 「障害者手帳」 is no 手帳, nor a hiragana word a reading guessed at, 「むりょう」)
    return bool(head) and not head[-1].isspace() and not any(
        r.match(head[-1]) and r.match(text[0]) for r in (_KANJI_WORD, _KATA))


def by_meaning(match: Match, question: str, faq: FaqReading, meant: Meant) -> Match:
    """A message in which the matcher found nothing of the list and no rule, and for which the city's FAQ has
    nothing either, may describe a thing instead of naming it (「コーヒー淹れる機械（ドリップのやつ）」): the rows nearest what it
    means, when near enough (api/gomi/meaning.py), are offered as a もしかして (`suggest`); so, when nearer still
    (NEAR_BESIDE_GARBAGE), where the FAQ is only unsure and its best entry is the garbage's — not where it is
    unsure of another matter or answers one (「はがきが来たけどどうするの」 is the マイナンバー's) — the resident
    picks one or says none fits; the name the matcher could not find still goes to the staff's inbox."""
    zone, garbage = _reading(faq, question)
    if zone != "none" and not (zone == "suggest" and garbage):
        return match
    uids, score = meant(question)
    if not uids or (zone == "suggest" and score < NEAR_BESIDE_GARBAGE):
        return match
    return replace(match, item_question=True, found=[Found("suggest", "", uids, score=round(score, 3))])


def beside_a_guess(match: Match, question: str, meant: Meant) -> Match:
    """A thing the matcher only guessed at (its one finding a もしかして: a name a letter off, the rows of a
    broader word, a name's end said of another thing) gets the rows nearest what the message means beside
    its guesses: the matcher's first three, then the meaning's, then the rest of the matcher's — up to
    Matcher.CHOICES buttons, none of the matcher's left out. So does a word that names several rows (its `choices`: 「大館のまげわっぱの
    弁当箱」 names the 弁当箱 rows, and means the list's 曲げわっぱ), the meaning's rows after all of them.
    A thing named without asking, once settled as the item question, gets them as well. Over the thirty-five
    bench sets, so widened, the buttons held the right row for 16 more dev and 29 more held-out messages; only
    rows the message shares a noun with: 2 fewer dev, 5 fewer held out (a ヘアスプレー for 「ケープ」 shares none);
    no widening where the message names nothing but the choices' word (「アイロン捨てたい」): 5 fewer held out."""
    if len(match.found) != 1 or match.found[0].kind not in ("suggest", "choices"):
        return match
    guess = match.found[0]
    uids, _score = meant(question)
    # (the matcher's rows all kept — the meaning's fill the buttons left; after all of a word's choices, the
    # rows it names)
    more = [u for u in uids if u not in guess.items][: max(0, Matcher.CHOICES - len(guess.items))]
    if not more:
        return match
    first = len(guess.items) if guess.kind == "choices" else 3
    return replace(match, found=[replace(guess, items=guess.items[:first] + more + guess.items[first:])])
