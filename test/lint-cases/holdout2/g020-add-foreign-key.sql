-- case: Rails add_foreign_key :orders, :customers
-- fixture: orders
-- UP
SET lock_timeout = '5s';
ALTER TABLE orders ADD CONSTRAINT fk_rails_orders_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id);
