"""A PEP 517 / PEP 660 build backend in the standard library only.

The package is pure Python (the C library is loaded at run time), so a wheel
is just its files plus metadata.  Building it here rather than with setuptools
means an isolated `pip install bindings/python` needs nothing from an index,
which keeps installation working with no network.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "particlepolicy"
# Fixed timestamps make the archives reproducible.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _project() -> dict:
    """The [project] table of pyproject.toml (string values only)."""
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        data = f.read().decode("utf-8")
    try:
        import tomllib
        return tomllib.loads(data)["project"]
    except ImportError:     # Python < 3.11: the table holds plain strings only
        project, section = {}, None
        for line in data.splitlines():
            header = re.match(r"\s*\[([^\]]+)\]", line)
            if header:
                section = header.group(1).strip()
                continue
            pair = re.match(r'\s*([A-Za-z0-9_-]+)\s*=\s*"([^"]*)"', line)
            if section == "project" and pair:
                project[pair.group(1)] = pair.group(2)
        return project


def _metadata() -> str:
    p = _project()
    with open(os.path.join(ROOT, p["readme"]), encoding="utf-8") as f:
        readme = f.read()
    return (f"Metadata-Version: 2.1\nName: {p['name']}\nVersion: {p['version']}\n"
            f"Summary: {p['description']}\nRequires-Python: {p['requires-python']}\n"
            f"Description-Content-Type: text/markdown\n\n{readme}")


def _dist_name() -> str:
    p = _project()
    return f"{p['name']}-{p['version']}"


def _package_files() -> list:
    """Paths (relative to ROOT) of the files that make up the package."""
    out = []
    for name in sorted(os.listdir(os.path.join(ROOT, PACKAGE))):
        if name.endswith((".py", ".pyi")) or name == "py.typed":
            out.append(f"{PACKAGE}/{name}")
    return out


def _wheel(wheel_directory: str, files: dict) -> str:
    """Write a py3-none-any wheel holding files (archive path -> bytes)."""
    dist = _dist_name()
    info = f"{dist}.dist-info"
    files = dict(files)
    files[f"{info}/METADATA"] = _metadata().encode("utf-8")
    files[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: particlepolicy_build\n"
                              b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")

    basename = f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, basename), "w",
                         zipfile.ZIP_DEFLATED) as whl:
        for path, data in files.items():
            entry = zipfile.ZipInfo(path, ZIP_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            whl.writestr(entry, data)
    return basename


def _read(path: str) -> bytes:
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, {path: _read(path) for path in _package_files()})


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # PEP 660: a .pth file puts this source tree on sys.path.
    return _wheel(wheel_directory, {f"{PACKAGE}_editable.pth":
                                    (ROOT + "\n").encode("utf-8")})


def build_sdist(sdist_directory, config_settings=None):
    dist = _dist_name()
    paths = ["pyproject.toml", _project()["readme"],
             "build_backend/particlepolicy_build.py"] + _package_files()
    basename = f"{dist}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, basename), "w:gz",
                      format=tarfile.PAX_FORMAT) as tar:
        for path, data in [("PKG-INFO", _metadata().encode("utf-8"))] + \
                [(p, _read(p)) for p in paths]:
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
