-- case: delete duplicate customer emails, keeping the oldest row, then a unique index on email
-- fixture: orders
-- setup: INSERT INTO customers SELECT 10000 + g, 'c' || g || '@example.com', 'duplicate ' || g FROM generate_series(1, 20) g;
-- UP
SET lock_timeout = '5s';
DELETE FROM customers a USING customers b WHERE a.email = b.email AND a.id > b.id;
CREATE UNIQUE INDEX customers_email_key ON customers (email);
