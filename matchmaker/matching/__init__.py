"""The matching engine (issue 5): needs and offers in, scored and explained proposals out.

types (columns of needs and offers), candidates (spatial index and feasibility), scoring (terms,
weights, reasons), assignment (min-cost flow and CP-SAT), engine (propose) are pure: no Flask
and no session. loading and runs read and write the database for a MatchRun; synthetic makes
benchmark data.
"""
