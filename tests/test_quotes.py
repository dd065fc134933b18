from articles import compare_texts as run
from articles import findings


def quote_findings(report, verdict):
    return findings(report, verdict, "quote")


def test_same_quotation_given_to_different_speakers_contradicts():
    report = run('"We will rebuild every house on this coast," Governor Anna Berg said on Friday.',
                 '"We will rebuild every house on this coast," Mayor Tomas Reyes said on Friday.')
    found = quote_findings(report, "contradiction")
    assert found and "Anna Berg" in found[0].summary and "Tomas Reyes" in found[0].summary


def test_one_speaker_quoted_in_other_words_is_a_difference():
    report = run('"This is the worst storm our coast has seen in 40 years," Governor Anna Berg said.',
                 'Governor Anna Berg called it "the worst storm this coast has seen in forty years".')
    assert quote_findings(report, "difference") and not quote_findings(report, "contradiction")


def test_identical_quotation_by_the_same_speaker_is_no_quote_finding():
    text = '"We will rebuild every house on this coast," Governor Anna Berg said on Friday.'
    report = run(text, text.replace("Friday", "Saturday"))
    assert not quote_findings(report, "difference") and not quote_findings(report, "contradiction")


def test_pronoun_speakers_are_not_opposed():
    report = run('"We will rebuild every house on this coast," she said on Friday.',
                 '"We will rebuild every house on this coast," he said on Friday.')
    assert not quote_findings(report, "contradiction")


def test_a_speaker_named_in_the_other_sentence_is_the_same_speaker():
    report = run('"At least ten fighters were caught at the border," Jan Horak told Fox News on Tuesday.',
                 'Horak said in an interview with Fox News that "at least ten fighters were caught at the border".')
    assert not quote_findings(report, "contradiction")


def test_quotations_compared_in_batches_give_the_pairs_of_the_full_matrix(monkeypatch):
    from rapidfuzz import fuzz, process

    from reconcile.judge import quotes

    texts = ["we will rebuild every house", "we will rebuild each house", "nothing like it at all",
             "we will rebuild every home", "the worst storm in forty years", "the worst storm in 40 years",
             "we will rebuild every house"]
    full = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=quotes.SIMILAR_QUOTE)
    expected = [(i, j, float(full[i, j])) for i, j in zip(*full.nonzero()) if i < j]
    monkeypatch.setattr(quotes, "QUOTE_ROWS", 2)
    assert list(quotes._similar_pairs(texts)) == expected and len(expected) >= 4
