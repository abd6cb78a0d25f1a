# E-mail alerts to staff (plain text): subjects, lines and the digest.

alert-event-comment-held = [{ $site }] A comment is waiting for moderation: { $title }
alert-event-comment-reported = [{ $site }] A comment was reported: { $title }
alert-event-notice-received = [{ $site }] Illegal content notice: { $title }
alert-event-deliveries-dead = Undeliverable activities are piling up: { $count } dead letters
alert-line-article = Article: { $value }
alert-line-author = Author: { $value }
alert-line-reason = Reason: { $value }
alert-line-excerpt = Excerpt: { $value }
alert-line-link = In the console: { $value }
alert-digest-subject = Tribune digest: { $count ->
    [one] one alert
   *[other] { $count } alerts
}
alert-footer = You get this because you chose it in Tribune's console (Alerts). Change it there or with PUT /api/v1/admin/me/alerts.
