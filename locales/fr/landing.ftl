# The server's home page (GET /).

landing-title = Tribune : des commentaires fédérés
landing-intro = Ce serveur héberge les commentaires des sites ci-dessous. Chaque article est un objet ActivityPub : les lecteurs répondent depuis leur propre compte du fédivers (Mastodon et d'autres), la rédaction modère et met en valeur, et la discussion s'affiche sous l'article.
landing-sites = Sites
landing-site-follow = Sur le fédivers :
landing-site-charter = Charte des commentaires
landing-no-sites = Aucun site n'est encore configuré : ajoutez-en un sous [[sites]] dans la configuration.
landing-newsroom = Pour la rédaction
landing-console = La console
landing-console-hint = modération et sélection de la rédaction, avec un compte de l'équipe (tribune staff add).
landing-api = L'API HTTP
landing-api-hint = son document OpenAPI ; le README dit le reste.
landing-embed = Des commentaires sur une page
landing-embed-step = Là où vont les commentaires, nommez l'URL de la page et chargez le script :
landing-alternate-step = Pour qu'un utilisateur du fédivers qui colle l'adresse de la page dans la recherche trouve l'article, ajoutez ceci dans l'en-tête de la page :
landing-register-step = Les articles s'enregistrent d'eux-mêmes à leur première visite ; le CMS peut aussi les enregistrer (POST /api/v1/articles), ce qui les annonce aux abonnés du site.
landing-nojs = Sans JavaScript, la même discussion :
landing-footer = Tribune est un logiciel libre (AGPL-3.0-or-later).
