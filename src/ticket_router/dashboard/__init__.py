"""The web dashboard (optional extra `dashboard`): `ticket-router dashboard` runs `app.py` under Streamlit.

Importing this package builds nothing; each page reads settings and opens the store on first render.
"""
