"""The rules of the platform, as functions that add and flush but never commit."""
