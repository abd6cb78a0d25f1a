# Alertes envoyées par e-mail à l'équipe (texte brut) : objets, lignes et récapitulatif.

alert-event-comment-held = [{ $site }] Un commentaire attend la modération : { $title }
alert-event-comment-reported = [{ $site }] Un commentaire a été signalé : { $title }
alert-event-notice-received = [{ $site }] Notification de contenu illicite : { $title }
alert-event-deliveries-dead = Des activités ne peuvent plus être remises : { $count } lettres mortes
alert-line-article = Article : { $value }
alert-line-author = Auteur : { $value }
alert-line-reason = Motif : { $value }
alert-line-excerpt = Extrait : { $value }
alert-line-link = Dans la console : { $value }
alert-digest-subject = Récapitulatif Tribune : { $count ->
    [one] une alerte
   *[other] { $count } alertes
}
alert-footer = Vous recevez ce message parce que vous l'avez choisi dans la console de Tribune (Alertes). Modifiez ce choix là-bas ou avec PUT /api/v1/admin/me/alerts.
