# The no-JS thread page (/threads?url=…).

thread-back = Retour à l'article : { $title }
thread-selection = Sélection de la rédaction
thread-picked = Sélectionné par la rédaction
thread-note = Note de la rédaction : { $note }
thread-see-in-thread = Voir dans la discussion
thread-all = Tous les commentaires
thread-reply-fediverse = Répondre depuis votre compte du fédivers
thread-fediverse = Le fédivers, ce sont des réseaux ouverts comme Mastodon : un compte sur n'importe lequel de ses serveurs suffit pour répondre.
thread-reply = Répondre
thread-handle = Votre compte (nom@instance) ou votre instance
thread-go = Continuer
thread-copy = Ou copiez ce lien dans la recherche de votre instance :
thread-report = Signaler
thread-report-reason = Motif
thread-send = Envoyer
thread-reported = Merci, le signalement a été transmis.
thread-deleted = Commentaire supprimé.
thread-removed = Commentaire retiré par la modération ({ $reason }).
thread-edited = modifié
thread-staff = La rédaction
thread-cw = Avertissement de contenu : { $text }
thread-charter = Lire la charte
thread-mode-post = Les commentaires sont publiés sans modération a priori, merci de respecter notre charte.
thread-mode-pre = Les commentaires sont relus avant publication, merci de respecter notre charte.
thread-mode-closed = Les commentaires sont fermés.
thread-read-more = Lire la suite
thread-read-less = Réduire
thread-attachment = Pièce jointe

# Les réactions (emoji) sous un commentaire ou l'article.
thread-reactions = Réactions
thread-quotes = { $n ->
    [one] Citation ({ $n })
   *[other] Citations ({ $n })
}
thread-quote-open = Voir la publication
# An imported comment's origin (the site's show_import_source), and an author with no name.
thread-imported = importé de { $source }
thread-anonymous = Anonyme
