"""Links read back from rendered messages: hrefs, anchors with their words, URLs in text."""

from __future__ import annotations

from sellercomms import Order, Renderer
from sellercomms.hrefs import Anchor, anchors, read_links, text_urls


def test_a_rendered_email_has_its_feedback_and_review_links_as_anchors(
    renderer: Renderer, by_id: dict[str, Order]
) -> None:
    mail = renderer.email("shipping_confirmation", by_id["ACME-1003"])
    found = anchors(mail.html)
    urls = [anchor.url for anchor in found]
    assert mail.links.feedback in urls
    assert set(mail.links.reviews.values()) <= set(urls)
    assert len(urls) == len(set(urls))
    assert all(anchor.text for anchor in found)
    # Every anchor's address is among the hrefs the channel rules judge.
    assert set(urls) <= set(read_links(mail.html).hrefs)


def test_anchor_words_and_images() -> None:
    html = (
        '<a href="https://a.example/p"> Leave\n  <b>feedback</b> </a>'
        '<a href="https://a.example/logo"><img src="l.png" alt="Acme"></a>'
        '<a href="https://a.example/bare"><img src="x.png"></a>'
        '<a name="top">not a link</a>'
        '<a href="https://a.example/p">again</a>'
    )
    assert anchors(html) == (
        Anchor("https://a.example/p", "Leave feedback"),
        Anchor("https://a.example/logo", "[image: Acme]"),
        Anchor("https://a.example/bare", "[image]"),
    )
    assert len(read_links(html).anchors) == 4


def test_hrefs_of_any_element_and_of_outlook_comments() -> None:
    html = (
        '<link rel="stylesheet" href=" https://a.example/s.css ">'
        '<!--[if mso]><v:roundrect href="https://a.example/vml">x</v:roundrect><![endif]-->'
        '<a href="mailto:help@a.example">mail</a><a>no href</a>'
    )
    assert read_links(html).hrefs == [
        "https://a.example/s.css",
        "https://a.example/vml",
        "mailto:help@a.example",
    ]


def test_an_anchor_inside_another_ends_it() -> None:
    reader = read_links('<a href="https://a.example/1">one<a href="https://a.example/2">two</a>x')
    assert reader.anchors == [
        Anchor("https://a.example/1", "one"),
        Anchor("https://a.example/2", "two"),
    ]
    assert not reader.in_link


def test_urls_in_text_lose_the_punctuation_after_them() -> None:
    text = "See https://a.example/p?x=1. Or (www.a.example/q), «https://a.example/r»!"
    assert text_urls(text) == [
        "https://a.example/p?x=1",
        "www.a.example/q",
        "https://a.example/r",
    ]
    assert text_urls("no links here, just a@b.example") == []
