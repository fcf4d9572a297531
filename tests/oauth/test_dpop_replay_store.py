"""The store of used DPoP proofs on both databases: a proof once, the transaction unharmed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from infrashare.core.clock import utc_now
from infrashare.core.db import open_database
from infrashare.oauth.dpop import DPoPProof, InvalidDPoPProof, remember
from infrashare.oauth.models import DPoPProofSeen


async def test_a_proof_is_accepted_once_and_old_ones_are_forgotten(database_url: str) -> None:
    database = open_database(database_url)
    now = utc_now()
    try:
        with database.sync_writer() as session:
            stale = DPoPProof(jkt="key-a", jti="stale-proof-0001", issued_at=now - timedelta(hours=1))
            remember(session, stale, now - timedelta(hours=1))
            proof = DPoPProof(jkt="key-a", jti="fresh-proof-0001", issued_at=now)
            remember(session, proof, now)
            with pytest.raises(InvalidDPoPProof):
                remember(session, proof, now)
            # The refused insert was only a savepoint: the transaction goes on.
            remember(session, DPoPProof(jkt="key-b", jti="fresh-proof-0001", issued_at=now), now)
            session.commit()
            assert session.scalar(select(func.count()).select_from(DPoPProofSeen)) == 2
    finally:
        await database.dispose()
