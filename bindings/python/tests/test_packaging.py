"""The package builds and installs with no network: the in-tree backend
compiles the extension and makes a correct, reproducible wheel with complete
metadata; its sdist rebuilds; and pip installs it offline into a fresh venv,
where it finds the library with no environment variable."""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import unittest
import zipfile

from support import HERE, TOP_BUILDDIR, TOP_SRCDIR

PROJECT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(PROJECT, "build_backend"))
import particlepolicy_build  # noqa: E402  (the backend under test)

MODULES = ["__init__.py", "_audit.py", "_authorize.py", "_device.py", "_diff.py", "_errors.py",
           "_lifecycle.py",
           "_policy.py", "_results.py", "_team.py", "_vocabulary.py",
           "_vocabulary.pyi", "py.typed", "_native" + sysconfig.get_config_var("EXT_SUFFIX")]
LIBRARY_DIR = os.path.join(TOP_BUILDDIR, ".libs")
# The library this tree built, as a --config-settings build names it.
SETTINGS = {"include-dir": os.path.join(TOP_SRCDIR, "include"), "library-dir": LIBRARY_DIR}
LICENSE = os.path.join(TOP_SRCDIR, "LICENSE")


def clean_env(**changes: str) -> dict:
    """The environment without anything that points at the package or the
    library, and with pip kept off any index."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "LD_LIBRARY_PATH", "PKG_CONFIG_PATH")}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", **changes)
    return env


class TestBackend(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.TemporaryDirectory()
        cls.wheel = os.path.join(cls.out.name, particlepolicy_build.build_wheel(cls.out.name,
                                                                              SETTINGS))

    @classmethod
    def tearDownClass(cls):
        cls.out.cleanup()

    def test_wheel_holds_the_package_with_complete_metadata_and_a_valid_record(self):
        name = os.path.basename(self.wheel)
        self.assertEqual(name, f"particlepolicy-0.1.0-{particlepolicy_build._tag()}.whl")
        self.assertTrue(name.startswith(f"particlepolicy-0.1.0-cp{sys.version_info.major}"))
        with zipfile.ZipFile(self.wheel) as whl:
            names = whl.namelist()
            self.assertEqual(sorted(n.split("/", 1)[1] for n in names
                                    if n.startswith("particlepolicy/")),
                             sorted(MODULES))
            info = "particlepolicy-0.1.0.dist-info/"
            metadata = whl.read(info + "METADATA").decode()
            for line in ("Name: particlepolicy\nVersion: 0.1.0\n", "License: Apache-2.0\n",
                         "Requires-Python: >=3.9\n",
                         "Author-email: libparticlepolicy maintainers <",
                         "Classifier: License :: OSI Approved :: Apache Software License\n",
                         "Project-URL: Source, ", "Project-URL: Documentation, ",
                         "Summary: Python binding of libparticlepolicy"):
                self.assertIn(line, metadata)
            with open(LICENSE, "rb") as f:
                self.assertEqual(whl.read(info + "LICENSE"), f.read())
            wheel = whl.read(info + "WHEEL").decode()
            self.assertIn("Root-Is-Purelib: false\n", wheel)
            self.assertIn(f"Tag: {particlepolicy_build._tag()}\n", wheel)
            rows = list(csv.reader(io.StringIO(whl.read(info + "RECORD").decode())))
            self.assertEqual(sorted(r[0] for r in rows), sorted(names))
            for path, digest, size in rows:
                if path == info + "RECORD":
                    continue
                data = whl.read(path)
                want = base64.urlsafe_b64encode(
                    hashlib.sha256(data).digest()).rstrip(b"=").decode()
                self.assertEqual((digest, int(size)), (f"sha256={want}", len(data)))

    def test_sdist_holds_what_a_rebuild_needs_and_rebuilds_the_same_wheel(self):
        with tempfile.TemporaryDirectory() as out:
            name = particlepolicy_build.build_sdist(out)
            with tarfile.open(os.path.join(out, name)) as tar:
                names = tar.getnames()
                tar.extractall(out)
            for needed in ("PKG-INFO", "LICENSE", "pyproject.toml", "README.md",
                           "build_backend/particlepolicy_build.py", "particlepolicy/py.typed",
                           "particlepolicy/_policy.py", "native/native.h", "native/decide.c"):
                self.assertIn(f"particlepolicy-0.1.0/{needed}", names)
            # The sdist's own backend, from another directory, builds the
            # same wheel byte for byte: the build is reproducible.
            root = os.path.join(out, "particlepolicy-0.1.0")
            probe = ("import sys, particlepolicy_build as b; "
                     f"print(b.build_wheel(sys.argv[1], {SETTINGS!r}))")
            done = subprocess.run([sys.executable, "-c", probe, out],
                                  cwd=os.path.join(root, "build_backend"),
                                  capture_output=True, text=True, env=clean_env())
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(os.path.join(out, done.stdout.strip()), "rb") as a, \
                    open(self.wheel, "rb") as b:
                self.assertEqual(a.read(), b.read())

    def test_backend_needs_nothing_to_build(self):
        self.assertEqual(particlepolicy_build.get_requires_for_build_wheel(), [])
        self.assertEqual(particlepolicy_build.get_requires_for_build_sdist(), [])
        self.assertEqual(particlepolicy_build.get_requires_for_build_editable(), [])

    def test_metadata_reads_the_same_without_tomllib(self):
        try:
            import tomllib
        except ImportError:
            self.skipTest("no tomllib (Python < 3.11) to compare with")
        with open(os.path.join(PROJECT, "pyproject.toml"), "rb") as f:
            data = f.read()
        self.assertEqual(particlepolicy_build._toml_project(data.decode()),
                         tomllib.loads(data.decode())["project"])

    def test_a_build_without_the_library_says_what_to_do(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(particlepolicy_build.BuildError) as caught:
                particlepolicy_build.build_extension(
                    os.path.join(tmp, "x.so"), {"include-dir": tmp, "library-dir": tmp})
        self.assertIn("particlepolicy.h", str(caught.exception))
        self.assertIn("make install", str(caught.exception))
        self.assertIn("PKG_CONFIG_PATH", str(caught.exception))


class TestPipInstall(unittest.TestCase):

    def test_pip_installs_it_offline_in_a_fresh_venv_and_it_finds_the_library(self):
        try:
            import ensurepip  # noqa: F401  (a venv gets pip from it, offline)
            import venv  # noqa: F401
        except ImportError as exc:
            self.skipTest(f"no venv with pip for {sys.executable}: {exc} (Debian: python3-venv)")
        with tempfile.TemporaryDirectory() as tmp:
            env_dir = os.path.join(tmp, "venv")
            made = subprocess.run([sys.executable, "-m", "venv", env_dir], env=clean_env(),
                                  capture_output=True, text=True)
            self.assertEqual(made.returncode, 0, made.stderr)
            python = os.path.join(env_dir, "bin", "python")
            install = [python, "-m", "pip", "install", "--quiet", "--no-index", PROJECT]
            if shutil.which("pkg-config"):
                # A .pc file for this build tree: the backend asks pkg-config,
                # as it would for an installed library.
                with open(os.path.join(tmp, "particlepolicy.pc"), "w") as f:
                    f.write(f"libdir={LIBRARY_DIR}\nincludedir={SETTINGS['include-dir']}\n"
                            "Name: particlepolicy\nDescription: test\nVersion: 0.1.0\n"
                            "Libs: -L${libdir} -lparticlepolicy\nCflags: -I${includedir}\n")
                env = clean_env(PKG_CONFIG_PATH=tmp)
            else:
                install += [f"--config-settings={k}={v}" for k, v in SETTINGS.items()]
                env = clean_env()
            done = subprocess.run(install, env=env, capture_output=True, text=True, cwd=tmp)
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
            probe = ("import particlepolicy as pp; print(pp.__file__); print(pp.library_path); "
                     "p = pp.Policy.from_yaml('version: 1'); print(p.fingerprint > 0)")
            ran = subprocess.run([python, "-c", probe], env=clean_env(), cwd=tmp,
                                 capture_output=True, text=True)
            self.assertEqual(ran.returncode, 0, ran.stderr)
            where, library, works = ran.stdout.split()
            self.assertTrue(where.startswith(env_dir), where)
            self.assertEqual(os.path.realpath(library),
                             os.path.realpath(os.path.join(LIBRARY_DIR, "libparticlepolicy.so.0")))
            self.assertEqual(works, "True")


if __name__ == "__main__":
    unittest.main()
