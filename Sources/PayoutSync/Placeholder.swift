// PayoutSync
