"""Fuzz clean, segment, the number parser (claims.quantities) and ingest's decoder.

    pip install atheris                                     # coverage-guided, if it installs
    python fuzz/fuzz_pipeline.py -max_total_time=600        # libFuzzer flags; seeds from fixtures/
    python fuzz/fuzz_pipeline.py crash-1234abcd             # replay one input libFuzzer saved
    python fuzz/fuzz_pipeline.py --hypothesis --seconds 600 # without atheris: hypothesis, same checks

Besides "does not raise", each input is checked for the invariants the later stages rely on:
blocks and sentences lie inside the text, in order, without overlap, and every sentence and
figure is exactly the slice of the source its offsets name. A failure prints the input as a
Python literal; add it to tests/test_robust.py as a regression test. At exit the script prints
how many inputs it tried.
"""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TRIED = [0]
TARGETS = ("clean+segment", "quantities", "decode", "pipeline")


def check(target: int, text: str, raw: bytes = b"") -> None:
    """Run one target on one input and assert its invariants."""
    from reconcile.claims.quantities import find_quantities
    from reconcile.clean import clean
    from reconcile.errors import InputError
    from reconcile.ingest import decode
    from reconcile.models import Source
    from reconcile.pipeline import claims_of
    from reconcile.segment import segment

    TRIED[0] += 1
    name = TARGETS[target % len(TARGETS)]
    source = Source(id="f", name="f", path=None, text=text)
    if name == "clean+segment":
        cleaned = clean(source)
        last = 0
        for block in cleaned.blocks:
            assert 0 <= last <= block.start <= block.end <= len(text), (block, last)
            last = block.end
        last = 0
        for sentence in segment(cleaned):
            assert last <= sentence.start < sentence.end <= len(text), (sentence, last)
            assert text[sentence.start:sentence.end] == sentence.text
            last = sentence.end
    elif name == "quantities":
        offset = 7
        for q in find_quantities(text, offset):
            assert offset <= q.start < q.end <= offset + len(text), q
            assert text[q.start - offset:q.end - offset] == q.text, q
            if q.low is not None and q.high is not None:
                assert q.low <= q.high, q
    elif name == "decode":
        try:
            decoded = decode(raw or text.encode("utf-8", "surrogatepass"), "f")
        except InputError:
            return
        assert isinstance(decoded, str) and decoded.strip()
    else:
        for claim in claims_of(source):
            s = claim.sentence
            assert text[s.start:s.end] == s.text


def _report(value, exc: BaseException) -> None:
    print(f"\nFAILED on {value!r}\n{type(exc).__name__}: {exc}", file=sys.stderr)


def run_atheris(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["reconcile"]):
        import reconcile.claims.quantities  # noqa: F401
        import reconcile.clean  # noqa: F401
        import reconcile.ingest  # noqa: F401
        import reconcile.pipeline  # noqa: F401
        import reconcile.segment  # noqa: F401  (instrumented on import)

    def one_input(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        target = provider.ConsumeIntInRange(0, len(TARGETS) - 1)
        if TARGETS[target] == "decode":
            raw = provider.ConsumeBytes(len(data))
            try:
                check(target, "", raw)
            except Exception as exc:
                _report(raw, exc)
                raise
            return
        text = provider.ConsumeUnicodeNoSurrogates(len(data))
        try:
            check(target, text)
        except Exception as exc:
            _report((TARGETS[target], text), exc)
            raise

    corpus = None
    if not any(not a.startswith("-") for a in argv[1:]):  # no corpus or crash file given: seed from fixtures
        corpus = tempfile.mkdtemp(prefix="reconcile-fuzz-")
        for n, path in enumerate(sorted((ROOT / "fixtures").rglob("*.*"))):
            if path.suffix in (".txt", ".md"):
                data = path.read_bytes()[:4000]
                for target in range(len(TARGETS)):
                    (Path(corpus) / f"{n}-{target}").write_bytes(bytes([target]) + data)
        argv = argv + [corpus]
    started = time.monotonic()
    atexit.register(lambda: _summary(started, corpus))
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def run_hypothesis(seconds: float) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    words = st.sampled_from(["Flood", "40", "1,200", "3.5", "£5m", "at least", "killed", "said", "Mr.", "U.S.",
                             "\u201c", "\u201d", ".", ",", "\n", "\r\n", "\r", "\u00a0", "\ufb01", "per cent",
                             "two", "dozens", "million", "-", "\u2013", "KYIV", "(AP)", "##", "---"])
    texts = st.one_of(st.text(max_size=2000), st.lists(words, max_size=300).map(" ".join))
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    @settings(max_examples=10**9, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(st.integers(0, len(TARGETS) - 1), texts, st.binary(max_size=2000))
    def fuzz(target, text, raw):
        if time.monotonic() > deadline:
            raise _TimeUp
        try:
            check(target, text, raw)
        except Exception as exc:
            _report((TARGETS[target], text, raw), exc)
            raise

    try:
        fuzz()
    except _TimeUp:
        pass
    finally:
        _summary(started, None)


class _TimeUp(BaseException):
    pass


def _summary(started: float, corpus: str | None) -> None:
    print(f"\nreconcile fuzz: {TRIED[0]} inputs tried in {time.monotonic() - started:.0f} s", file=sys.stderr)
    if corpus:
        shutil.rmtree(corpus, ignore_errors=True)


def main(argv: list[str]) -> None:
    if "--hypothesis" in argv:
        seconds = float(argv[argv.index("--seconds") + 1]) if "--seconds" in argv else 60.0
        run_hypothesis(seconds)
        return
    try:
        import atheris  # noqa: F401  (only: is it there?)
    except ImportError:
        print("atheris is not installed; using hypothesis (--hypothesis)", file=sys.stderr)
        run_hypothesis(60.0)
        return
    run_atheris(argv)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main(sys.argv)
