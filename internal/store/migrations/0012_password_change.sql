-- An Admin's password reset gives a temporary password that must be changed
-- at the next sign-in; until then the account can do nothing else.
ALTER TABLE accounts ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
