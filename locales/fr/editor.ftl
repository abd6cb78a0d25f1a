# The editors' console: the selection, replies signed by their author, errors.

editor-selection-title = Sélection
editor-signature-heading = Votre signature
editor-signature-intro = Vos réponses sont signées :
editor-signature-name = Nom affiché
editor-signature-role = Fonction
editor-signature-role-help = Par exemple « cheffe du service Société ». Laisser vide pour n'afficher que le nom.
editor-signature-save = Enregistrer la signature
editor-signature-saved = Signature enregistrée.
editor-signature-change = changer la signature
editor-handle-intro = Sur le fédivers, vos réponses et les articles que vous signez viennent de
editor-handle-meta = Pour que Mastodon vous nomme sous l'aperçu du lien de vos articles, la page porte cette balise dans son en-tête :
editor-handle-when = Le compte répond dès que vous avez signé un article (l'« author » de son enregistrement) ou écrit une réponse ; les abonnements vont au compte du site.
editor-articles-heading = Articles récents
editor-articles-none = Aucun article pour l'instant.
editor-article = Article
editor-published = Publié
editor-comments = Commentaires
editor-highlights = Sélection
editor-highlights-count = { $n ->
    [0] aucun choisi
    [one] { $n } choisi
   *[other] { $n } choisis
}
editor-open-article = voir l'article
editor-open-thread = voir le fil des lecteurs
editor-back-to-selection = Retour aux articles
editor-selection-heading = { $n ->
    [0] La sélection
   *[other] La sélection ({ $n })
}
editor-selection-empty = Aucun commentaire mis en valeur. Choisissez-en parmi les commentaires publiés ci-dessous.
editor-in-thread = dans le fil
editor-picked-by = Choisi par { $name }
editor-note = Note de la rédaction
editor-note-save = Enregistrer la note
editor-move-up = Monter
editor-move-down = Descendre
editor-remove = Retirer de la sélection
editor-move-up-label = Monter le choix n° { $n }
editor-move-down-label = Descendre le choix n° { $n }
editor-remove-label = Retirer de la sélection (choix n° { $n })
editor-reply-article = Répondre à l'article
editor-reply = Répondre
editor-reply-text = Votre réponse (texte ou Markdown)
editor-reply-signed = Signée { $name }
editor-reply-send = Publier la réponse
editor-comments-heading = { $n ->
    [0] Commentaires publiés
   *[other] Commentaires publiés ({ $n })
}
editor-comments-none = Aucun commentaire publié sur cet article.
editor-in-selection = dans la sélection
editor-highlight = Mettre en valeur
editor-newsroom-badge = La rédaction
