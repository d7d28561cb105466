"""The matching engine (issue 5): needs and offers in, scored and explained proposals out.

types (columns of needs and offers), candidates (spatial index and feasibility), scoring (terms,
weights, reasons), assignment (min-cost flow and CP-SAT), engine (propose) are pure: no Flask,
no session, no models; an import-linter contract keeps them so. Reading the database and the
run bookkeeping are services (services/market/match_loading.py, services/market/match_runs.py); the
synthetic benchmark data are seeding (seeding/synthetic.py).
"""
