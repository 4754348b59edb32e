"""The Streamlit dashboard: ``state`` (keys, cached store and queries), ``components`` (the
network drawing) and one script per page under ``pages/``. Only this package and
``app.py`` import Streamlit."""
