import rules

from accounts.rules import is_finance

# Funds and their allocations; exchange and per-diem rates. Finance administrators only.
rules.add_perm("payments.manage_funds", is_finance)
rules.add_perm("payments.manage_rates", is_finance)
