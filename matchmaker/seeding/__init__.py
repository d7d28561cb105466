"""Data written for demonstrations and benchmarks, apart from the services: demo.py and
demo_records.py load seeds/demo/, synthetic.py makes a large invented province."""
