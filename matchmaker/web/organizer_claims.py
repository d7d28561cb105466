"""Organizer pages for browsing and claiming needs, and the workbench."""
from matchmaker.web.organizer import bp  # noqa: F401
