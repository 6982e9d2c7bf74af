import rules

from accounts.rules import is_coordinator

rules.add_perm("meetings.manage_meetings", is_coordinator)
