"""Storage and questions: the tables, the engine factory, and point-in-time queries.

Modules:
- ``tables``   all SQLModel tables (one module, no circular imports)
- ``engine``   ``make_engine(url)``: SQLite by default, any SQLAlchemy URL (PostgreSQL via psycopg 3)
- ``labels``   readable labels from unit ids ("Art. 7-1, para. 2, subpara. 3)")
- ``lifecycle`` unit versions derived from units and events: when each unit existed, how sure we are
- ``queries``  listings for the CLI: events, amending laws, warnings

May import: the standard library, SQLModel/SQLAlchemy. Nothing of ours.
"""
