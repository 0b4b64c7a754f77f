#!/usr/bin/env python3
"""The documentation stands alone: nothing in the tree cites a file a reader
of the repository or the tarball does not have, and every link between pages
leads somewhere.

1. No file cites the contract the project was started from (its old name, a
   section of it, or a path outside the repository); docs/spec.md holds it
   now, cited as `docs/spec.md §N`.
2. Every Markdown link ([text](target)) to a repository file resolves, and
   so does every `dir/file` path written in backquotes in the Markdown pages
   when dir is one of the tree's top-level directories (a program may be
   named by its source, `bench/ppbench` for bench/ppbench.c).  Code blocks
   are not read.
3. docs/spec.md keeps the section numbers §1 to §8 that the tree cites, and
   every `docs/spec.md §N` cited exists.
"""
import os
import re
import subprocess
import sys

top = os.path.abspath(os.environ.get("top_srcdir", "."))

# Spelled in pieces so that this file does not cite what it forbids.
OLD = "SP" + "EC"
FORBIDDEN = [
    (re.compile(r"\b" + OLD + r"\b"), "cites the old contract: write docs/spec.md §N"),
    (re.compile(r"/work/" + "shared"), "cites a path outside the repository"),
    (re.compile(r"\.\./" + "shared"), "cites a path outside the repository"),
]
SKIP_DIRS = {".git", "_build", "_inst", "build", "node_modules", "__pycache__"}


def tracked_files():
    """git's list in a checkout; every file in a tarball's tree otherwise."""
    try:
        out = subprocess.run(["git", "-C", top, "ls-files", "-z"], check=True,
                             capture_output=True).stdout
        names = [n for n in out.decode().split("\0") if n]
        if names:
            return names
    except (OSError, subprocess.CalledProcessError):
        pass
    names = []
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith("particlepolicy-")]
        for f in files:
            names.append(os.path.relpath(os.path.join(root, f), top))
    return names


def text_of(path):
    try:
        with open(os.path.join(top, path), encoding="utf-8") as f:
            return f.read()
    except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
        return None


def main():
    files = sorted(tracked_files())
    problems = []
    texts = {}
    for name in files:
        text = text_of(name)
        if text is None:
            continue
        texts[name] = text
        for lineno, line in enumerate(text.splitlines(), 1):
            for pattern, why in FORBIDDEN:
                if pattern.search(line):
                    problems.append(f"{name}:{lineno}: {why}: {line.strip()}")

    topdirs = {n.split("/", 1)[0] for n in files if "/" in n}
    link = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
    quoted = re.compile(r"`((?:%s)/[A-Za-z0-9_./-]*[A-Za-z0-9_])`" %
                        "|".join(re.escape(d) for d in sorted(topdirs)))
    for name, text in texts.items():
        if not name.endswith(".md"):
            continue
        here = os.path.dirname(name)
        fenced = False
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.lstrip().startswith("```"):
                fenced = not fenced
            if fenced:
                continue
            for target in link.findall(re.sub(r"`[^`]*`", "", line)):
                if re.match(r"[a-z]+:", target) or target.startswith("#"):
                    continue
                path = os.path.normpath(os.path.join(here, target.split("#", 1)[0]))
                if not os.path.exists(os.path.join(top, path)):
                    problems.append(f"{name}:{lineno}: link to a missing file: {target}")
            for path in quoted.findall(line):
                # A program is named by its source file's name.
                if not any(os.path.exists(os.path.join(top, path + ext)) for ext in ("", ".c")):
                    problems.append(f"{name}:{lineno}: names a missing file: {path}")

    spec = texts.get("docs/spec.md")
    if spec is None:
        problems.append("docs/spec.md: missing")
        sections = set()
    else:
        sections = {int(n) for n in re.findall(r"^## (\d+)\. ", spec, re.M)}
        if sections != set(range(1, 9)):
            problems.append(f"docs/spec.md: sections {sorted(sections)}, want 1 to 8")
    cite = re.compile(r"spec\.md(?:\]\(spec\.md\))?\s+§(\d+)")
    for name, text in texts.items():
        for lineno, line in enumerate(text.splitlines(), 1):
            for n in cite.findall(line):
                if int(n) not in sections:
                    problems.append(f"{name}:{lineno}: cites docs/spec.md §{n}, which does not exist")

    for p in problems:
        print(p)
    if problems:
        print(f"docs: {len(problems)} problem(s)")
        return 1
    print(f"docs: {len(texts)} files free of outside citations; links and paths resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
