# Why a comment is reported or removed (the ids of services::moderators::Reason).

report-reason-off_topic = Off topic
report-reason-repeated = Repeated
report-reason-promotional = Promotional
report-reason-abusive = Abusive or insulting
report-reason-harassment = Harassment
report-reason-hate = Hate or discrimination
report-reason-disinformation = Disinformation
report-reason-illegal = Illegal
report-reason-other = Other

# The text of a report forwarded to the author's server (a Flag); a reader's words follow.
report-forward-content = Reported on { $site }: { $reason }
