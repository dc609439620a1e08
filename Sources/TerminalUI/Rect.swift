/// A rectangle of cells.
public struct Rect: Hashable, Sendable {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Width in columns.
    public var width: Int
    /// Height in rows.
    public var height: Int

    /// Creates a rectangle; negative sizes become zero.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// One past the right column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }
    /// Whether it has no cell.
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// The overlap of two rectangles.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        return Rect(x: left, y: top, width: min(maxX, other.maxX) - left, height: min(maxY, other.maxY) - top)
    }

    /// The rectangle shrunk by a margin on every side.
    public func inset(by margin: Int) -> Rect {
        Rect(x: x + margin, y: y + margin, width: width - 2 * margin, height: height - 2 * margin)
    }

    /// A rectangle of the given size centred in this one (clipped to it).
    public func centered(width: Int, height: Int) -> Rect {
        let clampedWidth = min(width, self.width)
        let clampedHeight = min(height, self.height)
        return Rect(x: x + (self.width - clampedWidth) / 2, y: y + (self.height - clampedHeight) / 2,
                    width: clampedWidth, height: clampedHeight)
    }

    /// How a length is shared out by ``split(_:_:)``.
    public enum Constraint: Hashable, Sendable {
        /// Exactly this many cells (less if there is not room).
        case fixed(Int)
        /// This percentage of the length (rounded down).
        case percent(Int)
        /// An equal share of what fixed and percentage parts leave.
        case fill
    }

    /// A direction to split in.
    public enum Axis: Sendable {
        /// Side by side.
        case horizontal
        /// One above the other.
        case vertical
    }

    /// Splits the rectangle along an axis; the parts always cover it exactly, in order.
    public func split(_ axis: Axis, _ constraints: [Constraint]) -> [Rect] {
        let total = axis == .horizontal ? width : height
        var sizes = constraints.map { constraint -> Int in
            switch constraint {
            case .fixed(let size): max(0, size)
            case .percent(let percent): total * max(0, percent) / 100
            case .fill: 0
            }
        }
        var remaining = total - sizes.reduce(0, +)
        if remaining < 0 {
            for index in sizes.indices.reversed() where remaining < 0 {
                let cut = min(sizes[index], -remaining)
                sizes[index] -= cut
                remaining += cut
            }
        }
        let fills = constraints.indices.filter { constraints[$0] == .fill }
        if !fills.isEmpty {
            for (order, index) in fills.enumerated() {
                sizes[index] = remaining / fills.count + (order < remaining % fills.count ? 1 : 0)
            }
        } else if let last = sizes.indices.last {
            sizes[last] += remaining
        }
        var offset = axis == .horizontal ? x : y
        return sizes.map { size in
            defer { offset += size }
            return axis == .horizontal
                ? Rect(x: offset, y: y, width: size, height: height)
                : Rect(x: x, y: offset, width: width, height: size)
        }
    }
}
