"""Storage and questions: the tables, the engine factory, and point-in-time queries.

Modules:
- ``tables``   all SQLModel tables (one module, no circular imports)
- ``engine``   ``make_engine(url)``: SQLite by default, any SQLAlchemy URL (PostgreSQL via psycopg 3)
- ``labels``   readable labels from unit ids ("Art. 7-1, para. 2, subpara. 3)")
- ``lifecycle`` unit versions derived from units and events: when each unit existed, how sure we are
- ``versions``   unit versions one edition supports
- ``pointintime`` ``as_of``: status, certainty and wording confidence of every unit on a date, as one
                 edition tells it (``law_index(language=)``)
- ``unitstate``  the state of one unit on a date, memoised per interval between the dates it can change
- ``evidence``   best evidence: with the official text and a translation, the official text decides the
                 status and each unit says whether the translation agrees (``as_of`` delegates to it)
- ``changes``    compare two dates, change log, effects of a law, history of a unit
- ``quality``    conflicts between notes, weak dates
- ``textdiff``   word diffs and translation-noise normalisation
- ``witnesses``  dated quotations matched to units
- ``exports``    CSV / JSON / Markdown; ``akn`` Akoma Ntoso 3.0 XML
- ``reconcile``  disagreements between the English and the official Russian text, and between editions
  (``findings``, ``edition_changes`` hold its pieces)
- ``queries``    listings for the CLI: events, amending laws, warnings

May import: the standard library, SQLModel/SQLAlchemy, lxml (``akn`` only). Nothing of ours.
"""
