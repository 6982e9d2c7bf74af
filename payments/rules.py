import rules

from accounts.rules import is_finance

# Funds and their allocations; exchange and per-diem rates. Finance administrators only.
rules.add_perm("payments.manage_funds", is_finance)
rules.add_perm("payments.manage_rates", is_finance)
# Award budgets (fill in, change with a reason, close) and the finance pages and reports.
rules.add_perm("payments.manage_budgets", is_finance)
# Request, approve, pay, reconcile and cancel disbursements. Approving also needs another
# person than the requester: the service and the database check that, per disbursement.
rules.add_perm("payments.disburse", is_finance)
