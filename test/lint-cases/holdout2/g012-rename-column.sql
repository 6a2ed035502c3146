-- case: Rails rename_column :orders, :note, :comment
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE "orders" RENAME COLUMN "note" TO "comment";
