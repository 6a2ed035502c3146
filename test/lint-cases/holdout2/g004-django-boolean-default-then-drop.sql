-- case: Django-style boolean field: added with a constant default and NOT NULL, then the database default dropped again
-- fixture: orders
-- UP
SET LOCAL lock_timeout = '2s';
ALTER TABLE "orders" ADD COLUMN "is_gift" boolean DEFAULT false NOT NULL;
ALTER TABLE "orders" ALTER COLUMN "is_gift" DROP DEFAULT;
