# The staff console (/admin).

console-nav = Console
console-nav-queue = File d'attente
console-nav-articles = Articles
console-nav-selection = Sélection
console-nav-rules = Règles et modes
console-nav-domains = Domaines
console-nav-reports = Signalements
console-nav-audit = Journal
console-nav-blocklists = Listes de blocage
console-sign-out = Se déconnecter
role-editor = éditeur
role-moderator = modérateur
role-admin = administrateur
console-skip = Aller au contenu
console-language = Langue
console-language-auto = Celle du navigateur
console-language-apply = Changer

## Sign-in
console-login-title = Connexion
console-login-username = Identifiant
console-login-password = Mot de passe
console-login-submit = Se connecter
console-login-wrong = Identifiant ou mot de passe incorrect.
console-login-too-many = Trop de tentatives : réessayez dans { $s } s.

## Errors shown as pages
console-error-title = Erreur { $status }
console-error-forbidden = Cet écran n'est pas accessible avec votre rôle.
console-error-stale = Ce formulaire a expiré : rechargez la page et recommencez.
console-error-not-found = Introuvable : ce commentaire ou cet article n'existe pas (ou plus).
console-error-conflict = Cette action ne s'applique plus : le commentaire a changé entre-temps, ou le délai pour annuler est passé.
console-error-invalid = Ce formulaire contient une valeur invalide.
console-error-too-many = Trop de demandes : patientez un instant.
console-error-server = Une erreur est survenue de notre côté. Réessayez.
console-error-back = Retour à la console

## The queue
queue-title = File de modération
queue-tabs = Onglets de la file
queue-tab-held = En attente
queue-tab-reported = Signalés
queue-tab-rejected = Refusés
queue-tab-hidden = Masqués
queue-tab-published = Publiés
queue-tab-all = Tous
queue-status-held = en attente
queue-status-published = publié
queue-status-rejected = refusé
queue-status-hidden = masqué
queue-status-deleted = supprimé
queue-search-label = Rechercher dans la file
queue-search-text = Texte
queue-search-author = Auteur
queue-search-domain = Serveur
queue-filter-site = Site
queue-filter-reason = Motif
queue-filter-rule = Règle
queue-filter-any = Tous
queue-search = Filtrer
queue-reset = Effacer les filtres
queue-only-article = Seulement cet article.
queue-all-articles = Tous les articles
queue-showing = { $shown ->
    [0] Aucun commentaire
    [one] 1 commentaire affiché
   *[other] { $shown } commentaires affichés
  } sur { $total }
queue-empty = Rien à traiter ici.
queue-pages = Pages
queue-previous = Page précédente
queue-next = Page suivante
queue-page-of = Page { $page } sur { $pages }
queue-shortcuts = Raccourcis clavier
queue-shortcuts-help = j / k : suivant / précédent · a : approuver · h : masquer (choisir le motif) · x : cocher · ? : cette aide
queue-pick = Sélectionner le commentaire n° { $id }
queue-newsroom = La rédaction
queue-highlighted = Mis en valeur
queue-reports-count = { $n ->
    [one] 1 signalement
   *[other] { $n } signalements
  }
queue-on = Sur
queue-this-article = cet article seulement
queue-context = voir le contexte
queue-cw = Avertissement :
queue-rules = Règles déclenchées
queue-filter-rule-title = Filtrer par cette règle
queue-reports = Signalements
queue-report-from-reader = Lecteur
queue-report-from-remote = Serveur distant
queue-decided-by = Décision de { $who }
queue-note = note :
queue-suppressed = Caché par le blocage de son auteur ou de son serveur.
queue-reason = Motif
queue-note-label = Note de modération
queue-note-placeholder = note (facultative)
queue-verdict-publish = (publié)
queue-verdict-hold = (retenu)
queue-verdict-hide = (masqué)
queue-verdict-reject = (refusé)
queue-action-approve = Approuver
queue-action-keep = Garder (classer les signalements)
queue-action-reject = Refuser
queue-action-hide = Masquer
queue-action-restore = Rétablir
queue-action-delete = Supprimer
queue-action-block = Bloquer l'auteur
queue-action-suspend = Suspendre le serveur
queue-confirm-title = Confirmer
queue-confirm-delete = Supprimer définitivement ce commentaire ? Cette action ne peut pas être annulée.
queue-confirm-block = Bloquer cet auteur ? Tous ses commentaires seront masqués.
queue-confirm-suspend = Suspendre tout le serveur de cet auteur ? Tous les commentaires qui en viennent seront masqués.
queue-confirm-cancel = Annuler
queue-bulk-label = Action groupée
queue-bulk = Pour les commentaires cochés :
queue-bulk-action = Action
queue-bulk-submit = Appliquer
queue-undo = Annuler
queue-undo-window = (possible pendant { $s } s)
queue-done-hide = { $n ->
    [one] Masqué.
   *[other] { $n } commentaires masqués.
  }
queue-done-approve = { $n ->
    [one] Approuvé.
   *[other] { $n } commentaires approuvés.
  }
queue-done-keep = Gardé : signalements classés.
queue-done-reject = { $n ->
    [one] Refusé.
   *[other] { $n } commentaires refusés.
  }
queue-done-restore = Rétabli.
queue-done-delete = Supprimé.
queue-done-block = Auteur bloqué.
queue-done-suspend = Serveur suspendu.
queue-done-undone = { $n ->
    [one] Décision annulée.
   *[other] { $n } décisions annulées.
  }
queue-done-mode = Mode de l'article changé.
queue-live-new = { $n ->
    [one] 1 nouveau commentaire en attente, ajouté en haut de la liste.
   *[other] { $n } nouveaux commentaires en attente, ajoutés en haut de la liste.
  }

## The rules that fired
queue-hit-mode-pre = Article en pré-modération
queue-hit-mode-closed = Commentaires fermés
queue-hit-actor-block = Auteur bloqué
queue-hit-newcomer = Nouvel auteur : { $n } commentaire(s) approuvé(s) sur { $needed } requis
queue-hit-domain-suspended = Serveur { $domain } suspendu
queue-hit-domain-silenced = Serveur { $domain } limité
queue-hit-domain-media = Médias de { $domain } non conservés
queue-hit-staff-rule = Règle n° { $id } ({ $kind }) : { $pattern }
queue-hit-removed-rule = Règle n° { $id } (supprimée depuis)
queue-hit-unknown = Règle { $rule }
queue-hit-max_links = Plus de { $n } liens
queue-hit-max_mentions = { $n } mentions
queue-hit-link_host = Lien vers { $host }
queue-hit-repetition = Copie n° { $n } d'un même message
queue-hit-repetition_actor = Publié { $n } fois par cet auteur
queue-hit-rate_actor = Plus de { $n } commentaires en { $s } s de cet auteur
queue-hit-rate_domain = Plus de { $n } commentaires en { $s } s de ce serveur
queue-hit-min_account_age_days = Compte créé il y a { $n } jour(s)
queue-hit-empty_account = Compte du jour sans nom ni avatar
queue-hit-rejected_ratio = { $n } des { $total } derniers commentaires de l'auteur retirés
queue-rule-kind-banned_word = mot interdit
queue-rule-kind-banned_regex = expression interdite
queue-rule-kind-suspect_word = mot suspect
queue-rule-kind-suspect_regex = expression suspecte
queue-rule-kind-wordlist = liste de mots
queue-rule-kind-link_host = site lié
queue-rule-kind-max_links = liens au plus
queue-rule-kind-max_mentions = mentions au plus
queue-rule-kind-repetition = copies
queue-rule-kind-repetition_actor = copies par auteur
queue-rule-kind-rate_actor = rythme par auteur
queue-rule-kind-rate_domain = rythme par serveur
queue-rule-kind-min_account_age_days = âge minimal du compte
queue-rule-kind-empty_account = compte vide
queue-rule-kind-rejected_ratio = part de commentaires retirés

## A comment in its context
comment-title = Commentaire n° { $id }
comment-all-of-article = tous les commentaires de l'article
comment-thread = Le fil
comment-in-reply-to = En réponse à :
comment-replies = { $n ->
    [one] 1 réponse
   *[other] { $n } réponses
  }
comment-author = L'auteur
comment-author-profile = Son profil
comment-first-seen = Vu pour la première fois
comment-counts = Ses commentaires
comment-domain-policy = Règle pour { $domain }
comment-no-policy = aucune
comment-severity-suspend = suspendu
comment-severity-silence = limité
comment-severity-noop = aucune restriction
comment-actor-policy = Règle pour l'auteur
comment-actor-block = bloqué
comment-actor-allow = de confiance
comment-all-by-author = Tous ses commentaires
comment-history = Ses derniers commentaires

## Articles
articles-title = Articles
articles-count = { $n ->
    [0] Aucun article
    [one] 1 article
   *[other] { $n } articles
  }
articles-col-title = Titre
articles-col-site = Site
articles-col-date = Date
articles-col-published = Publiés
articles-col-held = En attente
articles-col-mode = Commentaires
articles-mode-of = Mode des commentaires de « { $title } »
articles-mode-site = Comme le site ({ $mode })
articles-mode-post = ouverts
articles-mode-pre = pré-modérés
articles-mode-closed = fermés
articles-mode-apply = Appliquer
articles-none = Aucun article pour l'instant.

# Transmettre un signalement ou une décision au serveur de l'auteur (un Flag de ce serveur).
comment-forward = Transmettre à son serveur
comment-forward-help = Envoie à { $domain } un signalement de ce serveur (jamais l'identité du lecteur) : le motif, et ce que le lecteur a écrit.
comment-forward-report = Transmettre ce signalement ({ $reason })
comment-forward-decision = Transmettre notre décision
comment-forwarded-queued = Transmis : son serveur recevra le signalement.
comment-forwarded-already_sent = Déjà transmis pour ce motif.
comment-forwarded-not_this_site = Ce site ne transmet pas les signalements.
comment-forwarded-too_soon = Un signalement de ce commentaire a été transmis il y a moins d'un jour.
comment-forwarded-not_remote = Seul un commentaire venu d'un autre serveur peut être transmis.
queue-quote = Citation
queue-quote-of = Une citation de { $target }, pas une réponse : elle s’affiche à part, sous « Citations ».

## Auteurs de confiance et surveillés
queue-trust-trusted = Auteur de confiance
queue-trust-watched = Auteur surveillé
queue-hit-actor-allow = Auteur de confiance : publié sans pré-modération
queue-hit-actor-watch = Auteur surveillé : chaque commentaire est retenu
comment-actor-watch = surveillé
comment-trust-normal = normal
comment-trust-reason = Pourquoi (visible de l'équipe seulement)
comment-trust-set-trusted = Faire confiance à cet auteur
comment-trust-set-watched = Surveiller cet auteur
comment-trust-set-normal = Revenir à la normale
comment-trust-help = De confiance : publié aussitôt, même en pré-modération, sans la règle des nouveaux ni les règles de contenu ; la règle de son serveur et les fils fermés s'appliquent toujours. Surveillé : chaque commentaire attend un modérateur. À partir de son prochain commentaire.
comment-trust-blocked = Un auteur bloqué n'a pas de niveau : levez d'abord le blocage.
audit-action-author-trust = a changé le niveau de confiance d'un auteur
comment-author-imported = Importé de l’ancien système de commentaires du site : pas de compte du fédivers derrière ce nom.
