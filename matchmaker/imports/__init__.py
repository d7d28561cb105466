"""Reading county household ledgers (台账) from .xlsx and .csv files."""
