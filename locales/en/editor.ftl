# The editors' console: the selection, replies signed by their author, errors.

editor-selection-title = Selection
editor-signature-heading = Your signature
editor-signature-intro = Your replies are signed:
editor-signature-name = Display name
editor-signature-role = Title
editor-signature-role-help = For example "Head of the Society desk". Leave empty to show the name only.
editor-signature-save = Save the signature
editor-signature-saved = Signature saved.
editor-signature-change = change the signature
editor-handle-intro = On the fediverse, your replies and the articles you sign come from
editor-handle-meta = So that Mastodon names you on the link preview of your articles, the page carries this tag in its head:
editor-handle-when = The account answers once you have signed an article (the "author" of its registration) or written a reply; follows go to the site's account.
editor-articles-heading = Recent articles
editor-articles-none = No articles yet.
editor-article = Article
editor-published = Published
editor-comments = Comments
editor-highlights = Selection
editor-highlights-count = { $n ->
    [0] none picked
   *[other] { $n } picked
}
editor-open-article = open the article
editor-open-thread = open the readers' thread
editor-back-to-selection = Back to the articles
editor-selection-heading = { $n ->
    [0] The selection
   *[other] The selection ({ $n })
}
editor-selection-empty = No comment is highlighted. Pick some from the published comments below.
editor-in-thread = in the thread
editor-picked-by = Picked by { $name }
editor-note = Editors' note
editor-note-save = Save the note
editor-move-up = Move up
editor-move-down = Move down
editor-remove = Remove from the selection
editor-move-up-label = Move up (pick number { $n })
editor-move-down-label = Move down (pick number { $n })
editor-remove-label = Remove from the selection (pick number { $n })
editor-reply-article = Reply to the article
editor-reply = Reply
editor-reply-text = Your reply (text or Markdown)
editor-reply-signed = Signed { $name }
editor-reply-send = Publish the reply
editor-comments-heading = { $n ->
    [0] Published comments
   *[other] Published comments ({ $n })
}
editor-comments-none = No published comment on this article.
editor-in-selection = in the selection
editor-highlight = Highlight
editor-newsroom-badge = The newsroom
