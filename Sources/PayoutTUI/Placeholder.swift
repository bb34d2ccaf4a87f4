// PayoutTUI
