# The staff console (/admin).

console-nav = Console
console-nav-queue = Queue
console-nav-articles = Articles
console-nav-selection = Selection
console-nav-rules = Rules and modes
console-nav-domains = Domains
console-nav-reports = Reports
console-nav-audit = Log
console-nav-blocklists = Blocklists
console-sign-out = Sign out
role-editor = editor
role-moderator = moderator
role-admin = admin
console-skip = Skip to content
console-language = Language
console-language-auto = The browser's
console-language-apply = Change

## Sign-in
console-login-title = Sign in
console-login-username = Username
console-login-password = Password
console-login-submit = Sign in
console-login-wrong = Wrong username or password.
console-login-too-many = Too many attempts: try again in { $s } s.

## Errors shown as pages
console-error-title = Error { $status }
console-error-forbidden = This screen is not available to your role.
console-error-stale = This form has expired: reload the page and try again.
console-error-not-found = Not found: this comment or article does not exist (any more).
console-error-conflict = This action no longer applies: the comment changed meanwhile, or the time to undo has passed.
console-error-invalid = This form has an invalid value.
console-error-too-many = Too many requests: wait a moment.
console-error-server = Something went wrong on our side. Try again.
console-error-back = Back to the console

## The queue
queue-title = Moderation queue
queue-tabs = Queue tabs
queue-tab-held = Held
queue-tab-reported = Reported
queue-tab-rejected = Rejected
queue-tab-hidden = Hidden
queue-tab-published = Published
queue-tab-all = All
queue-status-held = held
queue-status-published = published
queue-status-rejected = rejected
queue-status-hidden = hidden
queue-status-deleted = deleted
queue-search-label = Search the queue
queue-search-text = Text
queue-search-author = Author
queue-search-domain = Server
queue-filter-site = Site
queue-filter-reason = Reason
queue-filter-rule = Rule
queue-filter-any = Any
queue-search = Filter
queue-reset = Clear filters
queue-only-article = This article only.
queue-all-articles = All articles
queue-showing = { $shown ->
    [0] No comment
    [one] 1 comment shown
   *[other] { $shown } comments shown
  } of { $total }
queue-empty = Nothing to review here.
queue-pages = Pages
queue-previous = Previous page
queue-next = Next page
queue-page-of = Page { $page } of { $pages }
queue-shortcuts = Keyboard shortcuts
queue-shortcuts-help = j / k: next / previous · a: approve · h: hide (choose the reason) · x: check · ?: this help
queue-pick = Select comment #{ $id }
queue-newsroom = The newsroom
queue-highlighted = Highlighted
queue-reports-count = { $n ->
    [one] 1 report
   *[other] { $n } reports
  }
queue-on = On
queue-this-article = this article only
queue-context = see the context
queue-cw = Content warning:
queue-rules = Rules that fired
queue-filter-rule-title = Filter by this rule
queue-reports = Reports
queue-report-from-reader = Reader
queue-report-from-remote = Remote server
queue-decided-by = Decided by { $who }
queue-note = note:
queue-suppressed = Hidden by a block of its author or server.
queue-reason = Reason
queue-note-label = Moderation note
queue-note-placeholder = note (optional)
queue-verdict-publish = (published)
queue-verdict-hold = (held)
queue-verdict-hide = (hidden)
queue-verdict-reject = (rejected)
queue-action-approve = Approve
queue-action-keep = Keep (dismiss the reports)
queue-action-reject = Reject
queue-action-hide = Hide
queue-action-restore = Restore
queue-action-delete = Delete
queue-action-block = Block the author
queue-action-suspend = Suspend the server
queue-confirm-title = Confirm
queue-confirm-delete = Delete this comment for good? This cannot be undone.
queue-confirm-block = Block this author? All their comments will be hidden.
queue-confirm-suspend = Suspend this author's whole server? Every comment from it will be hidden.
queue-confirm-cancel = Cancel
queue-bulk-label = Bulk action
queue-bulk = For the checked comments:
queue-bulk-action = Action
queue-bulk-submit = Apply
queue-undo = Undo
queue-undo-window = (for { $s } s)
queue-done-hide = { $n ->
    [one] Hidden.
   *[other] { $n } comments hidden.
  }
queue-done-approve = { $n ->
    [one] Approved.
   *[other] { $n } comments approved.
  }
queue-done-keep = Kept: reports dismissed.
queue-done-reject = { $n ->
    [one] Rejected.
   *[other] { $n } comments rejected.
  }
queue-done-restore = Restored.
queue-done-delete = Deleted.
queue-done-block = Author blocked.
queue-done-suspend = Server suspended.
queue-done-undone = { $n ->
    [one] Decision undone.
   *[other] { $n } decisions undone.
  }
queue-done-mode = The article's mode changed.
queue-live-new = { $n ->
    [one] 1 new held comment, added at the top of the list.
   *[other] { $n } new held comments, added at the top of the list.
  }

## The rules that fired
queue-hit-mode-pre = Pre-moderated article
queue-hit-mode-closed = Comments closed
queue-hit-actor-block = Author blocked
queue-hit-newcomer = New author: { $n } approved comment(s) of { $needed } needed
queue-hit-domain-suspended = Server { $domain } suspended
queue-hit-domain-silenced = Server { $domain } silenced
queue-hit-domain-media = Media from { $domain } not kept
queue-hit-staff-rule = Rule #{ $id } ({ $kind }): { $pattern }
queue-hit-removed-rule = Rule #{ $id } (removed since)
queue-hit-unknown = Rule { $rule }
queue-hit-max_links = More than { $n } links
queue-hit-max_mentions = { $n } mentions
queue-hit-link_host = Links to { $host }
queue-hit-repetition = Copy #{ $n } of one message
queue-hit-repetition_actor = Posted { $n } times by this author
queue-hit-rate_actor = More than { $n } comments in { $s } s by this author
queue-hit-rate_domain = More than { $n } comments in { $s } s from this server
queue-hit-min_account_age_days = Account { $n } day(s) old
queue-hit-empty_account = Today's account without name nor avatar
queue-hit-rejected_ratio = { $n } of the author's { $total } recent comments removed
queue-rule-kind-banned_word = banned word
queue-rule-kind-banned_regex = banned expression
queue-rule-kind-suspect_word = suspect word
queue-rule-kind-suspect_regex = suspect expression
queue-rule-kind-wordlist = word list
queue-rule-kind-link_host = linked site
queue-rule-kind-max_links = most links
queue-rule-kind-max_mentions = most mentions
queue-rule-kind-repetition = copies
queue-rule-kind-repetition_actor = copies by one author
queue-rule-kind-rate_actor = rate per author
queue-rule-kind-rate_domain = rate per server
queue-rule-kind-min_account_age_days = youngest account
queue-rule-kind-empty_account = empty account
queue-rule-kind-rejected_ratio = share of removed comments

## A comment in its context
comment-title = Comment #{ $id }
comment-all-of-article = every comment on the article
comment-thread = The thread
comment-in-reply-to = In reply to:
comment-replies = { $n ->
    [one] 1 reply
   *[other] { $n } replies
  }
comment-author = The author
comment-author-profile = Their profile
comment-first-seen = First seen
comment-counts = Their comments
comment-domain-policy = Policy for { $domain }
comment-no-policy = none
comment-severity-suspend = suspended
comment-severity-silence = silenced
comment-severity-noop = no restriction
comment-actor-policy = Policy for the author
comment-actor-block = blocked
comment-actor-allow = trusted
comment-all-by-author = All their comments
comment-history = Their latest comments

## Articles
articles-title = Articles
articles-count = { $n ->
    [0] No article
    [one] 1 article
   *[other] { $n } articles
  }
articles-col-title = Title
articles-col-site = Site
articles-col-date = Date
articles-col-published = Published
articles-col-held = Held
articles-col-mode = Comments
articles-mode-of = Comment mode of “{ $title }”
articles-mode-site = As the site ({ $mode })
articles-mode-post = open
articles-mode-pre = pre-moderated
articles-mode-closed = closed
articles-mode-apply = Apply
articles-none = No article yet.

# Forwarding a report or a decision to the author's server (a Flag from this server).
comment-forward = Forward to their server
comment-forward-help = Sends { $domain } a report from this server (never the reader's identity): the reason, and what the reader wrote.
comment-forward-report = Forward this report ({ $reason })
comment-forward-decision = Forward our decision
comment-forwarded-queued = Forwarded: their server will receive the report.
comment-forwarded-already_sent = Already forwarded for this reason.
comment-forwarded-not_this_site = This site does not forward reports.
comment-forwarded-too_soon = A report on this comment was forwarded less than a day ago.
comment-forwarded-not_remote = Only a comment from another server can be forwarded.
queue-quote = Citation
queue-quote-of = A quote of { $target }, not a reply: it is shown apart, under “Citations”.

## Trusted and watched authors
queue-trust-trusted = Trusted author
queue-trust-watched = Watched author
queue-hit-actor-allow = Trusted author: published without pre-moderation
queue-hit-actor-watch = Watched author: every comment is held
comment-actor-watch = watched
comment-trust-normal = normal
comment-trust-reason = Why (seen by staff only)
comment-trust-set-trusted = Trust this author
comment-trust-set-watched = Watch this author
comment-trust-set-normal = Back to normal
comment-trust-help = Trusted: published at once, even under pre-moderation, without the newcomer and content rules; their server's policy and closed threads still apply. Watched: every comment is held for a moderator. From their next comment on.
comment-trust-blocked = A blocked author has no level: lift the block first.
audit-action-author-trust = changed an author's level
comment-author-imported = Imported from the site’s former comment system: no fediverse account behind this name.
