-- case: a case-insensitive unique index on customers' e-mail, built inside the migration transaction
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email));
