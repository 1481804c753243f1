"""Read files as the programme receives them into validated canonical frames.

Entry points: `canonical.read_dataset` (canonical or Spanish CSV/XLSX), `kobo.read_kobo_registration`
(MISKA KoboToolbox export), `field_sessions.read_field_sessions` (field teams' CSV). `schemas`
is the data contract; every problem is an `errors.Problem` raised in a typed `errors.LoaderError`.
Nothing is imported here so that `data_loaders.schemas` stays light to import.
"""
