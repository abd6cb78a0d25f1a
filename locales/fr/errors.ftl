# Errors of the HTTP API ({"error": …, "field": …}), in the client's Accept-Language.

error-field-missing = Le champ « { $field } » est obligatoire.
error-field-invalid = Le champ « { $field } » n'a pas une valeur du type ou du format attendu.
error-field-unknown = Il n'y a pas de champ « { $field } » ici.
error-field-empty = Le champ « { $field } » ne peut pas être vide.
error-field-too-long = Le champ « { $field } » est trop long ({ $max } caractères au plus).
error-field-url = Le champ « { $field } » doit être une URL http(s).
error-field-off-site = Le champ « { $field } » doit être une URL de l'origine du site, { $origin }.
error-site-unknown = Il n'y a pas de site « { $site } » sur ce serveur.
error-author-unknown = Aucun membre de l'équipe « { $author } » ne peut signer un article (inconnu, désactivé, ou un nom pris par un acteur de site).
error-body-invalid = Le corps de la requête n'a pas la forme attendue (un objet JSON).
error-body-unreadable = Le corps de la requête n'a pas pu être lu.
error-json-syntax = Le corps de la requête n'est pas du JSON valide.
error-json-content-type = Le corps de la requête doit être du JSON (Content-Type: application/json).
error-query-invalid = Les paramètres de l'URL n'ont pas la forme attendue.
error-form-invalid = Le formulaire n'a pas les champs attendus.
error-form-content-type = Le corps de la requête doit être un formulaire (Content-Type: application/x-www-form-urlencoded).
error-webhook-url-refused = Le champ « { $field } » désigne une adresse à laquelle ce serveur ne peut pas envoyer (https uniquement, ni adresse privée ni locale).
error-webhook-secret = Le champ « { $field } » doit compter au moins { $min } caractères (et au plus 256).
error-webhook-event = Le champ « { $field } » nomme un événement inconnu, « { $event } » (comment.held, comment.reported, notice.received, deliveries.dead).
error-alert-mode = Le champ « { $field } » doit valoir immediate, digest ou off.
error-email-invalid = Le champ « { $field } » doit être une adresse e-mail.
