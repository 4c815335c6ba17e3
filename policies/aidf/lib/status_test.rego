package aidf.lib.status_test

import rego.v1

test_before_effective_date if {
	s := data.aidf.lib.status.status("2025-01-12")
	s.code == "not_yet_effective"
	s.events == []
	not data.aidf.lib.status.in_effect("2025-01-12")
}

test_compliance_pending_window if {
	data.aidf.lib.status.code("2025-01-13") == "effective_compliance_pending"
	data.aidf.lib.status.code("2025-05-14") == "effective_compliance_pending"
	data.aidf.lib.status.code("2025-05-15") == "compliance_required"
}

test_non_enforcement_from_13_may_2025 if {
	data.aidf.lib.status.enforcement("2025-05-12") == "as_written"
	data.aidf.lib.status.enforcement("2025-05-13") == "non_enforcement_announced"
	data.aidf.lib.status.enforcement("2026-05-31") == "non_enforcement_except_d5_macau_headquarters"
}

test_security_paragraphs_from_15_january_2026 if {
	not data.aidf.lib.status.status("2026-01-14").security_paragraphs_compliance_required
	data.aidf.lib.status.status("2026-01-15").security_paragraphs_compliance_required
}

test_events_are_dated if {
	count(data.aidf.lib.status.status("2025-06-01").events) == 4
}

test_plus_days_counts_calendar_days if {
	data.aidf.lib.status.plus_days("2025-06-01", 30) == "2025-07-01"
	data.aidf.lib.status.plus_days("2026-02-01", 180) == "2026-07-31"
}
