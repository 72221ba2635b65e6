"""What a new user reads: install hints, help text, plurals and the end of the demo (issue 11, items 11-14)."""

from __future__ import annotations

import pytest
import typer

from ticket_router.cli.common import fail


@pytest.mark.parametrize("extra", ["dashboard", "service", "train", "agent"])
def test_install_hints_keep_the_extra_name(extra, capsys):
    with pytest.raises(typer.Exit):
        fail(f"needs the extra: pip install 'ticket-router[{extra}]'")
    assert f"pip install 'ticket-router[{extra}]'" in capsys.readouterr().err
