"""The access log every service keeps (NEN 7513 / BIO): records committed before anything
leaves the service, an RFC 6962 Merkle tree over them, checkpoints signed with a key the
database does not hold, verification that names the first bad record, inclusion and
consistency proofs.

``merkle``, ``records``, ``verify`` are pure; ``checkpoint`` signs and verifies (Ed25519);
``store`` is the database adapter (``add_access_log_tables(metadata)``); ``group`` batches the
appends of concurrent requests into one transaction (group commit); ``prune`` empties records
past the log's retention period and keeps their leaf hashes, so the log still verifies.
"""

from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, PublicKey, Signer
from zorgtafel.kernel.accesslog.records import FIELDS, AccessRecord
from zorgtafel.kernel.accesslog.verify import VerifyReport

__all__ = ["FIELDS", "AccessRecord", "Checkpoint", "PublicKey", "Signer", "VerifyReport"]
