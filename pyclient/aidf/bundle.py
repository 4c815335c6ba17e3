"""OPA bundles of the aidf policies: build (reproducible, optionally signed), verify, load.

The archive is OPA's own format (docs/docs/management-bundles/index.md: "Bundle File Format" and
"Signing"), so `opa run --bundle aidf-REV.tar.gz --verification-key KEY` takes what build() writes.
verify() makes the checks OPA makes on the archive, manifest roots and signature, and more: an
aidf bundle holds only aidf's own kinds of files, under its one root.
"""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import pathlib
import re
import tarfile
import warnings
import zlib

import importlib


class _OnFirstUse:
    """A module imported when first used: PyJWT and cryptography cost ~40 ms to import, and
    `aidf check` without a bundle never needs them."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute):
        return getattr(importlib.import_module(self._name), attribute)


jwt = _OnFirstUse("jwt")
x509 = _OnFirstUse("cryptography.x509")
serialization = _OnFirstUse("cryptography.hazmat.primitives.serialization")
ec = _OnFirstUse("cryptography.hazmat.primitives.asymmetric.ec")
rsa = _OnFirstUse("cryptography.hazmat.primitives.asymmetric.rsa")

from . import policy_set as policy_set_module
from . import resources
from .engines.base import first_line

ROOT = "aidf"  # the one manifest root: every module and data file lives under data.aidf
MANIFEST = ".manifest"
SIGNATURES = ".signatures.json"
RULE = "Framework for Artificial Intelligence Diffusion, 90 FR 4544 (15 January 2025)"
ALGORITHMS = ("RS256", "ES256", "HS256")
DEFAULT_ALGORITHM = "RS256"  # what OPA assumes when --signing-alg is not given
# opa build/run name the key "default" unless told otherwise (--verification-key-id), so a bundle
# signed without a key id still verifies when OPA is configured from a file.
DEFAULT_KEY_ID = "default"
MAX_BUNDLE_BYTES = 50_000_000  # uncompressed, all files together; the shipped bundle is ~0.2 MB
MAX_BUNDLE_FILES = 1_000  # the shipped bundle has ~40
MAX_KEY_BYTES = 1_000_000
MIN_HS256_SECRET_BYTES = 32  # RFC 7518 3.2: at least the hash's size
MIN_RSA_BITS = 2048
_REVISION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,127}\Z")  # also a safe file name
_MANIFEST_FIELDS = {"revision", "roots", "rego_version", "metadata"}  # no wasm, no per-file Rego versions
# OPA's hash names (v1/bundle/hash.go, NewSignatureHasher). aidf writes and accepts only SHA-256,
# OPA's default; the others exist so OPA's own test vectors can be checked.
_HASHES = {"MD5": "md5", "SHA-1": "sha1", "SHA-224": "sha224", "SHA-256": "sha256", "SHA-384": "sha384",
           "SHA-512": "sha512", "SHA-512-224": "sha512_224", "SHA-512-256": "sha512_256"}
def _short_key_warning():
    return getattr(importlib.import_module("jwt"), "InsecureKeyLengthWarning", UserWarning)


class BundleError(ValueError):
    """A bundle that cannot be built, read or trusted; the message is one line."""


@dataclasses.dataclass(frozen=True)
class VerifiedBundle:
    revision: str
    manifest: dict
    files: dict  # name -> bytes, every file in the archive (.manifest and .signatures.json too)
    signed: bool  # carries a signature; it was checked against a key only if verify() was given one
    name: str = ""  # the archive's file name when read from a file, for messages


# --- OPA's file hashes -------------------------------------------------------------------------


class _Number(str):
    """A JSON number kept as written: OPA decodes with UseNumber (v1/util/json.go) and hash.go
    writes a json.Number back verbatim, so 1.0 and 1 hash differently."""


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _go_string(text: str) -> bytes:
    # Go's encoding/json with SetEscapeHTML(false), as hash.go's encodePrimitive: escapes " and \,
    # writes \b \f \n \r \t (Go >= 1.22) and other controls as \u00xx, escapes U+2028/U+2029, and
    # writes all other characters as UTF-8. Go decodes a lone surrogate escape to U+FFFD.
    encoded = json.dumps(_SURROGATE.sub("\ufffd", text), ensure_ascii=False)
    return encoded.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode("utf-8")


def _walk(value, out: list) -> None:
    """v1/bundle/hash.go walk(): objects with keys in byte order, no whitespace anywhere."""
    if isinstance(value, dict):
        fixed = {}
        for key, item in value.items():  # keys as Go decoded them; the last duplicate wins
            fixed[_SURROGATE.sub("\ufffd", key)] = item
        out.append(b"{")
        for index, key in enumerate(sorted(fixed)):  # code point order is UTF-8 byte order
            out.append(b"," if index else b"")
            out.append(_go_string(key) + b":")
            _walk(fixed[key], out)
        out.append(b"}")
    elif isinstance(value, list):
        out.append(b"[")
        for index, item in enumerate(value):
            out.append(b"," if index else b"")
            _walk(item, out)
        out.append(b"]")
    elif isinstance(value, _Number):
        out.append(str.encode(value))
    elif isinstance(value, str):
        out.append(_go_string(value))
    else:  # True, False, None
        out.append(json.dumps(value).encode())


def canonical_json(raw: bytes) -> bytes:
    """The bytes OPA hashes for a structured bundle file."""
    value = json.loads(raw.decode("utf-8"), parse_int=_Number, parse_float=_Number, parse_constant=_no_constant)
    out: list = []
    _walk(value, out)
    return b"".join(out)


def _structured(name: str) -> bool:
    # v1/bundle/bundle.go IsStructuredDoc (data.yaml too, which aidf never reads or writes)
    return name.rsplit("/", 1)[-1] in ("data.json", ".manifest", "signatures.json")


def file_hash(name: str, content: bytes, algorithm: str = "SHA-256") -> str:
    """The hex digest OPA records for one bundle file (v1/bundle/verify.go VerifyBundleFile):
    structured files are hashed over canonical_json(), every other file over its bytes."""
    if algorithm not in _HASHES:
        raise BundleError(f"unsupported hashing algorithm: {algorithm}")
    return hashlib.new(_HASHES[algorithm], canonical_json(content) if _structured(name) else content).hexdigest()


# --- keys ----------------------------------------------------------------------------------------


def read_key(path) -> bytes:
    """A key file's bytes: PEM for RS256/ES256, the shared secret itself for HS256 (all of it, as
    OPA reads --signing-key and --verification-key files: a trailing newline is part of it)."""
    path = pathlib.Path(path)
    if not path.is_file():
        raise BundleError(f"key {path}: not a regular file")
    with open(path, "rb") as stream:
        raw = stream.read(MAX_KEY_BYTES + 1)
    if len(raw) > MAX_KEY_BYTES:
        raise BundleError(f"key {path}: more than {MAX_KEY_BYTES:,} bytes")
    if not raw:
        raise BundleError(f"key {path}: empty")
    return raw


def _is_pem(key: bytes) -> bool:
    return b"-----BEGIN" in key


def _is_der_key(key: bytes) -> bool:
    """A DER-encoded key or certificate, which must never serve as an HMAC secret."""
    for loader in (serialization.load_der_public_key, lambda k: serialization.load_der_private_key(k, None),
                   x509.load_der_x509_certificate):
        try:
            loader(key)
            return True
        except (ValueError, TypeError, NotImplementedError):
            continue
    return False


def _key_algorithm(key) -> str | None:
    if isinstance(key, (rsa.RSAPublicKey, rsa.RSAPrivateKey)):
        return "RS256"
    if isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)) and isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    return None


def _signing_key(key: bytes, algorithm: str):
    if algorithm not in ALGORITHMS:
        raise BundleError(f"cannot sign with {algorithm!r}: choose {', '.join(ALGORITHMS)}")
    if algorithm == "HS256":
        if _is_pem(key) or _is_der_key(key):
            raise BundleError("HS256 signs with a shared secret, but the signing key is a public or private key")
        if len(key) < MIN_HS256_SECRET_BYTES:
            raise BundleError(f"an HS256 secret needs at least {MIN_HS256_SECRET_BYTES} bytes; this one has {len(key)}")
        return key
    try:
        private = serialization.load_pem_private_key(key, password=None)
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise BundleError(f"the signing key is not an unencrypted PEM private key ({first_line(exc)})") from None
    if _key_algorithm(private) != algorithm:
        raise BundleError(f"{algorithm} needs {'an RSA' if algorithm == 'RS256' else 'a P-256 EC'} private key, "
                          f"not {type(private).__name__}")
    if algorithm == "RS256" and private.key_size < MIN_RSA_BITS:
        raise BundleError(f"an RS256 key needs at least {MIN_RSA_BITS} bits; this one has {private.key_size}")
    return private


def _public_key(key: bytes):
    """A PEM public key, private key or certificate, as OPA's parseVerificationKey accepts."""
    for loader in (lambda: serialization.load_pem_public_key(key),
                   lambda: serialization.load_pem_private_key(key, password=None).public_key(),
                   lambda: x509.load_pem_x509_certificate(key).public_key()):
        try:
            return loader()
        except (ValueError, TypeError, NotImplementedError):
            continue
    raise BundleError("the verification key is not a PEM public key, private key or certificate")


def verify_signature(token: str, verification_key: bytes, *, algorithm: str | None = None,
                     scope: str | None = None) -> dict:
    """The payload of a bundle JWT after its signature is checked (v1/bundle/verify.go
    verifyJWTSignature). The header's alg must be RS256, ES256 or HS256 and match both `algorithm`
    (when given) and the key's type; the payload's scope must equal `scope` ("" when None), as in OPA."""
    header = _token_header(token)
    # RS256 unless HS256 or ES256 is asked for, as OPA's --signing-alg defaults. Never guessed from
    # the key: a key that is not PEM would otherwise be taken for an HS256 secret, and anyone
    # holding the public key could sign a bundle with it (algorithm confusion).
    expected = algorithm or DEFAULT_ALGORITHM
    if expected not in ALGORITHMS:
        raise BundleError(f"cannot verify with {expected!r}: choose {', '.join(ALGORITHMS)}")
    if header["alg"] != expected:
        raise BundleError(f"the signature uses {header['alg']}, but {expected} was expected")
    if expected == "HS256":
        if not verification_key or _is_pem(verification_key) or _is_der_key(verification_key):
            raise BundleError("HS256 needs a shared secret; this verification key is empty or a public or private key")
        key = verification_key
    else:
        key = _public_key(verification_key)
        if _key_algorithm(key) != expected:
            raise BundleError(f"the signature uses {expected}, but the key is {type(key).__name__}")
    try:
        with warnings.catch_warnings():
            # the signer chose the key's length; OPA accepts short ones too (its tests sign with "secret")
            warnings.simplefilter("ignore", _short_key_warning())
            decoded = jwt.api_jws.PyJWS(algorithms=[expected]).decode_complete(token, key, algorithms=[expected])
    except jwt.exceptions.InvalidSignatureError:
        raise BundleError("signature does not verify with the given key") from None
    except jwt.exceptions.PyJWTError as exc:
        raise BundleError(f"the signature cannot be checked: {first_line(exc)}") from None
    payload = _payload(decoded["payload"])
    if payload.get("scope", "") != (scope or ""):
        raise BundleError(f"the signature's scope {payload.get('scope', '')!r} is not the expected {scope or ''!r}")
    return payload


def _token_header(token: str) -> dict:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.exceptions.PyJWTError as exc:
        raise BundleError(f"the signature is not a readable JWT: {first_line(exc)}") from None
    if header.get("alg") not in ALGORITHMS:  # "none" above all
        raise BundleError(f"the signature uses algorithm {header.get('alg')!r}; "
                          f"only {', '.join(ALGORITHMS)} are accepted")
    return header


def _payload(raw: bytes) -> dict:
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BundleError("the signature's payload is not JSON") from None
    files = payload.get("files") if isinstance(payload, dict) else None
    if not isinstance(files, list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) and isinstance(f.get("hash"), str)
            and isinstance(f.get("algorithm", ""), str) for f in files):
        raise BundleError("the signature's payload has no list of files with a name and a hash")
    for entry in files:  # OPA reads a missing algorithm as "" and refuses that file (VerifyBundleFile)
        entry.setdefault("algorithm", "")
    return payload


# --- build -----------------------------------------------------------------------------------------


def _tar_gz(files: dict) -> bytes:
    """Byte-identical for identical files: sorted names, zero times and owners, 0644."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(files[name]), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(files[name]))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as stream:
        stream.write(raw.getvalue())
    return out.getvalue()


def _signature_file(files: dict, key: bytes, algorithm: str, key_id: str | None, scope: str | None) -> bytes:
    # v1/bundle/bundle.go GenerateSignature + sign.go: every file but .signatures.json itself is
    # listed, .manifest included, by its name without a leading "/", hashed with SHA-256; the
    # deprecated "keyid" claim goes with the "kid" header, as OPA writes both.
    private = _signing_key(key, algorithm)
    kid = key_id or DEFAULT_KEY_ID
    payload = {"files": [{"name": name, "hash": file_hash(name, files[name]), "algorithm": "SHA-256"}
                         for name in sorted(files)],
               "keyid": kid}
    if scope:
        payload["scope"] = scope
    token = jwt.api_jws.PyJWS(algorithms=[algorithm]).encode(
        json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"),
        private, algorithm=algorithm, headers={"kid": kid})
    return json.dumps({"signatures": [token]}, indent=1).encode() + b"\n"


def build(source: pathlib.Path | None = None, *, revision: str | None = None, signing_key: bytes | None = None,
          signing_alg: str = "RS256", key_id: str | None = None, scope: str | None = None) -> bytes:
    """The policies under `source` (default: the shipped ones) as a gzipped OPA bundle."""
    root = source
    try:
        root = pathlib.Path(source) if source else resources.policies_dir()
        policies = policy_set_module.load(root)
        data = list(policy_set_module.data_files(root))
        # What goes into the archive must be exactly what load() checked (a file edited meanwhile).
        if policy_set_module.assemble(root, policies.modules, (), data).data != policies.data:
            raise ValueError("a data.json changed while the bundle was being built")
    except (OSError, ValueError) as exc:
        raise BundleError(f"cannot build a bundle from {root or 'the policies'}: {first_line(exc)}") from None
    revision = policies.revision if revision is None else revision
    if not isinstance(revision, str) or not _REVISION.match(revision):
        raise BundleError(f"cannot build a bundle from {root}: revision {revision!r} is not 1-128 letters, digits, "
                          "'.', '_', '+' or '-' (pass one, or set data.aidf.facts.params.policy_revision)")
    # Test modules stay out (load() already set them apart). Every data.json load() merges goes in,
    # testdata/ included, so a bundle decides exactly as its source tree; today testdata/ holds
    # only *_test.rego files.
    files = {path: text.encode("utf-8") for path, text in policies.modules}
    files.update((path, text.encode("utf-8")) for path, text in data)
    for name in files:
        problem = _outside_root(name, files[name])
        if problem:
            raise BundleError(f"cannot build a bundle from {root}: {problem}")
    manifest = {"revision": revision, "roots": [ROOT], "rego_version": 1,
                "metadata": {"rule": RULE, "policy_revision": policies.revision}}
    files[MANIFEST] = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode() + b"\n"
    if signing_key is not None:
        files[SIGNATURES] = _signature_file(files, signing_key, signing_alg, key_id, scope)
    return _tar_gz(files)


def _outside_root(name: str, content: bytes) -> str | None:
    """Why a module or data file does not belong under the root, or None (OPA checks the same:
    bundle.go validateAndInjectDefaults)."""
    if not name.startswith(ROOT + "/"):
        return f"{name} lies outside the bundle root {ROOT}/"
    if name.endswith(".rego"):
        match = policy_set_module._PACKAGE_LINE.search(content.decode("utf-8", "replace"))
        if match is None:
            return f"{name} has no package line aidf can read"
        if match.group(1) != ROOT and not match.group(1).startswith(ROOT + "."):
            return f"{name} declares package {match.group(1)}, outside the bundle root {ROOT}"
    return None


# --- verify ----------------------------------------------------------------------------------------


def _gunzip(blob: bytes) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # gzip framing only
    try:
        raw = inflater.decompress(blob, MAX_BUNDLE_BYTES + 1)  # a gzip bomb stops here
    except zlib.error:
        raise BundleError("not a gzip file") from None
    if len(raw) > MAX_BUNDLE_BYTES:
        raise BundleError(f"more than {MAX_BUNDLE_BYTES:,} bytes uncompressed")
    if not inflater.eof:
        raise BundleError("the gzip stream is truncated")
    if inflater.unused_data:
        raise BundleError("data follows the gzip stream")
    return raw


def _bad_name(name: str) -> bool:
    parts = name.split("/")
    return (name.startswith("/") or "\\" in name or any(part in ("", ".", "..") for part in parts)
            or not name.isprintable())


def _read_archive(blob: bytes) -> dict:
    """name -> bytes for every regular file; anything else (links, devices, absolute or `..`
    paths, duplicates, too many files) is refused. Directory entries are allowed and ignored."""
    raw = _gunzip(blob)
    files: dict = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as tar:
            for member in tar:
                # `opa build` writes names with one leading "/" (/aidf/main.rego); OPA reads them
                # relative to the bundle root, and so do we. Any other absolute path is refused.
                if member.name.startswith("/") and not member.name.startswith("//"):
                    member.name = member.name[1:]
                if _bad_name(member.name.rstrip("/") if member.isdir() else member.name):
                    raise BundleError(f"unsafe path {member.name!r}")
                if member.isdir():
                    continue
                if not member.isreg() or member.issparse():
                    kind = "link" if member.issym() or member.islnk() else "special file"
                    raise BundleError(f"{member.name} is a {kind}, not a regular file")
                if member.name in files:
                    raise BundleError(f"{member.name} appears twice")
                if len(files) >= MAX_BUNDLE_FILES:
                    raise BundleError(f"more than {MAX_BUNDLE_FILES:,} files")
                files[member.name] = tar.extractfile(member).read()
    except (tarfile.TarError, EOFError, OSError, UnicodeError) as exc:
        raise BundleError(f"not a readable tar archive ({first_line(exc)})") from None
    return files


def _check_signature(files: dict, verification_key, algorithm, scope) -> None:
    """OPA's order (bundle.go Reader.Read): the JWT first, then each file against its signed hash,
    then files that were signed but are missing."""
    try:
        document = json.loads(files[SIGNATURES])
    except (ValueError, UnicodeDecodeError):
        raise BundleError(f"{SIGNATURES} is not JSON") from None
    tokens = document.get("signatures") if isinstance(document, dict) else None
    if isinstance(document, dict) and set(document) - {"signatures"}:
        raise BundleError(f"{SIGNATURES} has fields other than signatures (signer plugins are not supported)")
    if not isinstance(tokens, list) or len(tokens) != 1 or not isinstance(tokens[0], str):
        raise BundleError(f"{SIGNATURES} must hold exactly one JWT")
    if verification_key is not None:
        payload = verify_signature(tokens[0], verification_key, algorithm=algorithm, scope=scope)
    else:  # no key: the hashes still prove the files are the ones that were signed, not who signed them
        _token_header(tokens[0])
        try:
            decoded = jwt.api_jws.PyJWS().decode_complete(tokens[0], options={"verify_signature": False})
        except jwt.exceptions.PyJWTError as exc:
            raise BundleError(f"the signature is not a readable JWT: {first_line(exc)}") from None
        payload = _payload(decoded["payload"])
    signed = {}
    for entry in payload["files"]:
        if entry["name"] in signed:
            raise BundleError(f"the signature lists {_shown(entry['name'])} twice")
        signed[entry["name"]] = entry
    for name in sorted(files):
        if name == SIGNATURES:
            continue
        entry = signed.pop(name, None)
        if entry is None:
            raise BundleError(f"{name} is not covered by the signature")
        if entry["algorithm"] != "SHA-256":
            raise BundleError(f"{name} is signed with hash algorithm {entry['algorithm']!r}; only SHA-256 is accepted")
        if file_hash(name, files[name]) != entry["hash"].lower():
            raise BundleError(f"{name} does not match its signed hash")
    if signed:
        raise BundleError(f"the signature lists {', '.join(_shown(n) for n in sorted(signed))}, not in the bundle")


def _check_manifest(files: dict) -> dict:
    if MANIFEST not in files:
        raise BundleError(f"no {MANIFEST}")
    try:
        manifest = json.loads(files[MANIFEST])
    except (ValueError, UnicodeDecodeError):
        raise BundleError(f"{MANIFEST} is not JSON") from None
    if not isinstance(manifest, dict):
        raise BundleError(f"{MANIFEST} is not a JSON object")
    if set(manifest) - _MANIFEST_FIELDS:
        raise BundleError(f"{MANIFEST} has unsupported fields: {', '.join(sorted(set(manifest) - _MANIFEST_FIELDS))}")
    if not isinstance(manifest.get("revision"), str) or not manifest["revision"]:
        raise BundleError(f"{MANIFEST} has no revision string")
    if manifest.get("roots") != [ROOT]:
        raise BundleError(f"{MANIFEST} roots are {manifest.get('roots')!r}, not [{ROOT!r}]")
    if type(manifest.get("rego_version")) is not int or manifest["rego_version"] != 1:
        raise BundleError(f"{MANIFEST} rego_version is {manifest.get('rego_version')!r}, not 1")
    if not isinstance(manifest.get("metadata", {}), dict):
        raise BundleError(f"{MANIFEST} metadata is not an object")
    return manifest


def _check_contents(files: dict) -> None:
    for name, content in sorted(files.items()):
        if name in (MANIFEST, SIGNATURES):
            continue
        if not (name.endswith(".rego") or name.rsplit("/", 1)[-1] == "data.json"):
            raise BundleError(f"{name} is neither a .rego module nor a data.json")
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise BundleError(f"{name} is not UTF-8") from None
        problem = _outside_root(name, content)
        if problem:
            raise BundleError(problem)
        if name.endswith("/data.json"):
            try:
                value = json.loads(text, parse_constant=_no_constant)  # Go's JSON has no NaN or Infinity
            except ValueError:
                raise BundleError(f"{name} is not JSON") from None
            if not isinstance(value, dict):
                raise BundleError(f"{name} must hold a JSON object, not {type(value).__name__}")


def read_bundle(path) -> bytes:
    """A bundle file's bytes: a regular file of at most MAX_BUNDLE_BYTES."""
    path = pathlib.Path(path)
    label = _label(path.name)
    try:
        if not path.is_file():
            raise BundleError("no such file" if not path.exists() else "not a regular file")
        with open(path, "rb") as stream:
            raw = stream.read(MAX_BUNDLE_BYTES + 1)
    except OSError as exc:
        raise BundleError(f"{label}: {exc.strerror or exc}") from None
    except BundleError as exc:
        raise BundleError(f"{label}: {exc}") from None
    if len(raw) > MAX_BUNDLE_BYTES:
        raise BundleError(f"{label}: more than {MAX_BUNDLE_BYTES:,} bytes")
    return raw


def verify(bundle, *, verification_key: bytes | None = None, algorithm: str | None = None,
           scope: str | None = None, name: str = "") -> VerifiedBundle:
    """Check a bundle (bytes, or a path to one; `name` labels bytes in messages). With a
    verification key the signature is required and must verify (RS256 unless `algorithm` says
    otherwise); without one, a signature present is still checked against every file's hash."""
    if isinstance(bundle, (str, pathlib.PurePath)):
        name = pathlib.Path(bundle).name
        bundle = read_bundle(bundle)
    label = _label(name)
    try:
        files = _read_archive(bytes(bundle))
        signed = SIGNATURES in files
        if signed:
            _check_signature(files, verification_key, algorithm, scope)
        elif verification_key is not None:
            raise BundleError(f"no {SIGNATURES}, but a verification key was given")
        manifest = _check_manifest(files)
        _check_contents(files)
    except BundleError as exc:
        raise BundleError(f"{label}: {exc}") from None
    return VerifiedBundle(revision=manifest["revision"], manifest=manifest, files=files, signed=signed, name=name)


def _label(name: str) -> str:
    return f"bundle {_shown(name)}" if name else "bundle"


def _shown(text: str) -> str:
    """A name from outside (a file name, a signed file list) that cannot break the one-line message."""
    return text if text.isprintable() else repr(text)


def policy_set_from(verified: VerifiedBundle) -> policy_set_module.PolicySet:
    """The bundle's modules (every .rego: a bundle has no tests) and data, through the same loader
    as a policy directory (policy_set.assemble), so the same conflicts are refused."""
    files = verified.files
    modules = [(name, files[name].decode("utf-8")) for name in sorted(files) if name.endswith(".rego")]
    data = [(name, files[name].decode("utf-8")) for name in sorted(files) if name.rsplit("/", 1)[-1] == "data.json"]
    try:
        return policy_set_module.assemble(pathlib.Path(verified.name or "bundle"), modules, (), data,
                                          bundle_revision=verified.revision)
    except (OSError, ValueError) as exc:
        raise BundleError(f"{_label(verified.name)}: {first_line(exc)}") from None


def load(path, verification_key: bytes | None = None, *, algorithm: str | None = None,
         scope: str | None = None) -> policy_set_module.PolicySet:
    """verify() then policy_set_from(): a PolicySet any engine can load."""
    return policy_set_from(verify(path, verification_key=verification_key, algorithm=algorithm, scope=scope))
