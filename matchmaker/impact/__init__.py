"""The public impact figures: their definitions, the rollups that keep them fast, overviews."""
