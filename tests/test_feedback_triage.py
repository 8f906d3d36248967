"""Triage: every root cause recognised in every shipped language, negations, remedies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sellercomms import feedback_report, get_channel
from sellercomms.feedback.models import FeedbackEntry
from sellercomms.feedback.phrases import LANGUAGES, PHRASES
from sellercomms.feedback.triage import CAUSES, choose_remedy, primary_cause, tag_causes

FEEDBACK = Path(__file__).parent / "resources" / "feedback"


def entry(comment: str = "", rating: int = 1, **answers: bool | None) -> FeedbackEntry:
    return FeedbackEntry(line=2, date=date(2025, 11, 24), rating=rating, comment=comment, **answers)


def causes(comment: str, **answers: bool | None) -> list[str]:
    return [tag.cause for tag in tag_causes(entry(comment, **answers))]


def test_seven_causes_with_phrases_in_every_language() -> None:
    assert list(CAUSES) == list(PHRASES)
    assert len(CAUSES) == 7
    for cause, languages in PHRASES.items():
        assert set(languages) == set(LANGUAGES), cause


@pytest.mark.parametrize(
    ("cause", "language", "comment"),
    [
        ("shipping_speed", "en", "Arrived two weeks late"),
        ("shipping_speed", "de", "Die Lieferung kam viel zu spät"),
        ("shipping_speed", "fr", "Colis arrivé en retard"),
        ("shipping_speed", "es", "El paquete llegó tarde"),
        ("shipping_speed", "it", "Spedizione in ritardo di una settimana"),
        ("shipping_speed", "ja", "配送が遅すぎる"),
        ("shipping_speed", "ar", "الطلب وصل متأخر جدا"),
        ("packing", "en", "The mug arrived broken"),
        ("packing", "de", "Der Karton war kaputt"),
        ("packing", "fr", "Article cassé à la livraison"),
        ("packing", "es", "La caja llegó rota"),
        ("packing", "it", "Il pacco è arrivato danneggiato"),
        ("packing", "ja", "商品が破損していました"),
        ("packing", "ar", "وصل المنتج مكسور"),
        ("tracking", "en", "Never got a tracking number"),
        ("tracking", "de", "Keine Sendungsnummer erhalten"),
        ("tracking", "fr", "Pas de numéro de suivi"),
        ("tracking", "es", "No hay número de seguimiento"),
        ("tracking", "it", "Nessun numero di tracciamento"),
        ("tracking", "ja", "追跡番号の連絡がない"),
        ("tracking", "ar", "لا يوجد رقم تتبع"),
        ("slow_replies", "en", "Seller never replied to my messages"),
        ("slow_replies", "de", "Keine Antwort auf meine Nachrichten"),
        ("slow_replies", "fr", "Aucune réponse à mes messages"),
        ("slow_replies", "es", "El vendedor no responde"),
        ("slow_replies", "it", "Nessuna risposta dal venditore"),
        ("slow_replies", "ja", "問い合わせへの返信がない"),
        ("slow_replies", "ar", "البائع لا يرد على الرسائل"),
        ("hard_to_return", "en", "They refused my return"),
        ("hard_to_return", "de", "Keine Erstattung trotz Rücksendung"),
        ("hard_to_return", "fr", "Pas de remboursement"),
        ("hard_to_return", "es", "Imposible hacer la devolución"),
        ("hard_to_return", "it", "Ancora nessun rimborso"),
        ("hard_to_return", "ja", "返品を受け付けてもらえない"),
        ("hard_to_return", "ar", "رفضوا الإرجاع"),
        ("hard_to_reach", "en", "Impossible to contact the seller"),
        ("hard_to_reach", "de", "Der Verkäufer ist nicht erreichbar"),
        ("hard_to_reach", "fr", "Vendeur injoignable"),
        ("hard_to_reach", "es", "Imposible contactar con el vendedor"),
        ("hard_to_reach", "it", "Venditore irraggiungibile"),
        ("hard_to_reach", "ja", "電話がつながらない"),
        ("hard_to_reach", "ar", "لا يمكن التواصل مع البائع"),
        ("not_as_described", "en", "Wrong size, not as described"),
        ("not_as_described", "de", "Artikel nicht wie beschrieben"),
        ("not_as_described", "fr", "Produit non conforme à la description"),
        ("not_as_described", "es", "El producto no funciona"),
        ("not_as_described", "it", "Articolo difettoso"),
        ("not_as_described", "ja", "写真と違う商品でした"),
        ("not_as_described", "ar", "المنتج غير مطابق للوصف"),
    ],
)
def test_each_cause_in_each_language(cause: str, language: str, comment: str) -> None:
    tags = tag_causes(entry(comment))
    assert [tag.cause for tag in tags] == [cause]
    evidence = tags[0].evidence
    assert [e.source for e in evidence] == ["comment"] * len(evidence)
    assert {e.language for e in evidence} == {language}
    # The evidence quotes the buyer's own words.
    assert all(e.phrase and e.phrase in comment for e in evidence)


@pytest.mark.parametrize(
    "comment",
    [
        "Not late at all, thank you",
        "It wasn't damaged",
        "Nicht zu spät, alles gut",
        "Pas en retard, très bien",
        "No llegó tarde",
        "Non in ritardo",
        "遅くないです",
        "破損はありませんでした",
        "لم يتأخر الطلب",
        "The chocolate was lovely",
    ],
)
def test_negated_or_unrelated_words_are_no_evidence(comment: str) -> None:
    # "No llegó tarde" ("it did not arrive late") is the one that still matches: "no llegó"
    # ("did not arrive") is a complaint of its own.  Everything else names no cause.
    expected = ["shipping_speed"] if comment == "No llegó tarde" else []
    assert causes(comment) == expected


def test_a_negation_is_the_complaint_for_tracking_and_returns() -> None:
    assert causes("Keine Erstattung erhalten") == ["hard_to_return"]
    assert causes("Sin número de seguimiento") == ["tracking"]
    assert causes("Aucun retour du vendeur") == ["slow_replies"]  # "retour": a reply, here


def test_the_longer_phrase_wins_where_causes_overlap() -> None:
    assert causes("返信が遅い") == ["slow_replies"]  # a slow reply, not slow shipping
    assert causes("It took too long to reply") == ["slow_replies"]
    assert causes("الرد متأخر") == ["slow_replies"]


def test_several_causes_and_column_evidence() -> None:
    tags = tag_causes(entry("Arrived late and the box was crushed.", arrived_on_time=False))
    assert [(t.cause, [str(e) for e in t.evidence]) for t in tags] == [
        ("shipping_speed", ["“Arrived late” (en)", "Arrived on Time = No"]),
        ("packing", ["“crushed” (en)"]),
    ]
    assert primary_cause(tags) == "packing"
    assert tags[0].label == "Shipping speed"
    assert tags[0].check.startswith("Compare the ship date")


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"arrived_on_time": False}, ["shipping_speed"]),
        ({"item_as_described": False}, ["not_as_described"]),
        ({"customer_service": False}, ["slow_replies"]),
        ({"arrived_on_time": True, "item_as_described": True, "customer_service": True}, []),
    ],
)
def test_the_yes_no_columns(answers: dict[str, bool], expected: list[str]) -> None:
    tags = tag_causes(entry("", **answers))
    assert [t.cause for t in tags] == expected
    for tag in tags:
        assert [(e.source, e.value) for e in tag.evidence] == [("column", "No")]


def test_customer_service_no_joins_the_service_problem_the_comment_names() -> None:
    tags = tag_causes(entry("Impossible to contact them", customer_service=False))
    assert [(t.cause, len(t.evidence)) for t in tags] == [("hard_to_reach", 2)]


def test_text_is_folded_before_matching() -> None:
    assert causes("ARRIVED LATE") == ["shipping_speed"]
    assert causes("Paket kam zu spat") == ["shipping_speed"]  # no umlaut typed
    assert causes("ｈａｒｄ ｔｏ ｒｅａｃｈ") == ["hard_to_reach"]  # full-width letters
    assert causes("The seller didn’t respond") == ["slow_replies"]  # typographic apostrophe
    assert causes("Took 3 weeks to get here") == ["shipping_speed"]


def test_evidence_quotes_the_comment_as_written() -> None:
    (tag,) = tag_causes(entry("Paket kam ZU SPÄT!"))
    assert tag.evidence[0].phrase == "ZU SPÄT"


@pytest.mark.parametrize(
    ("cause", "channel", "remedy", "rule"),
    [
        ("shipping_speed", "own", "gift_certificate", None),
        ("shipping_speed", "amazon", "refund", "amazon.no-incentives"),
        ("shipping_speed", "ebay", "refund", "ebay.no-off-ebay-offers"),
        ("packing", "amazon", "replacement", None),
        ("not_as_described", "own", "replacement", None),
        ("hard_to_return", "own", "refund", None),
        ("tracking", "own", "gift_certificate", None),
        ("slow_replies", "amazon", "refund", "amazon.no-incentives"),
        ("hard_to_reach", "own", "gift_certificate", None),
    ],
)
def test_remedy_by_cause_and_channel(
    cause: str, channel: str, remedy: str, rule: str | None
) -> None:
    chosen, note = choose_remedy(cause, get_channel(channel))
    assert chosen == remedy
    if rule is None:
        assert note is None
    else:
        label = get_channel(channel).label
        assert note == f"Gift certificate not suggested: {label} forbids it ({rule})."


def test_the_report_triages_negative_and_neutral_feedback_newest_first() -> None:
    report = feedback_report(FEEDBACK / "amazon-us.tsv", as_of=date(2025, 12, 1))
    listed = [(t.entry.date.isoformat(), t.entry.rating, t.primary_cause) for t in report.triage]
    assert listed == [
        ("2025-11-28", 1, "packing"),
        ("2025-11-24", 3, "tracking"),
        ("2025-11-18", 2, "not_as_described"),
        ("2025-10-28", 1, "slow_replies"),
        ("2025-08-15", 2, "hard_to_return"),
        ("2024-11-30", 1, "hard_to_reach"),
    ]
    first = report.triage[0]
    assert (first.kind, first.age_days, first.responded, first.channel) == (
        "negative",
        3,
        False,
        "amazon",
    )
    assert report.triage[2].responded is True
    assert [t.resolution.remedy if t.resolution else None for t in report.triage] == [
        "replacement",
        "refund",
        "replacement",
        "refund",
        "refund",
        "refund",
    ]


def test_the_japanese_export_is_triaged_in_japanese() -> None:
    report = feedback_report(FEEDBACK / "amazon-jp.tsv", as_of=date(2025, 12, 1))
    assert [[tag.cause for tag in t.causes] for t in report.triage] == [
        ["shipping_speed", "slow_replies"],
        ["packing", "not_as_described"],
        ["tracking"],  # "遅くない": not late
    ]


def test_an_unrecognised_complaint_has_no_cause_and_no_remedy(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("date,rating,comment\n2025-11-24,1,Meh.\n", encoding="utf-8")
    (item,) = feedback_report(path, as_of=date(2025, 12, 1)).triage
    assert (item.causes, item.primary_cause, item.resolution) == ([], None, None)
