"""The summary: the place on one page, headline cards from every section, strengths and challenges."""
