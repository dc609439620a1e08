/// A decoder that makes up a value for every field a `Decodable` type asks for, so a test can build a
/// sample of any payload without writing one by hand (a new event type or field is covered as it comes).
///
/// Strings are the field's path (`totals.usage.prompt`), numbers are non-zero, booleans are true,
/// arrays and dictionaries hold one element, and a `CaseIterable` type takes its last case. With
/// `optionalsPresent` false, every optional field is absent instead.
public struct SampleDecoder: Decoder {
    public var codingPath: [any CodingKey]
    public var userInfo: [CodingUserInfoKey: Any] { [:] }
    let optionalsPresent: Bool

    /// A decoder at the top of a value.
    public init(optionalsPresent: Bool = true) {
        self.init(codingPath: [], optionalsPresent: optionalsPresent)
    }

    init(codingPath: [any CodingKey], optionalsPresent: Bool) {
        self.codingPath = codingPath
        self.optionalsPresent = optionalsPresent
    }

    /// A sample `T`.
    public static func sample<T: Decodable>(_ type: T.Type, optionalsPresent: Bool = true) throws -> T {
        try SampleDecoder(optionalsPresent: optionalsPresent).value(T.self, at: [])
    }

    public func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed<Key>(decoder: self))
    }

    public func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed(decoder: self) }

    public func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(decoder: self) }

    func value<T: Decodable>(_ type: T.Type, at path: [any CodingKey]) throws -> T {
        let name = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        if type is String.Type { return (name.isEmpty ? "text" : name) as! T }
        if type is Bool.Type { return true as! T }
        if let integer = type as? any BinaryInteger.Type { return Self.seven(integer) as! T }
        if let real = type as? any BinaryFloatingPoint.Type { return Self.twoAndAHalf(real) as! T }
        if let cases = type as? any CaseIterable.Type, let last = Self.lastCase(of: cases) as? T {
            return last
        }
        return try T(from: SampleDecoder(codingPath: path, optionalsPresent: optionalsPresent))
    }

    private static func lastCase<C: CaseIterable>(of type: C.Type) -> Any? { Array(type.allCases).last }
    private static func seven<I: BinaryInteger>(_ type: I.Type) -> Any { I(7) }
    private static func twoAndAHalf<F: BinaryFloatingPoint>(_ type: F.Type) -> Any { F(2.5) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: SampleDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        var allKeys: [Key] { Key(stringValue: "key").map { [$0] } ?? [] }

        func contains(_ key: Key) -> Bool { decoder.optionalsPresent }
        func decodeNil(forKey key: Key) throws -> Bool { !decoder.optionalsPresent }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try decoder.value(type, at: codingPath + [key])
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                                   forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try SampleDecoder(codingPath: codingPath + [key], optionalsPresent: decoder.optionalsPresent).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            Unkeyed(decoder: SampleDecoder(codingPath: codingPath + [key], optionalsPresent: decoder.optionalsPresent))
        }
        func superDecoder() throws -> any Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> any Decoder {
            SampleDecoder(codingPath: codingPath + [key], optionalsPresent: decoder.optionalsPresent)
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: SampleDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        var count: Int? { 1 }
        var currentIndex = 0
        var isAtEnd: Bool { currentIndex >= 1 }

        init(decoder: SampleDecoder) { self.decoder = decoder }

        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            defer { currentIndex += 1 }
            return try decoder.value(type, at: codingPath + [IndexKey(intValue: currentIndex)])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            defer { currentIndex += 1 }
            return try element().container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            defer { currentIndex += 1 }
            return Unkeyed(decoder: element())
        }
        mutating func superDecoder() throws -> any Decoder {
            defer { currentIndex += 1 }
            return element()
        }

        private func element() -> SampleDecoder {
            SampleDecoder(codingPath: codingPath + [IndexKey(intValue: currentIndex)], optionalsPresent: decoder.optionalsPresent)
        }
    }

    struct Single: SingleValueDecodingContainer {
        let decoder: SampleDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }

        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.value(type, at: codingPath) }
    }

    struct IndexKey: CodingKey {
        let intValue: Int?
        var stringValue: String { intValue.map(String.init) ?? "" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }
}
