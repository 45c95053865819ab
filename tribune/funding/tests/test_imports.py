import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tribune.funding import imports
from tribune.funding.models import Donation
from tribune.funding.tests import factories

BERLIN = ZoneInfo("Europe/Berlin")

GENERIC = """date,amount,currency,transaction_id,method,name,email,fee
2026-11-03,25,USD,bank-001,bank_transfer,Ana,ana@example.org,
2026-11-04T18:30,100.50,USD,bank-002,cheque,,,0.00
2026-11-05,abc,USD,bank-003,cash,,,
2026-11-05,-4,USD,bank-004,cash,,,
2026-11-06,10,USD,bank-002,cash,,,
"""

PAYPAL = (
    '\ufeff"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address","Transaction ID"\n'
    '"11/02/2026","09:15:00","PST","Dana R","Donation Payment","Completed","USD","1,200.00","-35.10","1,164.90","dana@example.org","8AB12345CD678901E"\n'
    '"11/03/2026","10:00:00","CET","Eli S","Subscription Payment","Completed","USD","5.00","-0.45","4.55","eli@example.org","9XY"\n'
    '"11/04/2026","11:00:00","PST","Shop","General Payment","Completed","USD","-20.00","0.00","-20.00","","OUT1"\n'
    '"11/04/2026","12:00:00","PST","Fay","Donation Payment","Pending","USD","7.00","0.00","7.00","","PEND1"\n'
)


def test_generic_layout_reads_good_rows_and_explains_bad_ones():
    parsed = imports.parse(io.StringIO(GENERIC), layout="generic", tz=BERLIN)
    assert [r.transaction_id for r in parsed.rows] == ["bank-001", "bank-002"]
    first, second = parsed.rows
    assert first.received_at == dt.datetime(2026, 11, 3, tzinfo=BERLIN)
    assert (first.amount, first.method, first.public_name) == (
        Decimal("25.00"),
        "bank_transfer",
        "Ana",
    )
    assert second.fee == Decimal("0.00")
    reasons = dict(parsed.rejected)
    assert "not a number" in reasons[4]
    assert "not positive" in reasons[5]
    assert "appears twice" in reasons[6]


def test_paypal_layout_reads_the_activity_export():
    parsed = imports.parse(io.StringIO(PAYPAL), layout="paypal", tz=BERLIN)
    assert [r.transaction_id for r in parsed.rows] == ["8AB12345CD678901E", "9XY"]
    dana, eli = parsed.rows
    assert (dana.provider, dana.amount, dana.fee) == (
        "paypal",
        Decimal("1200.00"),
        Decimal("35.10"),
    )
    assert dana.received_at.astimezone(dt.UTC) == dt.datetime(
        2026, 11, 2, 17, 15, tzinfo=dt.UTC
    )
    assert eli.recurring is True
    assert [line for line, _ in parsed.rejected] == [4, 5]


def test_missing_columns_are_named():
    with pytest.raises(imports.RowError, match="transaction_id"):
        imports.parse(
            io.StringIO("date,amount,currency\n"), layout="generic", tz=BERLIN
        )


@pytest.fixture
def generic_file(tmp_path):
    path = tmp_path / "bank.csv"
    path.write_text(GENERIC)
    return path


@pytest.fixture
def clean_file(tmp_path):
    path = tmp_path / "clean.csv"
    path.write_text("\n".join(GENERIC.splitlines()[:3]) + "\n")
    return path


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 20, tzinfo=BERLIN), tick=False):
        yield


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("funding_import_csv", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_a_file_with_bad_rows_imports_nothing_unless_asked(generic_file):
    factories.campaign()
    with pytest.raises(CommandError, match="Nothing imported"):
        run(generic_file)
    assert not Donation.objects.exists()
    out, err = run(generic_file, "--skip-invalid")
    assert "Added: 2" in out and "Rejected: 3" in out
    assert "line 4: amount 'abc' is not a number" in out
    assert "2/2" in err  # the progress bar
    assert Donation.objects.filter(provider="import").count() == 2


@pytest.mark.django_db
def test_the_same_file_is_never_imported_twice(clean_file):
    factories.campaign()
    assert "Added: 2" in run(clean_file)[0]
    out, _ = run(clean_file)
    assert "Added: 0" in out and "Skipped as duplicates: 2" in out
    assert "line 2: bank-001 is already in the ledger" in out
    assert Donation.objects.count() == 2


@pytest.mark.django_db
def test_dry_run_reports_exactly_and_writes_nothing(clean_file):
    factories.campaign()
    out, _ = run(clean_file, "--dry-run")
    assert "Would add: 2" in out
    assert not Donation.objects.exists()


@pytest.mark.django_db
def test_paypal_rows_deduplicate_against_webhook_captures(tmp_path):
    factories.campaign()
    factories.donation("5", provider="paypal", transaction_id="9XY")
    path = tmp_path / "paypal.csv"
    path.write_text(PAYPAL)
    out, _ = run(path, "--layout", "paypal", "--skip-invalid")
    assert "Added: 1" in out and "Skipped as duplicates: 1" in out


@pytest.mark.django_db
def test_foreign_currency_without_rate_is_rejected_by_the_ledger(tmp_path):
    factories.campaign()
    path = tmp_path / "eur.csv"
    path.write_text(
        "date,amount,currency,transaction_id\n2026-11-03,25,EUR,e1\n2026-11-03,30,EUR,e2\n"
    )
    with pytest.raises(CommandError):
        run(path)
    path.write_text(
        "date,amount,currency,transaction_id,exchange_rate\n2026-11-03,25,EUR,e1,1.08\n"
    )
    assert "Added: 1" in run(path)[0]
    assert Donation.objects.get().amount == Decimal("27.00")


def test_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv")


@pytest.mark.django_db
def test_rows_beyond_the_currency_maximum_are_rejected(tmp_path):
    factories.campaign()
    path = tmp_path / "huge.csv"
    path.write_text(
        "date,amount,currency,transaction_id,fee,exchange_rate\n"
        "2026-11-03,1000000000000000000,USD,huge-1,,\n"
        "2026-11-03,1e30,USD,huge-2,,\n"
        "2026-11-03,10,USD,huge-3,1e20,\n"
        "2026-11-03,10,EUR,huge-4,,1e20\n"
        "2026-11-03,10,USD,fine-1,,\n"
    )
    out, _ = run(path, "--skip-invalid")
    assert "Added: 1" in out and "Rejected: 4" in out
    assert list(Donation.objects.values_list("transaction_id", flat=True)) == ["fine-1"]
