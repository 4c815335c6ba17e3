package aidf.lib.status_test

import data.aidf.lib.status
import rego.v1

test_before_effective_date if {
	s := status.status("2025-01-12")
	s.code == "not_yet_effective"
	s.events == []
	not status.in_effect("2025-01-12")
}

test_compliance_pending_window if {
	status.code("2025-01-13") == "effective_compliance_pending"
	status.code("2025-05-14") == "effective_compliance_pending"
	status.code("2025-05-15") == "compliance_required"
}

test_non_enforcement_from_13_may_2025 if {
	status.enforcement("2025-05-12") == "as_written"
	status.enforcement("2025-05-13") == "non_enforcement_announced"
	status.enforcement("2026-05-31") == "non_enforcement_except_d5_macau_headquarters"
}

test_security_paragraphs_from_15_january_2026 if {
	not status.status("2026-01-14").security_paragraphs_compliance_required
	status.status("2026-01-15").security_paragraphs_compliance_required
}

test_events_are_dated if {
	count(status.status("2025-06-01").events) == 4
}

test_plus_days_counts_calendar_days if {
	status.plus_days("2025-06-01", 30) == "2025-07-01"
	status.plus_days("2026-02-01", 180) == "2026-07-31"
}
