import ArgumentParser
import OpsETL

extension Opsetl {
    /// `opsetl inspect FILE`: dialect, header, row count and a preview of a CSV file.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a CSV file's dialect, header, row count and first rows.")

        @Argument(help: "The CSV file.")
        var file: String

        @Option(name: .long, help: "Rows to preview.")
        var rows = 5

        @Option(name: .long, help: "Field delimiter (one character; guessed from the header when absent).")
        var delimiter: String?

        @Option(name: .long, help: "Text encoding: utf-8, gb18030, utf-16 or windows-1252 (guessed when absent).")
        var encoding: String?

        func validate() throws {
            if rows < 0 { throw ValidationError("--rows must be 0 or more") }
            if let delimiter, delimiter.utf8.count != 1 && delimiter != "\\t" {
                throw ValidationError("--delimiter must be one character, got \"\(VisibleText.clipped(delimiter))\"")
            }
            if let encoding, InputEncoding(setting: encoding) == nil {
                throw ValidationError("--encoding must be one of \(InputEncoding.settingNames.joined(separator: ", ")), "
                                      + "got \"\(VisibleText.clipped(encoding))\"")
            }
        }

        func run() throws {
            let delim: UInt8? = delimiter.map { $0 == "\\t" ? 0x09 : $0.utf8.first! }
            let info = try CSVInspection(path: file, delimiter: delim, previewRows: rows,
                                         encoding: encoding.flatMap(InputEncoding.init(setting:)))
            let delimName = info.delimiter == 0x09 ? "tab" : "\"\(Character(UnicodeScalar(info.delimiter)))\""
            // Names and cells come from the file: nothing of them reaches the terminal raw (SPEC §9).
            print("file:        \(VisibleText.escaped(info.path))")
            print("size:        \(info.bytes) bytes\(info.gzip ? " (\(info.textBytes) bytes decompressed)" : "")")
            if info.gzip {
                print("compression: gzip" + (info.gzipWithoutName
                    ? ", though the name does not end in .gz: a run decompresses a file only when its path ends in .gz"
                    : ": decompressed as it is read (the path ends in .gz)"))
            }
            print("encoding:    \(Self.describe(info))")
            print("line ends:   \(info.lineEnding)")
            print("delimiter:   \(delimName)\(info.delimiterGuessed ? " (guessed)" : "")")
            print("columns:     \(info.header.count): \(info.header.map(VisibleText.escaped).joined(separator: ", "))")
            print("rows:        \(info.rows) data rows\(info.malformedRows > 0 ? " (\(info.malformedRows) with a field count unlike the header's)" : "")")
            guard !info.preview.isEmpty else { return }
            print("")
            print(TextTable.render(header: info.header, rows: info.preview))
        }

        /// SPEC §3.2: the encoding read, and the `inputs.X.encoding` setting a pipeline needs for it.
        static func describe(_ info: CSVInspection) -> String {
            let setting = "a pipeline reads it with \"encoding\": \"\(info.encoding.rawValue)\""
            switch info.encoding {
            case .utf8:
                if case .unknown? = info.guess { return "not UTF-8, and no encoding opsetl knows (utf-8, gb18030, utf-16, windows-1252) fits" }
                return "UTF-8\(info.hasBOM ? " with byte-order mark" : "")"
            case .utf16:
                return "\(info.utf16Mark ?? "UTF-16") with byte-order mark: \(setting)"
            case .utf16LittleEndianWithoutBOM, .utf16BigEndianWithoutBOM:
                return "\(info.encoding.displayName) without a byte-order mark: no setting reads it "
                    + "(\"utf-16\" needs the mark); export it again as UTF-8 or as \"Unicode text\""
            case .gb18030, .windows1252:
                let likely = info.guess == nil ? "" : " (likely; not UTF-8)"
                return "\(info.encoding.displayName)\(likely): \(setting)"
            }
        }
    }
}

/// A plain aligned text table for terminal previews; long cells are cut with "…".
enum TextTable {
    static func render(header: [String], rows: [[String]], maxWidth: Int = 24) -> String {
        func clip(_ s: String) -> String {
            let flat = VisibleText.escaped(s).replacingOccurrences(of: "\r\n", with: "⏎").replacingOccurrences(of: "\n", with: "⏎")
                .replacingOccurrences(of: "\r", with: "⏎").replacingOccurrences(of: "\t", with: " ")
            return flat.count > maxWidth ? String(flat.prefix(maxWidth - 1)) + "…" : flat
        }
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], clip(cell).count) } }
        func line(_ row: [String]) -> String {
            (0..<columns).map { i in
                let cell = i < row.count ? clip(row[i]) : ""
                return cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: " | ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}

import Foundation
