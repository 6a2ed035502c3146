-- case: Prisma migration adding an "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP column
-- fixture: orders
-- UP
ALTER TABLE "orders" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
