-- Failed sign-ins are counted per email and client address pair (and per
-- email across addresses, which only slows sign-in down). email_hash ties
-- every row of one email together, so an Admin's unlock removes them all;
-- like key_hash it is a SHA-256, never the email itself.
ALTER TABLE signin_failures ADD COLUMN email_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX signin_failures_email ON signin_failures(email_hash);
