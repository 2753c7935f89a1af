import Foundation
import Testing

/// SPEC §9 "Output folder safety": the output folder is replaced only when it does not exist, is
/// empty, or holds a previous opsetl report; every other form is exit 2 with one line naming the
/// setting, and every file stays as it was. `{name}` becomes one safe path component; a symbolic
/// link to a folder keeps pointing at the folder the report is published into.
@Suite struct OutputSafetyTests {
    /// The shop of `Workspace.writeShop`, with its own pipeline file: `dir`, `name`, input paths.
    static func shop(dir: String, name: String = "shop", users: String = "../data/users.csv",
                     sales: String = "../data/sales.csv", file: String = "pipelines/shop.json", in ws: Workspace? = nil) -> Workspace {
        let ws = ws ?? Workspace()
        ws.writeShop()
        ws.write(file, """
            { "version": 1, "name": "\(name)", "as_of": "2025-01-31",
              "inputs": { "users": { "path": "\(users)" }, "sales": { "path": "\(sales)" },
                          "channels": { "path": "../data/channels.csv" } },
              "output": { "dir": "\(dir)" } }
            """)
        return ws
    }

    static let untouched = "; nothing was touched\n"

    // MARK: - `--output`

    @Test func anEmptyOutputIsRefused() throws {
        let ws = Self.shop(dir: "../reports/{as_of}")
        let before = ws.snapshot
        let result = try ws.run("run", "pipelines/shop.json", "--output", "")
        #expect(result.status == 2)
        #expect(result.stderr == "opsetl: error: --output: \"\" is an empty path, which names the working directory; "
                + "give the report its own folder such as reports/{as_of}" + Self.untouched)
        #expect(ws.snapshot == before)
    }

    @Test(arguments: [".", "..", "./", "data/..", "pipelines/../."])
    func theWorkingDirectoryOrAFolderAboveItIsRefused(output: String) throws {
        let ws = Self.shop(dir: "../reports/{as_of}")
        let before = ws.snapshot
        let result = try ws.run("run", "pipelines/shop.json", "--output", output)
        let named = output == ".." ? ws.url.deletingLastPathComponent().standardizedFileURL.path : ws.path
        #expect(result.status == 2)
        #expect(result.stderr == "opsetl: error: --output: \(named) is the working directory or contains it; "
                + "give the report its own folder such as reports/{as_of}" + Self.untouched)
        #expect(ws.snapshot == before)
    }

    @Test func aFolderHoldingThePipelineOrAnInputIsRefused() throws {
        let ws = Self.shop(dir: "../reports/{as_of}")
        let before = ws.snapshot
        let pipelines = try ws.run("run", "pipelines/shop.json", "--output", "pipelines")
        #expect(pipelines.status == 2)
        #expect(pipelines.stderr == "opsetl: error: --output: \(ws.path)/pipelines contains the pipeline file "
                + "\(ws.path)/pipelines/shop.json" + Self.untouched)
        let data = try ws.run("run", "pipelines/shop.json", "--output", "data")
        #expect(data.status == 2)
        #expect(data.stderr == "opsetl: error: --output: \(ws.path)/data contains the input \(ws.path)/data/users.csv" + Self.untouched)
        let file = try ws.run("run", "pipelines/shop.json", "--output", "data/users.csv")
        #expect(file.status == 2)
        #expect(file.stderr == "opsetl: error: --output: \(ws.path)/data/users.csv exists and is not a folder" + Self.untouched)
        #expect(ws.snapshot == before)
    }

    /// Checked before any data is read: a missing input would be exit 1 if it were read first.
    /// Without `as_of` too, when the folder has no `{as_of}` to wait for.
    @Test(arguments: [#""as_of": "2025-01-31","#, ""])
    func theCheckComesBeforeReading(asOf: String) throws {
        let ws = Workspace()
        ws.write("pipelines/shop.json", """
            { "version": 1, \(asOf)
              "inputs": { "users": { "path": "../data/missing.csv" }, "sales": { "path": "../data/missing.csv" },
                          "channels": { "path": "../data/missing.csv" } } }
            """)
        let result = try ws.run("run", "pipelines/shop.json", "--output", ".")
        #expect(result.status == 2)
        #expect(result.stderr == "opsetl: error: --output: \(ws.path) is the working directory or contains it; "
                + "give the report its own folder such as reports/{as_of}" + Self.untouched)
    }

    // MARK: - `output.dir`

    /// Run from another folder, so the working-directory rule is not what refuses them.
    @Test(arguments: [
        (".", "pipelines", "contains the pipeline file {ws}/pipelines/shop.json"),
        ("..", "", "contains the pipeline file {ws}/pipelines/shop.json"),
        ("../pipelines/..", "", "contains the pipeline file {ws}/pipelines/shop.json"),
        ("../data", "data", "contains the input {ws}/data/users.csv"),
        ("/", "/", "is the root folder; give the report its own folder such as reports/{as_of}"),
    ])
    func outputDirsThatHoldWhatTheRunReadsAreRefused(dir: String, named: String, problem: String) throws {
        let ws = Self.shop(dir: dir)
        let elsewhere = Workspace()
        let before = ws.snapshot
        let result = try ws.run(["run", ws.path + "/pipelines/shop.json"], from: elsewhere.url)
        let folder = named == "/" ? "/" : named.isEmpty ? ws.path : "\(ws.path)/\(named)"
        #expect(result.status == 2)
        #expect(result.stderr == "opsetl: error: \(ws.path)/pipelines/shop.json: output.dir: \(folder) "
                + problem.replacingOccurrences(of: "{ws}", with: ws.path) + Self.untouched)
        #expect(ws.snapshot == before)
    }

    /// An input two folders below the output folder, one found by a glob, one behind a symbolic link.
    @Test func inputsAreFoundBelowGlobsAndLinks() throws {
        let nested = Self.shop(dir: "../data", users: "../data/2025/01/users.csv")
        nested.write("data/2025/01/users.csv", nested.read("data/users.csv")!)
        var before = nested.snapshot
        var result = try nested.run("run", "pipelines/shop.json")
        #expect(result.status == 2)
        #expect(result.stderr == "opsetl: error: \(nested.path)/pipelines/shop.json: output.dir: \(nested.path)/data contains the input "
                + "\(nested.path)/data/2025/01/users.csv" + Self.untouched)
        #expect(nested.snapshot == before)

        let globbed = Self.shop(dir: "../exports", sales: "../*/sales_export.csv")
        globbed.write("exports/sales_export.csv", globbed.read("data/sales.csv")!)
        before = globbed.snapshot
        result = try globbed.run("run", "pipelines/shop.json")
        #expect(result.status == 2)
        #expect(result.stderr == "opsetl: error: \(globbed.path)/pipelines/shop.json: output.dir: \(globbed.path)/exports contains the input "
                + "\(globbed.path)/exports/sales_export.csv" + Self.untouched)
        #expect(globbed.snapshot == before)

        let linked = Self.shop(dir: "../view")
        try FileManager.default.createSymbolicLink(atPath: linked.path + "/view", withDestinationPath: "data")
        before = linked.snapshot
        result = try linked.run("run", "pipelines/shop.json")
        #expect(result.status == 2)
        #expect(result.stderr == "opsetl: error: \(linked.path)/pipelines/shop.json: output.dir: \(linked.path)/view contains the input "
                + "\(linked.path)/data/users.csv" + Self.untouched)
        #expect(linked.snapshot == before)
    }

    @Test func aFolderHoldingOtherFilesIsRefused() throws {
        let ws = Self.shop(dir: "../reports/{name}-{as_of}")
        ws.write("reports/shop-2025-01-31/notes.txt", "mine")
        ws.write("reports/shop-2025-01-31/summary.json", "{}")
        let before = ws.snapshot
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 2)
        #expect(result.stderr == "opsetl: error: \(ws.path)/pipelines/shop.json: output.dir: \(ws.path)/reports/shop-2025-01-31 "
                + "holds files that are not an opsetl report (notes.txt); opsetl replaces only a folder that does not exist, "
                + "is empty or holds a previous report (marked by .opsetl-report)" + Self.untouched)
        #expect(ws.snapshot == before)
    }

    /// `<dir>.failed` follows the same rules, and is checked before anything is read.
    @Test func aFailedFolderHoldingOtherFilesIsRefused() throws {
        let ws = Self.shop(dir: "../reports/{name}-{as_of}")
        ws.write("reports/shop-2025-01-31.failed/photo.jpg", "jpeg")
        let before = ws.snapshot
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 2)
        #expect(result.stderr == "opsetl: error: \(ws.path)/pipelines/shop.json: output.dir: \(ws.path)/reports/shop-2025-01-31.failed "
                + "holds files that are not an opsetl report (photo.jpg); opsetl replaces only a folder that does not exist, "
                + "is empty or holds a previous report (marked by .opsetl-report)" + Self.untouched)
        #expect(ws.snapshot == before)
    }

    // MARK: - What may be replaced

    @Test func anEmptyFolderAndAPreviousReportAreReplaced() throws {
        let ws = Self.shop(dir: "../reports/{name}-{as_of}")
        try FileManager.default.createDirectory(atPath: ws.path + "/reports/shop-2025-01-31", withIntermediateDirectories: true)
        let first = try ws.run("run", "pipelines/shop.json")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(ws.read("reports/shop-2025-01-31/.opsetl-report") == "opsetl report\nThis folder is written by opsetl and replaced, "
                + "with everything in it, by its next run of the same output folder.\n")
        // Files put into a report folder go with it: the marker says so.
        ws.write("reports/shop-2025-01-31/notes.txt", "mine")
        ws.write("data/sales.csv", "order_id,user_id,ordered_at,amount,status\no1,u5,2025-01-10,10.00,paid\n")
        let second = try ws.run("run", "pipelines/shop.json")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!ws.exists("reports/shop-2025-01-31/notes.txt"))
        #expect(ws.read("reports/shop-2025-01-31/data_quality.csv")?.contains("\nsales,1,1,0,") == true)
        #expect(ws.listing("reports") == [".shop-2025-01-31.lock", "shop-2025-01-31"])
    }

    /// A report written by the opsetl before the marker: only opsetl's names, and its summary.json
    /// (or, in a `.failed` folder, data_quality.csv's header) says so. Nightly folders keep working.
    @Test func aReportFromBeforeTheMarkerIsReplaced() throws {
        let ws = Self.shop(dir: "../reports/{name}-{as_of}")
        ws.write("reports/shop-2025-01-31/summary.json", #"{ "tool": { "name": "opsetl", "version": "0.9.0" } }"#)
        ws.write("reports/shop-2025-01-31/channel_roi.csv", "old")
        ws.write("reports/shop-2025-01-31/rejects/sales.csv", "old")
        ws.write("reports/shop-2025-01-31.failed/data_quality.csv",
                 "input,rows_read,rows_kept,rejected,duplicates,after_as_of,excluded_status,unknown_user_ignored,reject_rate\nusers,1,0,1,0,0,0,0,1.000000\n")
        ws.write("reports/shop-2025-01-31.failed/rejects/users.csv", "old")
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.read("reports/shop-2025-01-31/channel_roi.csv")?.hasPrefix("channel,spend,") == true)
        #expect(ws.exists("reports/shop-2025-01-31/.opsetl-report"))

        // Not opsetl's: a summary.json of another tool, or one more name.
        let other = Self.shop(dir: "../reports/{name}-{as_of}")
        other.write("reports/shop-2025-01-31/summary.json", #"{ "tool": { "name": "other" } }"#)
        var before = other.snapshot
        #expect(try other.run("run", "pipelines/shop.json").status == 2)
        #expect(other.snapshot == before)
        other.write("reports/shop-2025-01-31/summary.json", #"{ "tool": { "name": "opsetl" } }"#)
        other.write("reports/shop-2025-01-31/rejects/notes.txt", "mine")
        before = other.snapshot
        #expect(try other.run("run", "pipelines/shop.json").status == 2)
        #expect(other.snapshot == before)
    }

    // MARK: - `{name}`

    /// SPEC §9: `{name}` is substituted made safe for one path component, so the run writes its
    /// own folder under reports/ and nothing else moves.
    @Test(arguments: [
        ("..", "__"),
        ("a/b", "a_b"),
        (#"a\\b"#, "a_b"),
        ("../../../../tmp/x", "____________tmp_x"),
        (#"x\u001b\u0000\u202ey"#, "x___y"),
        (".", "_"),
    ])
    func unsafeNamesBecomeOneComponent(name: String, folder: String) throws {
        let ws = Self.shop(dir: "../reports/{name}", name: name)
        let before = ws.snapshot
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.listing("reports") == [".\(folder).lock", folder])
        #expect(ws.exists("reports/\(folder)/summary.json"))
        var after = ws.snapshot.entries
        after = after.filter { !$0.key.hasPrefix("reports/") && $0.key != "reports" }
        #expect(after == before.entries)
    }

    // MARK: - Symbolic links

    /// SPEC §9: a link to a folder publishes into the link's target and keeps the link.
    @Test func aSymlinkedOutputPublishesIntoItsTarget() throws {
        let ws = Self.shop(dir: "../reports/latest")
        try FileManager.default.createDirectory(atPath: ws.path + "/reports/2025-01-31", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: ws.path + "/reports/latest", withDestinationPath: "2025-01-31")
        for sales in ["o1,u5,2025-01-10,10.00,paid\n", "o1,u5,2025-01-10,10.00,paid\no2,u6,2025-01-11,20.00,paid\n"] {
            ws.write("data/sales.csv", "order_id,user_id,ordered_at,amount,status\n" + sales)
            let result = try ws.run("run", "pipelines/shop.json")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: ws.path + "/reports/latest") == "2025-01-31")
            let rows = sales.split(separator: "\n").count
            #expect(ws.read("reports/2025-01-31/data_quality.csv")?.contains("\nsales,\(rows),\(rows),0,") == true)
            #expect(ws.read("reports/latest/data_quality.csv") == ws.read("reports/2025-01-31/data_quality.csv"))
            #expect(ws.listing("reports") == [".latest.lock", "2025-01-31", "latest"])
        }

        // A link to nothing, or to a file, is refused.
        try FileManager.default.createSymbolicLink(atPath: ws.path + "/reports/dangling", withDestinationPath: "missing")
        let before = ws.snapshot
        let dangling = try ws.run("run", "pipelines/shop.json", "--output", "reports/dangling")
        #expect(dangling.status == 2)
        #expect(dangling.stderr == "opsetl: error: --output: \(ws.path)/reports/dangling is a symbolic link to missing, which does not exist; "
                + "create that folder or remove the link" + Self.untouched)
        #expect(ws.snapshot == before)
    }
}
