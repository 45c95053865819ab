from tribune.discussion.spamfilter.features import (
    Sample,
    call_tokens,
    hosts,
    meta_tokens,
    text_for_chars,
    text_for_words,
)
from tribune.discussion.spamfilter.reasons import describe


def test_hosts_finds_links_with_and_without_scheme():
    text = "see https://www.Example.com/x and shop.example.net/deal or www.a.org"
    assert hosts(text) == ["example.com", "shop.example.net", "a.org"]


def test_words_replace_links_phones_and_emails_with_placeholders():
    words = text_for_words(
        Sample(text="Call +44 7935 454150 or me@x.org, see http://spam.biz/now&amp;")
    )
    assert "zzphone" in words
    assert "zzemail" in words
    assert "zzlink zzhostspambiz" in words
    assert "http" not in words


def test_chars_drop_markup_entities_and_byte_order_marks():
    assert text_for_chars(Sample(text="<b>Hi</b> &amp;  you\ufeff")) == "hi & you"


def test_unknown_poster_facts_add_no_tokens():
    tokens = meta_tokens(Sample(text="hello", name="Ann Lee"))
    assert not [t for t in tokens if t.split(":")[0] in {"account", "guestage"}]


def test_known_poster_facts_and_website_become_tokens():
    tokens = meta_tokens(
        Sample(
            text="Visit my channel!!!",
            name="cashKing99",
            website="https://deals.example.com/x",
            has_account=False,
            guest_age_days=0.0,
            approved_before=0,
            spam_before=2,
        )
    )
    for token in (
        "account:False",
        "guestage:le0.01",
        "approved:le0",
        "spam:gt1",
        "website:deals.example.com",
        "name:digits:True",
        "bangs:gt2",
    ):
        assert token in tokens


def test_reasons_read_as_words():
    assert describe("word", "subscribe") == "the words “subscribe”"
    assert describe("word", "zzlink zzhostbitly") == "a link + a link to bitly"
    assert describe("meta", "host:bit.ly") == "a link to bit.ly"
    assert describe("meta", "name:digits:True") == "a name with digits"
    assert describe("char", " sub") == "the letters “sub”"


def test_calls_to_act_become_one_token_each_whatever_the_spelling():
    assert call_tokens(Sample(text="Sucscribe to me!!")) == ["call:subscribe"]
    assert call_tokens(Sample(text="sub 4 sub, check out our new song")) == [
        "call:promo",
        "call:subscribe",
        "call:checkout",
    ]
    assert call_tokens(Sample(text="Like this comment if you&#39;re here")) == [
        "call:likebait"
    ]
    assert call_tokens(Sample(text="Get free gift cards")) == ["call:money"]
    assert "call:none" in meta_tokens(Sample(text="What a great tune."))
    # Talk about the video is not a call to act.
    assert call_tokens(Sample(text="2 billion views, my favourite song")) == [
        "call:none"
    ]
    assert describe("meta", "call:likebait") == "asks for likes"
