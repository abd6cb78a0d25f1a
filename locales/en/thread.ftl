# The no-JS thread page (/threads?url=…).

thread-back = Back to the article: { $title }
thread-selection = Editors' picks
thread-picked = Picked by the newsroom
thread-note = The newsroom's note: { $note }
thread-see-in-thread = See it in the thread
thread-all = All comments
thread-reply-fediverse = Reply from your fediverse account
thread-fediverse = The fediverse is open networks such as Mastodon: an account on any of their servers is enough to reply.
thread-reply = Reply
thread-handle = Your account (name@instance) or your instance
thread-go = Continue
thread-copy = Or paste this link into your instance's search:
thread-report = Report
thread-report-reason = Reason
thread-send = Send
thread-reported = Thank you, your report was sent.
thread-deleted = Comment deleted.
thread-removed = Comment removed by the moderators ({ $reason }).
thread-edited = edited
thread-staff = Newsroom
thread-cw = Content warning: { $text }
thread-charter = Read the charter
thread-mode-post = Comments are published without prior moderation; please follow our charter.
thread-mode-pre = Comments are reviewed before publication; please follow our charter.
thread-mode-closed = Comments are closed.
thread-read-more = Read more
thread-read-less = Show less
thread-attachment = Attachment

# Emoji reactions under a comment or the article.
thread-reactions = Reactions
thread-quotes = { $n ->
    [one] Citation ({ $n })
   *[other] Citations ({ $n })
}
thread-quote-open = See the post
# An imported comment's origin (the site's show_import_source), and an author with no name.
thread-imported = imported from { $source }
thread-anonymous = Anonymous
