# English dates as a British reader writes them: "8 December 2021", "8 December 2021 14:30".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
