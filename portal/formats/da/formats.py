# Danish dates and times as Danish public-sector sites write them (Retskrivningsordbogen):
# "8. december 2021", times with a dot "kl. 9.30", "8. december 2021 kl. 14.30".
# Everything else (numbers "1.234,5", input formats) is Django's Danish.
DATE_FORMAT = "j. F Y"
TIME_FORMAT = "G.i"
DATETIME_FORMAT = r"j. F Y \k\l. G.i"
MONTH_DAY_FORMAT = "j. F"
