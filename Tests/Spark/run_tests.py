"""make spark-test: scripts/opsetl-spark must publish what `opsetl run` publishes (issue 14).

On the shop of make_shop.py (cross-file duplicates, unknown users, rows after as_of, no explicit
since/as_of), with Spark's local-cluster of 3 executor JVMs:
  1. pipeline.json (since and as_of derived from all inputs), 4 partitions: identical to `opsetl run`;
  2. pipeline-asof.json (as_of 2025-10-31, rows after it), 6 partitions (the default 2 x executors),
     with two planted faults (faulty-opsetl):
     map task 1 runs, writes its outputs and then exits 70 (Spark retries the task: its reject
     lines and ledger counts must appear once, not twice), and the executor JVM running analyze
     of partition 1 is killed with SIGKILL mid-task (Spark replaces the executor and recomputes
     what it held): still identical to `opsetl run`, and both faults must have fired.
Identical = every file byte for byte, summary.json without timings_seconds and execution
(compare_outputs.py). Usage: python3 Tests/Spark/run_tests.py [OPSETL_BINARY]
"""

import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import compare_outputs  # noqa: E402


def run(cmd, env=None, log=None):
    started = time.time()
    with open(log, "wb") if log else open(os.devnull, "wb") as out:
        rc = subprocess.call(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    return rc, time.time() - started


def check(name, expected, actual, failures):
    diffs = compare_outputs.differences(expected, actual)
    if diffs:
        failures.append(name)
        print("FAIL %s: %d differences" % (name, len(diffs)))
        for d in diffs[:20]:
            print("  " + d)
    else:
        count = sum(len(f) for _, _, f in os.walk(expected))
        print("ok   %s: %d files identical to opsetl run" % (name, count))


def main():
    if len(sys.argv) > 1:
        binary = os.path.abspath(sys.argv[1])
    else:
        bin_dir = subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=ROOT, text=True).strip()
        binary = os.path.join(bin_dir, "opsetl")
    work = os.path.join(ROOT, ".spark-test")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    shop = os.path.join(work, "shop")
    subprocess.run([sys.executable, os.path.join(HERE, "make_shop.py"), binary, shop], check=True)
    failures = []

    for name in ("pipeline", "pipeline-asof"):
        rc, secs = run([binary, "run", os.path.join(shop, name + ".json"), "--quiet",
                        "--output", os.path.join(work, "expected-" + name)])
        print("     opsetl run %s.json: exit %d, %.1f s" % (name, rc, secs))
        if rc != 0:
            print("FAIL opsetl run %s.json exited %d" % (name, rc))
            return 1

    spark = os.path.join(ROOT, "scripts", "opsetl-spark")

    # 1. a plain Spark run, 3 executors
    log = os.path.join(work, "spark-plain.log")
    rc, secs = run([spark, os.path.join(shop, "pipeline.json"), "--output", os.path.join(work, "spark-plain"),
                    "--executors", "3", "--partitions", "4", "--binary", binary], log=log)
    print("     opsetl-spark pipeline.json --executors 3 --partitions 4: exit %d, %.1f s (log: %s)" % (rc, secs, log))
    if rc != 0:
        failures.append("spark plain run exited %d" % rc)
    else:
        check("spark, 3 executors, since/as_of derived", os.path.join(work, "expected-pipeline"),
              os.path.join(work, "spark-plain"), failures)

    # 2. the same with a map task failing once and an executor killed mid-task
    faults = os.path.join(work, "faults")
    os.makedirs(faults)
    planted = "map:1:exit,analyze:1:kill-executor"
    env = dict(os.environ, OPSETL_REAL_BIN=binary, OPSETL_FAULTS=planted, OPSETL_FAULT_DIR=faults)
    log = os.path.join(work, "spark-faults.log")
    conf = []
    for key in ("OPSETL_REAL_BIN", "OPSETL_FAULTS", "OPSETL_FAULT_DIR"):
        conf += ["--conf", "spark.executorEnv.%s=%s" % (key, env[key])]
    rc, secs = run([spark, os.path.join(shop, "pipeline-asof.json"), "--output", os.path.join(work, "spark-faults"),
                    "--executors", "3", "--binary", os.path.join(HERE, "faulty-opsetl"), "--"] + conf, env=env, log=log)
    print("     opsetl-spark pipeline-asof.json with faults %s: exit %d, %.1f s (log: %s)" % (planted, rc, secs, log))
    fired = sorted(os.listdir(faults))
    for fault in ("map-1-exit", "analyze-1-kill-executor"):
        if fault in fired:
            print("ok   fault %s fired once and was retried" % fault)
        else:
            failures.append("fault %s did not fire" % fault)
            print("FAIL fault %s did not fire (fired: %s)" % (fault, fired))
    if rc != 0:
        failures.append("spark run with faults exited %d" % rc)
    else:
        check("spark, map task retried + executor killed, rows after as_of",
              os.path.join(work, "expected-pipeline-asof"), os.path.join(work, "spark-faults"), failures)

    if failures:
        print("spark-test: FAILED (%s)" % "; ".join(failures))
        return 1
    print("spark-test: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
