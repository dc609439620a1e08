/// A position on the screen, in columns and rows from the top left.
public struct Point: Hashable, Sendable {
    /// Column.
    public var x: Int
    /// Row.
    public var y: Int
    /// Creates a point.
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// One screen cell.
public struct Cell: Hashable, Sendable {
    /// The grapheme shown; empty for the second column of a wide character.
    public var symbol: String
    /// How it looks.
    public var style: Style

    /// Creates a cell.
    public init(_ symbol: String = " ", style: Style = .plain) {
        self.symbol = symbol
        self.style = style
    }

    /// Whether this cell is the right half of a wide character drawn in the cell to its left.
    public var isContinuation: Bool { symbol.isEmpty }
}

/// A rectangle of cells that widgets draw into; the terminal shows one of these per frame.
public struct Buffer: Equatable, Sendable {
    /// Width in columns.
    public let width: Int
    /// Height in rows.
    public let height: Int
    /// Cells, row by row.
    public private(set) var cells: [Cell]

    /// A buffer filled with blank cells of a style.
    public init(width: Int, height: Int, fill: Cell = Cell()) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// The whole area.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at a position; positions outside read as blank and writes to them are dropped.
    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x: x, y: y) ? cells[y * width + x] : Cell() }
        set { if contains(x: x, y: y) { cells[y * width + x] = newValue } }
    }

    private func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Fills a rectangle (clipped to the buffer) with a cell.
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX { cells[y * width + x] = cell }
        }
    }

    /// Applies a style to every cell of a rectangle, keeping the symbols.
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX { cells[y * width + x].style = style }
        }
    }

    /// Writes text from (x, y) without passing `limit` columns; returns the columns used.
    ///
    /// Control characters are shown as `�`, tabs as one space (callers expand tabs first), and a wide
    /// character that would straddle the limit is replaced by a space so no half glyph is drawn.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let end = limit.map { min(width, x + $0) } ?? width
        var column = x
        for character in text {
            guard column < end else { break }
            var symbol = String(character)
            var columns = DisplayWidth.of(character)
            if character == "\t" {
                symbol = " "
                columns = 1
            } else if columns == 0 {
                if let scalar = character.unicodeScalars.first, scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
                    symbol = "�"
                    columns = 1
                } else {
                    continue
                }
            }
            if column + columns > end {
                if column >= 0 { self[column, y] = Cell(" ", style: style) }
                column += 1
                break
            }
            if column >= 0 {
                self[column, y] = Cell(symbol, style: style)
                if columns == 2 { self[column + 1, y] = Cell("", style: style) }
            }
            column += columns
        }
        return column - x
    }

    /// Writes styled spans one after another; returns the columns used.
    @discardableResult
    public mutating func put(_ line: StyledLine, x: Int, y: Int, limit: Int) -> Int {
        var used = 0
        for span in line.spans {
            guard used < limit else { break }
            used += put(span.text, x: x + used, y: y, style: span.style, limit: limit - used)
        }
        return used
    }

    /// Each row as plain text, wide characters once; for snapshots and tests.
    public func textLines() -> [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width {
                let cell = cells[y * width + x]
                if !cell.isContinuation { line += cell.symbol }
            }
            return line
        }
    }

    /// The cells that differ from an earlier buffer (all cells when the sizes differ).
    public func changes(since previous: Buffer?) -> [(point: Point, cell: Cell)] {
        var result: [(point: Point, cell: Cell)] = []
        guard let previous, previous.width == width, previous.height == height else {
            result.reserveCapacity(cells.count)
            for y in 0..<height {
                for x in 0..<width { result.append((Point(x: x, y: y), cells[y * width + x])) }
            }
            return result
        }
        cells.withUnsafeBufferPointer { current in
            previous.cells.withUnsafeBufferPointer { old in
                for index in 0..<current.count where current[index] != old[index] {
                    result.append((Point(x: index % width, y: index / width), current[index]))
                }
            }
        }
        return result
    }
}

/// What one render pass produces: the cells and where the terminal cursor should be, if shown.
public struct Frame: Equatable, Sendable {
    /// The cells.
    public var buffer: Buffer
    /// The cursor position, or nil to hide it.
    public var cursor: Point?

    /// Creates a frame.
    public init(buffer: Buffer, cursor: Point? = nil) {
        self.buffer = buffer
        self.cursor = cursor
    }
}
