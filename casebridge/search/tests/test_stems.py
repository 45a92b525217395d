"""Stemming from several threads at once, as a server's threads search and index concurrently."""

import itertools
import sys
import threading

from casebridge.search.stems import stems

stemmed = stems.__wrapped__  # the stemmers at work each time, not the cache

# Words that take the stemmers through their longer steps ("-heden", "-ingen", "-ungen", "-ations").
_ENDINGS = ("heden", "ingen", "ungen", "ations", "ement", "lijkheid", "baarheid", "isseurs")
_WORDS = [f"{start}{middle}{end}" for start, middle, end in
          itertools.product(("wo", "begel", "verantw", "bewa", "instit"), ("ord", "ak", "ien", "erk"), _ENDINGS)]


def test_threads_stemming_at_once_get_the_stems_one_thread_gets():
    expected = {word: stemmed(word) for word in _WORDS}
    threads, wrong, failed = 4, [], []
    barrier = threading.Barrier(threads)

    def stem_all():
        barrier.wait()
        try:
            for _ in range(5):
                wrong.extend(word for word in _WORDS if stemmed(word) != expected[word])
        except Exception as error:  # a stemmer shared between threads reads past its word's end
            failed.append(repr(error))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        running = [threading.Thread(target=stem_all) for _ in range(threads)]
        for thread in running:
            thread.start()
        for thread in running:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failed == [] and wrong == []
