-- API-SSL: the pin of a router's certificate, the SHA-256 of its DER encoding as 64 lower-case hex digits. Set at
-- enrolment (stated, or what the verifying probe saw); every later connection must present that certificate.
-- Null for plain API, and for an API-SSL site enrolled without a pin.
ALTER TABLE sites ADD COLUMN tls_fingerprint TEXT CHECK (tls_fingerprint ~ '^[0-9a-f]{64}$');
