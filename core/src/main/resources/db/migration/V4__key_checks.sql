-- Key custody: the first time a key id is used with this database, a fixed plaintext sealed with that key is
-- recorded (AES-256-GCM, the key id bound as additional data). At every start each configured key must open its
-- check value, so a different key under a known id is refused before it seals or opens anything.
CREATE TABLE key_checks (
  key_id      TEXT        PRIMARY KEY,
  nonce       BYTEA       NOT NULL CHECK (octet_length(nonce) = 12),
  check_value BYTEA       NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The key ids that sealed stored values are read at every start with a loose index scan over this index (one index
-- probe per distinct key id, however many rows there are).
CREATE INDEX credential_versions_key_id ON credential_versions (key_id);
