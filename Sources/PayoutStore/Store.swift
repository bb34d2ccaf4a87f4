import GRDB
import PayoutCore
