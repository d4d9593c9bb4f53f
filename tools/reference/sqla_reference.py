"""Run a script with the REAL Flask-SQLAlchemy / SQLAlchemy / SQLite and record what a user sees.

The playground's conformance tests compare the engine against the files this writes: what the
script printed (stdout), tracebacks (stderr), and every SQL log line SQLAlchemy's echo would
print, each tagged with the script line that caused it.

    python sqla_reference.py [--console] script.py > script.out

--console runs the script the way `flask shell` runs typed input: statement by statement, the
repr of expression statements printed, a traceback printed for a failing statement and the next
one still run, an app context pushed as soon as `app` exists, and the script's own names
importable as the module `app`.
"""
import ast
import code
import io
import logging
import re
import sys
import traceback
import types
import warnings

warnings.simplefilter("ignore")

TIMING = [
    (re.compile(r"\[generated in [0-9.]+s"), "[generated in X"),
    (re.compile(r"\[cached since [0-9.e-]+s ago"), "[cached since X ago"),
    (re.compile(r"\[no key [0-9.]+s\]"), "[no key X]"),
    (re.compile(r"\[dialect sqlite\+pysqlite does not support caching [0-9.]+s\]"), "[no cache X]"),
]
ADDRESS = re.compile(r"0x[0-9a-f]{6,}")
LOG_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", re.M)
OBJECT_ID = re.compile(r"\((transient|pending|persistent|detached|deleted) \d+\)")


def normalise(text):
    for pattern, replacement in TIMING:
        text = pattern.sub(replacement, text)
    text = ADDRESS.sub("0x...", text)
    text = LOG_TIME.sub("TIME ", text)
    return OBJECT_ID.sub(r"(\1 ...)", text)


class SqlLog(logging.Filter):
    """Collects SQLAlchemy's echo lines with the script line being run. A filter, not a
    handler: SQLAlchemy adds its own stdout handler for echo=True only when the logger has
    none, and the script's echo output must stay as the user sees it."""

    def __init__(self, current_line):
        super().__init__()
        self.lines = []
        self.current_line = current_line

    def filter(self, record):
        self.lines.append((self.current_line(), normalise(record.getMessage())))
        return True


def script_line(path):
    frame = sys._getframe()
    line = None
    while frame is not None:
        if frame.f_code.co_filename == path:
            line = frame.f_lineno
        frame = frame.f_back
    return line


def console_inputs(statements):
    """The (first, last) lines of each input typed into the shell: statements that share a
    line (`import pdb; pdb.set_trace()`) are one input."""
    inputs = []
    for node in statements:
        if inputs and node.lineno <= inputs[-1][1]:
            inputs[-1][1] = max(inputs[-1][1], node.end_lineno)
        else:
            inputs.append([node.lineno, node.end_lineno])
    return inputs


def run_file(path, source):
    namespace = {"__name__": "__main__", "__file__": path}
    exec(compile(source, path, "exec"), namespace)


class Console:
    """Feeds top-level statements one at a time, as typed into `flask shell`."""

    def __init__(self):
        self.namespace = {"__name__": "__console__"}
        self.module = types.ModuleType("app")
        self.module.__dict__.update(self.namespace)
        self.namespace = self.module.__dict__
        sys.modules["app"] = self.module
        self.context = None
        self.line_offset = 0
        self.interp = code.InteractiveInterpreter(self.namespace)

    def current_line(self):
        frame = sys._getframe()
        line = None
        while frame is not None:
            if frame.f_code.co_filename == "<console>":
                line = frame.f_lineno + self.line_offset
            frame = frame.f_back
        return line

    def run(self, source):
        tree = ast.parse(source)
        lines = source.splitlines()
        for first, last in console_inputs(tree.body):
            chunk = "\n".join(lines[first - 1 : last]) + "\n"
            self.line_offset = first - 1
            self.interp.runsource(chunk, "<console>", "single")
            self.push_app_context()

    def push_app_context(self):
        app = self.namespace.get("app")
        if self.context is None and app is not None and hasattr(app, "app_context"):
            self.context = app.app_context()
            self.context.push()


def main():
    args = sys.argv[1:]
    console = "--console" in args
    path = [a for a in args if not a.startswith("--")][0]
    source = open(path, encoding="utf-8").read()
    out, err = io.StringIO(), io.StringIO()
    runner = Console() if console else None
    current_line = runner.current_line if console else (lambda: script_line(path))
    log = SqlLog(current_line)
    engine_logger = logging.getLogger("sqlalchemy.engine.Engine")
    engine_logger.setLevel(logging.INFO)
    engine_logger.addFilter(log)
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    status = 0
    try:
        if console:
            runner.run(source)
        else:
            run_file(path, source)
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    print("--- stdout")
    print(normalise(out.getvalue()), end="")
    print("--- stderr")
    print(normalise(err.getvalue()), end="")
    print("--- sql")
    for line, message in log.lines:
        for i, text in enumerate(message.splitlines() or [""]):
            prefix = f"{line if line is not None else '-'}" if i == 0 else " "
            print(f"{prefix}\t{text}")
    print(f"--- exit {status}")


if __name__ == "__main__":
    main()
