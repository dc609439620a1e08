import Testing
import TerminalUI

@Suite("Frame pacer")
struct FramePacerTests {
    @Test("the first frame is due at once; later ones wait out the rest of the interval")
    func pacing() {
        var pacer = FramePacer(framesPerSecond: 50)
        let start = ContinuousClock.now
        #expect(pacer.delay(at: start) == .zero)
        pacer.drew(at: start)
        #expect(pacer.delay(at: start) == .milliseconds(20))
        #expect(pacer.delay(at: start + .milliseconds(15)) == .milliseconds(5))
        #expect(pacer.delay(at: start + .milliseconds(20)) == .zero)
        #expect(pacer.delay(at: start + .seconds(3)) == .zero)
        pacer.drew(at: start + .seconds(3))
        #expect(pacer.delay(at: start + .seconds(3) + .milliseconds(1)) == .milliseconds(19))
    }
}
