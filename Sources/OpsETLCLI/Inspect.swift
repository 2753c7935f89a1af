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

        func validate() throws {
            if rows < 0 { throw ValidationError("--rows must be 0 or more") }
            if let delimiter, delimiter.utf8.count != 1 && delimiter != "\\t" {
                throw ValidationError("--delimiter must be one character, got \"\(VisibleText.clipped(delimiter))\"")
            }
        }

        func run() throws {
            let delim: UInt8? = delimiter.map { $0 == "\\t" ? 0x09 : $0.utf8.first! }
            let info = try CSVInspection(path: file, delimiter: delim, previewRows: rows)
            let delimName = info.delimiter == 0x09 ? "tab" : "\"\(Character(UnicodeScalar(info.delimiter)))\""
            // Names and cells come from the file: nothing of them reaches the terminal raw (SPEC §9).
            print("file:        \(VisibleText.escaped(info.path))")
            print("size:        \(info.bytes) bytes")
            print("encoding:    UTF-8\(info.hasBOM ? " with byte-order mark" : "")")
            print("line ends:   \(info.lineEnding)")
            print("delimiter:   \(delimName)\(info.delimiterGuessed ? " (guessed)" : "")")
            print("columns:     \(info.header.count): \(info.header.map(VisibleText.escaped).joined(separator: ", "))")
            print("rows:        \(info.rows) data rows\(info.malformedRows > 0 ? " (\(info.malformedRows) with a field count unlike the header's)" : "")")
            guard !info.preview.isEmpty else { return }
            print("")
            print(TextTable.render(header: info.header, rows: info.preview))
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
