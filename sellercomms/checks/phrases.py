"""What marketplace-policy wording looks like, in every shipped language.

Each entry is a list of regular expressions per language, matched on folded text (no case,
no accents, full-width forms made narrow: see :func:`sellercomms.checks.text.fold`).  The
letters beyond ASCII in a pattern are folded the same way when it is compiled, so ``étoiles``
and ``etoiles`` both work; write ASCII letters in lower case.

Incentives are found where a reward and a request for a review share one sentence
(:data:`REWARDS` with :data:`SOLICITS`), since the two are rarely next to each other ("a $5
gift card for every review"); so are asks of satisfied buyers only (:data:`GATING`).

A message is read with the phrases of its own language and those of English.  Add a
language by adding its key everywhere; add a phrase where a real message slipped through.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "FEEDBACK_CHANGE",
    "GATING",
    "IMPORTANT_TAG",
    "LANGUAGES",
    "OPT_OUT",
    "ORDER_CONFIRMATION",
    "POSITIVE_ASK",
    "REWARDS",
    "SOLICITS",
    "SUPPRESSION",
    "VAGUE_LINK_TEXT",
]

Phrases = Mapping[str, tuple[str, ...]]

#: The languages of the shipped locales.
LANGUAGES = ("en", "de", "fr", "es", "it", "ja", "ar")

#: What is offered in exchange: money, gift cards, discounts, free products, refunds.
REWARDS: Phrases = MappingProxyType(
    {
        "en": (
            r"\bgift ?(?:card|certificate|voucher)s?\b",
            r"\bvouchers?\b",
            r"\bcoupons?\b",
            r"\bdiscount",
            r"\d+ ?% off\b",
            r"\bpromo(?:tion(?:al)?)? codes?\b",
            r"\bfree (?:gift|product|item|sample|unit|shipping)s?\b",
            r"\bfor free\b",
            r"\b(?:full |partial )?refund(?:ed|s)?\b",
            r"\brebates?\b",
            r"\bcash ?back\b",
            r"\brewards?\b",
            r"\bprize\b",
            r"\bsweepstakes?\b",
            r"\bgiveaway\b",
            r"\bin (?:exchange|return)\b",
        ),
        "de": (
            r"\bgutschein",
            r"\bgeschenkkarte",
            r"\brabatt",
            r"\d+ ?% (?:rabatt|nachlass|gunstiger)",
            r"\bgratis\b",
            r"\bkostenlos(?:e[nrs]?)? (?:produkt|artikel|geschenk|probe|versand)",
            r"\b(?:ruck)?erstattung",
            r"\berstatten\b",
            r"\bgeld zuruck\b",
            r"\bbelohnung",
            r"\bpramie",
            r"\bgewinnspiel",
            r"\bals dankeschon\b",
            r"\bim austausch\b",
            r"\bals gegenleistung\b",
        ),
        "fr": (
            r"\bcartes?[ -]cadeaux?\b",
            r"\bbons? d'achat\b",
            r"\bbons? de reduction\b",
            r"\bcodes? promo",
            r"\breduction",
            r"\bremise",
            r"\d+ ?% de (?:reduction|remise)",
            r"\bgratuite?s?\b",
            r"\brembours",
            r"\brecompense",
            r"\bcadeau offert\b",
            r"\ben echange\b",
            r"\ben contrepartie\b",
            r"\bconcours\b",
        ),
        "es": (
            r"\btarjetas? (?:de )?regalo\b",
            r"\bcheques? regalo\b",
            r"\bvales?\b",
            r"\bcupon(?:es)?\b",
            r"\bdescuento",
            r"\d+ ?% de descuento",
            r"\bgratis\b",
            r"\bgratuit[oa]s?\b",
            r"\breembols",
            r"\brecompensa",
            r"\bpremio",
            r"\bsorteo",
            r"\ba cambio\b",
        ),
        "it": (
            r"\bbuon[oi] (?:regalo|sconto|acquisto)\b",
            r"\bcart[ae] regalo\b",
            r"\bgift ?card\b",
            r"\bcoupon\b",
            r"\bscont[oi]\b",
            r"\d+ ?% di sconto",
            r"\bgratis\b",
            r"\bgratuit[oaie]\b",
            r"\brimbors",
            r"\bpremi[oa]?\b",
            r"\bricompensa",
            r"\bomaggio\b",
            r"\bin cambio\b",
            r"\bconcorso\b",
        ),
        "ja": (
            r"ギフト(?:券|カード)",
            r"商品券",
            r"クーポン",
            r"割引",
            r"\d+ ?%(?:オフ|off)",
            r"無料",
            r"返金",
            r"特典",
            r"プレゼント",
            r"ポイント",
            r"キャッシュバック",
            r"謝礼",
        ),
        "ar": (
            r"بطاق(?:ه|ات) (?:ال)?هدي",
            r"قسيم",
            r"كوبون",
            r"خصم",
            r"مجان",
            r"استرداد",
            r"مكافا",
            r"جائز",
            r"في مقابل",
        ),
    }
)

#: A request for a review, feedback or rating.
SOLICITS: Phrases = MappingProxyType(
    {
        "en": (r"\breview", r"\bfeedback\b", r"\bratings?\b", r"\brate us\b", r"\bstars?\b"),
        "de": (r"\bbewert", r"\brezension", r"\bfeedback\b", r"\bsterne?\b"),
        "fr": (
            r"\bavis\b",
            r"\bevaluation",
            r"\bcommentaire",
            r"\bnoter?\b",
            r"\betoiles?\b",
            r"\bfeedback\b",
        ),
        "es": (
            r"\bresena",
            r"\bopinion",
            r"\bvaloracion",
            r"\bcalificacion",
            r"\bcomentario",
            r"\bestrellas?\b",
            r"\bfeedback\b",
        ),
        "it": (r"\brecension", r"\bvalutazion", r"\bfeedback\b", r"\bopinion", r"\bstell[ae]\b"),
        "ja": (r"レビュー", r"評価", r"フィードバック", r"口コミ", r"星"),
        "ar": (r"تقييم", r"مراجع", r"ملاحظات", r"نجوم", r"راي"),
    }
)

#: Asking for a positive or five-star rating.
POSITIVE_ASK: Phrases = MappingProxyType(
    {
        "en": (
            # Not a scale ("from 1 to 5 stars", "1-5 stars").
            r"(?<!\d to )(?<!one to )(?<![\d–-])\b(?:5|five)[- ]?stars?\b(?! (?:hotel|resort))",
            r"★{4,}",
            r"\bpositive (?:feedback|reviews?|ratings?|comments?)\b",
            r"\b(?:good|great|excellent|glowing|favou?rable|perfect|top) "
            r"(?:feedback|reviews?|ratings?)\b",
            r"\bfull marks\b",
        ),
        "de": (
            r"(?<!\d bis )(?<![\d–-])\b(?:5|funf)[- ]?sterne",
            r"\bpositive[nrs]? (?:bewertung|feedback|rezension)",
            r"\b(?:gute|tolle|beste|sehr gute)[nr]? (?:bewertung|rezension)",
            r"\bbestnote",
        ),
        "fr": (
            r"(?<!\d a )(?<![\d–-])\b(?:5|cinq) etoiles\b",
            r"\b(?:avis|evaluations?|commentaires?|notes?) (?:tres )?positi(?:f|ve)s?\b",
            r"\b(?:bons?|excellents?|super) (?:avis|commentaires?)\b",
            r"\b(?:bonne|excellente|meilleure) (?:note|evaluation)\b",
        ),
        "es": (
            r"(?<!\d a )(?<![\d–-])\b(?:5|cinco) estrellas\b",
            r"\b(?:resenas?|opiniones?|valoracion(?:es)?|calificacion(?:es)?|comentarios?) "
            r"positiv[oa]s?\b",
            r"\b(?:buena|excelente|gran)s? (?:resena|opinion|valoracion|calificacion)",
        ),
        "it": (
            r"(?<!\d a )(?<![\d–-])\b(?:5|cinque) stelle\b",
            r"\b(?:recension[ei]|valutazion[ei]|feedback|opinion[ei]) positiv[aeio]\b",
            r"\b(?:buona|ottima|bella|ottime|buone) (?:recension|valutazion)",
        ),
        "ja": (
            r"(?:5|五)つ?星",
            r"星(?:5|五)つ?",
            r"高評価",
            r"(?:良い|よい|いい)(?:評価|レビュー|口コミ)",
            r"ポジティブな(?:評価|レビュー|フィードバック)",
            r"満点",
        ),
        "ar": (
            r"(?:5|٥|خمس) ?نجوم",
            r"(?:تقييم|مراجعه|ملاحظات)(?:ا)? (?:ال)?ايجابي",
            r"(?:تقييم|مراجعه)(?:ا)? (?:ممتاز|جيد)",
        ),
    }
)

#: Asking only happy buyers: a condition on satisfaction, in a sentence that also asks.
GATING: Phrases = MappingProxyType(
    {
        "en": (
            r"\bif (?:you(?: are|'re| were)|you've been) (?:happy|satisfied|pleased|delighted)",
            r"\bif you (?:liked|loved|enjoyed)\b",
            r"\bonly if\b",
        ),
        "de": (r"\bwenn sie (?:zufrieden|glucklich) (?:sind|waren)", r"\bfalls sie zufrieden"),
        "fr": (r"\bsi vous (?:etes|etiez|avez ete) (?:satisfait|content|ravi)",),
        "es": (r"\bsi (?:esta|estas|quedo|quedaste|ha quedado) (?:satisfech|content)",),
        "it": (r"\bse (?:e|sei|siete|sono) (?:soddisfatt|content)",),
        "ja": (r"(?:満足|気に入)(?:いただけ|され|して)[^。]*(?:場合|なら|たら)",),
        "ar": (r"اذا (?:كنت|كنتم) (?:راضي|سعيد)",),
    }
)

#: Asking to change, update or remove a review or feedback.
FEEDBACK_CHANGE: Phrases = MappingProxyType(
    {
        "en": (
            r"\b(?:change|update|revise|amend|edit|remove|delete|withdraw|retract|reconsider)"
            r"\w* (?:\w+ ){0,3}?(?:feedback|reviews?|ratings?)\b",
            r"\b(?:feedback|review|rating) (?:revision|removal|change|update)\b",
        ),
        "de": (
            r"\b(?:bewertung|feedback|rezension)\w* (?:\w+ ){0,4}?"
            r"(?:andern|anpassen|uberarbeiten|entfernen|loschen|zuruckziehen|zurucknehmen"
            r"|korrigieren)\b",
            r"\b(?:ander|entfern|losch|uberarbeit)\w* (?:\w+ ){0,3}?"
            r"(?:bewertung|feedback|rezension)",
        ),
        "fr": (
            r"\b(?:modifier|changer|mettre a jour|retirer|supprimer|reviser|revoir) "
            r"(?:\w+ ){0,3}?(?:avis|evaluation|commentaire|note|feedback)\b",
        ),
        "es": (
            r"\b(?:cambiar|modificar|actualizar|retirar|eliminar|borrar|quitar|revisar) "
            r"(?:\w+ ){0,3}?(?:resena|opinion|valoracion|comentario|calificacion|feedback)",
        ),
        "it": (
            r"\b(?:modificare|cambiare|aggiornare|rimuovere|eliminare|ritirare|rivedere) "
            r"(?:\w+ ){0,3}?(?:recension|valutazion|feedback|opinion)",
        ),
        "ja": (
            r"(?:評価|レビュー|フィードバック|口コミ)[^。]{0,8}?"
            r"(?:変更|削除|取り消|取消|修正|撤回|更新|見直)",
        ),
        "ar": (
            r"(?:تغيير|تعديل|حذف|ازاله|سحب|تحديث) (?:\S+ ){0,3}?(?:ال)?(?:تقييم|مراجع|ملاحظات)",
        ),
    }
)

#: "[Important]" in a subject, as Amazon's Buyer-Seller Messaging flags critical messages.
IMPORTANT_TAG: Phrases = MappingProxyType(
    {
        "en": (r"[\[【(]\s*important\s*[\]】)]",),
        "de": (r"[\[【(]\s*wichtig\s*[\]】)]",),
        "fr": (r"[\[【(]\s*important\s*[\]】)]",),
        "es": (r"[\[【(]\s*importante\s*[\]】)]",),
        "it": (r"[\[【(]\s*importante\s*[\]】)]",),
        "ja": (r"[\[【(]\s*重要\s*[\]】)]",),
        "ar": (r"[\[【(]\s*(?:مهم|هام)\s*[\]】)]",),
    }
)

#: Review suppression (16 CFR 465.7): keeping negative reviews from being written, by asking
#: or by threatening; read with the message's language and English.
SUPPRESSION: Phrases = MappingProxyType(
    {
        "en": (
            r"\b(?:before|instead of) (?:leaving|posting|writing|giving) (?:us )?(?:a |any )?"
            r"(?:negative|bad|poor|low|critical|1-star|one-star)",
            r"\b(?:don't|do not|never) (?:leave|post|write|give) (?:us )?(?:a |any )?"
            r"(?:negative|bad|poor|low|critical)",
            r"\b(?:legal action|sue|lawsuit|defamation|libel)\b[^.!?]{0,60}"
            r"\b(?:reviews?|feedback|ratings?)\b",
            r"\b(?:reviews?|feedback|ratings?)\b[^.!?]{0,60}\b(?:legal action|sue you|lawsuit)",
        ),
        "de": (
            r"\b(?:bevor|statt|anstatt) sie (?:uns )?(?:eine |ein )?"
            r"(?:negative|schlechte|kritische)",
            r"\b(?:bitte )?(?:keine|kein) (?:negative|schlechte|kritische)s?n? "
            r"(?:bewertung|rezension|feedback)",
            r"\brechtliche schritte\b[^.!?]{0,60}(?:bewertung|rezension|feedback)",
            r"(?:bewertung|rezension|feedback)[^.!?]{0,60}\brechtliche schritte",
        ),
        "fr": (
            r"\b(?:avant|au lieu) de (?:nous )?(?:laisser|publier|donner|ecrire) "
            r"(?:un |une )?(?:avis|evaluation|note|commentaire) (?:negati|mauvais|defavorable)",
            r"\bne (?:nous )?(?:laissez|publiez|donnez) pas (?:d'|de )?"
            r"(?:avis|evaluation|note) (?:negati|mauvais|defavorable)",
            r"\bpoursuites(?: judiciaires)?\b[^.!?]{0,60}(?:avis|evaluation|commentaire)",
        ),
        "es": (
            r"\b(?:antes|en lugar|en vez) de (?:dejar|publicar|escribir|dar)(?:nos)? (?:una |un )?"
            r"(?:resena|opinion|valoracion|comentario|calificacion) (?:negativ|mal)",
            r"\bno (?:nos )?(?:deje|dejes|publique|publiques|escriba) (?:una |un |ninguna )?"
            r"(?:resena|opinion|valoracion|comentario|calificacion) (?:negativ|mal)",
            r"\bacciones legales\b[^.!?]{0,60}(?:resena|opinion|valoracion|comentario)",
        ),
        "it": (
            r"\b(?:prima|invece) di (?:lasciare|pubblicare|scrivere|dare)(?:ci)? (?:una |un )?"
            r"(?:recensione|valutazione|feedback|opinione) negativ",
            r"\bnon (?:ci )?(?:lasci|lasciate|lasciare|pubblichi|scriva) (?:una |un |alcuna )?"
            r"(?:recensione|valutazione|feedback|opinione) negativ",
            r"\bazioni legali\b[^.!?]{0,60}(?:recension|valutazion|feedback)",
        ),
        "ja": (
            r"(?:低評価|悪い評価|否定的な(?:評価|レビュー)|星1)を?(?:付け|つけ|投稿|残|書)[^。]{0,6}前に",
            r"(?:低評価|悪い評価|否定的な(?:評価|レビュー))(?:は|を)?(?:お控え|控えて|しないで)",
            r"(?:評価|レビュー)[^。]{0,30}法的(?:措置|手段)",
        ),
        "ar": (
            r"قبل (?:ترك|كتابه|نشر) (?:تقييم|مراجعه)(?:ا)? (?:سلبي|سيي)",
            r"(?:لا|عدم) (?:تترك|ترك|تكتب|كتابه|نشر|تنشر) (?:تقييما|تقييم|مراجعه) (?:سلبي|سيي)",
            r"اجراءات قانونيه[^.!?]{0,60}(?:تقييم|مراجع)",
        ),
    }
)

#: Telling the buyer how to opt out ("reply STOP", "unsubscribe"): where the marketplace
#: handles opt-outs itself, such text is not the seller's to write.
OPT_OUT: Phrases = MappingProxyType(
    {
        "en": (
            r"\b(?:reply|respond|text) (?:with )?[\"'“]?stop\b",
            r"\bunsubscrib",
            r"\bopt(?:-| )?out\b",
            r"\bno longer (?:wish|want) to (?:receive|hear)",
            r"\bstop (?:receiving|getting) (?:these |our )?(?:e-?mails|messages)\b",
        ),
        "de": (
            r"\bantworte[nt]? (?:sie )?(?:mit )?[\"'„“]?stop",
            r"\babmelden\b",
            r"\babbestellen\b",
            r"\bkeine (?:weiteren )?(?:e-?mails|nachrichten) mehr (?:erhalten|bekommen)",
        ),
        "fr": (
            r"\brepond(?:ez|re) (?:par )?[\"'«]? ?stop",
            r"\bdesinscri",
            r"\bdesabonn",
            r"\bne plus recevoir\b",
        ),
        "es": (
            r"\brespond(?:a|e|er) (?:con )?[\"'«“]?stop",
            r"\b(?:darse|date|dese|darte) de baja\b",
            r"\bcancelar (?:la |su )?suscripcion",
            r"\bno recibir mas\b",
        ),
        "it": (
            r"\brispond(?:i|a|ere) (?:con )?[\"'«“]?stop",
            r"\bdisiscri",
            r"\bannulla(?:re)? (?:l'|la )?iscrizione",
            r"\bnon ricevere piu\b",
        ),
        "ja": (
            r"配信停止",
            r"購読(?:を)?解除",
            r"(?:メール|メッセージ)の?(?:受信|配信)を?(?:停止|拒否)",
            r"stop(?:と|を)?(?:返信|送信)",
        ),
        "ar": (
            r"الغاء الاشتراك",
            r"ايقاف (?:الرسائل|الاشتراك)",
            r"(?:ارسل|رد) (?:\S+ ){0,2}?stop",
        ),
    }
)

#: A subject that announces an order or shipping confirmation (or a thank-you for an order).
ORDER_CONFIRMATION: Phrases = MappingProxyType(
    {
        "en": (
            r"\b(?:has|have)(?: been)? (?:shipped|dispatched)\b",
            r"\bis (?:on (?:its|the) way|out for delivery)\b",
            r"\border (?:confirmation|confirmed|received)\b",
            r"\bshipping (?:confirmation|notification)\b",
            r"\bthank(?:s| you) for your (?:order|purchase)\b",
        ),
        "de": (
            r"\bwurde[n]? (?:versandt|verschickt|versendet)\b",
            r"\bist unterwegs\b",
            r"\bversandbestatigung\b",
            r"\bbestellbestatigung\b",
            r"\bdanke fur ihre bestellung\b",
        ),
        "fr": (
            r"\ba ete expediee?s?\b",
            r"\best en route\b",
            r"\bconfirmation de (?:votre )?(?:commande|livraison|expedition)\b",
            r"\bmerci pour votre (?:commande|achat)\b",
        ),
        "es": (
            r"\bha sido enviad[oa]\b",
            r"\besta en camino\b",
            r"\bconfirmacion del? (?:pedido|envio)\b",
            r"\bgracias por (?:su|tu) (?:pedido|compra)\b",
        ),
        "it": (
            r"\be stat[oa] spedit[oa]\b",
            r"\be in viaggio\b",
            r"\bconferma (?:dell'ordine|d'ordine|di spedizione)\b",
            r"\bgrazie per (?:il tuo|il suo|l') ?(?:ordine|acquisto)\b",
        ),
        "ja": (r"発送(?:しました|済み|完了|のお知らせ)", r"注文(?:確認|確定)", r"ご注文ありがとう"),
        "ar": (r"تم شحن", r"تاكيد (?:ال)?طلب", r"شكرا (?:لطلبك|على طلبك)"),
    }
)

#: Link text that does not say where the link goes, as a whole.
VAGUE_LINK_TEXT: Phrases = MappingProxyType(
    {
        "en": (
            r"(?:please )?click(?: here)?",
            r"here",
            r"this link",
            r"link",
            r"(?:read )?more",
            r"learn more",
            r"go",
            r"this",
        ),
        "de": (r"hier(?: klicken)?", r"klicken sie hier", r"mehr", r"weiter", r"link"),
        "fr": (r"ici", r"cliquez ici", r"en savoir plus", r"plus", r"lien"),
        "es": (r"aqui", r"haga clic aqui", r"haz clic aqui", r"mas", r"enlace"),
        "it": (r"qui", r"clicca qui", r"di piu", r"altro", r"link"),
        "ja": (r"こちら", r"ここ", r"ここをクリック", r"リンク", r"詳細"),
        "ar": (r"هنا", r"اضغط هنا", r"انقر هنا", r"المزيد", r"رابط"),
    }
)
