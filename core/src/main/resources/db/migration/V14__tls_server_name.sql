-- API-SSL: the host name the caller enrolled the router by (its ip_address as given, when that was a name), kept
-- beside the address it resolved to. Connections still dial the checked address; this name is the TLS server name
-- (SNI) and what a CA-issued certificate must name under device.trustPem. Null for a router enrolled by IP address,
-- for plain API, and for sites enrolled before this migration.
ALTER TABLE sites ADD COLUMN tls_server_name TEXT CHECK (length(tls_server_name) BETWEEN 1 AND 253);
