# The console's settings and records: rules and modes, domains, reports, audit log,
# blocklists.

settings-rules-title = Règles et modes
settings-modes-heading = Modes des sites
settings-mode = Mode
settings-mode-post = publication puis modération
settings-mode-pre = modération avant publication
settings-mode-closed = fermé
settings-hold-new-authors = Retenir les nouveaux auteurs jusqu'à
settings-hold-help = commentaires approuvés (0 : personne n'est retenu)
settings-save = Enregistrer
settings-rules-heading = { $n ->
    [0] Règles
   *[other] Règles ({ $n })
}
settings-rules-none = Aucune règle ajoutée : seules les règles intégrées s'appliquent.
settings-site = Site
settings-kind = Type
settings-pattern = Motif
settings-action = Action
settings-actions = Actions
settings-all-sites = tous les sites
settings-kind-banned_word = mot interdit
settings-kind-banned_regex = expression interdite
settings-kind-suspect_word = mot suspect
settings-kind-suspect_regex = expression suspecte
settings-kind-wordlist = liste de mots injurieux (fr ou en)
settings-kind-link_host = site lié
settings-kind-max_links = liens au plus
settings-kind-max_mentions = mentions au plus
settings-kind-repetition = répétition
settings-kind-repetition_actor = répétition par un auteur
settings-kind-rate_actor = cadence d'un auteur
settings-kind-rate_domain = cadence d'un serveur
settings-kind-min_account_age_days = ancienneté du compte (jours)
settings-kind-empty_account = compte vide
settings-kind-rejected_ratio = part de refus de l'auteur
settings-action-publish = publier
settings-action-hold = retenir
settings-action-hide = masquer
settings-action-reject = refuser
settings-rule-remove-label = Retirer la règle n° { $id }
settings-remove = Retirer
settings-rule-add = Ajouter une règle
settings-add = Ajouter
settings-domains-title = Domaines
settings-domains-none = Aucune politique de domaine.
settings-domain = Domaine
settings-severity = Sévérité
settings-reject-media = refuser les médias
settings-reject-reports = refuser les signalements
settings-source = Origine
settings-severity-suspend = suspendre
settings-severity-silence = limiter
settings-severity-noop = aucune
settings-yes = oui
settings-no = non
settings-domain-lift-label = Lever la politique de { $domain }
settings-lift = Lever
settings-domain-add = Appliquer une politique
settings-apply = Appliquer
settings-reports-title = Signalements
settings-reports-open = { $n ->
    [0] Signalements ouverts
   *[other] Signalements ouverts ({ $n })
}
settings-reports-queue = Voir les commentaires signalés dans la file
settings-reports-none = Aucun signalement ouvert.
settings-received = Reçu
settings-reason = Motif
settings-reporter-text = Texte du signalement
settings-from = De
settings-comment = Commentaire
settings-no-text = (sans texte)
settings-source-reader = un lecteur
settings-source-remote = un serveur
settings-comment-link = Commentaire n° { $id }
settings-flags = { $n ->
    [0] Signalements des serveurs
   *[other] Signalements des serveurs ({ $n })
}
settings-flags-none = Aucun signalement reçu d'un autre serveur.
settings-objects = Objets
settings-audit-title = Journal
settings-audit-none = Le journal est vide.
settings-when = Quand
settings-who = Qui
settings-what = Action
settings-target = Cible
settings-details = Détails
audit-action-comment-approve = a approuvé un commentaire
audit-action-comment-hide = a masqué un commentaire
audit-action-comment-restore = a rétabli un commentaire
audit-action-comment-delete = a supprimé un commentaire
audit-action-comment-edit = a modifié une réponse
audit-action-comment-highlight = a mis en valeur un commentaire
audit-action-comment-unhighlight = a retiré une mise en valeur
audit-action-comment-reply = a répondu
audit-action-article-highlights-order = a réordonné la sélection
audit-action-article-moderation = a changé le mode d'un article
audit-action-actor-allow = a approuvé un auteur
audit-action-actor-block = a bloqué un auteur
audit-action-actor-unblock = a débloqué un auteur
audit-action-actor-erase = a effacé les données d'un auteur
audit-action-actor-export = a exporté les données d'un auteur
audit-action-blocklist-approve = a approuvé une liste de blocage
audit-action-blocklist-follower = a décidé d'un abonné à notre liste
audit-action-blocklist-import = a importé une liste de blocage
audit-action-blocklist-merge = a appliqué les listes de blocage
audit-action-blocklist-subscribe = s'est abonné à une liste de blocage
audit-action-blocklist-unsubscribe = s'est désabonné d'une liste de blocage
audit-action-blocklist-reject_entry = a écarté une entrée d'une liste
audit-action-domain-policy = a appliqué une politique de domaine
audit-action-domain-remove = a levé une politique de domaine
audit-action-rule-add = a ajouté une règle
audit-action-rule-remove = a retiré une règle
audit-action-site-moderation = a changé le mode d'un site
audit-action-site-recheck = a relancé la modération d'un site
audit-action-staff-create = a créé un compte
audit-action-staff-signature = a changé sa signature
settings-blocklists-title = Listes de blocage
settings-subscriptions = { $n ->
    [0] Abonnements
   *[other] Abonnements ({ $n })
}
settings-subscriptions-none = Aucun abonnement à une liste partagée (la commande `tribune blocklist subscribe` ou l'API en ajoutent).
settings-list = Liste
settings-state = État
settings-last-read = Dernière lecture
settings-entries = Entrées
settings-kind-source-list = liste
settings-kind-source-fires = jeu de données FIRES
settings-kind-source-activitypub = acteur de liste (ActivityPub)
settings-max-severity = au plus : { $severity }
settings-applies = appliquée
settings-draft = brouillon (à relire)
settings-follow-pending = abonnement en attente
settings-follow-accepted = abonnement accepté
settings-follow-rejected = abonnement refusé
settings-never = jamais
settings-last-error = Dernière erreur :
settings-refresh-label = Relire { $name } maintenant
settings-refresh = Relire
settings-approve-label = Approuver la liste { $name }
settings-approve = Approuver
settings-unsubscribe-label = Se désabonner de { $name }
settings-unsubscribe = Se désabonner
settings-drafts = { $n ->
    [0] Entrées à relire
   *[other] Entrées à relire ({ $n })
}
settings-drafts-help = Les entrées d'une liste en brouillon attendent : acceptez-en une pour l'appliquer à la main, écartez-la pour que la liste ne touche plus ce domaine.
settings-drafts-none = Rien à relire.
settings-in-force = une politique est déjà en vigueur
settings-accept-label = Appliquer l'entrée { $domain }
settings-accept = Appliquer
settings-reject-label = Écarter l'entrée { $domain }
settings-reject = Écarter
settings-published = Notre liste publiée
settings-published-count = { $n ->
    [0] Aucun domaine publié.
    [one] { $n } domaine publié.
   *[other] { $n } domaines publiés.
}
settings-published-actor = Les serveurs la suivent par l'acteur
settings-followers = { $n ->
    [0] Abonnés
   *[other] Abonnés ({ $n })
}
settings-followers-none = Aucun serveur ne suit notre liste.
settings-follower-pending = en attente
settings-follower-approved = approuvé
settings-follower-rejected = refusé
settings-followers-admins = Les abonnés à notre liste sont décidés par les administrateurs.
