-- First run: the one-time links `serve` prints while no organization has an
-- Owner. Only a SHA-256 of each token is kept; the token itself is printed
-- and written to a 0600 file in the data directory. Using one, or creating
-- the Owner with `zoombridge admin create-owner`, deletes them all.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
