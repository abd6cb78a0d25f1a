# The console's settings and records: rules and modes, domains, reports, audit log,
# blocklists.

settings-rules-title = Rules and modes
settings-modes-heading = Sites' modes
settings-mode = Mode
settings-mode-post = publish, then moderate
settings-mode-pre = moderate before publishing
settings-mode-closed = closed
settings-hold-new-authors = Hold new authors until
settings-hold-help = approved comments (0: nobody is held)
settings-save = Save
settings-rules-heading = { $n ->
    [0] Rules
   *[other] Rules ({ $n })
}
settings-rules-none = No rule added: only the built-in rules apply.
settings-site = Site
settings-kind = Kind
settings-pattern = Pattern
settings-action = Action
settings-actions = Actions
settings-all-sites = every site
settings-kind-banned_word = banned word
settings-kind-banned_regex = banned expression
settings-kind-suspect_word = suspect word
settings-kind-suspect_regex = suspect expression
settings-kind-wordlist = list of abusive words (fr or en)
settings-kind-link_host = linked site
settings-kind-max_links = links at most
settings-kind-max_mentions = mentions at most
settings-kind-repetition = repetition
settings-kind-repetition_actor = repetition by one author
settings-kind-rate_actor = an author's rate
settings-kind-rate_domain = a server's rate
settings-kind-min_account_age_days = account age (days)
settings-kind-empty_account = empty account
settings-kind-rejected_ratio = author's share of rejections
settings-action-publish = publish
settings-action-hold = hold
settings-action-hide = hide
settings-action-reject = reject
settings-rule-remove-label = Remove rule number { $id }
settings-remove = Remove
settings-rule-add = Add a rule
settings-add = Add
settings-domains-title = Domains
settings-domains-none = No domain policy.
settings-domain = Domain
settings-severity = Severity
settings-reject-media = reject media
settings-reject-reports = reject reports
settings-source = Source
settings-severity-suspend = suspend
settings-severity-silence = limit
settings-severity-noop = none
settings-yes = yes
settings-no = no
settings-domain-lift-label = Lift the policy of { $domain }
settings-lift = Lift
settings-domain-add = Apply a policy
settings-apply = Apply
settings-reports-title = Reports
settings-reports-open = { $n ->
    [0] Open reports
   *[other] Open reports ({ $n })
}
settings-reports-queue = See the reported comments in the queue
settings-reports-none = No open report.
settings-received = Received
settings-reason = Reason
settings-reporter-text = Report text
settings-from = From
settings-comment = Comment
settings-no-text = (no text)
settings-source-reader = a reader
settings-source-remote = a server
settings-comment-link = Comment number { $id }
settings-flags = { $n ->
    [0] Reports from servers
   *[other] Reports from servers ({ $n })
}
settings-flags-none = No report received from another server.
settings-objects = Objects
settings-audit-title = Audit log
settings-audit-none = The log is empty.
settings-when = When
settings-who = Who
settings-what = Action
settings-target = Target
settings-details = Details
audit-action-comment-approve = approved a comment
audit-action-comment-hide = hid a comment
audit-action-comment-restore = restored a comment
audit-action-comment-delete = deleted a comment
audit-action-comment-edit = edited a reply
audit-action-comment-highlight = highlighted a comment
audit-action-comment-unhighlight = removed a highlight
audit-action-comment-reply = replied
audit-action-article-highlights-order = reordered the selection
audit-action-article-moderation = changed an article's mode
audit-action-actor-allow = trusted an author
audit-action-actor-block = blocked an author
audit-action-actor-unblock = unblocked an author
audit-action-actor-erase = erased an author's data
audit-action-actor-export = exported an author's data
audit-action-blocklist-approve = approved a blocklist
audit-action-blocklist-follower = decided on a follower of our list
audit-action-blocklist-import = imported a blocklist
audit-action-blocklist-merge = applied the blocklists
audit-action-blocklist-subscribe = subscribed to a blocklist
audit-action-blocklist-unsubscribe = unsubscribed from a blocklist
audit-action-blocklist-reject_entry = rejected an entry of a list
audit-action-domain-policy = applied a domain policy
audit-action-domain-remove = lifted a domain policy
audit-action-rule-add = added a rule
audit-action-rule-remove = removed a rule
audit-action-site-moderation = changed a site's mode
audit-action-site-recheck = re-ran a site's moderation
audit-action-staff-create = created an account
audit-action-staff-signature = changed their signature
settings-blocklists-title = Blocklists
settings-subscriptions = { $n ->
    [0] Subscriptions
   *[other] Subscriptions ({ $n })
}
settings-subscriptions-none = No subscription to a shared list (the `tribune blocklist subscribe` command or the API add them).
settings-list = List
settings-state = State
settings-last-read = Last read
settings-entries = Entries
settings-kind-source-list = list
settings-kind-source-fires = FIRES dataset
settings-kind-source-activitypub = blocklist actor (ActivityPub)
settings-max-severity = at most: { $severity }
settings-applies = applied
settings-draft = draft (to review)
settings-follow-pending = follow pending
settings-follow-accepted = follow accepted
settings-follow-rejected = follow rejected
settings-never = never
settings-last-error = Last error:
settings-refresh-label = Read now: { $name }
settings-refresh = Read now
settings-approve-label = Approve the list { $name }
settings-approve = Approve
settings-unsubscribe-label = Unsubscribe from { $name }
settings-unsubscribe = Unsubscribe
settings-drafts = { $n ->
    [0] Entries to review
   *[other] Entries to review ({ $n })
}
settings-drafts-help = The entries of a draft list wait: accept one to apply it by hand, reject it so the list no longer touches that domain.
settings-drafts-none = Nothing to review.
settings-in-force = a policy is already in force
settings-accept-label = Apply the entry { $domain }
settings-accept = Apply
settings-reject-label = Reject the entry { $domain }
settings-reject = Reject
settings-published = Our published list
settings-published-count = { $n ->
    [0] No domain published.
    [one] { $n } domain published.
   *[other] { $n } domains published.
}
settings-published-actor = Servers follow it through the actor
settings-followers = { $n ->
    [0] Followers
   *[other] Followers ({ $n })
}
settings-followers-none = No server follows our list.
settings-follower-pending = pending
settings-follower-approved = approved
settings-follower-rejected = rejected
settings-followers-admins = Administrators decide on the followers of our list.
