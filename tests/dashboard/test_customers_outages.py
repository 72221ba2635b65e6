"""Customers and outages: search and import customers; import, declare and resolve outages, with the open tickets
an outage affects."""

from __future__ import annotations

from datetime import timedelta

from dashboardtest import Dashboard, assert_clean, screen
from ticket_router.domain import Ticket, utcnow


def test_customers_are_listed_and_searched(dashboard: Dashboard) -> None:
    app = dashboard.page("customers")
    assert_clean(app)
    assert len(app.dataframe[-1].value) == 8  # the demo customers

    app.text_input(key="co.search").input("dental").run()
    table = app.dataframe[-1].value
    assert list(table["Customer"]) == ["C-1003"] and list(table["Name"]) == ["Eastside Dental Practice"]

    app.text_input(key="co.search").input("nobody-like-this").run()
    assert "No customer matches “nobody-like-this”" in screen(app)


def test_importing_customers_names_bad_rows_and_stores_good_ones(dashboard: Dashboard) -> None:
    data = (b"customer_id,name,vip,account_type,plan,region\n"
            b"C-2001,Acme Ltd,true,business,Fibre 1G,North\n"
            b"C-2002,Bad Row,maybe,consumer,,South\n"
            b"C-2003,Jo Smith,false,consumer,Mobile 5GB,West\n")
    app = dashboard.page("customers")
    app.file_uploader(key="co.import.customers.0").upload("customers.csv", data, "text/csv")
    app.run()

    assert_clean(app)
    shown = screen(app)
    assert "2 valid, 1 rejected." in shown and "line 3:" in shown and "vip" in shown
    app.button(key="co.import.customers.go").click().run()

    assert_clean(app)
    assert "Imported 2 customers; 1 rejected." in screen(app)
    acme = dashboard.store.get_customer("C-2001")
    assert acme is not None and acme.vip and acme.region == "North"
    assert dashboard.store.get_customer("C-2002") is None
    assert not [b for b in app.button if b.key == "co.import.customers.go"]  # the uploader was emptied


def test_declaring_an_outage_shows_the_open_tickets_it_affects_and_resolving_ends_it(dashboard: Dashboard) -> None:
    recent = utcnow() - timedelta(hours=2)
    dashboard.route([
        # Tom Becker is in North; both name no service or the mobile one
        Ticket(ticket_id="O-1", subject="No signal", description="My phone has no signal at all since this morning",
               customer_id="C-1007", created_at=recent),
        Ticket(ticket_id="O-2", subject="Double charge", description="I was charged twice on my invoice",
               customer_id="C-1007", created_at=recent),  # a billing question: not affected by an outage
        Ticket(ticket_id="O-3", subject="No signal", description="My phone has no signal at all",
               customer_id="C-1002", created_at=recent),  # South: another region
    ], at=recent)
    app = dashboard.page("customers")
    assert_clean(app)
    assert "Active outages (3)" in screen(app)

    app.text_input(key="co.outage.id").input("OUT-TEST-1")
    app.selectbox(key="co.outage.region").set_value("North")
    app.selectbox(key="co.outage.service").select_index(1)  # mobile
    app.selectbox(key="co.outage.severity").select_index(0)  # critical
    app.date_input(key="co.outage.day").set_value((utcnow() - timedelta(days=1)).date())
    app.text_input(key="co.outage.description").input("Mast fire at North-7")
    next(b for b in app.button if b.label == "Declare outage").click().run()

    assert_clean(app)
    assert "Outage OUT-TEST-1 declared: mobile in North, 1 open ticket(s) affected." in screen(app)
    stored = {o.outage_id: o for o in dashboard.store.list_outages()}
    assert stored["OUT-TEST-1"].region == "North" and stored["OUT-TEST-1"].severity.value == "critical"
    assert "Active outages (4)" in screen(app)
    affected = [frame.value for frame in app.dataframe if "Ticket" in frame.value.columns]
    assert [list(frame["Ticket"]) for frame in affected if "O-1" in set(frame["Ticket"])] == [["O-1"]]

    app.button(key="resolve-OUT-TEST-1").click().run()

    assert_clean(app)
    assert "Outage OUT-TEST-1 resolved." in screen(app) and "Active outages (3)" in screen(app)
    assert dashboard.store.list_outages(active_at=utcnow()) and \
        "OUT-TEST-1" not in {o.outage_id for o in dashboard.store.list_outages(active_at=utcnow())}


def test_an_outage_without_a_region_is_refused_with_a_message(dashboard: Dashboard) -> None:
    app = dashboard.page("customers")
    next(b for b in app.button if b.label == "Declare outage").click().run()

    assert not app.exception
    assert any("the outage id and the region are required" in e.value for e in app.error)
    assert len(dashboard.store.list_outages()) == 4  # the demo ones only


def test_past_outages_are_searched(dashboard: Dashboard) -> None:
    app = dashboard.page("customers")
    past = [frame.value for frame in app.dataframe if "Outage" in frame.value.columns]
    assert [list(frame["Outage"]) for frame in past] == [["OUT-2026-1090"]]  # the resolved demo outage

    app.text_input(key="co.outage.search").input("aggregation").run()
    assert [list(f.value["Outage"]) for f in app.dataframe if "Outage" in f.value.columns] == [["OUT-2026-1090"]]
    app.text_input(key="co.outage.search").input("mobile").run()
    assert not [f for f in app.dataframe if "Outage" in f.value.columns]
    assert "No resolved or scheduled outage matches “mobile”" in screen(app)
