"""The growth-firms section: OECD-Eurostat high-growth firms, where they are, and a model of growth potential."""
