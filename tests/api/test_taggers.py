"""MeCab taggers are pooled (api.faq.analysis.TAGGERS): threads that come and go, as the api's
worker threads do under bursts, reuse the pool's taggers instead of leaving one behind each
(≈ 7.6 MB a thread that never came back)."""
import threading

from api.faq.analysis import TAGGERS, Analyzer


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        return int(f.read().split("VmRSS:")[1].split()[0]) / 1024


def test_threads_that_come_and_go_do_not_add_taggers():
    analyzer = Analyzer()

    def work():
        for _ in range(20):
            assert analyzer.morphemes("住民票の写しはどこで取れますか")

    def burst():
        threads = [threading.Thread(target=work) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    burst()
    pooled, before = TAGGERS._idle.qsize(), _rss_mb()
    for _ in range(4):
        burst()
    assert TAGGERS._idle.qsize() <= max(pooled, 20)
    assert _rss_mb() - before < 60  # a tagger per thread grew it ≈ 150 MB a burst


def test_words_are_copied_out_of_the_parse():
    words = TAGGERS("住民票を取りたい")
    again = TAGGERS("粗大ごみを出したい")
    assert [w.surface for w in words][:2] == ["住民", "票"] or words[0].surface.startswith("住民")
    assert words[0].surface != again[0].surface and words[0].feature.pos1
