"""Writes each example's expected console transcript by running it with the REAL libraries.

    /work/venv/bin/python examples/transcribe.py          # every example
    /work/venv/bin/python examples/transcribe.py 04-crud  # some of them

For every directory in examples/scenarios/: `models.py` runs as the module `app` (in a fresh
temporary folder, so file databases start empty), an application context is pushed as
`flask shell` does, then each top-level statement of `console.py` runs as one console input
(`db.create_all()` first, as Apply does; compiled in 'single' mode, so expressions echo their repr). `transcript.txt` gets, per input,
the input with `>>> ` / `... ` prompts, then what it printed, then `!! Type: first line of the
message` if it raised. crates/engine/tests/playground_examples.rs runs the same files in the
playground and compares with these transcripts.
"""

import ast
import contextlib
import io
import os
import sys
import tempfile
import traceback
import types
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def console_steps(source):
    """Each top-level statement's source, as the playground cuts a console script."""
    lines = source.splitlines()
    for node in ast.parse(source).body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        yield "\n".join(lines[start - 1 : node.end_lineno]).rstrip() + "\n"


def prompted(code):
    """The input as the console shows it: `>>> ` first, `... ` for the lines after."""
    out = []
    for index, line in enumerate(code.rstrip("\n").split("\n")):
        out.append(("... " if index else ">>> ") + line)
    return "\n".join(out) + "\n"


def error_line(error):
    message = str(error).split("\n")[0]
    return f"!! {type(error).__name__}: {message}\n" if message else f"!! {type(error).__name__}\n"


def transcribe(directory):
    models = (directory / "models.py").read_text()
    console = (directory / "console.py").read_text()
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        module = types.ModuleType("app")
        module.__file__ = os.path.join(folder, "app.py")
        sys.modules["app"] = module
        try:
            exec(compile(models, module.__file__, "exec"), module.__dict__)
            context = module.__dict__["app"].app_context()
            context.push()
            # What the playground's Apply does after running the models.
            module.__dict__["db"].create_all()
            transcript = []
            for code in console_steps(console):
                transcript.append(prompted(code))
                printed = io.StringIO()
                with contextlib.redirect_stdout(printed):
                    try:
                        exec(compile(code, "<console>", "single"), module.__dict__)
                    except Exception as error:  # the transcript records it, as the console shows it
                        print(error_line(error), end="")
                transcript.append(printed.getvalue())
            module.__dict__["db"].engine.dispose()
            context.pop()
        finally:
            del sys.modules["app"]
    (directory / "transcript.txt").write_text("".join(transcript))


def main():
    wanted = set(sys.argv[1:])
    for directory in sorted(p for p in SCENARIOS.iterdir() if p.is_dir()):
        if not wanted or directory.name in wanted:
            try:
                transcribe(directory)
                print(f"wrote {directory.name}/transcript.txt")
            except Exception:
                traceback.print_exc()
                sys.exit(f"{directory.name}: the models or the console script failed outside the console")


if __name__ == "__main__":
    main()
