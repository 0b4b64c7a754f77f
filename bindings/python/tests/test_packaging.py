"""The package builds and installs with no network: the in-tree backend makes
a correct wheel, and pip installs it without an index."""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile

from support import HERE

PROJECT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(PROJECT, "build_backend"))
import particlepolicy_build  # noqa: E402  (the backend under test)

MODULES = ["__init__.py", "_audit.py", "_authorize.py", "_device.py", "_errors.py", "_handle.py", "_native.py",
           "_policy.py", "_results.py", "_team.py", "_vocabulary.py",
           "_vocabulary.pyi", "py.typed"]


class TestPackaging(unittest.TestCase):

    def test_wheel_holds_the_package_typed_with_a_valid_record(self):
        with tempfile.TemporaryDirectory() as out:
            name = particlepolicy_build.build_wheel(out)
            self.assertEqual(name, "particlepolicy-0.1.0-py3-none-any.whl")
            with zipfile.ZipFile(os.path.join(out, name)) as whl:
                names = whl.namelist()
                self.assertEqual(sorted(n.split("/", 1)[1] for n in names
                                        if n.startswith("particlepolicy/")),
                                 sorted(MODULES))
                info = "particlepolicy-0.1.0.dist-info/"
                metadata = whl.read(info + "METADATA").decode()
                self.assertIn("Name: particlepolicy\nVersion: 0.1.0\n", metadata)
                self.assertIn("Requires-Python: >=3.9", metadata)
                self.assertIn("Tag: py3-none-any", whl.read(info + "WHEEL").decode())
                rows = list(csv.reader(io.StringIO(whl.read(info + "RECORD").decode())))
                self.assertEqual(sorted(r[0] for r in rows), sorted(names))
                for path, digest, size in rows:
                    if path == info + "RECORD":
                        continue
                    data = whl.read(path)
                    want = base64.urlsafe_b64encode(
                        hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    self.assertEqual((digest, int(size)), (f"sha256={want}", len(data)))

    def test_wheel_build_is_reproducible(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            wa = os.path.join(a, particlepolicy_build.build_wheel(a))
            wb = os.path.join(b, particlepolicy_build.build_wheel(b))
            with open(wa, "rb") as fa, open(wb, "rb") as fb:
                self.assertEqual(fa.read(), fb.read())

    def test_sdist_holds_what_a_rebuild_needs(self):
        with tempfile.TemporaryDirectory() as out:
            name = particlepolicy_build.build_sdist(out)
            with tarfile.open(os.path.join(out, name)) as tar:
                names = tar.getnames()
        for needed in ("PKG-INFO", "pyproject.toml", "README.md",
                       "build_backend/particlepolicy_build.py",
                       "particlepolicy/py.typed", "particlepolicy/_policy.py"):
            self.assertIn(f"particlepolicy-0.1.0/{needed}", names)

    def test_backend_needs_nothing_to_build(self):
        self.assertEqual(particlepolicy_build.get_requires_for_build_wheel(), [])
        self.assertEqual(particlepolicy_build.get_requires_for_build_sdist(), [])

    def test_pip_installs_it_without_an_index_and_it_works_from_there(self):
        if subprocess.run([sys.executable, "-m", "pip", "--version"],
                          capture_output=True).returncode != 0:
            self.skipTest(f"pip is not installed for {sys.executable}")
        with tempfile.TemporaryDirectory() as target:
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            env["PIP_NO_INDEX"] = "1"          # prove nothing is downloaded
            done = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--no-index",
                 "--target", target, PROJECT],
                env=env, capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)
            env["PYTHONPATH"] = target
            probe = ("import particlepolicy as pp; print(pp.__file__); "
                     "print(pp.Policy.from_yaml('version: 1').fingerprint > 0)")
            ran = subprocess.run([sys.executable, "-c", probe], env=env, cwd=target,
                                 capture_output=True, text=True)
            self.assertEqual(ran.returncode, 0, ran.stderr)
            where, works = ran.stdout.split()
            self.assertTrue(where.startswith(target), where)
            self.assertEqual(works, "True")


if __name__ == "__main__":
    unittest.main()
