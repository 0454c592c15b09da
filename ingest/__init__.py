"""Read consolidated law texts and turn them into plain data.

Steps, each in its own module:

- ``source``      read a file as a law text (UTF-8, not binary, looks like a law) -> ``SourceText``
- ``structure``   the tree of units (sections … subparagraphs, unnumbered parts) -> ``Unit``
- ``lawrefs``     dates and "Law № … dated …" references inside a note
- ``entry_into_force``  the rule of an entry-into-force clause and the date it gives
- ``notes``       the English grammar of footnotes and inline "excluded by" markers -> ``Event``
- ``parse``       runs the steps in order -> ``ParsedLaw``
- ``amending_laws``  the user-extensible CSV of amending laws (titles, publication dates)
- ``load``        writes a ``ParsedLaw`` into the database (one transaction, idempotent)
- ``batch``       many texts in one transaction, parsed in worker processes while the writer stores them
- ``witness``     dated witnesses (quotations of earlier wordings, HTML cells read with lxml) -> ``Quotation``
- ``load_witness`` writes matched quotations as dated unit versions
- ``effective``   entry into force of note events, one logic for both languages (the rule reader is a parameter)
- Russian (official) text: ``mirror`` (an act directory of the git mirror: front matter, table of contents,
  parts), ``mirror_git`` (every edition in the git history), ``structure_ru``, ``notes_ru``, ``lawrefs_ru``,
  ``entry_into_force_ru`` (the Russian grammar), ``parse_ru`` -> ``ParsedLaw`` with language "rus"

May import: the standard library, lxml, ``model`` (the loaders and ``batch``; ``witness`` uses ``model.textdiff`` for
similarity). Never ``dashboard``.
"""
