# The console's Alerts page: one's own address and what one gets per event.

console-nav-alerts = Alerts
alerts-title = Alerts
alerts-heading = What you get by e-mail
alerts-intro = Choose, for each kind of event, an e-mail straight away, a place in the digest, or nothing. Each message links to the item in the console.
alerts-no-smtp = This server has no SMTP server configured: nothing is e-mailed until it has one.
alerts-saved = Your alerts are saved.
alerts-email = Your e-mail address
alerts-event-comment-held = A comment waits for moderation
alerts-event-comment-reported = A comment is reported
alerts-event-notice-received = An illegal content notice
alerts-event-deliveries-dead = Undeliverable activities pile up (admins)
alerts-mode-immediate = Straight away
alerts-mode-digest = In the digest
alerts-mode-off = Nothing
alerts-save = Save
