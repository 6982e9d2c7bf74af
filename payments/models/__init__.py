from .budgets import AirfareEstimate, AwardBudget, BudgetLine, BudgetTotal, TravelPolicy
from .disbursements import Disbursement, LedgerEntry, receipt_path
from .funds import MONEY, RATE, ExchangeRate, Fund, FundAllocation, PerDiemRate

__all__ = [
    "MONEY",
    "RATE",
    "AirfareEstimate",
    "AwardBudget",
    "BudgetLine",
    "BudgetTotal",
    "Disbursement",
    "ExchangeRate",
    "Fund",
    "FundAllocation",
    "LedgerEntry",
    "PerDiemRate",
    "TravelPolicy",
    "receipt_path",
]
