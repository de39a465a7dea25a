#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""sizes.py - the tools and tests stay readable: no source file over
MAX_FILE lines, no function over MAX_FUNCTION lines.

    scripts/sizes.py [--max-file N] [--max-function N] [FILE...]

Without FILE: the source files under scripts/, tests/ and bench/ that
scripts/source-files.sh lists (C, C++, Python, shell; recorded data such as
tests/timeline/fixtures/ is not code). Prints each file or function over
its limit as "PATH:LINE: what", then "sizes: N files, N functions, N over";
exits 1 if any is over.

A function is counted from its first line to its last: C and C++ from the
line that names it to the closing brace at its indentation, Python from
`def` to the last line indented under it, shell from `name() {` to the
brace that closes it.
"""

import argparse
import os
import re
import subprocess
import sys

MAX_FILE = 500
MAX_FUNCTION = 80
TREES = ("scripts/", "tests/", "bench/")
SHELL_SHEBANG = re.compile(r"^#!\s*(/usr/bin/env\s+)?(/bin/)?(ba)?sh\b")


def language(path, first_line):
    """The language of a file, by its name or its first line; None if not code."""
    ext = os.path.splitext(path)[1]
    if ext in (".c", ".h", ".cpp", ".cc", ".hpp"):
        return "c"
    if ext == ".py":
        return "python"
    if ext == ".sh" or SHELL_SHEBANG.match(first_line):
        return "shell"
    if first_line.startswith("#!") and "python" in first_line:
        return "python"
    return None


def indent_of(line):
    return len(line) - len(line.lstrip())


C_HEAD = re.compile(r"^(\s*)[A-Za-z_][\w\s\*&:<>,~]*\b([A-Za-z_~][\w:~]*)\s*\(")
C_NOT_FUNCTION = {"if", "for", "while", "switch", "return", "sizeof", "do", "else"}


def c_functions(lines):
    """(name, first, last) of each function body whose braces open a line of
    their own or end its head, 1-based, as kernel and clang-format styles write
    them."""
    found = []
    head = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = C_HEAD.match(line)
        if m and m.group(2) not in C_NOT_FUNCTION and not line.rstrip().endswith(";"):
            head = (m.group(2), i, len(m.group(1)))
        brace = None
        if head and line.strip() == "{" and indent_of(line) == head[2]:
            brace = i
        elif head and i == head[1] and line.rstrip().endswith("{") and "=" not in line:
            brace = i
        if brace is not None:
            name, first, col = head
            end = brace + 1
            while end < len(lines) and not (lines[end].startswith(" " * col + "}") and
                                            indent_of(lines[end]) == col):
                end += 1
            found.append((name, first + 1, min(end, len(lines) - 1) + 1))
            head = None
            i = end + 1
            continue
        if head and (line.strip() == "" or line.rstrip().endswith(";")) and i > head[1] + 3:
            head = None
        i += 1
    return found


def heads_and_ends(lines, head, end_of):
    """(name, first, last) of each line HEAD matches (its group "name"), the
    last line being END_OF(lines, index, match)."""
    return [(m.group("name"), i + 1, end_of(lines, i, m) + 1)
            for i, m in ((i, head.match(line)) for i, line in enumerate(lines)) if m]


PY_DEF = re.compile(r"^(?P<indent>\s*)(async\s+)?def\s+(?P<name>\w+)")


def python_end(lines, i, m):
    """The last line indented under the def (comments and closing brackets
    at its indentation still belong to it)."""
    col, last = len(m.group("indent")), i
    for j in range(i + 1, len(lines)):
        text = lines[j]
        if text.strip() and indent_of(text) <= col and not text.lstrip().startswith(("#", ")", "]")):
            break
        if text.strip():
            last = j
    return last


SH_FUNC = re.compile(r"^(?P<indent>\s*)(function\s+)?(?P<name>[\w.:-]+)\s*\(\)\s*(?P<open>[{(])?\s*(#.*)?$")


def shell_end(lines, i, m):
    """The brace (or parenthesis) at the function's indentation that closes it."""
    opener = m.group("open") or (lines[i + 1].strip()[:1] if i + 1 < len(lines) else "{")
    closer = "}" if opener == "{" else ")"
    col = len(m.group("indent"))
    return next((j for j in range(i + 1, len(lines))
                 if indent_of(lines[j]) == col and lines[j].strip().startswith(closer)), i)


def python_functions(lines):
    return heads_and_ends(lines, PY_DEF, python_end)


def shell_functions(lines):
    return heads_and_ends(lines, SH_FUNC, shell_end)


FUNCTIONS = {"c": c_functions, "python": python_functions, "shell": shell_functions}


def default_files(root):
    out = subprocess.run([os.path.join(root, "scripts", "source-files.sh")], cwd=root,
                         check=True, stdout=subprocess.PIPE).stdout
    return sorted(p for p in out.decode().split("\0") if p.startswith(TREES))


def scan(root, paths, max_file, max_function):
    """Prints what is over; returns (files, functions, over)."""
    files = functions = over = 0
    for path in paths:
        full = os.path.join(root, path)
        if os.path.islink(full) or not os.path.isfile(full):
            continue
        with open(full, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        lang = language(path, lines[0] if lines else "")
        if lang is None:
            continue
        files += 1
        if len(lines) > max_file:
            print(f"{path}:1: {len(lines)} lines, more than {max_file}")
            over += 1
        for name, first, last in FUNCTIONS[lang](lines):
            functions += 1
            if last - first + 1 > max_function:
                print(f"{path}:{first}: {name}() has {last - first + 1} lines, more than {max_function}")
                over += 1
    return files, functions, over


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max-file", type=int, default=MAX_FILE)
    ap.add_argument("--max-function", type=int, default=MAX_FUNCTION)
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = args.files or default_files(root)
    if args.files:
        root = os.getcwd()
    files, functions, over = scan(root, paths, args.max_file, args.max_function)
    print(f"sizes: {files} files, {functions} functions, {over} over "
          f"(files <= {args.max_file} lines, functions <= {args.max_function})")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
