"""ごみ分別: the city's own list of items and how each goes out (issue 16)."""
