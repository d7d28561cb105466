"""Who is registered: households and their ledgers, organizations and their teams."""
