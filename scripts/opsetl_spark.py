"""opsetl on Apache Spark: the PySpark driver behind scripts/opsetl-spark (docs/spark.md).

Glue only. Every bit of parsing, cleaning, deduplication and analysis is done by the opsetl
binary's `part` subcommands (docs/partitioned.md); this file only moves their files around:

    plan (driver) -> map (one Spark task per plan task) -> shuffle by partition (partitionBy)
    -> dedupe (per partition) -> shuffle by user partition -> analyze (per partition)
    -> collect partials + task files + dedupe counts -> merge (driver; publishes like `opsetl run`)

Each stage's outputs are a pure function of the task (the binary writes them atomically and the
driver only ever uses the files of the attempt Spark keeps), so a retried or speculative task
replaces its outputs: nothing is counted twice. A subprocess that fails raises, with its stderr,
so that Spark fails the task and retries it.
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from pyspark import SparkFiles, StorageLevel
from pyspark.sql import SparkSession


def parse_args(argv):
    p = argparse.ArgumentParser(prog="opsetl_spark.py")
    p.add_argument("pipeline")
    p.add_argument("--output", required=True)
    p.add_argument("--partitions", type=int, required=True)
    p.add_argument("--binary-name", default="opsetl",
                   help="file name of the opsetl binary shipped with --files (SparkFiles)")
    p.add_argument("--as-of", dest="as_of")
    p.add_argument("--wait", action="store_true")
    p.add_argument("--keep-work", action="store_true")
    p.add_argument("--users-broadcast-mb", dest="users_broadcast_mb", type=int, default=512,
                   help="broadcast the kept users' ids to the sales and events map tasks up to this size")
    return p.parse_args(argv)


def binary(name):
    """The opsetl binary Spark shipped (--files): executable in this process's work folder."""
    path = SparkFiles.get(name)
    if not os.access(path, os.X_OK):
        try:
            os.chmod(path, 0o755)
        except OSError:
            copy = os.path.join(tempfile.gettempdir(), "opsetl-%d" % os.getpid())
            shutil.copyfile(path, copy)
            os.chmod(copy, 0o755)
            path = copy
    return path


class StageFailed(RuntimeError):
    """A stage exited non-zero: on an executor Spark fails (and retries) the task; on the driver
    scripts/opsetl-spark exits with the stage's own code (1 runtime, 2 usage or pipeline)."""

    def __init__(self, what, code, stderr, args):
        RuntimeError.__init__(self, "opsetl %s failed (exit %d): %s\ncommand: %s"
                              % (what, code, stderr, " ".join(args)))
        self.code = code
        self.stderr = stderr


def call(args, what):
    """Runs the binary; a non-zero exit becomes an exception carrying its stderr (Spark retries)."""
    proc = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise StageFailed(what, proc.returncode, proc.stderr.decode("utf-8", "replace").strip(), args)
    return proc


def on_executor(args, what):
    """call() on an executor. Exit 2 (a usage or pipeline error) is the same on every attempt:
    it comes back as an ("error", 2, message) record for the driver instead of a retried task."""
    try:
        call(args, what)
        return None
    except StageFailed as e:
        if e.code == 2:
            return ("error", e.code, e.stderr)
        raise


def check_errors(records):
    """Raises the first stage error record among records (the driver exits with its code)."""
    for r in records:
        if r[0] == "error":
            raise StageFailed("stage", r[1], r[2], [])


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write_inputs(folder, blobs):
    """Writes (source, bytes) blobs as in-<source>.bin, sorted by source; returns the paths."""
    paths = []
    for source, data in sorted(blobs, key=lambda b: b[0]):
        path = os.path.join(folder, "in-%d.bin" % source)
        with open(path, "wb") as f:
            f.write(data)
        paths.append(path)
    return paths


def make_map(pipeline, plan_bytes, partitions, name, as_of, users=None):
    """Map tasks. `users`: a broadcast of the users tasks' users.bin blobs, for the sales and events
    tasks (their rows of kept users then travel without their original fields)."""
    def run_map(tasks):
        for task in tasks:
            with tempfile.TemporaryDirectory(prefix="opsetl-map-") as tmp:
                work = os.path.join(tmp, "work")
                out = os.path.join(tmp, "out")
                os.makedirs(work)
                with open(os.path.join(work, "plan.json"), "wb") as f:
                    f.write(plan_bytes)
                known = []
                for i, blob in enumerate(users.value if users is not None else []):
                    path = os.path.join(work, "users-%d.bin" % i)
                    with open(path, "wb") as f:
                        f.write(blob)
                    known.append(path)
                error = on_executor([binary(name), "part", "map", pipeline, "--work", work, "--task", str(task),
                                     "--partitions", str(partitions), "--out", out, "--quiet"] + as_of
                                    + (["--users"] + known if known else []),
                                    "part map --task %d" % task)
                if error:
                    yield error
                    continue
                yield ("task", task, read(os.path.join(out, "task.bin")))
                if os.path.exists(os.path.join(out, "users.bin")):
                    yield ("users", task, read(os.path.join(out, "users.bin")))
                for p in range(partitions):
                    yield ("part", p, (task, read(os.path.join(out, "part-%d.bin" % p))))
    return run_map


@contextlib.contextmanager
def stage_folder(prefix, context_bytes, blobs):
    """A task-local temporary folder holding the run's context.bin and the task's input blobs:
    yields (folder, context path, input paths); removed when the task is done."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        context = os.path.join(tmp, "context.bin")
        with open(context, "wb") as f:
            f.write(context_bytes)
        inputs = os.path.join(tmp, "in")
        os.makedirs(inputs)
        yield tmp, context, write_inputs(inputs, blobs)


def make_dedupe(pipeline, context_bytes, partitions, name, as_of):
    def run_dedupe(index, records):
        blobs = [value for _, value in records]
        if not blobs:
            return  # cannot happen (every map task emits every partition); nothing to do
        with stage_folder("opsetl-dedupe-", context_bytes, blobs) as (tmp, context, paths):
            out = os.path.join(tmp, "out")
            error = on_executor([binary(name), "part", "dedupe", pipeline, "--context", context, "--partition", str(index),
                  "--partitions", str(partitions), "--out", out, "--quiet"] + as_of + paths,
                 "part dedupe --partition %d" % index)
            if error:
                yield error
                return
            yield ("counts", index, read(os.path.join(out, "counts.bin")))
            for q in range(partitions):
                yield ("part", q, (index, read(os.path.join(out, "part-%d.bin" % q))))
    return run_dedupe


def make_analyze(pipeline, context_bytes, name, as_of):
    def run_analyze(index, records):
        blobs = [value for _, value in records]
        if not blobs:
            return
        with stage_folder("opsetl-analyze-", context_bytes, blobs) as (tmp, context, paths):
            out = os.path.join(tmp, "partial.bin")
            error = on_executor([binary(name), "part", "analyze", pipeline, "--context", context, "--partition", str(index),
                  "--out", out, "--quiet"] + as_of + paths, "part analyze --partition %d" % index)
            yield error or ("partial", index, read(out))
    return run_analyze


def main(argv):
    args = parse_args(argv)
    pipeline = os.path.abspath(args.pipeline)
    P = args.partitions
    spark = SparkSession.builder.appName("opsetl " + os.path.basename(pipeline)).getOrCreate()
    sc = spark.sparkContext
    name = args.binary_name
    as_of = ["--as-of", args.as_of] if args.as_of else []
    started = time.time()
    marks = []

    def mark(stage):
        marks.append((stage, time.time()))

    work = tempfile.mkdtemp(prefix="opsetl-spark-driver-")
    try:
        # 1. plan on the driver
        call([binary(name), "part", "plan", pipeline, "--work", work, "--partitions", str(P), "--quiet"] + as_of,
             "part plan")
        mark("plan")
        plan_bytes = read(os.path.join(work, "plan.json"))
        plan = json.loads(plan_bytes)
        tasks = [t["task"] for t in plan["tasks"]]
        if not tasks:
            raise SystemExit("opsetl-spark: the plan has no tasks")

        # 2. map: one Spark task per plan task; keep the outputs (used by resolve and the shuffle).
        # The users (and spend) tasks first: their users.bin, broadcast to the sales and events
        # tasks, lets rows of kept users travel without their original fields (docs/spark.md).
        kinds = {t["task"]: t["kind"] for t in plan["tasks"]}
        first = [k for k in tasks if kinds[k] in ("users", "channels")]
        rest = [k for k in tasks if k not in first]
        mapped_first = (sc.parallelize(first, max(1, len(first)))
                        .mapPartitions(make_map(pipeline, plan_bytes, P, name, as_of))
                        .persist(StorageLevel.MEMORY_AND_DISK))
        collected = mapped_first.filter(lambda r: r[0] != "part").collect()
        check_errors(collected)
        blobs = [data for kind, k, data in sorted(collected) if kind == "users"]
        # Every map task would load the ids: above this, rows keep their fields (the same outputs).
        users = sc.broadcast(blobs) if sum(len(b) for b in blobs) <= args.users_broadcast_mb << 20 else None
        mapped_rest = (sc.parallelize(rest, max(1, len(rest)))
                       .mapPartitions(make_map(pipeline, plan_bytes, P, name, as_of, users))
                       .persist(StorageLevel.MEMORY_AND_DISK))
        collected_rest = mapped_rest.filter(lambda r: r[0] != "part").collect()
        check_errors(collected_rest)
        collected += collected_rest
        mapped = mapped_first.union(mapped_rest)
        task_files = sorted((k, data) for kind, k, data in collected if kind == "task")

        mark("map")
        # 3. resolve on the driver: since/as_of and everything that depends on all inputs
        task_dir = os.path.join(work, "tasks")
        os.makedirs(task_dir)
        task_paths = []
        for k, data in task_files:
            path = os.path.join(task_dir, "task-%d.bin" % k)
            with open(path, "wb") as f:
                f.write(data)
            task_paths.append(path)
        call([binary(name), "part", "resolve", pipeline, "--work", work, "--quiet"] + as_of + task_paths,
             "part resolve")
        context_bytes = read(os.path.join(work, "context.bin"))
        mark("resolve")

        # 4. shuffle the map partitions by their partition number (Spark's shuffle), dedupe each
        by_key = mapped.filter(lambda r: r[0] == "part").map(lambda r: (r[1], r[2]))
        deduped = (by_key.partitionBy(P, lambda p: p)
                   .mapPartitionsWithIndex(make_dedupe(pipeline, context_bytes, P, name, as_of))
                   .persist(StorageLevel.MEMORY_AND_DISK))
        collected = deduped.filter(lambda r: r[0] != "part").collect()
        check_errors(collected)
        counts = sorted((k, data) for kind, k, data in collected)

        mark("dedupe")
        # 5. shuffle the survivors by user partition, analyze each into a partial
        by_user = deduped.filter(lambda r: r[0] == "part").map(lambda r: (r[1], r[2]))
        analyzed = (by_user.partitionBy(P, lambda q: q)
                    .mapPartitionsWithIndex(make_analyze(pipeline, context_bytes, name, as_of))
                    .persist(StorageLevel.MEMORY_AND_DISK))
        analyzed.count()  # every partition analysed in parallel, kept by the executors
        mark("analyze")

        # 6. merge on the driver: the partials come one partition at a time to the driver's disk
        # (toLocalIterator: never all in the driver's memory, nor over spark.driver.maxResultSize),
        # then `opsetl part merge` publishes exactly as `opsetl run` (lock, marker, .failed, exit 3)
        merge_dir = os.path.join(work, "merge")
        os.makedirs(merge_dir)
        files = []
        for label, items in (("partial", analyzed.toLocalIterator()), ("counts", counts)):
            for record in items:
                check_errors([record])
                k, data = record[-2], record[-1]
                path = os.path.join(merge_dir, "%s-%d.bin" % (label, k))
                with open(path, "wb") as f:
                    f.write(data)
                files.append(path)
        analyzed.unpersist()
        mapped_first.unpersist()
        mapped_rest.unpersist()
        deduped.unpersist()
        cmd = [binary(name), "part", "merge", pipeline, "--context", os.path.join(work, "context.bin"),
               "--output", os.path.abspath(args.output)] + as_of + (["--wait"] if args.wait else []) + files + task_paths
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL)
        mark("merge")
        steps, last = [], started
        for stage, at in marks:
            steps.append("%s %.1f s" % (stage, at - last))
            last = at
        print("opsetl-spark: %d map tasks, %d partitions: %s; %s %s"
              % (len(tasks), P, ", ".join(steps), "published" if proc.returncode == 0 else
                 "merge exited %d for" % proc.returncode, args.output), file=sys.stderr)
        return proc.returncode
    except StageFailed as e:  # plan or resolve on the driver: its own message and exit code
        print(e.stderr or str(e), file=sys.stderr)
        return e.code
    finally:
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)
        spark.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
