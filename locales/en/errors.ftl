# Errors of the HTTP API ({"error": …, "field": …}), in the client's Accept-Language.

error-field-missing = The field “{ $field }” is required.
error-field-invalid = The field “{ $field }” does not have a value of the expected type or format.
error-field-unknown = There is no field “{ $field }” here.
error-field-empty = The field “{ $field }” cannot be empty.
error-field-too-long = The field “{ $field }” is too long (at most { $max } characters).
error-field-url = The field “{ $field }” must be an http(s) URL.
error-field-off-site = The field “{ $field }” must be a URL on the site's origin, { $origin }.
error-site-unknown = There is no site “{ $site }” on this server.
error-author-unknown = There is no staff member “{ $author }” who can sign an article (unknown, disabled, or a name the site actors use).
error-body-invalid = The body does not have the expected shape (a JSON object).
error-body-unreadable = The body could not be read.
error-json-syntax = The body is not valid JSON.
error-json-content-type = The body must be JSON (Content-Type: application/json).
error-query-invalid = The query string does not have the expected shape.
error-form-invalid = The form does not have the expected fields.
error-form-content-type = The body must be a form (Content-Type: application/x-www-form-urlencoded).
error-webhook-url-refused = The field “{ $field }” names an address this server may not send to (https only, and no private or loopback address).
error-webhook-secret = The field “{ $field }” must be at least { $min } characters (and at most 256).
error-webhook-event = The field “{ $field }” names an unknown event, “{ $event }” (comment.held, comment.reported, notice.received, deliveries.dead).
error-alert-mode = The field “{ $field }” must be immediate, digest or off.
error-email-invalid = The field “{ $field }” must be an e-mail address.
