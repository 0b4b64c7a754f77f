"""A PEP 517 / PEP 660 build backend in the standard library only.

The package is Python plus one C extension module, ``particlepolicy._native``
(``native/*.c``), over libparticlepolicy.  This backend compiles it with the
interpreter's own compiler and flags (``sysconfig``), links it against the
library, and records the library's directory in the module (an rpath), so
that ``import particlepolicy`` finds the library with no environment
variable.  It needs nothing from an index: ``pip install bindings/python``
works offline, without setuptools.

Which library, in this order:
  1. ``--config-settings include-dir=DIR --config-settings library-dir=DIR``;
  2. pkg-config (``PKG_CONFIG_PATH`` for a prefix it does not search);
  3. the compiler's default paths, with the source tree's header.

The source tree's tests build into the build tree (never the source tree):
  python3 particlepolicy_build.py stage OUT --include-dir DIR --library-dir DIR [--werror]
writes OUT/particlepolicy/, the package as a wheel would install it.
"""
from __future__ import annotations

import argparse
import base64
import concurrent.futures
import glob
import hashlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "particlepolicy"
NATIVE = "native"
EXTENSION = f"{PACKAGE}/_native{sysconfig.get_config_var('EXT_SUFFIX')}"
# Fixed timestamps make the archives reproducible.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Warnings the sources are kept free of.
WARNINGS = ["-Wall", "-Wextra", "-Wno-missing-field-initializers"]


class BuildError(Exception):
    """The extension did not build; the message says what to do."""


# ---- metadata ----

def _project() -> dict:
    """The [project] table of pyproject.toml."""
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        data = f.read().decode("utf-8")
    try:
        import tomllib
        return tomllib.loads(data)["project"]
    except ImportError:     # Python < 3.11
        return _toml_project(data)


def _toml_project(data: str) -> dict:
    """[project] and [project.urls] of pyproject.toml, for Pythons without
    tomllib: strings, lists of strings, and lists of inline tables of
    strings, which is all that file uses."""
    project: dict = {}
    table = None
    text = re.sub(r"(?m)^\s*#.*$", "", data)
    for m in re.finditer(r'(?ms)^\s*\[([^\]]+)\]|^\s*([A-Za-z0-9_-]+)\s*=\s*'
                         r'("(?:[^"\\]|\\.)*"|\[.*?\]\s*$)', text):
        if m.group(1):
            table = m.group(1).strip()
            if table == "project.urls":
                project["urls"] = {}
            continue
        key, value = m.group(2), m.group(3)
        if value.startswith('"'):
            parsed: object = value[1:-1]
        elif "{" in value:
            parsed = [dict(re.findall(r'(\w+)\s*=\s*"([^"]*)"', t))
                      for t in re.findall(r"\{([^}]*)\}", value)]
        else:
            parsed = re.findall(r'"([^"]*)"', value)
        if table == "project":
            project[key] = parsed
        elif table == "project.urls":
            project["urls"][key] = parsed
    return project


def _license() -> str:
    """The LICENSE file: beside pyproject.toml in an sdist, at the top of
    the source tree otherwise."""
    for path in (os.path.join(ROOT, "LICENSE"), os.path.join(ROOT, "..", "..", "LICENSE")):
        if os.path.isfile(path):
            return path
    raise BuildError("particlepolicy: LICENSE not found beside pyproject.toml or at "
                     "the top of the source tree")


def _metadata() -> str:
    p = _project()
    with open(os.path.join(ROOT, p["readme"]), encoding="utf-8") as f:
        readme = f.read()
    lines = ["Metadata-Version: 2.1", f"Name: {p['name']}", f"Version: {p['version']}",
             f"Summary: {p['description']}"]
    for author in p.get("authors", []):
        if "email" in author:
            lines.append(f"Author-email: {author['name']} <{author['email']}>")
        else:
            lines.append(f"Author: {author['name']}")
    lines.append(f"License: {p['license']}")
    lines += [f"Classifier: {c}" for c in p.get("classifiers", [])]
    lines += [f"Project-URL: {label}, {url}" for label, url in p.get("urls", {}).items()]
    lines += [f"Requires-Python: {p['requires-python']}",
              "Description-Content-Type: text/markdown"]
    return "\n".join(lines) + "\n\n" + readme


def _dist_name() -> str:
    p = _project()
    return f"{p['name']}-{p['version']}"


def _tag() -> str:
    """This interpreter's wheel tag: the extension is built for it alone."""
    impl = {"cpython": "cp"}.get(sys.implementation.name, sys.implementation.name)
    version = f"{sys.version_info.major}{sys.version_info.minor}"
    abi = f"{impl}{version}"
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        abi += "t"
    if hasattr(sys, "gettotalrefcount"):
        abi += "d"
    platform = re.sub(r"[-.]", "_", sysconfig.get_platform())
    return f"{impl}{version}-{abi}-{platform}"


# ---- the extension ----

def _pkg_config(*args: str) -> str:
    done = subprocess.run(["pkg-config", *args, "particlepolicy"], capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise OSError(done.stderr.strip())
    return done.stdout.strip()


def _library(settings: dict) -> tuple:
    """(compile flags, link flags, rpath directories) for libparticlepolicy."""
    include_dir = settings.get("include-dir")
    library_dir = settings.get("library-dir")
    if include_dir or library_dir:
        cflags = [f"-I{include_dir}"] if include_dir else []
        libs = ([f"-L{library_dir}"] if library_dir else []) + ["-lparticlepolicy"]
        return cflags, libs, [library_dir] if library_dir else []
    try:
        return (shlex.split(_pkg_config("--cflags")), shlex.split(_pkg_config("--libs")),
                [_pkg_config("--variable=libdir")])
    except OSError:         # no pkg-config, or it does not know the library
        tree = os.path.join(ROOT, "..", "..", "include")
        cflags = [f"-I{os.path.abspath(tree)}"] if os.path.isdir(tree) else []
        return cflags, ["-lparticlepolicy"], []


def _run(command: list, cwd: str) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(
            f"particlepolicy: building the extension failed:\n  {shlex.join(command)}\n"
            f"{done.stderr}\nIt needs CPython's headers (Debian: python3-dev) and "
            "libparticlepolicy: install the library (make install) so that pkg-config "
            "finds it (set PKG_CONFIG_PATH for another prefix), or name it with "
            "--config-settings include-dir=DIR --config-settings library-dir=DIR.")


def build_extension(out_path: str, settings: dict, werror: bool = False) -> None:
    """Compile native/*.c into the extension module at out_path."""
    cflags, libs, rpath = _library(settings)
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC"))
    ldshared = shlex.split(sysconfig.get_config_var("LDSHARED"))
    if os.environ.get("CC"):            # the linker driver is the compiler
        ldshared = cc + ldshared[1:]
    flags = (shlex.split(sysconfig.get_config_var("CFLAGS") or "")
             + shlex.split(sysconfig.get_config_var("CCSHARED") or "")
             + shlex.split(os.environ.get("CFLAGS", ""))
             + WARNINGS + (["-Werror"] if werror else [])
             + ["-fvisibility=hidden", f"-ffile-prefix-map={ROOT}=.",
                f"-I{sysconfig.get_paths()['include']}"]
             + cflags)
    source_dir = os.path.join(ROOT, NATIVE)
    sources = sorted(os.path.basename(p) for p in glob.glob(os.path.join(source_dir, "*.c")))
    with tempfile.TemporaryDirectory() as tmp:
        objects = [os.path.join(tmp, s[:-2] + ".o") for s in sources]
        # Relative source names and -ffile-prefix-map keep the objects' debug
        # information the same from one build to the next, from any tree.
        with concurrent.futures.ThreadPoolExecutor(min(2, os.cpu_count() or 1)) as pool:
            for job in [pool.submit(_run, cc + flags + ["-c", s, "-o", o], source_dir)
                        for s, o in zip(sources, objects)]:
                job.result()
        os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
        _run(ldshared + objects + ["-o", os.path.abspath(out_path)] + libs
             + [f"-Wl,-rpath,{d}" for d in rpath], source_dir)


def _package_files() -> list:
    """Paths (relative to ROOT) of the package's Python files."""
    out = []
    for name in sorted(os.listdir(os.path.join(ROOT, PACKAGE))):
        if name.endswith((".py", ".pyi")) or name == "py.typed":
            out.append(f"{PACKAGE}/{name}")
    return out


def _native_files() -> list:
    return sorted(f"{NATIVE}/{name}" for name in os.listdir(os.path.join(ROOT, NATIVE))
                  if name.endswith((".c", ".h")))


def _read(path: str) -> bytes:
    """A file's bytes; a relative path is relative to ROOT."""
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def stage(directory: str, settings: dict, werror: bool = False) -> list:
    """The installed package under directory: its Python files and the
    compiled extension.  Returns their paths relative to directory."""
    shutil.rmtree(os.path.join(directory, PACKAGE), ignore_errors=True)   # stale files
    os.makedirs(os.path.join(directory, PACKAGE))
    for path in _package_files():
        shutil.copyfile(os.path.join(ROOT, path), os.path.join(directory, path))
    build_extension(os.path.join(directory, EXTENSION), settings, werror)
    return _package_files() + [EXTENSION]


def _staged(directory: str, settings: dict) -> bool:
    """Whether directory holds a stage newer than everything it is made of."""
    try:
        built = os.path.getmtime(os.path.join(directory, EXTENSION))
        staged = sorted(f"{PACKAGE}/{n}" for n in os.listdir(os.path.join(directory, PACKAGE)))
    except OSError:
        return False
    inputs = [os.path.abspath(__file__)] + _package_files() + _native_files()
    inputs += glob.glob(os.path.join(settings.get("include-dir", ""), "*.h"))
    inputs += glob.glob(os.path.join(settings.get("library-dir", ""), "libparticlepolicy.so*"))
    return (staged == sorted(_package_files() + [EXTENSION])
            and all(os.path.getmtime(os.path.join(ROOT, p)) < built for p in inputs))


# ---- archives ----

def _dist_info() -> dict:
    info = f"{_dist_name()}.dist-info"
    return {f"{info}/METADATA": _metadata().encode("utf-8"),
            f"{info}/LICENSE": _read(_license()),
            f"{info}/WHEEL": (f"Wheel-Version: 1.0\nGenerator: particlepolicy_build\n"
                              f"Root-Is-Purelib: false\nTag: {_tag()}\n").encode()}


def _wheel(wheel_directory: str, files: dict) -> str:
    """Write a wheel holding files (archive path -> bytes) and metadata."""
    info = f"{_dist_name()}.dist-info"
    files = {**files, **_dist_info()}
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")

    basename = f"{_dist_name()}-{_tag()}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, basename), "w",
                         zipfile.ZIP_DEFLATED) as whl:
        for path, data in files.items():
            entry = zipfile.ZipInfo(path, ZIP_TIME)
            entry.external_attr = (0o755 if path.endswith(".so") else 0o644) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            whl.writestr(entry, data)
    return basename


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with tempfile.TemporaryDirectory() as tmp:
        paths = stage(tmp, config_settings or {})
        files = {}
        for path in paths:
            files[path] = _read(os.path.join(tmp, path))
    return _wheel(wheel_directory, files)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # PEP 660: the extension is built beside the sources, and a .pth file
    # puts this tree on sys.path.
    build_extension(os.path.join(ROOT, EXTENSION), config_settings or {})
    return _wheel(wheel_directory, {f"{PACKAGE}_editable.pth":
                                    (ROOT + "\n").encode("utf-8")})


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    info = f"{_dist_name()}.dist-info"
    os.makedirs(os.path.join(metadata_directory, info), exist_ok=True)
    for path, data in _dist_info().items():
        with open(os.path.join(metadata_directory, path), "wb") as f:
            f.write(data)
    return info


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_sdist(sdist_directory, config_settings=None):
    dist = _dist_name()
    members = [("PKG-INFO", _metadata().encode("utf-8")), ("LICENSE", _read(_license()))]
    members += [(p, _read(p)) for p in ["pyproject.toml", _project()["readme"],
                                         "build_backend/particlepolicy_build.py"]
                + _package_files() + _native_files()]
    basename = f"{dist}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, basename), "w:gz",
                      format=tarfile.PAX_FORMAT) as tar:
        for path, data in members:
            entry = tarfile.TarInfo(f"{dist}/{path}")
            entry.size = len(data)
            entry.mode = 0o644
            tar.addfile(entry, io.BytesIO(data))
    return basename


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def main(argv: list) -> int:
    import fcntl
    parser = argparse.ArgumentParser(description="Stage the package for in-tree tests.")
    parser.add_argument("command", choices=["stage"])
    parser.add_argument("directory")
    parser.add_argument("--include-dir")
    parser.add_argument("--library-dir")
    parser.add_argument("--werror", action="store_true", help="warnings are errors")
    args = parser.parse_args(argv)
    settings = {k: os.path.abspath(v) for k, v in (("include-dir", args.include_dir),
                                                   ("library-dir", args.library_dir)) if v}
    os.makedirs(args.directory, exist_ok=True)
    # Tests run in parallel: one stages, the others find it done.
    with open(os.path.join(args.directory, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _staged(args.directory, settings):
            return 0
        try:
            stage(args.directory, settings, args.werror)
        except BuildError as exc:
            print(exc, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
