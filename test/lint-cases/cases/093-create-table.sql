-- case: CREATE TABLE
-- fixture: orders
-- UP
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number text NOT NULL, issued_at timestamptz NOT NULL DEFAULT now());
-- DOWN
DROP TABLE invoices;
