/// The tool's version, recorded in `summary.json` so a report can be traced to the build that made it.
public enum OpsETLVersion {
    public static let string = "0.1.0"
}
