import GRDB

/// The store's migrations. A shipped migration is never edited: changes go in a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE reportFile (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL UNIQUE,
                    format TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    importedAt INTEGER NOT NULL,
                    rows INTEGER NOT NULL
                );

                CREATE TABLE merchant (
                    merchantId TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    acquirer TEXT NOT NULL,
                    bankAccountMasked TEXT NOT NULL,
                    accountClass TEXT NOT NULL,
                    dailyInflowLimitMinor INTEGER,
                    cycle TEXT,
                    currency TEXT NOT NULL,
                    fileId INTEGER NOT NULL REFERENCES reportFile(id),
                    line INTEGER NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE terminal (
                    merchantId TEXT NOT NULL,
                    terminalId TEXT NOT NULL,
                    name TEXT NOT NULL,
                    PRIMARY KEY (merchantId, terminalId)
                ) WITHOUT ROWID;

                CREATE TABLE txn (
                    id INTEGER PRIMARY KEY,
                    merchantId TEXT NOT NULL,
                    terminalId TEXT NOT NULL,
                    batchNo TEXT NOT NULL,
                    traceNo TEXT NOT NULL,
                    rrn TEXT NOT NULL,
                    authCode TEXT NOT NULL,
                    cardMasked TEXT NOT NULL,
                    cardTail TEXT NOT NULL,
                    cardKind TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    amountMinor INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    feeMinor INTEGER,
                    occurredAt INTEGER NOT NULL,
                    payoutRef TEXT,
                    fileId INTEGER NOT NULL REFERENCES reportFile(id),
                    line INTEGER NOT NULL,
                    UNIQUE (merchantId, terminalId, batchNo, traceNo, rrn, kind)
                );
                CREATE INDEX txn_newest ON txn (occurredAt DESC, id DESC);
                CREATE INDEX txn_rrn ON txn (rrn);
                CREATE INDEX txn_terminal ON txn (terminalId, occurredAt DESC);
                CREATE INDEX txn_amount ON txn (amountMinor);
                CREATE INDEX txn_cardTail ON txn (cardTail);
                CREATE INDEX txn_payout ON txn (merchantId, payoutRef);
                CREATE INDEX txn_batch ON txn (merchantId, batchNo);

                CREATE TABLE payout (
                    id INTEGER PRIMARY KEY,
                    merchantId TEXT NOT NULL,
                    ref TEXT NOT NULL,
                    cycleDate TEXT NOT NULL,
                    expectedMinor INTEGER NOT NULL,
                    paidMinor INTEGER,
                    currency TEXT NOT NULL,
                    status TEXT NOT NULL,
                    expectedArrival INTEGER,
                    creditedAt INTEGER,
                    bankRef TEXT,
                    failureCode TEXT,
                    fileId INTEGER NOT NULL REFERENCES reportFile(id),
                    line INTEGER NOT NULL,
                    UNIQUE (merchantId, ref)
                );
                CREATE INDEX payout_open ON payout (status, expectedArrival);
                CREATE INDEX payout_arrival ON payout (expectedArrival);
                CREATE INDEX payout_cycle ON payout (merchantId, cycleDate);

                CREATE TABLE payoutItem (
                    id INTEGER PRIMARY KEY,
                    merchantId TEXT NOT NULL,
                    payoutRef TEXT NOT NULL,
                    lineNo INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    amountMinor INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    rrn TEXT,
                    note TEXT,
                    fileId INTEGER NOT NULL REFERENCES reportFile(id),
                    line INTEGER NOT NULL,
                    UNIQUE (merchantId, payoutRef, lineNo)
                );
                CREATE INDEX payoutItem_rrn ON payoutItem (rrn);

                CREATE TABLE accountEvent (
                    id INTEGER PRIMARY KEY,
                    merchantId TEXT NOT NULL,
                    state TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    fileId INTEGER NOT NULL REFERENCES reportFile(id),
                    line INTEGER NOT NULL,
                    UNIQUE (merchantId, at, state)
                );
                CREATE INDEX accountEvent_at ON accountEvent (merchantId, at DESC);

                CREATE TABLE hold (
                    id INTEGER PRIMARY KEY,
                    merchantId TEXT NOT NULL,
                    ref TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    amountMinor INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    rrn TEXT,
                    payoutRef TEXT,
                    openedAt INTEGER NOT NULL,
                    releasedAt INTEGER,
                    reason TEXT NOT NULL,
                    fileId INTEGER NOT NULL REFERENCES reportFile(id),
                    line INTEGER NOT NULL,
                    UNIQUE (merchantId, ref)
                );
                CREATE INDEX hold_open ON hold (releasedAt, openedAt);
                CREATE INDEX hold_rrn ON hold (rrn);
                CREATE INDEX hold_payout ON hold (merchantId, payoutRef);

                CREATE TABLE txnState (
                    txnId INTEGER PRIMARY KEY REFERENCES txn(id) ON DELETE CASCADE,
                    merchantId TEXT NOT NULL,
                    tradeDate TEXT NOT NULL,
                    expectedCreditAt INTEGER NOT NULL,
                    dueBy INTEGER NOT NULL,
                    lateAfter INTEGER NOT NULL,
                    expectedNetMinor INTEGER NOT NULL,
                    feeMinor INTEGER NOT NULL,
                    d0Minor INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    cause TEXT,
                    payoutRef TEXT,
                    receivedMinor INTEGER
                );
                CREATE INDEX txnState_problems ON txnState (state, lateAfter);
                CREATE INDEX txnState_payout ON txnState (merchantId, payoutRef);
                CREATE INDEX txnState_merchant ON txnState (merchantId, state);
                CREATE INDEX txnState_d0 ON txnState (merchantId, tradeDate) WHERE d0Minor != 0;

                CREATE TABLE payoutState (
                    payoutId INTEGER PRIMARY KEY REFERENCES payout(id) ON DELETE CASCADE,
                    lateAfter INTEGER,
                    itemsMinor INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    cause TEXT
                );
                CREATE INDEX payoutState_problems ON payoutState (state, lateAfter);
                """)
        }
        // v2: the monitor's summary reads only an index. txnState gets the transaction's
        // currency, and a partial covering index holds exactly the columns the summary
        // adds up, for the money not yet settled; the summary no longer visits txn.
        m.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE txnState ADD COLUMN currency TEXT NOT NULL DEFAULT '';
                UPDATE txnState SET currency = (SELECT t.currency FROM txn t WHERE t.id = txnState.txnId);
                CREATE INDEX txnState_open ON txnState (state, lateAfter, expectedCreditAt, currency, expectedNetMinor, receivedMinor)
                    WHERE state IN ('pending', 'short', 'held', 'failed');
                """)
        }
        // v3: running totals of the money that stays unsettled until someone acts on it
        // (short, held, failed), per currency, kept by triggers as states are written, so
        // the monitor's summary does not grow with years of history. Pending money is
        // still read from txnState: whether it is late depends on the clock.
        m.registerMigration("v3") { db in
            let settledLater = "('short', 'held', 'failed')"
            try db.execute(sql: """
                CREATE TABLE txnStateTotal (
                    state TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    n INTEGER NOT NULL,
                    missingMinor INTEGER NOT NULL,
                    PRIMARY KEY (state, currency)
                ) WITHOUT ROWID;
                INSERT INTO txnStateTotal (state, currency, n, missingMinor)
                    SELECT state, currency, COUNT(*), SUM(expectedNetMinor - COALESCE(receivedMinor, 0))
                    FROM txnState WHERE state IN \(settledLater) GROUP BY state, currency;
                CREATE TRIGGER txnStateTotal_insert AFTER INSERT ON txnState WHEN NEW.state IN \(settledLater) BEGIN \(totalAdd("NEW")) END;
                CREATE TRIGGER txnStateTotal_delete AFTER DELETE ON txnState WHEN OLD.state IN \(settledLater) BEGIN \(totalRemove("OLD")) END;
                CREATE TRIGGER txnStateTotal_updateOld AFTER UPDATE ON txnState WHEN OLD.state IN \(settledLater) BEGIN \(totalRemove("OLD")) END;
                CREATE TRIGGER txnStateTotal_updateNew AFTER UPDATE ON txnState WHEN NEW.state IN \(settledLater) BEGIN \(totalAdd("NEW")) END;
                """)
        }
        // v4: the overview's open payouts are read in the order they are shown, from an
        // index, so the first screen reads a window of rows however many payouts stay
        // open. `dueAt` is the payout's expected arrival, else its late time (the order
        // the overview shows); the reconciler writes it with the state. State and late
        // time ride in the index so "problems only" filters without visiting the table.
        m.registerMigration("v4") { db in
            try db.execute(sql: """
                ALTER TABLE payoutState ADD COLUMN dueAt INTEGER;
                UPDATE payoutState SET dueAt = COALESCE((SELECT p.expectedArrival FROM payout p WHERE p.id = payoutState.payoutId), lateAfter);
                CREATE INDEX payoutState_open ON payoutState (dueAt, payoutId, state, lateAfter)
                    WHERE state IN ('pending', 'short', 'held', 'failed');
                """)
        }
        // v5-revisions: a row that changes a stored record (same natural key, another
        // amount, state or date), imported with --accept-revisions, becomes the record's
        // new version; each changed field's old and new value is kept here with the file
        // and line of each, so the drill-down and the dispute note can show the history.
        // `payoutRef` lets a payout's case file find its items' and transactions' revisions.
        m.registerMigration("v5-revisions") { db in
            try db.execute(sql: """
                CREATE TABLE revision (
                    id INTEGER PRIMARY KEY,
                    tableName TEXT NOT NULL,
                    recordId INTEGER NOT NULL,
                    merchantId TEXT NOT NULL,
                    payoutRef TEXT,
                    field TEXT NOT NULL,
                    oldValue TEXT,
                    newValue TEXT,
                    oldFileId INTEGER NOT NULL REFERENCES reportFile(id),
                    oldLine INTEGER NOT NULL,
                    newFileId INTEGER NOT NULL REFERENCES reportFile(id),
                    newLine INTEGER NOT NULL
                );
                CREATE INDEX revision_record ON revision (tableName, recordId);
                CREATE INDEX revision_payout ON revision (merchantId, payoutRef) WHERE payoutRef IS NOT NULL;
                """)
        }
        // v6-payout-events: a payout's history. `payout` holds its latest state only; every
        // state a report gave it (scheduled, processing, returned, paid ...) is kept here
        // with the file and line that said it, so a return later overwritten by "paid"
        // is not lost. Stores from before start with each payout's current state.
        // payoutState keeps when a credited payout arrived after its late time, and by
        // how many minutes, for `status` (partial index: only late arrivals).
        m.registerMigration("v6-payout-events") { db in
            try db.execute(sql: """
                CREATE TABLE payoutEvent (
                    id INTEGER PRIMARY KEY,
                    merchantId TEXT NOT NULL,
                    payoutRef TEXT NOT NULL,
                    status TEXT NOT NULL,
                    paidMinor INTEGER,
                    currency TEXT NOT NULL,
                    creditedAt INTEGER,
                    failureCode TEXT,
                    fileId INTEGER NOT NULL REFERENCES reportFile(id),
                    line INTEGER NOT NULL
                );
                CREATE INDEX payoutEvent_payout ON payoutEvent (merchantId, payoutRef, id);
                INSERT INTO payoutEvent (merchantId, payoutRef, status, paidMinor, currency, creditedAt, failureCode, fileId, line)
                    SELECT merchantId, ref, status, paidMinor, currency, creditedAt, failureCode, fileId, line FROM payout ORDER BY id;
                ALTER TABLE payoutState ADD COLUMN arrivedLateAt INTEGER;
                ALTER TABLE payoutState ADD COLUMN arrivedLateMinutes INTEGER;
                CREATE INDEX payoutState_arrivedLate ON payoutState (arrivedLateAt) WHERE arrivedLateAt IS NOT NULL;
                """)
        }
        // v7-coverage: which settlement days the imported reports cover, per merchant
        // (`reportCoverage`: one span per settlement file and merchant, the first to the
        // last cycle date of the payouts the file reports), so a sale no payout carries
        // is "awaiting report" until a report covers its day, and late after that. The
        // running totals of v3 also count the 'awaiting' and 'other-currency' states, so
        // the summary reads them without a scan; a partial index finds the awaiting sales
        // by expected credit time (when a report for their days arrives, and the ones
        // due in a year the holiday calendar has no data for).
        m.registerMigration("v7-coverage") { db in
            let states = "('awaiting', 'other-currency')"
            try db.execute(sql: """
                CREATE TABLE reportCoverage (
                    id INTEGER PRIMARY KEY,
                    merchantId TEXT NOT NULL,
                    fromDay TEXT NOT NULL,
                    toDay TEXT NOT NULL,
                    fileId INTEGER NOT NULL REFERENCES reportFile(id)
                );
                CREATE INDEX reportCoverage_merchant ON reportCoverage (merchantId, toDay);
                INSERT INTO reportCoverage (merchantId, fromDay, toDay, fileId)
                    SELECT merchantId, MIN(cycleDate), MAX(cycleDate), fileId FROM payout GROUP BY fileId, merchantId;
                CREATE INDEX txnState_awaiting ON txnState (expectedCreditAt, merchantId) WHERE state = 'awaiting';
                INSERT INTO txnStateTotal (state, currency, n, missingMinor)
                    SELECT state, currency, COUNT(*), SUM(expectedNetMinor - COALESCE(receivedMinor, 0))
                    FROM txnState WHERE state IN \(states) GROUP BY state, currency;
                CREATE TRIGGER txnStateTotal_insert7 AFTER INSERT ON txnState WHEN NEW.state IN \(states) BEGIN \(totalAdd("NEW")) END;
                CREATE TRIGGER txnStateTotal_delete7 AFTER DELETE ON txnState WHEN OLD.state IN \(states) BEGIN \(totalRemove("OLD")) END;
                CREATE TRIGGER txnStateTotal_updateOld7 AFTER UPDATE ON txnState WHEN OLD.state IN \(states) BEGIN \(totalRemove("OLD")) END;
                CREATE TRIGGER txnStateTotal_updateNew7 AFTER UPDATE ON txnState WHEN NEW.state IN \(states) BEGIN \(totalAdd("NEW")) END;
                """)
        }
        // v8-recompute: stores upgraded through v6-payout-events and v7-coverage got
        // their new tables filled, but the states derived from them (late arrivals,
        // awaiting-report sales) only for the rows a later import touched. A store that
        // holds records when it reaches v8 is marked (`recomputeNeeded`, one row) so the
        // next writer that has the rules recomputes every state once
        // (`WritableStore.recomputeIfUpgraded`); the recompute deletes the row in its own
        // transaction, and `status` warns while it is there. A new store is not marked.
        m.registerMigration("v8-recompute") { db in
            try db.execute(sql: """
                CREATE TABLE recomputeNeeded (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    reason TEXT NOT NULL
                );
                INSERT INTO recomputeNeeded (id, reason)
                    SELECT 1, 'upgraded to v8-recompute' WHERE EXISTS (SELECT 1 FROM txn) OR EXISTS (SELECT 1 FROM payout);
                """)
        }
        // v9-alerts: what `payoutmon alerts` last sent per subject still alerting (a payout,
        // a transaction, an account), so a restart does not send it again; a recovery
        // deletes the row. The only table alerts writes (`AlertStore`).
        m.registerMigration("v9-alerts") { db in
            try db.execute(sql: """
                CREATE TABLE alertSent (
                    subjectKey TEXT PRIMARY KEY,
                    subject TEXT NOT NULL,
                    state TEXT NOT NULL,
                    cause TEXT,
                    merchantId TEXT NOT NULL,
                    payoutRef TEXT,
                    rrn TEXT,
                    txnId INTEGER,
                    firedAt INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        // v10-bank-statements: the bank's side (docs/report-formats.md, "Bank statements").
        // `bankStatement` is one statement of one account as a file gave it: its account
        // masked and its last four characters, the merchant it was assigned to by that
        // tail (NULL: unassigned, never matched), its period, balances, whether it is
        // incomplete (opening + booked entries != closing) and the gap to the statement
        // before it of the same account. `bankEntry` holds its entries, signed from the
        // account holder's side; `bankMatch` links payouts to the credits that paid them,
        // with the rule that matched and whether the match is ambiguous.
        m.registerMigration("v10-bank-statements") { db in
            try db.execute(sql: """
                CREATE TABLE bankStatement (
                    id INTEGER PRIMARY KEY,
                    fileId INTEGER NOT NULL REFERENCES reportFile(id),
                    format TEXT NOT NULL,
                    statementRef TEXT NOT NULL,
                    accountMasked TEXT NOT NULL,
                    accountTail TEXT NOT NULL,
                    accountName TEXT,
                    bank TEXT,
                    merchantId TEXT,
                    currency TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    periodStart TEXT NOT NULL,
                    periodEnd TEXT NOT NULL,
                    openingMinor INTEGER,
                    closingMinor INTEGER,
                    computedClosingMinor INTEGER,
                    createdAt INTEGER,
                    incomplete INTEGER NOT NULL DEFAULT 0,
                    incompleteReason TEXT,
                    gapMinor INTEGER,
                    gapAfterStatement INTEGER,
                    entries INTEGER NOT NULL,
                    line INTEGER NOT NULL
                );
                CREATE INDEX bankStatement_account ON bankStatement (accountMasked, currency, periodStart);
                CREATE INDEX bankStatement_merchant ON bankStatement (merchantId, periodEnd);
                CREATE TABLE bankEntry (
                    id INTEGER PRIMARY KEY,
                    statement INTEGER NOT NULL REFERENCES bankStatement(id),
                    merchantId TEXT,
                    amountMinor INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    reversal INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    bookingDate TEXT NOT NULL,
                    bookedAt INTEGER,
                    valueDate TEXT,
                    bankRef TEXT,
                    endToEndId TEXT,
                    transactionCode TEXT,
                    remittance TEXT,
                    counterpartyName TEXT,
                    counterpartyAccount TEXT,
                    balanceAfterMinor INTEGER,
                    fromAcquirer INTEGER NOT NULL DEFAULT 0,
                    line INTEGER NOT NULL
                );
                CREATE INDEX bankEntry_statement ON bankEntry (statement);
                CREATE INDEX bankEntry_credit ON bankEntry (merchantId, currency, bookingDate) WHERE amountMinor > 0;
                CREATE TABLE bankMatch (
                    id INTEGER PRIMARY KEY,
                    payoutId INTEGER NOT NULL REFERENCES payout(id) ON DELETE CASCADE,
                    entryId INTEGER NOT NULL REFERENCES bankEntry(id),
                    merchantId TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    ambiguous INTEGER NOT NULL DEFAULT 0,
                    differenceMinor INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX bankMatch_payout ON bankMatch (payoutId);
                CREATE INDEX bankMatch_entry ON bankMatch (entryId);
                CREATE INDEX bankMatch_merchant ON bankMatch (merchantId);
                """)
        }
        // v11-pending-totals: running totals of the pending transactions per currency,
        // late-time day and expected-credit day (`PendingTotals`), kept by triggers like
        // v3's, so the summary's late, due-today and pending figures, and its count of
        // pending sales due in a year without holiday data, read the days wholly before
        // or after the clock from here and only the rows of the boundary days from
        // `txnState_open`: they no longer grow with the number of pending transactions.
        m.registerMigration("v11-pending-totals") { db in
            try db.execute(sql: """
                CREATE TABLE txnPendingTotal (
                    currency TEXT NOT NULL,
                    lateDay INTEGER NOT NULL,
                    creditDay INTEGER NOT NULL,
                    n INTEGER NOT NULL,
                    missingMinor INTEGER NOT NULL,
                    PRIMARY KEY (currency, lateDay, creditDay)
                ) WITHOUT ROWID;
                INSERT INTO txnPendingTotal (currency, lateDay, creditDay, n, missingMinor)
                    SELECT currency, \(PendingTotals.daySQL("lateAfter")), \(PendingTotals.daySQL("expectedCreditAt")),
                           COUNT(*), SUM(expectedNetMinor - COALESCE(receivedMinor, 0))
                    FROM txnState WHERE state = 'pending' GROUP BY 1, 2, 3;
                CREATE TRIGGER txnPendingTotal_insert AFTER INSERT ON txnState WHEN NEW.state = 'pending' BEGIN \(pendingAdd("NEW")) END;
                CREATE TRIGGER txnPendingTotal_delete AFTER DELETE ON txnState WHEN OLD.state = 'pending' BEGIN \(pendingRemove("OLD")) END;
                CREATE TRIGGER txnPendingTotal_updateOld AFTER UPDATE ON txnState WHEN OLD.state = 'pending' BEGIN \(pendingRemove("OLD")) END;
                CREATE TRIGGER txnPendingTotal_updateNew AFTER UPDATE ON txnState WHEN NEW.state = 'pending' BEGIN \(pendingAdd("NEW")) END;
                """)
        }
        // v12-awaiting-totals: a running count of the sales awaiting a settlement report
        // per expected-credit day (UTC days, as v11's), kept by triggers, so the summary's
        // count of sales due in a year without holiday data reads whole days from here and
        // only the two boundary days' rows from `txnState_awaiting` (`AwaitingTotals`):
        // a store of years of POS exports with no report yet no longer scans them all.
        m.registerMigration("v12-awaiting-totals") { db in
            try db.execute(sql: """
                CREATE TABLE txnAwaitingTotal (
                    creditDay INTEGER PRIMARY KEY,
                    n INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO txnAwaitingTotal (creditDay, n)
                    SELECT \(PendingTotals.daySQL("expectedCreditAt")), COUNT(*) FROM txnState WHERE state = 'awaiting' GROUP BY 1;
                CREATE TRIGGER txnAwaitingTotal_insert AFTER INSERT ON txnState WHEN NEW.state = 'awaiting' BEGIN \(awaitingAdd("NEW")) END;
                CREATE TRIGGER txnAwaitingTotal_delete AFTER DELETE ON txnState WHEN OLD.state = 'awaiting' BEGIN \(awaitingRemove("OLD")) END;
                CREATE TRIGGER txnAwaitingTotal_updateOld AFTER UPDATE ON txnState WHEN OLD.state = 'awaiting' BEGIN \(awaitingRemove("OLD")) END;
                CREATE TRIGGER txnAwaitingTotal_updateNew AFTER UPDATE ON txnState WHEN NEW.state = 'awaiting' BEGIN \(awaitingAdd("NEW")) END;
                """)
        }
        return m
    }

    /// The trigger body that counts one awaiting row (`row` is NEW) in `txnAwaitingTotal`
    /// (v12-awaiting-totals).
    static func awaitingAdd(_ row: String) -> String {
        """
        INSERT INTO txnAwaitingTotal (creditDay, n) VALUES (\(PendingTotals.daySQL("\(row).expectedCreditAt")), 1)
            ON CONFLICT (creditDay) DO UPDATE SET n = n + 1;
        """
    }

    /// The trigger body that takes one awaiting row (`row` is OLD) off its day's count.
    static func awaitingRemove(_ row: String) -> String {
        """
        UPDATE txnAwaitingTotal SET n = n - 1 WHERE creditDay = \(PendingTotals.daySQL("\(row).expectedCreditAt"));
        """
    }

    /// The trigger body that adds one state row to its running total in `txnStateTotal`
    /// (`row` is NEW); used by the migrations that keep totals (v3, v7-coverage).
    static func totalAdd(_ row: String) -> String {
        """
        INSERT INTO txnStateTotal (state, currency, n, missingMinor)
            VALUES (\(row).state, \(row).currency, 1, \(row).expectedNetMinor - COALESCE(\(row).receivedMinor, 0))
            ON CONFLICT (state, currency) DO UPDATE SET n = n + 1, missingMinor = missingMinor + excluded.missingMinor;
        """
    }

    /// The trigger body that takes one state row (`row` is OLD) away from its total.
    static func totalRemove(_ row: String) -> String {
        """
        UPDATE txnStateTotal SET n = n - 1, missingMinor = missingMinor - (\(row).expectedNetMinor - COALESCE(\(row).receivedMinor, 0))
            WHERE state = \(row).state AND currency = \(row).currency;
        """
    }

    /// The trigger body that adds one pending row (`row` is NEW) to `txnPendingTotal`
    /// (v11-pending-totals).
    static func pendingAdd(_ row: String) -> String {
        """
        INSERT INTO txnPendingTotal (currency, lateDay, creditDay, n, missingMinor)
            VALUES (\(row).currency, \(PendingTotals.daySQL("\(row).lateAfter")), \(PendingTotals.daySQL("\(row).expectedCreditAt")),
                    1, \(row).expectedNetMinor - COALESCE(\(row).receivedMinor, 0))
            ON CONFLICT (currency, lateDay, creditDay) DO UPDATE SET n = n + 1, missingMinor = missingMinor + excluded.missingMinor;
        """
    }

    /// The trigger body that takes one pending row (`row` is OLD) away from its total.
    static func pendingRemove(_ row: String) -> String {
        """
        UPDATE txnPendingTotal SET n = n - 1, missingMinor = missingMinor - (\(row).expectedNetMinor - COALESCE(\(row).receivedMinor, 0))
            WHERE currency = \(row).currency AND lateDay = \(PendingTotals.daySQL("\(row).lateAfter"))
              AND creditDay = \(PendingTotals.daySQL("\(row).expectedCreditAt"));
        """
    }
}
