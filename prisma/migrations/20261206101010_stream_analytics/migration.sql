-- Stream sessions' bytes (#17): from clients (bytes_in) and to them (bytes_out),
-- summed per row like the counts; 0 on rows of HTTP traffic.

-- AlterTable
ALTER TABLE "analytics_minute" ADD COLUMN "bytes_in" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN "bytes_out" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "analytics_hour" ADD COLUMN "bytes_in" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN "bytes_out" BIGINT NOT NULL DEFAULT 0;
