# English dates as a British reader writes them: "8 December 2021", "9:30",
# "8 December 2021 at 14:30" (not Django's "Dec. 8, 2021" nor "9:30 a.m.").
DATE_FORMAT = "j F Y"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = r"j F Y \a\t G:i"
SHORT_DATE_FORMAT = "d/m/Y"
MONTH_DAY_FORMAT = "j F"
