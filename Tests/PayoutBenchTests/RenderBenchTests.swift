import PayoutTestSupport
import PayoutTUI
import Testing
@testable import payoutmon_bench

@Suite struct RenderBenchTests {
    @Test func theRenderBenchmarkRendersFramesAt200x60() {
        let result = RenderBenchmark.run(frames: 20, state: Fixture.state())
        #expect(result.frames == 20)
        #expect(result.changedRuns > 0)
    }
}
