-- case: create a scratch table and drop it again in the same file
-- fixture: orders
-- UP
CREATE TABLE scratch (id int);
INSERT INTO scratch VALUES (1), (2);
DROP TABLE scratch;
