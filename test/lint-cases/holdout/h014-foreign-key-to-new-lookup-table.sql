-- case: create a lookup table of statuses and point orders.status at it with a foreign key
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE TABLE order_statuses (code varchar(10) PRIMARY KEY, label text NOT NULL);
INSERT INTO order_statuses VALUES ('new', 'New'), ('paid', 'Paid'), ('shipped', 'Shipped');
ALTER TABLE orders ADD CONSTRAINT orders_status_fkey FOREIGN KEY (status) REFERENCES order_statuses (code);
-- DOWN
ALTER TABLE orders DROP CONSTRAINT orders_status_fkey;
DROP TABLE order_statuses;
