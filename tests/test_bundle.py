"""OPA bundles (aidf.bundle, aidf.cli_bundle): reproducible archives, OPA's signature format checked
against OPA's own test vectors, refusal of anything tampered or unsafe, and the same decisions from
a bundle as from the policy tree it was built from, on both engines."""
from __future__ import annotations

import base64
import copy
import gzip
import datetime
import hashlib
import hmac
import io
import json
import os
import pathlib
import re
import subprocess
import sys
import tarfile
import warnings

import jwt
import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

import aidf
from aidf import bundle, engines, policy_set
from aidf.cli_bundle import bundle as bundle_cli

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = "2025-06-01"


# --- helpers ---------------------------------------------------------------------------------------


def tar_gz(files: dict, extra: tuple = ()) -> bytes:
    """A gzipped tar of `files` (name -> bytes), plus raw TarInfo members (links and such)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
        for info in extra:
            tar.addfile(info)
    return gzip.compress(raw.getvalue())


def members(blob: bytes) -> dict:
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def token_of(files: dict) -> str:
    return json.loads(files[bundle.SIGNATURES])["signatures"][0]


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def hs256_signed(files: dict, secret: bytes) -> bytes:
    """`files` signed as bundle.build signs them, but with HS256 over any secret at all (a PEM or DER
    key included, which bundle.build and PyJWT refuse): what an attacker holding a public key can forge."""
    files = {name: content for name, content in files.items() if name != bundle.SIGNATURES}
    payload = {"files": [{"name": name, "hash": bundle.file_hash(name, files[name]), "algorithm": "SHA-256"}
                         for name in sorted(files)], "keyid": "default"}
    signing_input = f"{b64({'alg': 'HS256', 'kid': 'default', 'typ': 'JWT'})}.{b64(payload)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    return tar_gz({**files, bundle.SIGNATURES: json.dumps({"signatures": [token]}).encode()})


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """Keys made here with cryptography, written to files as a user would keep them."""
    folder = tmp_path_factory.mktemp("keys")
    made = {}
    for name, private in (("rsa", rsa.generate_private_key(public_exponent=65537, key_size=2048)),
                          ("rsa_other", rsa.generate_private_key(public_exponent=65537, key_size=2048)),
                          ("ec", ec.generate_private_key(ec.SECP256R1())),
                          ("ec_other", ec.generate_private_key(ec.SECP256R1())),
                          ("ec384", ec.generate_private_key(ec.SECP384R1()))):
        (folder / f"{name}.pem").write_bytes(private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        (folder / f"{name}.pub.pem").write_bytes(private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    (folder / "hs.key").write_bytes(os.urandom(32).hex().encode() + b"\n")  # a trailing newline is part of it
    (folder / "hs_other.key").write_bytes(os.urandom(32).hex().encode())
    for path in folder.iterdir():
        made[path.name] = path
    return made


SIGNING = {"RS256": ("rsa.pem", "rsa.pub.pem"), "ES256": ("ec.pem", "ec.pub.pem"), "HS256": ("hs.key", "hs.key")}
HS256_KEY_REFUSED = "HS256 needs a shared secret; this verification key is empty or a public or private key"


@pytest.fixture(scope="module")
def source():
    return policy_set.load()


@pytest.fixture(scope="module")
def built():
    return bundle.build()


@pytest.fixture(scope="module")
def signed(keys):
    """One signed bundle per algorithm: (bytes, verification key bytes)."""
    return {alg: (bundle.build(signing_key=bundle.read_key(keys[private]), signing_alg=alg),
                  bundle.read_key(keys[public]))
            for alg, (private, public) in SIGNING.items()}


# --- build: reproducible, normalized, the right files ------------------------------------------------


def test_same_sources_give_the_same_bytes_and_another_revision_does_not(built, keys):
    assert bundle.build() == built
    assert bundle.build(revision="other-1") != built
    rsa_key = bundle.read_key(keys["rsa.pem"])  # RS256 and HS256 signatures are deterministic too
    assert bundle.build(signing_key=rsa_key) == bundle.build(signing_key=rsa_key)
    hs_key = bundle.read_key(keys["hs.key"])
    assert (bundle.build(signing_key=hs_key, signing_alg="HS256")
            == bundle.build(signing_key=hs_key, signing_alg="HS256"))


def test_archive_entries_carry_no_time_owner_or_name(built):
    assert built[:3] == b"\x1f\x8b\x08"
    assert built[3] & 0x08 == 0  # FLG.FNAME unset: no file name in the gzip header
    assert built[4:8] == b"\0\0\0\0"  # gzip MTIME 0
    with tarfile.open(fileobj=io.BytesIO(built), mode="r:gz") as tar:
        entries = tar.getmembers()
    assert [e.name for e in entries] == sorted(e.name for e in entries)
    for entry in entries:
        assert (entry.type, entry.mtime, entry.uid, entry.gid, entry.uname, entry.gname, entry.mode) == \
            (tarfile.REGTYPE, 0, 0, 0, "", "", 0o644), entry.name


def test_the_bundle_holds_the_manifest_every_module_and_every_data_file(built, source):
    files = members(built)
    manifest = json.loads(files[".manifest"])
    assert manifest == {"revision": source.revision, "roots": ["aidf"], "rego_version": 1,
                        "metadata": {"rule": "Framework for Artificial Intelligence Diffusion, 90 FR 4544 "
                                             "(15 January 2025)", "policy_revision": source.revision}}
    modules = {path for path, _ in source.modules}
    data = {p.relative_to(source.root).as_posix() for p in source.root.rglob("data.json")}
    assert "aidf/main.rego" in modules and "aidf/facts/params/data.json" in data
    assert set(files) == {".manifest"} | modules | data
    assert not [name for name in files if name.endswith("_test.rego")]
    for path, text in source.modules:
        assert files[path] == text.encode()
    for name in data:
        assert files[name] == (source.root / name).read_bytes()


def test_testdata_contributes_exactly_what_the_engines_load_from_it(built, source):
    """testdata/ holds test-only Rego (left out with every *_test.rego); a data.json there would be
    merged by policy_set.load() and so is carried too: a bundle decides as its tree does."""
    in_tree = sorted(p.relative_to(source.root).as_posix() for p in (source.root / "aidf" / "testdata").rglob("*")
                     if p.name == "data.json" or (p.suffix == ".rego" and not p.name.endswith("_test.rego")))
    assert sorted(n for n in members(built) if n.startswith("aidf/testdata/")) == in_tree


def test_build_refuses_a_tree_outside_the_root_and_a_bad_revision(tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.rego").write_text("package other\n\nallow := true\n")
    with pytest.raises(bundle.BundleError, match="other/x.rego lies outside the bundle root aidf/"):
        bundle.build(tmp_path, revision="r1")
    (tmp_path / "other" / "x.rego").unlink()
    (tmp_path / "aidf").mkdir()
    (tmp_path / "aidf" / "x.rego").write_text("package evil\n\nallow := true\n")
    with pytest.raises(bundle.BundleError, match="declares package evil"):
        bundle.build(tmp_path, revision="r1")
    (tmp_path / "aidf" / "x.rego").write_text("package aidf.x\n\nallow := true\n")
    with pytest.raises(bundle.BundleError, match="revision None"):
        bundle.build(tmp_path)  # no policy_revision in this tree, none given
    with pytest.raises(bundle.BundleError, match="revision '../up'"):
        bundle.build(tmp_path, revision="../up")
    assert bundle.verify(bundle.build(tmp_path, revision="r1")).revision == "r1"


def test_build_refuses_weak_or_mismatched_signing_keys(keys):
    with pytest.raises(bundle.BundleError, match="at least 32 bytes"):
        bundle.build(signing_key=b"secret", signing_alg="HS256")
    with pytest.raises(bundle.BundleError, match="RS256 needs an RSA private key"):
        bundle.build(signing_key=bundle.read_key(keys["ec.pem"]), signing_alg="RS256")
    with pytest.raises(bundle.BundleError, match="ES256 needs a P-256 EC private key"):
        bundle.build(signing_key=bundle.read_key(keys["ec384.pem"]), signing_alg="ES256")
    with pytest.raises(bundle.BundleError, match="not an unencrypted PEM private key"):
        bundle.build(signing_key=bundle.read_key(keys["rsa.pub.pem"]), signing_alg="RS256")
    with pytest.raises(bundle.BundleError, match="public or private key"):
        bundle.build(signing_key=bundle.read_key(keys["rsa.pem"]), signing_alg="HS256")


# --- signatures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", sorted(SIGNING))
def test_signed_bundle_verifies_with_its_key_and_lists_every_file_as_opa_does(signed, alg):
    blob, public = signed[alg]
    verified = bundle.verify(blob, verification_key=public, algorithm=alg)
    assert verified.signed and verified.revision == policy_set.load().revision
    if alg == bundle.DEFAULT_ALGORITHM:  # RS256, as OPA: the one algorithm that need not be named
        assert bundle.verify(blob, verification_key=public).signed
    else:  # never guessed from the key: ES256 and HS256 must be asked for
        with pytest.raises(bundle.BundleError) as caught:
            bundle.verify(blob, verification_key=public)
        assert str(caught.value) == f"bundle: the signature uses {alg}, but RS256 was expected"
    assert bundle.verify(blob).signed  # no key: the hashes are still checked
    files = members(blob)
    document = json.loads(files[".signatures.json"])
    assert list(document) == ["signatures"] and len(document["signatures"]) == 1
    header = jwt.get_unverified_header(token_of(files))
    assert (header["alg"], header["kid"]) == (alg, "default")
    payload = json.loads(base64.urlsafe_b64decode(token_of(files).split(".")[1] + "=="))
    assert payload["keyid"] == "default" and "scope" not in payload
    # bundle.go GenerateSignature: every file but .signatures.json, .manifest included, no leading "/"
    assert [f["name"] for f in payload["files"]] == sorted(set(files) - {".signatures.json"})
    for entry in payload["files"]:
        assert entry["algorithm"] == "SHA-256"
        assert entry["hash"] == bundle.file_hash(entry["name"], files[entry["name"]])
        if entry["name"].endswith(".rego"):
            assert entry["hash"] == hashlib.sha256(files[entry["name"]]).hexdigest()


def test_key_id_and_scope_are_written_and_the_scope_is_required_back(keys):
    key = bundle.read_key(keys["rsa.pem"])
    blob = bundle.build(signing_key=key, key_id="aidf-release", scope="write")
    header = jwt.get_unverified_header(token_of(members(blob)))
    assert header["kid"] == "aidf-release"
    public = bundle.read_key(keys["rsa.pub.pem"])
    assert bundle.verify(blob, verification_key=public, scope="write").signed
    with pytest.raises(bundle.BundleError, match="scope 'write' is not the expected ''"):
        bundle.verify(blob, verification_key=public)  # as OPA: the configured scope must match


@pytest.mark.parametrize("alg", sorted(SIGNING))
def test_a_tampered_policy_file_is_refused(signed, alg):
    blob, public = signed[alg]
    files = members(blob)
    text = files["aidf/main.rego"]
    files["aidf/main.rego"] = text[:-2] + bytes([text[-2] ^ 1]) + text[-1:]  # one byte changed
    tampered = tar_gz(files)
    for key in (public, None):  # with or without a key, a signed file must match its hash
        with pytest.raises(bundle.BundleError) as caught:
            bundle.verify(tampered, verification_key=key, algorithm=alg)
        assert str(caught.value) == "bundle: aidf/main.rego does not match its signed hash"


def test_a_tampered_data_file_is_refused_but_reformatting_it_is_not(signed):
    blob, public = signed["RS256"]
    files = members(blob)
    params = json.loads(files["aidf/facts/params/data.json"])
    files["aidf/facts/params/data.json"] = json.dumps(params, indent=7, sort_keys=True).encode()
    assert bundle.verify(tar_gz(files), verification_key=public).signed  # OPA hashes JSON canonically
    params["policy_revision"] = "forged"
    files["aidf/facts/params/data.json"] = json.dumps(params).encode()
    with pytest.raises(bundle.BundleError, match="aidf/facts/params/data.json does not match its signed hash"):
        bundle.verify(tar_gz(files), verification_key=public)


def test_added_or_removed_files_are_refused(signed):
    blob, public = signed["ES256"]
    files = members(blob)
    with pytest.raises(bundle.BundleError, match="aidf/extra.rego is not covered by the signature"):
        bundle.verify(tar_gz({**files, "aidf/extra.rego": b"package aidf.extra\n"}), verification_key=public,
                      algorithm="ES256")
    del files["aidf/lib/fmt.rego"]
    with pytest.raises(bundle.BundleError, match="lists aidf/lib/fmt.rego, not in the bundle"):
        bundle.verify(tar_gz(files), verification_key=public, algorithm="ES256")


def test_a_missing_signature_is_refused_when_a_key_is_given(signed, built):
    blob, public = signed["RS256"]
    files = members(blob)
    del files[".signatures.json"]
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(tar_gz(files), verification_key=public)
    assert str(caught.value) == "bundle: no .signatures.json, but a verification key was given"
    assert not bundle.verify(built).signed  # without a key an unsigned bundle is fine


@pytest.mark.parametrize("alg, wrong, message", [
    ("RS256", "rsa_other.pub.pem", "signature does not verify with the given key"),
    ("ES256", "ec_other.pub.pem", "signature does not verify with the given key"),
    ("HS256", "hs_other.key", "signature does not verify with the given key"),
    ("ES256", "rsa.pub.pem", "the signature uses ES256, but the key is RSAPublicKey"),
    ("RS256", "hs.key", "the verification key is not a PEM public key, private key or certificate"),
    ("HS256", "rsa.pub.pem", HS256_KEY_REFUSED),
])
def test_a_wrong_key_is_refused(signed, keys, alg, wrong, message):
    blob, _ = signed[alg]
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(blob, verification_key=bundle.read_key(keys[wrong]), algorithm=alg)
    assert str(caught.value) == f"bundle: {message}"


def test_the_algorithm_asked_for_must_be_the_one_used(signed):
    blob, public = signed["RS256"]
    assert bundle.verify(blob, verification_key=public, algorithm="RS256").signed
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(blob, verification_key=public, algorithm="ES256")
    assert str(caught.value) == "bundle: the signature uses RS256, but ES256 was expected"
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(signed["HS256"][0], verification_key=public, algorithm="HS256")
    assert str(caught.value) == f"bundle: {HS256_KEY_REFUSED}"
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(signed["HS256"][0], verification_key=signed["HS256"][1], algorithm="ES256")
    assert str(caught.value) == "bundle: the signature uses HS256, but ES256 was expected"
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(blob, verification_key=public, algorithm="none")
    assert str(caught.value) == "bundle: cannot verify with 'none': choose RS256, ES256, HS256"


def test_rs256_is_the_default_and_hs256_or_es256_must_be_asked_for(signed):
    """As OPA's --signing-alg: the algorithm is never guessed from the key, so a bundle signed with
    the right key but another algorithm than RS256 is refused unless that algorithm is named."""
    assert bundle.DEFAULT_ALGORITHM == "RS256"
    for alg in ("HS256", "ES256"):
        blob, key = signed[alg]
        with pytest.raises(bundle.BundleError) as caught:
            bundle.verify(blob, verification_key=key)
        assert str(caught.value) == f"bundle: the signature uses {alg}, but RS256 was expected"
        with pytest.raises(bundle.BundleError, match=f"^bundle: the signature uses {alg}, but RS256 was expected$"):
            bundle.load(blob, key)
        with pytest.raises(bundle.BundleError, match=f"^the signature uses {alg}, but RS256 was expected$"):
            bundle.verify_signature(token_of(members(blob)), key)
        assert bundle.verify(blob, verification_key=key, algorithm=alg).signed  # the same, asked for


def _rsa_key_forms(keys) -> dict:
    """The RSA verification key in every form that must never serve as an HMAC secret."""
    private = serialization.load_pem_private_key(keys["rsa.pem"].read_bytes(), password=None)
    public = private.public_key()
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "aidf test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
                   .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
                   .sign(private, hashes.SHA256()))
    forms = {"public PEM": keys["rsa.pub.pem"].read_bytes(),
             "public DER": public.public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo),
             "public PKCS1 DER": public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1),
             "private DER": private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()),
             "certificate PEM": certificate.public_bytes(serialization.Encoding.PEM),
             "certificate DER": certificate.public_bytes(serialization.Encoding.DER)}
    assert forms["public PEM"] == bundle.read_key(keys["rsa.pub.pem"])  # as the CLI would read it
    return forms


@pytest.mark.parametrize("form", ["public PEM", "public DER", "public PKCS1 DER", "private DER",
                                  "certificate PEM", "certificate DER"])
def test_a_bundle_hmac_signed_with_the_public_key_itself_is_refused(built, keys, form):
    """Algorithm confusion: anyone holding the RSA public key can HS256-sign a bundle with its bytes
    as the secret. Verified with that key, it is refused whether or not HS256 is asked for."""
    key = _rsa_key_forms(keys)[form]
    forged = hs256_signed(members(built), key)
    assert bundle.verify(forged).signed  # a well-formed signature over the genuine hashes
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(forged, verification_key=key)  # RS256 expected
    assert str(caught.value) == "bundle: the signature uses HS256, but RS256 was expected"
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(forged, verification_key=key, algorithm="HS256")
    assert str(caught.value) == f"bundle: {HS256_KEY_REFUSED}"
    with pytest.raises(bundle.BundleError, match=f"^{re.escape(HS256_KEY_REFUSED)}$"):
        bundle.verify_signature(token_of(members(forged)), key, algorithm="HS256")
    with pytest.raises(bundle.BundleError, match=f"^bundle: {re.escape(HS256_KEY_REFUSED)}$"):
        bundle.load(forged, key, algorithm="HS256")


def test_the_forging_helper_makes_signatures_that_verify_with_a_real_secret(built, keys):
    """So the refusals above come from the key rule, not from a malformed forgery."""
    secret = bundle.read_key(keys["hs.key"])
    forged = hs256_signed(members(built), secret)
    assert bundle.verify(forged, verification_key=secret, algorithm="HS256").signed
    assert hs256_signed(members(built), secret) == hs256_signed(members(forged), secret)


def test_an_hs256_bundle_is_refused_with_an_empty_key(signed):
    blob, _ = signed["HS256"]
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(blob, verification_key=b"", algorithm="HS256")
    assert str(caught.value) == f"bundle: {HS256_KEY_REFUSED}"
    with pytest.raises(bundle.BundleError, match=f"^{re.escape(HS256_KEY_REFUSED)}$"):
        bundle.verify_signature(token_of(members(blob)), b"", algorithm="HS256")
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(blob, verification_key=b"")  # no algorithm: RS256 expected
    assert str(caught.value) == "bundle: the signature uses HS256, but RS256 was expected"
    # an HS256 bundle signed with the empty secret (build refuses it; an attacker need not) is refused too
    forged = hs256_signed(members(blob), b"")
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(forged, verification_key=b"", algorithm="HS256")
    assert str(caught.value) == f"bundle: {HS256_KEY_REFUSED}"


def test_an_unsigned_alg_none_token_is_refused_with_or_without_a_key(signed):
    blob, public = signed["HS256"]
    files = members(blob)
    payload = token_of(files).split(".")[1]  # the genuine list of hashes, with no signature at all
    forged = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    files[".signatures.json"] = json.dumps({"signatures": [forged]}).encode()
    for key in (public, None):
        with pytest.raises(bundle.BundleError, match="algorithm 'none'; only RS256, ES256, HS256"):
            bundle.verify(tar_gz(files), verification_key=key)


def test_signature_file_shapes_opa_refuses_are_refused(signed):
    blob, public = signed["RS256"]
    files = members(blob)
    token = token_of(files)
    for document, message in (({"signatures": []}, "exactly one JWT"),
                              ({"signatures": [token, token]}, "exactly one JWT"),
                              ({"signatures": [token], "plugin": "x"}, "plugins are not supported")):
        files[".signatures.json"] = json.dumps(document).encode()
        with pytest.raises(bundle.BundleError, match=message):
            bundle.verify(tar_gz(files), verification_key=public)


# --- OPA's own test vectors ------------------------------------------------------------------------
# From open-policy-agent/opa v1/bundle/bundle_test.go (TestVerifyBundleFileHash,
# TestReadWithSignatures, TestReadWithSignaturesWithBaseDir) and verify_test.go
# (TestVerifyJWTSignature): digests and JWTs that OPA computed and checks.

OPA_HS256_SECRET = b"secret"
OPA_TOKEN_WITH_BASE_DIR = (  # TestReadWithSignaturesWithBaseDir: OPA accepts this bundle
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImZvbyJ9.eyJmaWxlcyI6W3sibmFtZSI6ImZvby9iYXIvLm1hbmlmZXN0Iiwia"
    "GFzaCI6IjUwN2EyYzM4YTE0NDFkYjU4ZDJjYjg3OTgyYzQyYWE5MWE0MzQyZWY0MjJhNmI1NDJlZGRlYmVlZjZmMDQxMmYiLCJhbGdvcml0"
    "aG0iOiJTSEEtMjU2In0seyJuYW1lIjoiZm9vL2Jhci9hL2IvYy9kYXRhLmpzb24iLCJoYXNoIjoiYTYxNWVlYWVlMjFkZTUxNzlkZTA4MGRl"
    "OGMzMDUyYzhkYTkwMTEzODQwNmJhNzFjMzhjMDMyODQ1ZjdkNTRmNCIsImFsZ29yaXRobSI6IlNIQS0yNTYifSx7Im5hbWUiOiJmb28vYmFy"
    "L2h0dHAvcG9saWN5L3BvbGljeS5yZWdvIiwiaGFzaCI6ImY2NjQ0NjFlMzAzYjM3YzIwYzVlMGJlMjkwMDg4MTY3OGNkZjhlODYwYWE0MzNh"
    "NWExNGQ0OTRiYTNjNjY2NDkiLCJhbGdvcml0aG0iOiJTSEEtMjU2In1dLCJpYXQiOjE1OTIyNDgwMjcsImlzcyI6IkpXVFNlcnZpY2UiLCJz"
    "Y29wZSI6IndyaXRlIn0.qTHkuBDVuT-Zl5pbJdZ6LoJ9eooFOhhpRdCheauDrlA")
OPA_TOKEN_DIGEST_MISMATCH = (  # TestReadWithSignatures "digest_mismatch": signs a wrong hash for a/b/c/data.json
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImZvbyJ9.eyJmaWxlcyI6W3sibmFtZSI6Ii5tYW5pZmVzdCIsImhhc2giOiI1MDd"
    "hMmMzOGExNDQxZGI1OGQyY2I4Nzk4MmM0MmFhOTFhNDM0MmVmNDIyYTZiNTQyZWRkZWJlZWY2ZjA0MTJmIiwiYWxnb3JpdGhtIjoiU0hBLTI1"
    "NiJ9LHsibmFtZSI6ImEvYi9jL2RhdGEuanNvbiIsImhhc2giOiI0MmNmZTY3NjhiNTdiYjVmNzUwM2MxNjVjMjhkZDA3YWM1YjgxMzU1NGVi"
    "Yzg1MGYyY2MzNTg0M2U3MTM3YjFkIiwiYWxnb3JpdGhtIjoiU0hBLTI1NiJ9LHsibmFtZSI6Imh0dHAvcG9saWN5L3BvbGljeS5yZWdvIiwi"
    "aGFzaCI6ImE2MTVlZWFlZTIxZGU1MTc5ZGUwODBkZThjMzA1MmM4ZGE5MDExMzg0MDZiYTcxYzM4YzAzMjg0NWY3ZDU0ZjQiLCJhbGdvcml0"
    "aG0iOiJTSEEtMjU2In1dLCJpYXQiOjE1OTIyNDgwMjcsImlzcyI6IkpXVFNlcnZpY2UiLCJrZXlpZCI6ImZvbyIsInNjb3BlIjoid3JpdGUi"
    "fQ.grzWHYvyVS6LfWy0oiFTEJThKooOAwic8sexYaflzOM")
OPA_FILES = {".manifest": b'{"revision": "quickbrownfaux"}', "a/b/c/data.json": b"[1,2,3]",
             "http/policy/policy.rego": b"package example"}
OPA_TOKEN_RS256 = (  # verify_test.go TestVerifyJWTSignature, scope "write"
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImZvbyJ9.eyJmaWxlcyI6W3sibmFtZSI6ImRiL3VhbTIvZW50aXRsZW1lbnRzL2R"
    "hdGEuanNvbiIsImhhc2giOiJjMjEzMTU0NGM3MTZhMjVhNWUzMWY1MDQzMDBmNTI0MGU4MjM1Y2FkYjlhNTdmMGJkMWI2ZjRiZDc0YjI2NjEy"
    "IiwiYWxnb3JpdGhtIjoic2hhMjU2In0seyJuYW1lIjoiZGIvdWFtMi9wb2xpY3kvb3BhLXBvbGljeS5yZWdvIiwiaGFzaCI6IjQyY2ZlNjc2"
    "OGI1N2JiNWY3NTAzYzE2NWMyOGRkMDdhYzViODEzNTU0ZWJjODUwZjJjYzM1ODQzZTcxMzdiMWQifV0sImlhdCI6MTU5MjI1MTQwNiwiaXNz"
    "IjoiSldUU2VydmljZSIsInNjb3BlIjoid3JpdGUifQ.UZcX_Qj29o213nwZ5mysiyNcgAp1AOqCkDLkj1KGZ7Cw3l17TbkF8t3FJd654sf762N"
    "GcABA0WQ2zxq-labXl_d5TKQmq23lurO3qLHI1cKQPyoxPbddGo78sJpMwWsiMyEYcyyKC9FpNUpa8cT81GPo4q9Zui8TAD0wtHh2YxBL7E8Q"
    "YLJxcLMJTJxVBgrQGLXFT7vYRc6hJz9Vu-i0SWuLBGxOCmYoHr4DWFfy0IhAbhiUFyLRpukfBPjCJNYY5LgaZdN6LaYivtIEUms5jUuXubBim"
    "LJm7KOT5-bgJMXTcUsbrbl2Ma7PwG5IOKjjgyEvH8KVfGFZSzNrpuxKmA")
OPA_RS256_PUBLIC = b"""-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA9KaakMv1XKKDaSch3PFR
3a27oaHp1GNTTNqvb1ZaHZXp+wuhYDwc/MTE67x9GCifvQBWzEGorgTq7aisiOyl
vKifwz6/wQ+62WHKG/sqKn2Xikp3P63aBIPlZcHbkyyRmL62yeyuzYoGvLEYel+m
z5SiKGBwviSY0Th2L4e5sGJuk2HOut6emxDi+E2Fuuj5zokFJvIT6Urlq8f3h6+l
GeR6HUOXqoYVf7ff126GP7dticTVBgibxkkuJFmpvQSW6xmxruT4k6iwjzbZHY7P
ypZ/TdlnuGC1cOpAVyU7k32IJ9CRbt3nwEf5U54LRXLLQjFixWZHwKdDiMTF4ws0
+wIDAQAB
-----END PUBLIC KEY-----"""
OPA_RS256_OTHER_PUBLIC = b"""-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDMYfnvWtC8Id5bPKae5yXSxQTt
+Zpul6AnnZWfI2TtIarvjHBFUtXRo96y7hoL4VWOPKGCsRqMFDkrbeUjRrx8iL91
4/srnyf6sh9c8Zk04xEOpK1ypvBz+Ks4uZObtjnnitf0NBGdjMKxveTq+VE7BWUI
yQjtQ8mbDOsiLLvh7wIDAQAB
-----END PUBLIC KEY-----"""


@pytest.mark.parametrize("name, content, algorithm, digest", [
    # TestVerifyBundleFileHash: OPA's VerifyBundleFile accepts exactly these digests
    ("/.manifest", b'{"revision": "quickbrownfaux"}', "MD5", "a005c38a509dc2d5a7407b9494efb2ad"),
    ("/a/b/c/data.json", b"[1,2,3]", "SHA-512", "60f7b5dc86ded48785436192a08dbfd04894d7f1b417c4f8d3714679a7f78cb3"
                                                "c833f16a8559a1cf1f32968747dc1d95ef34826263dacf125ded8f5c374be4c0"),
    ("/a/b/d/data.json", b"true", "MD5", "b326b5062b2f0e69046810717534cb09"),
    ("/example/example.rego", b"package example", "MD5", "ceecc199d432a4eeae305914ea4816cb"),
    ("/policy.wasm", b"modules-compiled-as-wasm-binary", "SHA-512",
     "4f73765168fd8b5c294b739436da312cc5e979faf09f67bf576d36ea79a4f79c70cbb3c33d06ff65f531a9f42abd0a8f4daacc554cb5"
     "21837e876dc28f56ce89"),
    ("/data.json", b'{"x": {"y": true}, "a": {"b": {"z": true}}}', "MD5", "36669864a622563256817033b1fc53db"),
])
def test_our_file_hashes_equal_opas(name, content, algorithm, digest):
    assert bundle.file_hash(name, content, algorithm) == digest


def test_an_opa_signed_token_verifies_here_and_its_hashes_are_ours():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # OPA's 6-byte test secret must not print a key-length warning
        payload = bundle.verify_signature(OPA_TOKEN_WITH_BASE_DIR, OPA_HS256_SECRET, algorithm="HS256",
                                          scope="write")
    listed = {f["name"].removeprefix("foo/bar/"): f["hash"] for f in payload["files"]}
    assert listed == {name: bundle.file_hash(name, content) for name, content in OPA_FILES.items()}
    with pytest.raises(bundle.BundleError, match="does not verify with the given key"):
        bundle.verify_signature(OPA_TOKEN_WITH_BASE_DIR, b"bad_secret", algorithm="HS256", scope="write")
    with pytest.raises(bundle.BundleError, match="scope 'write' is not the expected 'bad_scope'"):
        bundle.verify_signature(OPA_TOKEN_WITH_BASE_DIR, OPA_HS256_SECRET, algorithm="HS256", scope="bad_scope")
    # as OPA (--signing-alg defaults to RS256), HS256 is accepted only when asked for
    with pytest.raises(bundle.BundleError, match="^the signature uses HS256, but RS256 was expected$"):
        bundle.verify_signature(OPA_TOKEN_WITH_BASE_DIR, OPA_HS256_SECRET, scope="write")


def test_opas_rs256_token_verifies_with_its_key_only():
    payload = bundle.verify_signature(OPA_TOKEN_RS256, OPA_RS256_PUBLIC, scope="write")  # RS256: the default
    assert [f["name"] for f in payload["files"]] == ["db/uam2/entitlements/data.json", "db/uam2/policy/opa-policy.rego"]
    assert bundle.verify_signature(OPA_TOKEN_RS256, OPA_RS256_PUBLIC, algorithm="RS256", scope="write") == payload
    with pytest.raises(bundle.BundleError, match="does not verify with the given key"):
        bundle.verify_signature(OPA_TOKEN_RS256, OPA_RS256_OTHER_PUBLIC, scope="write")


def test_opas_digest_mismatch_bundle_fails_here_on_the_same_file():
    """OPA: "a/b/c/data.json: digest mismatch (want: 42cfe676..., got: a615eeae...)"."""
    assert bundle.file_hash("a/b/c/data.json", OPA_FILES["a/b/c/data.json"]) == \
        "a615eeaee21de5179de080de8c3052c8da901138406ba71c38c032845f7d54f4"
    files = {".signatures.json": json.dumps({"signatures": [OPA_TOKEN_DIGEST_MISMATCH]}).encode(),
             "a/b/c/data.json": OPA_FILES["a/b/c/data.json"], ".manifest": OPA_FILES[".manifest"]}
    with pytest.raises(bundle.BundleError) as caught:
        bundle.verify(tar_gz(files), verification_key=OPA_HS256_SECRET, algorithm="HS256", scope="write")
    assert str(caught.value) == "bundle: a/b/c/data.json does not match its signed hash"


def test_canonical_json_is_gos_encoding():
    """hash.go writes each value with Go's encoding/json, SetEscapeHTML(false); numbers as written
    (json.Number), keys in byte order, no spaces; \\b \\f short (Go >= 1.22), U+2028 escaped, a lone
    surrogate decoded as U+FFFD."""
    raw = ('{"z": "<a&b>", "b": [1.0, -0, 1E400, 123.45678911111111111111111111111111111111111111111111111],'
           ' "\\u00e9": "\\b\\f\\n\\r\\t\\u0001\\u007f\\u2028\\u2029\\ud800\\"\\\\/", "a": null, "c": false}').encode()
    assert bundle.canonical_json(raw) == (
        '{"a":null,"b":[1.0,-0,1E400,123.45678911111111111111111111111111111111111111111111111],"c":false,'
        '"z":"<a&b>","\u00e9":"\\b\\f\\n\\r\\t\\u0001\x7f\\u2028\\u2029\ufffd\\"\\\\/"}').encode()
    with pytest.raises(ValueError):
        bundle.canonical_json(b'{"a": NaN}')


# --- archives and manifests that are refused ---------------------------------------------------------


def _link(name: str, target: str, kind=tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


def test_unsafe_archives_are_refused(built):
    files = members(built)
    cases = [
        (tar_gz({**files, "../evil.rego": b"package aidf.evil\n"}), "unsafe path '../evil.rego'"),
        (tar_gz({**files, "aidf/../../evil.rego": b"package aidf.evil\n"}), "unsafe path"),
        # One leading "/" is how `opa build` names files: read relative to the root, then refused
        # for lying outside it; "//" is never a bundle path.
        (tar_gz({**files, "/etc/aidf.rego": b"package aidf.evil\n"}), "etc/aidf.rego lies outside the bundle root"),
        (tar_gz({**files, "//etc/aidf.rego": b"package aidf.evil\n"}), "unsafe path '//etc/aidf.rego'"),
        (tar_gz(files, (_link("aidf/link.rego", "/etc/passwd"),)), "aidf/link.rego is a link, not a regular file"),
        (tar_gz(files, (_link("aidf/hard.rego", "aidf/main.rego", tarfile.LNKTYPE),)), "is a link"),
        (tar_gz(files, (_link("aidf/fifo", "", tarfile.FIFOTYPE),)), "aidf/fifo is a special file"),
        (tar_gz({**files, "other/x.rego": b"package other\n"}), "other/x.rego lies outside the bundle root aidf/"),
        (tar_gz({**files, "aidf/x.rego": b"package evil\n\nallow := true\n"}), "declares package evil"),
        (tar_gz({**files, "aidf/notes.txt": b"hello"}), "aidf/notes.txt is neither a .rego module nor a data.json"),
        (tar_gz({**files, "aidf/x/data.json": b"[1]"}), "aidf/x/data.json must hold a JSON object, not list"),
        (tar_gz({**files, "aidf/x/data.json": b"{"}), "aidf/x/data.json is not JSON"),
        (tar_gz({**files, "aidf/x/data.json": b'{"a": NaN}'}), "aidf/x/data.json is not JSON"),
        (tar_gz({**files, "aidf/bad\nname.rego": b"package aidf.x\n"}), "unsafe path 'aidf/bad\\nname.rego'"),
        (tar_gz({**files, "aidf/x.rego": b"package aidf.x\n\xff\n"}), "aidf/x.rego is not UTF-8"),
        (b"not a gzip file at all", "not a gzip file"),
        (gzip.compress(b"not a tar archive" * 100), "not a readable tar archive"),
        (built[:len(built) // 2], "the gzip stream is truncated"),
        (built + gzip.compress(b"more"), "data follows the gzip stream"),
    ]
    for blob, message in cases:
        with pytest.raises(bundle.BundleError, match=re.escape(message)):
            bundle.verify(blob)


def test_duplicate_entries_too_many_files_and_gzip_bombs_are_refused(built):
    files = members(built)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for _ in range(2):
            info = tarfile.TarInfo("aidf/main.rego")
            info.size = len(files["aidf/main.rego"])
            tar.addfile(info, io.BytesIO(files["aidf/main.rego"]))
    with pytest.raises(bundle.BundleError, match="aidf/main.rego appears twice"):
        bundle.verify(gzip.compress(raw.getvalue()))
    many = {f"aidf/m{i}/data.json": b"{}" for i in range(bundle.MAX_BUNDLE_FILES + 1)}
    with pytest.raises(bundle.BundleError, match="more than 1,000 files"):
        bundle.verify(tar_gz(many))
    bomb = gzip.compress(b"\0" * (bundle.MAX_BUNDLE_BYTES + 1), compresslevel=1)
    assert len(bomb) < 1_000_000  # a 230:1 bomb
    with pytest.raises(bundle.BundleError, match="more than 50,000,000 bytes uncompressed"):
        bundle.verify(bomb)


@pytest.mark.parametrize("change, message", [
    (lambda m: m.pop("revision"), ".manifest has no revision string"),
    (lambda m: m.update(revision=7), ".manifest has no revision string"),
    (lambda m: m.update(roots=["aidf", "other"]), "roots are ['aidf', 'other'], not ['aidf']"),
    (lambda m: m.update(roots=[""]), "roots are [''], not ['aidf']"),
    (lambda m: m.update(rego_version=0), "rego_version is 0, not 1"),
    (lambda m: m.update(rego_version=True), "rego_version is True, not 1"),
    (lambda m: m.update(file_rego_versions={"/aidf/*.rego": 0}), "unsupported fields: file_rego_versions"),
    (lambda m: m.update(wasm=[]), "unsupported fields: wasm"),
])
def test_manifests_other_than_aidfs_are_refused(built, change, message):
    files = members(built)
    manifest = json.loads(files[".manifest"])
    change(manifest)
    files[".manifest"] = json.dumps(manifest).encode()
    with pytest.raises(bundle.BundleError, match=re.escape(message)):
        bundle.verify(tar_gz(files))
    del files[".manifest"]
    with pytest.raises(bundle.BundleError, match="no .manifest"):
        bundle.verify(tar_gz(files))


def test_verify_reads_files_and_names_them_in_errors(built, tmp_path):
    path = tmp_path / "aidf-1.tar.gz"
    path.write_bytes(built)
    assert bundle.verify(path).name == "aidf-1.tar.gz"
    assert bundle.verify(str(path)).revision == policy_set.load().revision
    with pytest.raises(bundle.BundleError, match="^bundle missing.tar.gz: no such file$"):
        bundle.verify(tmp_path / "missing.tar.gz")
    with pytest.raises(bundle.BundleError, match="not a regular file"):
        bundle.verify(tmp_path)
    files = members(built)
    files["aidf/main.rego"] += b"\n"
    path.write_bytes(tar_gz(files))
    assert bundle.verify(path).files["aidf/main.rego"].endswith(b"\n\n")  # unsigned: no hash to break


def test_read_key_keeps_every_byte_and_refuses_what_is_not_a_key_file(keys, tmp_path):
    assert bundle.read_key(keys["hs.key"]).endswith(b"\n")  # as OPA reads a secret file
    with pytest.raises(bundle.BundleError, match="not a regular file"):
        bundle.read_key(tmp_path / "none.pem")
    (tmp_path / "empty.pem").write_bytes(b"")
    with pytest.raises(bundle.BundleError, match="empty"):
        bundle.read_key(tmp_path / "empty.pem")


# --- loading: same PolicySet, same decisions ----------------------------------------------------------


def test_a_verified_bundle_becomes_the_same_policy_set(built, source, signed):
    loaded = bundle.policy_set_from(bundle.verify(built))
    assert loaded.modules == source.modules and loaded.tests == () and loaded.data == source.data
    assert loaded.bundle_revision == source.revision and source.bundle_revision is None
    blob, public = signed["ES256"]
    assert bundle.load(blob, public, algorithm="ES256").data == source.data


def test_the_shared_loader_refuses_data_that_shadows_a_rule(built):
    """A bundle goes through the same checks as a directory: policy_set.check_no_shadowing."""
    files = {**members(built), "aidf/main/data.json": b'{"decision": {"allowed": true}}'}
    verified = bundle.verify(tar_gz(files))
    with pytest.raises(bundle.BundleError, match="data.aidf.main.decision is defined both as a rule and in the data"):
        bundle.policy_set_from(verified)


@pytest.fixture(scope="module")
def engine_pairs(signed, source):
    blob, public = signed["RS256"]
    from_bundle = bundle.load(blob, public)
    pairs = {"regorus": engines.create("regorus", policies=from_bundle),
             "opa": engines.create("opa", policies=from_bundle),
             "tree": engines.create("regorus", policies=source)}
    yield pairs
    for engine in pairs.values():
        engine.close()


def test_a_bundle_decides_every_example_as_the_tree_does_on_both_engines(engine_pairs):
    names = sorted(EXAMPLES.glob("*.json"))
    assert len(names) >= 12
    outcomes = set()
    for path in names:
        request = json.loads(path.read_text())
        expected = aidf.evaluate(copy.deepcopy(request), as_of=AS_OF, using=engine_pairs["tree"]).document
        outcomes.add(expected["outcome"])
        for name in ("regorus", "opa"):
            got = aidf.evaluate(copy.deepcopy(request), as_of=AS_OF, using=engine_pairs[name]).document
            assert got == expected, (path.name, name)
    assert len(outcomes) >= 8  # real, varied decisions, not one error repeated


# --- the command line ------------------------------------------------------------------------------


def test_cli_builds_and_verifies(keys, tmp_path, source):
    runner = CliRunner()
    out = tmp_path / "signed.tar.gz"
    result = runner.invoke(bundle_cli, ["build", "--signing-key", str(keys["ec.pem"]), "--signing-alg", "ES256",
                                        "--key-id", "release", "-o", str(out)])
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    count = len(members(out.read_bytes()))
    assert result.stdout == (f"{out}: revision {source.revision}, {count} files, signed (ES256), "
                             f"sha256 {digest}\n")
    result = runner.invoke(bundle_cli, ["verify", str(out), "--verification-key", str(keys["ec.pub.pem"]),
                                        "--signing-alg", "ES256"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"{out}: revision {source.revision}, {count} files, signed, signature verified\n"
    result = runner.invoke(bundle_cli, ["verify", str(out)])
    assert result.exit_code == 0 and "hashes match (no key given" in result.stdout


@pytest.mark.parametrize("alg", ["ES256", "HS256"])
def test_cli_verify_needs_signing_alg_for_anything_but_rs256(signed, keys, tmp_path, alg):
    blob, _ = signed[alg]
    path = tmp_path / "b.tar.gz"
    path.write_bytes(blob)
    key = str(keys[SIGNING[alg][1]])
    result = CliRunner().invoke(bundle_cli, ["verify", str(path), "--verification-key", key])
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr == f"aidf: bundle b.tar.gz: the signature uses {alg}, but RS256 was expected\n"
    result = CliRunner().invoke(bundle_cli, ["verify", str(path), "--verification-key", key, "--signing-alg", alg])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.endswith(", signed, signature verified\n")
    help_text = CliRunner().invoke(bundle_cli, ["verify", "--help"]).stdout
    assert "default: RS256" in " ".join(help_text.split())


def test_cli_verify_refuses_the_public_key_as_an_hs256_secret(built, keys, tmp_path):
    path = tmp_path / "forged.tar.gz"
    path.write_bytes(hs256_signed(members(built), bundle.read_key(keys["rsa.pub.pem"])))
    for extra, message in (([], "the signature uses HS256, but RS256 was expected"),
                           (["--signing-alg", "HS256"], HS256_KEY_REFUSED)):
        result = CliRunner().invoke(bundle_cli, ["verify", str(path), "--verification-key", str(keys["rsa.pub.pem"]),
                                                 *extra])
        assert (result.exit_code, result.stdout) == (4, "")
        assert result.stderr == f"aidf: bundle forged.tar.gz: {message}\n"


def test_cli_build_writes_to_bundles_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(bundle_cli, ["build", "--revision", "r-7"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "bundles" / "aidf-r-7.tar.gz").is_file()
    assert result.stdout.startswith("bundles/aidf-r-7.tar.gz: revision r-7, ")
    assert ", unsigned, sha256 " in result.stdout
    assert [p.name for p in (tmp_path / "bundles").iterdir()] == ["aidf-r-7.tar.gz"]  # no temporary left


@pytest.mark.parametrize("case", ["tampered", "wrong key", "unsigned with key", "missing file", "missing key"])
def test_cli_verify_failures_are_one_line_and_exit_4(signed, keys, tmp_path, case):
    blob, _ = signed["RS256"]
    path = tmp_path / "b.tar.gz"
    key = keys["rsa.pub.pem"]
    if case == "tampered":
        files = members(blob)
        files["aidf/main.rego"] = files["aidf/main.rego"].replace(b"package", b"package ", 1)
        path.write_bytes(tar_gz(files))
        expected = "aidf: bundle b.tar.gz: aidf/main.rego does not match its signed hash"
    elif case == "wrong key":
        path.write_bytes(blob)
        key = keys["rsa_other.pub.pem"]
        expected = "aidf: bundle b.tar.gz: signature does not verify with the given key"
    elif case == "unsigned with key":
        path.write_bytes(bundle.build())
        expected = "aidf: bundle b.tar.gz: no .signatures.json, but a verification key was given"
    elif case == "missing file":
        expected = "aidf: bundle b.tar.gz: no such file"
    else:
        path.write_bytes(blob)
        key = tmp_path / "no.pem"
        expected = f"aidf: key {key}: not a regular file"
    result = CliRunner().invoke(bundle_cli, ["verify", str(path), "--verification-key", str(key)])
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == expected + "\n"


def test_cli_build_failures_are_one_line_and_exit_4(tmp_path):
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(bundle_cli, ["build", "--source", str(missing), "-o", str(tmp_path / "b.tar.gz")])
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr == f"aidf: cannot build a bundle from {missing}: no Rego policies under {missing}\n"
    result = CliRunner().invoke(bundle_cli, ["build", "--signing-key", str(missing), "-o", str(tmp_path / "b.tar.gz")])
    assert (result.exit_code, result.stderr) == (4, f"aidf: key {missing}: not a regular file\n")
    assert not (tmp_path / "b.tar.gz").exists()


def test_cli_runs_as_a_real_process(keys, tmp_path, source):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "pyclient")}
    build = subprocess.run([sys.executable, "-m", "aidf.cli_bundle", "build", "--signing-key", str(keys["hs.key"]),
                            "--signing-alg", "HS256"], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
    assert build.returncode == 0, build.stderr
    path = tmp_path / "bundles" / f"aidf-{source.revision}.tar.gz"
    assert build.stdout.startswith(f"bundles/aidf-{source.revision}.tar.gz: ") and path.is_file()
    verify = [sys.executable, "-c", "from aidf.cli_bundle import bundle; bundle()", "verify", str(path),
              "--signing-alg", "HS256", "--verification-key"]
    ok = subprocess.run(verify + [str(keys["hs.key"])], env=env, capture_output=True, text=True, timeout=120)
    assert (ok.returncode, ok.stderr) == (0, "") and ok.stdout.endswith("signed, signature verified\n")
    bad = subprocess.run(verify + [str(keys["hs_other.key"])], env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 4 and bad.stdout == ""
    assert bad.stderr.splitlines() == [f"aidf: bundle {path.name}: signature does not verify with the given key"]
    assert "Traceback" not in bad.stderr


def test_names_with_one_leading_slash_as_opa_build_writes_them_are_read_from_the_root(tmp_path):
    secret = b"x" * 40
    built = members(bundle.build(revision="r1", signing_key=secret, signing_alg="HS256"))
    as_opa_writes = tar_gz({"/" + name: content for name, content in built.items()})
    verified = bundle.verify(as_opa_writes, verification_key=secret, algorithm="HS256")
    assert verified.revision == verified.manifest["revision"] == "r1" and verified.signed
    assert verified.files["aidf/main.rego"] == built["aidf/main.rego"]
