"""Offers and needs meeting: needs, claims, takeovers, offers, matching rounds."""
