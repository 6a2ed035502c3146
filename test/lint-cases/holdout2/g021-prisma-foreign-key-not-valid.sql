-- case: a Prisma-style "OrderItem" table gets its foreign key to orders, added NOT VALID
-- fixture: orders
-- setup: CREATE TABLE "OrderItem" ("id" SERIAL NOT NULL, "orderId" INTEGER NOT NULL, "sku" TEXT NOT NULL, "quantity" INTEGER NOT NULL DEFAULT 1, CONSTRAINT "OrderItem_pkey" PRIMARY KEY ("id"));
-- setup: INSERT INTO "OrderItem" ("orderId", "sku", "quantity") SELECT 1 + g % 100000, 'sku-' || (g % 250), 1 + g % 3 FROM generate_series(1, 100000) g;
-- UP
SET lock_timeout = '4s';
ALTER TABLE "OrderItem" ADD CONSTRAINT "OrderItem_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
