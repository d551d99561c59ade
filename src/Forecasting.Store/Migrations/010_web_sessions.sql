-- Schema version 10: the web pages' live sessions. A session cookie is accepted only while its row is here: signing
-- out deletes it (so a copied cookie is refused, also after a restart), and rows past their absolute expiry are pruned.
-- Holds no key and no name: the key's id is a short digest of the key's configured SHA-256.

CREATE TABLE web_sessions (
    session_id VARCHAR   NOT NULL PRIMARY KEY,  -- random, carried in the session cookie's claims
    key_id     VARCHAR   NOT NULL,              -- which configured key signed in (a digest of its hash, never the key)
    issued_at  TIMESTAMP NOT NULL,              -- UTC, sign-in
    expires_at TIMESTAMP NOT NULL               -- UTC, sign-in plus the absolute cap; refused and pruned after it
);
