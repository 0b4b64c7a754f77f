"""The ctypes layer mirrors include/particlepolicy.h exactly."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import particlepolicy
from particlepolicy import _native

from support import HEADER, HERE, TOP_SRCDIR, read_text


def header_functions() -> dict:
    """name -> number of parameters, for every PP_API function of the header."""
    text = re.sub(r"/\*.*?\*/", "", read_text(HEADER), flags=re.S)
    out = {}
    for m in re.finditer(r"PP_API[^;(]*?\b(pp_\w+)\s*\(([^)]*)\)\s*;", text):
        params = m.group(2).strip()
        out[m.group(1)] = 0 if params == "void" else params.count(",") + 1
    return out


class TestDeclarations(unittest.TestCase):

    def test_every_header_function_has_declared_types(self):
        functions = header_functions()
        self.assertGreaterEqual(len(functions), 57)
        for name in ("pp_authorize", "pp_audit", "pp_finding_from_name"):
            self.assertIn(name, functions)
        self.assertEqual(sorted(functions), sorted(_native.SIGNATURES))
        for name, nparams in functions.items():
            fn = getattr(_native.lib, name)
            with self.subTest(function=name):
                self.assertIsNotNone(fn.argtypes)
                self.assertEqual(len(fn.argtypes), nparams)
                self.assertEqual(fn.restype, _native.SIGNATURES[name][0])

    def test_library_version_matches_the_header(self):
        header = read_text(HEADER)
        parts = [re.search(rf"#define PP_VERSION_{p} (\d+)", header).group(1)
                 for p in ("MAJOR", "MINOR", "PATCH")]
        self.assertEqual(particlepolicy.library_version, ".".join(parts))
        self.assertEqual(int(parts[0]), _native.VERSION_MAJOR)

    def test_library_path_comes_from_the_environment_when_set(self):
        explicit = os.environ.get("PARTICLEPOLICY_LIBRARY")
        if not explicit:
            self.skipTest("PARTICLEPOLICY_LIBRARY is not set")
        self.assertEqual(_native.path, explicit)


def compiler():
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        raise unittest.SkipTest("no C compiler")
    return cc.split()


def import_with(env_changes: dict) -> subprocess.CompletedProcess:
    """Import the package in a fresh interpreter with a changed environment."""
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    probe = "import particlepolicy, particlepolicy._native as n; print(n.path)"
    return subprocess.run([sys.executable, "-c", probe], env=env,
                          capture_output=True, text=True)


class TestLoading(unittest.TestCase):
    """Where the library comes from, and libraries the binding refuses."""

    def test_without_the_variable_the_system_search_finds_the_library(self):
        lib = os.environ.get("PARTICLEPOLICY_LIBRARY")
        if not lib:
            self.skipTest("PARTICLEPOLICY_LIBRARY is not set")
        libdir = os.path.dirname(lib)
        done = import_with({"PARTICLEPOLICY_LIBRARY": None,
                            "LD_LIBRARY_PATH": libdir + os.pathsep
                            + os.environ.get("LD_LIBRARY_PATH", "")})
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("particlepolicy", done.stdout)

    def test_a_missing_library_fails_the_import_with_advice(self):
        done = import_with({"PARTICLEPOLICY_LIBRARY": "/nonexistent/libparticlepolicy.so"})
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("ImportError: particlepolicy: cannot load the C library", done.stderr)
        self.assertIn("PARTICLEPOLICY_LIBRARY", done.stderr)

    def test_another_library_fails_the_import(self):
        libc = ctypes.util.find_library("c")
        if not libc:
            self.skipTest("no libc to load")
        done = import_with({"PARTICLEPOLICY_LIBRARY": libc})
        self.assertNotEqual(done.returncode, 0)
        self.assertRegex(done.stderr, r"ImportError: particlepolicy: .* has no pp_")

    def test_a_library_of_another_major_version_fails_the_import(self):
        # A stand-in library with every function, claiming version 1.0.0.
        source = "".join(f"int {name}(void) {{ return 0; }}\n" for name in _native.SIGNATURES
                         if name not in ("pp_version_number", "pp_version_string"))
        source += ('unsigned pp_version_number(void) { return 10000; }\n'
                   'const char *pp_version_string(void) { return "1.0.0"; }\n')
        with tempfile.TemporaryDirectory() as tmp:
            src, lib = os.path.join(tmp, "stub.c"), os.path.join(tmp, "libstub.so")
            with open(src, "w") as f:
                f.write(source)
            subprocess.run(compiler() + ["-shared", "-fPIC", "-o", lib, src], check=True)
            done = import_with({"PARTICLEPOLICY_LIBRARY": lib})
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("is version 1.0.0, this binding needs 0.x from 0.1.0 on", done.stderr)


class TestLayout(unittest.TestCase):
    """Sizes and offsets of the ctypes structures equal the C compiler's."""

    @classmethod
    def setUpClass(cls):
        with tempfile.TemporaryDirectory() as tmp:
            exe = os.path.join(tmp, "layout")
            subprocess.run(compiler() + ["-I", os.path.join(TOP_SRCDIR, "include"),
                                         "-o", exe, os.path.join(HERE, "layout.c")],
                           check=True)
            lines = subprocess.run([exe], check=True, capture_output=True,
                                   text=True).stdout.splitlines()
        cls.c = {k: int(v) for k, v in (line.split() for line in lines)}

    STRUCTS = {
        "pp_error": _native.Error, "pp_allocator": _native.Allocator,
        "pp_load_options": _native.LoadOptions, "pp_product_info": _native.ProductInfo,
        "pp_platform_info": _native.PlatformInfo, "pp_sku_info": _native.SkuInfo,
        "pp_device": _native.Device, "pp_decision": _native.Decision,
        "pp_model": _native.Model, "pp_verdict": _native.Verdict,
        "pp_actor": _native.Actor, "pp_authorization": _native.Authorization,
        "pp_finding": _native.Finding, "pp_integration_record": _native.IntegrationRecord,
        "pp_token_record": _native.TokenRecord, "pp_sim_record": _native.SimRecord,
        "pp_audit_input": _native.AuditInput,
    }

    def test_structure_sizes_and_field_offsets_match_the_c_compiler(self):
        checked = 0
        for cname, struct in self.STRUCTS.items():
            with self.subTest(struct=cname):
                self.assertEqual(ctypes.sizeof(struct), self.c[cname])
                c_fields = sorted(k.split(".", 1)[1] for k in self.c
                                  if k.startswith(cname + "."))
                self.assertEqual(c_fields, sorted(f[0] for f in struct._fields_))
                for field, _ in struct._fields_:
                    self.assertEqual(getattr(struct, field).offset,
                                     self.c[f"{cname}.{field}"], field)
                    checked += 1
        self.assertGreater(checked, 90)

    def test_copied_constants_match_the_header(self):
        self.assertEqual(_native.ERROR_MESSAGE_SIZE, self.c["PP_ERROR_MESSAGE_SIZE"])
        self.assertEqual(_native.FINDING_MESSAGE_SIZE, self.c["PP_FINDING_MESSAGE_SIZE"])
        self.assertEqual(_native.LOAD_OPTIONS_VERSION, self.c["PP_LOAD_OPTIONS_VERSION"])
        self.assertEqual(_native.PLATFORM_UNSPECIFIED, self.c["PP_PLATFORM_UNSPECIFIED"])
        self.assertEqual(_native.VERSION_MAJOR, self.c["PP_VERSION_MAJOR"])


if __name__ == "__main__":
    unittest.main()
