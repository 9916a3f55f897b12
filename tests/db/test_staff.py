"""Staff members: PINs stored only as hashes, identified by PIN, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from db.demo import (
    DEMO_STAFF_NAME,
    DEMO_STAFF_PIN,
    DEMO_STAFF_PIN_HASH,
    ensure_demo_data,
    holds_demo_staff,
)
from db.repositories.audit import Action, entries
from db.repositories.staff import (
    LastStaffError,
    PinInUseError,
    StaffNameError,
    StaffNotFoundError,
    StaffRepository,
    WrongPinError,
)
from kiosk.core.pin import OWASP_SCRYPT, InvalidPinError, ScryptParams, hash_pin, verify_pin

CHEAP = ScryptParams(log2_n=4, r=8, p=1)


@pytest.fixture
def staff(engine: Engine) -> StaffRepository:
    return StaffRepository(engine, CHEAP)


def test_add_stores_only_a_hash(engine: Engine, staff: StaffRepository) -> None:
    anna = staff.add("  Anna   B. ", "583920", actor="cli:it")
    assert anna.name == "Anna B."
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT pin_hash FROM staff_users")).scalar_one()
    assert "583920" not in stored
    assert stored.startswith("scrypt$ln=4,r=8,p=1$")
    assert staff.list() == (anna,)
    assert staff.count_active() == 1
    (entry,) = entries(engine, actions=(Action.STAFF_ADDED,))
    assert (entry.actor, entry.detail) == ("cli:it", "Anna B.")


def test_identify_and_verify(staff: StaffRepository) -> None:
    anna = staff.add("Anna", "583920")
    ben = staff.add("Ben", "740261")
    assert staff.identify("740261") == ben
    assert staff.identify("583921") is None
    assert staff.verify(anna.id, "583920")
    assert not staff.verify(anna.id, "740261")
    assert not staff.verify(999, "583920")


def test_refusals(staff: StaffRepository) -> None:
    staff.add("Anna", "583920")
    with pytest.raises(PinInUseError):
        staff.add("Ben", "583920")
    with pytest.raises(StaffNameError):
        staff.add("anna".capitalize(), "740261")
    with pytest.raises(StaffNameError):
        staff.add("   ", "740261")
    with pytest.raises(InvalidPinError):
        staff.add("Ben", "111111")
    assert [s.name for s in staff.list()] == ["Anna"]


def test_deactivated_staff_cannot_log_in(engine: Engine, staff: StaffRepository) -> None:
    anna = staff.add("Anna", "583920")
    ben = staff.add("Ben", "740261")
    assert staff.deactivate(anna.id, actor="Ben").active is False
    assert staff.identify("583920") is None
    assert not staff.verify(anna.id, "583920")
    assert not staff.is_active(anna.id)
    assert staff.list() == (ben,)
    assert staff.list(include_inactive=True)[0].active is False
    (entry,) = entries(engine, actions=(Action.STAFF_DEACTIVATED,))
    assert (entry.actor, entry.detail) == ("Ben", "Anna")
    staff.deactivate(anna.id, actor="Ben")  # already: nothing more to audit
    assert len(entries(engine, actions=(Action.STAFF_DEACTIVATED,))) == 1


def test_the_last_active_staff_member_cannot_be_deactivated(staff: StaffRepository) -> None:
    anna = staff.add("Anna", "583920")
    with pytest.raises(LastStaffError):
        staff.deactivate(anna.id, actor="cli:it")
    assert staff.is_active(anna.id)
    with pytest.raises(StaffNotFoundError):
        staff.deactivate(999, actor="cli:it")


def test_reactivation_takes_a_new_pin(engine: Engine, staff: StaffRepository) -> None:
    anna = staff.add("Anna", "583920")
    staff.add("Ben", "740261")
    staff.deactivate(anna.id, actor="Ben")
    staff.add("Cleo", "583920")  # Anna's old PIN, free while she was away
    with pytest.raises(PinInUseError):
        staff.reactivate(anna.id, "583920", actor="Ben")
    assert not staff.is_active(anna.id)
    staff.reactivate(anna.id, "318276", actor="Ben")
    assert staff.identify("318276") == anna
    assert entries(engine, actions=(Action.STAFF_REACTIVATED,))[0].actor == "Ben"


def test_set_pin_by_another_staff_member(engine: Engine, staff: StaffRepository) -> None:
    anna = staff.add("Anna", "583920")
    staff.add("Ben", "740261")
    with pytest.raises(PinInUseError):
        staff.set_pin(anna.id, "740261", actor="Ben")
    staff.set_pin(anna.id, "318276", actor="Ben")
    assert staff.identify("318276") == anna
    assert staff.identify("583920") is None
    (entry,) = entries(engine, actions=(Action.STAFF_PIN_CHANGED,))
    assert (entry.actor, entry.detail) == ("Ben", "Anna")


def test_change_own_pin_needs_the_old_one(engine: Engine, staff: StaffRepository) -> None:
    anna = staff.add("Anna", "583920")
    with pytest.raises(WrongPinError):
        staff.change_own_pin(anna.id, "583921", "318276")
    assert staff.identify("583920") == anna  # nothing changed
    assert entries(engine, actions=(Action.STAFF_PIN_CHANGED,)) == ()
    staff.change_own_pin(anna.id, "583920", "318276")
    assert staff.identify("318276") == anna
    (entry,) = entries(engine, actions=(Action.STAFF_PIN_CHANGED,))
    assert (entry.actor, entry.detail) == ("Anna", "Anna")
    logged = " ".join(f"{e.actor} {e.action} {e.detail}" for e in entries(engine))
    assert "583920" not in logged
    assert "318276" not in logged


def test_old_hashes_are_upgraded_on_login(engine: Engine) -> None:
    StaffRepository(engine, ScryptParams(log2_n=3, r=8, p=1)).add("Anna", "583920")
    stronger = StaffRepository(engine, CHEAP)
    assert stronger.identify("583920") is not None
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT pin_hash FROM staff_users")).scalar_one()
    assert stored.startswith("scrypt$ln=4,")
    assert verify_pin("583920", stored)


def test_demo_staff_pin_hash_matches_the_published_pin(engine: Engine) -> None:
    assert verify_pin(DEMO_STAFF_PIN, DEMO_STAFF_PIN_HASH)
    assert DEMO_STAFF_PIN_HASH.startswith("scrypt$ln=17,r=8,p=1$")
    assert hash_pin(DEMO_STAFF_PIN, CHEAP)  # the demo PIN passes the triviality rule
    from datetime import date

    ensure_demo_data(engine, date(2025, 3, 3))
    assert StaffRepository(engine, OWASP_SCRYPT).identify(DEMO_STAFF_PIN) is not None
    assert [s.name for s in StaffRepository(engine).list()] == [DEMO_STAFF_NAME]


def test_no_demo_staff_where_real_staff_exist(engine: Engine, staff: StaffRepository) -> None:
    from datetime import date

    staff.add("Anna", "583920")
    assert ensure_demo_data(engine, date(2025, 3, 3))
    assert [s.name for s in staff.list()] == ["Anna"]


def test_nobody_else_may_choose_the_published_demo_pin(staff: StaffRepository) -> None:
    with pytest.raises(PinInUseError):
        staff.add("Anna", DEMO_STAFF_PIN)
    anna = staff.add("Anna", "583920")
    with pytest.raises(PinInUseError):
        staff.set_pin(anna.id, DEMO_STAFF_PIN, actor="Anna")
    assert staff.identify(DEMO_STAFF_PIN) is None


def _set_hash(engine: Engine, name: str, encoded: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE staff_users SET pin_hash = :h WHERE name = :n"), {"h": encoded, "n": name}
        )


def test_the_demo_staff_member_is_found_by_its_pin_not_its_name(
    engine: Engine, staff: StaffRepository
) -> None:
    from datetime import date

    assert not holds_demo_staff(engine)  # an empty database
    ensure_demo_data(engine, date(2025, 3, 3))
    assert holds_demo_staff(engine)
    anna = staff.add("Anna", "583920")
    assert holds_demo_staff(engine)  # real staff beside it change nothing
    with engine.begin() as connection:  # renamed: still the published PIN
        connection.execute(text("UPDATE staff_users SET name = 'Front desk' WHERE name = 'Demo'"))
    assert holds_demo_staff(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE staff_users SET name = 'Demo' WHERE name = 'Front desk'"))
    # Its hash re-made (a login after the hashing parameters changed): the PIN still opens it.
    _set_hash(engine, DEMO_STAFF_NAME, hash_pin(DEMO_STAFF_PIN, CHEAP))
    assert holds_demo_staff(engine)
    # A real staff member who happens to be called "Demo", with a PIN of their own.
    _set_hash(engine, DEMO_STAFF_NAME, hash_pin("740261", CHEAP))
    assert not holds_demo_staff(engine)
    _set_hash(engine, DEMO_STAFF_NAME, DEMO_STAFF_PIN_HASH)
    demo = next(s for s in staff.list() if s.name == DEMO_STAFF_NAME)
    staff.deactivate(demo.id, actor="Anna")  # a deactivated one cannot sign in
    assert not holds_demo_staff(engine)
    staff.remove(DEMO_STAFF_NAME, actor="cli:it")
    assert not holds_demo_staff(engine)
    assert [s.name for s in staff.list(include_inactive=True)] == [anna.name]


def test_remove_deletes_the_staff_member_and_their_pin_audited(
    engine: Engine, staff: StaffRepository
) -> None:
    anna = staff.add("Anna", "583920")
    ben = staff.add("Ben", "740261")
    with pytest.raises(StaffNotFoundError):
        staff.remove("Nobody", actor="cli:it")
    assert staff.remove("  Ben ", actor="cli:it") == ben
    assert staff.identify("740261") is None
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM staff_users")).scalar_one() == 1
    (entry,) = entries(engine, actions=(Action.STAFF_REMOVED,))
    assert (entry.actor, entry.detail) == ("cli:it", "Ben")
    # The last one who can enter staff mode stays: without them the kiosk takes no check-ins.
    with pytest.raises(LastStaffError):
        staff.remove("Anna", actor="cli:it")
    assert staff.list() == (anna,)
