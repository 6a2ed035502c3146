-- case: backfill customers.email_domain in slices of 1,000 ids, one statement per slice, outside a transaction
-- fixture: orders
-- setup: ALTER TABLE customers ADD COLUMN email_domain text;
-- pgshift:no-transaction
-- UP
UPDATE customers SET email_domain = split_part(email, '@', 2) WHERE id > 0 AND id <= 1000;
UPDATE customers SET email_domain = split_part(email, '@', 2) WHERE id > 1000 AND id <= 2000;
UPDATE customers SET email_domain = split_part(email, '@', 2) WHERE id > 2000 AND id <= 3000;
UPDATE customers SET email_domain = split_part(email, '@', 2) WHERE id > 3000 AND id <= 4000;
UPDATE customers SET email_domain = split_part(email, '@', 2) WHERE id > 4000 AND id <= 5000;
UPDATE customers SET email_domain = split_part(email, '@', 2) WHERE id > 5000 AND id <= 6000;
UPDATE customers SET email_domain = split_part(email, '@', 2) WHERE id > 6000 AND id <= 7000;
UPDATE customers SET email_domain = split_part(email, '@', 2) WHERE id > 7000 AND id <= 8000;
UPDATE customers SET email_domain = split_part(email, '@', 2) WHERE id > 8000 AND id <= 9000;
UPDATE customers SET email_domain = split_part(email, '@', 2) WHERE id > 9000 AND id <= 10000;
