"""Seeded fuzzing: mutated copies of the reference text and of a Jiangsu PDF (lines deleted,
duplicated or shuffled; bytes changed; files truncated) go through ``cnbudget extract`` and, for
one case in ten, ``cnbudget check``, in process. Every run must end with exit 0, or with exit 2
and one line saying why: never a traceback (exit 70 is a defect of cnbudget), never a hang
(each case is bounded by an alarm). The counts are printed (pytest -s) for the record."""

import collections
import os
import random
import signal
import time

import pytest
from paths import REFERENCE, raw

from cnbudget.cli import main

SEED = int(os.environ.get("CNBUDGET_FUZZ_SEED", "20261129"))  # another seed: another 200 cases
CASES = 200
CASE_SECONDS = 15  # one case longer than this is a hang
CHECKED = (0, 11)  # case % 20: one text and one PDF case in twenty also go through `check`


def _lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    what = rng.choice(["delete", "duplicate", "shuffle"])
    start = rng.randrange(len(lines))
    size = rng.randint(1, 40)
    block = lines[start : start + size]
    if what == "delete":
        del lines[start : start + size]
    elif what == "duplicate":
        lines[start:start] = block
    else:
        rng.shuffle(block)
        lines[start : start + size] = block
    return b"\n".join(lines)


def _bytes(data: bytes, rng: random.Random) -> bytes:
    what = rng.choice(["flip", "truncate", "cut", "repeat"])
    out = bytearray(data)
    if what == "flip":
        for _ in range(rng.randint(1, 30)):
            out[rng.randrange(len(out))] = rng.randrange(256)
    elif what == "truncate":
        del out[rng.randrange(len(out)) :]
    elif what == "cut":
        start = rng.randrange(len(out))
        del out[start : start + rng.randint(1, 5000)]
    else:
        start = rng.randrange(len(out))
        chunk = out[start : start + rng.randint(1, 5000)]
        out[start:start] = chunk
    return bytes(out)


def _mutations(rng: random.Random, text: bytes, pdf: bytes):
    for case in range(CASES):
        if case % 2 == 0:
            yield case, "txt", (_lines if rng.random() < 0.6 else _bytes)(text, rng)
        else:
            yield case, "pdf", _bytes(pdf, rng)


def _alarm(signum, frame):
    raise TimeoutError("a fuzz case ran too long: a hang")


@pytest.mark.slow
def test_mutated_documents_end_in_a_report_or_one_line(tmp_path, capsys):
    text = REFERENCE.read_bytes()
    pdf = raw("jiangsu/2019/high-court").read_bytes()
    rng = random.Random(SEED)
    outcomes: collections.Counter = collections.Counter()
    previous = signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    try:
        for case, suffix, data in _mutations(rng, text, pdf):
            doc = tmp_path / f"case{case:03d}.{suffix}"
            doc.write_bytes(data)
            commands = ["extract", "check"] if case % 20 in CHECKED else ["extract"]
            for command in commands:
                argv = [command, str(doc), "--out", str(tmp_path / f"out{case:03d}")]
                if command == "check":
                    argv.append("--no-data-docs")
                signal.alarm(CASE_SECONDS)
                try:
                    code = main(argv)
                finally:
                    signal.alarm(0)
                err = capsys.readouterr().err
                assert code in (0, 2), f"case {case} ({suffix}, {command}): exit {code}\n{err[-2000:]}"
                assert "Traceback" not in err, f"case {case}: {err[-2000:]}"
                if code == 2:
                    said = [line for line in err.splitlines() if line.startswith("cnbudget: error:")]
                    assert len(said) == 1, f"case {case}: {err[-2000:]}"
                outcomes[(suffix, command, code)] += 1
                if code != 0:
                    break
            doc.unlink()
    finally:
        signal.signal(signal.SIGALRM, previous)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nfuzz: {CASES} cases in {seconds:.1f}s (seed {SEED}):")
        for (suffix, command, code), n in sorted(outcomes.items()):
            print(f"  {suffix} {command}: exit {code} × {n}")
    # the mutations reach both outcomes on both kinds of file: the test exercises something
    for suffix in ("txt", "pdf"):
        assert outcomes[(suffix, "extract", 0)] > 0 and outcomes[(suffix, "extract", 2)] > 0, outcomes
    assert outcomes[("txt", "check", 0)] > 0 and outcomes[("pdf", "check", 0)] > 0, outcomes
