# Words shared by every page: dates, durations, counts.

month-1 = janv.
month-2 = févr.
month-3 = mars
month-4 = avr.
month-5 = mai
month-6 = juin
month-7 = juil.
month-8 = août
month-9 = sept.
month-10 = oct.
month-11 = nov.
month-12 = déc.
date-this-year = { $day ->
    [1] 1er
   *[other] { $day }
} { $monthname } à { $hour } h { $minute }
date-other-year = { $day ->
    [1] 1er
   *[other] { $day }
} { $monthname } { $year } à { $hour } h { $minute }

ago-now = à l'instant
ago-minutes = il y a { $n } min
ago-hours = il y a { $n } h
ago-days = { $n ->
    [1] hier
   *[other] il y a { $n } jours
}

comments-count = { $n ->
    [0] Aucun commentaire
    [one] { $n } commentaire
   *[other] { $n } commentaires
}
