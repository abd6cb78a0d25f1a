# The embed (assets/embed.js) and the reader's path to reply from the fediverse
# (/interact). The embed receives every `embed-*`, `interact-error-*`, date and
# report-reason message from /embed/words; `$n` picks plural forms.

embed-loading = Loading comments…
embed-error = The comments could not be loaded.
embed-region = Comments
embed-selection = Editors' picks
embed-pick-badge = Editors' pick
embed-picked = The newsroom highlighted this comment
embed-read-in-thread = Read in the thread
embed-all = All comments
embed-sort = Sort
embed-sort-oldest = Oldest first
embed-sort-newest = Newest first
embed-sort-replied = Most replied
embed-more = Show more comments
embed-edited = edited
embed-new = New
embed-new-count = { $n ->
    [one] { $n } new comment
   *[other] { $n } new comments
}
embed-new-next = Go to the next one
embed-staff = Newsroom
embed-staff-answer = The newsroom's answer
embed-reply-article = Reply from your fediverse account
embed-reply = Reply
embed-report = Report
embed-report-reason = Reason
embed-send = Send
embed-cancel = Cancel
embed-reported = Thank you, your report was sent.
embed-failed = That failed, please try again later.
embed-deleted = Comment deleted.
embed-removed = Comment removed by the moderators ({ $reason }).
embed-charter = Read the charter
embed-cw = Content warning: { $summary }
embed-attachment = Attachment
embed-mode-post = Comments are published without prior moderation; please follow our charter.
embed-mode-pre = Comments are reviewed before publication; please follow our charter.
embed-mode-closed = Comments are closed.
embed-empty = Be the first to reply from the fediverse.
embed-read-more = Read more
embed-read-less = Show less
embed-replies-show = { $n ->
    [one] { $n } reply
   *[other] { $n } replies
}
embed-replies-hide = Hide the replies
embed-continue = { $n ->
    [one] Continue this thread ({ $n } reply)
   *[other] Continue this thread ({ $n } replies)
}
embed-back = Back to the whole thread
embed-in-reply-to = replying to { $name }
embed-fedi-what = The fediverse is a network of open social networks (Mastodon, Pixelfed, Misskey…): everyone has an account on the server of their choice, and they all talk to each other.
embed-fedi-join = No account yet? Pick a server and sign up in a few minutes:
embed-fedi-join-link = join the fediverse
embed-handle = Your fediverse address
embed-handle-placeholder = name@instance.social
embed-go = Continue
embed-checking = Checking your address…
embed-copy = Or paste this link into your server's search:

embed-quotes = { $n ->
    [one] Citation ({ $n })
   *[other] Citations ({ $n })
}
embed-quote-open = See the post

interact-title = Reply from the fediverse
interact-back = Back to the article
interact-error-empty = Give your fediverse address, for example name@instance.social.
interact-error-format = That is not a fediverse address: it looks like name@instance.social (your name, an at sign, then your server).
interact-error-unknown-account = The server { $host } knows no account “{ $user }”. Check the spelling of your address.
interact-error-unreachable = No server answers at { $host }. Check the server's name (for example mastodon.social).
interact-error-not-fediverse = { $host } answered, but it is not a fediverse server.
interact-error-server-error = The server { $host } is not answering properly right now. Try again in a few minutes.
interact-error-unknown-object = This link leads to no article or comment of this site.
interact-error-too-many = Too many attempts: try again in a minute.

# Emoji reactions under a comment or the article.
embed-reactions = Reactions
embed-reaction = { $n ->
    [one] { $emoji }: one reaction
   *[other] { $emoji }: { $n } reactions
}
# An imported comment's origin (the site's show_import_source).
embed-imported = imported from { $source }
