"""Sources: sidecars validated, hashes verified (also through symlinks), documents fetched from a
mirror or a URL and never accepted with other bytes."""

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
from paths import REFERENCE

from cnbudget.cli import main
from cnbudget.errors import IntegrityError, SourceError
from cnbudget.sources import load_source, sha256_of
from cnbudget.sources.fetch import fetch_all, fetch_one


def _register(folder: Path, data: bytes, **extra) -> Path:
    """A sidecar for ``data`` under ``folder``; returns the path the document belongs at."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "budget.pdf"
    sidecar = {"title": "test", "year": 2019, "sha256": sha256_of(data), **extra}
    (folder / "budget.pdf.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return target


@pytest.fixture
def mirror(tmp_path) -> tuple[Path, bytes]:
    data = b"%PDF-1.4\n% a stand-in for a published document\n"
    folder = tmp_path / "mirror" / "jiangsu"
    folder.mkdir(parents=True)
    (folder / "doc.pdf").write_bytes(data)
    return tmp_path / "mirror", data


def test_fetch_copies_from_the_mirror_and_verifies(tmp_path, mirror):
    root, data = mirror
    target = _register(tmp_path / "raw" / "jiangsu" / "2019" / "x", data, mirror="jiangsu/doc.pdf")
    result = fetch_one(target, root)
    assert (result.status, target.read_bytes()) == ("copied", data)
    assert target.stat().st_mode & 0o222 == 0  # fetched raw files are read-only
    assert fetch_one(target, root).status == "present"  # a second run verifies, copies nothing


def test_fetch_refuses_other_bytes_in_the_mirror(tmp_path, mirror):
    root, data = mirror
    target = _register(tmp_path / "raw" / "x", data, mirror="jiangsu/doc.pdf")
    (root / "jiangsu" / "doc.pdf").write_bytes(data + b"changed")
    with pytest.raises(IntegrityError) as err:
        fetch_one(target, root)
    expected, actual = sha256_of(data), sha256_of(data + b"changed")
    assert f"expected {expected}, actual {actual}" in str(err.value)
    assert not target.exists() and not list(target.parent.glob(".budget.pdf.*"))  # nothing half-written


def test_fetch_refuses_a_changed_file_in_place(tmp_path, mirror):
    root, data = mirror
    target = _register(tmp_path / "raw" / "x", data, mirror="jiangsu/doc.pdf")
    target.write_bytes(data + b"edited")
    with pytest.raises(IntegrityError, match=f"expected {sha256_of(data)}, actual {sha256_of(data + b'edited')}"):
        fetch_one(target, root)
    assert target.read_bytes() == data + b"edited"  # never overwritten


def test_unavailable_document_is_named_and_the_exit_code_says_so(tmp_path, capsys):
    target = _register(tmp_path / "raw" / "x", b"%PDF-1.4\n")
    assert fetch_one(target, None).status == "unavailable"
    assert main(["fetch", str(tmp_path / "raw"), "--from", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"unavailable  {target}  (not in the mirror {tmp_path} and the sidecar records no url)" in err
    assert "0 of 1 documents in place; 1 unavailable" in err


@pytest.fixture
def http_server(tmp_path):
    """A web server on 127.0.0.1 serving ``tmp_path/www``."""
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield www, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_downloads_from_the_url_and_verifies(tmp_path, http_server):
    www, base = http_server
    data = b"%PDF-1.4\n% served\n"
    (www / "doc.pdf").write_bytes(data)
    target = _register(tmp_path / "raw" / "a", data, url=f"{base}/doc.pdf")
    results = fetch_all(tmp_path / "raw", None, say=lambda _line: None)
    assert [r.status for r in results] == ["downloaded"] and target.read_bytes() == data
    (www / "other.pdf").write_bytes(data + b"tampered")
    other = _register(tmp_path / "raw2" / "b", data, url=f"{base}/other.pdf")
    with pytest.raises(IntegrityError, match=r"sha256 mismatch \(download from http://127.0.0.1"):
        fetch_one(other, None)
    assert not other.exists()


def test_sidecar_is_validated(tmp_path):
    doc = tmp_path / "budget.txt"
    shutil.copyfile(REFERENCE, doc)
    side = tmp_path / "budget.txt.meta.json"
    for content, message in (
        ("[]", "a sidecar must be a JSON object, found list"),
        ('{"title": "x"}', "sha256: Field required"),
        (json.dumps({"sha256": sha256_of(doc.read_bytes()), "yaer": 2024}), "yaer: Extra inputs are not permitted"),
    ):
        side.write_text(content, encoding="utf-8")
        with pytest.raises(SourceError) as err:
            load_source(doc)
        assert str(err.value) == f"{side}: {message}"


def test_hash_is_checked_through_a_symlink(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    doc = folder / "budget.txt"
    doc.write_bytes(REFERENCE.read_bytes())
    (folder / "budget.txt.meta.json").write_text(json.dumps({"sha256": sha256_of(doc.read_bytes())}), encoding="utf-8")
    link = tmp_path / "elsewhere.txt"
    link.symlink_to(doc)
    assert load_source(link).registered
    doc.write_bytes(doc.read_bytes().replace(b"5,306.52", b"5,306.53", 1))
    with pytest.raises(IntegrityError, match="sha256 mismatch"):
        load_source(link)


def test_registered_but_not_fetched(tmp_path):
    target = _register(tmp_path / "raw", b"%PDF-1.4\n")
    with pytest.raises(SourceError) as err:
        load_source(target)
    assert (
        str(err.value)
        == f"{target}: registered but not fetched (its sidecar is there): run `cnbudget fetch` (make data)"
    )
