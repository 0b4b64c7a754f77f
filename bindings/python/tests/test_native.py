"""The extension module: it calls the header's functions, checks the
library's version, and finds the library with no environment variable."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import particlepolicy
from particlepolicy import _native

from support import HEADER, TOP_BUILDDIR, TOP_SRCDIR, read_text

# Header functions the binding has no use for, and why.
NOT_BOUND = {
    "pp_policy_product": "products are read in full by position (pp_policy_product_at)",
    "pp_outcome_from_name": "the enums look names up themselves",
    "pp_reason_from_name": "the enums look names up themselves",
    "pp_role_from_name": "the enums look names up themselves",
    "pp_action_from_name": "the enums look names up themselves",
    "pp_authz_reason_from_name": "the enums look names up themselves",
    "pp_finding_from_name": "the enums look names up themselves",
    "pp_effect_from_name": "the enums look names up themselves",
    "pp_operation_from_name": "the enums look names up themselves",
    "pp_refusal_from_name": "the enums look names up themselves",
}

LIBRARY_DIR = os.path.join(TOP_BUILDDIR, ".libs")


def header_functions() -> dict:
    """name -> number of parameters, for every PP_API function of the header."""
    text = re.sub(r"/\*.*?\*/", "", read_text(HEADER), flags=re.S)
    out = {}
    for m in re.finditer(r"PP_API[^;(]*?\b(pp_\w+)\s*\(([^)]*)\)\s*;", text):
        params = m.group(2).strip()
        out[m.group(1)] = 0 if params == "void" else params.count(",") + 1
    return out


def compiler():
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        raise unittest.SkipTest("no C compiler")
    return cc.split()


def import_with(env_changes: dict, path: str = "") -> subprocess.CompletedProcess:
    """Import the package in a fresh interpreter with a changed environment
    (and another package directory first on sys.path, when given)."""
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    if path:
        env["PYTHONPATH"] = path + os.pathsep + env.get("PYTHONPATH", "")
    for key, value in env_changes.items():
        env[key] = value
    probe = "import particlepolicy as pp; print(pp.library_path); print(pp.__file__)"
    return subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True)


def stub_library(directory: str, version: int, version_string: str,
                 leave_out: tuple = ()) -> None:
    """A stand-in libparticlepolicy.so.0 with every header function (but
    those left out), each returning 0, claiming the version given.  It
    carries the real library's symbol versions (lib/particlepolicy.map): the
    extension asks for pp_* at PARTICLEPOLICY_0, which an unversioned
    library cannot answer."""
    source = "".join(f"int {name}(void) {{ return 0; }}\n" for name in header_functions()
                     if name not in ("pp_version_number", "pp_version_string") + leave_out)
    source += (f"unsigned pp_version_number(void) {{ return {version}; }}\n"
               f"const char *pp_version_string(void) {{ return \"{version_string}\"; }}\n")
    src = os.path.join(directory, "stub.c")
    with open(src, "w") as f:
        f.write(source)
    version_script = os.path.join(TOP_SRCDIR, "lib", "particlepolicy.map")
    subprocess.run(compiler() + ["-shared", "-fPIC", "-Wl,--version-script=" + version_script,
                                 "-o", os.path.join(directory, "libparticlepolicy.so.0"), src],
                   check=True)


class TestBinding(unittest.TestCase):

    def test_every_header_function_is_called_by_the_extension(self):
        functions = header_functions()
        self.assertGreaterEqual(len(functions), 57)
        for name in ("pp_authorize", "pp_audit", "pp_decide_many", "pp_policy_retain"):
            self.assertIn(name, functions)
        nm = shutil.which("nm")
        if not nm:
            self.skipTest("nm (binutils) is not installed")
        listed = subprocess.run([nm, "-D", "--undefined-only", _native.__file__],
                                check=True, capture_output=True, text=True).stdout
        called = set(re.findall(r"\b(pp_\w+)\b", listed))
        self.assertEqual(sorted(called), sorted(set(functions) - set(NOT_BOUND)),
                         "bind a new header function in its area's native/*.c file, "
                         "or list it in NOT_BOUND with the reason")
        self.assertLessEqual(set(NOT_BOUND), set(functions))

    def test_library_version_matches_the_header(self):
        header = read_text(HEADER)
        parts = [re.search(rf"#define PP_VERSION_{p} (\d+)", header).group(1)
                 for p in ("MAJOR", "MINOR", "PATCH")]
        self.assertEqual(particlepolicy.library_version, ".".join(parts))
        self.assertEqual(_native.header_version, ".".join(parts))


class TestLoading(unittest.TestCase):
    """Where the library comes from, and libraries the binding refuses."""

    def test_the_recorded_library_is_found_without_environment_variables(self):
        done = import_with({})
        self.assertEqual(done.returncode, 0, done.stderr)
        path, _ = done.stdout.split("\n", 1)
        self.assertEqual(os.path.realpath(path),
                         os.path.realpath(os.path.join(LIBRARY_DIR, "libparticlepolicy.so.0")))
        self.assertEqual(os.path.realpath(particlepolicy.library_path), os.path.realpath(path))

    def test_ld_library_path_overrides_the_recorded_place(self):
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(os.path.join(LIBRARY_DIR, "libparticlepolicy.so.0"), tmp)
            done = import_with({"LD_LIBRARY_PATH": tmp})
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.split("\n")[0],
                         os.path.join(tmp, "libparticlepolicy.so.0"))

    def test_a_missing_library_fails_the_import_with_advice(self):
        # A package built against a copy of the library, then the copy removed.
        sys.path.insert(0, os.path.join(TOP_SRCDIR, "bindings", "python", "build_backend"))
        try:
            import particlepolicy_build
        finally:
            sys.path.pop(0)
        with tempfile.TemporaryDirectory() as tmp:
            libdir = os.path.join(tmp, "lib")
            os.mkdir(libdir)
            for name in ("libparticlepolicy.so", "libparticlepolicy.so.0"):
                shutil.copy(os.path.join(LIBRARY_DIR, name), libdir)
            particlepolicy_build.stage(os.path.join(tmp, "stage"),
                                       {"include-dir": os.path.join(TOP_SRCDIR, "include"),
                                        "library-dir": libdir})
            shutil.rmtree(libdir)
            done = import_with({}, os.path.join(tmp, "stage"))
        if done.returncode == 0:
            self.skipTest(f"an installed library answers: {done.stdout.split()[0]}")
        self.assertIn("ImportError: particlepolicy: cannot load the C library: "
                      "libparticlepolicy.so.0: cannot open shared object file", done.stderr)
        self.assertIn("make install", done.stderr)

    def test_a_library_without_a_function_fails_the_import_with_advice(self):
        with tempfile.TemporaryDirectory() as tmp:
            stub_library(tmp, 100, "0.1.0", leave_out=("pp_audit",))
            done = import_with({"LD_LIBRARY_PATH": tmp})
        self.assertNotEqual(done.returncode, 0)
        self.assertRegex(done.stderr, r"ImportError: particlepolicy: cannot load the C "
                         r"library: .*undefined symbol: pp_audit")

    def test_a_library_of_another_major_version_fails_the_import(self):
        with tempfile.TemporaryDirectory() as tmp:
            stub_library(tmp, 10000, "1.0.0")
            done = import_with({"LD_LIBRARY_PATH": tmp})
        self.assertNotEqual(done.returncode, 0)
        self.assertIn(f"ImportError: particlepolicy: {tmp}/libparticlepolicy.so.0 is version "
                      "1.0.0, this binding needs 0.x from 0.1.0 on", done.stderr)

    def test_a_library_older_than_the_header_fails_the_import(self):
        with tempfile.TemporaryDirectory() as tmp:
            stub_library(tmp, 99, "0.0.99")
            done = import_with({"LD_LIBRARY_PATH": tmp})
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("is version 0.0.99, this binding needs 0.x from 0.1.0 on", done.stderr)


if __name__ == "__main__":
    unittest.main()
