"""The annual report's cooperation between states, from a real exchange: a handover of
coordination proposed and accepted, information sent to the flag state by file and through
the outbox (issue 17)."""

from __future__ import annotations

from sarapp.exchange.apply import import_package
from sarapp.exchange.keyring import desk_trust
from sarapp.exchange.reader import read_package
from sarapp.exchange.workflow import answer_handover, propose_handover, send_case
from sarapp.progress import run_to_end
from sarapp.report.annual import annual_report

from .conftest import FALMOUTH, T0


def test_handover_and_information_to_the_flag_state(desk, desk_b, keys_a, keys_b, tmp_path):
    store, case_id = desk
    store.cases.set_field(case_id, "flag", "GB", author="op1")  # a British vessel off Brittany
    send_case(store, case_id, keys=keys_a, to=FALMOUTH, author="op1", output=tmp_path / "i.sarpkg")
    send_case(store, case_id, keys=keys_a, to=FALMOUTH, author="op1",
              outbox_url="http://127.0.0.1:9/packages")  # fmt: skip
    proposal = propose_handover(store, case_id, keys=keys_a, to=FALMOUTH, author="op1")
    read = read_package(proposal.content, trust=desk_trust(desk_b))
    import_package(desk_b, read, author="opB")
    accepted = answer_handover(desk_b, read, accept=True, keys=keys_b, author="opB")
    import_package(store, read_package(accepted.content, trust=desk_trust(store)), author="op1")

    for one in (store, desk_b):
        report = run_to_end(annual_report(one, year=T0.year))
        k = report.total.cooperation
        number = one.cases.get(case_id).number
        assert (k.handovers_proposed.value, k.handovers_accepted.value) == (1, 1)
        assert k.handovers_unanswered.value == 0
        assert k.time_to_acceptance.n == 1 and k.time_to_acceptance.cases == (number,)
        (fact,) = report.cases
        assert (fact.rcc, fact.rcc_source) == ("MRCC-FALMOUTH", "coordination")
        assert fact.rcc_country == "GB" and k.flag_same.value == 1
        assert set(report.by_rcc) == {"MRCC-FALMOUTH"}
    a = run_to_end(annual_report(store, year=T0.year)).total.cooperation
    assert a.information_packages_sent.value == 2
    assert a.information_to_flag_state.value == 2  # MRCC Falmouth is the United Kingdom's
    assert a.information_packages_undelivered.value == 1  # still in the outbox
