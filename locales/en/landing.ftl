# The server's home page (GET /).

landing-title = Tribune: federated comments
landing-intro = This server holds the comments of the sites below. Each article is an ActivityPub object: readers reply from their own fediverse account (Mastodon and others), the newsroom moderates and highlights, and the thread shows under the article.
landing-sites = Sites
landing-site-follow = On the fediverse:
landing-site-charter = Comment charter
landing-no-sites = No site is configured yet: add one under [[sites]] in the configuration.
landing-newsroom = For the newsroom
landing-console = The console
landing-console-hint = moderation and the editors' selection, with a staff account (tribune staff add).
landing-api = The HTTP API
landing-api-hint = its OpenAPI document; the README tells the rest.
landing-embed = Comments on a page
landing-embed-step = Where the comments go, name the page's URL and load the script:
landing-alternate-step = So that a fediverse user who pastes the page's address into search finds the article, add this to the page's head:
landing-register-step = Articles register themselves on their first visit; the CMS may also register them (POST /api/v1/articles), which announces them to the site's followers.
landing-nojs = Without JavaScript, the same thread:
landing-footer = Tribune is free software (AGPL-3.0-or-later).
