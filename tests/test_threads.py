"""One `Library`, many threads: the embeddable API promises "load once, decide many times, from any
number of threads". durable-rules is not thread-safe (a fact asserted by one thread is drained by
another), so this holds only while the backend's lock spans every assert, drain and retract: eight
threads deciding the same generated requests, each in its own order, must give exactly the decision
JSON that one thread gives. Threads are made to switch every few microseconds, so that without the
lock they interleave inside the engine (checked by hand: with `backend._LOCK` a no-op, 700 to 1,100
of the 24,000 answers differ). The threads start on a library no one has used, so they also compile
its matters concurrently."""
from __future__ import annotations

import random
import sys
import threading

import pytest

from quanze import Library

from . import generators as gen
from .paths import LISTS, RULES

THREADS = 8
REQUESTS = 3000
DAYS = ["2020-06-01", "2021-10-31", "2021-11-01", "2023-01-01"]  # either version of the sample lists


def generated_requests(catalogue) -> list:
    """Requests over every fact of the catalogue, on days that pick either list version, some with who
    decided and a committee vote (so violations and vote results are compared too); two in three on
    the generators' few matters, so that threads often meet on one matter's rulesets, the rest on any."""
    rng = random.Random(20240917)
    out = []
    for n in range(REQUESTS):
        matters = gen.MATTERS if rng.random() < 2 / 3 else sorted(catalogue.matters)
        req = gen.request(rng, catalogue, matters=matters, facts=list(catalogue.facts))
        req["on"] = rng.choice(DAYS)
        req["case"] = f"T-{n}"
        if rng.random() < 0.3:
            req["decided_by"] = rng.choice(gen.AUTH)
        if rng.random() < 0.1:
            req["vote"] = {"members": 11, "present": rng.randint(5, 11), "in_favour": 5,
                           "procurator_general_dissents": rng.random() < 0.5}
        out.append(req)
    return out


@pytest.fixture
def fast_switching():
    """Threads switch every 10 µs instead of every 5 ms, so they interleave between engine calls."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


def test_eight_threads_on_one_library_give_the_answers_of_one_thread(fast_switching):
    alone = Library.load(LISTS, rules=RULES)
    requests = generated_requests(alone.catalogue)
    expected = [alone.decide(r).to_json() for r in requests]
    assert {d["status"] for d in expected} == {"ok", "forbidden", "undetermined"}
    library = Library.load(LISTS, rules=RULES)  # fresh: the threads also compile its matters, at once

    answers: list = [None] * THREADS
    errors: list = []
    start = threading.Barrier(THREADS)

    def work(k: int) -> None:
        order = list(range(REQUESTS))
        random.Random(k).shuffle(order)  # each thread in its own order: different matters meet
        got = {}
        try:
            start.wait()
            for i in order:
                got[i] = library.decide(requests[i]).to_json()
        except Exception as exc:  # reported below with the thread's number, not lost in the thread
            errors.append((k, repr(exc)))
        answers[k] = got

    threads = [threading.Thread(target=work, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    wrong = [(k, i) for k, got in enumerate(answers) for i in range(REQUESTS) if got.get(i) != expected[i]]
    if wrong:
        k, i = wrong[0]
        pytest.fail(f"{len(wrong)} of {THREADS * REQUESTS} answers differ from one thread's; the first, "
                    f"thread {k}: {requests[i]} gave {answers[k].get(i)}, not {expected[i]}")
