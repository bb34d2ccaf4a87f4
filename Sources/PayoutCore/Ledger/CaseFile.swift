/// A report file evidence rests on: its path and sha256, as the store recorded them.
public struct ReportSource: Hashable, Sendable {
    public var path: String
    public var sha256: String
    public init(path: String, sha256: String) { self.path = path; self.sha256 = sha256 }
}

/// Everything known about one transaction or payout at one instant: what the reports
/// say (evidence), what it means (the diagnosis of that evidence) and the files it
/// came from. The drill-down and the dispute note both show a case file, built once
/// by the store's `caseFile` queries, so they cannot disagree.
public struct CaseFile: Hashable, Sendable {
    public var evidence: Evidence
    public var diagnosis: Diagnosis
    public var sources: [ReportSource]
    /// Values of its records that a later report changed (accepted revisions), oldest first.
    public var revisions: [Revision]

    public init(evidence: Evidence, diagnosis: Diagnosis, sources: [ReportSource], revisions: [Revision] = []) {
        self.evidence = evidence; self.diagnosis = diagnosis; self.sources = sources; self.revisions = revisions
    }
}
