"""The app for leaders: the Voilà page (one place, every section in a tab) and ``serve``.

The top layer with the command line: it may use everything below it.
"""
