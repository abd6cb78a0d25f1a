# La page Alertes de la console : son adresse et ce que l'on reçoit pour chaque événement.

console-nav-alerts = Alertes
alerts-title = Alertes
alerts-heading = Ce que vous recevez par e-mail
alerts-intro = Choisissez, pour chaque type d'événement, un e-mail tout de suite, une place dans le récapitulatif, ou rien. Chaque message renvoie à l'élément dans la console.
alerts-no-smtp = Ce serveur n'a pas de serveur SMTP configuré : rien n'est envoyé par e-mail tant qu'il n'en a pas.
alerts-saved = Vos alertes sont enregistrées.
alerts-email = Votre adresse e-mail
alerts-event-comment-held = Un commentaire attend la modération
alerts-event-comment-reported = Un commentaire est signalé
alerts-event-notice-received = Une notification de contenu illicite
alerts-event-deliveries-dead = Des activités impossibles à remettre s'accumulent (admins)
alerts-mode-immediate = Tout de suite
alerts-mode-digest = Dans le récapitulatif
alerts-mode-off = Rien
alerts-save = Enregistrer
