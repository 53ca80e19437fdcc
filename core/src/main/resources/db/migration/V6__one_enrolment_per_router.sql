-- One router, one enrolment: a router, known by its edge, address, API port and API user, belongs to one site at
-- most, of whichever organisation. Enrolment checks this before it contacts the router and answers
-- router_already_enrolled; this index decides between two enrolments of the same router that race.
-- Creating it fails if sites already share a router: delete all but one site of each such router first. A deleted
-- site (V5) frees its router; recovering it while another site holds the router is refused the same way.
CREATE UNIQUE INDEX sites_one_enrolment_per_router ON sites (server_ip, ip_address, api_port, username)
  WHERE deleted_at IS NULL;
