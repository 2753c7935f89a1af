import Testing
@testable import OpsETL

/// Path resolution against the pipeline folder (SPEC §2): lexical, globs and placeholders untouched.
@Suite("Pipeline paths")
struct PipelinePathsTests {
    @Test(arguments: [
        ("users.csv", "/srv/etl/pipelines", "/srv/etl/pipelines/users.csv"),
        ("../sample-data/sales_*.csv", "/srv/etl/pipelines", "/srv/etl/sample-data/sales_*.csv"),
        ("./a/./b//c.csv", "/srv", "/srv/a/b/c.csv"),
        ("/abs/../data/x.csv", "/srv", "/data/x.csv"),
        ("../../../../x.csv", "/srv/etl", "/x.csv"),
        ("../reports/{name}/{as_of}", "/srv/etl/pipelines", "/srv/etl/reports/{name}/{as_of}"),
        ("data/[ab]?.csv", "/srv", "/srv/data/[ab]?.csv"),
        ("out/", "/srv", "/srv/out"),
    ])
    func resolvesAgainstTheBase(_ path: String, _ base: String, _ expected: String) {
        #expect(PipelinePaths.absolute(path, relativeTo: base) == expected)
    }

    @Test(arguments: [
        ("/srv/etl/p.json", "/srv/etl"),
        ("/p.json", "/"),
        ("/srv/p", "/srv"),
    ])
    func parentFolder(_ path: String, _ parent: String) {
        #expect(PipelinePaths.parent(of: path) == parent)
    }
}
