"""A deploy to an S3 bucket through boto3: AWS itself, or any store that speaks its protocol
(Cloudflare R2, Backblaze B2, MinIO, Wasabi, Google Cloud Storage's interoperability mode),
named by ``--endpoint-url``. Credentials are boto3's own: the standard AWS environment
variables, profiles and roles, never feeds.yaml.

Each object carries its digest as ``x-amz-meta-feedpub-digest``. A listing (ListObjectsV2)
shows what the bucket holds; an object whose ETag and size the ledger knows is not asked
again, any other is (HeadObject), so a bucket changed behind our back is still compared by
digest, and a second deploy with nothing changed sends nothing. Uploads carry Content-MD5,
so the store refuses a body damaged on the way. boto3's own retries are off: each request
goes through :func:`feedpub.deploy.retry.retried`, so the backoff is ours and bounded.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import boto3
import botocore.config
import botocore.exceptions

from feedpub.deploy.ledger import Entry, Ledger, Listed
from feedpub.deploy.plan import LocalFile
from feedpub.deploy.retry import BatchFailed, Failed, retried
from feedpub.deploy.target import S3Target
from feedpub.errors import DeployError

T = TypeVar("T")
DIGEST_KEY = "feedpub-digest"  # sent as the x-amz-meta-feedpub-digest header
CONNECT_TIMEOUT = 10.0  # seconds
READ_TIMEOUT = 60.0
# Answers worth another try: the store is busy, throttling or briefly unwell.
TRANSIENT_STATUS = {408, 429, 500, 502, 503, 504}
TRANSIENT_CODES = {"SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable"}


class S3Store:
    def __init__(self, target: S3Target, ledger: Ledger, out: str, jobs: int) -> None:
        self.target = target
        self.ledger = ledger
        self.out = Path(out)
        self.jobs = jobs
        config = botocore.config.Config(
            retries={"total_max_attempts": 1},
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
            max_pool_connections=jobs,
            # Only the checksums S3 requires: B2 and other stores refuse the newer
            # x-amz-checksum-* headers; Content-MD5 guards every upload instead.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        try:
            self.client = boto3.session.Session().client(
                "s3", endpoint_url=target.endpoint_url, config=config
            )
        except botocore.exceptions.BotoCoreError as exc:
            raise DeployError(f"{target}: cannot use the S3 settings: {exc}") from exc

    # --- reading the bucket

    def remote(self, local: set[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = {
            path: self.ledger.digest(path, listed) for path, listed in self._list().items()
        }
        asked = [path for path, digest in found.items() if digest is None and path in local]
        for path, digest in zip(asked, self._pool(self._head, asked), strict=True):
            found[path] = digest
        return found

    def settle(self) -> None:
        """After uploading: one more listing, so the ledger knows each new object's time."""
        for path, listed in self._list().items():
            self.ledger.settle(path, listed)

    def _list(self) -> dict[str, Listed]:
        """Each object under the prefix: path -> (ETag, size, modified)."""
        listed = {}
        token: str | None = None
        while True:
            extra = {"ContinuationToken": token} if token else {}
            page = self._read(
                partial(
                    self.client.list_objects_v2,
                    Bucket=self.target.bucket,
                    Prefix=self.target.prefix,
                    **extra,
                ),
                str(self.target),
                "cannot list",
            )
            for item in page.get("Contents", ()):
                path = item["Key"][len(self.target.prefix) :]
                if path and not path.endswith("/"):  # a "folder" placeholder holds nothing
                    modified = int(item["LastModified"].timestamp())
                    listed[path] = (item.get("ETag", ""), int(item.get("Size", 0)), modified)
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return listed

    def _head(self, path: str) -> str | None:
        """The digest an object carries, recorded in the ledger; None without one (not
        sent by feedpub), or when it is gone since the listing."""

        def head() -> Any:
            try:
                return self.client.head_object(Bucket=self.target.bucket, Key=self._key(path))
            except botocore.exceptions.ClientError as exc:
                if _status(exc) == 404:
                    return None
                raise

        answer = self._read(head, self.target.url(path), "cannot read")
        if answer is None:
            return None
        digest = answer.get("Metadata", {}).get(DIGEST_KEY)
        if digest:
            modified = int(answer["LastModified"].timestamp())
            entry = Entry(digest, answer.get("ETag"), answer["ContentLength"], modified)
            self.ledger.record(path, entry)
        return digest

    def _read(self, call: Callable[[], T], where: str, what: str) -> T:
        try:
            return retried(call, classify)
        except Failed as exc:
            raise DeployError(f"{where}: {what} ({exc}); nothing was changed") from exc

    # --- changing it

    def send(self, batch: list[LocalFile], dry_run: bool) -> list[str]:
        if dry_run:
            return [file.path for file in batch]
        outcomes = self._pool(self._put, batch)
        return _outcome(
            [(file.path, failure) for file, failure in zip(batch, outcomes, strict=True)],
            "upload failed",
            self.target,
        )

    def _put(self, file: LocalFile) -> Failed | None:
        data = (self.out / file.path).read_bytes()
        md5 = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
        try:
            answer = retried(
                lambda: self.client.put_object(
                    Bucket=self.target.bucket,
                    Key=self._key(file.path),
                    Body=data,
                    ContentType=file.content_type,
                    CacheControl=file.cache_control,
                    ContentMD5=md5,
                    Metadata={DIGEST_KEY: file.digest},
                ),
                classify,
            )
        except Failed as exc:
            return exc
        self.ledger.record(file.path, Entry(file.digest, answer.get("ETag"), len(data)))
        return None

    def delete(self, paths: list[str], dry_run: bool) -> list[str]:
        if dry_run:
            return list(paths)
        outcomes = self._pool(self._delete, paths)
        return _outcome(list(zip(paths, outcomes, strict=True)), "delete failed", self.target)

    def _delete(self, path: str) -> Failed | None:
        try:
            retried(
                lambda: self.client.delete_object(Bucket=self.target.bucket, Key=self._key(path)),
                classify,
            )
        except Failed as exc:
            return exc
        self.ledger.forget(path)
        return None

    # --- helpers

    def _key(self, path: str) -> str:
        return self.target.prefix + path

    def _pool(self, call: Callable[[Any], T], items: Iterable[Any]) -> list[T]:
        """``call`` on each item, ``jobs`` at a time; the results in order."""
        items = list(items)
        if len(items) <= 1:
            return [call(item) for item in items]
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            return list(pool.map(call, items))


def _outcome(results: list[tuple[str, Failed | None]], what: str, target: S3Target) -> list[str]:
    """The paths that got through; a :class:`BatchFailed` naming each object that did not."""
    done = [path for path, failure in results if failure is None]
    failures = [f"{target.url(p)}: {what} ({failure})" for p, failure in results if failure]
    if failures:
        raise BatchFailed(done, failures)
    return done


def classify(exc: Exception) -> tuple[str, bool]:
    """(why a request failed, in our words, and whether another try may succeed)."""
    if isinstance(exc, botocore.exceptions.ClientError):
        status = _status(exc)
        code = exc.response.get("Error", {}).get("Code", "")
        transient = status in TRANSIENT_STATUS or code in TRANSIENT_CODES
        return f"HTTP {status} {code}".rstrip(), transient
    if isinstance(exc, botocore.exceptions.NoCredentialsError):
        return (
            "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE",
            False,
        )
    if isinstance(
        exc, botocore.exceptions.ConnectTimeoutError | botocore.exceptions.ReadTimeoutError
    ):
        return "no answer in time", True
    if isinstance(exc, botocore.exceptions.EndpointConnectionError):
        return "cannot connect to the endpoint", True
    if isinstance(exc, botocore.exceptions.ConnectionClosedError):
        return "the connection was closed", True
    if isinstance(exc, botocore.exceptions.HTTPClientError):
        return "the connection failed", True
    if isinstance(exc, botocore.exceptions.BotoCoreError):
        return f"{type(exc).__name__}", False
    raise exc


def _status(exc: botocore.exceptions.ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
