-- case: CREATE TABLE with a FOREIGN KEY to an existing table, after SET lock_timeout
-- fixture: orders
-- UP
SET lock_timeout = '2s';
CREATE TABLE order_items (id bigint PRIMARY KEY, order_id int NOT NULL REFERENCES orders (id), sku text);
-- DOWN
DROP TABLE order_items;
