# Why a comment is reported or removed (the ids of services::moderators::Reason).

report-reason-off_topic = Hors sujet
report-reason-repeated = Répété
report-reason-promotional = Promotionnel
report-reason-abusive = Grossier ou injurieux
report-reason-harassment = Harcèlement
report-reason-hate = Haine ou discrimination
report-reason-disinformation = Désinformation
report-reason-illegal = Illicite
report-reason-other = Autre

# Le texte d'un signalement transmis au serveur de l'auteur (un Flag) ; les mots du lecteur suivent.
report-forward-content = Signalé sur { $site } : { $reason }
