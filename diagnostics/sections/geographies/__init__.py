"""The geographies section: the place seen through every boundary that matters."""
