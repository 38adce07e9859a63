"""ふりがな for the bot's messages: kana readings over the kanji words of a text, as segments
({text, reading}) that the widget renders as <ruby> (issue 15). The readings come from the FAQ
search's analyser (fugashi + UniDic), mended by a reviewed word list (readings.tsv) and a city's
own (<corpus>/readings/*.tsv)."""
from api.furigana.reading import Furigana
from api.furigana.wordlist import WordList, WordListError

__all__ = ["Furigana", "WordList", "WordListError"]
