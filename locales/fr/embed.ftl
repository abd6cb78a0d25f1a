# The embed (assets/embed.js) and the reader's path to reply from the fediverse
# (/interact). The embed receives every `embed-*`, `interact-error-*`, date and
# report-reason message from /embed/words; `$n` picks plural forms.

embed-loading = Chargement des commentaires…
embed-error = Les commentaires n'ont pas pu être chargés.
embed-region = Commentaires
embed-selection = Sélection de la rédaction
embed-pick-badge = Sélection de la rédaction
embed-picked = La rédaction a mis en valeur ce commentaire
embed-read-in-thread = Lire dans la discussion
embed-all = Tous les commentaires
embed-sort = Trier
embed-sort-oldest = Les plus anciens
embed-sort-newest = Les plus récents
embed-sort-replied = Les plus répondus
embed-more = Voir plus de commentaires
embed-edited = modifié
embed-new = Nouveau
embed-new-count = { $n ->
    [one] { $n } nouveau commentaire
   *[other] { $n } nouveaux commentaires
}
embed-new-next = Aller au suivant
embed-staff = La rédaction
embed-staff-answer = Réponse de la rédaction
embed-reply-article = Répondre depuis votre compte du fédivers
embed-reply = Répondre
embed-report = Signaler
embed-report-reason = Motif du signalement
embed-send = Envoyer
embed-cancel = Annuler
embed-reported = Merci, le signalement a été transmis.
embed-failed = Échec, réessayez plus tard.
embed-deleted = Commentaire supprimé.
embed-removed = Commentaire retiré par la modération ({ $reason }).
embed-charter = Lire la charte
embed-cw = Avertissement de contenu : { $summary }
embed-attachment = Pièce jointe
embed-mode-post = Les commentaires sont publiés sans modération a priori, merci de respecter notre charte.
embed-mode-pre = Les commentaires sont relus avant publication, merci de respecter notre charte.
embed-mode-closed = Les commentaires sont fermés.
embed-empty = Soyez la première personne à répondre depuis le fédivers.
embed-read-more = Lire la suite
embed-read-less = Réduire
embed-replies-show = { $n ->
    [one] { $n } réponse
   *[other] { $n } réponses
}
embed-replies-hide = Masquer les réponses
embed-continue = { $n ->
    [one] Continuer cette discussion ({ $n } réponse)
   *[other] Continuer cette discussion ({ $n } réponses)
}
embed-back = Revenir à toute la discussion
embed-in-reply-to = en réponse à { $name }
embed-fedi-what = Le fédivers est un réseau de réseaux sociaux ouverts (Mastodon, Pixelfed, Misskey…) : chacun a son compte sur le serveur de son choix, et tous se répondent.
embed-fedi-join = Pas encore de compte ? Choisissez un serveur et inscrivez-vous en quelques minutes :
embed-fedi-join-link = rejoindre le fédivers
embed-handle = Votre adresse du fédivers
embed-handle-placeholder = nom@instance.fr
embed-go = Continuer
embed-checking = Vérification de votre adresse…
embed-copy = Ou copiez ce lien dans la recherche de votre serveur :

embed-quotes = { $n ->
    [one] Citation ({ $n })
   *[other] Citations ({ $n })
}
embed-quote-open = Voir la publication

interact-title = Répondre depuis le fédivers
interact-back = Revenir à l'article
interact-error-empty = Indiquez votre adresse du fédivers, par exemple nom@instance.fr.
interact-error-format = Ce n'est pas une adresse du fédivers : elle ressemble à nom@instance.fr (votre nom, une arobase, puis votre serveur).
interact-error-unknown-account = Le serveur { $host } ne connaît pas le compte « { $user } ». Vérifiez l'orthographe de votre adresse.
interact-error-unreachable = Aucun serveur ne répond à l'adresse { $host }. Vérifiez le nom du serveur (par exemple mastodon.social).
interact-error-not-fediverse = { $host } a répondu, mais ce n'est pas un serveur du fédivers.
interact-error-server-error = Le serveur { $host } ne répond pas correctement pour l'instant. Réessayez dans quelques minutes.
interact-error-unknown-object = Ce lien ne mène à aucun article ni commentaire de ce site.
interact-error-too-many = Trop de tentatives : réessayez dans une minute.

# Les réactions (emoji) sous un commentaire ou l'article.
embed-reactions = Réactions
embed-reaction = { $n ->
    [one] { $emoji } : une réaction
   *[other] { $emoji } : { $n } réactions
}
# An imported comment's origin (the site's show_import_source).
embed-imported = importé de { $source }
