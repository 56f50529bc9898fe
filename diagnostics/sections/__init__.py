"""The sections of the diagnostic: the registry, the session every view takes, the notebook writer,
and one package per section (``summary``, ``economy``, ``growth``, ``geographies``, ``health``).

A section's package holds its analysis (typed results from store data), its page (the views that
render those results) and its narrative (the sentences tied to its figures). A section's analysis
never imports rendering, outputs or the app.
"""
