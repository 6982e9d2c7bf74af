import rules

from accounts.rules import is_coordinator, is_finance

# Funds and their allocations; exchange and per-diem rates. Finance administrators only.
rules.add_perm("payments.manage_funds", is_finance)
rules.add_perm("payments.manage_rates", is_finance)

# Letters and sheets (PDF): any awardee's letters, a call's per-diem sheet and budget summary.
# An awardee's own letters are scoped by the query, not by a role.
rules.add_perm("payments.download_documents", is_coordinator | is_finance)
