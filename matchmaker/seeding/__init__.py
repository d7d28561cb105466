"""Data written for demonstrations and benchmarks, apart from the services: synthetic.py makes
a large invented province (the demo data still load through services/demo.py)."""
