/// Scroll arithmetic shared by the panes and the reducer.
enum Scrolling {
    /// The largest useful offset for content of `total` lines in `visible` rows.
    static func maximumOffset(total: Int, visible: Int) -> Int { max(0, total - max(0, visible)) }

    /// An offset kept within the content.
    static func clampedOffset(_ offset: Int, total: Int, visible: Int) -> Int {
        max(0, min(offset, maximumOffset(total: total, visible: visible)))
    }
}
