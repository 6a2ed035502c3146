-- case: INSERT 1,000 new rows into an existing table
-- fixture: orders
-- UP
INSERT INTO customers SELECT g, 'new' || g || '@example.com', 'new ' || g FROM generate_series(20001, 21000) g;
