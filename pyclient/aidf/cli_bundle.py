"""`aidf bundle build|verify`: OPA bundles from the command line (aidf.bundle does the work).

Registered in the main CLI with main.add_command(bundle); also runs alone:
`python -m aidf.cli_bundle verify aidf-REV.tar.gz --verification-key pub.pem`.
Success prints one line on stdout and exits 0; any failure prints one line on stderr starting
"aidf: " and exits 4, the main CLI's code for "could not decide" (a missing file included).
"""
from __future__ import annotations

import functools
import hashlib
import os
import pathlib
import sys
import tempfile

import click

from . import bundle as bundle_module
from .engines.base import first_line
from .terminal import visible

EXIT_FAILED = 4


def _one_line_errors(command):
    """Every failure, expected or not, ends as one readable line and exit 4: never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except bundle_module.BundleError as exc:
            message = str(exc)
        except OSError as exc:
            message = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
        except KeyboardInterrupt:
            message = "interrupted"
        except Exception as exc:  # noqa: BLE001 - a bug must still end in one line and exit 4
            message = f"internal error: {type(exc).__name__}: {first_line(str(exc))}"
        click.echo(f"aidf: {visible(first_line(message))}", err=True)
        sys.exit(EXIT_FAILED)
    return wrapper


def _describe(verified: bundle_module.VerifiedBundle) -> str:
    return f"revision {visible(verified.revision)}, {len(verified.files)} files"


def _write_atomically(path: pathlib.Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)  # a reader never sees half a bundle
    except BaseException:
        pathlib.Path(temporary).unlink(missing_ok=True)
        raise


@click.group("bundle", context_settings={"help_option_names": ["-h", "--help"]})
def bundle():
    """OPA bundles of the aidf policies: build (optionally signed) and verify."""


@bundle.command("build")
@click.option("--source", type=click.Path(file_okay=False, path_type=pathlib.Path),
              help="Policy directory (default: the shipped policies, or AIDF_POLICY_DIR).")
@click.option("--revision", help="Bundle revision (default: data.aidf.facts.params.policy_revision).")
@click.option("--signing-key", type=click.Path(dir_okay=False, path_type=pathlib.Path),
              help="PEM private key (RS256, ES256) or shared-secret file (HS256).")
@click.option("--signing-alg", type=click.Choice(bundle_module.ALGORITHMS), default="RS256", show_default=True)
@click.option("--key-id", help=f"Key id in the signature (default: {bundle_module.DEFAULT_KEY_ID!r}, as OPA's).")
@click.option("--scope", help="Scope claim in the signature (OPA then needs the same --scope).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=pathlib.Path),
              help="Where to write the bundle (default: bundles/aidf-REVISION.tar.gz).")
@_one_line_errors
def build_command(source, revision, signing_key, signing_alg, key_id, scope, output):
    """Build a reproducible OPA bundle of the policies."""
    key = bundle_module.read_key(signing_key) if signing_key else None
    blob = bundle_module.build(source, revision=revision, signing_key=key, signing_alg=signing_alg,
                               key_id=key_id, scope=scope)
    verified = bundle_module.verify(blob)  # what we wrote must pass our own reader
    path = output or pathlib.Path("bundles") / f"aidf-{verified.revision}.tar.gz"
    _write_atomically(path, blob)
    signed = f"signed ({signing_alg})" if verified.signed else "unsigned"
    click.echo(f"{visible(str(path))}: {_describe(verified)}, {signed}, sha256 {hashlib.sha256(blob).hexdigest()}")


@bundle.command("verify")
@click.argument("bundle_path", metavar="BUNDLE", type=click.Path(path_type=pathlib.Path))
@click.option("--verification-key", type=click.Path(dir_okay=False, path_type=pathlib.Path),
              help="PEM public key or certificate (RS256, ES256) or shared-secret file (HS256); "
                   "with it the bundle must be signed with this key.")
@click.option("--signing-alg", type=click.Choice(bundle_module.ALGORITHMS),
              help="Algorithm the signature must use (default: RS256, as OPA).")
@click.option("--scope", help="Scope the signature must carry (default: none).")
@_one_line_errors
def verify_command(bundle_path, verification_key, signing_alg, scope):
    """Check a bundle's archive, manifest, contents and signature."""
    key = bundle_module.read_key(verification_key) if verification_key else None
    verified = bundle_module.verify(bundle_path, verification_key=key, algorithm=signing_alg, scope=scope)
    if key is not None:
        state = "signed, signature verified"
    elif verified.signed:
        state = "signed, hashes match (no key given: signer not verified)"
    else:
        state = "unsigned"
    click.echo(f"{visible(str(bundle_path))}: {_describe(verified)}, {state}")


if __name__ == "__main__":
    bundle(prog_name="aidf bundle")
