"""The dashboard's entry script: `ticket-router dashboard` runs `streamlit run` on this file.

It sets the page up, draws the sidebar (database, engine, review threshold) and hands over to the chosen page.
Every page is guarded: an unexpected error becomes a short message on screen, never a stack trace.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import streamlit as st

from ticket_router.dashboard import analytics, batch, customers_outages, models, review, route, services, theme
from ticket_router.settings import Settings, SettingsError

log = logging.getLogger("ticket_router.dashboard")

# key → (title, material icon, render function)
PAGES: dict[str, tuple[str, str, Callable[[], None]]] = {
    "route": ("Route a ticket", ":material/alt_route:", route.render),
    "batch": ("Batch", ":material/upload_file:", batch.render),
    "analytics": ("Analytics", ":material/monitoring:", analytics.render),
    "review": ("Review queue", ":material/fact_check:", review.render),
    "customers": ("Customers & outages", ":material/groups:", customers_outages.render),
    "models": ("Models", ":material/model_training:", models.render),
}


def guarded(render: Callable[[], None]) -> Callable[[], None]:
    @functools.wraps(render)
    def run() -> None:
        try:
            render()
        except Exception as error:  # noqa: BLE001 - the last line of defence: a message, never a traceback
            log.warning("dashboard page failed: %s", type(error).__name__)
            log.debug("dashboard page failure", exc_info=True)
            st.error(f"This page hit an unexpected problem ({type(error).__name__}). Nothing was lost; "
                     "reload the page to try again, and check the server log if it persists.")

    return run


def _setup() -> Settings | None:
    # An emoji favicon is drawn in the page; a `:material/…:` one would be fetched from fonts.gstatic.com.
    st.set_page_config(page_title="ticket-router", page_icon="🧭", layout="wide",
                       initial_sidebar_state="expanded")
    st.markdown(theme.CSS, unsafe_allow_html=True)
    try:
        return services.settings()
    except (SettingsError, ValueError) as error:
        st.error(f"Invalid configuration: {error}. Fix the TICKET_ROUTER_* environment variables and restart.")
        return None


def sidebar(current: Settings) -> bool:
    """Configuration for this browser session. Returns False when the database cannot be opened."""
    with st.sidebar:
        st.markdown("**Database**")
        st.code(current.database_label(), language=None, wrap_lines=True)
        try:
            services.open_store_for(current)
        except Exception as error:  # noqa: BLE001 - a down database is a message, not a crash
            log.warning("cannot open the database: %s", type(error).__name__)
            st.error(f"Cannot open the database ({type(error).__name__}). Check TICKET_ROUTER_DB / "
                     "TICKET_ROUTER_DATABASE_URL and that the server is up.")
            return False
        engines = services.available_engines()
        if st.session_state.get(services.ENGINE_KEY) not in engines:
            st.session_state[services.ENGINE_KEY] = current.engine if current.engine in engines else engines[0]
        st.selectbox("Engine", engines, key=services.ENGINE_KEY,
                     help="Which engine routes tickets sent from this session (Route and Batch pages).")
        if services.THRESHOLD_KEY not in st.session_state:
            st.session_state[services.THRESHOLD_KEY] = current.review_threshold
        st.slider("Review below confidence", min_value=0.0, max_value=1.0, step=0.05, key=services.THRESHOLD_KEY,
                  help="Tickets routed from this session with a lower confidence are sent to the review queue. "
                       "Stored decisions keep the flag they were given.")
        st.caption(f"Model: {current.model}")
    return True


def run_page(key: str) -> None:
    """One page with the sidebar but without navigation: what the tests and the benchmark render."""
    current = _setup()
    if current is None or not sidebar(current):
        return
    guarded(PAGES[key][2])()


def main() -> None:
    current = _setup()
    if current is None:
        return
    pages = [st.Page(guarded(render), title=title, icon=icon, url_path=key, default=key == "route")
             for key, (title, icon, render) in PAGES.items()]
    page = st.navigation(pages)
    if sidebar(current):
        page.run()


if __name__ == "__main__":
    main()
