# Words shared by every page: dates, durations, counts.

month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec
date-this-year = { $monthname } { $day } at { $hour12 }:{ $minute } { $pm ->
    [pm] PM
   *[am] AM
}
date-other-year = { $monthname } { $day }, { $year } at { $hour12 }:{ $minute } { $pm ->
    [pm] PM
   *[am] AM
}

ago-now = just now
ago-minutes = { $n } min ago
ago-hours = { $n } h ago
ago-days = { $n ->
    [1] yesterday
   *[other] { $n } days ago
}

comments-count = { $n ->
    [0] No comments
    [one] { $n } comment
   *[other] { $n } comments
}
