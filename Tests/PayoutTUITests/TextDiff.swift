import PayoutTUI
import Testing

/// Expects `actual` to equal `expected` as whole strings; on failure records a
/// line-by-line diff with each line fenced in "|" so trailing spaces show.
func expectText(
    _ actual: String,
    _ expected: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual != expected else { return }
    Issue.record(Comment(rawValue: "text differs:\n" + lineDiff(expected: expected, actual: actual)), sourceLocation: sourceLocation)
}

/// A readable diff: "  " for equal lines, "-" expected, "+" actual, with display widths.
func lineDiff(expected: String, actual: String) -> String {
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(e.count, a.count) {
        let el = i < e.count ? String(e[i]) : nil
        let al = i < a.count ? String(a[i]) : nil
        if el == al, let el {
            out.append(number(i) + "   |" + el + "|")
        } else {
            if let el { out.append(number(i) + " - |" + el + "|  (width \(el.displayWidth))") }
            if let al { out.append(number(i) + " + |" + al + "|  (width \(al.displayWidth))") }
        }
    }
    return out.joined(separator: "\n")
}

private func number(_ i: Int) -> String {
    DisplayWidth.pad(String(i), toWidth: 3, alignment: .right)
}
