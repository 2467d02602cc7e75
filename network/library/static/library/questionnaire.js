/* The questionnaire (library/questionnaire.html). */
